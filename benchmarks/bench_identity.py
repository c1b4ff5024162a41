"""Identity speed: what the presentation signer pays to get its key, against baselines run here.

Targets (issue 4):
  signing_key(default_holder)   < 2 ms with 50 identities (per presentation; the store is open)
  create (did:key, Ed25519)      < 5x (key generation + one sealed put)
  did list (CLI, fast KDF)       < `lerwallet status` + 150 ms (a KDF-free command as baseline)

Usage: python benchmarks/bench_identity.py [--identities N] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def median_call(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def median_wall(cmd: list[str], runs: int, env: dict) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--identities", type=int, default=50)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    from lerwallet import crypto, identity
    from lerwallet.store import Wallet, new_id

    tmp = Path(tempfile.mkdtemp(prefix="bench-identity-"))
    home = tmp / "wallet"
    wallet = Wallet.create(home, b"bench passphrase", kdf=crypto.KdfParams.unsafe_fast_for_tests())
    methods = ["key", "jwk", "web"]
    with wallet.transaction():
        for i in range(args.identities):
            m = methods[i % 3]
            identity.create(wallet, method=m, key_type="ed25519" if i % 2 else "p256",
                            domain=f"h{i}.example" if m == "web" else None)

    def baseline_create():
        private = crypto.generate_private_key("ed25519")
        wallet.put("bench", new_id(), {"k": private.hex()})

    counter = iter(range(10**6))
    t_base_create = median_call(baseline_create, args.runs)
    t_create = median_call(lambda: identity.create(wallet, name=f"bench-{next(counter)}"), args.runs)
    t_get = median_call(lambda: wallet.get("setting", "default_holder"), args.runs)
    t_sign_key = median_call(lambda: identity.signing_key(wallet, identity.default_holder(wallet)), args.runs)
    total = len(identity.list_identities(wallet))
    wallet.close()

    env = {**os.environ, "LERWALLET_HOME": str(home), "LERWALLET_PASSPHRASE": "bench passphrase"}
    exe = [sys.executable, "-m", "lerwallet"]
    t_status = median_wall(exe + ["status"], max(3, args.runs // 3), env)
    t_list = median_wall(exe + ["did", "list"], max(3, args.runs // 3), env)

    print(f"identities in wallet:            {total}")
    print(f"baseline keygen + sealed put:    {t_base_create * 1000:8.2f} ms")
    print(f"identity.create (did:key):       {t_create * 1000:8.2f} ms   ratio {t_create / t_base_create:5.1f}x (target < 5x)")
    print(f"baseline wallet.get (1 record):  {t_get * 1000:8.2f} ms")
    print(f"signing_key(default_holder):     {t_sign_key * 1000:8.2f} ms   (target < 2 ms)")
    print(f"lerwallet status (CLI):          {t_status * 1000:8.1f} ms")
    print(f"lerwallet did list (CLI):        {t_list * 1000:8.1f} ms   +{(t_list - t_status) * 1000:.0f} ms (target < +150 ms)")
    ok = t_create / t_base_create < 5 and t_sign_key < 0.002 and t_list - t_status < 0.150
    print("targets met" if ok else "TARGET MISSED")
    import shutil

    shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
