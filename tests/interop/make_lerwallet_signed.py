"""Sign the interop badges with lerwallet, for the JS stack to verify (verify_lerwallet.mjs).

Deterministic for Ed25519 (fixed DEMO-ONLY seeds, fixed `created`); ECDSA output varies.
Run from the repo root: .venv/bin/python tests/interop/make_lerwallet_signed.py
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from lerwallet import crypto
from lerwallet.keys.dids import did_key_from_public
from lerwallet.keys.multibase import b58decode
from lerwallet.proofs import sign

HERE = Path(__file__).parent
CREATED = "2024-06-01T08:00:00Z"
V1 = "https://www.w3.org/2018/credentials/v1"
V2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def keys() -> dict[str, tuple[str, bytes]]:
    ed_seed = hashlib.sha256(b"lerwallet interop DEMO ONLY ed25519 issuer (lerwallet-signed)").digest()
    # P-256: the published W3C vc-di-ecdsa test key (public test material).
    p256 = b58decode("42twTcNeSYcnqg1FLuSFs2bsGH3ZqbRHFmvS9XMsYhjxvHN")[2:]
    return {"ed25519": ("ed25519", ed_seed), "p256": ("p256", p256)}


def badge(issuer: str, v1: bool) -> dict:
    doc = {
        "@context": [V1 if v1 else V2, OB3],
        "id": f"urn:uuid:7d3c2a10-0000-4000-8000-0000000000{'11' if v1 else '20'}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Interop Badge (signed by lerwallet)",
        "issuer": issuer if v1 else {"id": issuer, "type": ["Profile"], "name": "lerwallet demo issuer"},
        "credentialSubject": {
            "id": "did:example:learner-1",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://example.edu/achievements/interop",
                "type": ["Achievement"],
                "name": "Interoperability",
                "description": "Signed by lerwallet, verified by the JavaScript reference stack.",
                "criteria": {"narrative": "Round-trip a credential between two implementations."},
                "creditsAvailable": 3,
            },
            "creditsEarned": 2.5,
        },
    }
    doc["issuanceDate" if v1 else "validFrom"] = "2024-06-01T00:00:00Z"
    return doc


def main() -> None:
    out = HERE / "lerwallet-signed"
    out.mkdir(exist_ok=True)
    material = keys()
    for suite, key_name in [("eddsa-rdfc-2022", "ed25519"), ("Ed25519Signature2020", "ed25519"),
                            ("ecdsa-rdfc-2019", "p256")]:
        key_type, private = material[key_name]
        did = did_key_from_public(key_type, crypto.public_key_of(key_type, private))
        vm = f"{did}#{did.split(':')[2]}"
        for v1 in (True, False):
            signed = sign(badge(did, v1), suite=suite, key_type=key_type, private_key=private,
                          verification_method=vm, created=CREATED)
            name = f"{suite}-{'vc11' if v1 else 'vc20'}.json"
            (out / name).write_text(json.dumps(signed, indent=2) + "\n", "utf-8")
            print(name)


if __name__ == "__main__":
    main()
