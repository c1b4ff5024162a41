"""@direction interop, lerwallet side: sign credentials with language value objects that carry a
base direction, for the JS stack to verify (make_js_direction.mjs writes its verdicts to
lerwallet-signed/js-verify-results.json). Ed25519 output is deterministic (a DEMO-ONLY seed);
ECDSA uses the published W3C vc-di-ecdsa P-256 test key and is randomized.

    .venv/bin/python tests/interop/direction/make_lerwallet_signed.py
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
V2 = "https://www.w3.org/ns/credentials/v2"
CREATED = "2024-05-02T12:00:00Z"
P256_SECRET = "z42twTcNeSYcnqg1FLuSFs2bsGH3ZqbRHFmvS9XMsYhjxvHN"  # W3C vc-di-ecdsa test key (public)


def ed25519_key() -> tuple[bytes, str]:
    private = hashlib.sha256(b"lerwallet direction interop DEMO ONLY ed25519 lerwallet signer").digest()
    did = did_key_from_public("ed25519", crypto.public_key_of("ed25519", private))
    return private, f"{did}#{did.split(':')[-1]}"


def p256_key() -> tuple[bytes, str]:
    private = b58decode(P256_SECRET[1:])[2:]
    did = did_key_from_public("p256", crypto.public_key_of("p256", private))
    return private, f"{did}#{did.split(':')[-1]}"


def credential(issuer: str) -> dict:
    return {
        "@context": [V2],
        "id": "urn:uuid:8a0c7a52-4f5e-4d6b-8c1e-00000000d1ec",
        "type": ["VerifiableCredential"],
        "name": {"@value": "شهادة إتمام", "@language": "ar", "@direction": "rtl"},
        "description": [{"@value": "Completion certificate", "@language": "en", "@direction": "ltr"},
                        {"@value": "תעודה", "@direction": "rtl"}],
        "issuer": {"id": issuer, "name": {"@value": "مدرسة المثال", "@language": "ar-EG", "@direction": "rtl"}},
        "validFrom": "2024-05-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner-2", "name": {"@value": "Ada", "@language": "en", "@direction": "ltr"}},
    }


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for file, suite, key_type, (private, vm) in (
        ("direction-eddsa-rdfc-2022.json", "eddsa-rdfc-2022", "ed25519", ed25519_key()),
        ("direction-ecdsa-rdfc-2019.json", "ecdsa-rdfc-2019", "p256", p256_key()),
    ):
        signed = sign(credential(vm.split("#")[0]), suite=suite, key_type=key_type, private_key=private,
                      verification_method=vm, created=CREATED)
        (OUT / file).write_text(json.dumps(signed, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
