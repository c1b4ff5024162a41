"""Stage 1: structure. Known contexts, the data model's required fields, types, ids, dates.

Cheap checks that need no key and no network, so a malformed credential is named as such
rather than reported as a bad signature.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from lerwallet.verify.dates import parse_datetime
from lerwallet.verify.report import FAIL, PASS, UNKNOWN, WARN, Check
from lerwallet.verify.state import CredentialState, as_list

V1 = "https://www.w3.org/2018/credentials/v1"
V2 = "https://www.w3.org/ns/credentials/v2"


def is_uri(value: object) -> bool:
    if not isinstance(value, str) or not value or any(c.isspace() for c in value):
        return False
    scheme = urlsplit(value).scheme
    return bool(scheme) and scheme[0].isalpha() and ":" in value


def data_model(doc: dict) -> str:
    contexts = as_list(doc.get("@context"))
    first = contexts[0] if contexts else None
    return "2.0" if first == V2 else "1.1" if first == V1 else ""


def run(state: CredentialState, *, online: bool = False) -> list[Check]:
    if state.securing == "sd-jwt" and "@context" not in state.doc:
        return [_sd_jwt_vc(state.doc)]
    doc = state.doc
    checks = []
    problems: list[tuple[str, str]] = []
    model = data_model(doc)
    if state.securing != "jwt" or "@context" in doc:
        if not model:
            problems.append(("no_vc_context", f"the first @context must be {V2} or {V1}"))
    types = [t for t in as_list(doc.get("type")) if isinstance(t, str)]
    if "VerifiableCredential" not in types:
        problems.append(("missing_type", "type does not include VerifiableCredential"))
    if "id" in doc and not is_uri(doc.get("id")):
        problems.append(("invalid_credential_id", f"id {str(doc.get('id'))[:80]!r} is not a URL"))
    issuer = doc.get("issuer")
    issuer_id = issuer if isinstance(issuer, str) else issuer.get("id") if isinstance(issuer, dict) else None
    claims = _unverified_claims(state) if state.securing == "jwt" else {}
    if issuer is None and is_uri(claims.get("iss")):
        issuer_id = claims["iss"]  # VCDM 1.1 6.3.1: in a VC-JWT, `iss` represents the issuer
    if not is_uri(issuer_id):
        problems.append(("invalid_issuer", "issuer is missing or its id is not a URL"))
    subjects = as_list(doc.get("credentialSubject"))
    if not subjects or not all(isinstance(s, dict) for s in subjects):
        problems.append(("missing_subject", "credentialSubject is missing or not an object"))
    if model == "1.1" and "issuanceDate" not in doc and state.securing != "jwt":
        problems.append(("missing_issuance_date", "a VC 1.1 credential must have issuanceDate"))
    for name in ("issuanceDate", "expirationDate", "validFrom", "validUntil"):
        if name in doc and parse_datetime(doc[name]) is None:
            problems.append(("invalid_date", f"{name} {str(doc[name])[:40]!r} is not an XML Schema dateTime"))
    if problems:
        code, _ = problems[0]
        checks.append(Check("structure", FAIL, "; ".join(r for _, r in problems), code))
    else:
        checks.append(Check("structure", PASS, f"VC data model {model or 'JWT'}; required fields present"))
    checks.append(contexts_check(doc, online=online))
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
