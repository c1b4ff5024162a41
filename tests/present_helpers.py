"""Helpers for the present tests: a real wallet with real identities and signed credentials."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from lerwallet import crypto, identity
from lerwallet.keys import did_key_from_public
from lerwallet.proofs import sign
from lerwallet.store import Wallet
from lerwallet.store import importer

FAST = crypto.KdfParams.unsafe_fast_for_tests()
PW = b"correct horse battery"
V1 = "https://www.w3.org/2018/credentials/v1"
V2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


class Issuer:
    def __init__(self, private: bytes | None = None) -> None:
        self.private = private or crypto.generate_private_key("ed25519")
        self.public = crypto.public_key_of("ed25519", self.private)
        self.did = did_key_from_public("ed25519", self.public)
        self.vm = f"{self.did}#{self.did.split(':')[-1]}"

    def sign(self, doc: dict, **kw) -> dict:
        return sign(copy.deepcopy(doc), suite="eddsa-rdfc-2022", key_type="ed25519", private_key=self.private,
                    verification_method=self.vm, created=kw.pop("created", "2024-01-01T00:00:00Z"), **kw)


def badge(issuer: Issuer, subject: str, *, name: str = "Teamwork", v1: bool = False, skill: str | None = None,
          number: int = 1, image: str | None = None) -> dict:
    achievement = {
        "id": f"https://example.edu/achievements/{number}",
        "type": ["Achievement"],
        "name": name,
        "criteria": {"narrative": "Did the work."},
        "description": f"A badge for {name}.",
    }
    if skill:
        achievement["alignment"] = [{"type": ["Alignment"], "targetName": skill, "targetUrl": f"https://skills.example/{skill.lower()}"}]
    if image:
        achievement["image"] = {"id": image, "type": "Image"}
    doc = {
        "@context": [V1, OB3] if v1 else [V2, OB3],
        "id": f"urn:uuid:2f8c7a8e-4a43-4f9e-9f9b-0d6c1f0a1b{number:02d}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer.did, "type": ["Profile"], "name": "Example College"},
        ("issuanceDate" if v1 else "validFrom"): "2024-01-01T00:00:00Z",
        "name": name,
        "credentialSubject": {"id": subject, "type": ["AchievementSubject"], "achievement": achievement},
    }
    return issuer.sign(doc)


def new_wallet(home: Path, *, key_type: str = "ed25519") -> Wallet:
    w = Wallet.create(home, PW, kdf=FAST)
    identity.create(w, name="me", key_type=key_type)
    return w


def add(w: Wallet, doc: dict | str, name: str = "cred.json") -> str:
    data = doc.encode() if isinstance(doc, str) else json.dumps(doc).encode()
    item = importer.examine(data, name)
    stored = importer.store(w, item, allow_invalid=True)
    return stored[0].record.id
