"""VC-JWT: credentials and presentations secured as compact JWS.

Two styles are read and written:
  * VC 1.1 "JWT" (VC Data Model 1.1 section 6.3): the credential sits in a `vc` (or `vp`)
    claim; `iss`, `sub`, `jti`, `nbf`, `exp` carry issuer, subject id, id and dates.
  * VC-JOSE-COSE (`typ` `vc+jwt` / `vp+jwt`): the payload is the credential itself.

`verify_jwt` never raises for a bad token: it returns a `JwtResult` whose `proof` says pass or
fail with a stable code. The signing key comes from `kid` through the `Resolver`
(did:key, did:jwk, did:web, `#frag` relative to `iss`), or from an `x5c` certificate chain
validated to the caller's trust anchors (`lerwallet.proofs.x5c`, shared with SD-JWT VC); a key
embedded in the header (`jwk`) can check the signature but binds nothing to the issuer, so it
yields `unknown`.
Algorithms: EdDSA, ES256, ES384 (sign and verify); RS256/384/512, PS256/384/512 (verify).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

from lerwallet import crypto
from lerwallet.jsonutil import loads_untrusted
from lerwallet.keys.jwk import ALG_KEY_TYPES, DEFAULT_ALG, JwkError, jwk_to_public, rsa_numbers
from lerwallet.keys.multibase import MultibaseError, b64url_decode, b64url_encode
from lerwallet.proofs.result import FAIL, PASS, UNKNOWN, ProofResult
from lerwallet.utc import iso

SUITE = "vc-jwt"
MAX_TOKEN = 1024 * 1024
_RESOLUTION_CODES = {"offline": "offline", "network": "network", "unsupported_method": "unsupported_method",
                     "unsupported_key_type": "unsupported_key_type"}


class JoseError(ValueError):
    """A token that cannot be parsed or checked; `code` is a stable ProofResult code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class JwtResult:
    """What verifying one VC-JWT found. `header`/`payload`/`document` are unverified data
    until `proof.outcome == "pass"`."""

    header: dict
    payload: dict
    document: dict
    proof: ProofResult
    kind: str  # "credential" | "presentation" | "" when the token could not be read
    style: str = ""  # "vc11" | "jose-cose"
    not_before: datetime | None = None
    expires: datetime | None = None
    issued_at: datetime | None = None
    expired: bool = False  # `exp` is in the past at `now`: surfaced as data, judged by the caller
    not_yet_valid: bool = False
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "kind": self.kind, "style": self.style, "header": self.header, "proof": self.proof.to_dict(),
            "not_before": _iso(self.not_before), "expires": _iso(self.expires), "issued_at": _iso(self.issued_at),
            "expired": self.expired, "not_yet_valid": self.not_yet_valid, "warnings": self.warnings,
        }


def _iso(value: datetime | None) -> str | None:
    return iso(value) if value else None


# --- compact JWS -----------------------------------------------------------------------------


def _json_part(segment: str, what: str) -> dict:
    try:
        value = loads_untrusted(b64url_decode(segment))
    except MultibaseError as exc:
        raise JoseError("malformed_proof", f"JWT {what} is not valid base64url: {exc}") from None
    except (UnicodeDecodeError, ValueError):
        raise JoseError("malformed_proof", f"JWT {what} is not valid JSON") from None
    if not isinstance(value, dict):
        raise JoseError("malformed_proof", f"JWT {what} is not a JSON object")
    return value


def decode_compact(token: str) -> tuple[dict, dict, bytes, bytes]:
    """(header, payload, signing input, signature) of a compact JWS, unverified."""
    if not isinstance(token, str):
        raise JoseError("malformed_proof", "JWT must be text")
    token = token.strip()
    if len(token) > MAX_TOKEN:
        raise JoseError("malformed_proof", "JWT is too large")
    parts = token.split(".")
    if len(parts) != 3:
        raise JoseError("malformed_proof", f"a compact JWT has 3 parts, this has {len(parts)}")
    header = _json_part(parts[0], "header")
    payload = _json_part(parts[1], "payload")
    try:
        signature = b64url_decode(parts[2])
    except MultibaseError as exc:
        raise JoseError("malformed_proof_value", f"JWT signature is not valid base64url: {exc}") from None
    return header, payload, f"{parts[0]}.{parts[1]}".encode("ascii"), signature


