"""A verifier's request: parse it, match the wallet's credentials against it, explain the result.

Two request formats are read (docs/present.md "Answering a request"):

- W3C Verifiable Presentation Request (w3c-ccg vp-request-spec): `{"query": [...], "challenge",
  "domain"}`, possibly wrapped as `{"verifiablePresentationRequest": {...}}`. `QueryByExample`
  entries carry one or more `credentialQuery` objects (`example` with `@context`, `type`,
  `credentialSubject` fields, `trustedIssuer`; `reason`; `required`); `DIDAuthentication` asks for
  a holder proof (its `acceptedMethods` / `acceptedCryptosuites` are kept for the builder).
- OpenID for Verifiable Presentations 1.0 DCQL: an authorization request object holding
  `dcql_query` (or a bare `{"credentials": [...]}` query, or an `openid4vp://?...` URL),
  with `nonce` as the challenge and `client_id` as the audience/domain. Credential queries name a
  `format` (`ldp_vc`, `jwt_vc_json`, `dc+sd-jwt`), `meta` (`type_values`, `vct_values`),
  `claims` (paths: strings select object members, integers array elements, null every element;
  `values` restrict them), `claim_sets`, and `multiple`; `credential_sets` combine queries with
  `options` and `required`.

`parse_request` raises `InputError` (exit 2) for a malformed request. `match` never raises for
credentials that do not fit: it returns a `MatchReport` saying which credential matched which
query, why each other one did not, and whether the request as a whole can be answered;
`MatchReport.require()` turns "cannot" into `NoMatchError` (exit 1).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from lerwallet.errors import InputError
from lerwallet.present.errors import NoMatchError

MAX_REQUEST_BYTES = 256 * 1024
MAX_QUERIES = 64
MAX_CLAIMS = 128
MAX_PATH = 32
MAX_VALUES = 64

VPR = "vpr"
DCQL = "dcql"

# lerwallet's stored formats (CredentialRecord.format) as DCQL format identifiers.
DCQL_FORMATS = {"vc-json-ld": "ldp_vc", "vc-jwt": "jwt_vc_json", "sd-jwt": "dc+sd-jwt"}
_QUERY_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}\Z")


# --- the parsed request ------------------------------------------------------------------------


@dataclass
class ClaimQuery:
    """One requested claim: a DCQL claims path (str member, int index, None = every element)."""

    path: tuple
    values: list | None = None
    id: str | None = None

    def label(self) -> str:
        return "/" + "/".join("*" if p is None else str(p) for p in self.path)


@dataclass
class CredentialQuery:
    id: str
    source: str  # "vpr" | "dcql"
    format: str | None = None  # DCQL format identifier; None: any W3C credential (VPR)
    type_alternatives: list[list[str]] = field(default_factory=list)  # any alternative, all of its types
    vct_values: list[str] = field(default_factory=list)
    contexts: list[str] = field(default_factory=list)
    subject: dict = field(default_factory=dict)  # VPR credentialSubject example
    claims: list[ClaimQuery] | None = None  # None: no claims named (DCQL: all claims requested)
    claim_sets: list[list[str]] | None = None
    trusted_issuers: list[str] = field(default_factory=list)
    reason: str = ""
    required: bool = True
    multiple: bool = False

    def describe(self) -> str:
        parts = []
        if self.format:
            parts.append(self.format)
        for alt in self.type_alternatives[:1]:
            parts.append("type " + "+".join(_short(t) for t in alt))
        if self.vct_values:
            parts.append("vct " + " | ".join(self.vct_values))
        if self.claims:
            parts.append("claims " + ", ".join(c.label() for c in self.claims))
        return "; ".join(parts) or "any credential"


@dataclass
class CredentialSet:
    options: list[list[str]]
    required: bool = True


@dataclass
class Request:
    kind: str  # "vpr" | "dcql"
    challenge: str | None
    domain: str | None
    queries: list[CredentialQuery]
    credential_sets: list[CredentialSet] | None = None
    did_auth: bool = False
    accepted_did_methods: list[str] = field(default_factory=list)
    accepted_cryptosuites: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"kind": self.kind, "challenge": self.challenge, "domain": self.domain,
                "didAuthentication": self.did_auth,
                "queries": [{"id": q.id, "format": q.format, "wants": q.describe(), "reason": q.reason,
                             "required": q.required} for q in self.queries]}


def _short(type_iri: str) -> str:
    return type_iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1] if ":" in type_iri else type_iri


# --- parsing -----------------------------------------------------------------------------------


def _bad(message: str) -> InputError:
    return InputError(f"malformed request: {message}",
                      hint="a request is a VPR ({\"query\": [...]}) or an OpenID4VP request with dcql_query; see docs/present.md")


def read_request(data: bytes) -> Request:
    """Parse request bytes (JSON, or an openid4vp:// URL). `InputError` when malformed."""
    from lerwallet.jsonutil import loads_untrusted

    if len(data) > MAX_REQUEST_BYTES:
        raise _bad(f"the file is larger than {MAX_REQUEST_BYTES // 1024} KiB")
    try:
        text = data.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        raise _bad("the file is not UTF-8 text") from None
    if not text:
        raise _bad("the file is empty")
    if not text.startswith(("{", "[")) and "://" in text[:40] or text.startswith("?"):
        return _from_url(text)
    if text.startswith("eyJ") and text.count(".") == 2:
        return _from_request_object(text)
    try:
        doc = loads_untrusted(text)
    except ValueError as exc:
        raise _bad(f"not JSON ({exc})") from None
    return parse_request(doc)


def _from_url(text: str) -> Request:
    from lerwallet.jsonutil import loads_untrusted

    params = parse_qs(urlsplit(text).query, keep_blank_values=True)
    if "request_uri" in params and "dcql_query" not in params:
        raise InputError("this request is only a link to the real one (request_uri); lerwallet works offline",
                         hint="download the request object and pass that file to --request")
    if "dcql_query" not in params:
        raise _bad("the URL carries no dcql_query parameter")
    doc: dict = {}
    for name, values in params.items():
        value = values[0]
        if name == "dcql_query":
            try:
                value = loads_untrusted(value)
            except ValueError as exc:
                raise _bad(f"dcql_query is not JSON ({exc})") from None
        doc[name] = value
    return parse_request(doc)


def _from_request_object(text: str) -> Request:
    """An OpenID4VP request object (a JWT: `oauth-authz-req+jwt`). Its signature is the verifier's
    and is not checked here (their key is not known offline): the request is read as a file is."""
    from lerwallet.proofs.jose import JoseError, decode_compact

    try:
        _, payload, _, _ = decode_compact(text)
    except JoseError as exc:
        raise _bad(f"the request object (JWT) cannot be read: {exc.message}") from None
    request = parse_request(payload)
    request.warnings.append("the request object's signature (the verifier's) is not checked: "
                            "trust this request as much as the channel it came through")
    return request


def parse_request(doc) -> Request:
    """A parsed JSON request (VPR or OpenID4VP/DCQL); `InputError` when malformed."""
    if not isinstance(doc, dict):
        raise _bad("expected a JSON object")
    if isinstance(doc.get("verifiablePresentationRequest"), dict):
        doc = doc["verifiablePresentationRequest"]
    if "dcql_query" in doc or isinstance(doc.get("credentials"), list):
        return _parse_dcql(doc)
    if "query" in doc:
        return _parse_vpr(doc)
    if "presentation_definition" in doc:
        raise InputError("this is a DIF Presentation Exchange request (presentation_definition), not supported",
                         hint="ask the verifier for a DCQL query (OpenID4VP 1.0) or a VPR")
    raise _bad("no 'query' (VPR) and no 'dcql_query' (OpenID4VP) member")


def _opt_str(doc: dict, name: str, where: str) -> str | None:
    value = doc.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value or len(value) > 2048:
        raise _bad(f"{where}{name} must be a non-empty string")
    return value


def _str_list(value, what: str, *, allow_single: bool = False) -> list[str]:
    if allow_single and isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value) or len(value) > MAX_VALUES:
        raise _bad(f"{what} must be a list of strings")
    return list(value)


