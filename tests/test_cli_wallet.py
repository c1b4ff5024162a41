"""The wallet commands through CliRunner: what a user sees, every bad input, exit codes."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lerwallet.cli import passphrase as passphrase_mod
from lerwallet.cli.app import app
from lerwallet.store.vault import DB_NAME, FORMAT_VERSION

VECTORS = Path(__file__).parent / "vectors" / "store"
OB3 = VECTORS / "ob3-teamwork-signed.json"
VC1 = VECTORS / "vc1-dcc-noexpiry.json"
PW = "pässword one"


def run(*args, env=None, input=None):
    runner = CliRunner()
    result = runner.invoke(app, list(args), env=env, input=input, catch_exceptions=False)
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    return result


@pytest.fixture
def env():
    return {"LERWALLET_PASSPHRASE": PW}


@pytest.fixture
def wallet(env, isolated_home):
    result = run("init", env=env)
    assert result.exit_code == 0, result.stderr
    return isolated_home


def _ids(env) -> list[str]:
    return [row["id"] for row in json.loads(run("list", "--json", env=env).stdout)]


# --- init, path, status, passwd ---------------------------------------------------------------


def test_init_creates_and_refuses_twice(env, isolated_home):
    result = run("init", env=env)
    assert result.exit_code == 0
    assert "Created an encrypted wallet" in result.stderr
    assert "weak key derivation" in result.stderr  # the weak test KDF is never silent
    assert (isolated_home / DB_NAME).is_file()
    again = run("init", env=env)
    assert again.exit_code == 2
    assert again.stderr.startswith("lerwallet: error: a wallet already exists")


def test_init_from_passphrase_file(tmp_path, isolated_home):
    secret = tmp_path / "pw.txt"
    secret.write_text("from a file\n")
    assert run("init", "--passphrase-file", str(secret)).exit_code == 0
    assert run("list", env={"LERWALLET_PASSPHRASE": "from a file"}).exit_code == 0
    assert run("list", "--passphrase-file", str(secret)).exit_code == 0


def test_init_prompts_twice_when_interactive(monkeypatch, isolated_home):
    monkeypatch.setattr(passphrase_mod, "_is_interactive", lambda: True)
    result = run("init", input="typed secret\ntyped secret\n")
    assert result.exit_code == 0, result.stderr
    assert "typed secret" not in result.stdout + result.stderr  # hidden
    assert run("list", env={"LERWALLET_PASSPHRASE": "typed secret"}).exit_code == 0


def test_init_prompt_mismatch_asks_again(monkeypatch, isolated_home):
    monkeypatch.setattr(passphrase_mod, "_is_interactive", lambda: True)
    result = run("init", input="one is long enough\ntwo\nthree\nthree\n")
    assert result.exit_code == 0
    assert "lerwallet: error: the two passphrases do not match; type it again\n" in result.stderr
    assert "Error:" not in result.stderr.replace("lerwallet: error:", "")  # not Click's own line
    assert run("list", env={"LERWALLET_PASSPHRASE": "three"}).exit_code == 0


@pytest.mark.parametrize("secret, weak", [("x", True), ("elevenchars", True), ("ääääääääääää", False),
                                          ("correct horse battery", False)])
def test_init_and_passwd_warn_about_a_short_passphrase_but_accept_it(isolated_home, secret, weak):
    made = run("init", env={"LERWALLET_PASSPHRASE": secret})
    assert made.exit_code == 0, made.stderr
    assert ("lerwallet: warning: the passphrase has only" in made.stderr) is weak
    changed = run("passwd", env={"LERWALLET_PASSPHRASE": secret, "LERWALLET_NEW_PASSPHRASE": "short"})
    assert changed.exit_code == 0 and "the passphrase has only 5 characters" in changed.stderr
    assert run("list", env={"LERWALLET_PASSPHRASE": "short"}).exit_code == 0


@pytest.mark.parametrize("args", [("init",), ("list",)])
def test_an_empty_passphrase_variable_is_named(isolated_home, args):
    if args == ("list",):
        assert run("init", env={"LERWALLET_PASSPHRASE": PW}).exit_code == 0
    result = run(*args, env={"LERWALLET_PASSPHRASE": ""})
    assert result.exit_code == 2
    assert result.stderr.startswith("lerwallet: error: LERWALLET_PASSPHRASE is set but empty\n")
    assert "lerwallet: hint: " in result.stderr


def test_no_passphrase_source_without_terminal(isolated_home):
    result = run("init")
    assert result.exit_code == 2
    assert "no passphrase given and no terminal" in result.stderr
    assert "LERWALLET_PASSPHRASE" in result.stderr and "--passphrase-file" in result.stderr
    assert not (isolated_home / DB_NAME).exists()


def test_passphrase_is_not_an_argument():
    result = CliRunner().invoke(app, ["init", "--passphrase", "x"])
    assert result.exit_code == 2


@pytest.mark.parametrize("make", ["missing", "directory", "empty"])
def test_bad_passphrase_file(tmp_path, make):
    target = tmp_path / "pw"
    if make == "directory":
        target.mkdir()
    elif make == "empty":
        target.write_text("")
    result = run("init", "--passphrase-file", str(target))
    assert result.exit_code == 2
    assert result.stderr.startswith("lerwallet: error:")


def test_path_works_without_wallet(isolated_home):
    result = run("path")
    assert result.exit_code == 0 and result.stdout.strip() == str(isolated_home)
    data = json.loads(run("path", "--json").stdout)
    assert data == {"home": str(isolated_home), "database": str(isolated_home / DB_NAME), "exists": False}


def test_home_option_overrides_env(tmp_path, env):
    other = tmp_path / "elsewhere"
    assert run("--home", str(other), "init", env=env).exit_code == 0
    assert run("--home", str(other), "path").stdout.strip() == str(other)
    assert (other / DB_NAME).is_file()


def test_status_needs_no_passphrase_and_shows_no_secret(wallet, env):
    run("import", str(OB3), env=env)
    result = run("status")  # no LERWALLET_PASSPHRASE
    assert result.exit_code == 0
    assert "credentials          1" in result.stdout
    assert f"format version       {FORMAT_VERSION}" in result.stdout
    assert "WEAK" in result.stdout
    data = json.loads(run("status", "--json").stdout)
    assert data["records"]["credential"] == 1 and data["kdf"]["memory_kib"] == 64 and data["kdf_weak"]
    assert "salt" not in json.dumps(data) and "wrapped" not in json.dumps(data)


def test_missing_wallet_everywhere(env):
    for args in (["status"], ["list"], ["show", "ab"], ["delete", "ab", "--yes"], ["passwd"]):
        result = run(*args, env=env)
        assert result.exit_code == 2, args
        assert "no wallet at" in result.stderr and "lerwallet init" in result.stderr


def test_wrong_passphrase_exit_3(wallet):
    result = run("list", env={"LERWALLET_PASSPHRASE": "nope"})
    assert result.exit_code == 3
    assert result.stderr == "lerwallet: error: wrong passphrase or damaged wallet\n"


def test_passwd(wallet, env):
    run("import", str(OB3), env=env)
    result = run("passwd", env={**env, "LERWALLET_NEW_PASSPHRASE": "second"})
    assert result.exit_code == 0 and "Passphrase changed" in result.stderr
    assert run("list", env=env).exit_code == 3
    assert len(_ids({"LERWALLET_PASSPHRASE": "second"})) == 1


def test_passwd_new_passphrase_file(wallet, env, tmp_path):
    new = tmp_path / "new"
    new.write_bytes(b"second\r\n")
    assert run("passwd", "--new-passphrase-file", str(new), env=env).exit_code == 0
    assert run("list", env={"LERWALLET_PASSPHRASE": "second"}).exit_code == 0


def test_passwd_without_new_source(wallet, env):
    result = run("passwd", env=env)
    assert result.exit_code == 2 and "LERWALLET_NEW_PASSPHRASE" in result.stderr


def test_passphrase_nfc_normalized(isolated_home):
    assert run("init", env={"LERWALLET_PASSPHRASE": "caf\u00e9"}).exit_code == 0
    assert run("list", env={"LERWALLET_PASSPHRASE": "cafe\u0301"}).exit_code == 0


# --- import, list, show, delete ---------------------------------------------------------------


def test_import_list_show(wallet, env):
    result = run("import", str(OB3), str(VC1), env=env)
    assert result.exit_code == 0, result.stderr
    assert "imported" in result.stdout and "Teamwork Badge" in result.stdout
    # Verified at import, offline: the DCC credential's did:key resolves; the 1EdTech sample's
    # https issuer key cannot be fetched offline, so it is stored as inconclusive, with a warning.
    assert "verified" in result.stdout and "inconclusive" in result.stdout
    assert "imported as inconclusive" in result.stderr and "--online" in result.stderr
    rows = json.loads(run("list", "--json", env=env).stdout)
    assert [r["title"] for r in rows] == ["Teamwork Badge", "DCC Test Credential"] or \
        sorted(r["title"] for r in rows) == ["DCC Test Credential", "Teamwork Badge"]
    assert set(rows[0]) == {"id", "title", "issuer", "kind", "issued", "valid_until", "status", "self_attested", "superseded_by",
                            "clr"}
    ob3 = next(r for r in rows if r["title"] == "Teamwork Badge")
    assert ob3 == {**ob3, "issuer": "Example Corp", "kind": "OpenBadgeCredential",
                   "issued": "2010-01-01T00:00:00Z", "valid_until": "", "status": "inconclusive"}
    assert next(r for r in rows if r["title"] == "DCC Test Credential")["status"] == "verified"
    table = run("list", env=env).stdout
    assert "Teamwork Badge" in table and "Example Corp" in table and ob3["id"][:10] in table
    shown = run("show", ob3["id"][:6], env=env)
    assert shown.exit_code == 0 and "Teamwork Badge" in shown.stdout and "Example Corp" in shown.stdout
    data = json.loads(run("show", ob3["id"][:6], "--json", env=env).stdout)
    assert data["id"] == ob3["id"] and data["credential"]["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    raw = run("show", ob3["id"], "--raw", env=env)
    assert raw.stdout_bytes == OB3.read_bytes()


def test_show_names_the_data_model(wallet, env):
    from lerwallet import crypto
    from lerwallet.keys import did_key_from_public
    from lerwallet.proofs.sdjwt import create_sd_jwt

    key = crypto.generate_private_key("p256")
    did = did_key_from_public("p256", crypto.public_key_of("p256", key))
    token = create_sd_jwt({"iss": did, "vct": "https://credentials.example/degree", "iat": 1748736000,
                           "degree": "BSc"}, ["/degree"], key_type="p256", private_key=key, kid=f"{did}#{did[8:]}")
    [sd] = json.loads(run("import", "-", "--json", env=env, input=token.encode()).stdout)
    [vc] = json.loads(run("import", str(VC1), "--json", env=env).stdout)
    lines = {i: [line for line in run("show", i, env=env).stdout.splitlines() if "data model" in line]
             for i in (sd["id"], vc["id"])}
    assert lines[sd["id"]][0].split("data model", 1)[1].strip(" │") == "SD-JWT VC"  # not "VC SD-JWT VC"
    assert lines[vc["id"]][0].split("data model", 1)[1].strip(" │") == "VC 1.1"


def test_the_same_credential_from_its_file_and_from_a_presentation_is_stored_once(wallet, env, tmp_path):
    from tests.verify_helpers import Party, badge, presentation

    issuer, holder = Party(), Party()
    cred = issuer.sign(badge(issuer, subject=holder.did))
    vp = tmp_path / "vp.json"
    vp.write_text(json.dumps(presentation(holder, [cred], challenge="c1", domain="wallet.example")))
    pretty = tmp_path / "badge.json"
    pretty.write_text(json.dumps(cred, indent=4, sort_keys=True))  # other bytes, same credential
    [first] = json.loads(run("import", str(pretty), "--json", env=env).stdout)
    assert first["duplicate"] is False
    [again] = json.loads(run("import", str(vp), "--json", env=env).stdout)
    assert again["duplicate"] is True and again["id"] == first["id"]
    assert _ids(env) == [first["id"]]
    # delete clears both index entries: the presentation's copy then imports as new
    assert run("delete", first["id"], "--yes", env=env).exit_code == 0
    [fresh] = json.loads(run("import", str(vp), "--json", env=env).stdout)
    assert fresh["duplicate"] is False and _ids(env) == [fresh["id"]]
    [back] = json.loads(run("import", str(pretty), "--json", env=env).stdout)
    assert back["duplicate"] is True and back["id"] == fresh["id"]
    other = issuer.sign(badge(issuer, subject=holder.did, name="Another"))  # another credential is not a duplicate
    (tmp_path / "other.json").write_text(json.dumps(other))
    assert json.loads(run("import", str(tmp_path / "other.json"), "--json", env=env).stdout)[0]["duplicate"] is False


def test_import_json_output(wallet, env):
    data = json.loads(run("import", "--json", str(OB3), env=env).stdout)
    assert data[0]["source"] == str(OB3) and data[0]["duplicate"] is False and len(data[0]["id"]) == 32


def test_import_from_stdin(wallet, env):
    result = run("import", "-", env=env, input=OB3.read_bytes())
    assert result.exit_code == 0
    assert "(stdin)" in result.stdout


def test_import_twice_reports_duplicate(wallet, env):
    first = run("import", str(OB3), env=env)
    second = run("import", str(OB3), env=env)
    assert second.exit_code == 0 and "already in the wallet" in second.stdout
    assert len(_ids(env)) == 1
    assert first.stdout.split()[1] == second.stdout.split()[5]  # same short id


def test_import_partial_failure_is_atomic_per_file(wallet, env, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"@context": [], "type": ["Thing"]}')
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("import", str(bad), str(OB3), str(tmp_path / "missing.json"), str(empty), env=env)
    assert result.exit_code == 2
    assert len(_ids(env)) == 1
    lines = result.stderr.splitlines()
    assert f"lerwallet: error: {bad}: JSON is neither a verifiable credential nor a presentation" in lines
    assert f"lerwallet: error: {tmp_path / 'missing.json'}: no such file or folder" in lines
    assert f"lerwallet: error: {empty}: the folder holds no credential files (subfolders need --recursive)" in lines


@pytest.mark.parametrize(
    "content, message",
    [
        (b"{not json", "invalid JSON at line 1 column 2"),
        (b'"just a string"', "not a credential, presentation, JWT"),
        (b'{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"]}',
         "the presentation holds no credential"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG image without a baked Open Badges credential"),
        (b"eyJhbGciOiJFZERTQSJ9.eyJmb28iOjF9.c2ln", "carries no verifiable credential"),
        (b"", "not a credential, presentation, JWT, SD-JWT or baked badge"),
        (b'{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], '
         b'"name": "\\ud800", "issuer": "did:example:a", "credentialSubject": {}}', "lone surrogate (\\ud800)"),
    ],
)
def test_import_bad_inputs(wallet, env, tmp_path, content, message):
    f = tmp_path / "in.json"
    f.write_bytes(content)
    result = run("import", str(f), env=env)
    assert result.exit_code == 2
    assert message in result.stderr and result.stderr.startswith("lerwallet: error:")


def test_import_bad_input_asks_no_passphrase(isolated_home, tmp_path):
    f = tmp_path / "in.json"
    f.write_text("[]")
    result = run("import", str(f))  # no wallet, no passphrase: the file error is what matters
    assert result.exit_code == 2 and "no credential found in the input" in result.stderr


def test_import_unreadable_file(wallet, env, tmp_path):
    # CI runs as root, which reads a mode-0000 file anyway: the refusal is made by the OS call
    # itself here, so the error path runs for every user.
    f = tmp_path / "secret.json"
    shutil.copy(OB3, f)
    real_open = os.open

    def refusing_open(path, *args, **kwargs):
        if str(path) == str(f):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(os, "open", refusing_open)
        result = run("import", str(f), env=env)
    assert result.exit_code == 2 and f"{f}: cannot read: Permission denied" in result.stderr
    assert run("list", "--json", env=env).stdout.strip() == "[]"  # nothing stored


def test_list_empty(wallet, env):
    result = run("list", env=env)
    assert result.exit_code == 0 and "No credentials yet" in result.stderr
    assert json.loads(run("list", "--json", env=env).stdout) == []


def test_unknown_and_ambiguous_ids(wallet, env, tmp_path):
    for i in range(40):  # 40 random ids: some pair shares a first hex digit
        doc = json.loads(OB3.read_text())
        doc["name"] = f"Badge {i}"
        (tmp_path / f"{i}.json").write_text(json.dumps(doc))
    run("import", *[str(tmp_path / f"{i}.json") for i in range(40)], env=env)
    ids = _ids(env)
    first = {}
    for i in ids:
        first.setdefault(i[0], []).append(i)
    prefix, matches = next((k, v) for k, v in first.items() if len(v) > 1)
    result = run("show", prefix, env=env)
    assert result.exit_code == 2
    assert f"id prefix {prefix} is ambiguous" in result.stderr and matches[0] in result.stderr
    missing = run("show", "zzzz", env=env)
    assert missing.exit_code == 2 and "no credential with id zzzz" in missing.stderr
    assert "lerwallet list" in missing.stderr


def test_show_raw_and_json_conflict_checked_first(isolated_home):
    result = run("show", "abc", "--raw", "--json")  # no wallet: the usage error comes first
    assert result.exit_code == 2 and "--raw and --json" in result.stderr


def test_delete(wallet, env):
    run("import", str(OB3), str(VC1), env=env)
    target = _ids(env)[0]
    result = run("delete", target[:8], "--yes", env=env)
    assert result.exit_code == 0 and "Deleted" in result.stderr
    assert target not in _ids(env) and len(_ids(env)) == 1


def test_delete_needs_confirmation(wallet, env, monkeypatch):
    run("import", str(OB3), env=env)
    target = _ids(env)[0]
    refused = run("delete", target, env=env)  # no terminal and nothing on stdin
    assert refused.exit_code == 2 and "--yes" in refused.stderr and _ids(env) == [target]
    piped = run("delete", target, env=env, input="n\n")  # echo n | lerwallet delete ID
    assert piped.exit_code == 0 and "Nothing deleted" in piped.stderr and _ids(env) == [target]
    monkeypatch.setattr(passphrase_mod, "_is_interactive", lambda: True)
    kept = run("delete", target, env=env, input="n\n")
    assert kept.exit_code == 0 and _ids(env) == [target]
    gone = run("delete", target, env=env, input="y\n")
    assert gone.exit_code == 0 and _ids(env) == []


def test_delete_is_confirmed_from_a_pipe(wallet, env):
    run("import", str(OB3), env=env)
    target = _ids(env)[0]
    gone = run("delete", target, env=env, input="y\n")  # echo y | lerwallet delete ID
    assert gone.exit_code == 0 and "Deleted" in gone.stderr and _ids(env) == []


@pytest.mark.parametrize("keep", [0, 50, 4096])
def test_a_truncated_wallet_file_is_a_damaged_wallet_exit_3(wallet, env, keep):
    run("import", str(OB3), env=env)
    db = wallet / DB_NAME
    with sqlite3.connect(db) as conn:  # fold the WAL in, so the truncation hits real pages
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for extra in wallet.glob(DB_NAME + "-*"):
        extra.unlink()
    truncated = db.read_bytes()[:keep]
    db.write_bytes(truncated)
    for args in (("list",), ("status",), ("did", "list")):
        result = run(*args, env=env)
        assert result.exit_code == 3, (args, result.stderr)
        lines = result.stderr.splitlines()
        assert lines[0].startswith(f"lerwallet: error: damaged wallet: {db}") and lines[1].startswith("lerwallet: hint:")
    assert db.read_bytes() == truncated


def test_damaged_record_is_marked_and_others_listed(wallet, env):
    run("import", str(OB3), str(VC1), env=env)
    ids = _ids(env)
    conn = sqlite3.connect(wallet / DB_NAME)
    conn.execute("UPDATE records SET sealed = zeroblob(60) WHERE kind = 'credential' AND id = ?", (ids[1],))
    conn.commit()
    conn.close()
    # `list` reads the listing rows in the manifest buckets, not the records, but each listing
    # row names its record's sealed bytes (SHA-256): `list` and `check` name the same record.
    result = run("list", env=env)
    assert result.exit_code == 1
    assert "damaged" in result.stdout and ids[0][:10] in result.stdout
    assert f"credential {ids[1]} failed its integrity check" in result.stderr
    rows = {r["id"]: r for r in json.loads(run("list", "--json", env=env).stdout)}
    assert rows[ids[1]]["status"] == "damaged" and rows[ids[0]]["status"] == "verified"  # the DCC credential, issued 2025: listed first
    checked = run("check", "--json", env=env)
    assert checked.exit_code == 1
    assert [(d["kind"], d["id"]) for d in json.loads(checked.stdout)["damaged"]] == [("credential", ids[1])]
    shown = run("show", ids[1], env=env)
    assert shown.exit_code == 1 and "failed its integrity check" in shown.stderr
    assert run("show", ids[0], env=env).exit_code == 0
    assert run("delete", ids[1], "--yes", env=env).exit_code == 0
    assert run("list", env=env).exit_code == 0


def test_loose_modes_warn(wallet, env):
    os.chmod(wallet, 0o755)
    result = run("list", env=env)
    assert result.exit_code == 0
    assert "lerwallet: warning:" in result.stderr and "chmod 700" in result.stderr
    assert "chmod 700" in run("status").stderr


def test_newer_store_version(wallet, env):
    conn = sqlite3.connect(wallet / DB_NAME)
    conn.execute(f"PRAGMA user_version = {FORMAT_VERSION + 1}")
    conn.close()
    result = run("list", env=env)
    assert result.exit_code == 2
    assert "newer than this lerwallet supports" in result.stderr and "upgrade lerwallet" in result.stderr


def test_every_wallet_command_has_help():
    for command in ("init", "path", "status", "passwd", "import", "list", "show", "recheck", "delete"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Usage:" in result.stdout and "Example" in result.stdout, command
        doc = app.registered_commands
        assert any(c.name == command and (c.callback.__doc__ or "").strip() for c in doc), command


def test_import_path_through_a_file_is_unreadable(wallet, env, tmp_path):
    """Unreadable even for root: a path that goes through a regular file."""
    result = run("import", str(OB3 / "inner.json"), env=env)
    assert result.exit_code == 2 and "cannot read: Not a directory" in result.stderr


def test_init_warns_about_an_open_shared_folder(env, isolated_home):
    isolated_home.mkdir()
    os.chmod(isolated_home, 0o755)
    (isolated_home / "other.txt").write_text("x")
    result = run("init", env=env)
    assert result.exit_code == 0
    assert "lerwallet: warning:" in result.stderr and "chmod 700" in result.stderr


def test_init_next_to_stale_wal_refuses_and_leaves_nothing(env, isolated_home):
    isolated_home.mkdir(mode=0o700)
    (isolated_home / (DB_NAME + "-wal")).write_bytes(b"\0" * 32)
    result = run("init", env=env)
    assert result.exit_code == 2
    assert result.stderr.startswith("lerwallet: error:") and "wallet.db-wal" in result.stderr  # before the KDF warning
    assert not (isolated_home / DB_NAME).exists()


def test_import_of_an_endless_device_is_capped(wallet, env):
    # review 8: /dev/zero reports size 0 and was read without a limit (MemoryError, exit 70)
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    result = run("import", "/dev/zero", env=env)
    assert result.exit_code == 2
    assert "not a regular file" in result.stderr  # issue #10: refused before it is opened


def test_delete_prompt_and_message_escape_terminal_controls(wallet, env, tmp_path, monkeypatch):
    (tmp_path / "evil.json").write_text(json.dumps({
        "@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer", "name": "Evil\x1b[2J\x07title", "credentialSubject": {"id": "did:example:learner"}}))
    run("import", str(tmp_path / "evil.json"), env=env)
    (rid,) = _ids(env)
    declined = run("delete", rid, env=env, input="n\n")
    assert declined.exit_code == 0 and "\x1b" not in declined.stderr and "\\x1b" in declined.stderr
    done = run("delete", rid, "--yes", "--json", env=env)
    assert json.loads(done.stdout) == {"deleted": True, "id": rid}
    assert "\x1b" not in done.stderr and "\x07" not in done.stderr and "Deleted" in done.stderr


# --- review 9: exit codes at prompts, usage errors, flag precedence, passwd KDF ---------------


@pytest.mark.parametrize("args, needle, command", [
    (["list", "--bogus"], "no such option: --bogus", "lerwallet list"),
    (["show"], "missing argument 'ID'", "lerwallet show"),
    (["did", "create", "--zzz"], "no such option: --zzz", "lerwallet did create"),
    (["bogus"], "no such command 'bogus'", "lerwallet"),
])
def test_usage_errors_are_one_line_with_a_help_hint(args, needle, command):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr == f"lerwallet: error: {needle}\nlerwallet: hint: see: {command} --help\n"


def test_end_of_input_at_the_prompt_exits_2_and_ctrl_c_130(monkeypatch, isolated_home):
    import typer

    monkeypatch.setattr(passphrase_mod, "_is_interactive", lambda: True)
    eof = run("init", input="")
    assert eof.exit_code == 2 and "lerwallet: error: no answer: the input ended" in eof.stderr
    assert "Aborted" not in eof.stderr
    assert not (isolated_home / DB_NAME).exists()

    def interrupted(*args, **kwargs):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise typer.Abort() from None  # what click's prompt does

    monkeypatch.setattr(typer, "prompt", interrupted)
    result = run("init")
    assert result.exit_code == 130 and "lerwallet: error: interrupted" in result.stderr


def test_explicit_passphrase_file_wins_over_the_environment(wallet, env, tmp_path):
    right = tmp_path / "pass"
    right.write_text(PW + "\n")
    result = run("list", "--passphrase-file", str(right), env={"LERWALLET_PASSPHRASE": "wrong one"})
    assert result.exit_code == 0, result.stderr
    wrong = tmp_path / "wrong"
    wrong.write_text("wrong\n")
    assert run("list", "--passphrase-file", str(wrong), env=env).exit_code == 3


def test_passwd_raises_weak_kdf_parameters_to_the_defaults(wallet, env, monkeypatch):
    from lerwallet import crypto

    assert json.loads(run("status", "--json").stdout)["kdf_weak"] is True
    from lerwallet.store import vault

    monkeypatch.setattr(vault, "new_wallet_kdf", crypto.KdfParams.default)  # as shipped
    result = run("passwd", env={**env, "LERWALLET_NEW_PASSPHRASE": "second"})
    assert result.exit_code == 0 and "key derivation raised to argon2id" in result.stderr
    info = json.loads(run("status", "--json").stdout)
    assert info["kdf_weak"] is False and info["kdf"] == crypto.KdfParams.default().to_dict()
    assert run("list", env={"LERWALLET_PASSPHRASE": "second"}).exit_code == 0


def test_a_credential_removed_outside_lerwallet_is_listed_damaged_and_deletable(wallet, env):
    # review 7: rows deleted behind the wallet's back are reported (format 2 manifest)
    run("import", str(OB3), env=env)
    (rid,) = _ids(env)
    conn = sqlite3.connect(wallet / DB_NAME, isolation_level=None)
    conn.execute("DELETE FROM records WHERE kind = 'credential' AND id = ?", (rid,))
    conn.close()
    listed = run("list", env=env)
    assert listed.exit_code == 1 and "damaged" in listed.stdout
    assert run("delete", rid, "--yes", env=env).exit_code == 0
    assert run("list", env=env).exit_code == 0
    assert run("import", str(OB3), env=env).exit_code == 0  # the digest index was cleared too


def test_a_wrong_passphrase_at_a_prompt_can_be_typed_again_three_times_in_all(wallet, monkeypatch):
    monkeypatch.setattr(passphrase_mod, "_is_interactive", lambda: True)
    third = run("list", "--json", input=f"wrong one\nwrong two\n{PW}\n")
    assert third.exit_code == 0, third.stderr
    assert third.stderr.count("wrong passphrase or damaged wallet; try again") == 2
    out = run("list", input="wrong one\nwrong two\nwrong three\n")
    assert out.exit_code == 3 and out.stderr.count("try again") == 2
    assert out.stderr.rstrip().endswith("lerwallet: error: wrong passphrase or damaged wallet")


def test_a_wrong_passphrase_from_the_environment_is_not_retried(wallet, monkeypatch):
    monkeypatch.setattr(passphrase_mod, "_is_interactive", lambda: True)
    out = run("list", env={"LERWALLET_PASSPHRASE": "wrong"}, input=f"{PW}\n")
    assert out.exit_code == 3 and "try again" not in out.stderr
