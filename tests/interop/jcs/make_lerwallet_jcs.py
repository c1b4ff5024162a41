"""lerwallet signs the credentials tests/interop/jcs/verify_jcs.mjs gives to the reference JS stack.

Run from the repository root: .venv/bin/python tests/interop/jcs/make_lerwallet_jcs.py
Keys: Ed25519 from a DEMO-ONLY seed (deterministic output); P-256/P-384 are the published W3C
vc-di-ecdsa test keys (ECDSA output is randomized, so re-running changes those files).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from lerwallet import crypto
from lerwallet.keys import did_key_from_public
from lerwallet.keys.multibase import b58decode
from lerwallet.proofs import sign

HERE = Path(__file__).parent
OUT = HERE / "lerwallet-signed"
DATE = "2024-05-01T12:00:00Z"
W3C_P256 = "z42twTcNeSYcnqg1FLuSFs2bsGH3ZqbRHFmvS9XMsYhjxvHN"
W3C_P384 = "z2fanyY7zgwNpZGxX5fXXibvScNaUWNprHU9dKx7qpVj7mws9J8LLt4mDB5TyH2GLHWkUc"


def badge(issuer: str, v1: bool) -> dict:
    doc = {
        "@context": ["https://www.w3.org/2018/credentials/v1" if v1 else "https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:5e0c1a77-9c1d-4f53-8c3e-00000000j" + ("011" if v1 else "020"),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "JCS Interop Badge",
        "issuer": {"id": issuer, "type": ["Profile"], "name": "JCS Test Issuer (demo only)"},
        "credentialSubject": {"id": "did:example:learner-jcs", "type": ["AchievementSubject"],
                              "achievement": {"id": "https://example.edu/achievements/jcs", "type": ["Achievement"],
                                              "name": "Canonical JSON", "description": "Numbers like 2.50 and 1e21.",
                                              "criteria": {"narrative": "Sign and verify with RFC 8785."},
                                              "creditsAvailable": 2.5}},
    }
    doc["issuanceDate" if v1 else "validFrom"] = "2024-05-01T00:00:00Z"
    return doc


def main() -> None:
    OUT.mkdir(exist_ok=True)
    keys = {
        "ed25519": hashlib.sha256(b"lerwallet jcs interop DEMO ONLY ed25519 issuer").digest(),
        "p256": b58decode(W3C_P256[1:])[2:],
        "p384": b58decode(W3C_P384[1:])[2:],
    }
    for suite, key_type in (("eddsa-jcs-2022", "ed25519"), ("ecdsa-jcs-2019", "p256"), ("ecdsa-jcs-2019", "p384")):
        private = keys[key_type]
        did = did_key_from_public(key_type, crypto.public_key_of(key_type, private))
        for v1 in (True, False):
            signed = sign(badge(did, v1), suite=suite, key_type=key_type, private_key=private,
                          verification_method=f"{did}#{did[8:]}", created=DATE)
            name = f"{suite}-{key_type}-{'vc11' if v1 else 'vc20'}.json"
            (OUT / name).write_text(json.dumps(signed, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
