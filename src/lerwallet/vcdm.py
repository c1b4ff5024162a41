"""The W3C VC Data Model rules of the structure stage, shared by `verify` and the signer.

Plain functions over the JSON as received: no key, no network, no JSON-LD processing (that is
`jsonld_problem`, which canonicalizes in safe mode and is remembered for the proof stage).
Each rule yields `(code, reason)`; the structure stage reports them under its check id and the
signer (`lerwallet.proofs.prepare`) refuses with the same code, so a document lerwallet signs
is one its own verifier accepts. docs/verify.md lists every rule with its code.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lerwallet.dates import parse_datetime
from lerwallet.jsonutil import as_list

V1 = "https://www.w3.org/2018/credentials/v1"
V2 = "https://www.w3.org/ns/credentials/v2"
BASE_CONTEXTS = (V2, V1)

# VC 2.0 section 4 / 5: entries of these properties MUST have a `type` (refreshService and
# credentialSchema also an `id`; termsOfUse, evidence and credentialStatus MAY have one).
TYPED_ENTRIES = ("credentialStatus", "evidence", "termsOfUse", "refreshService", "credentialSchema")
ID_REQUIRED = ("credentialSchema",)
VALUE_OBJECT_KEYS = {"@value", "@language", "@direction"}
ENVELOPE_TYPES = ("EnvelopedVerifiableCredential", "EnvelopedVerifiablePresentation")

Problem = tuple[str, str]
# `\s` in a str pattern is exactly str.isspace() (both are Py_UNICODE_ISSPACE), in one C scan.
_WHITESPACE = re.compile(r"\s")


def is_uri(value: object) -> bool:
    """A URL in the data model's sense: an absolute IRI with a scheme and no whitespace."""
    if not isinstance(value, str) or not value or _WHITESPACE.search(value):
        return False
    scheme = urlsplit(value).scheme
    return bool(scheme) and scheme[0].isalpha() and ":" in value


def _short(value: object, n: int = 80) -> str:
    return repr(value)[:n]


def context_problems(doc: dict, *, kind: str = "credential") -> list[Problem]:
    """The `@context`: present, the VC base context first, every entry a URL or an object."""
    if "@context" not in doc:
        return [("no_vc_context", f"the {kind} has no @context; its first @context must be {V2}")]
    contexts = as_list(doc.get("@context"))
    out: list[Problem] = []
    if not contexts or contexts[0] not in BASE_CONTEXTS:
        first = _short(contexts[0]) if contexts else "nothing"
        out.append(("no_vc_context", f"the {kind}'s first @context must be {V2} (or {V1}), not {first}"))
    for entry in contexts:
        if isinstance(entry, dict):
            continue
        if not isinstance(entry, str) or not is_uri(entry):
            out.append(("invalid_context", f"@context entry {_short(entry)} is neither a URL nor a context object"))
    return out


def _type_problems(doc: dict, required: str, what: str) -> list[Problem]:
    types = doc.get("type")
    if types is None:
        return [("missing_type", f"the {what} has no type (it must include {required})")]
    values = as_list(types)
    bad = [t for t in values if not isinstance(t, str) or not t]
    if bad:
        return [("invalid_type", f"the {what}'s type values must be strings, not {_short(bad[0])}")]
    if required not in values:
        return [("missing_type", f"type does not include {required}")]
    return []


def _language_value_problems(value: object, where: str) -> list[Problem]:
    """name/description: a string, a language value object, or a list of them (VC 2.0 4.6)."""
    for item in as_list(value):
        if isinstance(item, str):
            continue
        if not isinstance(item, dict) or not isinstance(item.get("@value"), str):
            return [("invalid_language_value", f"{where} must be a string or a language value object "
                     "({\"@value\", \"@language\", \"@direction\"})")]
        extra = sorted(set(item) - VALUE_OBJECT_KEYS)
        if extra:
            return [("invalid_language_value", f"{where} is a language value object with other keys "
                     f"({', '.join(extra)}): only @value, @language and @direction are allowed")]
        if "@direction" in item and item["@direction"] not in ("ltr", "rtl"):
            return [("invalid_language_value", f"{where}: @direction must be \"ltr\" or \"rtl\", not {_short(item['@direction'])}")]
    return []