def check_header(header: dict) -> str:
    """The header's algorithm, refusing `none`, unknown algorithms and unknown `crit`."""
    alg = header.get("alg")
    if not isinstance(alg, str) or alg not in ALG_KEY_TYPES:
        raise JoseError("unsupported_algorithm", f"unsupported or missing JWT algorithm {alg!r}"
                        + (" ('none' is never accepted)" if str(alg).lower() == "none" else ""))
    if "crit" in header:
        raise JoseError("malformed_proof", f"JWT header has critical extensions {header['crit']!r} we do not support")
    if header.get("b64") is False:
        raise JoseError("malformed_proof", "unencoded-payload JWS (b64=false) is not supported")
    return alg


def verify_signature(alg: str, key_type: str, public: bytes | None, jwk: dict | None,
                     signing_input: bytes, signature: bytes) -> bool:
    """Check a JWS signature with a key of `key_type`; `JoseError` if alg and key disagree."""
    wanted = ALG_KEY_TYPES[alg]
    if key_type != wanted:
        raise JoseError("key_type_mismatch", f"algorithm {alg} needs a {wanted} key, the key is {key_type}")
    if key_type in ("p256", "p384"):
        _refuse_der(alg, key_type, signature)
    try:
        if key_type == "rsa":
            if jwk is None:
                raise JoseError("key_type_mismatch", "RSA verification needs the key as a JWK")
            n, e = rsa_numbers(jwk)
            return crypto.verify_rsa(n, e, signing_input, signature, alg=alg)
        return crypto.verify(key_type, public, signing_input, signature)
    except (crypto.BadKey, JwkError) as exc:
        raise JoseError("malformed_proof", f"bad verification key: {exc}") from None


_RAW_SIZE = {"p256": 64, "p384": 96}


