"""A stored SD-JWT with a key binding JWT stays verified; staleness is judged by holder.binding.

(Regression tests from verification review review2b; each fails on the code before its fix.)"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from lerwallet.store.importer import examine
from lerwallet.verify import Options, verify_bytes
from tests.verify_helpers import Party


# --- 6: a stored SD-JWT with a key binding JWT stays verified; staleness is holder.binding ---------

KB_AT = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def sd_presented():
    from lerwallet import crypto
    from lerwallet.proofs.sdjwt import create_sd_jwt, holder_jwk_for, present

    issuer_party, holder = Party(), crypto.generate_private_key("ed25519")
    claims = {"iss": issuer_party.did, "vct": "https://credentials.example/degree", "degree": "BSc"}
    sd = create_sd_jwt(claims, ["/degree"], key_type="ed25519", private_key=issuer_party.private, kid=issuer_party.vm,
                       holder_jwk=holder_jwk_for("ed25519", holder))
    return present(sd, ["/degree"], holder_key=("ed25519", holder), aud="https://employer.example", nonce="n1", now=KB_AT)


def test_stored_sd_jwt_with_key_binding_stays_verified(sd_presented):
    from datetime import timedelta

    for later in (timedelta(minutes=1), timedelta(hours=1), timedelta(days=400)):
        [found] = examine(sd_presented.encode(), "d.sd-jwt", Options(at=KB_AT + later)).found
        assert found.status == "verified", (later, found.reason)


def test_stale_key_binding_is_holder_binding_not_proof(sd_presented):
    from datetime import timedelta

    [report] = verify_bytes(sd_presented.encode(), Options(at=KB_AT + timedelta(hours=1)))
    checks = {c.id: c for c in report.credentials[0].checks}
    assert checks["proof"].outcome == "pass"
    # nothing asked (no --challenge/--domain): a warning, like an unchecked audience
    assert (checks["holder.binding"].outcome, checks["holder.binding"].code) == ("warn", "kb_stale")
