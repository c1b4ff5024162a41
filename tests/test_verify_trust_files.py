"""Trust files: a malformed or unbounded one is a usage error; deny lists.

(Regression tests from verification review review2b; each fails on the code before its fix.)"""

from __future__ import annotations

import json

import pytest

from tests.verify_helpers import write
from tests.verify_regression_helpers import cli, issuer, signed  # noqa: F401 - fixtures


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
