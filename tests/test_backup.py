"""Backup, restore and check: round trips item by item, and every must-reject case of
docs/backup-format.md changes nothing."""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lerwallet.cli.app import app
from lerwallet.store import Wallet
from lerwallet.store import backup as backups
from lerwallet.store.backup import BackupError, BackupLockedError, Record
from lerwallet.store.check import check_wallet
from test_import import bake_png, bake_svg

VECTORS = Path(__file__).parent / "vectors"
OB3 = VECTORS / "store" / "ob3-teamwork-signed.json"
VC1 = VECTORS / "store" / "vc1-dcc-noexpiry.json"
JWT = VECTORS / "jose" / "ob30-simple.jwt"
EXAMPLES = Path(__file__).parent.parent / "examples" / "credentials"
PW = "backup test passphrase"


def run(*args, env=None, input=None):
    result = CliRunner().invoke(app, list(args), env=env, input=input, catch_exceptions=False)
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    return result


@pytest.fixture
def env():
    return {"LERWALLET_PASSPHRASE": PW}


@pytest.fixture
def full_wallet(env, isolated_home, tmp_path):
    """A wallet with credentials of every stored format, three identities and a presentation
    in its history."""
    assert run("init", env=env).exit_code == 0
    files = []
    for name, data in (("ob3.json", OB3.read_bytes()), ("vc1.json", VC1.read_bytes()), ("ob30.jwt", JWT.read_bytes()),
                       ("baked.png", bake_png((EXAMPLES / "ob3-first-aid.json").read_bytes())),
                       ("baked.svg", bake_svg((EXAMPLES / "ob3-volunteer-vc11.json").read_bytes()))):
        path = tmp_path / name
        path.write_bytes(data)
        files.append(str(path))
    result = run("import", "--allow-invalid", *files, env=env)
    assert result.exit_code in (0, 4), result.stderr  # some vectors are inconclusive offline (status lists)
    assert len(_list(env)) == 5
    assert run("did", "create", "--key-type", "p256", "--name", "second", env=env).exit_code == 0
    assert run("did", "create", "--method", "web", "--domain", "learner.example/alice", "--name", "site", env=env).exit_code == 0
    first = _list(env)[0]["id"]
    shared = run("present", first, "--yes", "--challenge", "c-1", "--domain", "jobs.example", "--allow-invalid",
                 "--out", str(tmp_path / "vp.json"), env=env)
    assert shared.exit_code == 0, shared.stderr
    return isolated_home


def _list(env) -> list[dict]:
    result = run("list", "--json", env=env)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _records(home: Path, kind: str) -> dict[str, dict]:
    with Wallet.open(home, PW.encode()) as w:
        return {e.id: e.data for e in w.entries(kind)}


def _originals(home: Path) -> set[bytes]:
    return {base64.b64decode(d["bytes"]) for d in _records(home, "credential-original").values()}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_round_trip_into_an_empty_wallet_item_by_item(full_wallet, env, tmp_path):
    out = tmp_path / "w.backup"
    made = run("backup", "--out", str(out), "--json", env=env)
    assert made.exit_code == 0, made.stderr
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert json.loads(made.stdout)["records"]["credential"] == 5
    assert b"did:key" not in out.read_bytes() and b"Teamwork" not in out.read_bytes()  # sealed, no plaintext

    restored = tmp_path / "restored"
    result = run("--home", str(restored), "restore", str(out), "--json", env=env)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["records"] == {"credential": 5, "identity": 3, "presentation-history": 1, "setting": 1}

    assert _originals(restored) == _originals(full_wallet)  # byte for byte
    for kind in ("identity", "setting", "presentation-history", "credential-checks", "credential-image"):
        assert _records(restored, kind) == _records(full_wallet, kind), kind
    assert len(_records(restored, "credential-image")) == 2  # the baked PNG and SVG came with their images
    strip = lambda d: {k: v for k, v in d.items() if k not in ("digest", "content_digest")}  # noqa: E731 - rebuilt keyed index
    before, after = _records(full_wallet, "credential"), _records(restored, "credential")
    assert {i: strip(d) for i, d in after.items()} == {i: strip(d) for i, d in before.items()}
    assert len(_records(restored, "credential-digest")) == len(_records(full_wallet, "credential-digest"))
    with Wallet.open(restored, PW.encode()) as w:
        assert check_wallet(w).ok
    listed = [json.loads(run("--home", str(home), "list", "--json", env=env).stdout) for home in (full_wallet, restored)]
    assert listed[0] == listed[1] and len(listed[1]) == 5  # the listing copies are rebuilt with the records
    # the duplicate index works under the new wallet's key: importing a stored file again is a duplicate
    again = run("--home", str(restored), "import", str(tmp_path / "ob3.json"), "--json", env=env)
    assert json.loads(again.stdout)[0]["duplicate"] is True


