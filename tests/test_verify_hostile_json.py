"""Hostile JSON (credentials, status lists, trust files, did:web caches) is a result or a usage error, never a traceback.

(Regression tests from verification review review; each fails on the code before its fix.)"""

from __future__ import annotations

import pytest

from tests.verify_helpers import badge, write
from tests.test_verify_status_entries import LIST_URL, _status_checks, _with_status  # status list helpers
from tests.verify_binding_helpers import _signed_with_vm, _verify, holder, issuer  # noqa: F401 - fixtures


# --- 7: hostile JSON is a result or a usage error, never a traceback ----------------------------

BIG_INT = "1" * 5000
DEEP = "[" * 200_000 + "]" * 200_000


@pytest.mark.parametrize("body", [
    '{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "n": NaN}',
    '{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "n": -Infinity}',
    '{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "n": ' + BIG_INT + "}",
    DEEP,
])
def test_hostile_credential_json_is_unreadable(tmp_path, body):
    from typer.testing import CliRunner

    from lerwallet.cli.app import app

    result = CliRunner().invoke(app, ["verify", str(write(tmp_path / "c.json", body))])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.stdout.count("UNREADABLE INPUT") == 1


@pytest.mark.parametrize("body", ['{"id": "%s", "n": %s}' % (LIST_URL, BIG_INT), DEEP, '{"id": "%s", "n": NaN}' % LIST_URL])
@pytest.mark.parametrize("named", [False, True])
def test_hostile_status_list_is_unknown(tmp_path, issuer, body, named):
    cache = tmp_path / "lists"
    cache.mkdir()
    (cache / "l.json").write_text(body)
    if named:
        write(cache / "urls.json", {LIST_URL: "l.json"})
    check = _status_checks(tmp_path, _with_status(issuer), cache)["status.revocation"]
    assert check.outcome == "unknown"


@pytest.mark.parametrize("body", ['{"allow": {"did:example:a": {"n": %s}}}' % BIG_INT, DEEP, '{"allow": NaN}'])
def test_hostile_trust_file_is_a_usage_error(tmp_path, issuer, body):
    from typer.testing import CliRunner

    from lerwallet.cli.app import app

    cred = write(tmp_path / "c.json", issuer.sign(badge(issuer)))
    result = CliRunner().invoke(app, ["verify", str(cred), "--trust", str(write(tmp_path / "t.json", body))])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.startswith("lerwallet: error: trust file") and len(result.stderr.splitlines()) <= 2


@pytest.mark.parametrize("body", ["[" * 20_000 + "]" * 20_000, '{"id": "did:web:deep.example", "n": %s}' % BIG_INT])
def test_hostile_did_web_cache_document(tmp_path, issuer, body):
    doc = badge(issuer)
    doc["issuer"]["id"] = "did:web:deep.example"
    doc = _signed_with_vm(issuer, doc, "did:web:deep.example#key-1")
    cache = tmp_path / "dids" / "deep.example" / ".well-known"
    cache.mkdir(parents=True)
    (cache / "did.json").write_text(body)
    check = _verify(doc, did_web_cache=tmp_path / "dids").credentials[0].check("proof")
    assert check.outcome == "fail" and "not valid JSON" in check.reason
