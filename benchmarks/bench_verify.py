"""Speed of `lerwallet verify`: whole-process wall time for 1- and 10-credential presentations
against `python -c pass` measured in the same run, batch throughput of 1,000 credentials on all
cores, and peak memory. Targets: 1 credential < 150 ms, 1,000 credentials < 5 s, < 300 MB."""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.verify_helpers import Party, badge, presentation  # noqa: E402

LERWALLET = [sys.executable, "-m", "lerwallet"]


def wall(cmd: list[str], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-verify-"))
    env_home = work / "home"
    os.environ["LERWALLET_HOME"] = str(env_home)
    issuer, holder = Party(), Party()
    cred = issuer.sign(badge(issuer, subject=holder.did))
    one = work / "vp1.json"
    one.write_text(json.dumps(presentation(holder, [cred], challenge="c", domain="d")))
    ten = work / "vp10.json"
    ten.write_text(json.dumps(presentation(holder, [cred] * 10, challenge="c", domain="d")))
    batch = work / "batch"
    batch.mkdir()
    for i in range(1000):
        (batch / f"{i:04d}.json").write_text(json.dumps(cred))

    base = wall([sys.executable, "-c", "pass"])
    t1 = wall(LERWALLET + ["verify", str(one), "--challenge", "c", "--domain", "d"])
    t10 = wall(LERWALLET + ["verify", str(ten), "--challenge", "c", "--domain", "d"], runs=5)
    start = time.perf_counter()
    proc = subprocess.run(LERWALLET + ["verify", str(batch), "--json"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tbatch = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"python -c pass            median {base * 1000:7.1f} ms")
    print(f"verify 1-credential VP    median {t1 * 1000:7.1f} ms  ({t1 / base:.1f}x baseline; target < 150 ms)")
    print(f"verify 10-credential VP   median {t10 * 1000:7.1f} ms  ({t10 / base:.1f}x baseline)")
    print(f"verify 1,000 credentials  {tbatch:7.2f} s on {os.cpu_count()} cores ({1000 / tbatch:.0f}/s; target < 5 s), exit {proc.returncode}")
    print(f"peak child RSS            {peak_mb:7.1f} MB (largest single process; target < 300 MB)")


if __name__ == "__main__":
    main()
