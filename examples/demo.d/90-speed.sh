#!/usr/bin/env bash
# Start-up speed, measured here: an employer runs `lerwallet verify` once per received file,
# so its whole-process time matters. Medians of 5 fresh processes against bare Python.
set -euo pipefail
CRED="$DEMO_EXAMPLES/credentials/ob3-first-aid.json"
echo "\$ lerwallet verify ob3-first-aid.json --json   (timed; full figures: python benchmarks/run.py)"
python3 - "$CRED" <<'PY'
import os, shutil, statistics, subprocess, sys, time
env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # cached bytecode, as installed
lw = shutil.which("lerwallet")
py = os.path.join(os.path.dirname(lw), "python")
def median_ms(cmd):
    subprocess.run(cmd, env=env, capture_output=True)  # warm-up
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs) * 1000
base = median_ms([py, "-c", "pass"])
for label, cmd in (("python -c pass", [py, "-c", "pass"]), ("lerwallet --version", [lw, "--version"]),
                   ("lerwallet verify --json", [lw, "verify", sys.argv[1], "--json"]),
                   ("lerwallet verify", [lw, "verify", sys.argv[1]])):
    ms = median_ms(cmd)
    print(f"  {label:<26}{ms:7.1f} ms  ({ms / base:4.1f}x bare Python)")
PY