def _parse_vpr(doc: dict) -> Request:
    queries_in = doc.get("query")
    if isinstance(queries_in, dict):
        queries_in = [queries_in]
    if not isinstance(queries_in, list) or not queries_in:
        raise _bad("'query' must be a non-empty list")
    request = Request(VPR, _opt_str(doc, "challenge", ""), _opt_str(doc, "domain", ""), [])
    for i, entry in enumerate(queries_in):
        if not isinstance(entry, dict) or not isinstance(entry.get("type"), str):
            raise _bad(f"query[{i}] must be an object with a 'type'")
        kind = entry["type"]
        if kind == "DIDAuthentication" or kind == "DIDAuth":
            request.did_auth = True
            for method in entry.get("acceptedMethods") or []:
                if isinstance(method, dict) and isinstance(method.get("method"), str):
                    request.accepted_did_methods.append(method["method"])
            for suite in entry.get("acceptedCryptosuites") or []:
                if isinstance(suite, dict) and isinstance(suite.get("cryptosuite"), str):
                    request.accepted_cryptosuites.append(suite["cryptosuite"])
        elif kind == "QueryByExample":
            cq = entry.get("credentialQuery")
            cqs = [cq] if isinstance(cq, dict) else cq
            if not isinstance(cqs, list) or not cqs:
                raise _bad(f"query[{i}].credentialQuery must be an object or a non-empty list")
            for j, one in enumerate(cqs):
                request.queries.append(_vpr_query(one, f"query[{i}].credentialQuery[{j}]", f"q{i}.{j}"))
        else:
            request.warnings.append(f"query type {kind!r} is not supported and was ignored")
        if len(request.queries) > MAX_QUERIES:
            raise _bad(f"more than {MAX_QUERIES} credential queries")
    if not request.queries and not request.did_auth:
        raise _bad("no QueryByExample or DIDAuthentication query")
    return request


