"""The only door to `cryptography.hazmat`: plain verbs over bytes.

Everything in lerwallet that seals, derives, generates, signs or verifies calls
this module; nothing else imports `cryptography.hazmat` (a test enforces it).
Keys cross this boundary as raw bytes tagged with a key type, so callers never
hold library objects and the encodings (multibase, JWK, PKCS#8) stay elsewhere.

Key types and their raw encodings:
  ed25519  private: 32-byte seed      public: 32 bytes
  p256     private: 32-byte scalar    public: 33-byte compressed SEC1 point
  p384     private: 48-byte scalar    public: 49-byte compressed SEC1 point
ECDSA signatures are IEEE P1363 (r || s), the form Data Integrity and JOSE use.
"""

from __future__ import annotations

import hashlib
import hmac as _hmac
import os

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from lerwallet.structs import Frozen

KEY_TYPES = ("ed25519", "p256", "p384")

_CURVES = {"p256": (ec.SECP256R1, hashes.SHA256, 32), "p384": (ec.SECP384R1, hashes.SHA384, 48)}


class CryptoError(Exception):
    """Base class for this module's errors."""


class BadKey(CryptoError):
    """Key bytes that do not decode as the stated key type."""


class SealError(CryptoError):
    """A sealed blob did not open: wrong key, tampered bytes or wrong associated data.

    One opaque error for every cause, so callers cannot leak which one it was.
    """


def random_bytes(n: int) -> bytes:
    return os.urandom(n)


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def hmac_sha256(key: bytes, data: bytes) -> bytes:
    return _hmac.new(key, data, hashlib.sha256).digest()


# --- key derivation -------------------------------------------------------------------------


MAX_KDF_MEMORY_KIB = 1024 * 1024  # 1 GiB
MAX_KDF_ITERATIONS = 10
MAX_KDF_WORK_KIB = 2 * 1024 * 1024  # memory x iterations


