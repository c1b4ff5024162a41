"""ecdsa-sd-2023 interop, lerwallet's side (see README.md, "Selective disclosure").

Writes to tests/interop/ecdsa-sd/:
  lerwallet-base.json                   a base credential issued by lerwallet (P-256, the W3C test key)
  lerwallet-derived.json                derived by lerwallet from lerwallet-base.json
  lerwallet-derived-from-js-base.json   derived by lerwallet from js-base.json (made by sd_interop.mjs make)
ECDSA is randomized, so the bytes change on every run; the checked-in files are one run's output.
Run from the repo root: .venv/bin/python tests/interop/make_lerwallet_sd.py
"""

from __future__ import annotations

import json
from pathlib import Path

from lerwallet import crypto
from lerwallet.keys.dids import did_key_from_public
from lerwallet.keys.multibase import b58decode
from lerwallet.proofs.ecdsa_sd_derive import create_base_proof, derive

HERE = Path(__file__).parent / "ecdsa-sd"
MANDATORY = ["/issuer", "/validFrom", "/credentialSubject/achievement/name"]
SELECTIVE = ["/credentialSubject/achievement/description", "/credentialSubject/result/1/value"]


def badge(issuer: str) -> dict:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:5e0b1c9a-0000-4000-8000-000000005d01",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Selective Disclosure Badge",
        "issuer": {"id": issuer, "type": ["Profile"], "name": "lerwallet demo issuer"},
        "validFrom": "2024-06-01T00:00:00Z",
        "credentialSubject": {
            "id": "did:example:learner-1",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://example.edu/achievements/sd",
                "type": ["Achievement"],
                "name": "Data Analysis",
                "description": "Statistics and Python.",
                "criteria": {"narrative": "Passed the exam."},
            },
            "result": [{"type": ["Result"], "value": "A"}, {"type": ["Result"], "value": "distinction"}],
        },
    }


def main() -> None:
    private = b58decode("42twTcNeSYcnqg1FLuSFs2bsGH3ZqbRHFmvS9XMsYhjxvHN")[2:]  # W3C vc-di-ecdsa test key
    did = did_key_from_public("p256", crypto.public_key_of("p256", private))
    base = create_base_proof(badge(did), private_key=private, verification_method=f"{did}#{did.split(':')[2]}",
                             mandatory_pointers=MANDATORY, created="2024-06-01T08:00:00Z")
    write("lerwallet-base.json", base)
    write("lerwallet-derived.json", derive(base, SELECTIVE).document)
    js_base = HERE / "js-base.json"
    if js_base.exists():
        write("lerwallet-derived-from-js-base.json", derive(json.loads(js_base.read_text()), SELECTIVE).document)


def write(name: str, doc: dict) -> None:
    (HERE / name).write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    print("wrote", HERE / name)


if __name__ == "__main__":
    main()
