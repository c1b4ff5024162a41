"""Generate the signed example credentials in examples/credentials/ (deterministically).

DEMO ONLY: the issuer keys come from fixed, public seeds (SHA-256 of a label that says so).
Anyone can sign with them; never trust these issuers for anything real.
Run from the repo root: .venv/bin/python examples/make_examples.py
Ed25519 signatures are deterministic, so re-running gives the same bytes.
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

from lerwallet import crypto
from lerwallet.keys.dids import did_key_from_public
from lerwallet.proofs import sign

HERE = Path(__file__).parent
OUT = HERE / "credentials"
V1 = "https://www.w3.org/2018/credentials/v1"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def demo_issuer(label: str) -> tuple[bytes, str, str]:
    """(seed, did, verification method) for a DEMO-ONLY issuer."""
    seed = hashlib.sha256(f"lerwallet DEMO ONLY issuer key: {label}".encode()).digest()
    did = did_key_from_public("ed25519", crypto.public_key_of("ed25519", seed))
    return seed, did, f"{did}#{did.split(':')[2]}"


def write(name: str, doc: dict) -> None:
    (OUT / name).write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"examples/credentials/{name}")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    base = json.loads((HERE / "unsigned" / "ob3-first-aid.json").read_text("utf-8"))

    seed, did, vm = demo_issuer("riverside-college")
    first_aid = copy.deepcopy(base)
    first_aid["issuer"]["id"] = did
    first_aid["issuer"]["name"] = "Riverside College (DEMO ONLY issuer)"
    first_aid["credentialSubject"]["id"] = "did:example:learner-ada"
    write("ob3-first-aid.json", sign(first_aid, suite="eddsa-rdfc-2022", key_type="ed25519", private_key=seed,
                                    verification_method=vm, created="2025-03-14T09:05:00Z"))

    seed2, did2, vm2 = demo_issuer("harbour-volunteers")
    volunteer = {
        "@context": [V1, OB3],
        "id": "urn:uuid:0b8e3c7d-1a2b-4c5d-8e9f-a0b1c2d3e4f5",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Community Volunteer: 100 Hours",
        "issuer": {"id": did2, "type": ["Profile"], "name": "Harbour Volunteers (DEMO ONLY issuer)"},
        "issuanceDate": "2024-11-02T12:00:00Z",
        "credentialSubject": {
            "id": "did:example:learner-ada",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://example.org/achievements/volunteer-100",
                "type": ["Achievement"],
                "name": "Community Volunteer: 100 Hours",
                "description": "A hundred logged hours of volunteering at the harbour food bank.",
                "criteria": {"narrative": "Hours logged and confirmed by two coordinators."},
                "alignment": [{"type": ["Alignment"], "targetName": "Teamwork",
                               "targetUrl": "https://example.org/skills/teamwork"}],
            },
        },
    }
    write("ob3-volunteer-vc11.json", sign(volunteer, suite="Ed25519Signature2020", key_type="ed25519",
                                         private_key=seed2, verification_method=vm2,
                                         created="2024-11-02T12:01:00Z"))


if __name__ == "__main__":
    main()
