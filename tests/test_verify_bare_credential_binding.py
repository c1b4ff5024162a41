"""--challenge/--domain on a bare credential (no presentation to answer them).

(Regression tests from verification review review; each fails on the code before its fix.)"""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone

import pytest

from lerwallet.proofs import sign
from lerwallet.verify import Options, verify_bytes, verify_inputs
from tests.verify_helpers import Party, badge, presentation, write

AT = datetime(2026, 11, 28, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def issuer():
    return Party()


@pytest.fixture(scope="module")
def holder():
    return Party()


def _verify(doc, **opts) -> "object":
    data = doc.encode() if isinstance(doc, str) else json.dumps(doc).encode()
    [report] = verify_bytes(data, Options(at=AT, **opts))
    return report


def _signed_with_vm(party: Party, doc: dict, vm: str) -> dict:
    return sign(copy.deepcopy(doc), suite="eddsa-rdfc-2022", key_type="ed25519", private_key=party.private,
                verification_method=vm)


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