def _vpr_query(one, where: str, qid: str) -> CredentialQuery:
    if not isinstance(one, dict):
        raise _bad(f"{where} must be an object")
    example = one.get("example", {})
    if not isinstance(example, dict):
        raise _bad(f"{where}.example must be an object")
    query = CredentialQuery(qid, VPR)
    if "type" in example:
        query.type_alternatives = [_str_list(example["type"], f"{where}.example.type", allow_single=True)]
    if "@context" in example:
        query.contexts = [c for c in _str_list(example["@context"], f"{where}.example.@context", allow_single=True)]
    subject = example.get("credentialSubject", {})
    if not isinstance(subject, dict):
        raise _bad(f"{where}.example.credentialSubject must be an object")
    query.subject = subject
    issuers = one.get("trustedIssuer", example.get("trustedIssuer", []))
    if isinstance(issuers, dict):
        issuers = [issuers]
    if not isinstance(issuers, list):
        raise _bad(f"{where}.trustedIssuer must be a list")
    for entry in issuers:
        issuer = entry.get("issuer") if isinstance(entry, dict) else entry
        if isinstance(issuer, dict):
            issuer = issuer.get("id")
        if not isinstance(issuer, str) or not issuer:
            raise _bad(f"{where}.trustedIssuer entries need an issuer id")
        query.trusted_issuers.append(issuer)
    reason = one.get("reason", "")
    query.reason = reason if isinstance(reason, str) else ""
    required = one.get("required", True)
    if not isinstance(required, bool):
        raise _bad(f"{where}.required must be true or false")
    query.required = required
    return query


