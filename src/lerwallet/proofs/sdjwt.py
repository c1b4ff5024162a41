"""SD-JWT (IETF SD-JWT) and SD-JWT VC: issue, present (select disclosures, key binding), verify.

Compact form: `<issuer-signed JWT>~<disclosure>~...~<disclosure>~[<KB-JWT>]`.
A disclosure is base64url(JSON `[salt, name, value]`) for an object member or `[salt, value]` for
an array element; the payload holds its digest, base64url(SHA-256(disclosure text)), in an `_sd`
array or as `{"...": digest}` in place of the array element.

Verification follows the SD-JWT processing rules: the issuer signature is checked first, then
every disclosure must be referenced exactly once by a digest, no digest may appear twice, no
disclosed name may collide with a clear one, and a KB-JWT (`typ` kb+jwt) must be signed by the
`cnf.jwk` key over the exact presentation (`sd_hash`), with the expected `aud` and `nonce`.
Only the compact serialization and `_sd_alg` sha-256 are supported.
Paths name claims as JSON Pointers (`/address/street_address`, `/nationalities/0`) or tuples.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone

from lerwallet import crypto
from lerwallet.jsonutil import loads_untrusted
from lerwallet.keys.jwk import DEFAULT_ALG, JwkError, jwk_to_public, public_to_jwk
from lerwallet.keys.multibase import MultibaseError, b64url_decode, b64url_encode
from lerwallet.proofs.jose import (
    JoseError,
    _RESOLUTION_CODES,
    check_header,
    decode_compact,
    sign_compact,
    verify_signature,
)
from lerwallet.proofs.result import FAIL, PASS, UNKNOWN, ProofResult
from lerwallet.utc import from_timestamp

SUITE = "sd-jwt"
KB_TYP = "kb+jwt"
NOT_DISCLOSABLE = {"iss", "nbf", "exp", "cnf", "vct", "status", "_sd_alg", "_sd", "..."}
MAX_TOKEN = 1024 * 1024
KB_SKEW_SECONDS = 300
# SD-JWT (draft-ietf-oauth-selective-disclosure-jwt, "Key Binding JWT" verification): the verifier
# MUST check that iat is within an acceptable window. A KB-JWT older than this (plus the skew) is a
# replay of an earlier presentation, whatever nonce it carries.
KB_MAX_AGE_SECONDS = 300


class SdJwtError(JoseError):
    """An SD-JWT that cannot be built, presented or parsed."""


@dataclass
class SdJwtResult:
    """What verifying one SD-JWT found; `document` (the disclosed claims) is unverified data
    until `proof.outcome == "pass"`."""

    header: dict
    payload: dict
    document: dict
    proof: ProofResult
    kind: str = "credential"
    key_binding: ProofResult | None = None
    disclosed: list[str] = field(default_factory=list)  # JSON Pointers of disclosed claims
    expires: datetime | None = None
    expired: bool = False
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"kind": self.kind, "header": self.header, "proof": self.proof.to_dict(),
                "key_binding": self.key_binding.to_dict() if self.key_binding else None,
                "disclosed": self.disclosed, "expired": self.expired, "warnings": self.warnings}


# --- paths -------------------------------------------------------------------------------------


def _path(value) -> tuple:
    if isinstance(value, (tuple, list)):
        return tuple(value)
    if not isinstance(value, str) or not value.startswith("/"):
        raise SdJwtError("malformed_proof", f"claim path must be a JSON Pointer like '/address/street': {value!r}")
    parts = [p.replace("~1", "/").replace("~0", "~") for p in value[1:].split("/")]
    return tuple(int(p) if p.isdigit() else p for p in parts)


def _pointer(path: tuple) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _digest(disclosure: str) -> str:
    return b64url_encode(crypto.sha256(disclosure.encode("ascii")))


def _disclosure(parts: list) -> str:
    return b64url_encode(json.dumps(parts, ensure_ascii=False).encode("utf-8"))


# --- issuing -----------------------------------------------------------------------------------


def create_sd_jwt(claims: dict, disclosable, *, key_type: str, private_key: bytes, kid: str | None = None,
                  holder_jwk: dict | None = None, typ: str = "dc+sd-jwt", decoys: int = 0,
                  extra_header: dict | None = None, random=crypto.random_bytes) -> str:
    """Issue an SD-JWT: `disclosable` paths become disclosures (nested paths inside a disclosable
    value are handled first, so a value can itself contain disclosable parts).

    `holder_jwk` goes into `cnf` for key binding; `decoys` adds that many decoy digests to each
    object with disclosable members. Returns the issuance form `<jwt>~<d1>~...~`.
    """
    if not isinstance(claims, dict):
        raise SdJwtError("malformed_proof", "SD-JWT claims must be a JSON object")
    wanted = {_path(p) for p in disclosable}
    for path in wanted:
        if not path or (len(path) == 1 and path[0] in NOT_DISCLOSABLE) or path[-1] in ("_sd", "..."):
            raise SdJwtError("malformed_proof", f"{_pointer(path) or '/'} cannot be selectively disclosable")
    found: set = set()
    disclosures: list[str] = []

    def salt() -> str:
        return b64url_encode(random(16))

    def build(value, path):
        if isinstance(value, dict):
            out, digests = {}, []
            for name, item in value.items():
                if name in ("_sd", "..."):
                    raise SdJwtError("malformed_proof", f"claim name {name!r} is reserved by SD-JWT")
                item = build(item, path + (name,))
                if path + (name,) in wanted:
                    found.add(path + (name,))
                    text = _disclosure([salt(), name, item])
                    disclosures.append(text)
                    digests.append(_digest(text))
                else:
                    out[name] = item
            if digests:
                digests += [b64url_encode(crypto.sha256(random(32))) for _ in range(decoys)]
                out["_sd"] = sorted(digests)
            return out
        if isinstance(value, list):
            out = []
            for i, item in enumerate(value):
                item = build(item, path + (i,))
                if path + (i,) in wanted:
                    found.add(path + (i,))
                    text = _disclosure([salt(), item])
                    disclosures.append(text)
                    out.append({"...": _digest(text)})
                else:
                    out.append(item)
            return out
        return value

    payload = build(claims, ())
    missing = wanted - found
    if missing:
        raise SdJwtError("malformed_proof", f"no such claim: {', '.join(sorted(_pointer(p) for p in missing))}")
    payload["_sd_alg"] = "sha-256"
    if holder_jwk is not None:
        jwk_to_public(holder_jwk)
        payload["cnf"] = {"jwk": holder_jwk}
    header = {"alg": DEFAULT_ALG[key_type], "typ": typ, **(extra_header or {})}
    if kid:
        header["kid"] = kid
    jwt = sign_compact(header, payload, key_type=key_type, private_key=private_key)
    return "~".join([jwt, *disclosures, ""])


# --- parsing and reconstruction ----------------------------------------------------------------


@dataclass
class _Parsed:
    jwt: str
    disclosures: list[str]
    kb_jwt: str
    header: dict
    payload: dict
    signing_input: bytes
    signature: bytes
    decoded: dict  # digest -> decoded disclosure list


def _parse(token) -> _Parsed:
    if not isinstance(token, str):
        raise SdJwtError("malformed_proof", "SD-JWT must be text")
    token = token.strip()
    if len(token) > MAX_TOKEN:
        raise SdJwtError("malformed_proof", "SD-JWT is too large")
    if "~" not in token:
        raise SdJwtError("malformed_proof", "not an SD-JWT (no '~' separator); JSON serialization is not supported")
    parts = token.split("~")
    jwt, disclosures, kb = parts[0], parts[1:-1], parts[-1]
    header, payload, signing_input, signature = decode_compact(jwt)
    decoded = {}
    for text in disclosures:
        if not text:
            raise SdJwtError("invalid_disclosure", "empty disclosure between '~' separators")
        try:
            value = loads_untrusted(b64url_decode(text))
        except (MultibaseError, UnicodeDecodeError, ValueError):
            raise SdJwtError("invalid_disclosure", "a disclosure is not base64url-encoded JSON") from None
        if not isinstance(value, list) or len(value) not in (2, 3) or not isinstance(value[0], str):
            raise SdJwtError("invalid_disclosure", "a disclosure must be [salt, value] or [salt, name, value]")
        if len(value) == 3 and (not isinstance(value[1], str) or value[1] in ("_sd", "...")):
            raise SdJwtError("invalid_disclosure", f"disclosure claim name {value[1]!r} is not allowed")
        digest = _digest(text)
        if digest in decoded:
            raise SdJwtError("invalid_disclosure", "the same disclosure appears twice")
        decoded[digest] = value
    return _Parsed(jwt, disclosures, kb, header, payload, signing_input, signature, decoded)


def _reconstruct(parsed: _Parsed, *, keep=None) -> tuple[dict, list[tuple], dict]:
    """(claims, disclosed paths, digest -> path). `keep(path)` filters disclosures (presenting)."""
    seen: set[str] = set()
    used: dict[str, tuple] = {}
    disclosed: list[tuple] = []

    def take(digest, path):
        if not isinstance(digest, str):
            raise SdJwtError("invalid_disclosure", f"digest at {_pointer(path) or '/'} is not a string")
        if digest in seen:
            raise SdJwtError("invalid_disclosure", f"digest {digest} appears more than once")
        seen.add(digest)
        value = parsed.decoded.get(digest)
        if value is None or (keep is not None and not keep(path)):
            return None
        used[digest] = path
        disclosed.append(path)
        return value

    def walk(node, path):
        if isinstance(node, dict):
            out = {}
            digests = node.get("_sd", [])
            if not isinstance(digests, list):
                raise SdJwtError("invalid_disclosure", f"_sd at {_pointer(path) or '/'} is not an array")
            for name, item in node.items():
                if name != "_sd" and not (name == "_sd_alg" and not path):
                    out[name] = walk(item, path + (name,))
            for digest in digests:
                peek = parsed.decoded.get(digest) if isinstance(digest, str) else None
                name = peek[1] if peek and len(peek) == 3 else None
                value = take(digest, path + ((name,) if name is not None else ("?",)))
                if value is None:
                    continue
                if len(value) != 3:
                    raise SdJwtError("invalid_disclosure", "an array-element disclosure is referenced from an _sd array")
                if name in out:
                    raise SdJwtError("invalid_disclosure", f"disclosed claim {name!r} already exists at {_pointer(path) or '/'}")
                if keep is None and (name in ("_sd", "...") or (not path and name in NOT_DISCLOSABLE)):
                    # exp/nbf/cnf/status/iss/vct are judged by the verifier: sent as a disclosure they
                    # would be read as a claim and never judged (SD-JWT VC: they MUST NOT be disclosable).
                    raise SdJwtError("invalid_disclosure", f"claim {name!r} must not be selectively disclosable")
                out[name] = walk(value[2], path + (name,))
            return out
        if isinstance(node, list):
            out = []
            for i, item in enumerate(node):
                if isinstance(item, dict) and "..." in item:
                    if len(item) != 1:
                        raise SdJwtError("invalid_disclosure", "an array digest object must hold only '...'")
                    value = take(item["..."], path + (i,))
                    if value is None:
                        continue
                    if len(value) != 2:
                        raise SdJwtError("invalid_disclosure", "an object-member disclosure is referenced from an array")
                    out.append(walk(value[1], path + (i,)))
                else:
                    out.append(walk(item, path + (i,)))
            return out
        return node

    claims = walk(parsed.payload, ())
    if keep is None:
        unused = set(parsed.decoded) - set(used)
        if unused:
            raise SdJwtError("invalid_disclosure", f"{len(unused)} disclosure(s) not referenced by any digest")
    return claims, disclosed, used


def all_claims(sd_jwt: str) -> tuple[dict, list[str]]:
    """(every claim with all disclosures applied, JSON Pointers of the claims that can be withheld).

    Unverified: for choosing what to disclose and matching requests, never for trusting."""
    if not isinstance(sd_jwt, str) or "~" not in sd_jwt:
        raise SdJwtError("malformed_proof", "not an SD-JWT (no '~' separator)")
    without_kb = sd_jwt.strip().rsplit("~", 1)[0] + "~"
    claims, disclosed, _ = _reconstruct(_parse(without_kb))
    return claims, [_pointer(p) for p in disclosed]


# --- presenting --------------------------------------------------------------------------------

def _selector(disclose):
    """A predicate on claim paths from a list of paths or a mirror of the claims (sd-jwt-python style)."""
    if isinstance(disclose, dict):
        def keep_mirror(path):
            node = disclose
            for step in path:
                if isinstance(node, dict) and isinstance(step, str):
                    node = node.get(step)
                elif isinstance(node, list) and isinstance(step, int) and step < len(node):
                    node = node[step]
                else:
                    return False
            return node is not None and node is not False
        return keep_mirror
    wanted = [_path(p) for p in disclose]

    def keep_paths(path):  # ancestors of a wanted claim, the claim, and everything inside it
        return any(w[:len(path)] == path or path[:len(w)] == w for w in wanted)
    return keep_paths


def present(sd_jwt: str, disclose, *, holder_key: tuple[str, bytes] | None = None, aud: str | None = None,
            nonce: str | None = None, now: datetime | None = None) -> str:
    """Keep only the disclosures needed for `disclose` (paths, or a mirror dict) and, with a
    `holder_key` (key_type, private key), append a KB-JWT bound to `aud` and `nonce`."""
    parsed = _parse(sd_jwt)
    if parsed.kb_jwt:
        raise SdJwtError("malformed_proof", "this SD-JWT already carries a key binding JWT")
    _, _, used = _reconstruct(parsed, keep=_selector(disclose))
    kept = [d for d in parsed.disclosures if _digest(d) in used]
    presentation = "~".join([parsed.jwt, *kept, ""])
    if holder_key is None:
        return presentation
    if aud is None or nonce is None:
        raise SdJwtError("malformed_proof", "key binding needs both an audience and a nonce")
    key_type, private = holder_key
    iat = int((now or datetime.now(timezone.utc)).timestamp())
    kb = sign_compact({"alg": DEFAULT_ALG[key_type], "typ": KB_TYP},
                      {"iat": iat, "aud": aud, "nonce": nonce, "sd_hash": _digest(presentation)},
                      key_type=key_type, private_key=private)
    return presentation + kb


# --- verification ------------------------------------------------------------------------------


def _issuer_key(parsed: _Parsed, resolver, issuer_jwk, purpose, fetch=None):
    """(key_type, public, jwk, vm_id, controller) or a ProofResult when the key cannot be had."""
    from lerwallet.keys.resolver import ResolutionError

    header, payload = parsed.header, parsed.payload
    iss = payload.get("iss") if isinstance(payload.get("iss"), str) else ""
    if issuer_jwk is not None:
        try:
            key_type, public = jwk_to_public(issuer_jwk)
        except JwkError as exc:
            raise SdJwtError("malformed_proof", f"issuer key: {exc}") from None
        return key_type, public, issuer_jwk, "", iss
    kid = header.get("kid")
    if iss.startswith("https:") and not (isinstance(kid, str) and kid.startswith("https:")):
        # An https issuer's keys come from its JWT VC Issuer Metadata, never from a DID in `kid`
        # that nothing ties to `iss` (anyone can mint a did:key).
        if isinstance(kid, str) and kid.startswith("did:"):
            return ProofResult(SUITE, FAIL, f"kid {kid} is a DID that the https issuer {iss} does not control",
                               "controller_mismatch", kid, "", purpose)
        return _metadata_key(iss, kid, fetch, purpose)
    vm_url = ""
    if isinstance(kid, str) and kid:
        if kid.startswith(("did:", "https:")):
            vm_url = kid
        elif iss.startswith("did:"):
            vm_url = iss.split("#", 1)[0] + (kid if kid.startswith("#") else "#" + kid)
    elif iss.startswith(("did:key:", "did:jwk:")):
        vm_url = iss
    if not vm_url:
        return ProofResult(SUITE, UNKNOWN, "no kid or issuer DID to find the issuer key",
                           "verification_method_unresolvable", "", iss, purpose)
    if resolver is None:
        return ProofResult(SUITE, UNKNOWN, "no resolver for the issuer key", "verification_method_unresolvable",
                           vm_url, "", purpose)
    try:
        vm = resolver.dereference(vm_url)
    except ResolutionError as exc:
        code = _RESOLUTION_CODES.get(exc.code, "verification_method_unresolvable")
        outcome = UNKNOWN if exc.code in _RESOLUTION_CODES else FAIL
        return ProofResult(SUITE, outcome, f"cannot resolve {vm_url}: {exc.message}", code, vm_url, "", purpose)
    if not resolver.is_authorized(vm, "assertionMethod"):
        return ProofResult(SUITE, FAIL, f"{vm.id} is not listed under assertionMethod",
                           "verification_method_not_authorized", vm.id, vm.controller, purpose)
    if (iss.startswith("did:") and iss.split("#", 1)[0] != vm.controller) or (iss.startswith("https:") and vm.controller != iss):
        return ProofResult(SUITE, FAIL, f"signed by {vm.controller}, but iss is {iss}", "controller_mismatch",
                           vm.id, vm.controller, purpose)
    return vm.key_type, vm.public_key, vm.jwk, vm.id, vm.controller


def _x5c_issuer(parsed: _Parsed, anchors, now: datetime, purpose: str, crls=None):
    """(key tuple or failing ProofResult, pending ProofResult or None, note) for an `x5c` issuer:
    the one rule shared with VC-JWT, `lerwallet.proofs.x5c.x5c_issuer`."""
    from lerwallet.proofs.x5c import x5c_issuer

    iss = parsed.payload.get("iss") if isinstance(parsed.payload.get("iss"), str) else ""
    return x5c_issuer(parsed.header, iss, anchors, now, purpose, suite=SUITE, error=SdJwtError, crls=crls)


def metadata_url(iss: str) -> str:
    """SD-JWT VC: JWT VC Issuer Metadata lives at /.well-known/jwt-vc-issuer inserted between the
    host and the path of `iss` (https://example.com/tenant -> https://example.com/.well-known/jwt-vc-issuer/tenant)."""
    from urllib.parse import urlsplit

    parts = urlsplit(iss)
    path = parts.path.rstrip("/")
    return f"https://{parts.netloc}/.well-known/jwt-vc-issuer{path}"


def _metadata_key(iss: str, kid, fetch, purpose):
    """The issuer key from JWT VC Issuer Metadata (`jwks` inline or `jwks_uri`), fetched with the
    caller's `fetch(url) -> bytes` (None offline: unknown, with the reason)."""
    if fetch is None:
        return ProofResult(SUITE, UNKNOWN, f"the issuer key of {iss} comes from its JWT VC issuer metadata "
                           f"({metadata_url(iss)}), which is only fetched online (--online)", "offline", "", iss, purpose)
    try:
        meta = _fetch_json(fetch, metadata_url(iss))
        if meta.get("issuer") != iss:
            return ProofResult(SUITE, FAIL, f"issuer metadata names issuer {meta.get('issuer')!r}, not {iss}",
                               "controller_mismatch", "", iss, purpose)
        jwks = meta.get("jwks")
        if jwks is None and isinstance(meta.get("jwks_uri"), str) and meta["jwks_uri"].startswith("https://"):
            jwks = _fetch_json(fetch, meta["jwks_uri"])
        keys = [k for k in (jwks or {}).get("keys", []) if isinstance(k, dict)] if isinstance(jwks, dict) else []
    except SdJwtError as exc:
        return ProofResult(SUITE, UNKNOWN, f"issuer metadata of {iss}: {exc.message}", "network", "", iss, purpose)
    matching = [k for k in keys if kid is None or k.get("kid") == kid]
    if len(matching) != 1:
        why = "no key" if not matching else "several keys"
        return ProofResult(SUITE, FAIL, f"issuer metadata of {iss} has {why} for kid {kid!r}",
                           "verification_method_unresolvable", "", iss, purpose)
    try:
        key_type, public = jwk_to_public(matching[0])
    except JwkError as exc:
        return ProofResult(SUITE, FAIL, f"issuer metadata key: {exc}", "malformed_proof", "", iss, purpose)
    return key_type, public, matching[0], f"{metadata_url(iss)}#{kid or ''}", iss


def _fetch_json(fetch, url: str) -> dict:
    try:
        from lerwallet.jsonutil import loads_untrusted

        doc = loads_untrusted(fetch(url))
    except Exception as exc:  # network and parse failures are a reason, never a crash
        raise SdJwtError("network", f"cannot fetch {url}: {getattr(exc, 'message', None) or exc}") from None
    if not isinstance(doc, dict):
        raise SdJwtError("network", f"{url} is not a JSON object")
    return doc


def _check_key_binding(parsed: _Parsed, token: str, audience, nonce, now, max_age: float = KB_MAX_AGE_SECONDS) -> ProofResult:
    try:
        header, payload, signing_input, signature = decode_compact(parsed.kb_jwt)
        if header.get("typ") != KB_TYP:
            raise SdJwtError("malformed_proof", f"key binding JWT typ must be {KB_TYP}")
        alg = check_header(header)
        cnf = parsed.payload.get("cnf")
        if not isinstance(cnf, dict) or not isinstance(cnf.get("jwk"), dict):
            raise SdJwtError("malformed_proof", "key binding JWT present but the SD-JWT has no cnf.jwk")
        try:
            key_type, public = jwk_to_public(cnf["jwk"])
        except JwkError as exc:
            raise SdJwtError("malformed_proof", f"cnf.jwk: {exc}") from None
        if not verify_signature(alg, key_type, public, cnf["jwk"], signing_input, signature):
            return ProofResult("kb-jwt", FAIL, "key binding signature does not verify", "invalid_signature")
        presented = token.strip()[: -len(parsed.kb_jwt)]
        if payload.get("sd_hash") != _digest(presented):
            return ProofResult("kb-jwt", FAIL, "key binding sd_hash does not match this presentation",
                               "invalid_signature")
        iat = payload.get("iat")
        if isinstance(iat, bool) or not isinstance(iat, (int, float)):
            raise SdJwtError("malformed_proof", "key binding JWT needs a numeric iat")
        moment = (now or datetime.now(timezone.utc)).timestamp()
        if iat > moment + KB_SKEW_SECONDS:
            return ProofResult("kb-jwt", FAIL, "key binding JWT is issued in the future", "proof_expired")
        if iat < moment - max_age - KB_SKEW_SECONDS:
            issued = from_timestamp(max(iat, 0))
            return ProofResult("kb-jwt", FAIL, f"key binding JWT issued at {issued}, more than {int(max_age)} s before "
                               "the check: a replay of an earlier presentation", "proof_expired")
        if audience is not None and payload.get("aud") != audience:
            return ProofResult("kb-jwt", FAIL, f"key binding aud {payload.get('aud')!r} is not {audience!r}",
                               "domain_mismatch")
        if nonce is not None and payload.get("nonce") != nonce:
            return ProofResult("kb-jwt", FAIL, f"key binding nonce {payload.get('nonce')!r} is not {nonce!r}",
                               "challenge_mismatch")
        created = from_timestamp(iat)
        return ProofResult("kb-jwt", PASS, f"{alg} key binding by the cnf key", "", "", "", "authentication", created)
    except JoseError as exc:
        return ProofResult("kb-jwt", FAIL, exc.message, exc.code)


def verify_sd_jwt(token, *, resolver=None, issuer_jwk: dict | None = None, purpose: str | None = None,
                  audience: str | None = None, nonce: str | None = None, now: datetime | None = None,
                  require_key_binding: bool | None = None, fetch=None, max_kb_age: float = KB_MAX_AGE_SECONDS,
                  trust_anchors: list[bytes] | None = None, crls: list[bytes] | None = None) -> SdJwtResult:
    """Verify an SD-JWT (issuance or presentation). Never raises for bad input.

    The issuer key comes from `issuer_jwk` when given (the caller vouches for it), else from
    `kid`/`iss` through `resolver`; for an https `iss`, from its JWT VC Issuer Metadata through
    `fetch(url) -> bytes` (None: offline, outcome unknown), and a DID `kid` fails
    (controller_mismatch): nothing ties it to the https issuer. Key binding is required when
    `audience` or `nonce` is given (or `require_key_binding=True`) and always checked when present;
    a key binding JWT whose `iat` is more than `max_kb_age` seconds (plus skew) before `now` fails.
    An issuer identified by an `x5c` certificate chain: the leaf's key must verify the signature
    and the chain must validate up to one of `trust_anchors` (DER certificates) at `now`; an
    https `iss` must be named by the leaf (URI or DNS subject alternative name). Without
    anchors the outcome is `unknown` (`untrusted_certificate_chain`), never pass. `crls` (DER) are
    the CRLs the chain's revocation is checked against (`proofs.x5c`).
    """
    purpose = purpose or "assertionMethod"
    result = SdJwtResult({}, {}, {}, ProofResult(SUITE, FAIL, "not checked", "malformed_proof"))
    try:
        parsed = _parse(token)
        result.header, result.payload = parsed.header, parsed.payload
        alg = check_header(parsed.header)
        if parsed.header.get("typ") == KB_TYP:
            raise SdJwtError("malformed_proof", "the issuer-signed JWT has typ kb+jwt")
        sd_alg = parsed.payload.get("_sd_alg", "sha-256")
        if sd_alg != "sha-256":
            raise SdJwtError("malformed_proof", f"unsupported _sd_alg {sd_alg!r} (only sha-256)")
        pending, note = None, ""
        if issuer_jwk is None and "x5c" in parsed.header:
            key, pending, note = _x5c_issuer(parsed, trust_anchors, now or datetime.now(timezone.utc), purpose, crls)
        else:
            key = _issuer_key(parsed, resolver, issuer_jwk, purpose, fetch)
        if isinstance(key, ProofResult) and key.outcome == FAIL:
            result.proof = key
            return result
        issuer_proof = key if isinstance(key, ProofResult) else None
        if issuer_proof is None:
            key_type, public, jwk, vm_id, controller = key
            if not verify_signature(alg, key_type, public, jwk, parsed.signing_input, parsed.signature):
                result.proof = ProofResult(SUITE, FAIL, "issuer signature does not verify"
                                           + (" with the x5c leaf certificate's key" if pending or vm_id.startswith("x5c:") else ""),
                                           "invalid_signature", vm_id, controller, purpose)
                return result
            issuer_proof = pending
        claims, disclosed, _ = _reconstruct(parsed)
        result.document, result.disclosed = claims, [_pointer(p) for p in disclosed]
        exp = parsed.payload.get("exp")
        if isinstance(exp, (int, float)) and not isinstance(exp, bool):
            result.expires = datetime.fromtimestamp(exp, tz=timezone.utc)
            result.expired = result.expires <= (now or datetime.now(timezone.utc))
        needs_kb = require_key_binding or audience is not None or nonce is not None
        if parsed.kb_jwt:
            result.key_binding = _check_key_binding(parsed, token, audience, nonce, now, max_kb_age)
            if result.key_binding.outcome != PASS:
                kb = result.key_binding
                result.proof = ProofResult(SUITE, FAIL, f"key binding: {kb.reason}", kb.code, "", "", purpose)
                return result
        elif needs_kb:
            result.proof = ProofResult(SUITE, FAIL, "a key binding JWT is required but absent",
                                       "challenge_mismatch", "", "", purpose)
            return result
        if issuer_proof is not None:
            result.proof = issuer_proof
        else:
            result.proof = ProofResult(SUITE, PASS, f"{alg} issuer signature{note}; {len(disclosed)} disclosure(s) checked",
                                       "", vm_id, controller, purpose)
        return result
    except JoseError as exc:
        result.proof = ProofResult(SUITE, FAIL, exc.message, exc.code, "", "", purpose)
        return result


verify = verify_sd_jwt


def holder_jwk_for(key_type: str, private_key: bytes) -> dict:
    """The public JWK to put in `cnf` for a holder's private key."""
    return public_to_jwk(key_type, crypto.public_key_of(key_type, private_key))
