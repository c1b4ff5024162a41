"""The real console script in a subprocess: exit codes, stderr format, no traceback, stdin."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

VECTORS = Path(__file__).parent / "vectors" / "store"
OB3 = VECTORS / "ob3-teamwork-signed.json"
SCRIPT = Path(sys.executable).parent / "lerwallet"


def lw(*args, env_extra=None, input=None):
    env = {**os.environ, **(env_extra or {})}
    cmd = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "lerwallet"]
    result = subprocess.run(cmd + list(args), env=env, input=input, capture_output=True, timeout=60)
    assert b"Traceback" not in result.stderr, result.stderr.decode()
    return result


def test_end_to_end_console_script(isolated_home):
    pw = {"LERWALLET_PASSPHRASE": "sub process"}
    assert lw("init", env_extra=pw).returncode == 0
    imported = lw("import", "-", "--json", env_extra=pw, input=OB3.read_bytes())
    assert imported.returncode == 0
    record_id = json.loads(imported.stdout)[0]["id"]
    listed = json.loads(lw("list", "--json", env_extra=pw).stdout)
    assert [r["id"] for r in listed] == [record_id]
    assert lw("show", record_id[:7], "--raw", env_extra=pw).stdout == OB3.read_bytes()
    locked = lw("list", env_extra={"LERWALLET_PASSPHRASE": "wrong"})
    assert locked.returncode == 3
    assert locked.stderr == b"lerwallet: error: wrong passphrase or damaged wallet\n"


def test_no_terminal_no_passphrase(isolated_home):
    result = lw("init", input=b"")
    assert result.returncode == 2
    assert result.stderr.startswith(b"lerwallet: error: no passphrase given")


def test_corrupt_wallet_file_no_traceback(isolated_home):
    isolated_home.mkdir(mode=0o700)
    (isolated_home / "wallet.db").write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    result = lw("list", env_extra={"LERWALLET_PASSPHRASE": "x"})
    assert result.returncode == 3  # a damaged wallet is exit 3, as a wrong passphrase (one opaque error)
    assert result.stderr.startswith(b"lerwallet: error:")


def test_version_fast_path():
    result = lw("--version")
    assert result.returncode == 0 and result.stdout.startswith(b"lerwallet ")


def test_the_shipped_command_has_no_weak_kdf_switch(isolated_home):
    # The old LERWALLET_UNSAFE_FAST_KDF weakened every wallet made while it was set; the
    # command now ignores it (only the test suite, in-process, can choose cheap parameters).
    pw = {"LERWALLET_PASSPHRASE": "sub process passphrase", "LERWALLET_UNSAFE_FAST_KDF": "1"}
    assert lw("init", env_extra=pw).returncode == 0
    info = json.loads(lw("status", "--json").stdout)
    assert info["kdf_weak"] is False and info["kdf"]["memory_kib"] == 65536
