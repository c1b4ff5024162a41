"""A presentation proof whose domain is a list.

(Regression tests from verification review review2; each fails on the code before its fix.)"""

from __future__ import annotations

from tests.verify_helpers import Party
from tests.verify_jwt_helpers import _verify, issuer  # noqa: F401 - fixtures


# --- 7: a presentation proof whose domain is a list -------------------------------------------

def test_presentation_domain_list_matches(issuer):
    from lerwallet.proofs.suites import Canonical, by_name

    holder = Party()
    vp = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"], "holder": holder.did}
    proof = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "2024-01-01T00:00:00Z",
             "verificationMethod": holder.vm, "proofPurpose": "authentication", "challenge": "c1",
             "domain": ["https://a.example", "https://jobs.example"]}
    proof["proofValue"] = by_name("eddsa-rdfc-2022").sign_value(Canonical(vp, None), proof, "ed25519", holder.private)
    report = _verify(dict(vp, proof=proof), challenge="c1", domain="https://jobs.example")
    checks = {c.id: c for c in report.presentation_checks}
    assert checks["presentation.proof"].outcome == "pass"
    assert checks["presentation.domain"].outcome == "pass", checks["presentation.domain"].reason
    other = {c.id: c for c in _verify(dict(vp, proof=proof), challenge="c1", domain="https://evil.example").presentation_checks}
    assert other["presentation.proof"].outcome == "fail"
