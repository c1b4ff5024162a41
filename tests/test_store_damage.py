"""The store under damage: a damaged WAL, flipped bytes anywhere in wallet.db, and `list` and
`check` agreeing about what they can both see. Each failure is reported, never a crash."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lerwallet import crypto
from lerwallet.cli.app import app
from lerwallet.errors import LerwalletError
from lerwallet.store import credentials
from lerwallet.store.check import check_wallet
from lerwallet.store.vault import COMMITS_NAME, DB_NAME, Wallet

EXAMPLES = Path(__file__).parent.parent / "examples" / "credentials"
FAST = crypto.KdfParams.unsafe_fast_for_tests()
PW = b"damage test passphrase"


def _wallet(home: Path) -> None:
    with Wallet.create(home, PW, kdf=FAST) as w:
        for f in sorted(EXAMPLES.glob("*.json")):
            credentials.import_credential(w, f.read_bytes())


def _killed_copy(home: Path, target: Path, writes) -> None:
    """What `kill -9` leaves mid-session: a reader elsewhere holds the checkpoint back, the
    writes commit into the WAL, and the folder is copied as it stands (no clean close)."""
    reader = sqlite3.connect(home / DB_NAME, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM records").fetchone()
    with Wallet.open(home, PW) as w:
        writes(w)
        shutil.copytree(home, target)
    reader.close()


def test_committed_writes_stay_out_of_the_wal_after_commit(tmp_path):
    home = tmp_path / "w"
    _wallet(home)
    with Wallet.open(home, PW) as w:
        w.put("setting", "x", {"v": 1})
        wal = home / (DB_NAME + "-wal")
        assert not wal.exists() or wal.stat().st_size == 0  # checkpointed into wallet.db at once


def test_a_damaged_wal_frame_is_reported_not_silently_lost(tmp_path):
    home = tmp_path / "w"
    _wallet(home)
    copy = tmp_path / "copy"

    def writes(w):
        for i in range(3):
            credentials.import_credential(w, json.dumps({"n": i, "@context": ["https://www.w3.org/ns/credentials/v2"],
                                                           "type": ["VerifiableCredential"]}).encode())

    _killed_copy(home, copy, writes)
    wal = copy / (DB_NAME + "-wal")
    data = bytearray(wal.read_bytes())
    assert len(data) > 32 + 24 + 4096  # the WAL holds the three commits
    data[32 + 24 + 100] ^= 0x01  # inside the first frame's page: its checksum fails, SQLite drops it and all after
    wal.write_bytes(bytes(data))

    with Wallet.open(copy, PW) as w:
        assert any("committed changes are missing" in m for m in w.warnings)
        result = check_wallet(w)
        assert not result.ok and "committed changes are missing" in result.damaged[0].message
        assert len(credentials.list_credentials(w)) == len(list(EXAMPLES.glob("*.json")))  # the three imports are gone, and that was said
    # via the command line: a warning on every command, check exits 1, --accept-loss clears it
    env = {"LERWALLET_PASSPHRASE": PW.decode(), "LERWALLET_HOME": str(copy)}
    runner = CliRunner()
    listed = runner.invoke(app, ["list"], env=env)
    assert listed.exit_code == 0 and "committed changes are missing" in listed.stderr
    assert runner.invoke(app, ["check"], env=env).exit_code == 1
    accepted = runner.invoke(app, ["check", "--accept-loss"], env=env)
    assert accepted.exit_code == 0, accepted.stderr
    clean = runner.invoke(app, ["list"], env=env)
    assert "committed changes are missing" not in clean.stderr


def test_an_intact_wal_after_a_kill_loses_nothing(tmp_path):
    home = tmp_path / "w"
    _wallet(home)
    copy = tmp_path / "copy"
    _killed_copy(home, copy, lambda w: w.put("setting", "late", {"v": 1}))
    with Wallet.open(copy, PW) as w:
        assert w.warnings == [] and w.get("setting", "late") == {"v": 1}
        assert check_wallet(w).ok


def test_an_older_copy_of_wallet_db_is_detected(tmp_path):
    home = tmp_path / "w"
    _wallet(home)
    old = (home / DB_NAME).read_bytes()
    with Wallet.open(home, PW) as w:
        w.put("setting", "a", {"v": 1})
        w.put("setting", "b", {"v": 2})
    (home / DB_NAME).write_bytes(old)
    with Wallet.open(home, PW) as w:
        assert any("committed changes are missing" in m for m in w.warnings)
    (home / COMMITS_NAME).unlink()  # without the counter the detector is off, nothing else changes
    with Wallet.open(home, PW) as w:
        assert w.warnings == []


def test_single_byte_flips_in_wallet_db_are_reported_never_a_crash(tmp_path):
    """Every outcome of a flipped byte is a report (damaged wallet exit 3, damaged record exit 1)
    or nothing noticed: never a raw sqlite3 or decoding error. Header bytes all, the rest sampled."""
    home = tmp_path / "w"
    _wallet(home)
    data = (home / DB_NAME).read_bytes()
    positions = list(range(100)) + random.Random(7).sample(range(100, len(data)), 700)
    for position in positions:
        target = tmp_path / f"f{position}"
        target.mkdir(mode=0o700)
        damaged = bytearray(data)
        damaged[position] ^= 0xFF
        (target / DB_NAME).write_bytes(bytes(damaged))
        (target / DB_NAME).chmod(0o600)
        try:
            with Wallet.open(target, PW) as w:
                check_wallet(w)
                for record in credentials.list_credentials(w):
                    if record.status != "damaged":
                        credentials.get_original(w, record.id)
        except LerwalletError:
            pass
        shutil.rmtree(target)


def test_list_and_check_agree_on_a_removed_original(tmp_path):
    home = tmp_path / "w"
    _wallet(home)
    conn = sqlite3.connect(home / DB_NAME)
    gone = conn.execute("SELECT id FROM records WHERE kind = 'credential-original' ORDER BY id LIMIT 1").fetchone()[0]
    conn.execute("DELETE FROM records WHERE kind = 'credential-original' AND id = ?", (gone,))
    conn.commit()
    conn.close()
    with Wallet.open(home, PW) as w:
        listed = {r.id: r.status for r in credentials.list_credentials(w)}
        checked = {f.id for f in check_wallet(w).damaged}
    assert listed[gone] == "damaged" and gone in checked
    assert [i for i, s in listed.items() if s == "damaged"] == [gone]


@pytest.mark.parametrize("position", [20, 31])
def test_header_flips_the_audit_named_are_a_damaged_wallet(tmp_path, position):
    home = tmp_path / "w"
    _wallet(home)
    path = home / DB_NAME
    data = bytearray(path.read_bytes())
    data[position] ^= 0xFF
    path.write_bytes(bytes(data))
    result = CliRunner().invoke(app, ["list"], env={"LERWALLET_PASSPHRASE": PW.decode(), "LERWALLET_HOME": str(home)})
    assert "Traceback" not in result.output
    assert result.exit_code == 3  # was exit 70 "internal error" (a raw sqlite3 error)
    assert result.stderr.startswith("lerwallet: error: damaged wallet:")
