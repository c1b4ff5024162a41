"""A minimal, strict CBOR decoder (RFC 8949) for ecdsa-sd-2023 proof values.

Only what the suite uses: unsigned/negative integers, byte and text strings, arrays and
maps, all with definite lengths. Anything else, trailing bytes, or nesting deeper than
`MAX_DEPTH` is `CborError`. No floats or indefinite lengths: a proof value never needs
them, and refusing them keeps the attack surface small. The one tag read, and only when
asked (`typed_bytes=True`, bbs-2023), is 64 (RFC 8746: a uint8 typed array) around a byte
string: some bbs-2023 encoders (the W3C vc-di-bbs vectors) write Uint8Arrays that way, and
the reference decoder reads them as plain bytes.
"""

from __future__ import annotations

MAX_DEPTH = 8
MAX_ITEMS = 100_000


class CborError(ValueError):
    """Bytes that are not the CBOR subset we accept."""


def decode(data: bytes, *, typed_bytes: bool = False):
    value, end = _item(data, 0, 0, typed_bytes)
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


def _item(data: bytes, pos: int, depth: int, typed_bytes: bool = False):
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
                value, pos = _item(data, pos, depth + 1, typed_bytes)
                items.append(value)
            return items, pos
        mapping = {}
        for _ in range(arg):
            key, pos = _item(data, pos, depth + 1, typed_bytes)
            if isinstance(key, (list, dict)) or key in mapping:
                raise CborError("bad or duplicate CBOR map key")
            mapping[key], pos = _item(data, pos, depth + 1, typed_bytes)
        return mapping, pos
    if major == 6 and typed_bytes and arg == 64:
        if pos >= len(data) or data[pos] >> 5 != 2:
            raise CborError("CBOR tag 64 must wrap a byte string")
        return _item(data, pos, depth + 1)
    raise CborError(f"unsupported CBOR major type {major}")


def _head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | info]) + n.to_bytes(size, "big")
    raise CborError("integer too large for CBOR")


def encode(value) -> bytes:
    """Deterministic CBOR (RFC 8949 section 4.2.1: shortest lengths, map keys sorted by their
    encoding) of the same subset `decode` reads."""
    if isinstance(value, bool) or value is None:
        raise CborError("only integers, strings, byte strings, arrays and maps are encoded")
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, (bytes, bytearray)):
        return _head(2, len(value)) + bytes(value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, (list, tuple)):
        return _head(4, len(value)) + b"".join(encode(v) for v in value)
    if isinstance(value, dict):
        items = sorted((encode(k), encode(v)) for k, v in value.items())
        return _head(5, len(items)) + b"".join(k + v for k, v in items)
    raise CborError(f"cannot encode {type(value).__name__} as CBOR")
