"""VC-JWT 1.1 whose issuer is only in `iss`.

(Regression tests from verification review review2; each fails on the code before its fix.)"""

from __future__ import annotations

from lerwallet.proofs.jose import sign_compact
from tests.verify_helpers import Party
from tests.verify_jwt_helpers import V1, _checks, _verify, issuer  # noqa: F401 - fixtures


# --- 2: a VC-JWT 1.1 whose issuer is only in `iss` -------------------------------------------

def _jwt11(signer: Party, iss: str) -> str:
    payload = {"iss": iss, "sub": "did:example:alice", "jti": "urn:uuid:42", "nbf": 1700000000,
               "vc": {"@context": [V1], "type": ["VerifiableCredential"], "credentialSubject": {"name": "Alice"}}}
    return sign_compact({"alg": "EdDSA", "typ": "JWT", "kid": signer.vm}, payload, key_type="ed25519", private_key=signer.private)


def test_vc_jwt_11_with_issuer_only_in_iss_verifies(issuer):
    report = _verify(_jwt11(issuer, issuer.did))
    checks = _checks(report)
    assert checks["structure"].outcome == "pass", checks["structure"].reason
    assert checks["proof"].outcome == "pass"
    assert report.credentials[0].summary.get("issuer_id") == issuer.did
    assert report.verdict == "valid"  # warnings (an unknown issuer) do not change the verdict


def test_vc_jwt_11_iss_naming_someone_else_fails(issuer):
    checks = _checks(_verify(_jwt11(issuer, Party().did)))
    assert checks["structure"].outcome == "pass"
    assert checks["proof"].outcome == "fail"


def test_vc_jwt_11_without_iss_or_issuer_is_malformed(issuer):
    payload = {"vc": {"@context": [V1], "type": ["VerifiableCredential"], "credentialSubject": {"name": "Alice"}}}
    token = sign_compact({"alg": "EdDSA", "kid": issuer.vm}, payload, key_type="ed25519", private_key=issuer.private)
    assert _checks(_verify(token))["structure"].code == "invalid_issuer"
