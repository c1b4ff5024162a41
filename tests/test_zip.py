"""`.zip` archives as input to `import` and `verify` (issue #11): members read as files in a
folder, unsafe names, encryption, zip bombs (declared and actual sizes), member count, total
size, nesting, and the all-or-nothing import of an archive.

Every archive is made here with the zipfile module from credentials in examples/credentials
and tests/vectors (real signatures, verified offline); hostile archives are patched byte by
byte where zipfile would not write them.
"""

from __future__ import annotations

import io
import json
import struct
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lerwallet.cli.app import app
from lerwallet.formats import archive, read_inputs

ROOT = Path(__file__).resolve().parent.parent
FIRST_AID = (ROOT / "examples" / "credentials" / "ob3-first-aid.json").read_bytes()
VOLUNTEER = (ROOT / "examples" / "credentials" / "ob3-volunteer-vc11.json").read_bytes()
DCC = (ROOT / "tests" / "vectors" / "store" / "vc1-dcc-noexpiry.json").read_bytes()
BAKED = (ROOT / "tests" / "vectors" / "verify" / "1edtech" / "simple-json.png").read_bytes()
ENV = {"LERWALLET_PASSPHRASE": "zip tests"}


def run(*args):
    result = CliRunner().invoke(app, list(args), env=ENV, catch_exceptions=False)
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    return result


def make_zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in members.items():
            z.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return buf.getvalue()


def patch_headers(data: bytes, *, flag_bits: int | None = None, file_size: int | None = None) -> bytes:
    """Rewrite the first member's local and central headers (what zipfile would never write)."""
    out = bytearray(data)
    local = out.find(b"PK\x03\x04")
    central = out.find(b"PK\x01\x02")
    if flag_bits is not None:
        struct.pack_into("<H", out, local + 6, flag_bits)
        struct.pack_into("<H", out, central + 8, flag_bits)
    if file_size is not None:
        struct.pack_into("<I", out, local + 22, file_size)
        struct.pack_into("<I", out, central + 24, file_size)
    return bytes(out)


@pytest.fixture
def wallet(isolated_home):
    assert run("init").exit_code == 0
    return isolated_home


def stored() -> list[dict]:
    return json.loads(run("list", "--json").stdout)


def verify_json(*paths) -> dict:
    return json.loads(run("verify", "--json", *map(str, paths)).stdout)


# --- a platform export ---------------------------------------------------------------------------


def test_verify_reads_every_member_by_content(tmp_path):
    path = tmp_path / "export.zip"
    path.write_bytes(make_zip({
        "badges/first-aid.json": FIRST_AID,
        "volunteer": VOLUNTEER,  # no suffix: read by content
        "vectors/dcc.dat": DCC,  # any suffix: read by content
        "baked/badge.png": BAKED,  # a baked badge (1EdTech; its issuer key cannot be resolved offline)
        "README.md": b"# my export\n",  # holds no credential: skipped as in a folder
        "badges/": b"",
        "__MACOSX/._first-aid.json": b"\x00\x05\x16\x07",  # hidden: skipped
    }))
    report = verify_json(path)
    sources = [i["source"] for i in report["inputs"]]
    assert sources == [f"{path}!badges/first-aid.json", f"{path}!volunteer", f"{path}!vectors/dcc.dat",
                       f"{path}!baked/badge.png#baked"]
    assert [i["verdict"] for i in report["inputs"]] == ["valid", "valid", "valid", "inconclusive"]


def test_import_stores_every_member_with_its_source(wallet, tmp_path):
    path = tmp_path / "export.zip"
    path.write_bytes(make_zip({"badges/first-aid.json": FIRST_AID, "volunteer.json": VOLUNTEER, "notes.txt": b"hi"}))
    result = run("import", str(path))
    assert result.exit_code == 0, result.stderr
    assert "export.zip!badges/first-aid.json)" in result.stdout
    rows = stored()
    assert sorted(r["title"] for r in rows) == ["Community Volunteer: 100 Hours", "First Aid at Work"]
    shown = run("show", rows[0]["id"], "--json")
    assert "export.zip!" in shown.stdout


