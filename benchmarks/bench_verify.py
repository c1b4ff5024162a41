"""Speed of `lerwallet verify`: whole-process wall time for 1- and 10-credential presentations
against `python -c pass` measured in the same run, batch throughput of 1,000 distinct
credentials with `--jobs 2` (and on all cores), and peak memory of the largest process.

Targets (issues 3 and 5): 1 credential < 120 ms (issue 3) and < 150 ms (issue 5); a 10-credential
presentation close to that; 1,000 credentials < 5 s with all cores; < 300 MB.

Usage: python benchmarks/bench_verify.py [--runs N] [--quick] [--src DIR]
  --quick: 200 credentials in the batch (its target scaled to 1 s), fewer runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _common import BASELINE, add_common_args, bench_env, interleaved, lerwallet_cmd, median_wall, row  # noqa: E402

from tests.verify_helpers import Party, badge, presentation  # noqa: E402

PEAK_RSS = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def peak_rss_mb(cmd: list[str], env: dict) -> float:
    """Largest resident set of `cmd` or any process it waited for (KiB on Linux), in a clean parent."""
    out = subprocess.run([sys.executable, "-c", PEAK_RSS, *cmd], env=env, capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    add_common_args(parser)
    args = parser.parse_args()
    runs = args.runs or (7 if args.quick else 15)
    count = 200 if args.quick else 1000
    work = Path(tempfile.mkdtemp(prefix="bench-verify-"))
    env = bench_env(args.src, LERWALLET_HOME=str(work / "home"))
    lw = lerwallet_cmd()
    failures = []
    try:
        issuer, holder = Party(), Party()
        creds = [issuer.sign(badge(issuer, subject=holder.did, name=f"Badge {i}")) for i in range(count)]
        one = work / "vp1.json"
        one.write_text(json.dumps(presentation(holder, creds[:1], challenge="c", domain="d")))
        ten = work / "vp10.json"
        ten.write_text(json.dumps(presentation(holder, creds[:10], challenge="c", domain="d")))
        single = work / "credential.json"
        single.write_text(json.dumps(creds[0]))
        batch = work / "batch"
        batch.mkdir()
        for i, cred in enumerate(creds):
            (batch / f"{i:04d}.json").write_text(json.dumps(cred))

        vp = ["--challenge", "c", "--domain", "d"]
        result = interleaved({
            "python -c pass": BASELINE,
            "verify 1 credential (terminal)": lw + ["verify", str(single)],
            "verify 1 credential --json": lw + ["verify", str(single), "--json"],
            "verify 1-credential VP": lw + ["verify", str(one), *vp],
            "verify 10-credential VP": lw + ["verify", str(ten), *vp],
        }, env, runs)
        base = result["python -c pass"][0]
        limits = {"verify 1 credential (terminal)": 0.120, "verify 1 credential --json": 0.120,
                  "verify 1-credential VP": 0.150}
        for label, (median, best) in result.items():
            note = f"target < {limits[label] * 1000:.0f} ms" if label in limits else ""
            if label == "verify 10-credential VP":
                note = f"{median / result['verify 1-credential VP'][0]:.2f}x the 1-credential VP"
            print(row(label, median, base, note, best))
            if label in limits and median >= limits[label]:
                failures.append(label)

        limit = 5.0 * count / 1000
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        for jobs in sorted({2, cores}):
            cmd = lw + ["verify", str(batch), "--json", "--jobs", str(jobs)]
            tb = median_wall(cmd, env, 1 if args.quick else 3, warmup=0)
            print(f"{f'verify {count} credentials --jobs {jobs}':<34}{tb:8.2f} s   ({count / tb:.0f}/s; target < {limit:.0f} s)")
            if jobs == cores and tb >= limit:
                failures.append("batch")
        peak = peak_rss_mb(lw + ["verify", str(batch), "--json", "--jobs", "2"], env)
        print(f"{'peak RSS (largest process)':<34}{peak:8.1f} MB  (target < 300 MB)")
        if peak >= 300:
            failures.append("memory")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("targets met" if not failures else f"targets MISSED: {', '.join(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    t0 = time.perf_counter()
    code = main()
    print(f"(bench took {time.perf_counter() - t0:.0f} s)")
    sys.exit(code)
