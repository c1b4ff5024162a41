"""Compact JWS: VC-JWT (VC 1.1 `vc`/`vp` claims) and VC-JOSE (VCDM 2.0, the payload is the document).

Decoding here is for routing only: header and payload are `unverified` until
`lerwallet.proofs.jose.verify_jwt` checks the signature.
"""

from __future__ import annotations

import base64
import re

from lerwallet.formats.errors import FormatError

NAME = "jwt"
_COMPACT = re.compile(rb"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


def sniff(data: bytes) -> bool:
    return bool(_COMPACT.match(data.strip())) and data.strip().startswith(b"ey")


def b64url_json(part: str) -> dict:
    from lerwallet.formats.json_doc import loads

    try:
        raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (ValueError, TypeError):
        raise FormatError("JWT part is not base64url", code="bad-jwt") from None
    value = loads(raw)
    if not isinstance(value, dict):
        raise FormatError("JWT header or payload is not a JSON object", code="bad-jwt")
    return value


def classify_payload(header: dict, payload: dict) -> tuple[str, dict]:
    """(kind, unverified document) for a JWT payload, or FormatError when it holds no VC/VP."""
    typ = str(header.get("typ", "")).lower()
    if isinstance(payload.get("vp"), dict) or typ.startswith("vp+"):
        return "presentation", payload.get("vp") if isinstance(payload.get("vp"), dict) else payload
    if isinstance(payload.get("vc"), dict):
        return "credential", payload["vc"]
    types = payload.get("type")
    types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    if "VerifiablePresentation" in types:
        return "presentation", payload
    if "VerifiableCredential" in types or typ.startswith("vc+") or "credentialSubject" in payload:
        return "credential", payload
    raise FormatError("a JWT, but it carries no verifiable credential or presentation", code="not-a-credential")


def decode(data: bytes, source: str) -> list:
    from lerwallet.formats import Envelope

    token = data.strip().decode("ascii")
    header_b64, payload_b64, _ = token.split(".")
    header, payload = b64url_json(header_b64), b64url_json(payload_b64)
    kind, doc = classify_payload(header, payload)
    return [Envelope(source=source, container=NAME, kind=kind, securing="jwt", unverified=doc, token=token)]
