"""Base45 (RFC 9285): bytes as text in the 45-character QR alphanumeric alphabet.

Every two bytes `a, b` become the value `a * 256 + b` written as three base-45 digits, least
significant first (`c + d * 45 + e * 45 * 45`); a last odd byte becomes two digits. A decoder
rejects characters outside the alphabet, a dangling single character (length % 3 == 1) and
groups whose value exceeds what the group can hold (65535 for three digits, 255 for two), so
every byte string has exactly one encoding.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}


class Base45Error(ValueError):
    """Text that is not canonical base45."""


def encode(data: bytes) -> str:
    out = []
    append = out.append
    alphabet = ALPHABET
    end = len(data) - len(data) % 2
    for i in range(0, end, 2):
        n = (data[i] << 8) | data[i + 1]
        n, c = divmod(n, 45)
        e, d = divmod(n, 45)
        append(alphabet[c] + alphabet[d] + alphabet[e])
    if len(data) % 2:
        d, c = divmod(data[-1], 45)
        append(alphabet[c] + alphabet[d])
    return "".join(out)


def decode(text: str) -> bytes:
    if len(text) % 3 == 1:
        raise Base45Error("base45 text has a dangling character (length % 3 == 1)")
    value = _VALUE
    try:
        digits = [value[ch] for ch in text]
    except KeyError as exc:
        raise Base45Error(f"character {exc.args[0]!r} is not in the base45 alphabet") from None
    out = bytearray()
    end = len(digits) - len(digits) % 3
    for i in range(0, end, 3):
        n = digits[i] + digits[i + 1] * 45 + digits[i + 2] * 2025
        if n > 0xFFFF:
            raise Base45Error("base45 group value exceeds 65535")
        out += n.to_bytes(2, "big")
    if len(digits) % 3:
        n = digits[-2] + digits[-1] * 45
        if n > 0xFF:
            raise Base45Error("base45 final pair value exceeds 255")
        out.append(n)
    return bytes(out)