def _parse_dcql(doc: dict) -> Request:
    query = doc.get("dcql_query", doc)
    if isinstance(query, str):
        from lerwallet.jsonutil import loads_untrusted

        try:
            query = loads_untrusted(query)
        except ValueError as exc:
            raise _bad(f"dcql_query is not JSON ({exc})") from None
    if not isinstance(query, dict):
        raise _bad("dcql_query must be an object")
    creds = query.get("credentials")
    if not isinstance(creds, list) or not creds:
        raise _bad("dcql_query.credentials must be a non-empty list")
    if len(creds) > MAX_QUERIES:
        raise _bad(f"more than {MAX_QUERIES} credential queries")
    nonce = _opt_str(doc, "nonce", "")
    client_id = _opt_str(doc, "client_id", "")
    request = Request(DCQL, nonce, client_id, [], did_auth=True)
    if doc is not query and nonce is None:
        request.warnings.append("the request has no nonce: the presentation is not bound to this request")
    seen: set[str] = set()
    for i, cred in enumerate(creds):
        request.queries.append(_dcql_query(cred, f"credentials[{i}]", seen))
    sets = query.get("credential_sets")
    if sets is not None:
        if not isinstance(sets, list) or not sets:
            raise _bad("credential_sets must be a non-empty list")
        request.credential_sets = []
        for i, entry in enumerate(sets):
            if not isinstance(entry, dict):
                raise _bad(f"credential_sets[{i}] must be an object")
            options = entry.get("options")
            if not isinstance(options, list) or not options or not all(
                    isinstance(o, list) and o and all(isinstance(x, str) for x in o) for o in options):
                raise _bad(f"credential_sets[{i}].options must be a non-empty list of non-empty lists of ids")
            for option in options:
                for qid in option:
                    if qid not in seen:
                        raise _bad(f"credential_sets[{i}] names an unknown credential query {qid!r}")
            required = entry.get("required", True)
            if not isinstance(required, bool):
                raise _bad(f"credential_sets[{i}].required must be true or false")
            request.credential_sets.append(CredentialSet([list(o) for o in options], required))
    return request


def _dcql_query(cred, where: str, seen: set[str]) -> CredentialQuery:
    if not isinstance(cred, dict):
        raise _bad(f"{where} must be an object")
    qid = cred.get("id")
    if not isinstance(qid, str) or not _QUERY_ID.match(qid):
        raise _bad(f"{where}.id must be letters, digits, '_' or '-'")
    if qid in seen:
        raise _bad(f"credential query id {qid!r} is used twice")
    seen.add(qid)
    fmt = cred.get("format")
    if not isinstance(fmt, str) or not fmt:
        raise _bad(f"{where}.format must be a string")
    query = CredentialQuery(qid, DCQL, format=fmt)
    meta = cred.get("meta", {})
    if not isinstance(meta, dict):
        raise _bad(f"{where}.meta must be an object")
    if "type_values" in meta:
        tv = meta["type_values"]
        if not isinstance(tv, list) or not tv:
            raise _bad(f"{where}.meta.type_values must be a non-empty list of lists")
        query.type_alternatives = [_str_list(alt, f"{where}.meta.type_values[]") for alt in tv]
    if "vct_values" in meta:
        query.vct_values = _str_list(meta["vct_values"], f"{where}.meta.vct_values")
    multiple = cred.get("multiple", False)
    if not isinstance(multiple, bool):
        raise _bad(f"{where}.multiple must be true or false")
    query.multiple = multiple
    claims = cred.get("claims")
    if claims is not None:
        if not isinstance(claims, list) or not claims or len(claims) > MAX_CLAIMS:
            raise _bad(f"{where}.claims must be a non-empty list")
        query.claims = []
        ids: set[str] = set()
        for j, claim in enumerate(claims):
            query.claims.append(_dcql_claim(claim, f"{where}.claims[{j}]", ids))
        sets = cred.get("claim_sets")
        if sets is not None:
            if not isinstance(sets, list) or not sets or not all(
                    isinstance(s, list) and s and all(isinstance(x, str) and x in ids for x in s) for s in sets):
                raise _bad(f"{where}.claim_sets must be non-empty lists of claim ids defined in claims")
            query.claim_sets = [list(s) for s in sets]
    elif "claim_sets" in cred:
        raise _bad(f"{where}.claim_sets needs claims")
    return query


