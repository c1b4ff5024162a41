"""Store format 4: the compact listing rows `lerwallet list` reads, the digest that lets it see a
record altered in place, and the migration from format 3.

The format 3 wallet under tests/vectors/store/v3-wallet/ was made by the format 3 code
(its make.py says how); expected-list.json and expected-list-rows.json are what that code
listed (`list_credentials` and `CredentialRecord.listing` of each).
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lerwallet import crypto
from lerwallet.cli import listing
from lerwallet.cli.app import app
from lerwallet.store import credentials, vault
from lerwallet.store.check import check_wallet
from lerwallet.store.vault import FORMAT_VERSION, Wallet
from tests.store_vectors import OLD_WALLETS, old_wallet
from tests.store_vectors import sql as _sql

V3, V3_PASSPHRASE, _ = OLD_WALLETS[3]
FAST = crypto.KdfParams.unsafe_fast_for_tests()
PW = b"listing test passphrase"


@pytest.fixture
def v3_home(tmp_path) -> Path:
    return old_wallet(tmp_path, 3)


def _cli(home: Path, passphrase: bytes, *args: str):
    env = {"LERWALLET_PASSPHRASE": passphrase.decode(), "LERWALLET_HOME": str(home)}
    return CliRunner().invoke(app, list(args), env=env)


# --- migration from format 3 -------------------------------------------------------------------

def test_a_format_3_wallet_migrates_on_open_and_lists_identically(v3_home):
    expected = json.loads((V3 / "expected-list.json").read_text())
    rows = json.loads((V3 / "expected-list-rows.json").read_text())
    with Wallet.open(v3_home, V3_PASSPHRASE) as w:
        assert [r.to_dict() for r in credentials.list_credentials(w)] == expected
        assert check_wallet(w).ok
        assert w.get("setting", "example") == {"v": 1}
        fast = credentials.fast_listing(w, show_all=True)
        assert [json.loads(t) for t in fast.texts] == rows
    assert Wallet.inspect(v3_home)["format_version"] == FORMAT_VERSION == 4
    # every credential bucket has its copies sealed apart; other kinds have none
    assert {k: n for k, n in _sql(v3_home, "SELECT kind, count(listing) FROM manifest_bucket GROUP BY kind")} == {
        "credential": len({vault.bucket_of(r["id"]) for r in rows}), "credential-digest": 0,
        "credential-original": 0, "credential-checks": 0, "identity": 0, "setting": 0}
    shown = _cli(v3_home, V3_PASSPHRASE, "list", "--json")
    assert shown.exit_code == 0 and json.loads(shown.stdout) == [r for r in rows if r["superseded_by"] is None]
    with Wallet.open(v3_home, V3_PASSPHRASE) as w:  # and again, as format 4, after a write
        first = expected[0]["id"]
        credentials.set_verification(w, first, status="expired", reason="r", checks=[], checked_at="2026-11-29T10:00:00Z")
        listed = [r.to_dict() for r in credentials.list_credentials(w)]
        fast = credentials.fast_listing(w, show_all=True)
        assert json.loads(fast.texts[fast.ids.index(first)])["status"] == "expired"
    assert listed[0]["status"] == "expired" and listed[1:] == expected[1:]
    assert _cli(v3_home, V3_PASSPHRASE, "check").exit_code == 0


def test_damage_in_a_format_3_wallet_is_still_reported_after_migration(v3_home):
    """A row that did not open before is not blessed by the migration's digest; a bucket that
    did not open stays damaged, its records with it."""
    rows = json.loads((V3 / "expected-list-rows.json").read_text())
    bad = rows[0]["id"]
    _sql(v3_home, "UPDATE records SET sealed = zeroblob(80) WHERE kind = 'credential' AND id = ?", (bad,))
    kind, n, sealed = _sql(v3_home, "SELECT kind, bucket, sealed FROM manifest_bucket WHERE kind = 'setting'")[0]
    _sql(v3_home, "UPDATE manifest_bucket SET sealed = ? WHERE kind = ? AND bucket = ?",
         (sealed[:-1] + bytes([sealed[-1] ^ 1]), kind, n))
    with Wallet.open(v3_home, V3_PASSPHRASE) as w:
        listed = {r.id: r.status for r in credentials.list_credentials(w)}
        assert listed.pop(bad) == "damaged" and "damaged" not in listed.values()
        result = check_wallet(w)
        assert {(f.kind, f.id) for f in result.damaged} >= {("credential", bad), ("manifest", f"setting/{n}")}
        assert any(f.kind == "setting" for f in result.damaged)
    assert Wallet.inspect(v3_home)["format_version"] == 4
    assert _cli(v3_home, V3_PASSPHRASE, "list").exit_code == 1


# --- a record altered in place -------------------------------------------------------------------

@pytest.fixture
def filled(tmp_path) -> Path:
    home = tmp_path / "w"
    with Wallet.create(home, PW, kdf=FAST) as w, w.transaction():
        for i in range(60):
            credentials.import_credential(w, _credential(i))
    return home


def _credential(i: int, **extra) -> bytes:
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
           "id": f"urn:uuid:l-{i}", "name": f"Badge {i}", "issuer": "did:example:i",
           "validFrom": f"2024-01-{1 + i % 28:02d}T00:00:00Z", "credentialSubject": {"n": i}}
    return json.dumps({**doc, **extra}).encode()


def test_one_flipped_byte_in_a_credential_row_is_seen_by_list_and_check_alike(filled):
    with Wallet.open(filled, PW) as w:
        victim = credentials.list_credentials(w)[7].id
    sealed = _sql(filled, "SELECT sealed FROM records WHERE kind = 'credential' AND id = ?", (victim,))[0][0]
    flipped = bytearray(sealed)
    flipped[len(flipped) // 2] ^= 0x10  # same length, same version: only the bytes differ
    _sql(filled, "UPDATE records SET sealed = ? WHERE kind = 'credential' AND id = ?", (bytes(flipped), victim))
    with Wallet.open(filled, PW) as w:
        assert credentials.fast_listing(w) is None
        listed = {r.id: r for r in credentials.list_credentials(w)}
        assert listed[victim].status == "damaged"
        assert listed[victim].error == f"credential {victim} failed its integrity check (damaged or tampered)"
        assert sum(r.status == "damaged" for r in listed.values()) == 1
        assert [(f.kind, f.id) for f in check_wallet(w).damaged] == [("credential", victim)]
    result = _cli(filled, PW, "list", "--json")
    assert result.exit_code == 1
    assert [r["id"] for r in json.loads(result.stdout) if r["status"] == "damaged"] == [victim]
    assert f"credential {victim} failed its integrity check" in result.stderr


def test_a_stale_listing_row_is_reported_by_check(filled):
    """What `list` shows must be what the record says: a listing row that is not (here written
    wrong on purpose, through the store's own sealing) is damage `check` names."""
    with Wallet.open(filled, PW) as w:
        victim = credentials.list_credentials(w)[3].id
        with w.transaction():
            bucket = w._writable("credential", vault.bucket_of(victim))
            key, text, values, superseded = bucket.rows[victim]
            bucket.rows[victim] = (key, text.replace("Badge", "Forged"), values, superseded)
        assert any(b"Forged" in t for t in credentials.fast_listing(w).texts)  # `list` trusts its rows...
        found = [(f.kind, f.id, f.message) for f in check_wallet(w).damaged]
    assert found == [("credential", victim, f"credential {victim}: its listing copy differs from the record "
                                            "(lerwallet list would show stale data)")]  # ...`check` checks them


def test_rows_of_another_layout_are_not_used_and_are_made_again_on_write(filled, monkeypatch):
    with Wallet.open(filled, PW) as w:
        before = credentials.fast_listing(w)
        monkeypatch.setattr(vault, "LISTING_LAYOUT", 2)  # a later lerwallet's rows, say
        assert credentials.fast_listing(w) is None
        slow = [r.listing() for r in credentials.list_credentials(w)]
        assert slow == [json.loads(t) for t in before.texts]
        credentials.import_credential(w, _credential(999))  # re-seals one bucket in layout 2
    layouts = set()
    with Wallet.open(filled, PW) as w, w._snapshot():
        for n in sorted(w._root["credential"]):
            head = w._live().execute("SELECT version, sealed FROM manifest_bucket WHERE kind = 'credential' AND bucket = ?",
                                     (n,)).fetchone()
            plain = crypto.open_sealed(w._data_key(), head[1], vault.bucket_aad("credential", n, head[0]))
            layouts.add(json.loads(plain.split(b"\n")[0])["layout"])
    assert layouts == {1, 2}
    with Wallet.open(filled, PW) as w:
        assert check_wallet(w).ok


# --- the compact rows say what the records say ----------------------------------------------------

def _varied(home: Path) -> None:
    """Credentials whose listing is hard to get right: text a terminal must not see, long text,
    runs of spaces, equal and missing issue dates, a self-attested one, a superseded one,
    one inside a CLR, non-ASCII."""
    cases = [
        {"name": "Plain"},
        {"name": "Tab\there and\nnewline \x1b[31mred\x1b[0m"},
        {"name": "  spaced   out  "},
        {"name": "L" * 80, "issuer": {"id": "did:example:long", "name": "Issuer " * 10}},
        {"name": "Ünïcødé ✓ \u202eevil"},
        {"name": "No date", "validFrom": None},
        {"name": "Expires", "validUntil": "2030-05-06T07:08:09Z"},
        {"name": "Same moment A", "validFrom": "2024-03-03T03:03:03Z"},
        {"name": "Same moment B", "validFrom": "2024-03-03T03:03:03Z"},
        {"name": "Before 1970", "validFrom": "1965-01-01T00:00:00Z"},
        {"name": "Offset", "validFrom": "2024-03-03T05:03:03+02:00"},
    ]
    with Wallet.create(home, PW, kdf=FAST) as w:
        made = []
        for i, case in enumerate(cases):
            doc = json.loads(_credential(i))
            doc.update(case)
            made.append(credentials.import_credential(w, json.dumps({k: v for k, v in doc.items() if v is not None}).encode(),
                                                       now=f"2026-01-0{1 + i % 3}T00:00:00Z"))
        mine = credentials.import_credential(w, _credential(50), summary={
            "title": "My own", "self_attested": True, "issued": "2025-01-01T00:00:00Z", "kind": "Self"})
        old = w.get("credential", made[0].id)
        old["summary"]["superseded_by"] = mine.id
        w.put("credential", made[0].id, old)
        member = w.get("credential", made[2].id)
        member["summary"]["clr"] = {"id": made[3].id, "title": "Transcript"}
        w.put("credential", made[2].id, member)


@pytest.mark.parametrize("json_out", [False, True], ids=["table", "json"])
@pytest.mark.parametrize("show_all", [False, True], ids=["default", "all"])
def test_the_compact_rows_print_what_the_full_copies_print(tmp_path, monkeypatch, json_out, show_all):
    home = tmp_path / "v"
    _varied(home)
    monkeypatch.setenv("LERWALLET_HOME", str(home))
    monkeypatch.setenv("LERWALLET_PASSPHRASE", PW.decode())

    def printed() -> str:
        out = io.StringIO()
        with redirect_stdout(out):
            assert listing.run_list(None, None, json_out, did=None, filters=None, show_all=show_all) == 0
        return out.getvalue()

    fast = printed()
    with Wallet.open(home, PW) as w:
        assert credentials.fast_listing(w) is not None  # the first run took the compact rows
    monkeypatch.setattr(credentials, "fast_listing", lambda w, show_all=False: None)
    slow = printed()
    assert fast == slow
    assert "\x1b" not in fast
    if not json_out:
        assert "\\x1b[31mred" in fast and "self-attested" in fast and "L" * 47 + "\u2026" in fast
        assert ("superseded" in fast) == show_all


def test_default_order_key_sorts_like_the_dates(tmp_path):
    """The one-string key of the default order compares as (issue date, import time) do."""
    stamps = [-1e10, -1.5, -0.0, 0.0, 1e-6, 1.0, 1.7e9, 1.7e9 + 1e-6, 2.5e11]
    keys = [credentials._float_key(s) for s in stamps]
    assert keys == sorted(keys) and len(set(keys)) == len(stamps) - 1  # -0.0 and 0.0 are one moment


def test_a_flipped_byte_in_the_listing_copies_damages_that_bucket_for_list_and_check_alike(filled):
    """The copies are sealed apart from the listing rows (format 4): either one not opening is
    the bucket's damage, reported for each record in it by `list` (short path or not) and `check`."""
    n, listing = _sql(filled, "SELECT bucket, listing FROM manifest_bucket WHERE kind = 'credential' LIMIT 1")[0]
    flipped = bytearray(listing)
    flipped[len(flipped) // 2] ^= 1
    _sql(filled, "UPDATE manifest_bucket SET listing = ? WHERE kind = 'credential' AND bucket = ?", (bytes(flipped), n))
    with Wallet.open(filled, PW) as w:
        listed = credentials.list_credentials(w)
        damaged = {r.id for r in listed if r.status == "damaged"}
        assert damaged and damaged == {r.id for r in listed if vault.bucket_of(r.id) == n} and len(listed) == 60
        result = check_wallet(w)
        assert {f.id for f in result.damaged if f.kind == "credential"} == damaged
        assert ("manifest", f"credential/{n}") in {(f.kind, f.id) for f in result.damaged}
    shown = _cli(filled, PW, "list", "--json")
    assert shown.exit_code == 1 and {r["id"] for r in json.loads(shown.stdout) if r["status"] == "damaged"} == damaged


def test_list_opens_no_record(filled, monkeypatch):
    """Plain `list` of a sound wallet: the credential buckets (both sealed values), the original
    buckets and the root are all it decrypts; the rows are hashed, not opened."""
    opened = []
    real = crypto.sealed_opener

    def counting(key):
        opener = real(key)
        return lambda sealed, aad: opened.append(aad) or opener(sealed, aad)

    monkeypatch.setattr(crypto, "sealed_opener", counting)
    monkeypatch.setattr(crypto, "open_sealed", lambda key, sealed, aad: opened.append(aad) or real(key)(sealed, aad))
    result = _cli(filled, PW, "list", "--json")
    assert result.exit_code == 0 and len(json.loads(result.stdout)) == 60
    assert not any(aad.startswith(b"lerwallet-record") for aad in opened)
    assert {aad[:28] for aad in opened if aad.startswith(b"lerwallet-manifest-bucket")} == {b"lerwallet-manifest-bucket-v4"}
    assert len(opened) <= 3 * vault.FANOUT + 1
