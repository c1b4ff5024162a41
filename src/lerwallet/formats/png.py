"""Baked PNG badges: the credential in an iTXt chunk.

OB 3.0 (spec section "Baking", PNG): keyword `openbadgecredential`, uncompressed, the text is
the JSON credential or its compact JWS. OB 2.0 used keyword `openbadges` (an assertion URL,
JSON or JWS, or in the legacy tEXt form only the hosted assertion's URL); those are read too
and routed to the OB 2.0 reader (`formats.ob2`).
"""

from __future__ import annotations

import struct
import zlib

from lerwallet.formats import limits
from lerwallet.formats.errors import FormatError

NAME = "png"
SIGNATURE = b"\x89PNG\r\n\x1a\n"
KEYWORDS = (b"openbadgecredential", b"openbadges")


def sniff(data: bytes) -> bool:
    return data.startswith(SIGNATURE)


def extract(data: bytes) -> tuple[bytes, bytes]:
    """(keyword, payload) of the one Open Badges iTXt/tEXt chunk; FormatError when there is
    none, or more than one: the baking specification allows one credential per image, and two
    would let the image show one badge to one reader and another to the next."""
    pos = len(SIGNATURE)
    found: tuple[bytes, bytes] | None = None
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        ctype = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if len(body) != length:
            raise FormatError("truncated PNG chunk", code="bad-png")
        this = None
        if ctype == b"iTXt" and body.partition(b"\x00")[0] in KEYWORDS:
            this = _itxt(body)
        elif ctype == b"tEXt":
            keyword, _, text = body.partition(b"\x00")
            if keyword in KEYWORDS:
                this = (keyword, text)
        elif ctype == b"IEND":
            break
        if this is not None:
            if found is not None:
                raise FormatError("PNG image with more than one baked credential (the baking specification "
                                  "allows one)", code="two-baked")
            found = this
        pos += 12 + length
    if found is None:
        raise FormatError("PNG image without a baked Open Badges credential", code="not-baked")
    return found


def _itxt(body: bytes) -> tuple[bytes, bytes] | None:
    keyword, _, rest = body.partition(b"\x00")
    if keyword not in KEYWORDS or len(rest) < 2:
        return None
    compressed, rest = rest[0], rest[2:]  # rest[1], the compression method, can only be 0 (zlib)
    _lang, _, rest = rest.partition(b"\x00")
    _translated, _, text = rest.partition(b"\x00")
    if compressed:
        inflater = zlib.decompressobj()
        try:
            text = inflater.decompress(text, limits.MAX_PNG_TEXT + 1)
        except zlib.error:
            raise FormatError("baked PNG text does not decompress", code="bad-png") from None
        if len(text) > limits.MAX_PNG_TEXT or inflater.unconsumed_tail:
            raise FormatError("baked PNG text is larger than the decompression cap", code="too-large")
    return keyword, text


def decode(data: bytes, source: str) -> list:
    from lerwallet.formats import decode_bytes

    _keyword, payload = extract(data)
    payload = payload.strip()
    if payload.startswith((b"http://", b"https://")):  # the legacy OB 2.0 form: the hosted assertion's URL
        from lerwallet.formats import ob2

        try:
            url = payload.decode("utf-8")
        except UnicodeDecodeError:
            raise FormatError("baked badge URL is not UTF-8", code="bad-url") from None
        return [ob2.url_envelope(url, f"{source}#baked", container=NAME)]
    return decode_bytes(payload, f"{source}#baked", container=NAME)
