"""Stage 1: structure. Known contexts, the data model's required fields, types, ids, dates.

Cheap checks that need no key and no network, so a malformed credential is named as such
rather than reported as a bad signature.
"""

from __future__ import annotations

from lerwallet import vcdm
from lerwallet.verify.report import FAIL, PASS, UNKNOWN, WARN, Check
from lerwallet.verify.state import CredentialState, as_list
from lerwallet.vcdm import data_model, is_uri


def run(state: CredentialState, *, online: bool = False, loader=None) -> list[Check]:
    if state.securing == "sd-jwt" and "@context" not in state.doc:
        return [_sd_jwt_vc(state.doc)]
    checks = []
    claims = _unverified_claims(state) if state.securing == "jwt" else {}
    if claims and state.document is None:
        from lerwallet.proofs.jose import decoded_vc11

        # A VC 1.1 JWT: members its `vc` claim leaves out or empty come from the registered
        # claims (VC Data Model 1.1 section 6.3.1), for this stage and every later one, whether
        # or not the signature can be vouched for; they are not refused as malformed.
        decoded = decoded_vc11(claims)
        if decoded is not None:
            state.unverified = decoded
    doc = state.doc
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


def related_resources(doc: dict, loader=None) -> Check:
    """VC 2.0 5.3: the digest of each related resource, where lerwallet holds the resource (the
    bundled contexts); one it does not hold makes the check unknown, never passed."""
    matched, unknown, problem = vcdm.related_resource_digests(doc)
    if problem:
        return Check("related-resource", FAIL, problem[1], problem[0])
    if unknown:
        return Check("related-resource", UNKNOWN, f"relatedResource not available offline, digest not checked: "
                     f"{', '.join(unknown)}" + (f" (matched: {', '.join(matched)})" if matched else ""),
                     "related_resource_unavailable")
    return Check("related-resource", PASS, f"digest matches for {', '.join(matched)}")
