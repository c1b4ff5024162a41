"""Stage 2: JSON Schema. The bundled 1EdTech OB 3.0 schemas for credentials that claim OB 3.0
types; the bundled CLR 2.0 ClrCredential schema for CLRs (whose nested credentials are then
checked on their own, `verify.clr`); and any `credentialSchema` entry whose schema is bundled. A valid credential is decided by
`schemacheck` (closures compiled once per process); jsonschema (~40 ms to import) is the
reference and is imported only to explain an invalid one, or if a schema needs a keyword
`schemacheck` does not implement."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from lerwallet.verify.report import PASS, SKIPPED, WARN, Check
from lerwallet.verify.state import CredentialState, as_list

OB3 = {"OpenBadgeCredential": "achievementcredential", "AchievementCredential": "achievementcredential",
       "EndorsementCredential": "endorsementcredential"}
MAX_ERRORS = 3
V2 = "https://www.w3.org/ns/credentials/v2"


CLR = "clr:clrcredential"  # the bundled CLR 2.0 schemas are named "clr:<name>"
CLR_NAMES = ("clrcredential", "achievementcredential", "endorsementcredential", "profile")


@lru_cache(maxsize=None)
def _schema(name: str) -> dict:
    # A plain path, not importlib.resources (whose import costs ~5 ms of every verify run).
    folder = Path(__file__).parent / "schemas"
    if name.startswith("clr:"):
        return json.loads((folder / "clr_v2p0" / f"clr_v2p0_{name[4:]}_schema.json").read_text("utf-8"))
    return json.loads((folder / "ob_v3p0" / f"{name}.json").read_text("utf-8"))


@lru_cache(maxsize=None)
def _by_id() -> dict[str, str]:
    """credentialSchema ids we can serve -> bundled name (with and without "-jsonschema1")."""
    out = {}
    for name in ("achievementcredential", "endorsementcredential", "profile"):
        sid = _schema(name)["$id"]
        out[sid] = name
        out[sid.replace("-jsonschema1", "")] = name
        out[sid.replace("_" + name + "-jsonschema1", "_" + name + "_schema")] = name
    for name in CLR_NAMES:
        out[_schema("clr:" + name)["$id"]] = "clr:" + name
    return out


@lru_cache(maxsize=None)
def _quick(name: str):
    """A yes/no checker for the bundled schema, or None to always ask jsonschema."""
    from lerwallet.verify.schemacheck import Unsupported, compile_schema

    try:
        return compile_schema(_schema(name))
    except Unsupported:
        return None


@lru_cache(maxsize=None)
def _validator(name: str):
    import jsonschema

    schema = _schema(name)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=None)


def _errors(name: str, doc: dict) -> list[str]:
    if isinstance(doc.get("proof"), dict):  # VCDM allows one proof or a set; the schema wants a set
        doc = {**doc, "proof": [doc["proof"]]}
    quick = _quick(name)
    if quick is not None:
        from lerwallet.verify.schemacheck import Unsupported

        try:
            if quick(doc):
                return []
        except Unsupported:  # a part of the schema the quick checker does not implement: ask jsonschema
            pass
    out = []
    for err in _validator(name).iter_errors(doc):
        where = "/".join(str(p) for p in err.absolute_path) or "(root)"
        out.append(f"{where}: {err.message[:160]}")
        if len(out) >= MAX_ERRORS:
            break
    return out


def ob3_problems(doc: dict) -> list[str]:
    """The OB 3.0 AchievementCredential schema's objections to `doc` (empty: it passes); the
    issuer checks what it builds with this before signing."""
    return _errors("achievementcredential", doc)


def _jsonld_single_values(name: str, doc: dict) -> tuple[list[str], list[str]]:
    """Wrap single values where the schema wants arrays; return (wrapped paths, remaining errors).

    In JSON-LD a one-element array and its single value mean the same thing, and issuers use
    both (the 1EdTech CLR 2.0 vector does). Like the 1EdTech validator, which retries with its
    JSON-LD schema variant and downgrades the plain-JSON errors to warnings, we re-validate
    with each such value wrapped in a one-element array: what still fails is a real error.
    """
    import copy

    validator = _validator(name)
    doc = copy.deepcopy(doc)
    if isinstance(doc.get("proof"), dict):
        doc["proof"] = [doc["proof"]]
    wrapped: list[str] = []
    for _ in range(64):  # each round wraps at least one value; a credential has few such places
        errors = list(validator.iter_errors(doc))
        paths = {tuple(e.absolute_path) for e in _flatten(errors) if _wants_array(e)}
        if not errors or not paths:
            break
        for path in sorted(paths, key=len, reverse=True):
            parent = doc
            for key in path[:-1]:
                parent = parent[key]
            parent[path[-1]] = [parent[path[-1]]]
            wrapped.append("/".join(str(p) for p in path))
    remaining = []
    for err in validator.iter_errors(doc):
        where = "/".join(str(p) for p in err.absolute_path) or "(root)"
        remaining.append(f"{where}: {err.message[:160]}")
    return wrapped, remaining[:MAX_ERRORS]


def _flatten(errors):
    for err in errors:
        yield err
        yield from _flatten(err.context or [])


def _wants_array(err) -> bool:
    wanted = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
    return err.validator == "type" and "array" in wanted and not isinstance(err.instance, list) and bool(err.absolute_path)


_SELECTIVE_DISCLOSURE_SUITES = ("ecdsa-sd-2023", "bbs-2023")


def _selectively_disclosed(doc: dict) -> bool:
    """Whether a proof is a selective-disclosure one (its holder chose which fields to show)."""
    return any(isinstance(p, dict) and p.get("cryptosuite") in _SELECTIVE_DISCLOSURE_SUITES
               for p in as_list(doc.get("proof")))


def run(state: CredentialState) -> list[Check]:
    doc, types = state.doc, state.types
    claims_ob3 = any(t in OB3 or t == "ClrCredential" for t in types)
    if claims_ob3 and as_list(doc.get("@context"))[:1] != [V2]:
        return [Check("schema", SKIPPED, "the OB 3.0 JSON Schemas describe VC 2.0 credentials; this VC 1.1 (pre-release OB 3.0) credential was not schema-checked")]
    targets: list[tuple[str, dict, str]] = []  # (schema name, document, label)
    notes = []
    if "ClrCredential" in types:
        # Its nested credentials are checked on their own (each with its OB 3.0 schema) by `verify.clr`.
        targets.append((CLR, doc, "CLR 2.0 clrcredential"))
    else:
        for t, name in OB3.items():
            if t in types:
                targets.append((name, doc, "OB 3.0 " + name))
                break
    unbundled = []
    for entry in as_list(doc.get("credentialSchema")):
        sid = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(sid, str):
            continue
        name = _by_id().get(sid)
        if name and not any(n == name and d is doc for n, d, _ in targets):
            targets.append((name, doc, f"credentialSchema {name.replace('clr:', 'CLR 2.0 ')}"))
        elif not name:
            unbundled.append(sid)
    if not targets and not unbundled:
        return [Check("schema", PASS, "no bundled schema applies" + (f" ({notes[0]})" if notes else ""))]
    problems, singles = [], []
    for name, target, label in targets:
        errors = _errors(name, target)
        if errors:
            wrapped, errors = _jsonld_single_values(name, target)
            singles += [f"{label}: {where}" for where in wrapped]
        problems += [f"{label}: {e}" for e in errors]
    if problems:
        # Conformance, not authenticity (docs/verify.md): a deviation from the 1EdTech schema
        # does not change what the signed credential proves; a warning, a failure under --strict.
        # What breaks the VC data model itself (no issuer or subject, bad dates) fails in `structure`.
        withheld = (" This credential is selectively disclosed: fields the schema requires may have been "
                    "withheld by the holder." if _selectively_disclosed(doc) and any(
                        "is a required property" in p for p in problems) else "")
        return [Check("schema", WARN, "conformance: " + "; ".join(problems[:MAX_ERRORS])
                      + " (a deviation from the published schema; authenticity and dates are judged separately)"
                      + withheld, "schema_invalid", {"errors": problems})]
    if singles:
        return [Check(
            "schema", WARN,
            "valid as JSON-LD, but the plain-JSON schema wants arrays where single values are given "
            f"({'; '.join(singles[:MAX_ERRORS])}): plain-JSON consumers may reject it",
            "schema_single_values", {"paths": singles},
        )]
    checked = ", ".join(label for _, _, label in targets) or "nothing"
    if unbundled:
        return [Check("schema", WARN, f"valid against {checked}; not checked: {', '.join(unbundled)} (not bundled)", "schema_not_bundled")]
    return [Check("schema", PASS, f"valid against {checked}" + (f"; {notes[0]}" if notes else ""))]
