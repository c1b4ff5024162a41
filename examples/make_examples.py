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
    clr_transcript()



CLR = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
V2 = "https://www.w3.org/ns/credentials/v2"


def clr_transcript() -> None:
    """A CLR 2.0 transcript: three AchievementCredentials, each signed by the (DEMO ONLY)
    university, inside a ClrCredential signed by its registrar key (another DEMO ONLY key)."""
    seed, did, vm = demo_issuer("northfield-university")
    reg_seed, reg_did, reg_vm = demo_issuer("northfield-registrar")
    courses = [
        ("1", "Introduction to Data Analysis", "Data analysis", "2024-01-19T10:00:00Z", "B+"),
        ("2", "Applied Statistics", "Statistics", "2024-06-07T10:00:00Z", "A"),
        ("3", "Python for Research", "Python", "2024-12-13T10:00:00Z", "A-"),
    ]
    nested, achievements = [], []
    for n, name, skill, issued, grade in courses:
        achievement = {
            "id": f"https://northfield.example/achievements/course-{n}",
            "type": ["Achievement"],
            "achievementType": "Course",
            "name": name,
            "description": f"{name}: one semester, 10 credits.",
            "criteria": {"narrative": "Passed the coursework and the final examination."},
            "alignment": [{"type": ["Alignment"], "targetName": skill,
                           "targetUrl": f"https://example.org/skills/{skill.lower().replace(' ', '-')}"}],
            "resultDescription": [{"id": f"urn:uuid:7b7e0f2a-0000-4000-8000-00000000000{n}", "type": ["ResultDescription"],
                                   "name": "Final grade", "resultType": "LetterGrade"}],
        }
        achievements.append(achievement)
        course = {
            "@context": [V2, OB3],
            "id": f"urn:uuid:5d1c9a7e-0000-4000-8000-00000000000{n}",
            "type": ["VerifiableCredential", "AchievementCredential"],
            "name": name,
            "issuer": {"id": did, "type": ["Profile"], "name": "Northfield University (DEMO ONLY issuer)"},
            "validFrom": issued,
            "credentialSubject": {
                "id": "did:example:learner-ada",
                "type": ["AchievementSubject"],
                "achievement": achievement,
                "result": [{"type": ["Result"], "value": grade,
                            "resultDescription": f"urn:uuid:7b7e0f2a-0000-4000-8000-00000000000{n}"}],
            },
        }
        nested.append(sign(course, suite="eddsa-rdfc-2022", key_type="ed25519", private_key=seed,
                           verification_method=vm, created=issued))
    transcript = {
        "@context": [V2, CLR, OB3],
        "id": "urn:uuid:5d1c9a7e-0000-4000-8000-0000000000ff",
        "type": ["VerifiableCredential", "ClrCredential"],
        "name": "Northfield University Transcript 2024",
        "description": "Courses completed in the 2024 academic year.",
        "issuer": {"id": reg_did, "type": ["Profile"], "name": "Northfield University Registrar (DEMO ONLY issuer)"},
        "validFrom": "2025-01-10T09:00:00Z",
        "credentialSubject": {
            "id": "did:example:learner-ada",
            "type": ["ClrSubject"],
            "verifiableCredential": nested,
            "achievement": achievements,
            "association": [{"type": "Association", "associationType": "precedes",
                             "sourceId": achievements[0]["id"], "targetId": achievements[1]["id"]}],
        },
    }
    write("clr-transcript.json", sign(transcript, suite="eddsa-rdfc-2022", key_type="ed25519", private_key=reg_seed,
                                      verification_method=reg_vm, created="2025-01-10T09:00:00Z"))


if __name__ == "__main__":
    main()