class KdfParams(Frozen):
    """Argon2id parameters, stored beside the wrapped key so they can be raised later."""

    FIELDS = ("algorithm", "memory_kib", "iterations", "lanes")

    def __init__(self, algorithm: str = "argon2id", memory_kib: int = 65536, iterations: int = 3, lanes: int = 4) -> None:
        # the default: RFC 9106's second recommended option, 64 MiB, t=3, p=4
        self._set(algorithm=algorithm, memory_kib=memory_kib, iterations=iterations, lanes=lanes)

    @classmethod
    def default(cls) -> "KdfParams":
        return cls()

    @classmethod
    def unsafe_fast_for_tests(cls) -> "KdfParams":
        """Cheap parameters for test suites only: never the default, never for a real wallet."""
        return cls(memory_kib=64, iterations=1, lanes=1)

    def at_least(self, other: "KdfParams") -> "KdfParams":
        """These parameters raised to at least `other`'s, field by field (stronger ones kept)."""
        return KdfParams(memory_kib=max(self.memory_kib, other.memory_kib), iterations=max(self.iterations, other.iterations),
                         lanes=max(self.lanes, other.lanes))

    def weaker_than(self, other: "KdfParams") -> bool:
        return self.memory_kib < other.memory_kib or self.iterations < other.iterations

    @classmethod
    def from_dict(cls, data: dict) -> "KdfParams":
        try:
            if not isinstance(data, dict) or not all(
                    type(data[k]) is int for k in ("memory_kib", "iterations", "lanes")):
                raise TypeError("KDF parameters must be whole numbers")
            params = cls(
                algorithm=str(data["algorithm"]),
                memory_kib=data["memory_kib"],
                iterations=data["iterations"],
                lanes=data["lanes"],
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CryptoError(f"bad KDF parameters: {exc}") from None
        if params.algorithm != "argon2id":
            raise CryptoError(f"unsupported KDF: {params.algorithm}")
        # These are read before anything is authenticated (the keyslot's tag is checked after the
        # KDF runs), so an edited keyslot must not be able to make unlock take minutes or all
        # memory: at most 1 GiB, 10 passes, and 2 GiB x passes in total (the default is 64 MiB x 3).
        if not (1 <= params.iterations <= MAX_KDF_ITERATIONS and 1 <= params.lanes <= 64):
            raise CryptoError("KDF parameters out of range")
        if not (8 * params.lanes <= params.memory_kib <= MAX_KDF_MEMORY_KIB):
            raise CryptoError("KDF memory out of range")
        if params.memory_kib * params.iterations > MAX_KDF_WORK_KIB:
            raise CryptoError("KDF cost out of range")
        return params


def derive_key(passphrase: bytes, salt: bytes, params: KdfParams) -> bytes:
    """Stretch a passphrase into a 256-bit key-encryption key with Argon2id."""
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    kdf = Argon2id(
        salt=salt,
        length=32,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return kdf.derive(passphrase)


# --- authenticated encryption ---------------------------------------------------------------

NONCE_SIZE = 12
KEY_SIZE = 32


def generate_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """AES-256-GCM with a fresh random 96-bit nonce; returns nonce || ciphertext || tag."""
    nonce = os.urandom(NONCE_SIZE)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def open_sealed(key: bytes, blob: bytes, aad: bytes) -> bytes:
    """Inverse of `seal`. Any failure is one opaque `SealError`."""
    return sealed_opener(key)(blob, aad)


def sealed_opener(key: bytes):
    """`open_sealed` for many blobs under one key: the cipher is set up once, which is a third
    of the decryption cost when a wallet lists 10,000 records. Same checks, same opaque error."""
    aead = AESGCM(key) if len(key) == KEY_SIZE else None

    def open_one(blob: bytes, aad: bytes) -> bytes:
        if aead is None or len(blob) < NONCE_SIZE + 16:
            raise SealError("cannot open sealed data")
        try:
            return aead.decrypt(blob[:NONCE_SIZE], blob[NONCE_SIZE:], aad)
        except InvalidTag:
            raise SealError("cannot open sealed data") from None

    return open_one


# --- signatures -----------------------------------------------------------------------------


def _check_type(key_type: str) -> None:
    if key_type not in KEY_TYPES:
        raise BadKey(f"unsupported key type: {key_type!r}")


def _ec_private(key_type: str, private: bytes) -> ec.EllipticCurvePrivateKey:
    curve, _, size = _CURVES[key_type]
    if len(private) != size:
        raise BadKey(f"{key_type} private key must be {size} bytes")
    try:
        return ec.derive_private_key(int.from_bytes(private, "big"), curve())
    except ValueError as exc:
        raise BadKey(f"invalid {key_type} private key: {exc}") from None


def _ec_public(key_type: str, public: bytes) -> ec.EllipticCurvePublicKey:
    curve, _, _ = _CURVES[key_type]
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(curve(), public)
    except (ValueError, TypeError) as exc:
        raise BadKey(f"invalid {key_type} public key: {exc}") from None


def _ed_private(private: bytes) -> ed25519.Ed25519PrivateKey:
    if len(private) != 32:
        raise BadKey("ed25519 private key must be 32 bytes")
    return ed25519.Ed25519PrivateKey.from_private_bytes(private)


def _ed_public(public: bytes) -> ed25519.Ed25519PublicKey:
    if len(public) != 32:
        raise BadKey("ed25519 public key must be 32 bytes")
    try:
        return ed25519.Ed25519PublicKey.from_public_bytes(public)
    except ValueError as exc:
        raise BadKey(f"invalid ed25519 public key: {exc}") from None


def generate_private_key(key_type: str) -> bytes:
    """A new private key as raw bytes (see the module docstring for the encodings)."""
    from cryptography.hazmat.primitives import serialization  # lazy: ~3 ms of every start-up
    _check_type(key_type)
    if key_type == "ed25519":
        return ed25519.Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
    curve, _, size = _CURVES[key_type]
    return ec.generate_private_key(curve()).private_numbers().private_value.to_bytes(size, "big")


def public_key_of(key_type: str, private: bytes) -> bytes:
    from cryptography.hazmat.primitives import serialization  # lazy: ~3 ms of every start-up
    _check_type(key_type)
    if key_type == "ed25519":
        return _ed_private(private).public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
    return _ec_private(key_type, private).public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
    )


def sign(key_type: str, private: bytes, data: bytes) -> bytes:
    """Ed25519 over `data`, or ECDSA with the curve's hash (SHA-256/384), P1363-encoded."""
    _check_type(key_type)
    if key_type == "ed25519":
        return _ed_private(private).sign(data)
    _, hash_cls, size = _CURVES[key_type]
    der = _ec_private(key_type, private).sign(data, ec.ECDSA(hash_cls()))
    r, s = decode_dss_signature(der)
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def verify(key_type: str, public: bytes, data: bytes, signature: bytes) -> bool:
    """True when `signature` is valid; False for any bad signature. `BadKey` for a bad key."""
    _check_type(key_type)
    if key_type == "ed25519":
        key = _ed_public(public)
        if len(signature) != 64:
            return False
        try:
            key.verify(signature, data)
            return True
        except InvalidSignature:
            return False
    _, hash_cls, size = _CURVES[key_type]
    key = _ec_public(key_type, public)
    if len(signature) != 2 * size:
        return False
    r = int.from_bytes(signature[:size], "big")
    s = int.from_bytes(signature[size:], "big")
    if r == 0 or s == 0:
        return False
    try:
        key.verify(encode_dss_signature(r, s), data, ec.ECDSA(hash_cls()))
        return True
    except InvalidSignature:
        return False


def ec_public_xy(key_type: str, public: bytes) -> tuple[bytes, bytes]:
    """Affine coordinates (big-endian, fixed size) of a compressed EC public key."""
    _, _, size = _CURVES[key_type]
    numbers = _ec_public(key_type, public).public_numbers()
    return numbers.x.to_bytes(size, "big"), numbers.y.to_bytes(size, "big")


def ec_public_from_xy(key_type: str, x: bytes, y: bytes) -> bytes:
    """Compressed SEC1 point from affine coordinates; `BadKey` if not on the curve."""
    from cryptography.hazmat.primitives import serialization  # lazy: ~3 ms of every start-up
    if key_type not in _CURVES:
        raise BadKey(f"not an EC key type: {key_type!r}")
    curve, _, size = _CURVES[key_type]
    if len(x) != size or len(y) != size:
        raise BadKey(f"{key_type} coordinates must be {size} bytes")
    try:
        key = ec.EllipticCurvePublicNumbers(
            int.from_bytes(x, "big"), int.from_bytes(y, "big"), curve()
        ).public_key()
    except ValueError as exc:
        raise BadKey(f"invalid {key_type} point: {exc}") from None
    return key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)