def _dcql_claim(claim, where: str, ids: set[str]) -> ClaimQuery:
    if not isinstance(claim, dict):
        raise _bad(f"{where} must be an object")
    path = claim.get("path")
    if not isinstance(path, list) or not path or len(path) > MAX_PATH or not all(
            p is None or (isinstance(p, str) and p) or (isinstance(p, int) and not isinstance(p, bool) and p >= 0)
            for p in path):
        raise _bad(f"{where}.path must be a non-empty list of names, indexes or null")
    values = claim.get("values")
    if values is not None:
        if not isinstance(values, list) or not values or len(values) > MAX_VALUES or not all(
                isinstance(v, (str, int, bool)) for v in values):
            raise _bad(f"{where}.values must be a non-empty list of strings, numbers or booleans")
    cid = claim.get("id")
    if cid is not None:
        if not isinstance(cid, str) or not _QUERY_ID.match(cid) or cid in ids:
            raise _bad(f"{where}.id must be a unique id")
        ids.add(cid)
    return ClaimQuery(tuple(path), list(values) if values is not None else None, cid)


# --- candidates --------------------------------------------------------------------------------


@dataclass
class Candidate:
    """A stored credential as the matcher sees it. `document` is the credential's JSON (the `vc`
    claim or JWT payload for VC-JWTs, every claim disclosed for SD-JWT VCs)."""

    id: str
    format: str  # DCQL format identifier, or the stored format when there is none
    document: dict
    title: str = ""
    status: str = ""
    payload: dict | None = None  # the JWT payload (VC-JWT), when different from `document`
    disclosable: list[str] = field(default_factory=list)  # SD-JWT: JSON Pointers that can be withheld
    _expanded_types: list[str] | None = None

    def types(self) -> list[str]:
        t = self.document.get("type")
        return [x for x in (t if isinstance(t, list) else [t]) if isinstance(x, str)]

    def expanded_types(self) -> list[str]:
        """The credential's types as IRIs (JSON-LD expansion, offline); [] when it cannot expand."""
        if self._expanded_types is None:
            self._expanded_types = []
            if "@context" in self.document:
                try:
                    from lerwallet.ld import expand

                    expanded = expand(self.document)
                    if expanded and isinstance(expanded[0], dict):
                        self._expanded_types = [t for t in expanded[0].get("@type", []) if isinstance(t, str)]
                except Exception:  # noqa: BLE001 - an unexpandable credential just has no IRIs
                    self._expanded_types = []
        return self._expanded_types


def candidate_from_stored(record, original: bytes) -> Candidate:
    """A Candidate from a CredentialRecord and its original bytes (never raises for odd data)."""
    fmt = DCQL_FORMATS.get(record.format, record.format)
    doc: dict = {}
    payload = None
    disclosable: list[str] = []
    try:
        if record.format == "sd-jwt":
            from lerwallet.proofs.sdjwt import all_claims

            doc, disclosable = all_claims(original.decode("ascii"))
        elif record.format == "vc-jwt":
            from lerwallet.proofs.jose import decode_compact

            _, payload, _, _ = decode_compact(original.decode("ascii").strip())
            doc = payload.get("vc") if isinstance(payload.get("vc"), dict) else payload
        else:  # JSON, or a badge baked into a PNG / SVG image: read as import and present read it
            from lerwallet.formats import decode_bytes

            envs = decode_bytes(original, f"credential {record.id[:10]}")
            if len(envs) == 1 and envs[0].error is None and isinstance(envs[0].unverified, dict):
                doc = envs[0].unverified
    except Exception:  # noqa: BLE001 - a candidate that cannot be read simply matches nothing
        doc = {}
    return Candidate(record.id, fmt, doc, record.title, record.status, payload, disclosable)


# --- matching ----------------------------------------------------------------------------------


@dataclass
class QueryMatch:
    query: CredentialQuery
    matched: list[tuple[str, str]] = field(default_factory=list)  # (candidate id, why)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (candidate id, why not)
    disclose: dict[str, list[str]] = field(default_factory=dict)  # candidate id -> JSON Pointers


