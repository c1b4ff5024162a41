"""Multikey: a multicodec-tagged public key in multibase base58btc (`z6Mk...`, `zDn...`, `z82...`).

The multicodec prefix is an unsigned varint; only the minimal encoding is accepted, and EC
keys must be compressed SEC1 points on the curve, so every key has exactly one Multikey.
"""

from __future__ import annotations

from lerwallet import crypto
from lerwallet.keys.multibase import MAX_KEY_B58_CHARS, MultibaseError, b58decode, encode_base58btc

# key type -> multicodec code (https://github.com/multiformats/multicodec/blob/master/table.csv)
CODECS = {"ed25519": 0xED, "p256": 0x1200, "p384": 0x1201, "bls12381g2": 0xEB}
# codes we recognise only to name them in an error
_KNOWN_UNSUPPORTED = {
    0xEC: "x25519-pub",
    0xE7: "secp256k1-pub",
    0x1202: "p521-pub",
    0x1205: "rsa-pub",
    0xEA: "bls12_381-g1-pub",
}
PUBLIC_SIZES = {"ed25519": 32, "p256": 33, "p384": 49, "bls12381g2": 96}
# Key types that only verify (bbs-2023 issuers' BLS12-381 G2 keys): lerwallet never signs with them.
VERIFY_ONLY = frozenset({"bls12381g2"})


class MultikeyError(ValueError):
    """A Multikey that is malformed, of an unsupported type, or not a valid key."""


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def read_varint(data: bytes) -> tuple[int, int]:
    """(value, length) of the minimal unsigned varint at the start of `data`."""
    value = shift = 0
    for i, byte in enumerate(data[:9]):
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            if varint(value) != data[: i + 1]:
                raise MultikeyError("non-minimal multicodec varint")
            return value, i + 1
    raise MultikeyError("truncated multicodec varint")


def check_public(key_type: str, public: bytes) -> bytes:
    """Raise `MultikeyError` unless `public` is the canonical raw public key of `key_type`."""
    if key_type not in CODECS:
        raise MultikeyError(f"unsupported key type {key_type!r}")
    size = PUBLIC_SIZES[key_type]
    if not isinstance(public, (bytes, bytearray)) or len(public) != size:
        raise MultikeyError(f"{key_type} public key must be {size} bytes")
    public = bytes(public)
    if key_type == "bls12381g2":
        try:
            crypto.check_bls12381_g2_public(public)
        except crypto.BadKey as exc:
            raise MultikeyError(str(exc)) from None
    elif key_type != "ed25519":
        if public[0] not in (2, 3):
            raise MultikeyError(f"{key_type} public key must be a compressed point")
        try:
            crypto.normalize_ec_public(key_type, public)
        except crypto.BadKey:
            raise MultikeyError(f"{key_type} public key is not a point on the curve") from None
    return public


def encode_multikey(key_type: str, public: bytes) -> str:
    public = check_public(key_type, public)
    return encode_base58btc(varint(CODECS[key_type]) + public)


def decode_multikey(text: str) -> tuple[str, bytes]:
    """(key_type, raw public key) of a base58btc Multikey value."""
    if not isinstance(text, str) or not text.startswith("z"):
        raise MultikeyError("a Multikey must be multibase base58btc (start with 'z')")
    try:
        data = b58decode(text[1:], max_chars=MAX_KEY_B58_CHARS)
    except MultibaseError as exc:
        raise MultikeyError(str(exc)) from None
    code, n = read_varint(data)
    for key_type, known in CODECS.items():
        if code == known:
            return key_type, check_public(key_type, data[n:])
    name = _KNOWN_UNSUPPORTED.get(code, hex(code))
    raise MultikeyError(f"unsupported multicodec key type {name}")