BLS12381_G2_PUBLIC_SIZE = 96


def check_bls12381_g2_public(public: bytes) -> None:
    """Raise `BadKey` unless `public` is a compressed BLS12-381 G2 point in the prime-order
    subgroup and not the identity: a bbs-2023 issuer key (BBS draft, octets_to_pubkey and
    section 6.1). Verify-only: lerwallet never holds a BLS private key. The BLS wheel
    (py-arkworks-bls12381) is imported here, so only when such a key arrives."""
    if not isinstance(public, (bytes, bytearray)) or len(public) != BLS12381_G2_PUBLIC_SIZE:
        raise BadKey(f"a BLS12-381 G2 public key is {BLS12381_G2_PUBLIC_SIZE} bytes")
    from py_arkworks_bls12381 import G2Point

    try:
        point = G2Point.from_compressed_bytes(bytes(public))
    except Exception:
        raise BadKey("the public key is not a compressed BLS12-381 G2 point") from None
    if point == G2Point.identity() or not point.is_in_subgroup():
        raise BadKey("the public key is the identity or outside the BLS12-381 G2 subgroup")


def normalize_ec_public(key_type: str, public: bytes) -> bytes:
    """Accept a compressed or uncompressed SEC1 point; return the compressed form."""
    from cryptography.hazmat.primitives import serialization  # lazy: ~3 ms of every start-up
    return _ec_public(key_type, public).public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
    )


