"""JSON Web Keys (RFC 7517/8037) for the key types lerwallet signs with, plus RSA for verifying.

Public JWKs only: a JWK carrying private members (`d`, `p`, ...) is refused where a public key
is expected, so a leaked private key is never silently accepted as an identifier.
"""

from __future__ import annotations

import json

from lerwallet import crypto
from lerwallet.keys.multibase import MultibaseError, b64url_decode, b64url_encode
from lerwallet.keys.multikey import MultikeyError, check_public

_EC_CURVES = {"P-256": "p256", "P-384": "p384"}
_CURVE_NAMES = {v: k for k, v in _EC_CURVES.items()}
_PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}
# JOSE algorithm -> key type it requires
ALG_KEY_TYPES = {"EdDSA": "ed25519", "Ed25519": "ed25519", "ES256": "p256", "ES384": "p384",
                 "RS256": "rsa", "RS384": "rsa", "RS512": "rsa",
                 "PS256": "rsa", "PS384": "rsa", "PS512": "rsa"}
DEFAULT_ALG = {"ed25519": "EdDSA", "p256": "ES256", "p384": "ES384"}


class JwkError(ValueError):
    """A JWK that is malformed, private, or of an unsupported type."""


def public_to_jwk(key_type: str, public: bytes) -> dict:
    try:
        public = check_public(key_type, public)
    except MultikeyError as exc:
        raise JwkError(str(exc)) from None
    if key_type not in DEFAULT_ALG:
        raise JwkError(f"lerwallet writes no JWK for a {key_type} key")
    if key_type == "ed25519":
        return {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(public)}
    x, y = crypto.ec_public_xy(key_type, public)
    return {"kty": "EC", "crv": _CURVE_NAMES[key_type], "x": b64url_encode(x), "y": b64url_encode(y)}


def _member(jwk: dict, name: str) -> bytes:
    value = jwk.get(name)
    if not isinstance(value, str):
        raise JwkError(f"JWK member {name!r} missing or not a string")
    try:
        return b64url_decode(value)
    except MultibaseError as exc:
        raise JwkError(f"JWK member {name!r}: {exc}") from None


def jwk_to_public(jwk: dict) -> tuple[str, bytes]:
    """(key_type, raw public key). For RSA: ("rsa", modulus bytes); use `rsa_numbers` for both."""
    if not isinstance(jwk, dict):
        raise JwkError("JWK must be a JSON object")
    if _PRIVATE_MEMBERS & jwk.keys():
        raise JwkError("JWK contains private key material where a public key is expected")
    kty, crv = jwk.get("kty"), jwk.get("crv")
    if kty == "OKP":
        if crv != "Ed25519":
            raise JwkError(f"unsupported OKP curve {crv!r} (want Ed25519)")
        x = _member(jwk, "x")
        if len(x) != 32:
            raise JwkError("Ed25519 JWK 'x' must be 32 bytes")
        return "ed25519", x
    if kty == "EC":
        key_type = _EC_CURVES.get(crv)
        if key_type is None:
            raise JwkError(f"unsupported EC curve {crv!r} (want P-256 or P-384)")
        x, y = _member(jwk, "x"), _member(jwk, "y")
        try:
            return key_type, crypto.ec_public_from_xy(key_type, x, y)
        except crypto.BadKey as exc:
            raise JwkError(str(exc)) from None
    if kty == "RSA":
        n, _ = rsa_numbers(jwk)
        return "rsa", n
    raise JwkError(f"unsupported JWK key type {kty!r}")


def rsa_numbers(jwk: dict) -> tuple[bytes, bytes]:
    """(n, e) of a public RSA JWK, for verification only."""
    if jwk.get("kty") != "RSA":
        raise JwkError("not an RSA JWK")
    n, e = _member(jwk, "n"), _member(jwk, "e")
    if not n or n[0] == 0 or not e or e[0] == 0:
        raise JwkError("RSA JWK 'n'/'e' must be minimal big-endian integers")
    return n, e


def thumbprint(jwk: dict) -> str:
    """RFC 7638 JWK thumbprint (SHA-256, base64url)."""
    required = {"OKP": ("crv", "kty", "x"), "EC": ("crv", "kty", "x", "y"), "RSA": ("e", "kty", "n")}
    members = required.get(jwk.get("kty"))
    if members is None or any(not isinstance(jwk.get(m), str) for m in members):
        raise JwkError("cannot compute thumbprint: missing or unsupported JWK members")
    canonical = json.dumps({m: jwk[m] for m in members}, separators=(",", ":"), sort_keys=True)
    return b64url_encode(crypto.sha256(canonical.encode("utf-8")))
