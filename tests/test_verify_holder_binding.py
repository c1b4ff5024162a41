"""Holder binding through cnf: a credential bound to a key is accepted only from that key.

(Regression tests from verification review review; each fails on the code before its fix.)"""

from __future__ import annotations

import pytest

from tests.verify_helpers import Party, badge, presentation
from tests.verify_binding_helpers import _verify, holder, issuer  # noqa: F401 - fixtures


# --- 3: holder binding through cnf --------------------------------------------------------------

def _bound_vc(issuer: Party, bound_to: Party, cnf: dict | None = None) -> str:
    from lerwallet.keys.jwk import public_to_jwk
    from lerwallet.proofs.jose import sign_compact

    cnf = cnf if cnf is not None else {"jwk": public_to_jwk("ed25519", bound_to.public)}
    payload = {"iss": issuer.did, "sub": bound_to.did, "cnf": cnf, "vc": badge(issuer, subject=bound_to.did)}
    return sign_compact({"alg": "EdDSA", "typ": "JWT", "kid": issuer.vm}, payload, key_type="ed25519",
                        private_key=issuer.private)


def _enveloped(token: str) -> dict:
    """VC 2.0: a presentation carries a JWT credential as an EnvelopedVerifiableCredential, never a string."""
    return {"@context": "https://www.w3.org/ns/credentials/v2", "id": f"data:application/vc+jwt,{token}",
            "type": "EnvelopedVerifiableCredential"}


def _jwt_vp(signer: Party, creds: list) -> str:
    from lerwallet.proofs.jose import sign_jwt

    vp = {"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiablePresentation"],
          "holder": signer.did, "verifiableCredential": creds}
    return sign_jwt(vp, key_type="ed25519", private_key=signer.private, kid=signer.vm, style="vc11",
                    audience="jobs.example", nonce="abc")


@pytest.mark.parametrize("envelope", ["jwt", "ldp"])
def test_credential_bound_to_victim_key_presented_by_attacker_fails(issuer, envelope):
    victim, attacker = Party(), Party()
    vc = _bound_vc(issuer, victim)
    vp = _jwt_vp(attacker, [vc]) if envelope == "jwt" else presentation(attacker, [_enveloped(vc)], challenge="abc", domain="jobs.example")
    report = _verify(vp, challenge="abc", domain="jobs.example")
    check = report.credentials[0].check("holder.binding")
    assert check.outcome == "fail" and check.code == "holder_key_mismatch" and "bound to another key" in check.reason
    assert report.verdict == "invalid"


@pytest.mark.parametrize("envelope", ["jwt", "ldp"])
def test_credential_bound_to_presenter_key_passes(issuer, envelope):
    owner = Party()
    vc = _bound_vc(issuer, owner)
    vp = _jwt_vp(owner, [vc]) if envelope == "jwt" else presentation(owner, [_enveloped(vc)], challenge="abc", domain="jobs.example")
    report = _verify(vp, challenge="abc", domain="jobs.example")
    assert report.credentials[0].check("holder.binding").outcome == "pass" and report.verdict == "valid"


def test_cnf_kid_and_jkt(issuer):
    from lerwallet.keys.jwk import public_to_jwk, thumbprint

    owner, other = Party(), Party()
    for cnf, expected in (({"kid": owner.vm}, "pass"), ({"kid": other.vm}, "fail"),
                          ({"jkt": thumbprint(public_to_jwk("ed25519", owner.public))}, "pass"),
                          ({"jkt": thumbprint(public_to_jwk("ed25519", other.public))}, "fail"),
                          ({"jku": "https://keys.example/jwks"}, "unknown")):
        report = _verify(_jwt_vp(owner, [_bound_vc(issuer, owner, cnf)]), challenge="abc", domain="jobs.example")
        assert report.credentials[0].check("holder.binding").outcome == expected, cnf


def test_unbound_credential_keeps_subject_comparison(issuer, holder):
    other = Party()
    vp = presentation(other, [issuer.sign(badge(issuer, subject=holder.did))])
    report = _verify(vp)
    check = report.credentials[0].check("holder.binding")
    # issue #10: the subject is a DID the stranger's presentation does not prove control of
    assert check.outcome == "fail" and check.code == "holder_not_subject"
    assert report.verdict == "invalid"
