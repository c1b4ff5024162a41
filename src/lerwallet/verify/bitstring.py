"""Status list bitstrings: multibase base64url (BitstringStatusList) or bare base64url
(StatusList2021) of a GZIP stream; bit 0 is the left-most bit of the first byte."""

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
    try:
        compressed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError):
        raise BitstringError("encodedList is not base64url") from None
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        raw = inflater.decompress(compressed, limits.MAX_DECOMPRESSED_LIST + 1)
    except zlib.error:
        raise BitstringError("encodedList is not a GZIP stream") from None
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


def encode(bits: bytes) -> str:
    """The multibase form of a bitstring (used by tests and fixtures generators)."""
    import gzip

    return "u" + base64.urlsafe_b64encode(gzip.compress(bits, mtime=0)).decode().rstrip("=")
