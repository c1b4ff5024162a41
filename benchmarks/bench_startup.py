"""Whole-process start-up: what a person or a script waits for, one command at a time.

Medians of fresh processes against `python -c pass` measured in the same run (see _common.py for
the environment). Targets (issues 2, 3, 5):
  lerwallet --version                     < 3x `python -c pass`
  lerwallet verify, one OB 3.0 credential < 120 ms (issue 3), < 150 ms (issue 5)
  10-credential presentation              close to one credential

Usage: python benchmarks/bench_startup.py [--runs N] [--quick] [--src DIR] [--compare OLD_SRC]
                                          [--installs BEFORE_REV [--now REV]]
  --compare OLD_SRC: also run every command against another checkout's src, round-robin with
  this one, and print both medians (e.g. OLD_SRC from `git archive <commit> src | tar -x -C /tmp/old`).
  --installs BEFORE_REV: build two regular installs (`pip install .` into scratch venvs, byte-compiled
  by pip, each with its own dependencies) of BEFORE_REV and of this working tree (tracked files, with
  uncommitted changes), and time the commands that need no wallet from both, round-robin with
  `python -c pass`; prints medians and now/before ratios. The venvs are kept per source tree under
  the temp folder, so a second run only re-times. E.g. `--installs ac3f138 --runs 25`.
  --now REV: compare against that revision instead of the working tree.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _common import BASELINE, add_common_args, bench_env, interleaved, lerwallet_cmd, row  # noqa: E402
from _installs import regular_install, working_tree_rev  # noqa: E402

from tests.verify_helpers import Party, badge, presentation  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    add_common_args(parser)
    parser.add_argument("--compare", default=None, metavar="OLD_SRC", help="also measure this src folder")
    parser.add_argument("--installs", default=None, metavar="BEFORE_REV",
                        help="compare regular installs of BEFORE_REV and of this working tree")
    parser.add_argument("--now", default=None, metavar="REV", help="with --installs: this revision, not the working tree")
    args = parser.parse_args()
    if args.installs:
        return compare_installs(args.installs, args.runs or (9 if args.quick else 25), now_rev=args.now)
    runs = args.runs or (7 if args.quick else 21)
    work = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    env = bench_env(args.src, LERWALLET_HOME=str(work / "home"), LERWALLET_PASSPHRASE="bench passphrase")
    lw = lerwallet_cmd()
    failures = []
    try:
        subprocess.run(lw + ["init"], env=env, check=True, capture_output=True)
        issuer, holder = Party(), Party()
        cred = issuer.sign(badge(issuer, subject=holder.did))
        one = work / "credential.json"
        one.write_text(json.dumps(cred))
        vp1 = work / "vp1.json"
        vp1.write_text(json.dumps(presentation(holder, [cred], challenge="c", domain="d")))
        vp10 = work / "vp10.json"
        vp10.write_text(json.dumps(presentation(holder, [issuer.sign(badge(issuer, subject=holder.did, name=f"Badge {i}"))
                                                        for i in range(10)], challenge="c", domain="d")))

        vp = ["--challenge", "c", "--domain", "d"]
        cmds = {
            "python -c pass": BASELINE,
            "lerwallet --version": lw + ["--version"],
            "lerwallet --help": lw + ["--help"],
            "lerwallet status": lw + ["status"],
            "verify credential (terminal)": lw + ["verify", str(one)],
            "verify credential --json": lw + ["verify", str(one), "--json"],
            "verify 1-credential VP --json": lw + ["verify", str(vp1), *vp, "--json"],
            "verify 10-credential VP --json": lw + ["verify", str(vp10), *vp, "--json"],
            "verify 10-credential VP (terminal)": lw + ["verify", str(vp10), *vp],
        }
        targets = {"lerwallet --version": ("< 3x baseline", None),
                   "verify credential (terminal)": ("< 120 ms", 0.120),
                   "verify credential --json": ("< 120 ms", 0.120)}
        if args.compare:
            old_src = str(Path(args.compare).resolve())
            for label, cmd in list(cmds.items())[1:]:
                cmds["old " + label] = ["env", f"PYTHONPATH={old_src}", *cmd]
                cmds[label] = ["env", f"PYTHONPATH={env.get('PYTHONPATH', '')}", *cmd]  # same `env` hop
        result = interleaved(cmds, env, runs)
        base = result["python -c pass"][0]
        for label, (median, best) in result.items():
            if label.startswith("old "):
                continue
            target, limit = targets.get(label, ("", None))
            print(row(label, median, base, f"target {target}" if target else "", best))
            if "old " + label in result:
                old_median, old_best = result["old " + label]
                print(f"{'  before (' + args.compare + ')':<36}{old_median * 1000:8.1f} ms  {old_median / base:5.1f}x baseline"
                      f"  (best {old_best * 1000:6.1f} ms)  now {median / old_median:.2f}x of before")
            if label == "lerwallet --version" and median >= 3 * base:
                failures.append(label)
            if limit is not None and median >= limit:
                failures.append(label)
        print(f"(medians of {runs} round-robin runs; 'best' is the fastest run, the cost without load)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("targets met" if not failures else f"targets MISSED: {', '.join(failures)}")
    return 1 if failures else 0


def inputs(work: Path) -> dict[str, Path]:
    """One signed OB 3.0 badge, and 1- and 10-credential presentations of such badges."""
    issuer, holder = Party(), Party()
    cred = issuer.sign(badge(issuer, subject=holder.did))
    files = {"one": work / "credential.json", "vp1": work / "vp1.json", "vp10": work / "vp10.json"}
    files["one"].write_text(json.dumps(cred))
    files["vp1"].write_text(json.dumps(presentation(holder, [cred], challenge="c", domain="d")))
    files["vp10"].write_text(json.dumps(presentation(holder, [issuer.sign(badge(issuer, subject=holder.did, name=f"Badge {i}"))
                                                            for i in range(10)], challenge="c", domain="d")))
    return files


def compare_installs(before_rev: str, runs: int, now_rev: str | None = None) -> int:
    """Regular installs of `before_rev` and of `now_rev` (default: the working tree), timed
    round-robin in one run."""
    repo = Path(__file__).resolve().parents[1]
    now_label = now_rev or "working tree"
    now_rev = now_rev or working_tree_rev(repo)
    before = regular_install(repo, before_rev)
    now = regular_install(repo, now_rev)
    work = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    # pip byte-compiled both installs next to their sources: no pycache prefix (it would hide them)
    env = {k: v for k, v in bench_env(None, LERWALLET_HOME=str(work / "home")).items() if k != "PYTHONPYCACHEPREFIX"}
    try:
        files = inputs(work)
        vp = ["--challenge", "c", "--domain", "d"]
        commands = {
            "lerwallet --version": ["--version"],
            "lerwallet --help": ["--help"],
            "verify credential --json": ["verify", str(files["one"]), "--json"],
            "verify credential (terminal)": ["verify", str(files["one"])],
            "verify 1-credential VP --json": ["verify", str(files["vp1"]), *vp, "--json"],
            "verify 10-credential VP --json": ["verify", str(files["vp10"]), *vp, "--json"],
        }
        for label, args in commands.items():  # same answer from both, or the comparison is moot
            outs = [subprocess.run([str(exe), *args], env=env, capture_output=True, text=True).returncode
                    for exe in (before, now)]
            if outs[0] != outs[1]:
                print(f"warning: {label}: exit {outs[0]} before, {outs[1]} now")
        cmds = {"python -c pass": BASELINE}
        for label, args in commands.items():
            cmds["before " + label] = [str(before), *args]
            cmds[label] = [str(now), *args]
        result = interleaved(cmds, env, runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    base = result["python -c pass"][0]
    print(f"regular installs: before = {before_rev}, now = {now_label} ({now_rev[:12]}); "
          f"medians of {runs} round-robin runs (best run in brackets)")
    print(f"{'command':<34}{'before':>10}{'now':>10}{'now/before':>12}")
    print(f"{'python -c pass':<34}{base * 1000:8.1f} ms  (best {result['python -c pass'][1] * 1000:.1f} ms)")
    for label in commands:
        (old, old_best), (new, new_best) = result["before " + label], result[label]
        print(f"{label:<34}{old * 1000:8.1f} ms{new * 1000:8.1f} ms{new / old:10.2f}"
              f"   (best {old_best * 1000:.1f} / {new_best * 1000:.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