def verify_rsa(n: bytes, e: bytes, data: bytes, signature: bytes, *, alg: str) -> bool:
    """RSA verification for JOSE RS256/384/512 and PS256/384/512 (verify only)."""
    from cryptography.hazmat.primitives.asymmetric import padding, rsa  # lazy: RS256 JWTs only
    hash_cls = {"256": hashes.SHA256, "384": hashes.SHA384, "512": hashes.SHA512}.get(alg[2:])
    if alg[:2] not in ("RS", "PS") or hash_cls is None:
        raise BadKey(f"unsupported RSA algorithm: {alg}")
    try:
        key = rsa.RSAPublicNumbers(int.from_bytes(e, "big"), int.from_bytes(n, "big")).public_key()
    except ValueError as exc:
        raise BadKey(f"invalid RSA key: {exc}") from None
    if key.key_size < 2048:
        raise BadKey("RSA key shorter than 2048 bits")
    pad = (
        padding.PKCS1v15()
        if alg.startswith("RS")
        else padding.PSS(mgf=padding.MGF1(hash_cls()), salt_length=hash_cls.digest_size)
    )
    try:
        key.verify(signature, data, pad, hash_cls())
        return True
    except InvalidSignature:
        return False


def rsa_public_from_pem(pem: bytes) -> tuple[bytes, bytes]:
    """(n, e) big-endian of an RSA public key in PEM (SubjectPublicKeyInfo or PKCS#1), such as an
    Open Badges 2.0 CryptographicKey's `publicKeyPem`; BadKey for anything else."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa  # lazy: OB 2.0 signed badges only

    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError) as exc:
        raise BadKey(f"not a PEM public key: {_first_line(exc)}") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise BadKey("the PEM key is not an RSA key")
    numbers = key.public_numbers()
    return (numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big"),
            numbers.e.to_bytes((numbers.e.bit_length() + 7) // 8, "big"))


# --- private key files ----------------------------------------------------------------------


PKCS8_PBKDF2_ROUNDS = 600_000  # OWASP 2023 figure for PBKDF2-HMAC-SHA256


def private_to_pkcs8(key_type: str, private: bytes, *, password: bytes | None,
                     rounds: int = PKCS8_PBKDF2_ROUNDS) -> bytes:
    """PEM PKCS#8. `password=None` means unencrypted and must be asked for explicitly.

    Encrypted files are PKCS#8 EncryptedPrivateKeyInfo with PBES2 (RFC 8018): PBKDF2-HMAC-SHA256
    with `rounds` iterations and a 16-byte salt, then AES-256-CBC. cryptography's
    BestAvailableEncryption uses the same scheme with only 2,048 rounds and offers no way to
    raise them for PKCS#8, so the envelope is assembled here; OpenSSL and cryptography read it.
    """
    from cryptography.hazmat.primitives import serialization  # lazy: ~3 ms of every start-up
    _check_type(key_type)
    key = _ed_private(private) if key_type == "ed25519" else _ec_private(key_type, private)
    if password is None:
        return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption())
    if not password or not 1000 <= rounds <= 100_000_000:
        raise CryptoError("PKCS#8 encryption needs a non-empty password and sane rounds")
    from cryptography.hazmat.primitives import padding as sym_padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    salt, iv = os.urandom(16), os.urandom(16)
    kek = hashlib.pbkdf2_hmac("sha256", password, salt, rounds, 32)
    padder = sym_padding.PKCS7(128).padder()
    encryptor = Cipher(algorithms.AES(kek), modes.CBC(iv)).encryptor()
    ciphertext = encryptor.update(padder.update(der) + padder.finalize()) + encryptor.finalize()
    pbkdf2_params = _der_seq(_der(0x04, salt), _der_int(rounds), _der_int(32),
                             _der_seq(_der_oid("1.2.840.113549.2.9"), b"\x05\x00"))  # hmacWithSHA256
    pbes2_params = _der_seq(
        _der_seq(_der_oid("1.2.840.113549.1.5.12"), pbkdf2_params),  # PBKDF2
        _der_seq(_der_oid("2.16.840.1.101.3.4.1.42"), _der(0x04, iv)),  # aes256-CBC
    )
    info = _der_seq(_der_seq(_der_oid("1.2.840.113549.1.5.13"), pbes2_params), _der(0x04, ciphertext))
    import base64

    body = base64.encodebytes(info).replace(b"\n", b"")
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return b"-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + b"\n".join(lines) + b"\n-----END ENCRYPTED PRIVATE KEY-----\n"


def _der(tag: int, content: bytes) -> bytes:
    n = len(content)
    if n < 0x80:
        return bytes([tag, n]) + content
    size = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(size)]) + size + content


def _der_seq(*parts: bytes) -> bytes:
    return _der(0x30, b"".join(parts))


def _der_int(value: int) -> bytes:
    return _der(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def _der_oid(dotted: str) -> bytes:
    arcs = [int(a) for a in dotted.split(".")]
    out = bytearray([40 * arcs[0] + arcs[1]])
    for arc in arcs[2:]:
        chunk = [arc & 0x7F]
        while arc > 0x7F:
            arc >>= 7
            chunk.append(0x80 | (arc & 0x7F))
        out += bytes(reversed(chunk))
    return _der(0x06, bytes(out))


def private_from_pkcs8(data: bytes, *, password: bytes | None = None) -> tuple[str, bytes]:
    """Load a PEM or DER PKCS#8 private key; returns (key_type, raw private bytes)."""
    from cryptography.hazmat.primitives import serialization  # lazy: ~3 ms of every start-up
    loader = (
        serialization.load_pem_private_key
        if data.lstrip().startswith(b"-----")
        else serialization.load_der_private_key
    )
    try:
        key = loader(data, password=password)
    except (ValueError, TypeError) as exc:
        raise BadKey(f"cannot read private key: {exc}") from None
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return "ed25519", key.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
    if isinstance(key, ec.EllipticCurvePrivateKey):
        for key_type, (curve, _, size) in _CURVES.items():
            if isinstance(key.curve, curve):
                return key_type, key.private_numbers().private_value.to_bytes(size, "big")
    raise BadKey("unsupported private key type (want Ed25519, P-256 or P-384)")


