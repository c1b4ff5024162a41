"""An Open Badges 2.0 assertion is unsupported (inconclusive), not invalid.

(Regression tests from verification review review2b; each fails on the code before its fix.)"""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone

import pytest
from typer.testing import CliRunner

from lerwallet.cli.app import app
from lerwallet.store.importer import examine
from lerwallet.verify import Options, verify_bytes
from tests.verify_helpers import Party, badge, write

AT = datetime(2024, 6, 1, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def issuer():
    return Party()


@pytest.fixture(scope="module")
def signed(issuer):
    return issuer.sign(badge(issuer, name="Welding"))


def cli(*args, env=None):
    result = CliRunner().invoke(app, list(args), env=env or {}, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def _forged(signed: dict, **proof) -> dict:
    doc = copy.deepcopy(signed)
    doc["name"] = "Welding Master (forged)"
    doc["credentialSubject"]["id"] = "did:example:mallory"
    for key, value in proof.items():
        if value is None:
            del doc["proof"][key]
        else:
            doc["proof"][key] = value
    return doc


def _proof_check(doc):
    [report] = verify_bytes(json.dumps(doc).encode(), Options(at=AT))
    return report, report.credentials[0].check("proof")


# --- 5: an Open Badges 2.0 assertion is unsupported (inconclusive), not invalid ------------------

OB2 = json.dumps({
    "@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "https://example.org/assertions/1",
    "recipient": {"type": "email", "hashed": False, "identity": "alice@example.org"},
    "badge": "https://example.org/badges/1", "verification": {"type": "hosted"}, "issuedOn": "2016-12-31T23:59:59Z",
})


def test_ob2_assertion_is_unsupported_not_invalid(tmp_path):
    [report] = verify_bytes(OB2.encode(), Options(at=AT))
    cred = report.credentials[0]
    assert cred.format == "ob2" and cred.verdict == "inconclusive"
    assert not [c for c in cred.checks if c.outcome == "fail"]
    assert cred.check("proof").code == "unsupported_format"
    assert cli("verify", str(write(tmp_path / "ob2.json", OB2))).exit_code == 4
    [found] = examine(OB2.encode(), "ob2.json", Options(at=AT)).found
    assert found.status == "inconclusive" and not found.refused
