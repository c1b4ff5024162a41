"""Store format 3: the manifest in buckets with listing copies, and the migration from format 2.

The format 2 wallet under tests/vectors/store/v2-wallet/ was made by the format 2 code
(its make.py says how); expected-list.json is what that code listed. A failed, a killed and a
refused migration are tested here for every older format (tests/store_vectors.OLD_WALLETS).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lerwallet import crypto
from lerwallet.cli.app import app
from lerwallet.errors import IntegrityError
from lerwallet.store import credentials, vault
from lerwallet.store.check import check_wallet
from lerwallet.store.vault import DB_NAME, FORMAT_VERSION, Wallet
from tests.store_vectors import OLD_WALLETS, expected_list, old_wallet
from tests.store_vectors import sql as _sql

V2, V2_PASSPHRASE, _ = OLD_WALLETS[2]
FAST = crypto.KdfParams.unsafe_fast_for_tests()
PW = b"migration test passphrase"


@pytest.fixture
def v2_home(tmp_path) -> Path:
    return old_wallet(tmp_path, 2)


def test_a_format_2_wallet_migrates_on_open_and_lists_identically(v2_home):
    expected = json.loads((V2 / "expected-list.json").read_text())
    with Wallet.open(v2_home, V2_PASSPHRASE) as w:
        assert [r.to_dict() for r in credentials.list_credentials(w)] == expected
        assert check_wallet(w).ok
        assert w.get("setting", "example") == {"v": 1}
    assert Wallet.inspect(v2_home)["format_version"] == FORMAT_VERSION == 4
    assert _sql(v2_home, "SELECT count(*) FROM manifest_bucket")[0][0] > 1
    with Wallet.open(v2_home, V2_PASSPHRASE) as w:  # and again, as format 4, after a write
        first = expected[0]["id"]
        credentials.set_verification(w, first, status="expired", reason="r", checks=[], checked_at="2026-11-29T10:00:00Z")
        listed = [r.to_dict() for r in credentials.list_credentials(w)]
    assert listed[0]["status"] == "expired" and listed[1:] == expected[1:]
    runner = CliRunner()
    env = {"LERWALLET_PASSPHRASE": V2_PASSPHRASE.decode(), "LERWALLET_HOME": str(v2_home)}
    result = runner.invoke(app, ["check"], env=env)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("version", sorted(OLD_WALLETS))
def test_a_failed_migration_leaves_the_old_wallet_as_it_was(tmp_path, monkeypatch, version):
    home = old_wallet(tmp_path, version)
    _, passphrase, step = OLD_WALLETS[version]
    before = (home / DB_NAME).read_bytes()
    real = getattr(vault, step)

    def all_then_fail(conn, data_key):
        real(conn, data_key)  # every bucket written, then the failure before COMMIT
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(vault, step, all_then_fail)
    with pytest.raises(OSError):
        Wallet.open(home, passphrase)
    assert Wallet.inspect(home)["format_version"] == version
    if version == 2:
        assert _sql(home, "SELECT name FROM sqlite_master WHERE name = 'manifest_bucket'") == []
    assert (home / DB_NAME).read_bytes() == before
    monkeypatch.setattr(vault, step, real)
    with Wallet.open(home, passphrase) as w:  # usable: the next open migrates
        assert [r.to_dict() for r in credentials.list_credentials(w)] == expected_list(version)
        assert w.warnings == []


@pytest.mark.parametrize("version", sorted(OLD_WALLETS))
def test_a_migration_killed_before_commit_leaves_the_old_wallet_usable(tmp_path, version):
    """A process that dies mid-migration (os._exit: no rollback, no clean close)."""
    home = old_wallet(tmp_path, version)
    _, passphrase, step = OLD_WALLETS[version]
    script = textwrap.dedent(f"""
        import os
        from lerwallet.store import vault
        real = vault.{step}
        def die(conn, key):
            real(conn, key)
            os._exit(9)
        vault.{step} = die
        vault.Wallet.open({str(home)!r}, {passphrase!r})
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert proc.returncode == 9, proc.stderr
    assert Wallet.inspect(home)["format_version"] == version
    with Wallet.open(home, passphrase) as w:
        assert [r.to_dict() for r in credentials.list_credentials(w)] == expected_list(version)
        assert check_wallet(w).ok and w.warnings == []
    assert Wallet.inspect(home)["format_version"] == 4


@pytest.mark.parametrize("version", sorted(OLD_WALLETS))
def test_an_old_wallet_with_a_damaged_manifest_root_is_not_migrated(tmp_path, version):
    home = old_wallet(tmp_path, version)
    _sql(home, "UPDATE manifest SET sealed = zeroblob(60)")
    with pytest.raises(IntegrityError, match="manifest failed its integrity check"):
        Wallet.open(home, OLD_WALLETS[version][1])
    assert Wallet.inspect(home)["format_version"] == version


# --- format 3 itself ---------------------------------------------------------------------------

