"""JWT nbf/exp and the document's validity dates must all hold.

(Regression tests from verification review review; each fails on the code before its fix.)"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tests.verify_helpers import Party, badge
from tests.verify_binding_helpers import _verify, holder, issuer  # noqa: F401 - fixtures


# --- 6: JWT nbf/exp and the document dates must all hold ------------------------------------

def _vc_jwt(issuer: Party, claims: dict, **doc_dates) -> str:
    from lerwallet.proofs.jose import sign_compact

    doc = badge(issuer, **doc_dates)
    return sign_compact({"alg": "EdDSA", "typ": "vc+jwt", "cty": "vc", "kid": issuer.vm}, dict(doc, **claims),
                        key_type="ed25519", private_key=issuer.private)


PAST, FUTURE = int(datetime(2025, 6, 1, tzinfo=timezone.utc).timestamp()), int(datetime(2027, 6, 1, tzinfo=timezone.utc).timestamp())


@pytest.mark.parametrize("claims,dates,failing", [
    ({"exp": PAST}, {"validUntil": "2030-01-01T00:00:00Z"}, "expiration"),
    ({"nbf": FUTURE}, {}, "valid-from"),  # the badge has validFrom 2024
    ({"exp": FUTURE}, {"validUntil": "2025-01-01T00:00:00Z"}, "expiration"),
    ({"nbf": PAST}, {"validFrom": "2027-01-01T00:00:00Z"}, "valid-from"),
])
def test_jwt_claims_and_document_dates_both_bind(issuer, claims, dates, failing):
    cred = _verify(_vc_jwt(issuer, claims, **dates)).credentials[0]
    assert cred.check("proof").outcome == "pass"
    assert cred.check(failing).outcome == "fail" and cred.verdict == "invalid"


def test_jwt_within_both_windows_is_valid(issuer):
    cred = _verify(_vc_jwt(issuer, {"nbf": PAST, "exp": FUTURE}, validUntil="2030-01-01T00:00:00Z")).credentials[0]
    assert cred.check("valid-from").outcome == "pass" and cred.check("expiration").outcome == "pass"
    assert "2027-06-01" in cred.check("expiration").reason  # the earliest end is reported
