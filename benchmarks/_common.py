"""Shared by the whole-process benchmarks: an honest environment, medians, a baseline.

Honest means measured as a user's installed copy runs:
- bytecode caching ON. Some shells (and CI images) export PYTHONDONTWRITEBYTECODE=1; then every
  lerwallet module is compiled from source on every run (~40-50 ms extra), which no installed
  copy pays. We drop it and point PYTHONPYCACHEPREFIX at a scratch folder, so no __pycache__
  lands in the source tree, and do one unmeasured warm-up run per command.
- the console script (`.venv/bin/lerwallet`) when it exists, as users run it;
- a baseline (`python -c pass`) measured in the same run, in the same environment, so ratios
  survive a busy machine better than absolute numbers.
`--src DIR` runs the commands against another checkout's `src` (PYTHONPATH), to compare
versions on one machine: e.g. `git archive <commit> src | tar -x -C /tmp/old`.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def bench_env(src: str | None = None, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "lerwallet-bench-pycache")
    env["NO_COLOR"] = "1"
    if src:
        env["PYTHONPATH"] = str(Path(src).resolve()) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def lerwallet_cmd() -> list[str]:
    script = Path(sys.executable).parent / "lerwallet"
    return [str(script)] if script.exists() else [sys.executable, "-m", "lerwallet"]


def median_wall(cmd: list[str], env: dict, runs: int, *, check: bool = False, warmup: int = 1) -> float:
    """Median wall time in seconds of `cmd` as a fresh process, after `warmup` unmeasured runs."""
    times = []
    for i in range(warmup + runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        elapsed = time.perf_counter() - start
        if check and proc.returncode != 0:
            raise SystemExit(f"benchmark command failed (exit {proc.returncode}): {' '.join(cmd)}")
        if i >= warmup:
            times.append(elapsed)
    return statistics.median(times)


def baseline(env: dict, runs: int) -> float:
    return median_wall([sys.executable, "-c", "pass"], env, runs)


BASELINE = [sys.executable, "-c", "pass"]


def interleaved(cmds: dict[str, list[str]], env: dict, runs: int) -> dict[str, tuple[float, float]]:
    """(median, best) wall seconds per command, measured round-robin: on a shared machine every
    command, the baseline included, sees the same load drift, so ratios stay meaningful."""
    times: dict[str, list[float]] = {label: [] for label in cmds}
    for label, cmd in cmds.items():  # warm-up: bytecode cache, page cache
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(runs):
        for label, cmd in cmds.items():
            start = time.perf_counter()
            subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[label].append(time.perf_counter() - start)
    return {label: (statistics.median(t), min(t)) for label, t in times.items()}


def add_common_args(parser) -> None:
    parser.add_argument("--runs", type=int, default=None, help="runs per command (median reported)")
    parser.add_argument("--quick", action="store_true", help="fewer runs and smaller inputs (about a minute overall)")
    parser.add_argument("--src", default=None, help="run the commands against this src folder (PYTHONPATH)")


def row(label: str, seconds: float, base: float, target: str = "", best: float | None = None) -> str:
    text = f"{label:<36}{seconds * 1000:8.1f} ms  {seconds / base:5.1f}x baseline"
    if best is not None:
        text += f"  (best {best * 1000:6.1f} ms)"
    return text + (f"  [{target}]" if target else "")


def kdf_time(runs: int) -> float:
    """Median seconds of one key derivation at the default wallet parameters, in-process: the
    cost every command that unlocks the wallet pays once, the baseline of the wallet benchmarks."""
    from lerwallet import crypto

    params = crypto.KdfParams.default()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        crypto.derive_key(b"x", b"s" * 16, params)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# `lerwallet` as the console script runs it, with the one key derivation of the run timed inside
# that same process (written to the file named by LERWALLET_BENCH_KDF_FILE): the wall time of the
# whole process minus its own KDF run is the figure the target is about. On a shared 2-core
# machine the default Argon2id (4 lanes) alone varies by 100-200 ms from run to run, so a KDF
# timed elsewhere, even in the same round, cannot be subtracted.
ENTRY_TIMING_KDF = """
import os, sys, time
from lerwallet import crypto
real = crypto.derive_key
def timed(*args):
    start = time.perf_counter()
    try:
        return real(*args)
    finally:
        with open(os.environ["LERWALLET_BENCH_KDF_FILE"], "a") as out:
            out.write(f"{time.perf_counter() - start}\\n")
crypto.derive_key = timed
from lerwallet.cli import main
sys.argv[0] = "lerwallet"
main()
"""


def paired(cmds: dict[str, list[str]], env: dict, runs: int, work: Path) -> dict[str, tuple[float, float, float]]:
    """Round-robin like `_common.interleaved`: {label: (median wall, median of (wall - the KDF
    run inside that process; wall when it ran none), best of those)}."""
    walls: dict[str, list[float]] = {label: [] for label in cmds}
    over: dict[str, list[float]] = {label: [] for label in cmds}
    record = work / "kdf-times"
    env = dict(env, LERWALLET_BENCH_KDF_FILE=str(record))
    for cmd in cmds.values():  # warm-up: bytecode cache, page cache
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(runs):
        for label, cmd in cmds.items():
            record.unlink(missing_ok=True)
            start = time.perf_counter()
            done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            elapsed = time.perf_counter() - start
            if done.returncode != 0:
                raise SystemExit(f"benchmark command failed (exit {done.returncode}): {' '.join(cmd)}")
            kdf = sum(float(x) for x in record.read_text().split()) if record.exists() else 0.0
            walls[label].append(elapsed)
            over[label].append(elapsed - kdf)
    return {label: (statistics.median(walls[label]), statistics.median(over[label]), min(over[label])) for label in cmds}
