"""The encrypted store: envelope encryption, record binding, versions, modes, no plaintext on disk."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from lerwallet import crypto
from lerwallet.errors import (
    InputError,
    IntegrityError,
    NotFoundError,
    UsageError,
    WalletLockedError,
)
from lerwallet.store import FORMAT_VERSION, Wallet, credentials, new_id
from lerwallet.store.vault import DB_NAME

VECTORS = Path(__file__).parent / "vectors" / "store"
FAST = crypto.KdfParams.unsafe_fast_for_tests()
PW = b"correct horse"


@pytest.fixture
def home(tmp_path) -> Path:
    return tmp_path / "w"


@pytest.fixture
def wallet(home):
    w = Wallet.create(home, PW, kdf=FAST)
    yield w
    w.close()


def _raw_sql(home: Path, sql: str, params=()) -> list:
    conn = sqlite3.connect(home / DB_NAME, isolation_level=None)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def test_create_open_roundtrip(home):
    with Wallet.create(home, PW, kdf=FAST) as w:
        w.put("setting", "default_holder", {"did": "did:key:z6Mk", "n": [1, 2]})
    assert Wallet.exists(home)
    with Wallet.open(home, PW) as w:
        assert w.get("setting", "default_holder") == {"did": "did:key:z6Mk", "n": [1, 2]}
        assert w.list("setting") == [("default_holder", {"did": "did:key:z6Mk", "n": [1, 2]})]


def test_create_refuses_existing_wallet(wallet, home):
    with pytest.raises(UsageError, match="already exists"):
        Wallet.create(home, b"other", kdf=FAST)
    wallet.put("setting", "a", {"x": 1})  # the original is untouched
    assert wallet.get("setting", "a") == {"x": 1}


def test_open_missing_wallet_hints_init(home):
    with pytest.raises(NotFoundError) as exc:
        Wallet.open(home, PW)
    assert "lerwallet init" in exc.value.hint


def test_wrong_passphrase_is_locked(wallet, home):
    wallet.close()
    with pytest.raises(WalletLockedError, match="wrong passphrase or damaged wallet"):
        Wallet.open(home, b"wrong")


def test_unlock_runs_the_kdf_exactly_once(wallet, home, monkeypatch):
    wallet.put("credential", "c1", {"x": 1})
    wallet.close()
    calls = []
    real = crypto.derive_key
    monkeypatch.setattr(crypto, "derive_key", lambda *a: calls.append(a) or real(*a))
    with Wallet.open(home, PW) as w:
        w.list("credential")
        w.get("credential", "c1")
        w.put("credential", "c2", {"y": 2})
    assert len(calls) == 1


def test_damaged_keyslot_is_locked_not_traceback(wallet, home):
    wallet.close()
    (wrapped,) = _raw_sql(home, "SELECT wrapped FROM keyslot")[0]
    flipped = bytes(wrapped[:-1]) + bytes([wrapped[-1] ^ 1])
    _raw_sql(home, "UPDATE keyslot SET wrapped = ?", (flipped,))
    with pytest.raises(WalletLockedError):
        Wallet.open(home, PW)


def test_keyslot_binds_kdf_params(wallet, home):
    """A downgraded (tampered) KDF parameter set cannot unlock the wallet."""
    wallet.close()
    kdf = json.loads(_raw_sql(home, "SELECT kdf FROM keyslot")[0][0])
    kdf["iterations"] = 2
    _raw_sql(home, "UPDATE keyslot SET kdf = ?", (json.dumps(kdf),))
    with pytest.raises(WalletLockedError):
        Wallet.open(home, PW)


def test_tampered_record_reports_its_id_and_rest_stays_readable(wallet, home):
    wallet.put("credential", "good", {"a": 1})
    wallet.put("credential", "bad", {"b": 2})
    sealed = _raw_sql(home, "SELECT sealed FROM records WHERE id = 'bad'")[0][0]
    _raw_sql(home, "UPDATE records SET sealed = ? WHERE id = 'bad'", (sealed[:20] + b"X" + sealed[21:],))
    with pytest.raises(IntegrityError, match="bad"):
        wallet.get("credential", "bad")
    assert wallet.get("credential", "good") == {"a": 1}
    entries = {e.id: e for e in wallet.entries("credential")}
    assert entries["good"].data == {"a": 1} and entries["bad"].error is not None
    with pytest.raises(IntegrityError):
        wallet.list("credential")


@pytest.mark.parametrize("target", [("credential", "other"), ("identity", "one")])
def test_moving_a_blob_to_another_row_is_detected(wallet, home, target):
    """AAD = (kind, id): a sealed blob copied to another id or kind does not open there."""
    wallet.put("credential", "one", {"secret": 1})
    wallet.put(target[0], target[1], {"placeholder": 0})
    sealed = _raw_sql(home, "SELECT sealed FROM records WHERE kind='credential' AND id='one'")[0][0]
    _raw_sql(home, "UPDATE records SET sealed = ? WHERE kind = ? AND id = ?", (sealed, *target))
    with pytest.raises(IntegrityError):
        wallet.get(*target)


def test_put_is_upsert_and_delete_removes(wallet):
    wallet.put("identity", "i1", {"v": 1})
    wallet.put("identity", "i1", {"v": 2})
    assert wallet.list("identity") == [("i1", {"v": 2})]
    wallet.delete("identity", "i1")
    assert wallet.list("identity") == []
    with pytest.raises(NotFoundError):
        wallet.delete("identity", "i1")
    with pytest.raises(NotFoundError):
        wallet.get("identity", "i1")


@pytest.mark.parametrize("bad", ["", "a\nb", "x" * 201])
def test_bad_ids_rejected(wallet, bad):
    with pytest.raises(UsageError):
        wallet.put("setting", bad, {})


def test_non_json_data_rejected(wallet):
    with pytest.raises(UsageError, match="JSON"):
        wallet.put("setting", "s", {"b": b"bytes"})
    with pytest.raises(InputError, match=r"not valid Unicode \(a lone surrogate \\ud800\)"):
        wallet.put("setting", "s", {"t": "x\ud800"})


def test_transaction_rolls_back_every_write(wallet):
    wallet.put("setting", "keep", {"v": 1})
    with pytest.raises(RuntimeError):
        with wallet.transaction():
            wallet.put("setting", "new", {"v": 2})
            wallet.delete("setting", "keep")
            raise RuntimeError("boom")
    assert wallet.list("setting") == [("keep", {"v": 1})]


def test_resolve_id_prefixes(wallet):
    for rid in ("abc123", "abd456", "ab"):
        wallet.put("credential", rid, {})
    assert wallet.resolve_id("credential", "abc") == "abc123"
    assert wallet.resolve_id("credential", "ab") == "ab"  # exact match wins
    with pytest.raises(UsageError, match="ambiguous.*abc123.*abd456"):
        wallet.resolve_id("credential", "a")
    with pytest.raises(NotFoundError):
        wallet.resolve_id("credential", "zz")
    with pytest.raises(NotFoundError):
        wallet.resolve_id("identity", "abc")  # kinds are separate namespaces
    with pytest.raises(UsageError):
        wallet.resolve_id("credential", "")


def test_change_passphrase_rewraps_only(wallet, home, monkeypatch):
    wallet.put("credential", "c", {"v": 1})
    before = _raw_sql(home, "SELECT kind, id, sealed FROM records")
    calls = []
    real = crypto.derive_key
    monkeypatch.setattr(crypto, "derive_key", lambda *a: calls.append(a) or real(*a))
    wallet.change_passphrase(b"new one")
    assert len(calls) == 1
    assert _raw_sql(home, "SELECT kind, id, sealed FROM records") == before  # no record touched
    wallet.close()
    with pytest.raises(WalletLockedError):
        Wallet.open(home, PW)
    with Wallet.open(home, b"new one") as w:
        assert w.get("credential", "c") == {"v": 1}


def test_newer_format_version_rejected(wallet, home):
    wallet.close()
    _raw_sql(home, f"PRAGMA user_version = {FORMAT_VERSION + 1}")
    with pytest.raises(InputError, match="newer than this lerwallet supports") as exc:
        Wallet.open(home, PW)
    assert "upgrade" in exc.value.hint
    with pytest.raises(InputError, match="newer"):
        Wallet.inspect(home)


@pytest.mark.parametrize("content", [b"", b"not sqlite at all" * 100])
def test_not_a_wallet_file(home, content):
    home.mkdir(mode=0o700)
    (home / DB_NAME).write_bytes(content)
    with pytest.raises(WalletLockedError, match="^damaged wallet: .* is not a lerwallet wallet"):
        Wallet.open(home, PW)
    with pytest.raises(WalletLockedError, match="^damaged wallet: "):
        Wallet.inspect(home)
    assert (home / DB_NAME).read_bytes() == content  # nothing written


def test_other_sqlite_file_is_not_a_wallet(home):
    home.mkdir(mode=0o700)
    _raw_sql(home, "CREATE TABLE t (x)")
    with pytest.raises(WalletLockedError, match="not a lerwallet wallet"):
        Wallet.open(home, PW)


def test_file_modes(wallet, home):
    wallet.put("setting", "s", {"v": 1})  # WAL and shm files exist now
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    files = list(home.glob(DB_NAME + "*"))
    assert files and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files)
    assert not list(home.glob(".*tmp"))  # the build file is gone


def test_loose_modes_warn_at_open(wallet, home):
    wallet.close()
    os.chmod(home, 0o755)
    os.chmod(home / DB_NAME, 0o644)
    with Wallet.open(home, PW) as w:
        assert len(w.warnings) == 2
        assert any("chmod 600" in m for m in w.warnings) and any("chmod 700" in m for m in w.warnings)


def test_stats_and_inspect_show_no_secret(wallet, home):
    wallet.put("credential", "c", {"v": 1})
    stats = wallet.stats()
    assert stats["format_version"] == FORMAT_VERSION
    assert stats["records"] == {"credential": 1}
    assert stats["kdf"] == FAST.to_dict() and stats["kdf_weak"] is True
    inspected = Wallet.inspect(home)
    assert inspected["records"] == stats["records"] and inspected["kdf"] == stats["kdf"]
    assert inspected["warnings"] == []


def test_default_kdf_is_not_weak(home, monkeypatch):
    from lerwallet.store import vault

    monkeypatch.setattr(vault, "new_wallet_kdf", crypto.KdfParams.default)  # undo the suite's cheap setting
    seen = []
    monkeypatch.setattr(crypto, "derive_key", lambda p, s, k: seen.append(k) or b"k" * 32)
    with Wallet.create(home, PW) as w:
        assert w.stats()["kdf_weak"] is False
    assert seen == [crypto.KdfParams.default()]


def test_closed_wallet_refuses_use(wallet):
    wallet.close()
    with pytest.raises(Exception, match="closed"):
        wallet.get("setting", "x")


# --- credentials ----------------------------------------------------------------------------


def test_no_plaintext_anywhere_on_disk(wallet, home):
    raw = (VECTORS / "ob3-teamwork-signed.json").read_bytes()
    record = credentials.import_credential(wallet, raw, source="teamwork-badge.json")
    wallet.put("identity", new_id(), {"did": "did:key:z6MkUNIQUEHOLDERKEY"})
    distinctive = [b"Teamwork", b"Example Corp", b"example.edu", b"565049", b"ebfeb1f712ebc6f1c276e12ec21",
                   b"OpenBadgeCredential", b"2010-01-01", b"teamwork-badge", b"z6MkUNIQUEHOLDERKEY",
                   crypto.sha256(raw).hex().encode(), crypto.sha256(raw)]
    blobs = b"".join(p.read_bytes() for p in home.iterdir() if p.is_file())
    assert any(p.name.endswith("-wal") for p in home.iterdir())  # the WAL is searched too
    for needle in distinctive:
        assert needle not in blobs, needle
    # and the delete path leaves no trace either (secure_delete)
    credentials.delete_credential(wallet, record.id)
    wallet.close()
    blobs = b"".join(p.read_bytes() for p in home.iterdir() if p.is_file())
    for needle in distinctive:
        assert needle not in blobs, needle


def test_import_keeps_original_bytes_and_summary(wallet):
    raw = (VECTORS / "vc1-dcc-noexpiry.json").read_bytes()
    record = credentials.import_credential(wallet, raw, source="dcc.json")
    assert credentials.get_original(wallet, record.id) == raw
    got = credentials.get_credential(wallet, record.id)
    assert got.title == "DCC Test Credential"
    assert got.status == "unverified" and got.source == "dcc.json"
    assert got.listing()["kind"] == "OpenBadgeCredential"
    assert got.listing()["issued"] == "2025-01-09T15:06:31Z"


def test_duplicate_import_detected_not_stored_twice(wallet):
    raw = (VECTORS / "ob3-teamwork-signed.json").read_bytes()
    first = credentials.import_credential(wallet, raw)
    again = credentials.import_credential(wallet, raw)
    assert again.duplicate and again.id == first.id and not first.duplicate
    assert len(credentials.list_credentials(wallet)) == 1
    # a copy laid out differently is the same credential; the first bytes stay stored verbatim
    relaid = json.dumps(json.loads(raw), indent=1, sort_keys=True).encode()
    same = credentials.import_credential(wallet, relaid + b"\n")
    assert same.duplicate and same.id == first.id
    assert credentials.get_original(wallet, first.id) == raw
    # a different document (one value changed) is a different credential
    doc = json.loads(raw)
    doc["name"] = doc["name"] + " (copy)"
    other = credentials.import_credential(wallet, json.dumps(doc).encode())
    assert other.id != first.id and not other.duplicate
    # a JWT is its own canonical form: only its bytes identify it
    assert credentials._canonical_json(b"eyJhbGciOiJFUzI1NiJ9.e30.sig") is None


def test_duplicate_digest_is_keyed_per_wallet(tmp_path):
    with Wallet.create(tmp_path / "a", PW, kdf=FAST) as a, Wallet.create(tmp_path / "b", PW, kdf=FAST) as b:
        assert a.keyed_digest("p", b"x") != b.keyed_digest("p", b"x")
        assert a.keyed_digest("p", b"x") == a.keyed_digest("p", b"x")
        assert a.keyed_digest("p", b"x") != a.keyed_digest("q", b"x")


def test_delete_then_reimport(wallet):
    raw = (VECTORS / "ob3-teamwork-signed.json").read_bytes()
    record = credentials.import_credential(wallet, raw)
    credentials.delete_credential(wallet, record.id)
    assert credentials.list_credentials(wallet) == []
    assert wallet.stats()["records"] == {}
    again = credentials.import_credential(wallet, raw)
    assert not again.duplicate


def test_damaged_credential_listed_and_deletable(wallet, home):
    raw = (VECTORS / "ob3-teamwork-signed.json").read_bytes()
    good = credentials.import_credential(wallet, raw)
    bad = credentials.import_credential(wallet, (VECTORS / "vc1-dcc-noexpiry.json").read_bytes())
    _raw_sql(home, "UPDATE records SET sealed = zeroblob(40) WHERE kind = 'credential' AND id = ?", (bad.id,))
    with pytest.raises(IntegrityError, match=bad.id):
        credentials.get_credential(wallet, bad.id)
    entries = {e.id: e for e in wallet.entries("credential")}  # what `check` reads
    assert entries[bad.id].error is not None and entries[good.id].data["summary"]["title"] == "Teamwork Badge"
    # `list` does not open the row either, but its listing row names the row's bytes (SHA-256):
    listed = {r.id: r for r in credentials.list_credentials(wallet)}
    assert listed[good.id].status == "unverified" and listed[good.id].title == "Teamwork Badge"
    assert listed[bad.id].status == "damaged"
    assert listed[bad.id].error == f"credential {bad.id} failed its integrity check (damaged or tampered)"
    assert credentials.fast_listing(wallet) is None  # the compact rows are for a sound wallet only
    credentials.delete_credential(wallet, bad.id)
    assert wallet.stats()["records"] == {"credential": 1, "credential-original": 1, "credential-digest": 2}  # bytes and canonical JSON


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"", "empty"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b'{"a": ', "invalid JSON at line 1"),
        (b"[1, 2]", "expected a JSON object"),
        (b'{"type": ["VerifiableCredential"]}', "no @context"),
        (b'{"@context": [], "type": "Thing"}', "VerifiableCredential"),
        (b'{"@context": [], "type": ["VerifiablePresentation"]}', "presentation"),
    ],
)
def test_parse_rejects_non_credentials(raw, message):
    with pytest.raises(InputError, match=message):
        credentials.parse_json_credential(raw)


def test_parse_accepts_bom():
    raw = b"\xef\xbb\xbf" + (VECTORS / "ob3-teamwork-signed.json").read_bytes()
    assert credentials.parse_json_credential(raw)["name"] == "Teamwork Badge"


# --- review 2: leftovers of an earlier wallet; all-or-nothing create ------------------------


def _leave_a_stale_wal(home: Path) -> None:
    """What a killed process leaves behind once its wallet.db is deleted: a WAL with frames."""
    w = Wallet.create(home, b"passphrase A", kdf=FAST)
    w._conn.execute("PRAGMA wal_autocheckpoint = 0")
    reader = sqlite3.connect(home / DB_NAME, isolation_level=None)  # a reader elsewhere holds the
    reader.execute("BEGIN")                                          # checkpoint after each commit back
    reader.execute("SELECT count(*) FROM records").fetchone()
    for i in range(3):
        w.put("setting", f"s{i}", {"v": i})
    stale = (home / (DB_NAME + "-wal")).read_bytes()
    assert stale
    reader.close()
    w.close()
    (home / DB_NAME).unlink()
    (home / (DB_NAME + "-wal")).write_bytes(stale)


def test_create_refuses_next_to_a_stale_wal(home):
    _leave_a_stale_wal(home)
    with pytest.raises(UsageError, match="wallet.db-wal") as info:
        Wallet.create(home, b"passphrase B", kdf=FAST)
    assert "mv " in info.value.hint
    assert not (home / DB_NAME).exists()  # nothing half-made: a later init can still succeed
    (home / (DB_NAME + "-wal")).unlink()
    with Wallet.create(home, b"passphrase B", kdf=FAST) as w:
        w.put("setting", "x", {"v": 1})
    with Wallet.open(home, b"passphrase B") as w:
        assert w.list("setting") == [("x", {"v": 1})]


def test_create_is_all_or_nothing_with_setup(home):
    def failing(w):
        w.put("setting", "a", {"v": 1})
        raise UsageError("setup failed")

    with pytest.raises(UsageError, match="setup failed"):
        Wallet.create(home, PW, kdf=FAST, setup=failing)
    assert not (home / DB_NAME).exists() and not list(home.glob(".*tmp"))
    with Wallet.create(home, PW, kdf=FAST, setup=lambda w: w.put("setting", "a", {"v": 2})) as w:
        assert w.get("setting", "a") == {"v": 2}


def test_create_tightens_an_empty_open_folder_and_warns_otherwise(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir(mode=0o755)
    os.chmod(empty, 0o755)
    with Wallet.create(empty, PW, kdf=FAST) as w:
        assert w.warnings == []
    assert stat.S_IMODE(empty.stat().st_mode) == 0o700
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o755)
    (shared / "notes.txt").write_text("someone else's file")
    with Wallet.create(shared, PW, kdf=FAST) as w:
        assert len(w.warnings) == 1 and "chmod 700" in w.warnings[0]
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755  # not ours to change


# --- review 7: shapes, KDF caps, rollback protection (format 2), migration from format 1 ------


def _row(home: Path, kind: str, rid: str):
    return _raw_sql(home, "SELECT sealed, version FROM records WHERE kind=? AND id=?", (kind, rid))[0]


def test_an_older_copy_of_a_record_is_detected_as_rollback(wallet, home):
    wallet.put("identity", "i1", {"private": "old key"})
    old = _row(home, "identity", "i1")
    wallet.put("identity", "i1", {"private": "new key"})
    wallet.put("identity", "i2", {"private": "other"})
    _raw_sql(home, "UPDATE records SET sealed=?, version=? WHERE kind='identity' AND id='i1'", old)
    with pytest.raises(IntegrityError, match="older copy .*rolled back"):
        wallet.get("identity", "i1")
    entries = {e.id: e for e in wallet.entries("identity")}
    assert entries["i1"].error is not None and entries["i2"].data == {"private": "other"}
    wallet.close()
    with Wallet.open(home, PW) as again:  # also for a fresh reader
        with pytest.raises(IntegrityError, match="rolled back"):
            again.get("identity", "i1")


def test_the_version_column_cannot_be_edited_to_match(wallet, home):
    wallet.put("setting", "s", {"v": 1})
    old_sealed, old_version = _row(home, "setting", "s")
    wallet.put("setting", "s", {"v": 2})
    _, new_version = _row(home, "setting", "s")
    _raw_sql(home, "UPDATE records SET sealed=?, version=? WHERE kind='setting'", (old_sealed, new_version))
    with pytest.raises(IntegrityError, match="failed its integrity check"):  # version is in the AAD
        wallet.get("setting", "s")


def test_a_row_deleted_outside_lerwallet_is_reported_and_can_be_cleared(wallet, home):
    wallet.put("credential", "c1", {"t": 1})
    wallet.put("credential", "c2", {"t": 2})
    _raw_sql(home, "DELETE FROM records WHERE id='c1'")
    (gone, kept) = wallet.entries("credential")
    assert gone.id == "c1" and "removed from the wallet file" in gone.error.message
    assert kept.data == {"t": 2}
    assert wallet.has("credential", "c1") and wallet.ids("credential") == ["c1", "c2"]
    with pytest.raises(IntegrityError, match="removed"):
        wallet.get("credential", "c1")
    wallet.delete("credential", "c1")
    assert [e.id for e in wallet.entries("credential")] == ["c2"]


def test_a_row_the_manifest_does_not_list_is_reported(wallet, home, tmp_path):
    with Wallet.create(tmp_path / "other", PW, kdf=FAST) as other:
        other.put("setting", "x", {"v": 1})
    sealed, version = _row(tmp_path / "other", "setting", "x")
    _raw_sql(home, "INSERT INTO records (kind, id, sealed, version) VALUES ('setting', 'x', ?, ?)", (sealed, version))
    with pytest.raises(IntegrityError, match="not in its manifest"):
        wallet.get("setting", "x")


def test_a_rolled_back_manifest_is_detected(wallet, home):
    wallet.put("setting", "a", {"v": 1})
    saved = _raw_sql(home, "SELECT generation, sealed FROM manifest")[0]
    wallet.put("setting", "a", {"v": 2})
    wallet.close()
    _raw_sql(home, "UPDATE manifest SET generation=?, sealed=?", saved)
    with Wallet.open(home, PW) as w:
        with pytest.raises(IntegrityError):
            w.get("setting", "a")
    _raw_sql(home, "UPDATE manifest SET generation=generation+1")  # generation is in the AAD
    with Wallet.open(home, PW) as w:
        with pytest.raises(IntegrityError, match="manifest failed its integrity check"):
            w.get("setting", "a")


def test_two_connections_see_each_others_writes(home):
    Wallet.create(home, PW, kdf=FAST).close()
    with Wallet.open(home, PW) as a, Wallet.open(home, PW) as b:
        a.put("setting", "x", {"v": "a"})
        b.put("setting", "y", {"v": "b"})
        a.put("setting", "x", {"v": "a2"})
        assert b.get("setting", "x") == {"v": "a2"} and a.get("setting", "y") == {"v": "b"}
        assert [e.error for e in b.entries("setting")] == [None, None]


def test_text_where_blobs_belong_is_an_integrity_or_lock_error(wallet, home):
    wallet.put("setting", "s", {"v": 1})
    wallet.close()
    _raw_sql(home, "UPDATE records SET sealed = CAST(sealed AS TEXT)")
    with Wallet.open(home, PW) as w:
        assert w.entries("setting")[0].error is not None
    _raw_sql(home, "UPDATE keyslot SET salt = 'not bytes'")
    with pytest.raises(WalletLockedError):
        Wallet.open(home, PW)


@pytest.mark.parametrize("params", [
    {"memory_kib": 4 * 1024 * 1024, "iterations": 1, "lanes": 1},  # 4 GiB
    {"memory_kib": 65536, "iterations": 64, "lanes": 1},
    {"memory_kib": 1024 * 1024, "iterations": 3, "lanes": 4},  # 1 GiB x 3 passes
    {"memory_kib": 65536.5, "iterations": 3, "lanes": 4},
    {"memory_kib": True, "iterations": 3, "lanes": 4},
])
def test_kdf_parameters_are_capped_before_the_kdf_runs(wallet, home, params):
    wallet.close()
    _raw_sql(home, "UPDATE keyslot SET kdf = ?", (json.dumps({"algorithm": "argon2id", **params}),))
    with pytest.raises(WalletLockedError):
        Wallet.open(home, PW)


def _make_format_1_wallet(home: Path, passphrase: bytes, records: dict) -> None:
    """A wallet as format 1 wrote it: records sealed with AAD(kind, id), no manifest."""
    from lerwallet.store import vault

    home.mkdir(mode=0o700)
    conn = sqlite3.connect(home / DB_NAME, isolation_level=None)
    for statement in vault._MIGRATIONS[1].split(";"):
        if statement.strip():
            conn.execute(statement)
    data_key, salt = crypto.generate_data_key(), os.urandom(16)
    kdf_json = json.dumps(FAST.to_dict(), sort_keys=True)
    wrapped = crypto.seal(crypto.derive_key(passphrase, salt, FAST), data_key, vault.keyslot_aad(kdf_json, salt))
    conn.execute("INSERT INTO keyslot VALUES (1, ?, ?, ?)", (kdf_json, salt, wrapped))
    for (kind, rid), data in records.items():
        sealed = crypto.seal(data_key, json.dumps(data).encode(), vault.record_aad_v1(kind, rid))
        conn.execute("INSERT INTO records VALUES (?, ?, ?)", (kind, rid, sealed))
    conn.execute("INSERT INTO records VALUES ('credential', 'broken', ?)", (os.urandom(40),))
    conn.execute("PRAGMA user_version = 1")
    conn.execute(f"PRAGMA application_id = {vault.APPLICATION_ID}")
    conn.close()


def test_format_1_wallet_is_upgraded_on_unlock(home):
    records = {("credential", "c1"): {"t": "one"}, ("identity", "i1"): {"name": "main"}}
    _make_format_1_wallet(home, PW, records)
    assert Wallet.inspect(home)["format_version"] == 1
    with Wallet.open(home, PW) as w:
        assert w.get("credential", "c1") == {"t": "one"} and w.get("identity", "i1") == {"name": "main"}
        broken = {e.id: e for e in w.entries("credential")}["broken"]
        assert broken.error is not None  # damaged before, still reported, still deletable
        w.delete("credential", "broken")
        w.put("credential", "c2", {"t": "two"})
    assert Wallet.inspect(home)["format_version"] == FORMAT_VERSION == 4
    with Wallet.open(home, PW) as w:
        assert [(e.id, e.data) for e in w.entries("credential")] == [("c1", {"t": "one"}), ("c2", {"t": "two"})]
