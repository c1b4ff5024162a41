"""Wallet speed: start-up, unlock, and `list` over 10,000 credentials, against baselines run here.

Targets (issue 2):
  lerwallet --version            < 3x `python -c pass`
  lerwallet list (10,000 creds)  < one default-KDF run + 300 ms
  unlock                         = exactly one KDF run

Whole-process figures use the environment of _common.py (bytecode cached as installed, a
warm-up run, the baseline in the same run).

Usage: python benchmarks/bench_wallet.py [--records N] [--runs N] [--quick] [--src DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import bench_env, lerwallet_cmd  # noqa: E402
from _common import median_wall as _median_wall  # noqa: E402

PASSPHRASE = "benchmark passphrase"


def median_wall(cmd: list[str], runs: int, env: dict) -> float:
    return _median_wall(cmd, env, runs, check=True)


def build_wallet(home: Path, n: int) -> float:
    """A wallet of `n` distinct credentials through the library, in one transaction."""
    from lerwallet import crypto
    from lerwallet.store import Wallet, credentials

    start = time.perf_counter()
    with Wallet.create(home, PASSPHRASE.encode(), kdf=crypto.KdfParams.default()) as w:
        with w.transaction():
            for i in range(n):
                doc = {
                    "@context": ["https://www.w3.org/ns/credentials/v2",
                                 "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
                    "id": f"urn:uuid:bench-{i}",
                    "type": ["VerifiableCredential", "OpenBadgeCredential"],
                    "name": f"Benchmark Badge {i}",
                    "issuer": {"id": "did:example:issuer", "type": ["Profile"], "name": "Bench University"},
                    "validFrom": "2024-01-01T00:00:00Z",
                    "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
                        "id": f"urn:a:{i}", "type": ["Achievement"], "name": f"Skill {i}",
                        "criteria": {"narrative": "x" * 400}}},
                }
                credentials.import_credential(w, json.dumps(doc, indent=2).encode())
    return time.perf_counter() - start


def kdf_time(runs: int) -> float:
    from lerwallet import crypto

    params = crypto.KdfParams.default()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        crypto.derive_key(b"x", b"s" * 16, params)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def library_list(home: Path, runs: int) -> float:
    """Unlock + decrypt every summary in-process: the store's share, free of CLI start-up."""
    from lerwallet.store import Wallet, credentials

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        with Wallet.open(home, PASSPHRASE.encode()) as w:
            credentials.list_credentials(w)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def count_kdf_runs(home: Path) -> int:
    from lerwallet import crypto
    from lerwallet.store import Wallet, credentials

    calls = []
    real = crypto.derive_key
    crypto.derive_key = lambda *a: calls.append(1) or real(*a)
    try:
        with Wallet.open(home, PASSPHRASE.encode()) as w:
            credentials.list_credentials(w)
    finally:
        crypto.derive_key = real
    return len(calls)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="3 runs (the 10,000 records stay: they are the target)")
    parser.add_argument("--src", default=None, help="run the CLI against this src folder (PYTHONPATH)")
    args = parser.parse_args()
    if args.quick:
        args.runs = 3

    lerwallet = lerwallet_cmd()
    work = Path(tempfile.mkdtemp(prefix="bench-wallet-"))
    env = bench_env(args.src, LERWALLET_HOME=str(work / "w"), LERWALLET_PASSPHRASE=PASSPHRASE)
    failures = []
    try:
        bare = median_wall([sys.executable, "-c", "pass"], args.runs, env)
        version = median_wall(lerwallet + ["--version"], args.runs, env)
        helptext = median_wall(lerwallet + ["--help"], args.runs, env)
        print(f"python -c pass           {bare * 1000:8.1f} ms  (baseline)")
        print(f"lerwallet --version      {version * 1000:8.1f} ms  {version / bare:5.2f}x baseline (target < 3x)")
        print(f"lerwallet --help         {helptext * 1000:8.1f} ms  {helptext / bare:5.2f}x baseline")
        if version >= 3 * bare:
            failures.append("--version")

        kdf = kdf_time(3)
        print(f"default KDF (argon2id)   {kdf * 1000:8.1f} ms  (baseline for unlock)")
        built = build_wallet(work / "w", args.records)
        size = sum(p.stat().st_size for p in (work / "w").iterdir())
        print(f"build {args.records} credentials {built:8.2f} s   (library, one transaction; {size / 1e6:.1f} MB on disk)")
        status = median_wall(lerwallet + ["status"], args.runs, env)
        print(f"lerwallet status         {status * 1000:8.1f} ms  (no unlock)")
        for cmd in (["list"], ["list", "--json"]):
            t = median_wall(lerwallet + cmd, args.runs, env)
            over = t - kdf
            print(f"lerwallet {' '.join(cmd):<15}{t * 1000:8.1f} ms  KDF + {over * 1000:.0f} ms (target KDF + 300 ms; "
                  f"status start-up is {status * 1000:.0f} ms of it)")
            if over >= 0.300:
                failures.append(" ".join(cmd))
        lib = library_list(work / "w", args.runs)
        print(f"library open+list       {lib * 1000:8.1f} ms  KDF + {(lib - kdf) * 1000:.0f} ms (store share, no CLI start-up)")
        runs = count_kdf_runs(work / "w")
        print(f"KDF runs per unlock      {runs:8d}     (target exactly 1)")
        if runs != 1:
            failures.append("unlock")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("targets met" if not failures else f"targets MISSED: {', '.join(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
