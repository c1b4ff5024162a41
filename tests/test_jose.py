"""VC-JWT (VC 1.1 `vc` claim) and vc+jwt (VC-JOSE-COSE): sign, verify, and must-reject cases."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from lerwallet import crypto
from lerwallet.keys import Resolver, did_jwk_from_public, did_key_from_public, did_web_document
from lerwallet.keys.multibase import b64url_decode, b64url_encode
from lerwallet.formats.jwt import sniff
from lerwallet.proofs.jose import decode_compact, sign_compact, sign_jwt, verify_jwt

VECTORS = Path(__file__).parent / "vectors" / "jose"
NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


class Issuer:
    def __init__(self, key_type="ed25519", method="key"):
        self.key_type = key_type
        self.private = crypto.generate_private_key(key_type)
        self.public = crypto.public_key_of(key_type, self.private)
        self.documents = {}
        if method == "key":
            self.did = did_key_from_public(key_type, self.public)
            self.kid = f"{self.did}#{self.did[8:]}"
        elif method == "jwk":
            self.did = did_jwk_from_public(key_type, self.public)
            self.kid = self.did + "#0"
        else:
            self.did = "did:web:issuer.example"
            doc = did_web_document(self.did, [(key_type, self.public)])
            self.kid = doc["verificationMethod"][0]["id"]
            self.documents[self.did] = doc

    def resolver(self):
        return Resolver(documents=self.documents)

    def credential(self, **extra):
        doc = {
            "@context": ["https://www.w3.org/2018/credentials/v1"],
            "id": "urn:uuid:6a1f2c1e-0000-4000-8000-000000000001",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": self.did, "name": "Example University"},
            "issuanceDate": "2025-06-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:learner", "name": "Ada"},
        }
        doc.update(extra)
        return doc

    def sign(self, doc, **kwargs):
        kwargs.setdefault("unsafe_unchecked", True)  # forgers sign too; the signer's own checks: test_prepare.py
        return sign_jwt(doc, key_type=self.key_type, private_key=self.private, kid=kwargs.pop("kid", self.kid),
                        **kwargs)


def _reencode(token, header=None, payload=None, signature=None):
    h, p, s = token.split(".")
    if header is not None:
        h = b64url_encode(json.dumps(header).encode())
    if payload is not None:
        p = b64url_encode(json.dumps(payload).encode())
    return ".".join((h, p, s if signature is None else signature))


@pytest.mark.parametrize("key_type", ["ed25519", "p256", "p384"])
@pytest.mark.parametrize("method", ["key", "jwk", "web"])
@pytest.mark.parametrize("style", ["vc11", "jose-cose"])
def test_sign_and_verify(key_type, method, style):
    issuer = Issuer(key_type, method)
    doc = issuer.credential()
    token = issuer.sign(doc, style=style)
    assert sniff(token.encode())
    result = verify_jwt(token, resolver=issuer.resolver(), now=NOW)
    assert result.proof.outcome == "pass", result.proof
    assert result.proof.controller == issuer.did and result.proof.verification_method == issuer.kid
    assert result.kind == "credential" and result.style == style
    assert result.document == doc
    header = decode_compact(token)[0]
    assert header["alg"] == {"ed25519": "EdDSA", "p256": "ES256", "p384": "ES384"}[key_type]
    if style == "vc11":
        assert result.payload["jti"] == doc["id"] and result.payload["sub"] == "did:example:learner"
        assert result.payload["nbf"] == int(datetime(2025, 6, 1, tzinfo=timezone.utc).timestamp())
    else:
        assert header["typ"] == "vc+jwt" and result.payload == doc


def test_vc11_claims_fill_in_missing_properties():
    issuer = Issuer()
    payload = {"iss": issuer.did, "sub": "did:example:learner", "jti": "urn:uuid:1", "nbf": 1748736000,
               "exp": 1893456000,
               "vc": {"@context": ["https://www.w3.org/2018/credentials/v1"],
                      "type": ["VerifiableCredential"], "credentialSubject": {"name": "Ada"}}}
    token = sign_compact({"alg": "EdDSA", "kid": issuer.kid}, payload, key_type="ed25519", private_key=issuer.private)
    result = verify_jwt(token, resolver=issuer.resolver(), now=NOW)
    assert result.proof.outcome == "pass"
    assert result.document["id"] == "urn:uuid:1"
    assert result.document["issuer"] == issuer.did
    assert result.document["credentialSubject"] == {"name": "Ada", "id": "did:example:learner"}
    assert result.document["issuanceDate"] == "2025-06-01T00:00:00Z"
    assert result.document["expirationDate"] == "2030-01-01T00:00:00Z"


@pytest.mark.parametrize(
    "claim, value, code",
    [("jti", "urn:uuid:other", "claim_mismatch"), ("iss", "did:example:someone-else", "claim_mismatch"),
     ("sub", "did:example:other-learner", "claim_mismatch"), ("nbf", "yesterday", "malformed_proof")],
)
def test_vc11_claim_mismatches_fail(claim, value, code):
    issuer = Issuer()
    token = issuer.sign(issuer.credential(), style="vc11")
    _, payload, _, _ = decode_compact(token)
    payload[claim] = value
    token = sign_compact({"alg": "EdDSA", "kid": issuer.kid}, payload, key_type="ed25519", private_key=issuer.private)
    result = verify_jwt(token, resolver=issuer.resolver(), now=NOW)
    assert (result.proof.outcome, result.proof.code) == ("fail", code)


def test_expired_is_surfaced_not_judged():
    issuer = Issuer()
    token = issuer.sign(issuer.credential(expirationDate="2025-12-01T00:00:00Z"), style="vc11")
    result = verify_jwt(token, resolver=issuer.resolver(), now=NOW)
    assert result.proof.outcome == "pass"
    assert result.expired and result.expires == datetime(2025, 12, 1, tzinfo=timezone.utc)
    assert not verify_jwt(token, resolver=issuer.resolver(), now=datetime(2025, 7, 1, tzinfo=timezone.utc)).expired


def test_alg_none_is_rejected():
    issuer = Issuer()
    token = issuer.sign(issuer.credential())
    header = {"alg": "none", "typ": "vc+jwt", "kid": issuer.kid}
    result = verify_jwt(_reencode(token, header=header, signature=""), resolver=issuer.resolver())
    assert (result.proof.outcome, result.proof.code) == ("fail", "unsupported_algorithm")
    assert "none" in result.proof.reason


@pytest.mark.parametrize("alg", ["ES256", "ES384", "RS256", "HS256"])
def test_algorithm_key_mismatch(alg):
    issuer = Issuer("ed25519")
    token = issuer.sign(issuer.credential())
    header = dict(decode_compact(token)[0], alg=alg)
    result = verify_jwt(_reencode(token, header=header), resolver=issuer.resolver())
    assert result.proof.outcome == "fail"
    assert result.proof.code == ("unsupported_algorithm" if alg == "HS256" else "key_type_mismatch")


def test_bad_signature_and_tampered_payload():
    issuer = Issuer("p256")
    token = issuer.sign(issuer.credential())
    h, p, s = token.split(".")
    sig = bytearray(b64url_decode(s))
    sig[5] ^= 1
    assert verify_jwt(f"{h}.{p}.{b64url_encode(bytes(sig))}", resolver=issuer.resolver()).proof.code == "invalid_signature"
    payload = dict(decode_compact(token)[1], name="Forged")
    assert verify_jwt(_reencode(token, payload=payload), resolver=issuer.resolver()).proof.code == "invalid_signature"


def test_non_json_numbers_in_a_token_are_malformed():
    """NaN / Infinity are not JSON (JSON.parse rejects them): a signed payload holding one is refused."""
    issuer = Issuer("ed25519")
    header = {"alg": "EdDSA", "typ": "vc+jwt", "kid": issuer.kid}
    body = json.dumps(issuer.credential()).replace('"VerifiableCredential"', '"VerifiableCredential"], "n": [NaN', 1)
    token = sign_compact(header, json.loads(body), key_type="ed25519", private_key=issuer.private)
    assert "NaN" in b64url_decode(token.split(".")[1]).decode()
    result = verify_jwt(token, resolver=issuer.resolver())
    assert result.proof.outcome == "fail" and result.proof.code == "malformed_proof"


@pytest.mark.parametrize("token", ["", "abc", "a.b", "a.b.c.d", "eyJhbGciOiJFZERTQSJ9.e30=.AA", "!!.e30.AA",
                                   "eyJhbGciOiJFZERTQSJ9.bm90IGpzb24.AA", "WzFd.e30.AA", None, 42])
def test_garbage_never_raises(token):
    result = verify_jwt(token, resolver=Resolver())
    assert result.proof.outcome == "fail" and result.proof.code in ("malformed_proof", "malformed_proof_value")


def test_signed_by_another_did_is_controller_mismatch():
    issuer, impostor = Issuer(), Issuer()
    token = impostor.sign(issuer.credential(), style="jose-cose")
    result = verify_jwt(token, resolver=Resolver())
    assert (result.proof.outcome, result.proof.code) == ("fail", "controller_mismatch")


def test_relative_kid_resolves_against_iss_and_unauthorized_key_fails():
    issuer = Issuer(method="web")
    fragment = "#" + issuer.kid.split("#", 1)[1]
    token = issuer.sign(issuer.credential(), style="vc11", kid=fragment)
    assert verify_jwt(token, resolver=issuer.resolver()).proof.outcome == "pass"
    doc = dict(issuer.documents[issuer.did])
    doc["assertionMethod"] = []
    result = verify_jwt(token, resolver=Resolver(documents={issuer.did: doc}))
    assert result.proof.code == "verification_method_not_authorized"


def test_did_web_offline_is_unknown():
    issuer = Issuer(method="web")
    result = verify_jwt(issuer.sign(issuer.credential()), resolver=Resolver())
    assert (result.proof.outcome, result.proof.code) == ("unknown", "offline")


def test_presentation_audience_and_nonce():
    holder, issuer = Issuer("p256"), Issuer()
    vc_jwt = issuer.sign(issuer.credential(credentialSubject={"id": holder.did}))
    vp = {"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiablePresentation"],
          "holder": holder.did, "verifiableCredential": [vc_jwt]}
    for style in ("vc11", "jose-cose"):
        token = holder.sign(vp, style=style, audience="https://employer.example", nonce="n-123")
        ok = verify_jwt(token, resolver=Resolver(), audience="https://employer.example", nonce="n-123")
        assert ok.proof.outcome == "pass" and ok.kind == "presentation" and ok.proof.purpose == "authentication"
        assert ok.document["verifiableCredential"] == [vc_jwt]
        assert verify_jwt(token, resolver=Resolver(), audience="https://other.example").proof.code == "domain_mismatch"
        assert verify_jwt(token, resolver=Resolver(), nonce="replayed").proof.code == "challenge_mismatch"


def test_crit_header_is_refused():
    issuer = Issuer()
    token = sign_compact({"alg": "EdDSA", "kid": issuer.kid, "typ": "vc+jwt", "crit": ["exp"], "exp": 1},
                         issuer.credential(), key_type="ed25519", private_key=issuer.private)
    assert verify_jwt(token, resolver=Resolver()).proof.code == "malformed_proof"


# --- published tokens --------------------------------------------------------------------------------


def test_1edtech_clr_simple_jwt_header_key_is_not_bound():
    token = (VECTORS / "clr20-simple.jwt").read_text()
    result = verify_jwt(token, resolver=Resolver())
    assert result.kind == "credential" and result.style == "vc11"
    assert result.document["id"] == "http://example.edu/credentials/3732"
    assert result.document["type"] == ["VerifiableCredential", "ClrCredential"]
    # RS256 signature verifies with the embedded jwk, but that key is not tied to the issuer
    assert (result.proof.outcome, result.proof.code) == ("unknown", "header_key_unbound")
    assert "header" in result.proof.reason
    h, p, s = token.strip().split(".")
    tampered = _reencode(token, payload=dict(result.payload, iss=result.payload["iss"]) | {"nbf": 1})
    assert verify_jwt(tampered, resolver=Resolver()).proof.code == "invalid_signature"


def test_1edtech_ob30_simple_and_velocity_jwts():
    simple = verify_jwt((VECTORS / "ob30-simple.jwt").read_text(), resolver=Resolver())
    assert simple.kind == "credential" and simple.proof.outcome == "unknown"
    velocity = verify_jwt((VECTORS / "ob30-velocity.jwt").read_text(), resolver=Resolver())
    assert (velocity.proof.outcome, velocity.proof.code) == ("unknown", "unsupported_method")
    assert velocity.warnings == []  # sub-second issuanceDate equals whole-second nbf


def test_the_one_jwt_sniffer():
    """formats.jwt.sniff is the only place that decides "this is a compact JWS" (issue 9)."""
    assert sniff((VECTORS / "clr20-simple.jwt").read_bytes())
    assert not sniff(b"a.b.c") and not sniff(b"{}") and not sniff(b"\xff")
    issuer = Issuer()
    assert not sniff((issuer.sign(issuer.credential()) + "~").encode())
