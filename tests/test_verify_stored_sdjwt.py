"""A stored SD-JWT with a key binding JWT stays verified; staleness is judged by holder.binding.

(Regression tests from verification review review2b; each fails on the code before its fix.)"""

from __future__ import annotations

from lerwallet.store.importer import examine
from lerwallet.verify import Options, verify_bytes
from tests.verify_jwt_helpers import KB_AT, sd_presented  # noqa: F401 - a fixture


# --- 6: a stored SD-JWT with a key binding JWT stays verified; staleness is holder.binding ---------

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
