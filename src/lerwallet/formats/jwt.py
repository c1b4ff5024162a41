"""Compact JWS: VC-JWT (VC 1.1 `vc`/`vp` claims) and VC-JOSE (VCDM 2.0, the payload is the document).

Decoding here is for routing only: header and payload are `unverified` until
`lerwallet.proofs.jose.verify_jwt` checks the signature.
"""

from __future__ import annotations

import base64
import re

from lerwallet.formats.errors import FormatError

NAME = "jwt"
_COMPACT = re.compile(rb"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\Z")


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


CREDENTIAL_TYPS = {"vc+jwt", "application/vc+jwt", "vc+ld+json+jwt", "application/vc+ld+json+jwt"}
PRESENTATION_TYPS = {"vp+jwt", "application/vp+jwt", "vp+ld+json+jwt", "application/vp+ld+json+jwt"}


def classify(header: dict, payload: dict) -> tuple[str, str]:
    """(kind, style) of a JWT: what it carries (credential | presentation) and how: "vc11" (VC
    Data Model 1.1 section 6.3: the document in a `vc` / `vp` claim) or "jose-cose" (VC-JOSE-COSE
    `vc+jwt` / `vp+jwt`, or a payload typed as a VC/VP: the payload is the document). The one
    decision: input detection routes by it and `proofs.jose` verifies by it. FormatError
    (not-a-credential) when the JWT carries neither."""
    typ = str(header.get("typ", "")).lower()
    if typ in CREDENTIAL_TYPS:
        return "credential", "jose-cose"
    if typ in PRESENTATION_TYPS:
        return "presentation", "jose-cose"
    if isinstance(payload.get("vc"), dict):
        return "credential", "vc11"
    if isinstance(payload.get("vp"), dict):
        return "presentation", "vc11"
    types = payload.get("type")
    types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    if "VerifiablePresentation" in types:
        return "presentation", "jose-cose"
    if "VerifiableCredential" in types:
        return "credential", "jose-cose"
    raise FormatError("a JWT, but it carries no verifiable credential or presentation (no vc/vp claim, "
                      "no vc+jwt/vp+jwt typ, no VerifiableCredential type)", code="not-a-credential")


def document_of(payload: dict, kind: str, style: str) -> dict:
    """The unverified document a classified payload carries."""
    return payload["vc" if kind == "credential" else "vp"] if style == "vc11" else payload


def decode(data: bytes, source: str) -> list:
    from lerwallet.formats import Envelope

    token = data.strip().decode("ascii")
    header_b64, payload_b64, _ = token.split(".")
    header, payload = b64url_json(header_b64), b64url_json(payload_b64)
    try:
        kind, style = classify(header, payload)
    except FormatError:
        from lerwallet.formats import ob2

        if ob2.is_assertion(payload):  # an Open Badges 2.0 SignedBadge: the JWS payload is the assertion
            return [ob2.jws_envelope(token, payload, source)]
        raise
    return [Envelope(source=source, container=NAME, kind=kind, securing="jwt", unverified=document_of(payload, kind, style),
                     token=token)]
