"""Make presentations with lerwallet's present library, for the JS stack to verify
(verify_presentations.mjs writes presentations/js-verify-results.json).

A real wallet (in a temporary folder) holds identities made from fixed DEMO-ONLY keys and
badges signed by a fixed DEMO-ONLY issuer; each case selects some, plans (holder / proof set),
builds with a fixed `created` and challenge, and self-checks. The `.jwt` cases are VP-JWTs
(vp+jwt, nonce/aud), checked in JS with `jose` plus `vc.verifyCredential` for their credentials. Ed25519 output is deterministic
(tests/test_present_interop.py re-runs this and compares bytes); ECDSA signatures are
randomized, so P-256 cases are compared without their proofValue.

Run from the repo root: .venv/bin/python tests/interop/make_lerwallet_presentations.py
"""

from __future__ import annotations

import copy
import hashlib
import json
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from lerwallet import crypto, identity, present
from lerwallet.keys.dids import did_key_from_public
from lerwallet.proofs import sign
from lerwallet.store import Wallet, importer

HERE = Path(__file__).parent
OUT = HERE / "presentations"
CREATED = datetime(2026, 11, 1, 9, 0, 0, tzinfo=timezone.utc)
CHALLENGE = "c0ffee-interop-challenge-1"
DOMAIN = "employer.example"
V1 = "https://www.w3.org/2018/credentials/v1"
V2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

# (file, credentials by name, holder identities, options)
CASES = [
    ("vp-ed25519-vc11.json", ["a11", "b11"], {}),
    ("vp-ed25519-vc20.json", ["a20", "b20"], {}),
    ("vp-ed25519-mixed.json", ["a11", "b20"], {}),
    ("vp-p256-mixed.json", ["p11", "p20"], {}),
    ("vp-proofset-mixed.json", ["a11", "p20", "b20"], {}),
    ("vp-ed25519-expires-nodomain.json", ["a20"], {"domain": None, "expires": "7d"}),
    ("vp-unsigned-mixed.json", ["a11", "b20"], {"unsigned": True}),
    ("vp-ed25519-mixed.jwt", ["a11", "b20"], {"format": "jwt", "expires": "7d"}),
    ("vp-p256-mixed.jwt", ["p11", "p20"], {"format": "jwt"}),
]


def _seed(label: str) -> bytes:
    return hashlib.sha256(f"lerwallet present interop DEMO ONLY {label}".encode()).digest()


def _badge(issuer_did: str, issuer_vm: str, issuer_key: bytes, subject: str, name: str, v1: bool, n: int) -> dict:
    doc = {
        "@context": [V1 if v1 else V2, OB3],
        "id": f"urn:uuid:5a1e0000-0000-4000-8000-0000000000{n:02d}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": name,
        "issuer": {"id": issuer_did, "type": ["Profile"], "name": "lerwallet demo college"},
        "credentialSubject": {
            "id": subject,
            "type": ["AchievementSubject"],
            "achievement": {
                "id": f"https://example.edu/achievements/{n}",
                "type": ["Achievement"],
                "name": name,
                "description": "A DEMO ONLY badge for the presentation interop fixtures.",
                "criteria": {"narrative": "Present it to the JavaScript reference verifier."},
            },
        },
    }
    doc["issuanceDate" if v1 else "validFrom"] = "2026-01-01T00:00:00Z"
    return sign(doc, suite="eddsa-rdfc-2022", key_type="ed25519", private_key=issuer_key,
                verification_method=issuer_vm, created="2026-01-01T00:00:00Z")


def build_all(out: Path) -> dict:
    """Write every case to `out`; return the cases index (also written as cases.json)."""
    out.mkdir(parents=True, exist_ok=True)
    issuer_key = _seed("issuer ed25519")
    issuer_did = did_key_from_public("ed25519", crypto.public_key_of("ed25519", issuer_key))
    issuer_vm = f"{issuer_did}#{issuer_did.split(':')[-1]}"
    index = {}
    with tempfile.TemporaryDirectory() as tmp:
        w = Wallet.create(Path(tmp) / "w", b"interop", kdf=crypto.KdfParams.unsafe_fast_for_tests())
        try:
            ed = identity.create(w, name="learner", key_type="ed25519", private=_seed("holder ed25519"))
            p256 = identity.create(w, name="work", key_type="p256", private=_seed("holder p256"), make_default=False)
            specs = {"a11": (ed, "Teamwork", True, 1), "b11": (ed, "Public speaking", True, 2),
                     "a20": (ed, "Python", False, 3), "b20": (ed, "SQL", False, 4),
                     "p11": (p256, "Statistics", True, 5), "p20": (p256, "Data visualisation", False, 6)}
            ids = {}
            for key, (owner, name, v1, n) in specs.items():
                doc = _badge(issuer_did, issuer_vm, issuer_key, owner.did, name, v1, n)
                item = importer.examine(json.dumps(doc, indent=2).encode(), f"{key}.json")
                ids[key] = importer.store(w, item)[0].record.id
            for file, names, extra in CASES:
                expires = present.parse_duration(extra["expires"]) if extra.get("expires") else None
                unsigned = bool(extra.get("unsigned"))
                options = present.PresentOptions(
                    challenge=None if unsigned else CHALLENGE, domain=None if unsigned else extra.get("domain", DOMAIN),
                    expires=expires, unsigned=unsigned, format=extra.get("format", "ldp"), now=CREATED)
                chosen = present.select(w, [ids[n] for n in names])
                vp = present.build(w, present.plan(w, chosen, options))
                present.self_check(vp)
                (out / file).write_bytes(vp.data)
                doc = vp.document
                proofs = doc.get("proof")
                proofs = proofs if isinstance(proofs, list) else [proofs] if proofs else []
                index[file] = {"challenge": vp.plan.challenge, "domain": vp.plan.options.domain,
                               "unsigned": unsigned, "format": vp.form, "holder": doc.get("holder"),
                               "suites": [p["cryptosuite"] for p in proofs],
                               "credential_versions": ["1.1" if V1 in c["@context"] else "2.0" for c in doc["verifiableCredential"]]}
        finally:
            w.close()
    (out / "cases.json").write_text(json.dumps(index, indent=2) + "\n")
    return index


if __name__ == "__main__":
    build_all(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
    print(f"wrote {len(CASES)} presentations to {OUT}")