def _refuse_der(alg: str, key_type: str, signature: bytes) -> None:
    """A JWS ECDSA signature is the raw R||S pair (RFC 7518 section 3.4). Some issuers send the
    ASN.1 DER form that X.509 tools produce instead; name that mistake exactly."""
    size = _RAW_SIZE[key_type]
    if len(signature) == size or not _is_der_ecdsa(signature, size // 2):
        return
    raise JoseError("malformed_proof_value",
                    f"{alg} signature is DER-encoded (an ASN.1 SEQUENCE of r and s, {len(signature)} bytes); "
                    f"JWS requires the raw R||S form ({size} bytes, RFC 7518 section 3.4)")


def _is_der_ecdsa(data: bytes, half: int) -> bool:
    """True when `data` is exactly DER SEQUENCE { INTEGER r, INTEGER s } with r, s of curve size."""
    if len(data) < 8 or data[0] != 0x30:
        return False
    length, pos = data[1], 2
    if length & 0x80:
        if length != 0x81 or len(data) < 3:
            return False
        length, pos = data[2], 3
    if pos + length != len(data):
        return False
    for _ in range(2):
        if pos + 2 > len(data) or data[pos] != 0x02:
            return False
        n = data[pos + 1]
        if n == 0 or n > half + 1 or pos + 2 + n > len(data):
            return False
        pos += 2 + n
    return pos == len(data)


def sign_compact(header: dict, payload: dict, *, key_type: str, private_key: bytes) -> str:
    alg = header.setdefault("alg", DEFAULT_ALG[key_type])
    if ALG_KEY_TYPES.get(alg) != key_type:
        raise JoseError("key_type_mismatch", f"cannot sign {alg} with a {key_type} key")
    head = b64url_encode(json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    body = b64url_encode(json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    signature = crypto.sign(key_type, private_key, f"{head}.{body}".encode("ascii"))
    return f"{head}.{body}.{b64url_encode(signature)}"


# --- VC mapping --------------------------------------------------------------------------------


def _id_of(value) -> str:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else ""


def _subject_ids(doc: dict) -> list[str]:
    subject = doc.get("credentialSubject")
    subjects = subject if isinstance(subject, list) else [subject]
    return [_id_of(s) for s in subjects if _id_of(s)]


def _numeric_date(payload: dict, claim: str) -> datetime | None:
    value = payload.get(claim)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise JoseError("malformed_proof", f"JWT claim {claim!r} must be a NumericDate (seconds)")
    try:
        return datetime.fromtimestamp(value, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise JoseError("malformed_proof", f"JWT claim {claim!r} is out of range") from None


def _empty(value) -> bool:
    return value is None or value == "" or value == {} or value == []


def _xsd(dt: datetime) -> str:
    return iso(dt)


def _same_instant(text, dt: datetime) -> bool:
    try:
        parsed = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return False
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    try:  # NumericDate has whole seconds: 12:00:00.142Z and 12:00:00 are the same instant
        return int(parsed.timestamp()) == int(dt.timestamp())
    except ValueError:
        return False


def _classify(header: dict, payload: dict) -> tuple[str, str]:
    """The one JWT classifier (`formats.jwt.classify`), its refusal as a proof result code."""
    from lerwallet.formats.errors import FormatError
    from lerwallet.formats.jwt import classify

    try:
        return classify(header, payload)
    except FormatError as exc:
        raise JoseError("malformed_proof", exc.message) from None


def _document(kind: str, style: str, payload: dict, result: JwtResult) -> dict:
    """The credential/presentation, with VC 1.1 registered claims merged in and cross-checked."""
    if style == "jose-cose":
        doc = {k: v for k, v in payload.items()
               if k not in ("iss", "sub", "jti", "nbf", "exp", "iat", "aud", "nonce", "cnf")}
        iss = payload.get("iss")
        holder_or_issuer = _id_of(doc.get("issuer" if kind == "credential" else "holder"))
        if iss is not None and holder_or_issuer and iss != holder_or_issuer:
            raise JoseError("claim_mismatch", f"JWT iss {iss!r} is not the {'issuer' if kind == 'credential' else 'holder'} {holder_or_issuer!r}")
        return doc
    # VC Data Model 1.1 section 6.3.1: each registered claim sets its property. A property the
    # vc/vp claim leaves out, or gives as an empty value ("", {}, []: what JWT issuers that
    # move the values into the claims commonly write), is filled from the claim; a property
    # that states something else fails (claim_mismatch).
    doc = dict(payload["vc" if kind == "credential" else "vp"])
    jti, iss, sub = payload.get("jti"), payload.get("iss"), payload.get("sub")
    for claim, value in (("jti", jti), ("iss", iss), ("sub", sub)):
        if value is not None and (not isinstance(value, str) or not value):
            raise JoseError("malformed_proof", f"JWT claim {claim!r} must be a non-empty string")
    if jti is not None:
        if not _empty(doc.get("id")) and doc["id"] != jti:
            raise JoseError("claim_mismatch", f"JWT jti {jti!r} is not the {kind} id {doc['id']!r}")
        doc["id"] = jti
    party = "issuer" if kind == "credential" else "holder"
    if iss is not None:
        current = _id_of(doc.get(party))
        if current and current != iss:
            raise JoseError("claim_mismatch", f"JWT iss {iss!r} is not the {party} {current!r}")
        if not current:
            doc[party] = dict(doc[party], id=iss) if isinstance(doc.get(party), dict) else iss
    if kind == "credential" and sub is not None:
        subject = doc.get("credentialSubject")
        if _empty(subject):
            doc["credentialSubject"] = {"id": sub}
        elif isinstance(subject, dict):
            if not _empty(subject.get("id")) and subject["id"] != sub:
                raise JoseError("claim_mismatch", f"JWT sub {sub!r} is not the subject id {subject['id']!r}")
            doc["credentialSubject"] = dict(subject, id=sub)
        elif sub not in _subject_ids(doc):
            raise JoseError("claim_mismatch", f"JWT sub {sub!r} names no credential subject")
    for name in ("issuanceDate", "expirationDate", "validFrom", "validUntil"):
        if name in doc and _empty(doc[name]):
            del doc[name]  # filled from nbf / exp below, or absent as the JWT says
    v2 = "https://www.w3.org/ns/credentials/v2" in (doc.get("@context") or [])
    for claim, dt, names in (("nbf", result.not_before, ("validFrom",) if v2 else ("issuanceDate",)),
                             ("exp", result.expires, ("validUntil",) if v2 else ("expirationDate",))):
        if dt is None or kind != "credential":
            continue
        present = [n for n in ("issuanceDate", "validFrom", "expirationDate", "validUntil") if n in doc]
        target = names[0]
        if target in doc:
            if not _same_instant(doc[target], dt):
                result.warnings.append(f"JWT {claim} ({_xsd(dt)}) differs from {target} ({doc[target]}); the JWT claim is authoritative")
                doc[target] = _xsd(dt)
        elif not (claim == "nbf" and "validFrom" in present and v2):
            doc[target] = _xsd(dt)
    return doc


def decoded_vc11(payload: dict, kind: str = "credential") -> dict | None:
    """The document of an unverified VC 1.1 JWT payload as VC Data Model 1.1 section 6.3.1 reads
    it: the `vc` (`vp`) claim with `iss`, `sub`, `jti`, `nbf`, `exp` filled in where it leaves
    them out or empty. None when the payload is not a VC 1.1 JWT of that kind, or a claim
    contradicts the document (the proof stage names which: `claim_mismatch`)."""
    if not isinstance(payload, dict) or not isinstance(payload.get("vc" if kind == "credential" else "vp"), dict):
        return None
    result = JwtResult({}, payload, {}, ProofResult(SUITE, FAIL, "not checked", "malformed_proof"), kind, "vc11")
    try:
        result.not_before = _numeric_date(payload, "nbf")
        result.expires = _numeric_date(payload, "exp")
        return _document(kind, "vc11", payload, result)
    except JoseError:
        return None


# --- verification ------------------------------------------------------------------------------


def _fail(result: JwtResult, code: str, reason: str, *, outcome: str = FAIL, vm: str = "", controller: str = "",
          purpose: str = "") -> JwtResult:
    result.proof = ProofResult(SUITE, outcome, reason, code, vm, controller, purpose)
    return result


def _kid_url(header: dict, payload: dict, document: dict, kind: str) -> str:
    kid = header.get("kid")
    if kid is not None and not isinstance(kid, str):
        raise JoseError("missing_verification_method", "JWT kid must be a string")
    if not kid:
        return ""
    if kid.startswith("#") or ("#" not in kid and not kid.startswith(("did:", "https:"))):
        base = payload.get("iss") or _id_of(document.get("issuer" if kind == "credential" else "holder"))
        if not isinstance(base, str) or not base:
            raise JoseError("missing_verification_method", f"relative kid {kid!r} but no iss to resolve it against")
        return base.split("#", 1)[0] + (kid if kid.startswith("#") else "#" + kid)
    return kid


def verify_jwt(token, *, resolver, purpose: str | None = None, audience: str | None = None,
               nonce: str | None = None, now: datetime | None = None,
               trust_anchors: list[bytes] | None = None, crls: list[bytes] | None = None) -> JwtResult:
    """Verify a VC-JWT / vc+jwt credential or presentation. Never raises for bad input.

    `purpose` defaults to assertionMethod for credentials and authentication for
    presentations. `audience`/`nonce`, when given, must equal the token's `aud`/`nonce`.
    A signer identified by an `x5c` certificate chain follows the SD-JWT VC rule
    (`lerwallet.proofs.x5c`): the leaf's key must verify the signature, the chain must validate
    up to one of `trust_anchors` (DER certificates) at `now`, and an https issuer must be named
    by the leaf; without anchors the outcome is `unknown` (`untrusted_certificate_chain`).
    `crls` (DER) are the CRLs the chain's revocation is checked against (`proofs.x5c`).
    """
    result = JwtResult({}, {}, {}, ProofResult(SUITE, FAIL, "not checked", "malformed_proof"), "")
    try:
        header, payload, signing_input, signature = decode_compact(token)
        result.header, result.payload = header, payload
        alg = check_header(header)
        kind, style = _classify(header, payload)
        result.kind, result.style = kind, style
        purpose = purpose or ("assertionMethod" if kind == "credential" else "authentication")
        result.not_before = _numeric_date(payload, "nbf")
        result.expires = _numeric_date(payload, "exp")
        result.issued_at = _numeric_date(payload, "iat")
        result.document = _document(kind, style, payload, result)
        moment = now or datetime.now(timezone.utc)
        result.expired = bool(result.expires and result.expires <= moment)
        result.not_yet_valid = bool(result.not_before and result.not_before > moment)
        _check_audience_nonce(payload, audience, nonce)
        if "x5c" in header:
            return _check_x5c(result, alg, signing_input, signature, trust_anchors, moment, purpose, crls)
        return _check_key(result, alg, signing_input, signature, resolver, purpose)
    except JoseError as exc:
        return _fail(result, exc.code, exc.message, purpose=purpose or "")


def _check_audience_nonce(payload: dict, audience: str | None, nonce: str | None) -> None:
    if audience is not None:
        aud = payload.get("aud")
        auds = aud if isinstance(aud, list) else [aud]
        if audience not in auds:
            raise JoseError("domain_mismatch", f"JWT aud {aud!r} does not include {audience!r}")
    if nonce is not None and payload.get("nonce") != nonce:
        raise JoseError("challenge_mismatch", f"JWT nonce {payload.get('nonce')!r} is not {nonce!r}")


def _check_key(result: JwtResult, alg: str, signing_input: bytes, signature: bytes, resolver,
               purpose: str) -> JwtResult:
    from lerwallet.keys.resolver import ResolutionError

    header, payload, kind = result.header, result.payload, result.kind
    vm_url = _kid_url(header, payload, result.document, kind)
    if not vm_url:
        iss = payload.get("iss") or _id_of(result.document.get("issuer" if kind == "credential" else "holder"))
        if isinstance(iss, str) and iss.startswith(("did:key:", "did:jwk:")):
            vm_url = iss  # the DID names exactly one key
        elif isinstance(header.get("jwk"), dict):
            return _header_jwk_only(result, alg, signing_input, signature, purpose)
        elif isinstance(iss, str) and iss.startswith("https://"):
            return _fail(result, "verification_method_unresolvable",
                         f"JWT has no kid; the key would have to come from the issuer profile at {iss}",
                         outcome=UNKNOWN, purpose=purpose)
        else:
            raise JoseError("missing_verification_method", "JWT has no kid and its issuer names no single key")
    try:
        vm = resolver.dereference(vm_url)
    except ResolutionError as exc:
        code = _RESOLUTION_CODES.get(exc.code, "verification_method_unresolvable")
        outcome = UNKNOWN if code in ("offline", "network", "unsupported_method", "unsupported_key_type") else FAIL
        if exc.code in ("not_found", "malformed", "id_mismatch", "controller_mismatch", "invalid_did"):
            code, outcome = "verification_method_unresolvable", FAIL
        return _fail(result, code, f"cannot resolve {vm_url}: {exc.message}", outcome=outcome, vm=vm_url,
                     purpose=purpose)
    if not verify_signature(alg, vm.key_type, vm.public_key, vm.jwk, signing_input, signature):
        return _fail(result, "invalid_signature", "signature does not verify", vm=vm.id, controller=vm.controller,
                     purpose=purpose)
    if not resolver.is_authorized(vm, purpose):
        return _fail(result, "verification_method_not_authorized", f"{vm.id} is not listed under {purpose}",
                     vm=vm.id, controller=vm.controller, purpose=purpose)
    signer = _id_of(result.document.get("issuer" if kind == "credential" else "holder")) or payload.get("iss")
    if signer and signer.split("#", 1)[0] != vm.controller.split("#", 1)[0]:
        return _fail(result, "controller_mismatch", f"signed by {vm.controller}, but the {'issuer' if kind == 'credential' else 'holder'} is {signer}",
                     vm=vm.id, controller=vm.controller, purpose=purpose)
    result.proof = ProofResult(SUITE, PASS, f"{alg} signature by {vm.id}", "", vm.id, vm.controller, purpose,
                               _iso(result.issued_at or result.not_before) or "")
    return result


def _check_x5c(result: JwtResult, alg: str, signing_input: bytes, signature: bytes, anchors, now: datetime,
               purpose: str, crls=None) -> JwtResult:
    """The signer named by an `x5c` chain: the same rule and code as SD-JWT VC (`proofs.x5c`)."""
    from lerwallet.proofs.x5c import x5c_issuer

    party = "issuer" if result.kind == "credential" else "holder"
    signer = _id_of(result.document.get(party)) or result.payload.get("iss")
    signer = signer if isinstance(signer, str) else ""
    key, pending, note = x5c_issuer(result.header, signer, anchors, now, purpose, suite=SUITE, error=JoseError, crls=crls)
    if isinstance(key, ProofResult):
        result.proof = key
        return result
    key_type, public, jwk, vm_id, controller = key
    if not verify_signature(alg, key_type, public, jwk, signing_input, signature):
        return _fail(result, "invalid_signature", "signature does not verify with the x5c leaf certificate's key",
                     vm=vm_id, controller=controller, purpose=purpose)
    if pending is not None:
        result.proof = pending
        return result
    result.proof = ProofResult(SUITE, PASS, f"{alg} signature by the x5c leaf certificate ({vm_id[4:]}){note}", "", vm_id,
                               controller, purpose, _iso(result.issued_at or result.not_before) or "")
    return result


def _header_jwk_only(result: JwtResult, alg, signing_input, signature, purpose) -> JwtResult:
    try:
        key_type, public = jwk_to_public(result.header["jwk"])
    except JwkError as exc:
        raise JoseError("malformed_proof", f"bad jwk in JWT header: {exc}") from None
    if not verify_signature(alg, key_type, public, result.header["jwk"], signing_input, signature):
        return _fail(result, "invalid_signature", "signature does not verify with the key in the JWT header",
                     purpose=purpose)
    return _fail(result, "header_key_unbound",
                 "signature matches the key embedded in the JWT header, but nothing binds that key to the issuer",
                 outcome=UNKNOWN, purpose=purpose)


# --- signing -----------------------------------------------------------------------------------


def _epoch(text) -> int | None:
    if not isinstance(text, str):
        return None
    try:
        return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())
    except ValueError:
        return None


def sign_jwt(document: dict, *, key_type: str, private_key: bytes, kid: str, style: str = "jose-cose",
             audience: str | None = None, nonce: str | None = None, now: datetime | None = None,
             expires: datetime | None = None, unsafe_unchecked: bool = False) -> str:
    """Sign a credential or presentation as a JWT. The document must not carry a `proof`.
    `expires` sets `exp` (a presentation's end of validity). The document is validated first
    (`lerwallet.proofs.prepare`, `NotSignable`); `unsafe_unchecked=True` skips that (tests only)."""
    if "proof" in document:
        raise JoseError("malformed_proof", "remove the Data Integrity proof before securing as a JWT")
    if not unsafe_unchecked:
        from lerwallet.proofs.prepare import check_before_signing

        check_before_signing(document, verification_method=kid, securing="jwt")
    types = document.get("type")
    types = types if isinstance(types, list) else [types]
    kind = "presentation" if "VerifiablePresentation" in types else "credential"
    iat = int((now or datetime.now(timezone.utc)).timestamp()) if now else int(time.time())
    header = {"alg": DEFAULT_ALG[key_type], "kid": kid}
    extra = {k: v for k, v in (("aud", audience), ("nonce", nonce)) if v is not None}
    if expires is not None:
        extra["exp"] = int(expires.timestamp())
    if style == "jose-cose":
        header["typ"] = "vp+jwt" if kind == "presentation" else "vc+jwt"
        header["cty"] = "vp" if kind == "presentation" else "vc"
        payload = dict(document, **extra)
        if kind == "presentation":
            payload.setdefault("iat", iat)
    elif style == "vc11":
        header["typ"] = "JWT"
        party = _id_of(document.get("holder" if kind == "presentation" else "issuer"))
        payload = {"vp" if kind == "presentation" else "vc": document, "iat": iat, **extra}
        if party:
            payload["iss"] = party
        if isinstance(document.get("id"), str):
            payload["jti"] = document["id"]
        if kind == "credential":
            subjects = _subject_ids(document)
            if len(subjects) == 1:
                payload["sub"] = subjects[0]
            nbf = _epoch(document.get("issuanceDate") or document.get("validFrom"))
            exp = _epoch(document.get("expirationDate") or document.get("validUntil"))
            payload.update({k: v for k, v in (("nbf", nbf), ("exp", exp)) if v is not None})
    else:
        raise JoseError("malformed_proof", f"unknown JWT style {style!r} (want 'jose-cose' or 'vc11')")
    return sign_compact(header, payload, key_type=key_type, private_key=private_key)