# --- X.509 certificate chains (SD-JWT VC issuers identified by `x5c`) -----------------------------


class CertificateError(CryptoError):
    """A certificate that does not parse, or a chain that does not validate (one line, why)."""


class CertificateRevoked(CertificateError):
    """A certificate of a validated chain is on its issuer's CRL at the time asked."""


class CertifiedKey(Frozen):
    """The leaf of a chain: its public key (as the key types above) and what it names."""

    FIELDS = ("key_type", "public", "subject", "dns_names", "uris", "revocation_checked", "revocation_unknown")

    def __init__(self, key_type: str, public: bytes, subject: str, dns_names: tuple[str, ...], uris: tuple[str, ...],
                 revocation_checked: tuple[str, ...] = (), revocation_unknown: tuple[str, ...] = ()) -> None:
        # subject: an RFC 4514 string. After `verify_certificate_chain` with CRLs: the certificates
        # found on no current CRL of their issuer (checked), and why the others' revocation is
        # unknown (one line each).
        self._set(key_type=key_type, public=public, subject=subject, dns_names=dns_names, uris=uris,
                  revocation_checked=revocation_checked, revocation_unknown=revocation_unknown)


MAX_CRL_BYTES = 32 * 1024 * 1024  # national CAs publish CRLs of several MiB
MAX_CRLS = 64


def crls_from_file(data: bytes) -> list[bytes]:
    """The DER bytes of every CRL in a file: PEM (one or more `X509 CRL` blocks) or one DER CRL;
    `CertificateError` if there is none."""
    import re

    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    if b"-----BEGIN X509 CRL-----" in data:
        blocks = re.findall(rb"-----BEGIN X509 CRL-----.+?-----END X509 CRL-----", data, re.DOTALL)
        try:
            return [x509.load_pem_x509_crl(b).public_bytes(Encoding.DER) for b in blocks]
        except ValueError as exc:
            raise CertificateError(f"a PEM CRL does not parse: {_first_line(exc)}") from None
    try:
        return [x509.load_der_x509_crl(data).public_bytes(Encoding.DER)]
    except ValueError:
        raise CertificateError("not a CRL (neither PEM X509 CRL blocks nor a DER CRL)") from None


