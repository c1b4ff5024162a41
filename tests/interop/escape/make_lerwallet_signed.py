"""Escaping interop, lerwallet side: sign the same badge as make_js_signed.mjs (texts with a
tab, BEL, BS, VT, FF, U+001F, DEL, quote, backslash, LF, CR; in *-iri.json an achievement id
with { } | < > ^ ` ") for the JS stacks to verify (their verdicts: js-verify-rdfc5.json and
js-verify-rdfc3.json). Ed25519 output is deterministic (a DEMO-ONLY seed); ECDSA uses the
published W3C vc-di-ecdsa P-256 test key and is randomized.

    .venv/bin/python tests/interop/escape/make_lerwallet_signed.py
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
V1 = "https://www.w3.org/2018/credentials/v1"
V2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CREATED = "2024-06-02T12:00:00Z"
P256_SECRET = "z42twTcNeSYcnqg1FLuSFs2bsGH3ZqbRHFmvS9XMsYhjxvHN"  # W3C vc-di-ecdsa test key (public)
NAME = 'Tabs\tand bells\u0007: "Control" \\ characters'
DESCRIPTION = "Backspace\b, vertical tab\u000b, form feed\f, unit separator\u001f, delete\u007f.\nSecond line\r end"
ACHIEVEMENT_ID = 'https://example.edu/achievements/{escape}|<interop>^`"quoted"`'


def ed25519_key() -> tuple[bytes, str]:
    private = hashlib.sha256(b"lerwallet escape interop DEMO ONLY ed25519 lerwallet signer").digest()
    did = did_key_from_public("ed25519", crypto.public_key_of("ed25519", private))
    return private, f"{did}#{did.split(':')[-1]}"


def p256_key() -> tuple[bytes, str]:
    private = b58decode(P256_SECRET[1:])[2:]
    did = did_key_from_public("p256", crypto.public_key_of("p256", private))
    return private, f"{did}#{did.split(':')[-1]}"


def badge(contexts: list, issuer: str, dates: dict,
          achievement_id: str = "https://example.edu/achievements/escape-interop") -> dict:
    return {
        "@context": contexts,
        "id": "urn:uuid:0e5ca9e0-1f7a-4b6e-9c1d-00000000e5c0",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": NAME,
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Example College (lerwallet, DEMO ONLY)\u0007"},
        **dates,
        "credentialSubject": {
            "id": "did:example:learner-escape-interop",
            "type": ["AchievementSubject"],
            "achievement": {"id": achievement_id, "type": ["Achievement"], "name": NAME, "description": DESCRIPTION,
                            "criteria": {"narrative": "Pass\tthe\u0001test"}},
        },
    }


def jobs() -> list[tuple[str, dict, str, str, tuple[bytes, str]]]:
    ed, p256 = ed25519_key(), p256_key()
    v2, v1 = {"validFrom": "2024-06-01T00:00:00Z"}, {"issuanceDate": "2024-06-01T00:00:00Z"}
    ed_did, p256_did = ed[1].split("#")[0], p256[1].split("#")[0]
    return [
        ("eddsa-rdfc-2022-v2.json", badge([V2, OB3], ed_did, v2), "eddsa-rdfc-2022", "ed25519", ed),
        ("eddsa-rdfc-2022-v1.json", badge([V1, OB3], ed_did, v1), "eddsa-rdfc-2022", "ed25519", ed),
        ("ecdsa-rdfc-2019-v2.json", badge([V2, OB3], p256_did, v2), "ecdsa-rdfc-2019", "p256", p256),
        ("eddsa-rdfc-2022-v2-iri.json", badge([V2, OB3], ed_did, v2, ACHIEVEMENT_ID), "eddsa-rdfc-2022", "ed25519", ed),
        ("Ed25519Signature2020-v1.json", badge([V1, OB3], ed_did, v1), "Ed25519Signature2020", "ed25519", ed),
    ]


def signed(unsigned: dict, suite: str, key_type: str, key: tuple[bytes, str]) -> dict:
    private, vm = key
    return sign(unsigned, suite=suite, key_type=key_type, private_key=private, verification_method=vm, created=CREATED)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for file, unsigned, suite, key_type, key in jobs():
        text = json.dumps(signed(unsigned, suite, key_type, key), indent=2) + "\n"
        (OUT / file).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
