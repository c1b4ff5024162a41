"""--challenge/--domain on a bare credential (no presentation to answer them).

(Regression tests from verification review review; each fails on the code before its fix.)"""

from __future__ import annotations

import pytest

from tests.verify_helpers import badge, presentation
from tests.verify_binding_helpers import _verify, holder, issuer  # noqa: F401 - fixtures


# --- 4: --challenge / --domain on a bare credential -------------------------------------------

@pytest.mark.parametrize("flags", [{"challenge": "abc"}, {"domain": "jobs.example"}, {"challenge": "abc", "domain": "jobs.example"}])
def test_challenge_or_domain_on_bare_credential_fails(issuer, holder, flags):
    report = _verify(issuer.sign(badge(issuer, subject=holder.did)), **flags)
    cred = report.credentials[0]
    for name in ("challenge", "domain"):
        check = cred.check(f"presentation.{name}")
        if name in flags:
            assert check.outcome == "fail" and check.code == "presentation_expected"
            assert "signed presentation" in check.reason and "was expected" in check.reason
        else:
            assert check is None
    assert report.verdict == "invalid"


def test_challenge_on_bare_vc_jwt_fails(issuer):
    from lerwallet.proofs.jose import sign_jwt

    token = sign_jwt(badge(issuer), key_type="ed25519", private_key=issuer.private, kid=issuer.vm)
    assert _verify(token).verdict == "valid"
    report = _verify(token, challenge="abc")
    assert report.credentials[0].check("presentation.challenge").outcome == "fail" and report.verdict == "invalid"


def test_challenge_on_presentation_still_checked_there(issuer, holder):
    vp = presentation(holder, [issuer.sign(badge(issuer, subject=holder.did))], challenge="abc", domain="jobs.example")
    report = _verify(vp, challenge="abc", domain="jobs.example")
    assert report.verdict == "valid"
    assert report.credentials[0].check("presentation.challenge") is None
