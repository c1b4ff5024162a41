"""Bitstring Status List against the reference library: lists, credentials and `checkStatus`
verdicts made by @digitalbazaar/vc-bitstring-status-list (tests/interop/make_status_fixtures.mjs,
tests/interop/README.md). lerwallet must read the same bits; where it differs (the list length
rule, which the reference does not apply) the difference is the documented one."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from lerwallet.verify import Options, statuslists, verify_inputs

HERE = Path(__file__).parent / "interop" / "status"
JS = json.loads((HERE / "js-checkstatus-results.json").read_text())
AT = datetime(2026, 11, 28, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def _fresh_cache_index():
    statuslists._index_cache.clear()
    yield
    statuslists._index_cache.clear()


def _cache(tmp_path, tampered=False) -> Path:
    cache = tmp_path / "lists"
    cache.mkdir()
    shutil.copy(HERE / ("list-full-tampered.json" if tampered else "list-full.json"), cache / "full.json")
    shutil.copy(HERE / "list-short.json", cache / "short.json")
    return cache


@pytest.mark.parametrize("name", ["full-revoked", "full-not-revoked", "full-last-revoked", "short-revoked", "short-not-revoked"])
def test_same_bit_as_the_reference(tmp_path, name):
    js = JS[name]
    assert js["verified"] is True
    [report] = verify_inputs([str(HERE / f"{name}.json")], Options(at=AT, status_cache=_cache(tmp_path)))
    cred = report.credentials[0]
    assert cred.check("proof").outcome == "pass"
    check = cred.check("status.revocation")
    assert (check.outcome, check.code) == (("fail", "revoked") if js["status"] else ("pass", "")), check.reason
    length = cred.check("status.list-length")
    if name.startswith("short"):  # the documented difference: the reference accepts a 100,000-bit list silently
        assert (length.outcome, length.details["bits"]) == ("warn", 100_000)
    else:
        assert length is None


def test_tampered_list_refused_by_both(tmp_path):
    assert JS["full-revoked-with-tampered-list"]["verified"] is False
    [report] = verify_inputs([str(HERE / "full-revoked.json")], Options(at=AT, status_cache=_cache(tmp_path, tampered=True)))
    check = report.credentials[0].check("status.revocation")
    assert (check.outcome, check.code) == ("unknown", "status_list_proof")