def _revocation(path: list, crls: list[bytes], at) -> tuple[list[str], list[str]]:
    """(checked, unknown) for a validated path (leaf first, anchor last) against `crls` (DER):
    RFC 5280 section 6.3 in the subset that needs no fetching. Each certificate below the
    anchor is looked up in the CRLs its issuer signed (same issuer name, signature verified
    with the issuing certificate's key; indirect and delta CRLs are not read). Listed with a
    revocation date not after `at`: `CertificateRevoked`. Otherwise checked when one of those
    CRLs is current at `at` (thisUpdate <= at <= nextUpdate). A certificate with no such CRL is
    unknown if it names a CRL distribution point, and needs nothing if it names none (its
    issuer publishes no CRL for it)."""
    from cryptography import x509

    parsed = []
    for der in crls[:MAX_CRLS]:
        try:
            parsed.append(x509.load_der_x509_crl(der))
        except ValueError:
            continue  # crls_from_file parsed them once; a damaged one simply vouches for nothing
    checked, unknown = [], []
    for cert, issuer in zip(path, path[1:]):
        subject = cert.subject.rfc4514_string()
        own = []
        for crl in parsed:
            if crl.issuer != cert.issuer:
                continue
            try:
                if crl.is_signature_valid(issuer.public_key()):
                    own.append(crl)
            except (TypeError, ValueError):
                continue
        for crl in own:
            entry = crl.get_revoked_certificate_by_serial_number(cert.serial_number)
            if entry is not None and entry.revocation_date_utc <= at:
                raise CertificateRevoked(
                    f"certificate {subject} (serial {cert.serial_number:x}) was revoked on "
                    f"{entry.revocation_date_utc.strftime('%Y-%m-%dT%H:%M:%SZ')} (CRL of {crl.issuer.rfc4514_string()})")
        if any(c.last_update_utc <= at and (c.next_update_utc is None or at <= c.next_update_utc) for c in own):
            checked.append(subject)
            continue
        if own:
            spans = ", ".join(f"{c.last_update_utc:%Y-%m-%dT%H:%M:%SZ} to "
                              f"{c.next_update_utc:%Y-%m-%dT%H:%M:%SZ}" if c.next_update_utc else
                              f"from {c.last_update_utc:%Y-%m-%dT%H:%M:%SZ}" for c in own)
            unknown.append(f"the CRL given for {subject} is not current at {at:%Y-%m-%dT%H:%M:%SZ} ({spans})")
            continue
        points = _crl_points(cert)
        if points:
            unknown.append(f"{subject} names its CRL at {', '.join(points)}, and no CRL of "
                           f"{cert.issuer.rfc4514_string()} was given")
    return checked, unknown


def _crl_points(cert) -> list[str]:
    from cryptography import x509

    try:
        ext = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    except x509.ExtensionNotFound:
        return []
    return [name.value for point in ext for name in (point.full_name or [])
            if isinstance(name, x509.UniformResourceIdentifier)] or ["(a distribution point without a URL)"]


MAX_CHAIN_CERTIFICATES = 10
MAX_CERTIFICATE_BYTES = 64 * 1024


def certificates_from_pem(data: bytes) -> list[bytes]:
    """The DER bytes of every certificate in a PEM file; `CertificateError` if there is none."""
    from cryptography import x509

    try:
        certs = x509.load_pem_x509_certificates(data)
    except ValueError as exc:
        raise CertificateError(f"not a PEM certificate file: {_first_line(exc)}") from None
    from cryptography.hazmat.primitives.serialization import Encoding

    return [c.public_bytes(Encoding.DER) for c in certs]


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:160]


def _leaf_key(cert) -> tuple[str, bytes]:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    key = cert.public_key()
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "ed25519", key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    if isinstance(key, ec.EllipticCurvePublicKey):
        for key_type, (curve, _, _) in _CURVES.items():
            if isinstance(key.curve, curve):
                return key_type, key.public_bytes(Encoding.X962, PublicFormat.CompressedPoint)
        raise CertificateError(f"the leaf certificate's key is on curve {key.curve.name}, not P-256 or P-384")
    raise CertificateError(f"the leaf certificate's key is a {type(key).__name__.replace('_', '')}; "
                           "only Ed25519, P-256 and P-384 keys are supported")


