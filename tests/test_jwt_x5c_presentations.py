"""Presentations (VC 1.1 VP-JWT and VC-JOSE-COSE `vp+jwt`) that carry a VC-JWT whose issuer is
identified by an x5c certificate chain (issue #10): the credential inside is judged by the same
x5c rule as on its own (no anchor: inconclusive, never verified; another anchor, a tampered
credential: failed), and the holder binding still applies to it.

Certificates are made here (tests/x5c_helpers.py); the holder is a did:key made here too.
"""

from __future__ import annotations

import base64
import json

import pytest
from cryptography import x509

from lerwallet.proofs.jose import sign_compact, sign_jwt
from lerwallet.verify import Options, verify_bytes
from lerwallet.verify.report import exit_code
from tests import x5c_helpers
from tests.verify_helpers import Party
from tests.x5c_helpers import NOW

ISS = "https://registrar.example.edu"
V1 = "https://www.w3.org/2018/credentials/v1"
V2 = "https://www.w3.org/ns/credentials/v2"
NBF = 1767225600  # 2026-01-01T00:00:00Z


@pytest.fixture(scope="module")
def pki():
    return x5c_helpers.Pki(san=[x509.UniformResourceIdentifier(ISS)], leaf_cn="Registrar")


@pytest.fixture(scope="module")
def ada():
    return Party()


def _credential(pki, style, subject, *, exp=None, private=None):
    """A VC-JWT for `subject`, signed by the x5c leaf: VC 1.1 (`vc` claim) or `vc+jwt`."""
    if style == "vc11":
        payload = {"iss": ISS, "sub": subject, "nbf": NBF, "iat": NBF,
                   "vc": {"@context": [V1], "type": ["VerifiableCredential"], "credentialSubject": {}}}
        if exp is not None:
            payload["exp"] = exp
        header = {"typ": "JWT"}
    else:
        payload = {"@context": [V2], "type": ["VerifiableCredential"], "issuer": ISS,
                   "validFrom": "2026-01-01T00:00:00Z", "credentialSubject": {"id": subject, "name": "Ada Lovelace"}}
        header = {"typ": "vc+jwt", "cty": "vc"}
    header["x5c"] = pki.x5c()
    return sign_compact(header, payload, key_type=pki.key_type, private_key=private or pki.leaf_private)


def _presentation(holder, credential_jwt, style):
    """`holder` presents the VC-JWT: a VC 1.1 VP-JWT (the JWT itself in verifiableCredential) or
    a `vp+jwt` with an EnvelopedVerifiableCredential (VC 2.0, VC-JOSE-COSE)."""
    if style == "vc11":
        vp = {"@context": [V1], "type": ["VerifiablePresentation"], "holder": holder.did,
              "verifiableCredential": [credential_jwt]}
    else:
        vp = {"@context": [V2], "type": ["VerifiablePresentation"], "holder": holder.did,
              "verifiableCredential": [{"@context": [V2], "type": "EnvelopedVerifiableCredential",
                                        "id": "data:application/vc+jwt," + credential_jwt}]}
    return sign_jwt(vp, key_type="ed25519", private_key=holder.private, kid=holder.vm, style=style,
                    audience="jobs.example", nonce="n-42", unsafe_unchecked=True)


def _verify(token, anchors):
    [report] = verify_bytes(token.encode(), Options(at=NOW, challenge="n-42", domain="jobs.example",
                                                    trust_anchors=anchors))
    assert report.kind == "presentation"
    [credential] = report.credentials
    return report, credential


def _presentation_check(report, check_id):
    return next(c for c in report.presentation_checks if c.id == check_id)


def _tamper(token):
    head, body, sig = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    if "vc" in claims:
        claims["vc"]["credentialSubject"] = {"degree": "PhD"}
    else:
        claims["credentialSubject"]["name"] = "Mallory"
    return f"{head}.{base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b'=').decode()}.{sig}"


STYLES = ["vc11", "jose-cose"]


@pytest.mark.parametrize("style", STYLES)
def test_credential_in_a_presentation_verifies_with_the_anchor(pki, ada, style):
    report, cred = _verify(_presentation(ada, _credential(pki, style, ada.did), style), [pki.anchor_der()])
    proof = cred.check("proof")
    assert (proof.outcome, proof.code) == ("pass", ""), proof.reason
    assert "x5c:CN=Registrar" in json.dumps(proof.details)
    assert cred.check("holder.binding").outcome == "pass"
    assert _presentation_check(report, "presentation.proof").outcome == "pass"
    assert (report.verdict, exit_code(report.verdict)) == ("valid", 0)


@pytest.mark.parametrize("style", STYLES)
def test_without_an_anchor_the_credential_is_inconclusive_never_verified(pki, ada, style):
    report, cred = _verify(_presentation(ada, _credential(pki, style, ada.did), style), [])
    proof = cred.check("proof")
    assert (proof.outcome, proof.code) == ("unknown", "untrusted_certificate_chain")
    assert "--trust-anchor" in proof.reason
    assert _presentation_check(report, "presentation.proof").outcome == "pass"  # the holder's own proof is fine
    assert (report.verdict, exit_code(report.verdict)) == ("inconclusive", 4)
    # What the registered claims say is still read (VC 1.1 section 6.3.1), though not yet vouched for.
    assert cred.summary["issuer_id"] == ISS
    assert cred.check("valid-from").reason == "valid since 2026-01-01T00:00:00Z"


def test_an_expired_vc11_jwt_says_expired_even_before_its_chain_is_trusted(pki, ada):
    token = _presentation(ada, _credential(pki, "vc11", ada.did, exp=NBF + 86400), "vc11")
    report, cred = _verify(token, [])
    assert cred.check("expiration").outcome == "fail"
    assert cred.check("proof").code == "untrusted_certificate_chain"
    assert report.verdict == "invalid"


@pytest.mark.parametrize("style", STYLES)
def test_another_anchor_fails_the_credential(pki, ada, style):
    other = x5c_helpers.Pki(san=[x509.UniformResourceIdentifier(ISS)], leaf_cn="Registrar")
    report, cred = _verify(_presentation(ada, _credential(pki, style, ada.did), style), [other.anchor_der()])
    assert (cred.check("proof").outcome, cred.check("proof").code) == ("fail", "certificate_chain_invalid")
    assert (report.verdict, exit_code(report.verdict)) == ("invalid", 1)


@pytest.mark.parametrize("style", STYLES)
def test_a_tampered_credential_in_a_freshly_signed_presentation_fails(pki, ada, style):
    # The holder signs the presentation over the altered credential: her proof is valid, the
    # issuer's signature is not.
    token = _presentation(ada, _tamper(_credential(pki, style, ada.did)), style)
    report, cred = _verify(token, [pki.anchor_der()])
    assert _presentation_check(report, "presentation.proof").outcome == "pass"
    assert (cred.check("proof").outcome, cred.check("proof").code) == ("fail", "invalid_signature")
    assert (report.verdict, exit_code(report.verdict)) == ("invalid", 1)


@pytest.mark.parametrize("style", STYLES)
def test_a_stranger_presenting_adas_x5c_credential_fails_holder_binding(pki, ada, style):
    stranger = Party()
    report, cred = _verify(_presentation(stranger, _credential(pki, style, ada.did), style), [pki.anchor_der()])
    assert cred.check("proof").outcome == "pass"
    assert cred.check("holder.binding").outcome == "fail"
    assert (report.verdict, exit_code(report.verdict)) == ("invalid", 1)
