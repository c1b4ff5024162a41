"""SD-JWT issuer binding for https issuers; cnf without a key binding JWT.

(Regression tests from verification review review; each fails on the code before its fix.)"""

from __future__ import annotations

import json

from tests.verify_helpers import Party
from tests.verify_binding_helpers import AT, _verify, holder, issuer  # noqa: F401 - fixtures


# --- 10: SD-JWT issuer binding for https issuers; cnf without key binding -----------------------

HTTPS_ISS = "https://university.example/tenant"


def _sd(signer: Party, *, iss=HTTPS_ISS, kid=None, holder: Party | None = None) -> str:
    from lerwallet.proofs.sdjwt import create_sd_jwt, holder_jwk_for

    claims = {"iss": iss, "vct": "https://credentials.example/degree", "iat": 1748736000, "degree": "BSc"}
    return create_sd_jwt(claims, ["/degree"], key_type="ed25519", private_key=signer.private, kid=kid or signer.vm,
                         holder_jwk=holder_jwk_for("ed25519", holder.private) if holder else None)


def _metadata_server(iss: str, keys: list[dict], *, issuer: str | None = None):
    from lerwallet.proofs.sdjwt import metadata_url

    served = {metadata_url(iss): json.dumps({"issuer": issuer or iss, "jwks": {"keys": keys}}).encode()}
    asked = []

    def fetch(url: str) -> bytes:  # stands in for lerwallet.net.fetch_https: same contract
        asked.append(url)
        if url not in served:
            raise OSError(f"404 {url}")
        return served[url]

    return fetch, asked


def test_https_iss_with_foreign_did_kid_fails_in_the_library():
    from lerwallet.keys.jwk import public_to_jwk
    from lerwallet.keys.resolver import Resolver
    from lerwallet.proofs.sdjwt import verify_sd_jwt

    attacker = Party()
    token = _sd(attacker)
    result = verify_sd_jwt(token, resolver=Resolver())
    assert (result.proof.outcome, result.proof.code) == ("fail", "controller_mismatch")
    vouched = verify_sd_jwt(token, resolver=Resolver(), issuer_jwk=public_to_jwk("ed25519", attacker.public))
    assert vouched.proof.outcome == "pass"  # the caller vouched for the key


def test_https_iss_key_from_issuer_metadata():
    from lerwallet.keys.jwk import public_to_jwk
    from lerwallet.keys.resolver import Resolver
    from lerwallet.proofs.sdjwt import metadata_url, verify_sd_jwt

    assert metadata_url(HTTPS_ISS) == "https://university.example/.well-known/jwt-vc-issuer/tenant"
    issuer, attacker = Party(), Party()
    token = _sd(issuer, kid="key-1")
    jwk = dict(public_to_jwk("ed25519", issuer.public), kid="key-1")
    fetch, asked = _metadata_server(HTTPS_ISS, [jwk])
    assert verify_sd_jwt(token, resolver=Resolver(), fetch=fetch).proof.outcome == "pass" and len(asked) == 1
    offline = verify_sd_jwt(token, resolver=Resolver())
    assert offline.proof.outcome == "unknown" and "--online" in offline.proof.reason
    forged = _sd(attacker, kid="key-1")
    assert verify_sd_jwt(forged, resolver=Resolver(), fetch=fetch).proof.code == "invalid_signature"
    wrong_issuer, _ = _metadata_server(HTTPS_ISS, [jwk], issuer="https://other.example")
    assert verify_sd_jwt(token, resolver=Resolver(), fetch=wrong_issuer).proof.code == "controller_mismatch"
    no_key, _ = _metadata_server(HTTPS_ISS, [dict(jwk, kid="key-2")])
    assert verify_sd_jwt(token, resolver=Resolver(), fetch=no_key).proof.outcome == "fail"
    down = verify_sd_jwt(token, resolver=Resolver(), fetch=lambda url: (_ for _ in ()).throw(OSError("unreachable")))
    assert down.proof.outcome == "unknown"


def test_https_iss_verified_online_through_the_pipeline():
    from lerwallet.keys.jwk import public_to_jwk

    issuer = Party()
    fetch, _ = _metadata_server(HTTPS_ISS, [dict(public_to_jwk("ed25519", issuer.public), kid="k")])
    report = _verify(_sd(issuer, kid="k"), online=True, fetch=fetch)
    assert report.credentials[0].check("proof").outcome == "pass"


def test_standalone_sd_jwt_with_cnf_and_no_key_binding_warns(holder):
    from lerwallet.proofs.sdjwt import present

    issuer = Party()
    token = _sd(issuer, iss=issuer.did, holder=holder)
    check = _verify(token).credentials[0].check("holder.binding")
    assert (check.outcome, check.code) == ("warn", "holder_binding_not_proven")
    shown = present(token, ["/degree"], holder_key=("ed25519", holder.private), aud="jobs.example", nonce="abc", now=AT)
    bound = _verify(shown, challenge="abc", domain="jobs.example").credentials[0]
    assert bound.check("holder.binding").outcome == "pass" and bound.verdict == "valid"
    unbound = _verify(_sd(issuer, iss=issuer.did)).credentials[0]
    assert unbound.check("holder.binding") is None