def test_import_of_a_zip_is_all_or_nothing(wallet, tmp_path):
    tampered = json.loads(FIRST_AID)
    tampered["name"] = "First Aid at Work (forged)"
    path = tmp_path / "mixed.zip"
    path.write_bytes(make_zip({"a-good.json": VOLUNTEER, "b-forged.json": json.dumps(tampered).encode()}))
    result = run("import", str(path))
    assert result.exit_code == 1
    assert "nothing from" in result.stderr and "mixed.zip" in result.stderr
    assert stored() == []
    # the same archive with a traversal member: unreadable, nothing stored either
    path.write_bytes(make_zip({"a-good.json": VOLUNTEER, "../evil.json": FIRST_AID}))
    result = run("import", str(path))
    assert result.exit_code == 2
    assert "../evil.json: member refused: '..' in its path" in result.stderr
    assert stored() == []


def test_a_zip_without_credentials_is_reported(wallet, tmp_path):
    path = tmp_path / "photos.zip"
    path.write_bytes(make_zip({"README.md": b"nothing here"}))
    result = run("import", str(path))
    assert result.exit_code == 2
    assert "the zip archive holds no credential" in result.stderr
    assert verify_json(path)["exitCode"] == 2


# --- unsafe names ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name, why", [
    ("../evil.json", "'..' in its path"),
    ("badges/../../evil.json", "'..' in its path"),
    ("/etc/evil.json", "an absolute path"),
    ("badges\\..\\evil.json", "a backslash"),
    ("C:/Users/evil.json", "a drive letter"),
    ("evil\x1b[2J.json", "a control character"),
])
def test_unsafe_member_names_are_refused(tmp_path, name, why):
    path = tmp_path / "names.zip"
    path.write_bytes(make_zip({"ok.json": FIRST_AID, name: VOLUNTEER}))
    envs = read_inputs([str(path)])
    bad = [e for e in envs if e.error is not None]
    assert len(bad) == 1 and bad[0].error.code == "zip-unsafe-name"
    assert why in bad[0].error.message
    assert [e.source for e in envs if e.error is None] == [f"{path}!ok.json"]


# --- encryption, bombs, caps -------------------------------------------------------------------------


def test_encrypted_member_is_refused_with_a_reason(wallet, tmp_path):
    path = tmp_path / "locked.zip"
    path.write_bytes(patch_headers(make_zip({"first-aid.json": FIRST_AID}), flag_bits=0x1))
    result = run("import", str(path))
    assert result.exit_code == 2
    assert "first-aid.json: member refused: it is encrypted" in result.stderr
    assert stored() == []


def test_zip_bomb_is_refused_quickly_and_in_little_memory(tmp_path):
    path = tmp_path / "bomb.zip"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("zeros.json", "w", force_zip64=True) as member:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(100):  # 100 MB of zeros
                member.write(chunk)
    path.write_bytes(buf.getvalue())
    assert path.stat().st_size < 1024 * 1024
    tracemalloc.start()
    started = time.perf_counter()
    envs = read_inputs([str(path)])
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [e.error.code for e in envs] == ["too-large"]  # declared 100 MB: over the 8 MiB member cap
    assert elapsed < 5 and peak < 16 * 1024 * 1024


def test_ratio_cap_on_declared_sizes(tmp_path):
    path = tmp_path / "ratio.zip"
    path.write_bytes(make_zip({"zeros.json": b" " * (4 * 1024 * 1024)}))  # 4 MiB of spaces, ~1000:1
    envs = read_inputs([str(path)])
    assert [e.error.code for e in envs] == ["zip-bomb"]
    assert "compressed more than 100 to 1" in envs[0].error.message


def test_a_lying_header_never_inflates_past_its_declared_size(tmp_path):
    # 100 MB of zeros declared as 1,000 bytes: no cap is crossed on the declared sizes, so only
    # the bound on the bytes actually inflated stops it.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("liar.json", "w", force_zip64=False) as member:
            for _ in range(100):
                member.write(b"\x00" * (1024 * 1024))
    path = tmp_path / "liar.zip"
    path.write_bytes(patch_headers(buf.getvalue(), file_size=1000))
    tracemalloc.start()
    started = time.perf_counter()
    envs = read_inputs([str(path)])
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(envs) == 1 and envs[0].error is not None
    assert envs[0].error.code in ("bad-zip",)  # the inflated bytes do not match the header (CRC)
    assert elapsed < 5 and peak < 16 * 1024 * 1024


def test_member_count_cap(tmp_path):
    path = tmp_path / "many.zip"
    path.write_bytes(make_zip({f"m{i}.txt": b"" for i in range(archive.MAX_ZIP_MEMBERS + 1)}, zipfile.ZIP_STORED))
    envs = read_inputs([str(path)])
    assert [(e.source, e.error.code) for e in envs] == [(str(path), "zip-too-many")]


