"""proofValue codecs: multibase base58btc ("z...") and base64url-no-pad ("u...").

Thin wrappers over `lerwallet.keys.multibase` that also insist on the base a suite
requires; any failure is `MalformedValue`, reported as `malformed_proof_value`.
"""

from __future__ import annotations

from lerwallet.keys.multibase import MultibaseError, decode_multibase, encode_base58btc, encode_base64url

__all__ = ["MalformedValue", "decode_proof_value", "encode_base58btc", "encode_base64url"]

_BASES = {"z": "base58btc", "u": "base64url"}


class MalformedValue(ValueError):
    """A proofValue that does not decode."""


def decode_proof_value(value: object, prefix: str) -> bytes:
    """Bytes of a multibase string that must use the base named by `prefix` ("z" or "u")."""
    if not isinstance(value, str) or not value:
        raise MalformedValue("proofValue is missing or not a string")
    if value[0] != prefix:
        raise MalformedValue(f"proofValue must be multibase {_BASES[prefix]} (leading {prefix!r})")
    try:
        return decode_multibase(value)
    except MultibaseError as exc:
        raise MalformedValue(f"proofValue does not decode: {exc}") from None
