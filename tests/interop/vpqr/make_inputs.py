"""Presentations for the DCC QR (vpqr) fixtures: signed here with DEMO-ONLY keys, deterministic.

Run from the repo root: .venv/bin/python tests/interop/vpqr/make_inputs.py
Writes tests/interop/vpqr/inputs/*.json; `make_vpqr.mjs` turns each into VP1- QR text with the
reference JavaScript encoders (see README.md).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from lerwallet import crypto
from lerwallet.keys.dids import did_key_from_public
from lerwallet.proofs import sign

HERE = Path(__file__).parent
CREATED = "2024-06-01T08:00:00Z"
V1 = "https://www.w3.org/2018/credentials/v1"
V2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CHALLENGE, DOMAIN = "vpqr-demo-challenge-1", "jobs.example.com"


def party(label: str) -> tuple[bytes, str, str]:
    seed = hashlib.sha256(f"lerwallet vpqr DEMO ONLY {label}".encode()).digest()
    did = did_key_from_public("ed25519", crypto.public_key_of("ed25519", seed))
    return seed, did, f"{did}#{did.split(':')[2]}"


def badge(issuer: str, subject: str, v1: bool, n: int) -> dict:
    doc = {
        "@context": [V1 if v1 else V2, OB3],
        "id": f"urn:uuid:5b0f3c9e-0000-4000-8000-0000000000{n:02d}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Teamwork",
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Demo College (DEMO ONLY)", "url": "https://college.example.edu"},
        "credentialSubject": {
            "id": subject,
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://college.example.edu/achievements/teamwork",
                "type": ["Achievement"],
                "name": "Teamwork",
                "description": "Worked in a team of five on the capstone project.",
                "criteria": {"narrative": "Peer-assessed contribution to a team project."},
            },
        },
    }
    doc["issuanceDate" if v1 else "validFrom"] = "2024-05-01T00:00:00Z"
    return doc


def main(out: Path = HERE / "inputs") -> None:
    out.mkdir(exist_ok=True)
    iss_key, iss_did, iss_vm = party("issuer")
    hol_key, hol_did, hol_vm = party("holder")
    cases = {}
    for suite in ("Ed25519Signature2020", "eddsa-rdfc-2022"):
        for v1 in (True, False):
            cred = sign(badge(iss_did, hol_did, v1, len(cases) + 1), suite=suite, key_type="ed25519", private_key=iss_key,
                        verification_method=iss_vm, created=CREATED)
            gen = "vc11" if v1 else "vc20"
            vp = {"@context": [V1 if v1 else V2], "type": ["VerifiablePresentation"], "verifiableCredential": [cred]}
            name = f"{suite}-{gen}-unsigned-vp"
            cases[name] = vp
            signed = sign(dict(vp, holder=hol_did), suite=suite, key_type="ed25519", private_key=hol_key,
                          verification_method=hol_vm, purpose="authentication", created=CREATED,
                          challenge=CHALLENGE, domain=DOMAIN)
            cases[f"{suite}-{gen}-signed-vp"] = signed
    for name, doc in cases.items():
        (out / f"{name}.json").write_text(json.dumps(doc, indent=2) + "\n", "utf-8")
        print(name)


if __name__ == "__main__":
    main()