def _entry_problems(doc: dict) -> list[Problem]:
    out: list[Problem] = []
    for name in TYPED_ENTRIES:
        if name not in doc:
            continue
        for i, entry in enumerate(as_list(doc[name])):
            where = name if not isinstance(doc[name], list) else f"{name}[{i}]"
            if not isinstance(entry, dict):
                out.append(("invalid_entry", f"{where} must be an object"))
                continue
            types = entry.get("type")
            if types is None or not as_list(types):
                out.append(("missing_entry_type", f"{where} has no type (VC 2.0: {name} entries MUST have a type)"))
            elif any(not isinstance(t, str) or not t for t in as_list(types)):
                out.append(("invalid_type", f"{where}'s type values must be strings, not {_short(types)}"))
            if "id" in entry and not is_uri(entry["id"]):
                out.append(("invalid_entry_id", f"{where}'s id {_short(entry['id'])} is not a URL"))
            elif name in ID_REQUIRED and "id" not in entry:
                out.append(("missing_entry_id", f"{where} has no id (VC 2.0: {name} entries MUST have an id)"))
    return out


def related_resource_problems(doc: dict) -> list[Problem]:
    """VC 2.0 5.3 Integrity of Related Resources: each entry has an `id` (a URL, unique) and a
    `digestSRI` or `digestMultibase`. Whether the digest matches is `related_resources`."""
    if "relatedResource" not in doc:
        return []
    seen: set[str] = set()
    for i, entry in enumerate(as_list(doc["relatedResource"])):
        where = f"relatedResource[{i}]"
        if not isinstance(entry, dict):
            return [("invalid_related_resource", f"{where} must be an object")]
        rid = entry.get("id")
        if not is_uri(rid):
            return [("invalid_related_resource", f"{where} has no id that is a URL")]
        if rid in seen:
            return [("invalid_related_resource", f"{where}: id {rid} is listed twice (ids must be unique)")]
        seen.add(rid)
        if not isinstance(entry.get("digestSRI"), str) and not isinstance(entry.get("digestMultibase"), str):
            return [("invalid_related_resource", f"{where} ({rid}) has neither digestSRI nor digestMultibase")]
    return []


def credential_problems(doc: dict, *, securing: str = "ldp", issuer_from_jwt: str = "") -> list[Problem]:
    """Every data-model rule a credential breaks, in a stable order (the first one names the check)."""
    out: list[Problem] = []
    model = data_model(doc)
    if securing != "jwt" or "@context" in doc:
        out += context_problems(doc)
    out += _type_problems(doc, "VerifiableCredential", "credential")
    if "id" in doc and not is_uri(doc.get("id")):
        out.append(("invalid_credential_id", f"id {_short(doc.get('id'))} is not a single URL"))
    issuer = doc.get("issuer")
    issuer_id = issuer if isinstance(issuer, str) else issuer.get("id") if isinstance(issuer, dict) else None
    if issuer is None and issuer_from_jwt:
        issuer_id = issuer_from_jwt  # VCDM 1.1 6.3.1: in a VC-JWT, `iss` represents the issuer
    if not is_uri(issuer_id):
        out.append(("invalid_issuer", "issuer is missing or its id is not a URL"))
    subjects = as_list(doc.get("credentialSubject"))
    if not subjects or not all(isinstance(s, dict) for s in subjects):
        out.append(("missing_subject", "credentialSubject is missing or not an object"))
    elif any(not s for s in subjects):
        out.append(("empty_subject", "credentialSubject is an empty object: a subject must make at least one claim"))
    else:
        for s in subjects:
            if "id" in s and not is_uri(s["id"]):
                out.append(("invalid_subject_id", f"credentialSubject id {_short(s['id'])} is not a single URL"))
                break
    if model == "1.1" and "issuanceDate" not in doc and securing != "jwt":
        out.append(("missing_issuance_date", "a VC 1.1 credential must have issuanceDate"))
    dates = {name: parse_datetime(doc[name]) for name in ("issuanceDate", "expirationDate", "validFrom", "validUntil")
             if name in doc}
    for name, when in dates.items():
        if when is None:
            out.append(("invalid_date", f"{name} {str(doc[name])[:40]!r} is not an XML Schema dateTime"))
    start, end = dates.get("validFrom"), dates.get("validUntil")
    if start is not None and end is not None and start > end:
        out.append(("invalid_validity_period", f"validFrom {doc['validFrom']} is later than validUntil {doc['validUntil']}"))
    for where, holder in (("", doc), ("issuer.", issuer if isinstance(issuer, dict) else {})):
        for name in ("name", "description"):
            if name in holder:
                out += _language_value_problems(holder[name], where + name)
    out += _entry_problems(doc)
    for i, proof in enumerate(as_list(doc.get("proof"))):
        if not isinstance(proof, dict) or not isinstance(proof.get("type"), str) or not proof.get("type"):
            out.append(("malformed_proof", f"proof[{i}] has no type (every proof MUST name its type)"))
            break
    out += related_resource_problems(doc)
    return out


