"""A minimal, strict CBOR decoder (RFC 8949) for ecdsa-sd-2023 proof values.

Only what the suite uses: unsigned/negative integers, byte and text strings, arrays and
maps, all with definite lengths. Anything else, trailing bytes, or nesting deeper than
`MAX_DEPTH` is `CborError`. No tags, floats or indefinite lengths: a proof value never
needs them, and refusing them keeps the attack surface small.
"""

from __future__ import annotations

MAX_DEPTH = 8
MAX_ITEMS = 100_000


class CborError(ValueError):
    """Bytes that are not the CBOR subset we accept."""


def decode(data: bytes):
    value, end = _item(data, 0, 0)
    if end != len(data):
        raise CborError("trailing bytes after the CBOR value")
    return value


def _length(data: bytes, pos: int, info: int) -> tuple[int, int]:
    if info < 24:
        return info, pos
    sizes = {24: 1, 25: 2, 26: 4, 27: 8}
    if info not in sizes:
        raise CborError("indefinite or reserved length")
    n = sizes[info]
    if pos + n > len(data):
        raise CborError("truncated CBOR")
    return int.from_bytes(data[pos:pos + n], "big"), pos + n


def _item(data: bytes, pos: int, depth: int):
    if depth > MAX_DEPTH:
        raise CborError("CBOR nested too deeply")
    if pos >= len(data):
        raise CborError("truncated CBOR")
    major, info = data[pos] >> 5, data[pos] & 0x1F
    arg, pos = _length(data, pos + 1, info)
    if major == 0:
        return arg, pos
    if major == 1:
        return -1 - arg, pos
    if major in (2, 3):
        if pos + arg > len(data):
            raise CborError("truncated CBOR string")
        raw = data[pos:pos + arg]
        if major == 2:
            return bytes(raw), pos + arg
        try:
            return raw.decode("utf-8"), pos + arg
        except UnicodeDecodeError:
            raise CborError("CBOR text is not UTF-8") from None
    if major in (4, 5):
        if arg > MAX_ITEMS:
            raise CborError("CBOR container too large")
        if major == 4:
            items = []
            for _ in range(arg):
                value, pos = _item(data, pos, depth + 1)
                items.append(value)
            return items, pos
        mapping = {}
        for _ in range(arg):
            key, pos = _item(data, pos, depth + 1)
            if isinstance(key, (list, dict)) or key in mapping:
                raise CborError("bad or duplicate CBOR map key")
            mapping[key], pos = _item(data, pos, depth + 1)
        return mapping, pos
    raise CborError(f"unsupported CBOR major type {major}")
