"""SD-JWT both ways with the reference implementation (PyPI `sd-jwt`, openwallet-foundation-labs/sd-jwt-python).

The reference verifier checks key binding JWTs with ES256 only, so the holder keys here are P-256.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from lerwallet import crypto
from lerwallet.keys.jwk import public_to_jwk
from lerwallet.keys.multibase import b64url_encode
from lerwallet.present.disclose import disclose_sd_jwt
from lerwallet.proofs.sdjwt import create_sd_jwt, verify_sd_jwt

sd_jwt = pytest.importorskip("sd_jwt", reason="the sd-jwt reference package is in the test extra")
from jwcrypto.jwk import JWK  # noqa: E402  (an sd-jwt dependency)
from sd_jwt.common import SDObj  # noqa: E402
from sd_jwt.holder import SDJWTHolder  # noqa: E402
from sd_jwt.issuer import SDJWTIssuer  # noqa: E402
from sd_jwt.verifier import SDJWTVerifier  # noqa: E402

AUD, NONCE = "https://jobs.example", "XZOUco1u_gEPknxS78sWWg"


def keypair():
    private = crypto.generate_private_key("p256")
    public_jwk = public_to_jwk("p256", crypto.public_key_of("p256", private))
    return private, public_jwk, JWK(**public_jwk, d=b64url_encode(private))


ISSUER, ISSUER_PUBLIC, ISSUER_JWCRYPTO = keypair()
HOLDER, HOLDER_PUBLIC, HOLDER_JWCRYPTO = keypair()
CLAIMS = {"iss": "https://uni.example", "iat": int(datetime.now(timezone.utc).timestamp()),
          "vct": "https://credentials.example/degree", "given_name": "Ada", "family_name": "Lovelace",
          "degree": {"type": "MSc", "grade": "distinction"}, "nationalities": ["GB", "FR"]}


def reference_verify(presentation, aud=AUD, nonce=NONCE):
    return SDJWTVerifier(presentation, lambda iss, header: ISSUER_JWCRYPTO, expected_aud=aud,
                         expected_nonce=nonce).get_verified_payload()


def test_our_sd_jwt_presentation_verifies_in_the_reference():
    issued = create_sd_jwt(CLAIMS, ["/given_name", "/family_name", "/degree/grade", "/nationalities/1"],
                           key_type="p256", private_key=ISSUER, holder_jwk=HOLDER_PUBLIC)
    presented, _ = disclose_sd_jwt(issued, ["/family_name", "/nationalities/1"], holder_key=("p256", HOLDER),
                                   audience=AUD, nonce=NONCE)
    payload = reference_verify(presented)
    assert payload["family_name"] == "Lovelace" and payload["nationalities"] == ["GB", "FR"]
    assert "given_name" not in payload and payload["degree"] == {"type": "MSc"}
    with pytest.raises(Exception):  # wrong nonce: the reference refuses the key binding
        reference_verify(presented, nonce="other")


def test_reference_presentation_verifies_here():
    claims = {k: v for k, v in CLAIMS.items() if k not in ("given_name", "family_name", "degree")}
    claims.update({SDObj("given_name"): "Ada", SDObj("family_name"): "Lovelace",
                   "degree": {"type": "MSc", SDObj("grade"): "distinction"}})
    issuer = SDJWTIssuer(claims, ISSUER_JWCRYPTO, HOLDER_JWCRYPTO, extra_header_parameters={"typ": "dc+sd-jwt"})
    holder = SDJWTHolder(issuer.sd_jwt_issuance)
    holder.create_presentation({"given_name": True, "degree": {"grade": True}}, NONCE, AUD, HOLDER_JWCRYPTO)
    result = verify_sd_jwt(holder.sd_jwt_presentation, issuer_jwk=ISSUER_PUBLIC, audience=AUD, nonce=NONCE)
    assert result.proof.outcome == "pass" and result.key_binding.outcome == "pass"
    assert result.document["given_name"] == "Ada" and "family_name" not in result.document
    assert result.document["degree"] == {"type": "MSc", "grade": "distinction"}
    tampered = verify_sd_jwt(holder.sd_jwt_presentation, issuer_jwk=ISSUER_PUBLIC, audience=AUD, nonce="replayed")
    assert tampered.proof.code == "challenge_mismatch"


def test_reference_issued_sd_jwt_presented_by_lerwallet_verifies_in_the_reference():
    claims = {k: v for k, v in CLAIMS.items() if k not in ("given_name", "family_name")}
    claims.update({SDObj("given_name"): "Ada", SDObj("family_name"): "Lovelace"})
    issued = SDJWTIssuer(claims, ISSUER_JWCRYPTO, HOLDER_JWCRYPTO, extra_header_parameters={"typ": "dc+sd-jwt"}).sd_jwt_issuance
    presented, plan = disclose_sd_jwt(issued, ["/given_name"], holder_key=("p256", HOLDER), audience=AUD, nonce=NONCE)
    assert plan.withheld == ["/family_name"]
    payload = reference_verify(presented)
    assert payload["given_name"] == "Ada" and "family_name" not in payload
    assert json.loads(json.dumps(payload))["vct"] == CLAIMS["vct"]
