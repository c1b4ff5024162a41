"""Run every benchmark script in this folder (bench_*.py) and print their figures.

Usage: python benchmarks/run.py [--quick] [--src DIR] [bench names...]
  --quick and --src go to the scripts that accept them (see each script's usage); names such as
  `startup verify` run only bench_startup.py and bench_verify.py. Exit status: 1 if any script
  reported a missed target or failed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

here = Path(__file__).parent
parser = argparse.ArgumentParser()
parser.add_argument("--quick", action="store_true")
parser.add_argument("--src", default=None)
parser.add_argument("names", nargs="*")
args = parser.parse_args()

status = 0
for script in sorted(here.glob("bench_*.py")):
    if args.names and script.stem.removeprefix("bench_") not in args.names:
        continue
    text = script.read_text()
    common = "add_common_args" in text  # benchmarks/_common.py gives --runs, --quick and --src
    extra = []
    if args.quick and (common or '"--quick"' in text):
        extra.append("--quick")
    if args.src and (common or '"--src"' in text):
        extra += ["--src", args.src]
    print(f"\n=== {script.name} {' '.join(extra)}", flush=True)
    start = time.perf_counter()
    code = subprocess.call([sys.executable, str(script), *extra])
    print(f"=== {script.name}: exit {code}, {time.perf_counter() - start:.0f} s", flush=True)
    status |= 1 if code else 0
sys.exit(status)