@dataclass
class Selection:
    candidate_id: str
    query_id: str
    disclose: list[str] | None = None  # SD-JWT: JSON Pointers to reveal; None: no restriction


@dataclass
class MatchReport:
    request: Request
    results: list[QueryMatch]
    satisfied: bool
    problems: list[str] = field(default_factory=list)
    chosen_queries: list[str] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)

    def selection(self) -> list[Selection]:
        """The credentials to present: per chosen query its first match (all with `multiple`),
        each credential once (their disclosure sets merged)."""
        picked: dict[str, Selection] = {}
        by_id = {r.query.id: r for r in self.results}
        for qid in self.chosen_queries:
            result = by_id[qid]
            ids = [cid for cid, _ in result.matched]
            for cid in ids if result.query.multiple else ids[:1]:
                pointers = result.disclose.get(cid)
                if cid in picked:
                    prev = picked[cid]
                    if prev.disclose is not None and pointers is not None:
                        prev.disclose = sorted(set(prev.disclose) | set(pointers))
                    else:
                        prev.disclose = None
                else:
                    picked[cid] = Selection(cid, qid, pointers)
        return list(picked.values())

    def candidates_for(self) -> dict[str, list[str]]:
        """Query id -> every matching candidate id (for an interactive pick)."""
        return {r.query.id: [cid for cid, _ in r.matched] for r in self.results if r.query.id in self.chosen_queries}

    def explain(self) -> list[str]:
        """Lines for the learner: per query, what matched and why each other credential did not."""
        lines = []
        for r in self.results:
            head = f"query {r.query.id} ({r.query.describe()})"
            if r.query.reason:
                head += f": {r.query.reason}"
            lines.append(head)
            for cid, why in r.matched:
                lines.append(f"  matched  {cid[:8]}  {self.titles.get(cid, '')}: {why}")
            for cid, why in r.rejected:
                lines.append(f"  no       {cid[:8]}  {self.titles.get(cid, '')}: {why}")
            if not r.matched and not r.rejected:
                lines.append("  (the wallet holds no credentials)")
        lines.extend(self.problems)
        return lines

    def require(self) -> "MatchReport":
        if not self.satisfied:
            first = self.problems[0] if self.problems else "nothing in the wallet matches the request"
            raise NoMatchError(f"nothing answers the request: {first}",
                               hint="import the credential the verifier asks for, or ask them for another request "
                                    "(lerwallet present --request FILE --json shows every query and credential)")
        return self

    def to_dict(self) -> dict:
        return {
            "request": self.request.to_dict(),
            "satisfied": self.satisfied,
            "problems": self.problems,
            "queries": [{
                "id": r.query.id,
                "chosen": r.query.id in self.chosen_queries,
                "matched": [{"credential": cid, "why": why, **({"disclose": r.disclose[cid]} if cid in r.disclose else {})}
                            for cid, why in r.matched],
                "rejected": [{"credential": cid, "why": why} for cid, why in r.rejected],
            } for r in self.results],
            "selection": [{"credential": s.candidate_id, "query": s.query_id, "disclose": s.disclose}
                          for s in self.selection()] if self.satisfied else [],
        }


UNUSABLE_STATUSES = ("invalid", "damaged")


def match(request: Request, candidates: list[Candidate], *, allow_invalid: bool = False) -> MatchReport:
    """Match every query against every candidate, then decide which queries must be answered."""
    results = []
    for query in request.queries:
        result = QueryMatch(query)
        for cand in candidates:
            if cand.status in UNUSABLE_STATUSES and not (allow_invalid and cand.status == "invalid"):
                result.rejected.append((cand.id, f"stored as {cand.status}" +
                                        (" (--allow-invalid to offer it anyway)" if cand.status == "invalid" else "")))
                continue
            ok, why, pointers = _match_one(query, cand)
            if ok:
                result.matched.append((cand.id, why))
                if pointers is not None:
                    result.disclose[cand.id] = pointers
            else:
                result.rejected.append((cand.id, why))
        results.append(result)
    report = MatchReport(request, results, False, titles={c.id: c.title for c in candidates})
    _decide(report)
    return report


