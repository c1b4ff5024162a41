"""lerwallet against the reference JavaScript verifier (issue #10, Speed), measured in the same run.

The reference: @digitalbazaar/vc with @digitalbazaar/data-integrity and the eddsa-rdfc-2022
cryptosuite, run by Node from a scratch folder (`benchmarks/bench_reference.mjs`; the npm
packages are installed there once, nothing is fetched at verification time: both sides serve
lerwallet's bundled contexts and resolve did:key locally). The same N typical OB 3.0 badges
(eddsa-rdfc-2022, did:key issuer, signed here with fresh keys) are verified by both.

Figures:
  - warm per-badge: lerwallet in one process (`verify_bytes`, after a warm-up pass), median of
    the per-badge means of several passes; the reference the same way. Target <= 0.25x.
  - batch: `lerwallet verify FOLDER --json` as a fresh process (median of runs) against the
    reference's start-up plus N times its warm per-badge time. Target <= 0.35x.

Usage: python benchmarks/bench_reference.py [--count 200] [--runs 5] [--js-dir /tmp/lerwallet-bench-js]
Without node (or npm) the JavaScript part is skipped with a message; lerwallet's figures are
still printed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import bench_env, lerwallet_cmd  # noqa: E402

NPM_PACKAGES = ["@digitalbazaar/vc", "@digitalbazaar/data-integrity", "@digitalbazaar/eddsa-rdfc-2022-cryptosuite",
                "@digitalbazaar/ed25519-multikey", "@digitalbazaar/did-method-key"]


def make_badges(folder: Path, count: int) -> list[bytes]:
    from tests.verify_helpers import Party, badge

    issuer = Party()
    out = []
    for i in range(count):
        holder = Party()
        doc = issuer.sign(badge(issuer, subject=holder.did, name=f"Badge {i}"))
        data = json.dumps(doc, indent=1).encode()
        (folder / f"badge-{i:04d}.json").write_bytes(data)
        out.append(data)
    return out


def lerwallet_warm(badges: list[bytes], rounds: int) -> float:
    """Median per-badge seconds, in this process, after one warm-up pass."""
    from lerwallet.verify import Options, verify_bytes

    opts = Options()
    for data in badges:
        [report] = verify_bytes(data, opts)
        assert report.verdict == "valid", [(c.id, c.outcome, c.reason) for c in report.credentials[0].checks]
    per = []
    for _ in range(rounds):
        start = time.perf_counter()
        for data in badges:
            verify_bytes(data, opts)
        per.append((time.perf_counter() - start) / len(badges))
    return statistics.median(per)


def lerwallet_batch(folder: Path, runs: int) -> float:
    env = bench_env(None, LERWALLET_HOME=str(folder.parent / "home"))
    cmd = lerwallet_cmd() + ["verify", str(folder), "--json"]
    times = []
    for i in range(runs + 1):
        start = time.perf_counter()
        out = subprocess.run(cmd, env=env, capture_output=True)
        if i:
            times.append(time.perf_counter() - start)
        if out.returncode != 0:
            raise SystemExit(f"lerwallet verify failed: {out.stderr.decode()[-500:]}")
    return statistics.median(times)


def js_reference(folder: Path, js_dir: Path, rounds: int, runs: int) -> dict | None:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        print("reference: skipped (node/npm not found); install Node.js to compare with @digitalbazaar/vc")
        return None
    js_dir.mkdir(parents=True, exist_ok=True)
    if not (js_dir / "node_modules" / "@digitalbazaar" / "vc").exists():
        (js_dir / "package.json").write_text('{"name":"lerwallet-bench-js","private":true,"type":"module"}')
        print(f"reference: npm install into {js_dir} (once)")
        done = subprocess.run([npm, "install", "--no-audit", "--no-fund", *NPM_PACKAGES], cwd=js_dir, capture_output=True)
        if done.returncode != 0:
            print("reference: skipped (npm install failed):", done.stderr.decode()[-300:])
            return None
    shutil.copy(Path(__file__).with_name("bench_reference.mjs"), js_dir / "bench_reference.mjs")
    results = []
    for _ in range(runs):
        out = subprocess.run([node, "bench_reference.mjs", str(ROOT), str(folder), str(rounds)], cwd=js_dir,
                             capture_output=True, text=True)
        if out.returncode != 0:
            print("reference: skipped (it failed):", out.stderr[-500:])
            return None
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {key: statistics.median(r[key] for r in results) for key in ("startup_ms", "first_pass_ms", "warm_ms")}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5, help="process runs per side (medians reported)")
    parser.add_argument("--rounds", type=int, default=5, help="warm passes per process")
    parser.add_argument("--quick", action="store_true", help="50 badges, 3 runs")
    parser.add_argument("--js-dir", default=str(Path(tempfile.gettempdir()) / "lerwallet-bench-js"))
    args = parser.parse_args()
    if args.quick:
        args.count, args.runs, args.rounds = 50, 3, 3
    work = Path(tempfile.mkdtemp(prefix="bench-reference-"))
    try:
        folder = work / "badges"
        folder.mkdir()
        badges = make_badges(folder, args.count)
        warm = lerwallet_warm(badges, args.rounds)
        batch = lerwallet_batch(folder, args.runs)
        js = js_reference(folder, Path(args.js_dir), args.rounds, args.runs)
        print(f"{args.count} typical OB 3.0 badges (eddsa-rdfc-2022, did:key), medians")
        print(f"  lerwallet warm per badge          {warm * 1000:8.2f} ms")
        print(f"  lerwallet batch (one process)     {batch * 1000:8.1f} ms")
        if js:
            ref_batch = js["startup_ms"] + args.count * js["warm_ms"]
            print(f"  reference warm per badge          {js['warm_ms']:8.2f} ms")
            print(f"  reference start-up                {js['startup_ms']:8.1f} ms  (first pass {js['first_pass_ms']:.1f} ms)")
            print(f"  reference batch (start-up + {args.count} x warm) {ref_batch:8.1f} ms")
            w, b = warm * 1000 / js["warm_ms"], batch * 1000 / ref_batch
            print(f"  warm ratio  {w:5.2f}x  (target <= 0.25x: {'met' if w <= 0.25 else 'NOT met'})")
            print(f"  batch ratio {b:5.2f}x  (target <= 0.35x: {'met' if b <= 0.35 else 'NOT met'})")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
