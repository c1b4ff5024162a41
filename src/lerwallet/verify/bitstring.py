"""Status list bitstrings.

W3C lists (BitstringStatusList, StatusList2021, RevocationList2020): multibase base64url
(`u` prefix, BitstringStatusList) or bare base64url (the older two) of a GZIP stream; bit 0 is
the left-most (most significant) bit of the first byte.

IETF Token Status List (`status_list.lst`): base64url of a ZLIB (RFC 1950) DEFLATE stream;
index 0 is in the least significant bits of the first byte, `bits` (1, 2, 4 or 8) per entry.
"""

from __future__ import annotations

import base64
import zlib

from lerwallet.formats import limits


class BitstringError(ValueError):
    def __init__(self, message: str, code: str = "malformed_status_list") -> None:
        super().__init__(message)
        self.code = code


def decode(encoded: object) -> bytes:
    if not isinstance(encoded, str) or not encoded:
        raise BitstringError("encodedList is missing")
    text = encoded[1:] if encoded[0] == "u" else encoded  # multibase base64url prefix
    return _inflate(_b64url(text, "encodedList"), 16 + zlib.MAX_WBITS, "encodedList is not a GZIP stream")


def decode_token_list(lst: object) -> bytes:
    """The byte array of an IETF Token Status List `lst` (base64url, ZLIB)."""
    if not isinstance(lst, str) or not lst:
        raise BitstringError("status_list.lst is missing")
    return _inflate(_b64url(lst, "status_list.lst"), zlib.MAX_WBITS, "status_list.lst is not a ZLIB (RFC 1950) stream")


def inflate_token_bytes(compressed: bytes) -> bytes:
    """The byte array of a CWT Token Status List's `lst` (the ZLIB bytes themselves)."""
    return _inflate(compressed, zlib.MAX_WBITS, "status_list.lst is not a ZLIB (RFC 1950) stream")


def _b64url(text: str, what: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError):
        raise BitstringError(f"{what} is not base64url") from None


def _inflate(compressed: bytes, wbits: int, not_stream: str) -> bytes:
    inflater = zlib.decompressobj(wbits)
    try:
        raw = inflater.decompress(compressed, limits.MAX_DECOMPRESSED_LIST + 1)
    except zlib.error:
        raise BitstringError(not_stream) from None
    if not inflater.eof and not inflater.unconsumed_tail and len(raw) <= limits.MAX_DECOMPRESSED_LIST:
        raise BitstringError(not_stream + " (it is cut short)")
    if len(raw) > limits.MAX_DECOMPRESSED_LIST or inflater.unconsumed_tail:
        raise BitstringError(
            f"status list decompresses to more than {limits.MAX_DECOMPRESSED_LIST // (1024 * 1024)} MiB", "status_list_too_large"
        )
    return raw


def value_at(bits: bytes, index: int, size: int = 1) -> int:
    """The `size`-bit status value at `index` (most significant bit first)."""
    start = index * size
    if index < 0 or start + size > len(bits) * 8:
        raise BitstringError(f"index {index} is outside the list ({len(bits) * 8 // size} entries)", "status_index_out_of_range")
    value = 0
    for bit in range(start, start + size):
        value = (value << 1) | ((bits[bit // 8] >> (7 - bit % 8)) & 1)
    return value


def token_value_at(data: bytes, index: int, bits: int) -> int:
    """The `bits`-bit status at `index` of a Token Status List (least significant bits first)."""
    per_byte = 8 // bits
    if index < 0 or index >= len(data) * per_byte:
        raise BitstringError(f"idx {index} is outside the list ({len(data) * per_byte} entries)", "status_index_out_of_range")
    byte = data[index // per_byte]
    return (byte >> ((index % per_byte) * bits)) & ((1 << bits) - 1)


def encode_token_list(data: bytes) -> str:
    """`lst` for a Token Status List byte array (tests and fixture generators)."""
    return base64.urlsafe_b64encode(zlib.compress(data, 9)).decode().rstrip("=")


def encode(bits: bytes) -> str:
    """The multibase form of a bitstring (used by tests and fixtures generators)."""
    import gzip

    return "u" + base64.urlsafe_b64encode(gzip.compress(bits, mtime=0)).decode().rstrip("=")