def test_total_uncompressed_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_ZIP_TOTAL", len(FIRST_AID) + len(VOLUNTEER) - 1)
    path = tmp_path / "total.zip"
    path.write_bytes(make_zip({"a.json": FIRST_AID, "b.json": VOLUNTEER}))
    envs = read_inputs([str(path)])
    assert [(e.source, e.error.code) for e in envs] == [(str(path), "zip-too-large")]


# --- nesting ------------------------------------------------------------------------------------------


def test_one_level_of_nesting_is_read(wallet, tmp_path):
    inner = make_zip({"first-aid.json": FIRST_AID})
    path = tmp_path / "outer.zip"
    path.write_bytes(make_zip({"volunteer.json": VOLUNTEER, "exports/inner.zip": inner}))
    report = verify_json(path)
    assert [i["source"] for i in report["inputs"]] == [f"{path}!volunteer.json", f"{path}!exports/inner.zip!first-aid.json"]
    assert report["exitCode"] == 0
    result = run("import", str(path))
    assert result.exit_code == 0, result.stderr
    assert "outer.zip!exports/inner.zip!first-aid.json)" in result.stdout
    assert len(stored()) == 2


def test_a_doubly_nested_zip_is_refused(wallet, tmp_path):
    innermost = make_zip({"first-aid.json": FIRST_AID})
    inner = make_zip({"deeper.zip": innermost})
    path = tmp_path / "outer.zip"
    path.write_bytes(make_zip({"volunteer.json": VOLUNTEER, "inner.zip": inner}))
    envs = read_inputs([str(path)])
    bad = [e for e in envs if e.error is not None]
    assert [(e.source, e.error.code) for e in bad] == [(f"{path}!inner.zip!deeper.zip", "zip-nested")]
    result = run("import", str(path))
    assert result.exit_code == 2
    assert "inner.zip!deeper.zip: member refused: a zip nested more than 1 level deep" in result.stderr
    assert stored() == []


def test_a_zip_in_a_folder_is_read_too(tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "export.zip").write_bytes(make_zip({"first-aid.json": FIRST_AID}))
    report = verify_json(folder)
    assert [i["source"] for i in report["inputs"]] == [f"{folder / 'export.zip'}!first-aid.json"]


def test_a_hostile_member_name_never_reaches_the_terminal_raw(wallet, tmp_path):
    path = tmp_path / "names.zip"
    path.write_bytes(make_zip({"evil\x1b[2J.json": FIRST_AID}))
    result = run("import", str(path))
    assert result.exit_code == 2
    assert "member refused: a control character in its name" in result.stderr
    assert "\x1b" not in result.stderr and "\x1b" not in result.stdout


@pytest.mark.parametrize("members,why", [
    ({"ok.json": FIRST_AID, "../evil.json": VOLUNTEER}, "../evil.json: member refused: '..' in its path"),
    ({"inner.zip": make_zip({"deeper.zip": make_zip({"a.json": FIRST_AID})})}, "a zip nested more than 1 level deep"),
])
def test_a_refused_archive_is_one_error_and_one_hint_and_nothing_stored(wallet, tmp_path, members, why):
    path = tmp_path / "export.zip"
    path.write_bytes(make_zip(members))
    r = run("import", str(path))
    assert r.exit_code == 2
    error, hint = r.stderr.splitlines()
    assert error.startswith(f"lerwallet: error: {path}: ") and why in error
    assert hint == ("lerwallet: hint: nothing from the archive was stored (it is read whole or not at all); if you trust "
                    "it, extract it yourself and import the folder: lerwallet import FOLDER --recursive")
    assert stored() == []


def test_an_archive_over_the_member_cap_gets_the_hint_too(wallet, tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "MAX_ZIP_MEMBERS", 3)
    path = tmp_path / "many.zip"
    path.write_bytes(make_zip({f"m{i}.json": FIRST_AID for i in range(5)}))
    r = run("import", str(path))
    assert r.exit_code == 2
    assert r.stderr.splitlines() == [f"lerwallet: error: {path}: the zip archive holds more than 3 members",
                                     "lerwallet: hint: nothing from the archive was stored (it is read whole or not at all); "
                                     "if you trust it, extract it yourself and import the folder: lerwallet import FOLDER --recursive"]
    assert stored() == []
