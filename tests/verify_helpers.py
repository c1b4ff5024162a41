"""Shared helpers for the verify tests: real keys, real signatures (no mocks)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from lerwallet import crypto
from lerwallet.keys import did_key_from_public
from lerwallet.proofs import sign

VECTORS = Path(__file__).parent / "vectors" / "verify"
V2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


class Party:
    """A key pair and its did:key."""

    def __init__(self) -> None:
        self.private = crypto.generate_private_key("ed25519")
        self.public = crypto.public_key_of("ed25519", self.private)
        self.did = did_key_from_public("ed25519", self.public)
        self.vm = f"{self.did}#{self.did.split(':')[-1]}"

    def sign(self, doc: dict, **kw) -> dict:
        """Sign anything, as any party (forgers included): the signer's own validation
        (`lerwallet.proofs.prepare`) is skipped; tests/test_w3c_vcdm2.py and test_prepare.py test it."""
        kw.setdefault("unsafe_unchecked", True)
        return sign(copy.deepcopy(doc), suite="eddsa-rdfc-2022", key_type="ed25519", private_key=self.private,
                    verification_method=self.vm, **kw)


def badge(issuer: Party, *, subject: str = "did:example:alice", name: str = "Teamwork", **extra) -> dict:
    doc = {
        "@context": [V2, OB3],
        "id": "urn:uuid:2f8c7a8e-4a43-4f9e-9f9b-0d6c1f0a1b2c",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer.did, "type": ["Profile"], "name": "Example College"},
        "validFrom": "2024-01-01T00:00:00Z",
        "name": name,
        "credentialSubject": {
            "id": subject,
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://example.edu/achievements/1",
                "type": ["Achievement"],
                "name": name,
                "criteria": {"narrative": "Did the work."},
                "description": "A badge.",
            },
        },
    }
    doc.update(extra)
    return doc


def presentation(holder: Party, creds: list, **kw) -> dict:
    vp = {"@context": [V2], "type": ["VerifiablePresentation"], "holder": holder.did, "verifiableCredential": creds}
    return holder.sign(vp, purpose="authentication", **kw)


def write(path: Path, doc) -> Path:
    path.write_text(json.dumps(doc) if not isinstance(doc, str) else doc)
    return path