def test_restored_identities_sign_presentations_that_verify(full_wallet, env, tmp_path):
    out = tmp_path / "w.backup"
    assert run("backup", "--out", str(out), env=env).exit_code == 0
    restored = tmp_path / "restored"
    assert run("--home", str(restored), "restore", str(out), env=env).exit_code == 0
    ids = [row["id"] for row in _list({**env, "LERWALLET_HOME": str(restored)})]
    for holder in ("main", "second"):  # Ed25519 and P-256 keys, both restored with their private halves
        vp = tmp_path / f"vp-{holder}.json"
        made = run("--home", str(restored), "present", ids[0], "--holder", holder, "--yes", "--allow-invalid",
                   "--challenge", "n-42", "--domain", "jobs.example", "--out", str(vp), env=env)
        assert made.exit_code == 0, made.stderr
        checked = run("verify", str(vp), "--challenge", "n-42", "--domain", "jobs.example", "--json")
        presentation_checks = {c["id"]: c for c in json.loads(checked.stdout)["inputs"][0]["presentation"]["checks"]}
        for check in ("presentation.proof", "presentation.challenge", "presentation.domain"):
            assert presentation_checks[check]["outcome"] == "pass", presentation_checks


def test_backup_verify_and_separate_passphrase(full_wallet, env, tmp_path):
    out = tmp_path / "w.backup"
    other = {**env, "LERWALLET_BACKUP_PASSPHRASE": "another long passphrase"}
    assert run("backup", "--out", str(out), env=other).exit_code == 0
    ok = run("backup", "--verify", str(out), "--json", env=other)
    assert ok.exit_code == 0 and json.loads(ok.stdout)["records"]["credential"] == 5
    wrong = run("backup", "--verify", str(out), env=env)  # the wallet's passphrase is not this backup's
    assert wrong.exit_code == 3
    assert wrong.stderr.startswith("lerwallet: error: wrong backup passphrase")
    assert run("backup", "--out", str(out), env=env).exit_code == 2  # exists: --force needed
    assert run("backup", "--out", str(out), "--force", env=env).exit_code == 0


def test_separate_passphrase_without_a_terminal_says_what_to_do_instead(full_wallet, env, tmp_path):
    """--separate-passphrase only asks; unattended, the hint must not name the variable that the
    option refuses to combine with, without saying to leave the option out (found by running
    docs/wallet.md as written, tests/test_docs_commands.py)."""
    result = run("backup", "--out", str(tmp_path / "f.backup"), "--separate-passphrase", env=env)
    assert result.exit_code == 2 and not (tmp_path / "f.backup").exists()
    assert result.stderr.splitlines() == [
        "lerwallet: error: --separate-passphrase asks for the passphrase on a terminal, and there is none here",
        "lerwallet: hint: leave it out and give the backup passphrase in LERWALLET_BACKUP_PASSPHRASE or "
        "--backup-passphrase-file FILE"]


def test_merge_skips_duplicates_and_reports_them(full_wallet, env, tmp_path):
    out = tmp_path / "w.backup"
    assert run("backup", "--out", str(out), env=env).exit_code == 0
    result = run("restore", str(out), "--merge", "--json", env=env)
    assert result.exit_code == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["records"] == {}
    whys = sorted(s["kind"] for s in outcome["skipped"])
    assert whys == ["credential"] * 5 + ["identity"] * 3 + ["presentation-history", "setting"]
    assert len(_list(env)) == 5

    other_home = tmp_path / "other"  # a second wallet with one credential of its own and the same identity name
    other_env = {**env, "LERWALLET_HOME": str(other_home)}
    assert run("init", env=other_env).exit_code == 0
    assert run("import", str(EXAMPLES / "ob3-first-aid.json"), env=other_env).exit_code == 0
    merged = run("restore", str(out), "--merge", "--json", env=other_env)
    assert merged.exit_code == 0, merged.stderr
    outcome = json.loads(merged.stdout)
    assert outcome["records"]["credential"] == 4  # the baked first-aid badge is already there as JSON
    assert [r["from"] for r in outcome["renamed"]] == ["main"]
    names = sorted(i["name"] for i in json.loads(run("did", "list", "--json", env=other_env).stdout))
    assert names == ["main", "main-2", "second", "site"]


