"""Speed of `lerwallet present`: whole-process wall time to select, build, sign, self-check,
write and record a 5-badge presentation, against `python -c pass` and `lerwallet list` (the
cost of starting and unlocking the same wallet) measured in the same run.

Two wallets: one with the default Argon2id parameters (what a learner has: the unlock alone
is a good part of the time) and one with the test-only cheap parameters (the presenting work
without the KDF). Target (issue 8): a 5-badge presentation under 1 s whole-process (the issue's
target includes QR images, which `--qr` adds).

Usage: python benchmarks/bench_present.py [--runs N] [--quick] [--src DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _common import BASELINE, add_common_args, bench_env, interleaved, lerwallet_cmd, row  # noqa: E402

PASSPHRASE = "benchmark passphrase (not secret)"
TARGET = 1.0


def make_wallet(home: Path, kdf) -> None:
    """A wallet with one identity and five verified badges issued to it (in-process, real keys)."""
    from lerwallet import identity
    from lerwallet.store import Wallet, importer
    from tests.verify_helpers import Party, badge

    w = Wallet.create(home, PASSPHRASE.encode(), kdf=kdf)
    try:
        me = identity.create(w, name="me")
        issuer = Party()
        for i in range(5):
            doc = issuer.sign(dict(badge(issuer, subject=me.did, name=f"Badge {i}"), id=f"urn:uuid:00000000-0000-4000-8000-{i:012d}"))
            importer.store(w, importer.examine(json.dumps(doc).encode(), f"b{i}.json"))
    finally:
        w.close()


def main() -> int:
    from lerwallet import crypto

    parser = argparse.ArgumentParser()
    add_common_args(parser)
    args = parser.parse_args()
    runs = args.runs or (5 if args.quick else 11)
    work = Path(tempfile.mkdtemp(prefix="bench-present-"))
    lw = lerwallet_cmd()
    failures = []
    try:
        cmds = {"python -c pass": BASELINE}
        envs = {}
        for label, kdf in (("default KDF", crypto.KdfParams.default()), ("test KDF", crypto.KdfParams.unsafe_fast_for_tests())):
            home = work / label.replace(" ", "-")
            make_wallet(home, kdf)
            envs[label] = bench_env(args.src, LERWALLET_HOME=str(home), LERWALLET_PASSPHRASE=PASSPHRASE)
        # interleaved() takes one env: pass the wallet with --home instead of LERWALLET_HOME
        env = bench_env(args.src, LERWALLET_PASSPHRASE=PASSPHRASE)
        out = work / "vp.json"
        for label in envs:
            home = str(work / label.replace(" ", "-"))
            cmds[f"list ({label})"] = lw + ["--home", home, "list"]
            cmds[f"present 5 badges ({label})"] = lw + ["--home", home, "present", "--kind", "OpenBadgeCredential",
                                                        "--challenge", "c", "--domain", "employer.example",
                                                        "--out", str(out), "--force", "--yes"]
            cmds[f"present 5 badges jwt ({label})"] = lw + ["--home", home, "present", "--kind", "OpenBadgeCredential",
                                                            "--format", "jwt", "--challenge", "c", "--out", str(out),
                                                            "--force", "--yes"]
        result = interleaved(cmds, env, runs)
        base = result["python -c pass"][0]
        for label, (median, best) in result.items():
            note = ""
            if label.startswith("present"):
                kdf = label[label.index("(") + 1:-1]
                work_ms = (median - result[f"list ({kdf})"][0]) * 1000
                note = f"{work_ms:+.0f} ms over list; target < {TARGET * 1000:.0f} ms"
                if median >= TARGET:
                    failures.append(label)
            print(row(label, median, base, note, best))
        check = json.loads(out.read_text()) if out.read_text().startswith("{") else None
        if check is not None and len(check["verifiableCredential"]) != 5:
            failures.append("presentation does not hold 5 credentials")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("targets met" if not failures else f"targets MISSED: {', '.join(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    t0 = time.perf_counter()
    code = main()
    print(f"(bench took {time.perf_counter() - t0:.0f} s)")
    sys.exit(code)
