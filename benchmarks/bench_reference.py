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
Every run measures each side once (round-robin), so a busy machine's drift hits all alike.

Both lerwallet figures are measured in child processes of the interpreter that runs this script
(or of `--before PYTHON`, another installation to compare with, e.g. a scratch venv with
`pip install .` of an older commit), interleaved with each other run by run. The warm child
reads the badges from the folder and loads pyld first, as a batch of 12 or more does
(`verify/batch.py`) and as any process that has signed something has.

Usage: python benchmarks/bench_reference.py [--count 200] [--runs 5] [--before PYTHON] [--js-dir /tmp/lerwallet-bench-js]
Without node (or npm) the JavaScript part is skipped with a message; lerwallet's figures are
still printed.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import bench_env  # noqa: E402

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


def lerwallet_warm(folder: Path, rounds: int) -> float:
    """Median per-badge seconds in this process (the `--warm-json` child), after one warm-up pass."""
    from lerwallet.ld import _pyld
    from lerwallet.verify import Options, verify_bytes
    from lerwallet.verify import batch

    settle = getattr(batch, "settle", lambda: None)  # an older --before installation has none
    _pyld.processor_class()  # pyld loaded, as in a batch of 12 or more (see the module docstring)
    badges = [p.read_bytes() for p in sorted(folder.glob("*.json"))]
    opts = Options()
    for data in badges:
        [report] = verify_bytes(data, opts)
        assert report.verdict == "valid", [(c.id, c.outcome, c.reason) for c in report.credentials[0].checks]
    settle()  # as a batch does once warm (lerwallet.verify.batch.settle)
    per = []
    for _ in range(rounds):
        start = time.perf_counter()
        for data in badges:
            verify_bytes(data, opts)
        per.append((time.perf_counter() - start) / len(badges))
    return statistics.median(per)


def warm_child(python: str, folder: Path, rounds: int) -> float:
    out = subprocess.run([python, __file__, "--warm-json", str(folder), "--rounds", str(rounds)],
                         env=bench_env(None), capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"warm measurement with {python} failed: {out.stderr[-800:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])["warm"]


def batch_cmd(python: str, folder: Path) -> list[str]:
    script = Path(python).parent / "lerwallet"
    return ([str(script)] if script.exists() else [python, "-m", "lerwallet"]) + ["verify", str(folder), "--json"]


def batch_once(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    out = subprocess.run(cmd, env=env, capture_output=True)
    elapsed = time.perf_counter() - start
    if out.returncode != 0:
        raise SystemExit(f"lerwallet verify failed: {out.stderr.decode()[-500:]}")
    return elapsed


def measure(installs: dict[str, str], folder: Path, runs: int, rounds: int, js: list[str] | None,
            js_dir: Path) -> tuple[dict[str, dict], dict | None]:
    """({label: {"warm": s, "batch": s}} for each lerwallet installation (label -> interpreter),
    the reference's medians or None), measured round-robin: every run measures each side once,
    so all see the same load drift."""
    env = bench_env(None, LERWALLET_HOME=str(folder.parent / "home"))
    cmds = {label: batch_cmd(python, folder) for label, python in installs.items()}
    for cmd in cmds.values():  # warm-up: bytecode and page caches
        batch_once(cmd, env)
    warm: dict[str, list[float]] = {label: [] for label in installs}
    batch: dict[str, list[float]] = {label: [] for label in installs}
    ref: list[dict] = []
    for _ in range(runs):
        for label, python in installs.items():
            batch[label].append(batch_once(cmds[label], env))
            warm[label].append(warm_child(python, folder, rounds))
        if js is not None:
            once = js_once(js, js_dir, folder, rounds)
            if once is None:
                js = None
            else:
                ref.append(once)
    ours = {label: {"warm": statistics.median(warm[label]), "batch": statistics.median(batch[label])}
            for label in installs}
    theirs = ({key: statistics.median(r[key] for r in ref) for key in ("startup_ms", "first_pass_ms", "warm_ms")}
              if js is not None and ref else None)
    return ours, theirs


def js_setup(js_dir: Path) -> list[str] | None:
    """The command that runs the reference once (installing it into `js_dir` the first time), or None."""
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
    return [node, "bench_reference.mjs", str(ROOT)]


def js_once(cmd: list[str], js_dir: Path, folder: Path, rounds: int) -> dict | None:
    out = subprocess.run([*cmd, str(folder), str(rounds)], cwd=js_dir, capture_output=True, text=True)
    if out.returncode != 0:
        print("reference: skipped (it failed):", out.stderr[-500:])
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5, help="process runs per side (medians reported)")
    parser.add_argument("--rounds", type=int, default=5, help="warm passes per process")
    parser.add_argument("--quick", action="store_true", help="50 badges, 3 runs")
    parser.add_argument("--before", default=None, metavar="PYTHON",
                        help="also measure the lerwallet installed for this interpreter (a 'before' column)")
    parser.add_argument("--js-dir", default=str(Path(tempfile.gettempdir()) / "lerwallet-bench-js"))
    parser.add_argument("--warm-json", default=None, help=argparse.SUPPRESS)  # the warm child
    args = parser.parse_args()
    if args.warm_json:
        print(json.dumps({"warm": lerwallet_warm(Path(args.warm_json), args.rounds)}))
        return 0
    if args.quick:
        args.count, args.runs, args.rounds = 50, 3, 3
    installs = {"after": sys.executable} if args.before else {"lerwallet": sys.executable}
    if args.before:
        installs = {"before": args.before, **installs}
    work = Path(tempfile.mkdtemp(prefix="bench-reference-"))
    try:
        folder = work / "badges"
        folder.mkdir()
        make_badges(folder, args.count)
        js_dir = Path(args.js_dir)
        js_cmd = js_setup(js_dir)
        load_start = os.getloadavg()[0]
        ours, js = measure(installs, folder, args.runs, args.rounds, js_cmd, js_dir)
        load_end = os.getloadavg()[0]
        print(f"{args.count} typical OB 3.0 badges (eddsa-rdfc-2022, did:key), medians of {args.runs} runs; "
              f"load average {load_start:.1f} -> {load_end:.1f}")
        ref_batch = js["startup_ms"] + args.count * js["warm_ms"] if js else None
        head = f"  {'':34s}" + "".join(f"{label:>12s}" for label in ours) + ("   reference" if js else "")
        print(head)
        print(f"  {'warm per badge (ms)':34s}" + "".join(f"{v['warm'] * 1000:12.2f}" for v in ours.values())
              + (f"{js['warm_ms']:12.2f}" if js else ""))
        print(f"  {'batch, one process (ms)':34s}" + "".join(f"{v['batch'] * 1000:12.1f}" for v in ours.values())
              + (f"{ref_batch:12.1f}" if js else ""))
        if js:
            print(f"  reference start-up {js['startup_ms']:.1f} ms (first pass {js['first_pass_ms']:.1f} ms); "
                  f"reference batch = start-up + {args.count} x warm")
            for label, v in ours.items():
                w, b = v["warm"] * 1000 / js["warm_ms"], v["batch"] * 1000 / ref_batch
                print(f"  {label:>9s}: warm ratio {w:5.2f}x (target <= 0.25x: {'met' if w <= 0.25 else 'NOT met'}), "
                      f"batch ratio {b:5.2f}x (target <= 0.35x: {'met' if b <= 0.35 else 'NOT met'})")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