def read_certificate(der: bytes) -> CertifiedKey:
    """The key and names of one certificate, NOT validated (for a chain with no trust anchor)."""
    from cryptography import x509

    if len(der) > MAX_CERTIFICATE_BYTES:
        raise CertificateError("the certificate is too large")
    try:
        cert = x509.load_der_x509_certificate(der)
    except ValueError as exc:
        raise CertificateError(f"the certificate does not parse: {_first_line(exc)}") from None
    return _certified(cert)


def _certified(cert) -> CertifiedKey:
    from cryptography import x509

    key_type, public = _leaf_key(cert)
    dns: list[str] = []
    uris: list[str] = []
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        dns = [str(n) for n in san.get_values_for_type(x509.DNSName)]
        uris = [str(n) for n in san.get_values_for_type(x509.UniformResourceIdentifier)]
    except x509.ExtensionNotFound:
        pass
    except ValueError as exc:
        raise CertificateError(f"the certificate's extensions do not parse: {_first_line(exc)}") from None
    return CertifiedKey(key_type, public, cert.subject.rfc4514_string(), tuple(dns), tuple(uris))


def verify_certificate_chain(chain: list[bytes], anchors: list[bytes], *, at, crls: list[bytes] | None = None) -> CertifiedKey:
    """Validate `chain` (DER, leaf first, then intermediates, as JWS `x5c` orders it) up to one
    of `anchors` (DER) at time `at`, with cryptography's RFC 5280 path validation
    (`cryptography.x509.verification`); the leaf is checked as an end-entity certificate
    without an extended-key-usage requirement (an issuer signing credentials is neither a TLS
    server nor a TLS client). Returns the leaf's key and names; `CertificateError` otherwise.
    The validated path is then checked against `crls` (DER; `_revocation`): a revoked
    certificate raises `CertificateRevoked`; a certificate that names a CRL distribution point
    but has no current CRL among them is listed in the result's `revocation_unknown`.
    """
    from cryptography import x509
    from cryptography.x509 import verification as v

    if not chain:
        raise CertificateError("the x5c certificate chain is empty")
    if len(chain) > MAX_CHAIN_CERTIFICATES or any(len(c) > MAX_CERTIFICATE_BYTES for c in chain):
        raise CertificateError(f"the x5c chain is too large (at most {MAX_CHAIN_CERTIFICATES} certificates)")
    if not anchors:
        raise CertificateError("no trust anchor to validate the chain against")
    try:
        certs = [x509.load_der_x509_certificate(c) for c in chain]
    except ValueError as exc:
        raise CertificateError(f"an x5c certificate does not parse: {_first_line(exc)}") from None
    try:
        roots = [x509.load_der_x509_certificate(c) for c in anchors]
    except ValueError as exc:
        raise CertificateError(f"a trust anchor does not parse: {_first_line(exc)}") from None
    leaf = certs[0]
    certified = _certified(leaf)
    try:
        verifier = (
            v.PolicyBuilder()
            .store(v.Store(roots))
            .time(at)
            .max_chain_depth(MAX_CHAIN_CERTIFICATES)
            .extension_policies(ca_policy=v.ExtensionPolicy.webpki_defaults_ca(),
                                ee_policy=v.ExtensionPolicy.permit_all())
            .build_client_verifier()
        )
        verified = verifier.verify(leaf, certs[1:])
    except v.VerificationError as exc:
        raise CertificateError(f"the x5c chain does not validate: {_first_line(exc)}") from None
    except (ValueError, TypeError) as exc:
        raise CertificateError(f"the x5c chain cannot be validated: {_first_line(exc)}") from None
    checked, unknown = _revocation(list(verified.chain), list(crls or []), at)
    certified = certified.replace(revocation_checked=tuple(checked), revocation_unknown=tuple(unknown))
    return certified
