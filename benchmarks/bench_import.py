"""Cost of verifying at import. In-process, warm: `importer.examine` (decode + verify) and
`importer.store` (seal + write) per credential against `verify_bytes` on the same bytes, measured
in the same run; then whole-process `lerwallet import` of 1 credential and of a 200-file folder
against `lerwallet verify` of the same inputs (both offline). Target: import adds < 20% to
verification; storing a credential costs well under the verification itself."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.verify_helpers import Party, badge  # noqa: E402

LERWALLET = [sys.executable, "-m", "lerwallet"]


def median_ms(fn, runs: int) -> float:
    times = []
    for i in range(runs):
        start = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def wall(cmd: list[str], env: dict, before=None, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    from lerwallet import crypto
    from lerwallet.store import Wallet, importer
    from lerwallet.verify import Options, verify_bytes

    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    issuer = Party()
    creds = [json.dumps(issuer.sign(badge(issuer, name=f"Badge {i}"))).encode() for i in range(200)]
    folder = work / "inbox"
    folder.mkdir()
    for i, raw in enumerate(creds):
        (folder / f"{i:03d}.json").write_bytes(raw)

    opts = Options()
    verify_bytes(creds[0], opts)  # warm: imports, contexts, caches
    examined = [importer.examine(raw, f"{i}.json", opts) for i, raw in enumerate(creds)]
    t_verify = median_ms(lambda i: verify_bytes(creds[i], opts), 100)
    t_examine = median_ms(lambda i: importer.examine(creds[i], f"{i}.json", opts), 100)
    with Wallet.create(work / "w", b"bench", kdf=crypto.KdfParams.unsafe_fast_for_tests()) as w:
        t_store = median_ms(lambda i: importer.store(w, examined[i]), 200)

    env = {**os.environ, "LERWALLET_HOME": str(work / "cli"), "LERWALLET_PASSPHRASE": "bench"}
    subprocess.run(LERWALLET + ["init"], env=env, capture_output=True, check=True)
    one = folder / "000.json"

    def fresh() -> None:  # each import run starts from an empty wallet (a duplicate would skip storing)
        subprocess.run(LERWALLET + ["delete", "--yes", "0"], env=env, capture_output=True)
        ids = subprocess.run(LERWALLET + ["list", "--json"], env=env, capture_output=True).stdout
        for row in json.loads(ids or b"[]"):
            subprocess.run(LERWALLET + ["delete", "--yes", row["id"]], env=env, capture_output=True)

    c_unlock = wall(LERWALLET + ["list"], env, before=fresh)
    c_verify1 = wall(LERWALLET + ["verify", str(one)], env)
    c_import1 = wall(LERWALLET + ["import", str(one)], env, before=fresh)
    c_verify200 = wall(LERWALLET + ["verify", "--jobs", "1", str(folder)], env, runs=3)
    c_import200 = wall(LERWALLET + ["import", str(folder)], env, before=fresh, runs=1)
    print(f"verify_bytes (warm, 1 OB3 badge)     median {t_verify:7.2f} ms")
    print(f"importer.examine (decode + verify)   median {t_examine:7.2f} ms  ({t_examine / t_verify:.2f}x verify)")
    print(f"importer.store (seal + write, 1 tx)  median {t_store:7.2f} ms  ({t_store / t_verify:.2f}x verify)")
    print(f"lerwallet list, empty (start+unlock) median {c_unlock:7.1f} ms")
    print(f"lerwallet verify 1 file              median {c_verify1:7.1f} ms")
    print(f"lerwallet import 1 file              median {c_import1:7.1f} ms  ({c_import1 / c_verify1:.2f}x verify; "
          "includes one Argon2id unlock at default cost)")
    print(f"lerwallet verify 200 files (1 job)   median {c_verify200:7.1f} ms")
    print(f"lerwallet import 200 files           {c_import200:7.1f} ms  ({c_import200 / c_verify200:.2f}x verify; target < 1.2x + unlock)")
    print(f"import 200 files minus start+unlock  {c_import200 - c_unlock:7.1f} ms  "
          f"({(c_import200 - c_unlock) / c_verify200:.2f}x verify of the same folder)")


if __name__ == "__main__":
    main()
