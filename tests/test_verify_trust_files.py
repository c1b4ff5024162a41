"""Trust files: a malformed or unbounded one is a usage error; deny lists.

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


# --- 3: a malformed trust file is a usage error, never silently ignored --------------------------

@pytest.mark.parametrize("body", [
    {"name": "hr", "deny": "did:key:z6Mkx"}, {"name": "hr", "allow": 3}, {"deny": [1, 2]},
    {"registries": {"file": "r.json"}}, {"registries": [42]}, {"registries": [{"name": "no file"}]}, [7],
])
def test_malformed_trust_file_is_a_usage_error(tmp_path, signed, body):
    cred = write(tmp_path / "c.json", signed)
    result = cli("verify", str(cred), "--trust", str(write(tmp_path / "t.json", json.dumps(body))))
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("lerwallet: error: trust file"), result.stderr


def test_deny_as_a_list_of_ids_denies(tmp_path, issuer, signed):
    cred = write(tmp_path / "c.json", signed)
    trust = write(tmp_path / "deny2.json", json.dumps({"name": "hr", "deny": [issuer.did]}))
    result = cli("verify", str(cred), "--trust", str(trust), "--json")
    assert result.exit_code == 1
    [check] = [c for c in json.loads(result.stdout)["inputs"][0]["credentials"][0]["checks"] if c["id"] == "issuer.trust"]
    assert check["outcome"] == "fail" and check["problem"]["type"].endswith("issuer_denied")
    allow = write(tmp_path / "allow.json", json.dumps({"name": "hr", "allow": [issuer.did]}))
    assert cli("verify", str(cred), "--trust", str(allow), "--strict").exit_code == 0
