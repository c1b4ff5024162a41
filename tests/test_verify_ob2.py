"""An Open Badges 2.0 assertion checked offline without its documents is inconclusive, not invalid.

(Regression tests from verification review review2b; each fails on the code before its fix.)"""

from __future__ import annotations

import json

from lerwallet.store.importer import examine
from lerwallet.verify import Options, verify_bytes
from tests.verify_helpers import write
from tests.verify_regression_helpers import AT, cli


# --- 5: an Open Badges 2.0 assertion offline is inconclusive, not invalid -------------------------
# (Since issue #11 OB 2.0 is verified (tests/test_ob2.py); offline, without --ob2-cache, the hosted
# copy cannot be retrieved: proof unknown, code offline.)

OB2 = json.dumps({
    "@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "https://example.org/assertions/1",
    "recipient": {"type": "email", "hashed": False, "identity": "alice@example.org"},
    "badge": "https://example.org/badges/1", "verification": {"type": "hosted"}, "issuedOn": "2016-12-31T23:59:59Z",
})


def test_ob2_assertion_offline_is_inconclusive_not_invalid(tmp_path):
    [report] = verify_bytes(OB2.encode(), Options(at=AT))
    cred = report.credentials[0]
    assert cred.format == "ob2" and cred.verdict == "inconclusive"
    assert not [c for c in cred.checks if c.outcome == "fail"]
    assert cred.check("proof").code == "offline"
    assert cli("verify", str(write(tmp_path / "ob2.json", OB2))).exit_code == 4
    [found] = examine(OB2.encode(), "ob2.json", Options(at=AT)).found
    assert found.status == "inconclusive" and not found.refused
