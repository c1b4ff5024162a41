"""What the two N-Quads spellings cost a verifier (docs/jsonld.md, "How canonical N-Quads escape").

Warm verification (`verify_bytes`, the whole report) of OB 3.0 badges signed with
eddsa-rdfc-2022, each with its own ids: plain ones, ones whose name holds a tab (which RDFC-1.0
spells `\\t` and rdf-canonize 3 as it is), and a forged copy of each (name changed, signature
kept). Only a forged badge holding such a character pays the one
extra check in rdf-canonize 3's spelling; the others must cost what plain badges cost.
Prints the minimum over repeats of the per-badge time in ms and each figure's ratio to the plain
valid badges measured in the same run. Targets: tab/plain 1.00 +- noise; forged-plain/plain as
before; the extra check bounded (one pyld canonicalization, about 1 ms).

Run: .venv/bin/python benchmarks/bench_escape.py [badges] [repeats]
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from lerwallet import crypto  # noqa: E402
from lerwallet.keys import did_key_from_public  # noqa: E402
from lerwallet.proofs import sign  # noqa: E402
from lerwallet.verify import Options, verify_bytes  # noqa: E402

SEED = hashlib.sha256(b"lerwallet bench_escape DEMO ONLY ed25519").digest()
DID = did_key_from_public("ed25519", crypto.public_key_of("ed25519", SEED))
OPTIONS = Options(at=datetime(2024, 6, 1, tzinfo=timezone.utc))


def badge(name: str, n: int) -> dict:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": f"urn:uuid:4a2b1f04-6c0e-4b5e-9a57-1c3c2b1f{n:04d}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"], "name": name,
        "issuer": {"id": DID, "type": ["Profile"], "name": "Example University", "url": "https://example.edu"},
        "validFrom": "2024-03-01T00:00:00Z",
        "credentialSubject": {"id": f"did:example:learner-{n}", "type": ["AchievementSubject"],
                              "achievement": {"id": "https://example.edu/achievements/teamwork", "type": ["Achievement"],
                                              "name": name, "description": "Collaborates effectively within a group.",
                                              "criteria": {"narrative": "Completed three team projects with peer review."}}},
    }


def batches(count: int) -> dict[str, list[bytes]]:
    out: dict[str, list[bytes]] = {}
    for label, name in (("plain", "Teamwork"), ("tab", "Team\twork")):
        docs = [sign(badge(name, n), suite="eddsa-rdfc-2022", key_type="ed25519", private_key=SEED,
                     verification_method=f"{DID}#{DID.split(':')[-1]}", created="2024-03-02T00:00:00Z")
                for n in range(count)]
        out[label] = [json.dumps(d).encode() for d in docs]
        out[f"{label} forged"] = [json.dumps(dict(d, name=d["name"] + " (forged)")).encode() for d in docs]
    return out


def per_badge_ms(docs: list[bytes], repeats: int) -> float:
    for doc in docs[: max(1, len(docs) // 5)]:
        verify_bytes(doc, OPTIONS, expect="object")  # warm: contexts, templates, schemas
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for doc in docs:
            verify_bytes(doc, OPTIONS, expect="object")
        best = min(best, (time.perf_counter() - start) / len(docs) * 1e3)
    return best


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    docs = batches(count)
    verdicts = {k: json.loads(json.dumps([r.verdict for r in verify_bytes(v[0], OPTIONS, expect="object")]))
                for k, v in docs.items()}
    assert verdicts == {"plain": ["valid"], "tab": ["valid"], "plain forged": ["invalid"], "tab forged": ["invalid"]}, verdicts
    times = {k: per_badge_ms(v, repeats) for k, v in docs.items()}
    print(f"warm verify_bytes per badge, min of {repeats} x {count} (ms; ratio to plain valid badges, same run)")
    for label, ms in times.items():
        print(f"  {label:<14} {ms:7.3f}  {ms / times['plain']:5.2f}x")
    print(f"  the extra check (tab forged - plain forged): {times['tab forged'] - times['plain forged']:.3f} ms")


if __name__ == "__main__":
    main()
