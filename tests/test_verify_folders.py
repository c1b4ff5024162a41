"""Folders and devices as inputs: nothing found is unreadable, non-credential files skipped, --recursive, reads bounded.

(Regression tests from verification review review2b; each fails on the code before its fix.)"""

from __future__ import annotations

import json

import pytest

from tests.verify_helpers import write
from tests.verify_regression_helpers import cli, issuer, signed  # noqa: F401 - fixtures (signed needs issuer)


# --- 2: a folder with no credentials is not "VERIFIED" -------------------------------------------

@pytest.mark.parametrize("strict", [[], ["--strict"]])
def test_folder_without_credentials_is_unreadable(tmp_path, strict):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "certificate.pdf").write_bytes(b"%PDF-1.7")
    result = cli("verify", str(tmp_path / "app"), *strict)
    assert result.exit_code == 2
    assert "lerwallet: error: no credentials found in" in result.stderr
    assert "VERIFIED" not in result.output
    as_json = json.loads(cli("verify", str(tmp_path / "app"), "--json").stdout)
    assert (as_json["verdict"], as_json["exitCode"], as_json["error"]) == ("unreadable", 2, "no credentials found")


def test_overall_of_nothing_is_unreadable():
    from lerwallet.verify import overall

    assert overall([]) == ("unreadable", 2)


# --- 4: devices and FIFOs are read up to the cap, not without limit ------------------------------

def test_unbounded_device_is_too_large_not_read_whole():
    import resource

    from lerwallet.formats import limits, read_inputs

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    [env] = read_inputs(["/dev/zero"])
    assert env.error is not None and env.error.code == "not-a-file"  # issue #10: refused, never read
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 4 * limits.MAX_INPUT_BYTES // 1024  # a few caps at most, not gigabytes


def test_unbounded_trust_file_is_a_usage_error(tmp_path, signed):
    result = cli("verify", str(write(tmp_path / "c.json", signed)), "--trust", "/dev/zero")
    assert result.exit_code == 2 and "not a regular file" in result.stderr


# --- 9: folders: non-credential JSON skipped; subfolders only with --recursive (as for import) -----

def test_folder_skips_non_credential_json_and_recurses_only_when_asked(tmp_path, signed):
    folder = tmp_path / "app"
    (folder / "sub").mkdir(parents=True)
    write(folder / "package.json", json.dumps({"name": "not a credential"}))
    (folder / "README.txt").write_text("hello")
    write(folder / "sub" / "c.json", signed)
    result = cli("verify", str(folder), "--json")
    assert result.exit_code == 2 and json.loads(result.stdout)["error"] == "no credentials found"
    assert "subfolders need --recursive" in cli("verify", str(folder)).stderr
    for flag in ("--recursive", "-r"):
        as_json = json.loads(cli("verify", str(folder), flag, "--json").stdout)
        assert [i["source"] for i in as_json["inputs"]] == [str(folder / "sub" / "c.json")]
        assert as_json["verdict"] == "valid"
    # named explicitly, the same non-credential file is unreadable
    assert cli("verify", str(folder / "package.json")).exit_code == 2


def test_fast_path_takes_recursive():
    from lerwallet.cli.fastpath import parse_verify

    assert parse_verify(["app", "--recursive"])["recursive"] is True
    assert parse_verify(["app", "-r"])["recursive"] is True
