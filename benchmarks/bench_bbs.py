"""bbs-2023 derived-proof verification: lerwallet against the reference JavaScript verifier,
measured in the same run (issue #10; docs/proofs.md "bbs-2023").

Both verify the four derived fixtures of tests/interop/bbs (made by the reference stack) with
bundled contexts and did:key resolved locally. Figures, in ms per credential:
  - cold: the first verification in a fresh process (lerwallet: includes importing the BLS wheel
    and making the BBS generators once);
  - warm: median over ROUNDS passes in one process (`verify_proofs`, the proof check that `verify`
    runs; the reference: `vc.verifyCredential` with the bbs-2023 verify cryptosuite).
Also the cost of a crafted proof at the 1,024-message cap (cold and warm).

Usage: python benchmarks/bench_bbs.py [--rounds 20] [--js-dir /tmp/lerwallet-bench-bbs-js]
Without node/npm the reference part is skipped with a message.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "interop" / "bbs"
FILES = ["js-derived.json", "js-derived-no-header.json", "js-derived-mandatory-only.json", "js-derived-everything.json"]
NPM_PACKAGES = ["@digitalbazaar/vc", "@digitalbazaar/data-integrity", "@digitalbazaar/bbs-2023-cryptosuite",
                "@digitalbazaar/bls12-381-multikey", "@digitalbazaar/did-method-key"]

LERWALLET = r"""
import json, statistics, sys, time
t0 = time.perf_counter()
from lerwallet.keys.resolver import Resolver
from lerwallet.proofs import verify_proofs
docs = [json.load(open(f)) for f in sys.argv[2:]]
rounds = int(sys.argv[1])
def one_pass():
    start = time.perf_counter()
    for doc in docs:
        assert [r.outcome for r in verify_proofs(doc, resolver=Resolver())] == ["pass"]
    return (time.perf_counter() - start) * 1000 / len(docs)
cold = one_pass()
warm = statistics.median(one_pass() for _ in range(rounds))
print(json.dumps({"cold_ms": cold, "warm_ms": warm}))
"""


def lerwallet(rounds: int) -> dict:
    files = [str(FIXTURES / f) for f in FILES]
    out = subprocess.run([sys.executable, "-c", LERWALLET, str(rounds), *files], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)


def at_the_cap() -> tuple[float, float]:
    """A crafted, well-formed proof over 1,024 messages: (first, warm median) in ms, this process."""
    from lerwallet.proofs import bbs

    point = bytes.fromhex("94916292a7a6bade28456c601d3af33fcf39278d6594b467e128a3f83686a104"
                          "ef2b2fcf72df0215eeaf69262ffe8194")
    pk = bytes.fromhex("a820f230f6ae38503b86c70dc50b61c58a77e45c39ab25c0652bbaa8fa136f2851bd4781c9dcde39fc9d1d52c9e60268"
                       "061e7d7632171d91aa8d460acee0e96f1e7c4cfb12d3ff9ab5d5dc91c277db75c845d649ef3c4f63aebc364cd55ded0c")
    proof = point * 3 + (5).to_bytes(32, "big") * (3 + bbs.MAX_MESSAGES - 1 + 1)

    def run() -> float:
        start = time.perf_counter()
        assert bbs.proof_verify(pk, proof, b"", b"", [b"m"], [0]) is False
        return (time.perf_counter() - start) * 1000

    first = run()
    return first, statistics.median(run() for _ in range(5))


def reference(rounds: int, js_dir: Path) -> dict | None:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        print("reference: skipped (node/npm not found)")
        return None
    js_dir.mkdir(parents=True, exist_ok=True)
    if not (js_dir / "node_modules" / "@digitalbazaar" / "bbs-2023-cryptosuite").exists():
        (js_dir / "package.json").write_text('{"name":"lerwallet-bench-bbs","private":true,"type":"module"}')
        print(f"reference: npm install into {js_dir} (once)")
        done = subprocess.run([npm, "install", "--no-audit", "--no-fund", *NPM_PACKAGES], cwd=js_dir,
                              capture_output=True)
        if done.returncode:
            print("reference: skipped (npm install failed):", done.stderr.decode()[-300:])
            return None
    shutil.copy(Path(__file__).with_name("bench_bbs.mjs"), js_dir / "bench_bbs.mjs")
    out = subprocess.run([node, "bench_bbs.mjs", str(ROOT), str(rounds), *[str(FIXTURES / f) for f in FILES]],
                         cwd=js_dir, capture_output=True, text=True)
    if out.returncode:
        print("reference: failed:", out.stderr[-300:])
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3, help="interleaved runs of each side")
    parser.add_argument("--js-dir", default="/tmp/lerwallet-bench-bbs-js")
    args = parser.parse_args()
    ours, theirs = [], []
    for _ in range(args.runs):  # interleaved, so machine load hits both sides alike
        ours.append(lerwallet(args.rounds))
        ref = reference(args.rounds, Path(args.js_dir))
        if ref:
            theirs.append(ref)
    for name, key in (("cold (first credential, fresh process)", "cold_ms"), ("warm (median per credential)", "warm_ms")):
        mine = statistics.median(r[key] for r in ours)
        line = f"{name:42s} lerwallet {mine:8.2f} ms"
        if theirs:
            ref = statistics.median(r[key] for r in theirs)
            line += f"   reference {ref:8.2f} ms   ratio {mine / ref:5.2f}x"
        print(line)
    first, warm = at_the_cap()
    print(f"{'crafted proof at the 1,024-message cap':42s} first {first:8.1f} ms   then {warm:6.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
