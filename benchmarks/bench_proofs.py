"""Warm verification time per credential for Data Integrity proofs, against the Ed25519 floor.

Two OB 3.0 badges signed with eddsa-rdfc-2022 (and Ed25519Signature2020): a typical one
(~3 KB, one alignment) and one with 50 alignments. "Warm" means contexts and the proof-
config templates are already cached, as in a verifier that checks many credentials.
Prints medians in ms and the ratio to a bare Ed25519 verify measured in the same run.
Target: typical badge < 4 ms.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from lerwallet import crypto  # noqa: E402
from lerwallet.keys.dids import did_key_from_public  # noqa: E402
from lerwallet.keys.resolver import Resolver  # noqa: E402
from lerwallet.proofs import sign, verify_proofs  # noqa: E402


def badge(issuer: str, alignments: int) -> dict:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:9f6c7a4e-6f1e-4c1b-9a52-5d2f0b7b1a11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Wilderness First Aid",
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Example Outdoor School",
                   "url": "https://outdoor.example.edu", "email": "badges@outdoor.example.edu"},
        "validFrom": "2024-03-01T00:00:00Z",
        "credentialSubject": {
            "id": "did:example:learner-42",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://outdoor.example.edu/achievements/wfa",
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": "Wilderness First Aid",
                "description": "Assess, treat and evacuate casualties in remote settings where help is "
                               "hours away. Sixteen hours of scenario-based practice with an instructor. " * 9,
                "criteria": {"narrative": "Complete the 16-hour course, pass the written test and two "
                                          "practical scenarios assessed by a certified instructor."},
                "creditsAvailable": 2,
                "image": {"id": "https://outdoor.example.edu/badges/wfa.png", "type": "Image"},
                "alignment": [
                    {"type": ["Alignment"], "targetName": f"Skill {i}: casualty assessment",
                     "targetUrl": f"https://frameworks.example.org/first-aid/{i}",
                     "targetDescription": "Recognise and prioritise life-threatening conditions.",
                     "targetFramework": "Example First Aid Framework", "targetCode": f"FA-{i:03d}"}
                    for i in range(alignments)
                ],
            },
        },
    }


def median_ms(fn, runs: int) -> float:
    fn()
    fn()  # warm: contexts, templates, imports
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    private = crypto.generate_private_key("ed25519")
    public = crypto.public_key_of("ed25519", private)
    did = did_key_from_public("ed25519", public)
    vm = f"{did}#{did.split(':')[2]}"
    resolver = Resolver()
    data = b"x" * 64
    signature = crypto.sign("ed25519", private, data)
    floor = median_ms(lambda: crypto.verify("ed25519", public, data, signature), 2000)
    print(f"Ed25519 verify floor: {floor:.3f} ms")
    import json

    from lerwallet.ld import canonize

    for label, n in (("typical badge (1 alignment)", 1), ("badge with 50 alignments", 50)):
        for suite in ("eddsa-rdfc-2022", "Ed25519Signature2020"):
            doc = sign(badge(did, n), suite=suite, key_type="ed25519", private_key=private,
                       verification_method=vm, created="2024-03-01T10:00:00Z")
            size = len(json.dumps(doc))

            def run(doc=doc):
                results = verify_proofs(doc, resolver=resolver)
                assert results[0].outcome == "pass", results

            ms = median_ms(run, 60 if n == 1 else 15)
            unsecured = {k: v for k, v in doc.items() if k != "proof"}
            canon = median_ms(lambda: canonize(unsecured), 60 if n == 1 else 15)
            print(f"{label:30s} {suite:22s} {size/1024:5.1f} KB  median {ms:7.2f} ms  "
                  f"= {ms / floor:5.0f} x Ed25519 floor; document canonicalization alone {canon:6.2f} ms")
    print("target: typical badge < 4 ms warm")


if __name__ == "__main__":
    main()
