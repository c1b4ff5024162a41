"""The checked-in wallets of older store formats (tests/vectors/store/vN-wallet/, each made by
that format's code; its make.py says how) and what their migrations are tested with."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from lerwallet.store.vault import DB_NAME, Wallet

VECTORS = Path(__file__).parent / "vectors" / "store"
# format -> (its vector folder, passphrase, the vault step that migrates it one format up)
OLD_WALLETS = {
    2: (VECTORS / "v2-wallet", b"v2 wallet fixture passphrase", "_split_manifest"),
    3: (VECTORS / "v3-wallet", b"v3 wallet fixture passphrase", "_compact_listing"),
}


def old_wallet(tmp_path: Path, version: int) -> Path:
    """A copy of the format `version` wallet to open (and so migrate)."""
    home = tmp_path / f"v{version}"
    shutil.copytree(OLD_WALLETS[version][0] / "home", home)
    home.chmod(0o700)
    for path in home.iterdir():  # git keeps no 0600 modes
        path.chmod(0o600)
    assert Wallet.inspect(home)["format_version"] == version
    return home


def expected_list(version: int) -> list:
    """`list_credentials` of the format `version` wallet, as that format's code gave it."""
    return json.loads((OLD_WALLETS[version][0] / "expected-list.json").read_text())


def sql(home: Path, query: str, args=()):
    conn = sqlite3.connect(home / DB_NAME, isolation_level=None)
    try:
        return conn.execute(query, args).fetchall()
    finally:
        conn.close()
