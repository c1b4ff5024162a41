"""Key, DID and JWT speed, each against the bare signature check it wraps (measured here).

Targets (issue 3): the layers around a signature check stay cheap next to it.
  did:key dereference (cold resolver)     < 2x one Ed25519 verify
  VC-JWT verify (did:key, EdDSA)          < 3x one Ed25519 verify
  SD-JWT verify (5 disclosures + KB-JWT)  < 6x one Ed25519 verify (it checks two signatures)

Usage: python benchmarks/bench_keys.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import time


def median_call(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=300)
    args, _ = parser.parse_known_args()

    from lerwallet import crypto
    from lerwallet.keys import Resolver, did_key_from_public
    from lerwallet.proofs.jose import sign_jwt, verify_jwt
    from lerwallet.proofs.sdjwt import create_sd_jwt, holder_jwk_for, present, verify_sd_jwt

    private = crypto.generate_private_key("ed25519")
    public = crypto.public_key_of("ed25519", private)
    did = did_key_from_public("ed25519", public)
    kid = f"{did}#{did[8:]}"
    message = b"x" * 600
    signature = crypto.sign("ed25519", private, message)
    credential = {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:uuid:1",
                  "type": ["VerifiableCredential"], "issuer": did, "validFrom": "2025-01-01T00:00:00Z",
                  "credentialSubject": {"id": "did:example:learner", "name": "Ada"}}
    token = sign_jwt(credential, key_type="ed25519", private_key=private, kid=kid)
    holder = crypto.generate_private_key("ed25519")
    claims = {"iss": did, "a": 1, "b": 2, "c": {"d": 3, "e": 4}, "f": [5, 6, 7]}
    sd = create_sd_jwt(claims, ["/a", "/b", "/c/d", "/c", "/f/1"], key_type="ed25519", private_key=private,
                       kid=kid, holder_jwk=holder_jwk_for("ed25519", holder))
    shown = present(sd, ["/a", "/c/d", "/f/1"], holder_key=("ed25519", holder), aud="v", nonce="n")

    base = median_call(lambda: crypto.verify("ed25519", public, message, signature), args.runs)
    rows = [
        ("did:key dereference (cold)", median_call(lambda: Resolver().dereference(kid), args.runs), 2),
        ("VC-JWT verify (did:key)", median_call(lambda: verify_jwt(token, resolver=Resolver()), args.runs), 3),
        ("SD-JWT verify (+KB-JWT)", median_call(
            lambda: verify_sd_jwt(shown, resolver=Resolver(), audience="v", nonce="n"), args.runs), 6),
    ]
    assert verify_jwt(token, resolver=Resolver()).proof.outcome == "pass"
    assert verify_sd_jwt(shown, resolver=Resolver(), audience="v", nonce="n").proof.outcome == "pass"
    print(f"{'baseline: Ed25519 verify':34} {base * 1e6:9.1f} us")
    for name, value, target in rows:
        ratio = value / base
        print(f"{name:34} {value * 1e6:9.1f} us  {ratio:5.2f}x  (target < {target}x) {'ok' if ratio < target else 'SLOW'}")


if __name__ == "__main__":
    main()