def _credential(i: int, **summary) -> bytes:
    return json.dumps({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
                       "id": f"urn:uuid:m-{i}", "name": f"Badge {i}", "issuer": "did:example:i",
                       "validFrom": f"2024-01-{1 + i % 28:02d}T00:00:00Z", "credentialSubject": {"n": i}}).encode()


@pytest.fixture
def filled(tmp_path) -> Path:
    home = tmp_path / "w"
    with Wallet.create(home, PW, kdf=FAST) as w, w.transaction():
        for i in range(200):
            credentials.import_credential(w, _credential(i))
    return home


def test_a_write_reseals_a_few_buckets_not_the_whole_manifest(filled):
    before = dict(((k, b), v) for k, b, v in _sql(filled, "SELECT kind, bucket, version FROM manifest_bucket"))
    with Wallet.open(filled, PW) as w:
        credentials.import_credential(w, _credential(999))
    after = dict(((k, b), v) for k, b, v in _sql(filled, "SELECT kind, bucket, version FROM manifest_bucket"))
    changed = [key for key in after if before.get(key) != after[key]]
    # a credential, its original and two digest rows: at most four buckets (plus the root)
    assert 1 <= len(changed) <= 4 and len(after) > 100


def test_summary_fields_flow_through_the_listing_untouched(filled):
    """Other parts of lerwallet add summary fields; the listing copy carries whatever is there."""
    with Wallet.open(filled, PW) as w:
        record = credentials.import_credential(w, _credential(500), summary={
            "title": "Mine", "self_attested": True, "superseded_by": "abc", "parent": {"clr": "x", "path": [1, 2]}})
        listed = {r.id: r for r in credentials.list_credentials(w)}
    assert listed[record.id].summary == {"title": "Mine", "self_attested": True, "superseded_by": "abc",
                                         "parent": {"clr": "x", "path": [1, 2]}}


def test_list_decrypts_buckets_not_records(filled, monkeypatch):
    opened = []
    real = crypto.sealed_opener

    def counting(key):
        opener = real(key)
        return lambda sealed, aad: opened.append(aad) or opener(sealed, aad)

    with Wallet.open(filled, PW) as w:
        monkeypatch.setattr(crypto, "sealed_opener", counting)
        monkeypatch.setattr(crypto, "open_sealed", lambda key, sealed, aad: opened.append(aad) or real(key)(sealed, aad))
        assert len(credentials.list_credentials(w)) == 200
        assert not any(aad.startswith(b"lerwallet-record") for aad in opened)
        # credential buckets (compact part and listing copies), original buckets, the root
        assert len(opened) <= 3 * vault.FANOUT + 1
        opened.clear()
        assert len(credentials.fast_listing(w).ids) == 200
    # plain `list`: the credential buckets (their copies authenticated, not decoded), the original buckets
    assert not any(aad.startswith(b"lerwallet-record") for aad in opened)
    assert len(opened) <= 3 * vault.FANOUT + 1


def test_an_older_copy_of_a_bucket_is_detected_for_its_records_only(filled):
    kind, n, version, sealed = _sql(filled, "SELECT kind, bucket, version, sealed FROM manifest_bucket "
                                            "WHERE kind = 'credential' ORDER BY bucket LIMIT 1")[0]
    with Wallet.open(filled, PW) as w:
        record = next(r for r in credentials.list_credentials(w) if vault.bucket_of(r.id) == n)
        credentials.set_verification(w, record.id, status="expired", reason="", checks=[], checked_at="")
    _sql(filled, "UPDATE manifest_bucket SET version = ?, sealed = ? WHERE kind = ? AND bucket = ?", (version, sealed, kind, n))
    with Wallet.open(filled, PW) as w:
        listed = credentials.list_credentials(w)
        damaged = {r.id for r in listed if r.status == "damaged"}
        in_bucket = {r.id for r in listed if vault.bucket_of(r.id) == n}
        assert damaged == in_bucket and record.id in damaged and len(listed) == 200
        result = check_wallet(w)
    checked = {f.id for f in result.damaged if f.kind == "credential"}
    assert checked == damaged  # `check` and `list` name the same credentials
    assert any(f.kind == "manifest" and f.id == f"credential/{n}" for f in result.damaged)


def test_a_flipped_byte_in_a_bucket_damages_its_records_not_the_wallet(filled):
    kind, n, sealed = _sql(filled, "SELECT kind, bucket, sealed FROM manifest_bucket WHERE kind = 'credential-original' LIMIT 1")[0]
    flipped = bytearray(sealed)
    flipped[30] ^= 1
    _sql(filled, "UPDATE manifest_bucket SET sealed = ? WHERE kind = ? AND bucket = ?", (bytes(flipped), kind, n))
    with Wallet.open(filled, PW) as w:
        listed = credentials.list_credentials(w)
        damaged = {r.id for r in listed if r.status == "damaged"}
        assert damaged and damaged == {r.id for r in listed if vault.bucket_of(r.id) == n}
        assert {f.id for f in check_wallet(w).damaged if f.kind == kind} == damaged