def _decide(report: MatchReport) -> None:
    by_id = {r.query.id: r for r in report.results}
    answered = {qid for qid, r in by_id.items() if r.matched}
    chosen: list[str] = []
    ok = True
    sets = report.request.credential_sets
    if sets is None:
        for r in report.results:
            if r.matched:
                chosen.append(r.query.id)
            elif r.query.required:
                ok = False
                report.problems.append(f"query {r.query.id} ({r.query.describe()}) matched no credential")
    else:
        for i, cs in enumerate(sets):
            option = next((o for o in cs.options if all(q in answered for q in o)), None)
            if option is not None:
                chosen.extend(q for q in option if q not in chosen)
            elif cs.required:
                ok = False
                missing = "; ".join(" and ".join(o) for o in cs.options)
                report.problems.append(f"credential set {i + 1} needs one of: {missing}; "
                                       f"matched queries: {', '.join(sorted(answered)) or 'none'}")
    report.chosen_queries = chosen
    report.satisfied = ok and (bool(chosen) or (report.request.did_auth and not report.request.queries))


def _match_one(query: CredentialQuery, cand: Candidate) -> tuple[bool, str, list[str] | None]:
    """(matches, why or why not, SD-JWT disclosure pointers or None)."""
    doc = cand.document
    if not doc:
        return False, "cannot be read as a credential", None
    reasons = []
    if query.source == DCQL:
        wanted = "dc+sd-jwt" if query.format == "vc+sd-jwt" else query.format
        if cand.format != wanted:
            return False, f"format {cand.format}, the query wants {query.format}", None
        reasons.append(f"format {cand.format}")
    elif cand.format not in ("ldp_vc", "jwt_vc_json"):
        return False, f"a {cand.format} credential: a VPR QueryByExample asks for W3C credentials", None
    if query.type_alternatives:
        got = _type_match(query.type_alternatives, cand)
        if got is None:
            have = ", ".join(cand.types()) or "none"
            want = " or ".join("+".join(_short(t) for t in alt) for alt in query.type_alternatives)
            return False, f"types {have}; the query wants {want}", None
        reasons.append("type " + "+".join(_short(t) for t in got))
    if query.vct_values:
        vct = doc.get("vct")
        if vct not in query.vct_values:
            return False, f"vct {vct!r} is not one of {', '.join(query.vct_values)}", None
        reasons.append(f"vct {vct}")
    if query.contexts:
        ctx = doc.get("@context")
        have = ctx if isinstance(ctx, list) else [ctx]
        missing = [c for c in query.contexts if c not in have]
        if missing:
            return False, f"no @context {missing[0]}", None
    if query.trusted_issuers:
        issuer = doc.get("issuer") if "issuer" in doc else doc.get("iss")
        issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
        if issuer_id not in query.trusted_issuers:
            return False, f"issuer {issuer_id} is not one the verifier trusts", None
        reasons.append("trusted issuer")
    if query.subject:
        why_not = _subject_mismatch(query.subject, doc.get("credentialSubject"))
        if why_not:
            return False, why_not, None
        reasons.append("subject fields " + ", ".join(sorted(query.subject)))
    pointers = None
    if query.claims is not None:
        found = _claims_match(query, cand)
        if isinstance(found, str):
            return False, found, None
        labels, concrete = found
        reasons.append("claims " + ", ".join(labels))
        if cand.format == "dc+sd-jwt":
            pointers = sorted(set(concrete))
    elif query.source == DCQL and cand.format == "dc+sd-jwt":
        pointers = list(cand.disclosable)  # no claims named: every claim is requested
    return True, "; ".join(reasons) or "any credential", pointers


