"""Status List Tokens in CWT form (draft-ietf-oauth-status-list, "Status List Token in CWT
Format"): a COSE_Sign1 (RFC 9052, CBOR tag 18) whose protected header names the algorithm
(label 1) and the type (label 16, `application/statuslist+cwt`), with the claims iss (1), sub
(2), iat (6), exp (4), ttl (65534) and the status list (65535: {bits, lst}, `lst` the
ZLIB-compressed bytes themselves). Only what a status list token needs is decoded (the strict
CBOR subset of `proofs.cbor`); the signature is checked over the COSE Sig_structure
["Signature1", protected, h'', payload] with the issuer's key, found as for the JWT form."""

from __future__ import annotations

from types import SimpleNamespace

COSE_ALGS = {-7: "ES256", -35: "ES384", -8: "EdDSA"}  # asymmetric only: MAC algorithms are refused
TYPS = ("application/statuslist+cwt", "statuslist+cwt")
TAG_COSE_SIGN1 = 0xD2  # CBOR tag 18, one byte


class CwtError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def looks_like_cwt(data: bytes) -> bool:
    return data[:1] in (bytes([TAG_COSE_SIGN1]), b"\x84")  # tagged, or a bare 4-element array


def parse(data: bytes) -> tuple[dict, dict, bytes, bytes, str | None]:
    """(protected header, claims, signed bytes, signature, kid) of a COSE_Sign1 CWT, unverified."""
    from lerwallet.proofs.cbor import CborError, decode, encode

    raw = data[1:] if data[:1] == bytes([TAG_COSE_SIGN1]) else data
    try:
        message = decode(raw)
        if not (isinstance(message, list) and len(message) == 4):
            raise CwtError("malformed_status_list", "not a COSE_Sign1 structure (an array of 4)")
        protected_bytes, unprotected, payload, signature = message
        if not (isinstance(protected_bytes, bytes) and isinstance(unprotected, dict) and isinstance(payload, bytes)
                and isinstance(signature, bytes)):
            raise CwtError("malformed_status_list", "COSE_Sign1 members have the wrong types")
        protected = decode(protected_bytes) if protected_bytes else {}
        claims = decode(payload)
        signed = encode(["Signature1", protected_bytes, b"", payload])
    except CborError as exc:
        raise CwtError("malformed_status_list", f"not a CWT: {exc}") from None
    if not isinstance(protected, dict) or not isinstance(claims, dict):
        raise CwtError("malformed_status_list", "the CWT header or claims are not CBOR maps")
    kid = protected.get(4, unprotected.get(4))
    if isinstance(kid, bytes):
        try:
            kid = kid.decode("utf-8")
        except UnicodeDecodeError:
            raise CwtError("malformed_status_list", "kid is not UTF-8 text") from None
    return protected, claims, signed, signature, kid if isinstance(kid, str) else None


def claims_of(data: bytes) -> dict:
    """The claims of a CWT status list token, named as in the JWT form (unverified)."""
    _, claims, _, _, _ = parse(data)
    listed = claims.get(65535)
    return {"iss": claims.get(1), "sub": claims.get(2), "iat": claims.get(6), "exp": claims.get(4), "ttl": claims.get(65534),
            "status_list": {"bits": listed.get("bits"), "lst": listed.get("lst")} if isinstance(listed, dict) else None}


def verify(data: bytes, *, opts) -> tuple[dict, dict]:
    """(protected header, claims) once the signature is checked; CwtError otherwise (code
    `status_list_proof` when the signature fails or the key cannot be had)."""
    from lerwallet import crypto
    from lerwallet.keys.jwk import ALG_KEY_TYPES
    from lerwallet.proofs.sdjwt import _issuer_key

    protected, claims, signed, signature, kid = parse(data)
    alg = COSE_ALGS.get(protected.get(1))
    if alg is None:
        raise CwtError("status_list_proof", f"COSE algorithm {str(protected.get(1))[:20]} is not an accepted signature algorithm")
    named = claims_of(data)
    header = {"kid": kid} if kid else {}
    key = _issuer_key(SimpleNamespace(header=header, payload={"iss": named["iss"]}), opts.get_resolver(), None,
                      "assertionMethod", opts.get_fetch())
    if not isinstance(key, tuple):
        raise CwtError("status_list_proof", f"the signing key could not be had: {key.reason}")
    key_type, public = key[0], key[1]
    if key_type != ALG_KEY_TYPES[alg]:
        raise CwtError("status_list_proof", f"algorithm {alg} needs a {ALG_KEY_TYPES[alg]} key, the issuer's key is {key_type}")
    try:
        good = crypto.verify(key_type, public, signed, signature)
    except crypto.BadKey as exc:
        raise CwtError("status_list_proof", f"bad key: {exc}") from None
    if not good:
        raise CwtError("status_list_proof", "the COSE signature does not verify")
    return protected, named
