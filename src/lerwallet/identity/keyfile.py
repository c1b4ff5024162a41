"""Private key files in and out: JWK or PKCS#8 on the way in, PKCS#8 or JWK on the way out.

Import detects the format from the bytes (JSON object: JWK; `-----BEGIN`: PEM; else DER) and
checks that a JWK's public part matches its private part, so a corrupt or mismatched key is
refused before anything is stored. Files holding private material are created 0600 with
O_EXCL by `lerwallet.files.write_atomic`.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Callable

from lerwallet.errors import InputError, UsageError

SUPPORTED = ("ed25519", "p256")
MAX_KEY_FILE = 64 * 1024
_B64URL = re.compile(r"^[A-Za-z0-9_-]*\Z")
_JWK_CURVES = {("OKP", "Ed25519"): "ed25519", ("EC", "P-256"): "p256"}


def b64url_decode(text: object, what: str) -> bytes:
    """Strict unpadded base64url (RFC 7515 section 2); `InputError` naming the field otherwise."""
    if not isinstance(text, str) or not _B64URL.match(text) or len(text) % 4 == 1:
        raise InputError(f"key file: {what} is not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise InputError(f"key file: {what} is not base64url") from None


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


_PUBLIC_KEY = "this is a public key; a private key is needed (JWK with d, or PKCS#8)"
_PUBLIC_HINT = "export the private key from where it was made (lerwallet did export NAME --private)"
_PUBLIC_PEM = (b"PUBLIC KEY", b"CERTIFICATE", b"SSH2 PUBLIC KEY")


def _is_public_pem(data: bytes) -> bool:
    """A PEM public key, certificate or SSH public key: a common mistake, named as such (an
    openssl conversion hint would only send the learner in circles)."""
    head = data[:64]
    return (head.startswith(b"-----BEGIN") and any(b"BEGIN " + label + b"-----" in head for label in _PUBLIC_PEM)
            or data.startswith((b"ssh-ed25519 ", b"ecdsa-sha2-nistp256 ")))


def _looks_like_public_der(data: bytes) -> bool:
    """DER whose outer SEQUENCE starts with another SEQUENCE: SubjectPublicKeyInfo or a
    certificate. PKCS#8 starts with its INTEGER version instead."""
    if len(data) < 4 or data[0] != 0x30:
        return False
    first = data[1]
    offset = 2 if first < 0x80 else 2 + (first & 0x7F)
    return offset < len(data) and data[offset] == 0x30


def read_private_key(data: bytes, passphrase: Callable[[], bytes] | None = None) -> tuple[str, bytes]:
    """(key_type, raw private bytes) from a JWK or PKCS#8 file; `InputError` if unusable.

    `passphrase` is called only when the file is an encrypted PKCS#8 key.
    """
    from lerwallet import crypto

    if len(data) > MAX_KEY_FILE:
        raise InputError("key file is too large to be a private key")
    stripped = data.strip()
    if stripped.startswith(b"{"):
        key_type, private = _read_jwk(stripped)
    else:
        password = None
        if b"ENCRYPTED PRIVATE KEY" in stripped[:64]:
            if passphrase is None:
                raise UsageError("the key file is encrypted and no passphrase was given")
            password = passphrase()
        elif _is_public_pem(stripped):
            raise InputError(_PUBLIC_KEY, hint=_PUBLIC_HINT)
        elif stripped.startswith(b"-----BEGIN") and b"-----BEGIN PRIVATE KEY-----" not in stripped[:40]:
            raise InputError(
                "key file is PEM but not PKCS#8",
                hint="convert it with: openssl pkcs8 -topk8 -nocrypt -in OLD -out NEW.pem",
            )
        try:
            key_type, private = crypto.private_from_pkcs8(stripped, password=password)
        except crypto.CryptoError as exc:
            if password is not None:
                raise InputError("cannot read the encrypted key: wrong passphrase or damaged file") from None
            if _looks_like_public_der(stripped):
                raise InputError(_PUBLIC_KEY, hint=_PUBLIC_HINT) from None
            raise InputError(f"not a usable private key: {_first_line(exc)}") from None
    if key_type not in SUPPORTED:
        raise InputError(f"unsupported key type {key_type!r}; lerwallet holds Ed25519 and P-256 keys")
    return key_type, private


def _read_jwk(data: bytes) -> tuple[str, bytes]:
    from lerwallet import crypto

    try:
        jwk = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise InputError("key file looks like JSON but does not parse") from None
    if not isinstance(jwk, dict):
        raise InputError("key file: a JWK must be a JSON object")
    key_type = _JWK_CURVES.get((jwk.get("kty"), jwk.get("crv")))
    if key_type is None:
        raise InputError(
            f"unsupported JWK kty={jwk.get('kty')!r} crv={jwk.get('crv')!r}; want OKP/Ed25519 or EC/P-256"
        )
    if "d" not in jwk:
        raise InputError(_PUBLIC_KEY + " (this JWK has no d)", hint=_PUBLIC_HINT)
    private = b64url_decode(jwk["d"], "d")
    if len(private) != 32:
        raise InputError(f"key file: d must be 32 bytes for {key_type}")
    try:
        public = crypto.public_key_of(key_type, private)
        if key_type == "ed25519":
            claimed = b64url_decode(jwk.get("x", ""), "x") if "x" in jwk else public
        else:
            if "x" in jwk or "y" in jwk:
                x, y = b64url_decode(jwk.get("x"), "x"), b64url_decode(jwk.get("y"), "y")
                claimed = crypto.ec_public_from_xy(key_type, x, y)
            else:
                claimed = public
    except crypto.CryptoError as exc:
        raise InputError(f"not a usable private key: {_first_line(exc)}") from None
    if claimed != public:
        raise InputError("key file: the JWK's public part does not match its private part (d)")
    return key_type, private


def private_jwk(key_type: str, private: bytes) -> dict:
    """The private JWK (with `d`) of a key: for `export --private --unencrypted --format jwk`."""
    from lerwallet import crypto

    public = crypto.public_key_of(key_type, private)
    if key_type == "ed25519":
        return {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(public), "d": b64url_encode(private)}
    x, y = crypto.ec_public_xy(key_type, public)
    return {"kty": "EC", "crv": "P-256", "x": b64url_encode(x), "y": b64url_encode(y), "d": b64url_encode(private)}


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