def test_replace_asks_first_and_then_replaces_everything(full_wallet, env, tmp_path):
    out = tmp_path / "w.backup"
    assert run("backup", "--out", str(out), env=env).exit_code == 0
    before = _list(env)
    assert run("delete", before[0]["id"], "--yes", env=env).exit_code == 0
    refused = run("restore", str(out), "--replace", env=env)  # no terminal, and no answer on stdin
    assert refused.exit_code == 2 and "--yes" in refused.stderr
    assert len(_list(env)) == 4
    declined = run("restore", str(out), "--replace", env=env, input="n\n")  # piped, like `delete`
    assert declined.exit_code == 0 and "Nothing changed." in declined.stderr and len(_list(env)) == 4
    assert run("restore", str(out), "--replace", env=env, input="y\n").exit_code == 0
    assert len(_list(env)) == 5
    assert run("delete", before[0]["id"], "--yes", env=env).exit_code == 0
    assert run("restore", str(out), "--replace", "--yes", env=env).exit_code == 0
    assert sorted(r["id"] for r in _list(env)) == sorted(r["id"] for r in before)
    with Wallet.open(full_wallet, PW.encode()) as w:
        assert check_wallet(w).ok


def test_restore_refuses_to_clobber_or_guess(full_wallet, env, tmp_path):
    out = tmp_path / "w.backup"
    assert run("backup", "--out", str(out), env=env).exit_code == 0
    existing = run("restore", str(out), env=env)
    assert existing.exit_code == 2 and "--merge" in existing.stderr
    missing = run("--home", str(tmp_path / "none"), "restore", str(out), "--merge", env=env)
    assert missing.exit_code == 2 and not (tmp_path / "none" / "wallet.db").exists()
    both = run("restore", str(out), "--merge", "--replace", env=env)
    assert both.exit_code == 2


# --- must-reject cases: one clear error each, nothing changed --------------------------------


@pytest.fixture
def small_backup(tmp_path) -> bytes:
    from lerwallet import crypto

    records = [Record("setting", "default_holder", {"identity": "x"}), Record("identity", "x", {"did": "did:example:1", "name": "a"})]
    return backups.seal_backup(records, b"pw", kdf=crypto.KdfParams.unsafe_fast_for_tests())


def test_every_single_byte_flip_is_refused(small_backup):
    """A flipped byte anywhere (magic, version, lengths, header, body, tag) is refused: never
    read as a backup with other contents."""
    for position in range(len(small_backup)):
        damaged = bytearray(small_backup)
        damaged[position] ^= 0x01
        with pytest.raises((BackupError, BackupLockedError)):
            backups.open_backup(bytes(damaged), b"pw")


def test_truncation_at_any_length_is_refused(small_backup):
    for length in range(len(small_backup)):
        with pytest.raises((BackupError, BackupLockedError)):
            backups.open_backup(small_backup[:length], b"pw")


def test_reject_cases_name_the_problem(small_backup):
    assert [r.kind for r in backups.open_backup(small_backup, b"pw").records] == ["setting", "identity"]
    with pytest.raises(BackupLockedError):
        backups.open_backup(small_backup, b"wrong")
    with pytest.raises(BackupError, match="not a lerwallet backup"):
        backups.open_backup(b"SQLite format 3\x00" + small_backup[16:], b"pw")
    newer = small_backup[:16] + (2).to_bytes(2, "big") + small_backup[18:]
    with pytest.raises(BackupError, match="newer than this lerwallet supports"):
        backups.open_backup(newer, b"pw")
    with pytest.raises(BackupError, match="truncated"):
        backups.open_backup(small_backup[:-1], b"pw")


def test_out_of_range_kdf_parameters_are_refused_before_the_kdf_runs(small_backup):
    """An edited header cannot make opening take minutes or all memory."""
    start = small_backup.index(b"{")
    length = int.from_bytes(small_backup[18:22], "big")
    header = json.loads(small_backup[start:start + length])
    header["kdf"]["memory_kib"] = 64 * 1024 * 1024
    text = json.dumps(header, sort_keys=True).encode()
    edited = small_backup[:18] + len(text).to_bytes(4, "big") + text + small_backup[start + length:]
    with pytest.raises(BackupError, match="unreadable header"):
        backups.open_backup(edited, b"pw")


def test_inflating_is_bounded(monkeypatch):
    monkeypatch.setattr(backups, "MAX_PAYLOAD", 1 << 20)
    bomb = zlib.compress(b"\x00" * (64 << 20), 9)  # 64 MiB of zeros in ~64 KB
    with pytest.raises(BackupError, match="larger than lerwallet restores"):
        backups._inflate(bomb)


