"""Folders are read by content, not by file name: `foo.1ob` imports from a folder as it does when
named; what is plainly no credential is skipped with a reason (never an error); hidden files,
symbolic links, FIFOs and files over the cap are handled as docs/wallet.md "Folders" says."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from lerwallet.cli.app import app
from lerwallet.formats import limits, read_inputs, walk_inputs
from tests.clr_helpers import achievement_credential
from tests.verify_helpers import Party

ENV = {"LERWALLET_PASSPHRASE": "folders"}


def run(*args):
    result = CliRunner().invoke(app, list(args), env=ENV, catch_exceptions=False)
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    return result


@pytest.fixture(scope="module")
def badge_bytes():
    issuer = Party()
    return json.dumps(issuer.sign(achievement_credential(issuer, 1, name="Odd Name Badge"))).encode()


@pytest.fixture
def folder(tmp_path, badge_bytes):
    d = tmp_path / "downloads"
    (d / "sub").mkdir(parents=True)
    (d / ".git").mkdir()
    (d / "badge.1ob").write_bytes(badge_bytes)  # no suffix anyone would allow-list
    (d / "sub" / "credential").write_bytes(badge_bytes)  # no suffix at all, in a subfolder
    (d / ".git" / "hidden.json").write_bytes(badge_bytes)
    (d / ".hidden.json").write_bytes(badge_bytes)
    (d / "notes.md").write_text("# my notes\n")
    (d / "video.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * (limits.MAX_INPUT_BYTES + 10))
    (d / "link.json").symlink_to(d / "badge.1ob")
    os.mkfifo(d / "pipe")
    return d


def test_the_walker_reads_by_content_and_says_why_it_skips(folder):
    found = {os.path.relpath(i.name, folder): i for i in walk_inputs([str(folder)], recursive=True)}
    assert set(found) == {"badge.1ob", "sub/credential", "notes.md", "video.mp4", "link.json", "pipe"}  # no hidden
    assert found["badge.1ob"].data is not None and found["sub/credential"].data is not None
    assert found["notes.md"].data is not None  # read; its content decides (below)
    assert (found["video.mp4"].skipped, found["video.mp4"].error.code) == (True, "no-signature")
    assert (found["link.json"].skipped, found["link.json"].error.code) == (True, "symlink")
    assert (found["pipe"].skipped, found["pipe"].error.code) == (True, "not-a-file")
    top = [os.path.relpath(i.name, folder) for i in walk_inputs([str(folder)])]
    assert "sub/credential" not in top and "badge.1ob" in top


def test_verify_finds_the_oddly_named_credential_in_the_folder(folder):
    envelopes = read_inputs([str(folder)], recursive=True)
    assert sorted(os.path.relpath(e.source, folder) for e in envelopes) == ["badge.1ob", "sub/credential"]
    assert all(e.error is None for e in envelopes)


def test_import_of_the_folder_imports_by_content_and_reports_skips(isolated_home, folder):
    assert run("init").exit_code == 0
    r = run("import", str(folder), "--recursive", "--json")
    assert r.exit_code == 0, r.stderr
    rows = json.loads(r.stdout)
    stored = [x for x in rows if x.get("stored")]
    duplicate = [x for x in rows if x.get("duplicate")]
    skipped = {os.path.relpath(x["source"], folder): x["reason"] for x in rows if x.get("skipped")}
    assert [os.path.relpath(x["source"], folder) for x in stored] == ["badge.1ob"]
    assert [os.path.relpath(x["source"], folder) for x in duplicate] == ["sub/credential"]  # same credential
    assert set(skipped) == {"notes.md", "video.mp4", "link.json", "pipe"}
    assert skipped["link.json"].startswith("a symbolic link: not followed")
    assert "no JSON, JWT, PNG, SVG or ZIP signature" in skipped["video.mp4"]
    assert "not a credential" in skipped["notes.md"]
    text = run("import", str(folder))
    assert text.exit_code == 0
    assert f"skipped {folder / 'notes.md'}: not a credential" in text.stderr
    assert "skipped 4 file(s) in the folder(s) that hold no credential" in text.stderr  # md, mp4, link, pipe
    # Named on the command line, the link is followed and the odd name reads the same.
    assert run("import", str(folder / "link.json")).exit_code == 0


def test_a_large_file_that_looks_like_a_credential_is_refused_with_the_reason(isolated_home, tmp_path):
    d = tmp_path / "big"
    d.mkdir()
    (d / "huge.dat").write_bytes(b'{"padding": "' + b"x" * (limits.MAX_INPUT_BYTES + 10) + b'"}')
    assert run("init").exit_code == 0
    r = run("import", str(d))
    assert r.exit_code == 2
    assert f"lerwallet: error: {d / 'huge.dat'}: file is larger than 8 MiB" in r.stderr
    assert json.loads(run("list", "--json").stdout) == []
