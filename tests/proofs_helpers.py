"""Shared helpers for the proof-suite tests: vector loading, key decoding, resolvers."""

from __future__ import annotations

import json
from pathlib import Path

from lerwallet import crypto
from lerwallet.keys.dids import did_key_from_public
from lerwallet.keys.multibase import b58decode
from lerwallet.keys.multikey import encode_multikey
from lerwallet.keys.resolver import Resolver

VECTORS = Path(__file__).parent / "vectors" / "proofs"


def load(rel: str) -> dict:
    return json.loads((VECTORS / rel).read_text("utf-8"))


def private_from_multibase(text: str) -> bytes:
    """A multicodec-tagged private key ("z3u2..." Ed25519, "z42t..." P-256, "z2fa..." P-384)."""
    raw = b58decode(text[1:])
    return raw[2:]  # two-byte varint multicodec prefix (0x1300 / 0x1306 / 0x1307)


def controller_resolver(controller: str, vm_id: str, public_multibase: str, **extra) -> Resolver:
    """A resolver that knows one non-resolvable controller document (as the 1EdTech vectors use)."""
    doc = {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": controller,
        "verificationMethod": [
            {"id": vm_id, "type": "Multikey", "controller": controller, "publicKeyMultibase": public_multibase}
        ],
        "assertionMethod": [vm_id],
        **extra,
    }
    return Resolver(documents={controller: doc})


def new_did_key(key_type: str) -> tuple[bytes, str]:
    """(private key, verification method id) for a fresh did:key."""
    private = crypto.generate_private_key(key_type)
    did = did_key_from_public(key_type, crypto.public_key_of(key_type, private))
    return private, f"{did}#{did.split(':')[2]}"


def multikey_of(key_type: str, private: bytes) -> str:
    return encode_multikey(key_type, crypto.public_key_of(key_type, private))
