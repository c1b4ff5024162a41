"""Badges issued by `lerwallet issue` and the list `status-list publish` made, as the reference JS
stack judged them (tests/interop/issue/README.md), and as lerwallet judges the same files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lerwallet.verify import Options, verify_bytes

HERE = Path(__file__).parent / "interop" / "issue"
CASES = json.loads((HERE / "cases.json").read_text())
JS = json.loads((HERE / "js-verify-results.json").read_text())


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_reference_stack_verified_each_badge_and_read_its_status(name):
    js = JS[name]
    assert js["verified"] is True and js["error"] is None
    assert js["tamperedVerified"] is False
    if CASES[name]["revoked"] is None:
        assert "revoked" not in js
    else:
        assert js["statusVerified"] is True and js["revoked"] is CASES[name]["revoked"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_lerwallet_verifies_the_same_files_with_the_same_status(name, tmp_path):
    lists = tmp_path / "lists"
    lists.mkdir()
    shutil.copy(HERE / "list-badges.json", lists / "list-badges.json")
    expected = CASES[name]
    [report] = verify_bytes((HERE / name).read_bytes(), Options(status_cache=lists, email=expected["email"]), source=name)
    [cred] = report.credentials
    checks = {c.id: c.outcome for c in cred.checks}
    assert checks["proof"] == "pass" and checks["schema"] == "pass"
    if expected["email"]:
        assert checks["badge.recipient"] == "pass"
    if expected["revoked"] is None:
        assert cred.verdict == "valid"
    else:
        assert checks["status.revocation"] == ("fail" if expected["revoked"] else "pass")
        assert cred.verdict == ("invalid" if expected["revoked"] else "valid")


def test_the_published_list_is_a_bitstring_status_list_of_the_minimum_size():
    from lerwallet.verify import bitstring

    doc = json.loads((HERE / "list-badges.json").read_text())
    assert doc["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    subject = doc["credentialSubject"]
    assert subject["type"] == "BitstringStatusList" and subject["statusPurpose"] == "revocation"
    assert subject["encodedList"].startswith("u")
    bits = bitstring.decode(subject["encodedList"])
    assert len(bits) * 8 == 131_072 and sum(bin(b).count("1") for b in bits) == 1
    revoked = json.loads((HERE / "badge-revoked-ed25519.json").read_text())["credentialStatus"]
    assert bitstring.value_at(bits, int(revoked["statusListIndex"])) == 1
