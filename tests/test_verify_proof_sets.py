"""Proofs: a verification method absent from a resolved DID document; proof sets (one acceptable proof is enough, the others listed).

(Regression tests from verification review review; each fails on the code before its fix.)"""

from __future__ import annotations

from tests.verify_helpers import Party, badge, presentation
from tests.verify_binding_helpers import _signed_with_vm, _verify, holder, issuer  # noqa: F401 - fixtures


# --- 8: a verification method absent from a resolved document is a failure ----------------

def test_vm_missing_from_resolved_did_document_fails(issuer):
    doc = _signed_with_vm(issuer, badge(issuer), f"{issuer.did}#nope")
    report = _verify(doc)
    check = report.credentials[0].check("proof")
    assert check.outcome == "fail" and check.code == "verification_method_unresolvable"
    assert report.verdict == "invalid"


def test_unsupported_did_method_stays_inconclusive(issuer):
    doc = badge(issuer)
    doc["issuer"]["id"] = "did:example:university"
    doc = _signed_with_vm(issuer, doc, "did:example:university#key-1")
    report = _verify(doc)
    assert report.credentials[0].check("proof").outcome == "unknown" and report.verdict == "inconclusive"


# --- 9: proof sets: one acceptable proof is enough, the others are listed -------------------

def _ids(cred) -> dict:
    return {c.id: c for c in cred.checks}


def test_issuer_proof_plus_cosigner_proof_passes_with_cosigner_listed(issuer):
    cosigner = Party()
    doc = cosigner.sign(issuer.sign(badge(issuer)))  # a proof set: issuer's, then a co-signer's
    cred = _verify(doc).credentials[0]
    assert cred.check("proof").outcome == "pass" and cred.verdict == "valid"
    other = cred.check("proof.other")  # the co-signer is not the issuer: listed, not believed
    assert other.outcome == "warn" and cosigner.did in other.reason


def test_issuer_proof_plus_broken_foreign_proof_passes_with_warning(issuer):
    attacker = Party()
    doc = attacker.sign(issuer.sign(badge(issuer)))
    doc["proof"][1]["proofValue"] = doc["proof"][1]["proofValue"][:-4] + "AAAA"  # a co-signer proof that fails
    cred = _verify(doc).credentials[0]
    assert cred.check("proof").outcome == "pass"
    other = cred.check("proof.other")
    assert other.outcome == "warn" and other.code == "other_proof_invalid" and attacker.did in other.reason
    assert cred.check("proof").details["warnings"] and cred.verdict == "valid"


def test_issuer_proof_plus_authentication_proof_passes_with_warning(issuer):
    doc = issuer.sign(issuer.sign(badge(issuer)), purpose="authentication")
    cred = _verify(doc).credentials[0]
    assert cred.check("proof").outcome == "pass" and cred.check("proof.other").outcome == "warn"
    assert "authentication" in cred.check("proof.other").reason


def test_failing_issuer_proof_beside_passing_issuer_proof_is_listed(issuer):
    doc = issuer.sign(issuer.sign(badge(issuer)))
    doc["proof"][0]["proofValue"] = doc["proof"][0]["proofValue"][:-4] + "AAAA"
    cred = _verify(doc).credentials[0]
    assert cred.check("proof").outcome == "pass" and cred.check("proof.other").outcome == "warn"


def test_no_acceptable_proof_still_fails(issuer):
    attacker = Party()
    only_foreign = attacker.sign(badge(issuer))
    assert _verify(only_foreign).credentials[0].check("proof").code == "controller_mismatch"
    tampered = attacker.sign(issuer.sign(badge(issuer)))
    tampered["name"] = "Brain surgery"
    assert _verify(tampered).credentials[0].check("proof").outcome == "fail"


def test_presentation_proof_ids_keep_their_prefix(issuer, holder):
    vp = presentation(holder, [issuer.sign(badge(issuer, subject=holder.did))])
    vp = Party().sign(vp, purpose="authentication")
    vp["proof"][1]["proofValue"] = vp["proof"][1]["proofValue"][:-4] + "AAAA"
    report = _verify(vp)
    ids = {c.id: c.outcome for c in report.presentation_checks}
    assert ids["presentation.proof"] == "pass" and ids["presentation.proof.other"] == "warn"