def _type_match(alternatives: list[list[str]], cand: Candidate) -> list[str] | None:
    compact = set(cand.types())
    for alt in alternatives:
        if all(t in compact for t in alt):
            return alt
    if any(":" in t for alt in alternatives for t in alt):
        expanded = set(cand.expanded_types())
        for alt in alternatives:
            if all(t in compact or t in expanded for t in alt):
                return alt
    return None


def _subject_mismatch(example: dict, subject) -> str | None:
    subjects = subject if isinstance(subject, list) else [subject]
    subjects = [s for s in subjects if isinstance(s, dict)]
    if not subjects:
        return "no credentialSubject"
    best = None
    for s in subjects:
        miss = _example_mismatch(example, s, "credentialSubject")
        if miss is None:
            return None
        best = best or miss
    return best


def _example_mismatch(example, actual, where: str) -> str | None:
    """VPR QueryByExample: a field must exist; a non-empty scalar example value must be equal;
    an object is matched member by member. Empty strings, {} and null ask only for presence."""
    if isinstance(example, dict):
        if not isinstance(actual, dict):
            return f"{where} is not an object"
        for name, value in example.items():
            if name not in actual:
                return f"no {where}.{name}"
            miss = _example_mismatch(value, actual[name], f"{where}.{name}")
            if miss:
                return miss
        return None
    if example in ("", None) or example == [] or example == {}:
        return None
    if isinstance(example, list):
        return None if any(_example_mismatch(e, a, where) is None for e in example
                           for a in (actual if isinstance(actual, list) else [actual])) else f"{where} differs"
    values = actual if isinstance(actual, list) else [actual]
    return None if example in values else f"{where} is {json.dumps(actual)[:60]}, the query wants {json.dumps(example)}"


MAX_SELECTED = 10_000  # null wildcards multiply: a path over nested arrays selects at most this many


def select_path(root, path: tuple) -> list[tuple[tuple, object]]:
    """DCQL claims path processing: (concrete path, value) for every element the path selects
    (at most MAX_SELECTED: the rest of a huge selection is not looked at)."""
    current = [((), root)]
    for step in path:
        nxt = []
        for where, node in current:
            if step is None:
                if isinstance(node, list):
                    nxt.extend((where + (i,), v) for i, v in enumerate(node))
            elif isinstance(step, int):
                if isinstance(node, list) and step < len(node):
                    nxt.append((where + (step,), node[step]))
            elif isinstance(node, dict) and step in node:
                nxt.append((where + (step,), node[step]))
            if len(nxt) > MAX_SELECTED:
                nxt = nxt[:MAX_SELECTED]
                break
        if not nxt:
            return []
        current = nxt
    return current


def _pointer(path: tuple) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _claims_match(query: CredentialQuery, cand: Candidate):
    """([labels], [concrete pointers]) or the reason it does not match."""
    roots = [cand.document]
    if cand.format == "jwt_vc_json" and cand.payload is not None and cand.payload is not cand.document:
        roots.append(cand.payload)

    def one(claim: ClaimQuery):
        for root in roots:
            hits = select_path(root, claim.path)
            if claim.values is not None:
                hits = [(p, v) for p, v in hits if any(v == want and type(v) is type(want) for want in claim.values)]
            if hits:
                return [p for p, _ in hits]
        return None

    found = {}
    for claim in query.claims or []:
        found[claim.id or claim.label()] = (claim, one(claim))
    if query.claim_sets:
        for option in query.claim_sets:
            if all(found[cid][1] is not None for cid in option):
                chosen = [found[cid] for cid in option]
                break
        else:
            return "no claim set can be answered: " + _missing([c for c, p in found.values() if p is None])
    else:
        missing = [c for c, p in found.values() if p is None]
        if missing:
            return _missing(missing)
        chosen = list(found.values())
    labels = [c.label() for c, _ in chosen]
    concrete = [_pointer(p) for _, paths in chosen for p in paths]
    return labels, concrete


def _missing(claims: list[ClaimQuery]) -> str:
    parts = []
    for c in claims[:3]:
        parts.append(f"no claim {c.label()}" + (f" with value {' or '.join(map(str, c.values))}" if c.values else ""))
    return "; ".join(parts)
