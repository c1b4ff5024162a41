"""`lerwallet present`, `lerwallet shared` and the filters of `list`, through the real CLI."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lerwallet.cli import passphrase as passphrase_mod
from lerwallet.cli.app import app

from present_helpers import Issuer, badge

PW = "present pass"


def run(*args, input=None):
    result = CliRunner().invoke(app, list(args), env={"LERWALLET_PASSPHRASE": PW}, input=input, catch_exceptions=False)
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    return result


@pytest.fixture
def creds(isolated_home, tmp_path):
    """A wallet with two verified badges of its default identity (Python, SQL)."""
    assert run("init").exit_code == 0
    did = json.loads(run("did", "list", "--json").stdout)[0]["did"]
    iss = Issuer()
    files = []
    for i, (name, skill) in enumerate([("Python basics", "Python"), ("SQL queries", "SQL")], 1):
        f = tmp_path / f"b{i}.json"
        f.write_text(json.dumps(badge(iss, did, name=name, skill=skill, number=i)))
        files.append(str(f))
    assert run("import", *files).exit_code == 0
    rows = json.loads(run("list", "--json").stdout)
    return {"did": did, "ids": [r["id"] for r in rows], "tmp": tmp_path}


def _history() -> list:
    return json.loads(run("shared", "--json").stdout)


def test_list_filters(creds):
    rows = json.loads(run("list", "--skill", "python", "--json").stdout)
    assert [r["title"] for r in rows] == ["Python basics"]
    assert len(json.loads(run("list", "--kind", "OpenBadgeCredential", "--issuer", "college", "--json").stdout)) == 2
    r = run("list", "--skill", "cobol", "--status", "verified")
    assert r.exit_code == 0 and "no credential matches --skill cobol --status verified" in r.stderr
    r = run("list", "--status", "great")
    assert r.exit_code == 2 and "lerwallet: error: unknown status 'great'" in r.stderr


def test_present_file_verifies_and_is_recorded(creds):
    out = creds["tmp"] / "vp.json"
    r = run("present", creds["ids"][0][:6], creds["ids"][1][:6], "--domain", "employer.example",
            "--challenge", "ch-1", "--out", str(out))
    assert r.exit_code == 0, r.stderr
    assert "You are about to share 2 credentials for employer.example" in r.stderr
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    v = run("verify", str(out), "--challenge", "ch-1", "--domain", "employer.example", "--json")
    assert json.loads(v.stdout)["verdict"] == "valid"
    assert run("verify", str(out), "--challenge", "ch-2").exit_code == 1
    [entry] = _history()
    assert entry["n"] == 1 and entry["challenge"] == "ch-1" and entry["domain"] == "employer.example"
    assert entry["holders"] == [creds["did"]] and entry["outputs"] == [{"form": "file", "path": str(out)}]
    assert [c["id"] for c in entry["credentials"]] == creds["ids"]
    shown = run("shared", "show", "1")
    assert "ch-1" in shown.stdout and "Python basics" in shown.stdout
    # deleting a credential keeps the history
    titles = sorted(c["title"] for c in entry["credentials"])
    assert run("delete", creds["ids"][0][:6], "--yes").exit_code == 0
    assert json.loads(run("list", "--json").stdout)[0]["id"] == creds["ids"][1]
    assert sorted(c["title"] for c in _history()[0]["credentials"]) == titles == ["Python basics", "SQL queries"]


def test_present_by_filter_to_stdout_with_random_challenge(creds):
    r = run("present", "--skill", "sql", "--out", "-")
    assert r.exit_code == 0, r.stderr
    vp = json.loads(r.stdout)
    assert vp["type"] == ["VerifiablePresentation"] and len(vp["verifiableCredential"]) == 1
    challenge = vp["proof"]["challenge"]
    assert f"Challenge: {challenge}" in r.stderr and "the verifier should send their own" in r.stderr
    assert _history()[0]["challenge_generated"] is True


def test_present_jwt_to_stdout(creds, tmp_path):
    r = run("present", creds["ids"][0], "--format", "jwt", "--challenge", "n", "--domain", "d.example", "--out", "-")
    assert r.exit_code == 0, r.stderr
    token = r.stdout.strip()
    assert token.count(".") == 2
    f = tmp_path / "vp.jwt"
    f.write_text(token)
    assert run("verify", str(f), "--challenge", "n", "--domain", "d.example").exit_code == 0


def test_unsigned_bundle(creds):
    r = run("present", creds["ids"][0], "--unsigned", "--out", "-")
    assert r.exit_code == 0 and "proof" not in json.loads(r.stdout)
    assert "unsigned" in r.stderr
    assert run("present", creds["ids"][0], "--unsigned", "--challenge", "x", "--out", "-").exit_code == 2


def test_confirmation_on_a_terminal(creds, monkeypatch):
    monkeypatch.setattr(passphrase_mod, "_is_interactive", lambda: True)
    out = creds["tmp"] / "no.json"
    r = run("present", creds["ids"][0], "--challenge", "c", "--out", str(out), input="n\n")
    assert r.exit_code == 0 and "Nothing shared." in r.stderr
    assert not out.exists() and _history() == []
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".no.json")]  # no temporary left
    r = run("present", creds["ids"][0], "--challenge", "c", "--out", str(out), input="y\n")
    assert r.exit_code == 0 and out.exists() and len(_history()) == 1


@pytest.mark.parametrize("args,code,message", [
    (["ffffff"], 2, "no credential"),
    (["--skill", "cobol"], 1, "no credential matches --skill cobol"),
    ([], 2, "choose what to present"),
    (["{id}", "--holder", "nobody"], 2, "no identity 'nobody'"),
    (["{id}", "--expires", "7 years"], 2, "cannot read the duration"),
    (["{id}", "--format", "jwt", "--unsigned"], 2, "cannot be used together"),
])
def test_bad_input_one_line_and_wallet_unchanged(creds, args, code, message):
    before = (creds["tmp"] / "wallet" / "wallet.db").read_bytes() if (creds["tmp"] / "wallet" / "wallet.db").exists() else None
    args = [a.format(id=creds["ids"][0]) for a in args]
    r = run("present", *args, "--out", str(creds["tmp"] / "x.json"))
    assert r.exit_code == code, r.stderr
    lines = r.stderr.strip().splitlines()
    assert lines[0].startswith("lerwallet: error: ") and message in lines[0]
    assert lines[1].startswith("lerwallet: hint: ")
    assert not (creds["tmp"] / "x.json").exists() and _history() == []
    if before is not None:
        assert (creds["tmp"] / "wallet" / "wallet.db").read_bytes() == before


def test_unwritable_output(creds, tmp_path):
    r = run("present", creds["ids"][0], "--out", str(tmp_path / "missing" / "vp.json"))
    assert r.exit_code == 2 and r.stderr.startswith("lerwallet: error: cannot create")
    existing = tmp_path / "vp.json"
    existing.write_text("keep")
    r = run("present", creds["ids"][0], "--out", str(existing))
    assert r.exit_code == 2 and "already exists" in r.stderr and existing.read_text() == "keep"
    assert run("present", creds["ids"][0], "--out", str(existing), "--force").exit_code == 0
    assert _history()[0]["outputs"][0]["path"] == str(existing)


def test_invalid_credential_refused_unless_allowed(creds, tmp_path):
    doc = badge(Issuer(), creds["did"], name="Forged", number=9)
    doc["name"] = "Changed after signing"
    f = tmp_path / "bad.json"
    f.write_text(json.dumps(doc))
    assert run("import", str(f), "--allow-invalid").exit_code in (0, 1)
    bad = [r["id"] for r in json.loads(run("list", "--status", "invalid", "--json").stdout)][0]
    r = run("present", bad, "--out", "-")
    assert r.exit_code == 1 and "is invalid" in r.stderr and "--allow-invalid" in r.stderr and r.stdout == ""
    r = run("present", bad, "--allow-invalid", "--out", "-")
    assert r.exit_code == 0 and "MARKED INVALID" in r.stderr
    assert _history()[0]["credentials"][0]["marks"] == ["invalid"]


def test_shared_show_unknown(creds):
    r = run("shared", "show", "4")
    assert r.exit_code == 2 and "no shared entry 4" in r.stderr


def test_json_summary(creds):
    out = creds["tmp"] / "vp.json"
    r = run("present", "--kind", "openbadgecredential", "--domain", "d.example", "--out", str(out), "--json")
    assert r.exit_code == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["shared"] is True and summary["history"] == 1 and summary["format"] == "ldp"
    assert sorted(summary["credentials"]) == sorted(creds["ids"]) and summary["challenge_generated"] is True
    assert summary["outputs"] == [{"form": "file", "path": str(out.resolve())}]
    assert run("present", creds["ids"][0], "--out", "-", "--json").exit_code == 2


def test_did_web_holder_gets_a_publishing_note(creds, tmp_path):
    assert run("did", "create", "--method", "web", "--domain", "learner.example", "--name", "site").exit_code == 0
    r = run("present", creds["ids"][0], "--holder", "site", "--challenge", "c", "--out", str(tmp_path / "vp.json"))
    assert r.exit_code == 0, r.stderr
    assert "not to site" in r.stderr  # issued to the did:key identity
    assert "https://learner.example/.well-known/did.json" in r.stderr
    v = run("verify", str(tmp_path / "vp.json"), "--challenge", "c")
    assert v.exit_code == 4  # offline, the employer cannot fetch the did:web document: inconclusive, not forged
