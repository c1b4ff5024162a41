"""SD-JWT (IETF SD-JWT, SD-JWT VC): `<issuer-jwt>~<disclosure>~...~[<kb-jwt>]`."""

from __future__ import annotations

import re

from lerwallet.formats.errors import FormatError

NAME = "sd-jwt"
_SD = re.compile(rb"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+~([A-Za-z0-9_-]*~)*([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)?\Z")


def sniff(data: bytes) -> bool:
    stripped = data.strip()
    return b"~" in stripped and stripped.startswith(b"ey") and bool(_SD.match(stripped))


def decode(data: bytes, source: str) -> list:
    from lerwallet.formats import Envelope
    from lerwallet.formats.jwt import b64url_json

    token = data.strip().decode("ascii")
    issuer_jwt = token.split("~", 1)[0]
    header_b64, payload_b64, _ = issuer_jwt.split(".")
    header, payload = b64url_json(header_b64), b64url_json(payload_b64)
    if "_sd_alg" not in payload and "_sd" not in payload and "sd" not in str(header.get("typ", "")):
        raise FormatError("a ~-separated token, but not an SD-JWT", code="bad-jwt")
    has_kb = not token.endswith("~")
    env = Envelope(source=source, container=NAME, kind="credential", securing="sd-jwt", unverified=payload, token=token)
    if has_kb:
        env.notes.append("key binding JWT present")
    return [env]