def presentation_problems(doc: dict, *, securing: str = "ldp") -> list[Problem]:
    """The data-model rules of a presentation itself (its credentials are judged one by one)."""
    out: list[Problem] = []
    if securing != "jwt" or "@context" in doc:
        out += context_problems(doc, kind="presentation")
    out += _type_problems(doc, "VerifiablePresentation", "presentation")
    if "id" in doc and not is_uri(doc.get("id")):
        out.append(("invalid_presentation_id", f"id {_short(doc.get('id'))} is not a single URL"))
    if "holder" in doc:
        holder = doc["holder"]
        hid = holder if isinstance(holder, str) else holder.get("id") if isinstance(holder, dict) else None
        if not is_uri(hid):
            out.append(("invalid_holder", "holder must be a URL or an object whose id is a URL"))
    for i, entry in enumerate(as_list(doc.get("verifiableCredential"))):
        if data_model(doc) == "2.0" and not isinstance(entry, dict):
            out.append(("invalid_credential_entry", f"verifiableCredential[{i}] is a {type(entry).__name__}: VC 2.0 "
                        "presentations carry credential objects or EnvelopedVerifiableCredential objects"))
            break
        if isinstance(entry, dict) and is_envelope(entry):
            out += envelope_problems(entry, f"verifiableCredential[{i}]")
        elif isinstance(entry, dict) and data_model(doc) == "2.0" and "VerifiableCredential" not in as_list(entry.get("type")):
            out.append(("missing_type", f"verifiableCredential[{i}] has neither the VerifiableCredential nor the "
                        "EnvelopedVerifiableCredential type"))
    return out


def is_envelope(doc: dict) -> bool:
    return any(t in ENVELOPE_TYPES for t in as_list(doc.get("type")) if isinstance(t, str))


def envelope_problems(doc: dict, where: str = "the enveloped credential") -> list[Problem]:
    """An EnvelopedVerifiableCredential/Presentation wrapper: VC base context first, the
    enveloped type, and a `data:` URL id (VC 2.0 4.13.2)."""
    out = [(code, f"{where}: {reason}") for code, reason in context_problems(doc, kind="envelope")]
    if not is_envelope(doc):
        out.append(("missing_type", f"{where}: type must be EnvelopedVerifiableCredential or EnvelopedVerifiablePresentation"))
    if not isinstance(doc.get("id"), str) or not doc["id"].startswith("data:"):
        out.append(("invalid_envelope", f"{where}: id must be a data: URL"))
    return out


def data_model(doc: dict) -> str:
    contexts = as_list(doc.get("@context"))
    first = contexts[0] if contexts else None
    return "2.0" if first == V2 else "1.1" if first == V1 else ""


def jsonld_problem(doc: dict, loader) -> Problem | None:
    """Safe-mode JSON-LD processing of the unsecured document (the proof's own canonical form,
    remembered within one verification): an undefined term, a relative type or id, a protected
    term redefined, a type mapped to a non-URL. None when it canonicalizes, or when a context is
    not available here (the `context` check says so)."""
    from lerwallet.ld import canonize
    from lerwallet.ld.errors import LDError, SafeModeError, UnknownContext

    unsecured = {k: v for k, v in doc.items() if k != "proof"}
    try:
        canonize(unsecured, loader)
    except UnknownContext:
        return None
    except SafeModeError as exc:
        return ("jsonld_safe_mode", f"{exc} (JSON-LD safe mode)")
    except LDError as exc:
        return ("jsonld_invalid", f"not valid JSON-LD: {exc}")
    return None


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


def related_resource_digests(doc: dict) -> tuple[list[str], list[str], tuple[str, str] | None]:
    """VC 2.0 5.3 relatedResource digests checked against the resources lerwallet holds (the
    bundled contexts): (matched ids, ids not held here, the first problem as (code, reason))."""
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
            return matched, unknown, ("digest_unsupported", f"relatedResource {rid}: no digest in a supported form "
                                      "(digestSRI sha256/384/512, digestMultibase sha2/sha3-256/384 multihash)")
        if not all(results):
            return matched, unknown, ("digest_mismatch", f"relatedResource {rid}: the digest does not match the "
                                      "resource (the bundled copy)")
        matched.append(rid)
    return matched, unknown, None
