"""A test-made Open Badges 2.0 issuer: a fresh RSA key (cryptography), its issuer Profile,
BadgeClass, CryptographicKey and RevocationList, signed (compact JWS, RS256) and hosted
assertions, baked PNG/SVG images, and a `--ob2-cache` folder holding the issuer's documents.
Nothing is hard-coded: every key and signature is made here."""

from __future__ import annotations

import base64
import json
import shutil
import struct
import zlib
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

CONTEXT = "https://w3id.org/openbadges/v2"
VECTORS = Path(__file__).parent / "vectors" / "ob2"
ORIGIN = "https://badges.example.edu"
EMAIL = "ada@example.org"
SALT = "pepper"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def sha256_identity(email: str, salt: str = SALT) -> str:
    import hashlib

    return "sha256$" + hashlib.sha256((email + salt).encode()).hexdigest()


class Issuer:
    """An OB 2.0 issuer at ORIGIN with one RSA key."""

    def __init__(self, origin: str = ORIGIN, *, bits: int = 2048, revocation_list: bool = True) -> None:
        self.origin = origin
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=bits)
        self.key_id = f"{origin}/keys/1.json"
        self.id = f"{origin}/issuer.json"
        self.badge_id = f"{origin}/badges/robotics.json"
        self.list_id = f"{origin}/revocations.json" if revocation_list else None
        self.revoked: list = []

    def pem(self) -> str:
        return self.private.public_key().public_bytes(serialization.Encoding.PEM,
                                                      serialization.PublicFormat.SubjectPublicKeyInfo).decode()

    def profile(self, **extra) -> dict:
        doc = {"@context": CONTEXT, "type": "Issuer", "id": self.id, "name": "Example Robotics Academy",
               "url": self.origin, "email": "badges@example.edu", "publicKey": self.key_id}
        if self.list_id:
            doc["revocationList"] = self.list_id
        return {**doc, **extra}

    def badge(self, **extra) -> dict:
        return {"@context": CONTEXT, "type": "BadgeClass", "id": self.badge_id, "name": "Robotics Fundamentals",
                "description": "Built and programmed a line-following robot.", "image": f"{self.origin}/badges/robotics.png",
                "criteria": {"narrative": "Pass the practical."}, "issuer": self.id,
                "alignment": [{"targetName": "Embedded programming", "targetUrl": "https://skills.example/embedded"}],
                **extra}

    def key(self, **extra) -> dict:
        return {"@context": CONTEXT, "type": "CryptographicKey", "id": self.key_id, "owner": self.id,
                "publicKeyPem": self.pem(), **extra}

    def revocation_list(self) -> dict:
        return {"@context": CONTEXT, "type": "RevocationList", "id": self.list_id, "issuer": self.id,
                "revokedAssertions": self.revoked}

    def assertion(self, number: int = 1, *, signed: bool = False, email: str = EMAIL, **extra) -> dict:
        doc = {"@context": CONTEXT, "type": "Assertion",
               "id": f"urn:uuid:00000000-0000-4000-8000-{number:012d}" if signed else f"{self.origin}/assertions/{number}.json",
               "recipient": {"type": "email", "hashed": True, "salt": SALT, "identity": sha256_identity(email)},
               "badge": self.badge_id, "issuedOn": "2024-05-01T12:00:00Z",
               "verification": {"type": "SignedBadge", "creator": self.key_id} if signed else {"type": "HostedBadge"}}
        return {**doc, **extra}

    def sign(self, assertion: dict, *, alg: str = "RS256", key=None) -> str:
        header = b64url(json.dumps({"alg": alg, "typ": "JWT"}).encode())
        payload = b64url(json.dumps(assertion).encode())
        signature = (key or self.private).sign(f"{header}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{header}.{payload}.{b64url(signature)}"

    def cache(self, folder: Path, *extra_docs: dict, urls: dict | None = None) -> Path:
        """A --ob2-cache folder with the issuer's documents (and `extra_docs`, e.g. hosted assertions)."""
        folder.mkdir(parents=True, exist_ok=True)
        docs = [self.profile(), self.badge(), self.key(), *extra_docs]
        if self.list_id:
            docs.append(self.revocation_list())
        for i, doc in enumerate(docs):
            (folder / f"doc{i}.json").write_text(json.dumps(doc, indent=2))
        if urls:
            (folder / "urls.json").write_text(json.dumps(urls))
        return folder


def vector_cache(folder: Path, *names: str, urls: dict | None = None) -> Path:
    """A --ob2-cache folder of validator documents (tests/vectors/ob2/docs or the vectors themselves)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        source = VECTORS / "docs" / name if (VECTORS / "docs" / name).exists() else VECTORS / name
        shutil.copy(source, folder / name)
    if urls:
        (folder / "urls.json").write_text(json.dumps(urls))
    return folder


def png(text: bytes, *, chunk: bytes = b"iTXt", keyword: bytes = b"openbadges") -> bytes:
    def mk(ctype: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", zlib.crc32(ctype + body) & 0xFFFFFFFF)

    ihdr = mk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    body = keyword + b"\x00" + (b"\x00\x00\x00\x00" if chunk == b"iTXt" else b"") + text
    idat = mk(b"IDAT", zlib.compress(b"\x00\x00"))
    return b"\x89PNG\r\n\x1a\n" + ihdr + mk(chunk, body) + idat + mk(b"IEND", b"")


def svg(*, verify: str | None = None, body: str | None = None) -> bytes:
    attr = f' verify="{verify}"' if verify is not None else ""
    inner = f"><![CDATA[{body}]]></openbadges:assertion>" if body is not None else "/>"
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
            f'xmlns:openbadges="http://openbadges.org" viewBox="0 0 8 8">\n'
            f"  <openbadges:assertion{attr}{inner}\n  <circle r=\"4\"/>\n</svg>\n").encode()
