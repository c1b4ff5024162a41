"""The QR codes of the DCC Learner Credential Wallet and of @digitalbazaar/vpqr: `VP1-` (a
presentation; `VC1-` read the same way for a credential), then a multibase letter, `R` for
base45 (RFC 9285) or `B` for upper-case base32 (RFC 4648, no padding), then CBOR-LD
(`lerwallet.qr.cborld`). The DCC wallet writes `VP1-B` with legacy CBOR-LD; vpqr 6 writes
`VP1-R` with CBOR-LD 1.0 by default. Output: the JSON-LD document, for the verify pipeline.
"""

from __future__ import annotations

import base64
import re

from lerwallet.qr import base45
from lerwallet.qr.cborld import CborldError

HEADERS = (b"VP1-", b"VC1-")
MAX_TEXT = 8192
_BASE32 = re.compile(r"[A-Z2-7]*")


class VpqrError(ValueError):
    def __init__(self, message: str, code: str = "dcc-unreadable") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def is_vpqr(content: bytes) -> bool:
    return content[:4] in HEADERS


def cborld_bytes(content: bytes) -> bytes:
    """The CBOR-LD bytes of one scanned `VP1-`/`VC1-` code."""
    if len(content) > MAX_TEXT:
        raise VpqrError("DCC QR text longer than any QR code holds")
    try:
        text = content.decode("ascii").strip()
    except UnicodeDecodeError:
        raise VpqrError("DCC QR text is not ASCII") from None
    body = text[4:]
    if body[:1] == "R":
        try:
            return base45.decode(body[1:])
        except base45.Base45Error as exc:
            raise VpqrError(f"DCC QR payload is not valid base45: {exc}") from None
    if body[:1] == "B":
        data = body[1:]
        if not _BASE32.fullmatch(data) or len(data) % 8 in (1, 3, 6):
            raise VpqrError("DCC QR payload is not valid base32 (RFC 4648, upper case)")
        return base64.b32decode(data + "=" * (-len(data) % 8))
    raise VpqrError(f"DCC QR payload with multibase prefix {body[:1]!r}: only R (base45) and B (base32) are defined",
                    code="dcc-unsupported")


def decode(content: bytes, load_context=None) -> dict:
    """The JSON-LD document carried by one `VP1-`/`VC1-` code (contexts from the offline bundle)."""
    from lerwallet.qr import cborld

    if load_context is None:
        from lerwallet.ld.loader import offline_loader

        load_context = offline_loader()
    data = cborld_bytes(content)
    try:
        doc = cborld.decode(data, load_context)
    except CborldError as exc:
        raise VpqrError(f"DCC QR CBOR-LD: {exc}", code=f"dcc-{exc.code}") from None
    if not isinstance(doc, dict):
        raise VpqrError("DCC QR holds no JSON-LD object")
    return doc
