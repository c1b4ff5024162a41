"""Run every benchmark script in this folder (bench_*.py) and print their figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

here = Path(__file__).parent
status = 0
for script in sorted(here.glob("bench_*.py")):
    print(f"\n=== {script.name}", flush=True)
    status |= subprocess.call([sys.executable, str(script)] + sys.argv[1:])
sys.exit(status)
