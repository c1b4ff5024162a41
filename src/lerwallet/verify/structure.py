"""Stage 1: structure. Known contexts, the data model's required fields, types, ids, dates.

Cheap checks that need no key and no network, so a malformed credential is named as such
rather than reported as a bad signature.
"""

from __future__ import annotations

from lerwallet.verify import vcdm
from lerwallet.verify.report import FAIL, PASS, UNKNOWN, WARN, Check
from lerwallet.verify.state import CredentialState, as_list
from lerwallet.verify.vcdm import V1, V2, data_model, is_uri  # noqa: F401  (re-exported: other modules import them from here)


def run(state: CredentialState, *, online: bool = False, loader=None) -> list[Check]:
    if state.securing == "sd-jwt" and "@context" not in state.doc:
        return [_sd_jwt_vc(state.doc)]
    doc = state.doc
    checks = []
    claims = _unverified_claims(state) if state.securing == "jwt" else {}
    iss = claims.get("iss") if is_uri(claims.get("iss")) else ""
    problems = vcdm.credential_problems(doc, securing=state.securing, issuer_from_jwt=iss)
    context = contexts_check(doc, online=online)
    # An unsigned document's JSON-LD is judged here (the proof stage only says "no proof"); a
    # signed one's by the proof stage, which canonicalizes it anyway, within its work limits.
    if not problems and state.securing == "ldp" and "proof" not in doc and loader is not None and context.outcome == PASS:
        found = vcdm.jsonld_problem(doc, loader)
        if found is not None:
            problems.append(found)
    model = data_model(doc)
    if problems:
        code, _ = problems[0]
        checks.append(Check("structure", FAIL, "; ".join(r for _, r in problems), code,
                            {"problems": [c for c, _ in problems]}))
    else:
        checks.append(Check("structure", PASS, f"VC data model {model or 'JWT'}; required fields present"))
    checks.append(context)
    if "relatedResource" in doc and not problems:
        checks.append(related_resources(doc, loader))
    return checks


def _unverified_claims(state: CredentialState) -> dict:
    """The JWT claims as received (the proof stage has not run yet): only to decide whether the
    token is well formed; the proof stage checks the signature and that `iss` is the issuer."""
    from lerwallet.formats.errors import FormatError
    from lerwallet.formats.jwt import b64url_json

    parts = (state.token or "").split(".")
    if len(parts) != 3:
        return {}
    try:
        return b64url_json(parts[1])
    except FormatError:
        return {}


def contexts_check(doc: dict, *, online: bool) -> Check:
    from lerwallet.ld.loader import manifest

    known = manifest()
    unknown = [c for c in as_list(doc.get("@context")) if isinstance(c, str) and c not in known]
    if not unknown:
        return Check("context", PASS, "every @context is bundled (no fetching needed)")
    if online:
        return Check("context", WARN, f"context not bundled, fetched online: {', '.join(unknown)}", "unknown_context")
    return Check(
        "context",
        UNKNOWN,
        f"context not bundled, refused offline: {', '.join(unknown)} (verify with --online to fetch it)",
        "unknown_context",
    )


def _sd_jwt_vc(claims: dict) -> Check:
    """An SD-JWT VC (IETF draft) is not a W3C credential: `iss` and `vct` are its required claims."""
    problems = []
    if not is_uri(claims.get("iss")):
        problems.append(("invalid_issuer", "the SD-JWT VC has no `iss` claim that is a URI"))
    if not isinstance(claims.get("vct"), str) or not claims.get("vct"):
        problems.append(("missing_type", "the SD-JWT VC has no `vct` (credential type) claim"))
    for name in ("iat", "nbf", "exp"):
        value = claims.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            problems.append(("invalid_date", f"`{name}` must be a NumericDate (seconds since 1970)"))
    if problems:
        return Check("structure", FAIL, "; ".join(r for _, r in problems), problems[0][0])
    return Check("structure", PASS, f"SD-JWT VC of type {claims['vct']}; required claims present")


# VC Data Integrity "Resource Integrity" multihash headers: (code, digest length) -> hash name.
_MULTIHASH = {(0x12, 32): "sha256", (0x20, 48): "sha384", (0x16, 32): "sha3_256", (0x15, 48): "sha3_384"}
_SRI = {"sha256": "sha256", "sha384": "sha384", "sha512": "sha512"}


def _sri_matches(expression: str, data: bytes) -> bool | None:
    """SRI `alg-base64` expressions (space separated): True/False, None when none is usable."""
    import base64
    import hashlib

    verdict = None
    for token in expression.split():
        alg, _, value = token.partition("-")
        if alg not in _SRI or not value:
            continue
        if base64.b64encode(hashlib.new(_SRI[alg], data).digest()).decode() == value.split("?")[0]:
            return True
        verdict = False
    return verdict


def _multibase_matches(value: str, data: bytes) -> bool | None:
    import hashlib

    from lerwallet.keys.multibase import MultibaseError, decode_multibase as multibase_decode

    try:
        raw = multibase_decode(value)
    except (MultibaseError, ValueError):
        return None
    if len(raw) < 2 or (raw[0], raw[1]) not in _MULTIHASH or len(raw) != 2 + raw[1]:
        return None
    return hashlib.new(_MULTIHASH[(raw[0], raw[1])], data).digest() == raw[2:]


def related_resources(doc: dict, loader=None) -> Check:
    """VC 2.0 5.3: the digest of each related resource, where lerwallet holds the resource (the
    bundled contexts); one it does not hold makes the check unknown, never passed."""
    from lerwallet.ld.loader import bundled_bytes, is_bundled

    matched, unknown = [], []
    for entry in as_list(doc.get("relatedResource")):
        rid = entry["id"]
        if not is_bundled(rid):
            unknown.append(rid)
            continue
        data = bundled_bytes(rid)
        results = [r for r in (
            _sri_matches(entry["digestSRI"], data) if isinstance(entry.get("digestSRI"), str) else None,
            _multibase_matches(entry["digestMultibase"], data) if isinstance(entry.get("digestMultibase"), str) else None,
        ) if r is not None]
        if not results:
            return Check("related-resource", FAIL, f"relatedResource {rid}: no digest in a supported form "
                         "(digestSRI sha256/384/512, digestMultibase sha2/sha3-256/384 multihash)", "digest_unsupported")
        if not all(results):
            return Check("related-resource", FAIL, f"relatedResource {rid}: the digest does not match the resource "
                         "(the bundled copy)", "digest_mismatch")
        matched.append(rid)
    if unknown:
        return Check("related-resource", UNKNOWN, f"relatedResource not available offline, digest not checked: "
                     f"{', '.join(unknown)}" + (f" (matched: {', '.join(matched)})" if matched else ""),
                     "related_resource_unavailable")
    return Check("related-resource", PASS, f"digest matches for {', '.join(matched)}")
