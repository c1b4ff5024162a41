"""`lerwallet status`: the size on disk is the wallet's, not SQLite's shared-memory index."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from lerwallet.cli.app import app
from lerwallet.store.vault import DB_NAME


def test_size_on_disk_is_the_database_and_its_log(isolated_home):
    runner = CliRunner()
    assert runner.invoke(app, ["init"], env={"LERWALLET_PASSPHRASE": "status size passphrase"}).exit_code == 0
    info = json.loads(runner.invoke(app, ["status", "--json"]).stdout)
    wal = isolated_home / (DB_NAME + "-wal")
    expected = (isolated_home / DB_NAME).stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    assert info["bytes_on_disk"] == expected
    text = runner.invoke(app, ["status"]).stdout
    assert f"size on disk         {expected} bytes" in text
