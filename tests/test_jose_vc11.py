"""VC Data Model 1.1 section 6.3.1 decoding rules and the DER-signature refusal (issue #10).

`iss`, `nbf`, `exp`, `jti`, `sub` set `issuer`, `issuanceDate`, `expirationDate`, `id`,
`credentialSubject.id`; a `vc` claim leaving them out or empty is filled from the claims, a
`vc` stating something else fails. ES256/ES384 signatures in ASN.1 DER instead of R||S are
refused with a message saying so.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from lerwallet import crypto
from lerwallet.keys.multibase import b64url_decode, b64url_encode
from lerwallet.proofs.jose import decode_compact, sign_compact, verify_jwt
from test_jose import NOW, Issuer

CLAIMS = {"sub": "did:example:ebfeb1f712ebc6f1c276e12ec21", "jti": "http://example.edu/credentials/3732",
          "nbf": 1541493724, "exp": 1573029723}


def _token(issuer: Issuer, vc: dict, **claims) -> str:
    payload = {"iss": issuer.did, **CLAIMS, **claims, "vc": vc}
    return sign_compact({"alg": "EdDSA", "typ": "JWT", "kid": issuer.kid}, payload, key_type="ed25519",
                        private_key=issuer.private)


def _vc(**members) -> dict:
    vc = {"@context": ["https://www.w3.org/2018/credentials/v1", "https://www.w3.org/2018/credentials/examples/v1"],
          "type": ["VerifiableCredential", "UniversityDegreeCredential"],
          "credentialSubject": {"degree": {"type": "BachelorDegree", "name": "Bachelor of Science and Arts"}}}
    vc.update(members)
    return {k: v for k, v in vc.items() if v is not ...}


EXPECTED = {"id": "http://example.edu/credentials/3732", "issuanceDate": "2018-11-06T08:42:04Z",
            "expirationDate": "2019-11-06T08:42:03Z"}


@pytest.mark.parametrize("members", [
    {},  # the VC 1.1 spec's own JWT example: no id, issuer, dates or subject id in the vc claim
    {"id": "", "issuer": "", "issuanceDate": "", "expirationDate": ""},
    {"id": None, "issuer": None, "issuanceDate": None, "expirationDate": None},
    {"issuer": {}},
    {"issuer": {"name": "Example University"}},
    {"credentialSubject": {"id": "", "degree": {"type": "BachelorDegree", "name": "Bachelor of Science and Arts"}}},
])
def test_missing_or_empty_members_are_filled_from_the_claims(members):
    issuer = Issuer()
    result = verify_jwt(_token(issuer, _vc(**members)), resolver=issuer.resolver(), now=NOW)
    assert result.proof.outcome == "pass", result.proof
    doc = result.document
    assert {k: doc[k] for k in EXPECTED} == EXPECTED
    issuer_value = doc["issuer"]["id"] if isinstance(doc["issuer"], dict) else doc["issuer"]
    assert issuer_value == issuer.did
    if isinstance(members.get("issuer"), dict) and members["issuer"]:
        assert doc["issuer"]["name"] == "Example University"
    assert doc["credentialSubject"]["id"] == CLAIMS["sub"]
    assert doc["credentialSubject"]["degree"]["name"] == "Bachelor of Science and Arts"
    assert result.warnings == []


@pytest.mark.parametrize("subject", [None, {}, []])
def test_missing_or_empty_subject_becomes_the_sub(subject):
    issuer = Issuer()
    vc = _vc()
    if subject is None:
        del vc["credentialSubject"]
    else:
        vc["credentialSubject"] = subject
    result = verify_jwt(_token(issuer, vc), resolver=issuer.resolver(), now=NOW)
    assert result.proof.outcome == "pass"
    assert result.document["credentialSubject"] == {"id": CLAIMS["sub"]}


def test_without_claims_nothing_is_invented():
    issuer = Issuer()
    payload = {"iss": issuer.did, "vc": _vc(issuanceDate="")}
    token = sign_compact({"alg": "EdDSA", "kid": issuer.kid}, payload, key_type="ed25519", private_key=issuer.private)
    result = verify_jwt(token, resolver=issuer.resolver(), now=NOW)
    assert result.proof.outcome == "pass"
    assert "issuanceDate" not in result.document and "id" not in result.document
    assert "id" not in result.document["credentialSubject"]


@pytest.mark.parametrize(("members", "claims"), [
    ({"id": "urn:uuid:another"}, {}),
    ({"issuer": "did:example:another"}, {}),
    ({"issuer": {"id": "did:example:another"}}, {}),
    ({"credentialSubject": {"id": "did:example:another"}}, {}),
])
def test_a_member_that_says_something_else_fails(members, claims):
    issuer = Issuer()
    result = verify_jwt(_token(issuer, _vc(**members), **claims), resolver=issuer.resolver(), now=NOW)
    assert (result.proof.outcome, result.proof.code) == ("fail", "claim_mismatch")


@pytest.mark.parametrize("claim", ["jti", "sub", "iss"])
def test_an_empty_registered_claim_is_malformed(claim):
    issuer = Issuer()
    token = _token(issuer, _vc(), **{claim: ""})
    result = verify_jwt(token, resolver=issuer.resolver(), now=NOW)
    assert (result.proof.outcome, result.proof.code) == ("fail", "malformed_proof")


def _der(raw: bytes) -> bytes:
    half = len(raw) // 2

    def integer(b: bytes) -> bytes:
        b = b.lstrip(b"\0") or b"\0"
        if b[0] & 0x80:
            b = b"\0" + b
        return bytes([0x02, len(b)]) + b

    body = integer(raw[:half]) + integer(raw[half:])
    length = bytes([len(body)]) if len(body) < 0x80 else bytes([0x81, len(body)])
    return b"\x30" + length + body


@pytest.mark.parametrize(("key_type", "alg", "raw_size"), [("p256", "ES256", 64), ("p384", "ES384", 96)])
def test_der_encoded_ecdsa_signature_is_refused_by_name(key_type, alg, raw_size):
    issuer = Issuer(key_type)
    token = issuer.sign(issuer.credential(), style="vc11")
    head, body, sig = token.split(".")
    raw = b64url_decode(sig)
    assert len(raw) == raw_size and verify_jwt(token, resolver=issuer.resolver(), now=NOW).proof.outcome == "pass"
    der = _der(raw)
    result = verify_jwt(f"{head}.{body}.{b64url_encode(der)}", resolver=issuer.resolver(), now=NOW)
    assert (result.proof.outcome, result.proof.code) == ("fail", "malformed_proof_value")
    assert f"{alg} signature is DER-encoded" in result.proof.reason and "raw R||S" in result.proof.reason
    assert f"({raw_size} bytes" in result.proof.reason
    # a wrong-length signature that is not DER is an ordinary bad signature
    other = verify_jwt(f"{head}.{body}.{b64url_encode(raw[:-1])}", resolver=issuer.resolver(), now=NOW)
    assert (other.proof.outcome, other.proof.code) == ("fail", "invalid_signature")