def test_a_failed_restore_changes_nothing(full_wallet, env, tmp_path):
    out = tmp_path / "w.backup"
    assert run("backup", "--out", str(out), env=env).exit_code == 0
    data = out.read_bytes()
    db = full_wallet / "wallet.db"
    before = _digest(db)
    cases = {
        "flipped": data[:-20] + bytes([data[-20] ^ 0xFF]) + data[-19:],
        "truncated": data[: len(data) // 2],
        "type": b"not a backup at all",
        "newer": data[:16] + (9).to_bytes(2, "big") + data[18:],
    }
    for name, bad in cases.items():
        path = tmp_path / f"{name}.backup"
        path.write_bytes(bad)
        result = run("restore", str(path), "--merge", env=env)
        assert result.exit_code == 2, (name, result.stderr)
        assert result.stderr.count("lerwallet: error:") == 1
        fresh = tmp_path / f"fresh-{name}"
        result = run("--home", str(fresh), "restore", str(path), env=env)
        assert result.exit_code == 2, (name, result.stderr)
        assert not (fresh / "wallet.db").exists()
    wrong = run("restore", str(out), "--merge", env={**env, "LERWALLET_BACKUP_PASSPHRASE": "not it"})
    assert wrong.exit_code == 3
    assert _digest(db) == before
    assert len(_list(env)) == 5


# --- check ------------------------------------------------------------------------------------


def _damage_one(home: Path, kind: str) -> str:
    conn = sqlite3.connect(home / "wallet.db")
    record_id, sealed = conn.execute("SELECT id, sealed FROM records WHERE kind = ? ORDER BY id LIMIT 1", (kind,)).fetchone()
    conn.execute("UPDATE records SET sealed = ? WHERE kind = ? AND id = ?", (sealed[:-1] + bytes([sealed[-1] ^ 1]), kind, record_id))
    conn.commit()
    conn.close()
    return record_id


def test_check_names_each_damaged_record(full_wallet, env, tmp_path):
    healthy = run("check", "--json", env=env)
    assert healthy.exit_code == 0, healthy.stderr
    assert json.loads(healthy.stdout)["ok"] is True
    bad_original = _damage_one(full_wallet, "credential-original")
    bad_identity = _damage_one(full_wallet, "identity")
    result = run("check", "--json", env=env)
    assert result.exit_code == 1
    damaged = {(d["kind"], d["id"]) for d in json.loads(result.stdout)["damaged"]}
    assert damaged == {("credential-original", bad_original), ("identity", bad_identity)}
    terminal = run("check", env=env)
    assert terminal.exit_code == 1 and bad_original in terminal.stderr

    # a backup of a damaged wallet keeps what opens, names what it left out, and exits 1
    out = tmp_path / "partial.backup"
    made = run("backup", "--out", str(out), "--json", env=env)
    assert made.exit_code == 1
    assert {s["id"] for s in json.loads(made.stdout)["skipped"]} == {bad_original, bad_identity}
    restored = tmp_path / "restored"
    result = run("--home", str(restored), "restore", str(out), "--json", env=env)
    assert result.exit_code == 0
    skipped = {s["id"]: s["why"] for s in json.loads(result.stdout)["skipped"]}
    assert skipped.pop(bad_original) == "its original is not in the backup"
    # the default-holder setting is skipped exactly when it named the damaged identity
    default_was_damaged = _records(full_wallet, "setting")["default_holder"]["identity"] == bad_identity
    assert skipped == ({"default_holder": "names an identity not in the backup"} if default_was_damaged else {})
    with Wallet.open(restored, PW.encode()) as w:
        assert check_wallet(w).ok


def test_check_reports_a_damaged_manifest(full_wallet, env):
    conn = sqlite3.connect(full_wallet / "wallet.db")
    conn.execute("UPDATE manifest SET sealed = zeroblob(40)")
    conn.commit()
    conn.close()
    result = run("check", "--json", env=env)
    assert result.exit_code == 1
    assert [d["kind"] for d in json.loads(result.stdout)["damaged"]] == ["manifest"]


@pytest.mark.parametrize("make", ["wrong-type", "truncated-header", "truncated-body", "newer"])
def test_every_refused_backup_is_one_error_and_one_hint(full_wallet, env, tmp_path, make):
    good = tmp_path / "w.backup"
    assert run("backup", "--out", str(good), env=env).exit_code == 0
    data = good.read_bytes()
    bad = tmp_path / "bad.backup"
    bad.write_bytes({"wrong-type": b"PK\x03\x04" + data[4:], "truncated-header": data[:30], "truncated-body": data[:-5],
                     "newer": data[:16] + (9).to_bytes(2, "big") + data[18:]}[make])
    before = _records(full_wallet, "credential")
    for args in (("backup", "--verify", str(bad)), ("restore", str(bad), "--merge")):
        r = run(*args, env=env)
        assert r.exit_code == 2, (args, r.stderr)
        lines = r.stderr.splitlines()
        assert len(lines) == 2 and lines[0].startswith("lerwallet: error: ") and lines[1].startswith("lerwallet: hint: "), lines
    assert _records(full_wallet, "credential") == before
