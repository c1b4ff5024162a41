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


# --- issue #10 audit: empty members of the vc claim come from the registered claims -----------

def _filled_from_claims(signer: Party, vc_extra: dict, **claims) -> str:
    payload = {"iss": signer.did, "sub": "did:example:alice", "jti": "urn:uuid:42", "nbf": 1700000000,
               "exp": 1900000000, **claims,
               "vc": {"@context": [V1], "type": ["VerifiableCredential"], **vc_extra}}
    return sign_compact({"alg": "EdDSA", "typ": "JWT", "kid": signer.vm}, payload, key_type="ed25519", private_key=signer.private)


def test_empty_members_of_the_vc_claim_are_filled_not_refused_as_malformed(issuer):
    # What JWT issuers that move the values into the registered claims commonly write.
    token = _filled_from_claims(issuer, {"id": "", "issuer": "", "issuanceDate": "", "expirationDate": "",
                                         "credentialSubject": {}})
    report = _verify(token)
    checks = _checks(report)
    assert checks["structure"].outcome == "pass", checks["structure"].reason
    assert checks["proof"].outcome == "pass"
    summary = report.credentials[0].summary
    assert (summary["issuer_id"], summary["subject_id"]) == (issuer.did, "did:example:alice")
    assert checks["valid-from"].reason == "valid since 2023-11-14T22:13:20Z"
    assert "2030-03-17T17:46:40Z" in checks["expiration"].reason
    assert report.verdict == "valid"


def test_missing_members_are_filled_the_same_way(issuer):
    checks = _checks(_verify(_filled_from_claims(issuer, {})))
    assert (checks["structure"].outcome, checks["proof"].outcome) == ("pass", "pass")


def test_a_member_that_contradicts_its_claim_still_fails(issuer):
    checks = _checks(_verify(_filled_from_claims(issuer, {"credentialSubject": {"id": "did:example:mallory", "name": "M"}})))
    assert (checks["proof"].outcome, checks["proof"].code) == ("fail", "claim_mismatch")
