"""Importing many inputs: one transaction per batch, each input still whole or not at all
(a savepoint each), and a progress bar on a terminal only.

Badges are signed here with fresh keys (real Ed25519, real RDFC-1.0)."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lerwallet import crypto
from lerwallet.errors import InputError, LerwalletError
from lerwallet.store import credentials, importer
from lerwallet.store.check import check_wallet
from lerwallet.store.vault import Wallet
from tests.verify_helpers import Party, badge

FAST = crypto.KdfParams.unsafe_fast_for_tests()
PW = b"batch import passphrase"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    issuer, path = Party(), tmp_path_factory.mktemp("badges")
    for i in range(12):
        (path / f"badge-{i:02d}.json").write_text(json.dumps(issuer.sign(badge(issuer, name=f"Badge {i}"))))
    pair = [issuer.sign(badge(issuer, name=f"Pair {i}")) for i in range(2)]
    (path / "pair.json").write_text(json.dumps(pair))  # one input, two credentials
    return path


def _generation(w: Wallet) -> int:
    return w._live().execute("SELECT generation FROM manifest").fetchone()[0]


def test_many_inputs_share_a_few_transactions(folder, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "STORE_BATCH", 5)
    examined, _ = importer.examine_inputs([str(folder)])
    with Wallet.create(tmp_path / "w", PW, kdf=FAST) as w:
        before = _generation(w)
        calls = []
        importer.store_all(w, examined, progress=lambda done, total: calls.append((done, total)))
        assert _generation(w) == before + 3  # 13 inputs in batches of 5: three commits
        assert calls == [(i, 13) for i in range(1, 14)]
        assert len(credentials.list_credentials(w)) == 14 and all(item.stored for item in examined)
        assert check_wallet(w).ok


def test_a_failing_input_is_undone_whole_and_the_batch_goes_on(folder, tmp_path, monkeypatch):
    examined, _ = importer.examine_inputs([str(folder)])
    real = credentials.import_credential

    def failing(w, raw, **kw):
        if "Pair 1" in raw.decode():  # the second credential of pair.json: after the first was written
            raise InputError("simulated failure")
        return real(w, raw, **kw)

    monkeypatch.setattr(credentials, "import_credential", failing)
    with Wallet.create(tmp_path / "w", PW, kdf=FAST) as w:
        importer.store_all(w, examined)
        pair = next(item for item in examined if item.name.endswith("pair.json"))
        assert pair.failure == "simulated failure" and pair.stored is None
        titles = sorted(r.title for r in credentials.list_credentials(w))
        assert titles == sorted(f"Badge {i}" for i in range(12))  # nothing of pair.json, everything else
        assert check_wallet(w).ok
    with Wallet.open(tmp_path / "w", PW) as w:  # and so it was committed
        assert len(credentials.list_credentials(w)) == 12


def test_a_savepoint_rolls_back_records_and_manifest_only(tmp_path):
    with Wallet.create(tmp_path / "w", PW, kdf=FAST) as w:
        with w.transaction():
            w.put("setting", "kept", {"v": 1})
            with pytest.raises(LerwalletError):
                with w.savepoint():
                    w.put("setting", "kept", {"v": 2})
                    w.put("setting", "gone", {"v": 3})
                    with w.savepoint():
                        w.put("setting", "inner", {"v": 4})
                    raise LerwalletError("undo")
            with w.savepoint():
                w.put("setting", "after", {"v": 5})
        assert w.get("setting", "kept") == {"v": 1} and w.get("setting", "after") == {"v": 5}
        assert not w.has("setting", "gone") and not w.has("setting", "inner")
        assert check_wallet(w).ok
    with Wallet.open(tmp_path / "w", PW) as w:
        assert w.ids("setting") == ["after", "kept"] and check_wallet(w).ok
        with pytest.raises(LerwalletError, match="needs an open transaction"):
            with w.savepoint():
                pass


# --- the progress bar ------------------------------------------------------------------------------


def _import_in_terminal(home: Path, folder: Path, *extra: str) -> tuple[int, str]:
    """`lerwallet import FOLDER` with stdin, stdout and stderr on a pseudo-terminal."""
    master, slave = os.openpty()
    env = dict(os.environ, LERWALLET_HOME=str(home), LERWALLET_PASSPHRASE=PW.decode(), NO_COLOR="1", TERM="xterm",
               COLUMNS="100")
    proc = subprocess.Popen([sys.executable, "-m", "lerwallet", "import", str(folder), *extra], stdin=slave,
                            stdout=slave, stderr=slave, env=env, close_fds=True, start_new_session=True)
    os.close(slave)
    out = b""
    end = time.monotonic() + 120
    try:
        while time.monotonic() < end:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
            elif proc.poll() is not None:
                break
        code = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    return code, out.decode("utf-8", "replace")


def _new_wallet(home: Path) -> None:
    Wallet.create(home, PW, kdf=FAST).close()


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_a_terminal_sees_a_progress_bar(folder, tmp_path):
    _new_wallet(tmp_path / "w")
    code, out = _import_in_terminal(tmp_path / "w", folder)
    assert code == 0, out
    assert "verifying" in out and "storing" in out and "13/13 inputs" in out
    assert out.count("imported ") == 14  # the report itself is unchanged


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_no_progress_bar_with_json_even_on_a_terminal(folder, tmp_path):
    _new_wallet(tmp_path / "w")
    code, out = _import_in_terminal(tmp_path / "w", folder, "--json")
    assert code == 0, out
    assert "verifying" not in out and "storing" not in out
    assert len(json.loads(out[out.index("["):])) == 14


def test_no_progress_bar_when_stderr_is_not_a_terminal(folder, tmp_path):
    _new_wallet(tmp_path / "w")
    env = dict(os.environ, LERWALLET_HOME=str(tmp_path / "w"), LERWALLET_PASSPHRASE=PW.decode(), TERM="xterm")
    proc = subprocess.run([sys.executable, "-m", "lerwallet", "import", str(folder)], env=env, capture_output=True,
                          stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr
    assert b"verifying" not in proc.stderr and b"storing" not in proc.stderr and b"\x1b" not in proc.stderr
    assert proc.stdout.decode().count("imported ") == 14
