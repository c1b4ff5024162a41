"""Multibase and base64url codecs, strict by design.

Only the two bases verifiable credentials use are accepted: `z` (base58btc, Data Integrity
proof values and Multikey) and `u` (base64url without padding, JOSE-era values). Decoders
reject anything a conforming encoder would not produce (padding, stray characters, non-zero
trailing bits), so one key or signature has exactly one accepted text form.
"""

from __future__ import annotations

import base64
import binascii
import re

B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(B58_ALPHABET)}
_B58_RE = re.compile("[" + B58_ALPHABET + "]*")
# Untrusted text is capped before any arithmetic. The largest real base58 values are ecdsa-sd
# proofValues (64 bytes per statement signature): 256 Ki characters decode to ~187 KiB, room
# for ~2,900 statements. Keys are tiny: a Multikey or publicKeyBase58 is under 100 characters.
MAX_B58_CHARS = 256 * 1024
MAX_KEY_B58_CHARS = 1024
_B58_CHUNK = 64  # below this, the digit loop is cheaper than splitting
_B64URL_RE = re.compile(r"[A-Za-z0-9_-]*")


class MultibaseError(ValueError):
    """Text that is not a valid encoding in the expected base."""


def b58encode(data: bytes) -> str:
    """Bitcoin base58: each leading zero byte becomes a leading '1'."""
    zeros = len(data) - len(data.lstrip(b"\0"))
    n = int.from_bytes(data, "big")
    out = []
    while n:
        n, rem = divmod(n, 58)
        out.append(B58_ALPHABET[rem])
    return "1" * zeros + "".join(reversed(out))


def b58decode(text: str, *, max_chars: int = MAX_B58_CHARS) -> bytes:
    """Bitcoin base58 to bytes. Text longer than `max_chars` is refused before decoding, and
    the conversion splits the digits in halves (n = high * 58^k + low), so its cost grows like
    Python's big-integer multiplication (~n^1.6) rather than n^2 for a digit-by-digit loop."""
    if not isinstance(text, str):
        raise MultibaseError("base58 value must be a string")
    if len(text) > max_chars:
        raise MultibaseError(f"base58 value too long ({len(text)} characters, at most {max_chars})")
    if not _B58_RE.fullmatch(text):
        bad = next(ch for ch in text if ch not in _B58_INDEX)
        raise MultibaseError(f"invalid base58btc character {bad!r}")
    zeros = len(text) - len(text.lstrip("1"))
    n = _b58_to_int(text, {})
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * zeros + body


def _b58_to_int(text: str, powers: dict[int, int]) -> int:
    if len(text) <= _B58_CHUNK:
        n = 0
        for ch in text:
            n = n * 58 + _B58_INDEX[ch]
        return n
    low_len = len(text) // 2
    power = powers.get(low_len)
    if power is None:
        power = powers[low_len] = 58 ** low_len
    return _b58_to_int(text[:-low_len], powers) * power + _b58_to_int(text[-low_len:], powers)


def b64url_encode(data: bytes) -> str:
    """base64url without padding (RFC 7515 section 2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str | bytes) -> bytes:
    """Strict inverse of `b64url_encode`: no padding, no whitespace, no non-zero spare bits."""
    if isinstance(text, bytes):
        try:
            text = text.decode("ascii")
        except UnicodeDecodeError:
            raise MultibaseError("base64url value is not ASCII") from None
    if not isinstance(text, str):
        raise MultibaseError("base64url value must be a string")
    if not _B64URL_RE.fullmatch(text):
        raise MultibaseError("invalid base64url character (padding and whitespace are not allowed)")
    if len(text) % 4 == 1:
        raise MultibaseError("invalid base64url length")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise MultibaseError("invalid base64url value") from None
    if b64url_encode(data) != text:
        raise MultibaseError("non-canonical base64url value (non-zero trailing bits)")
    return data


def encode_base58btc(data: bytes) -> str:
    """Multibase base58btc: 'z' + base58."""
    return "z" + b58encode(data)


def encode_base64url(data: bytes) -> str:
    """Multibase base64url: 'u' + unpadded base64url."""
    return "u" + b64url_encode(data)


def decode_multibase(text: str) -> bytes:
    """Decode a 'z' (base58btc) or 'u' (base64url, no padding) multibase string."""
    if not isinstance(text, str) or not text:
        raise MultibaseError("multibase value must be a non-empty string")
    prefix, body = text[0], text[1:]
    if prefix == "z":
        return b58decode(body)
    if prefix == "u":
        return b64url_decode(body)
    raise MultibaseError(f"unsupported multibase prefix {prefix!r} (want 'z' or 'u')")
