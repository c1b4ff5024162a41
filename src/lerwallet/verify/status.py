"""Stage 6: status. Three outcomes, never two: ok (pass), revoked/suspended (fail), or unknown
with the reason (offline, unreachable, unsigned or forged list, expired list, unsupported
method). The status list is verified like any credential before a bit of it is believed.

Mechanisms: W3C Bitstring Status List (the Recommendation's validation rules, docs/verify.md),
its predecessors StatusList2021 and RevocationList2020 (legacy, still in circulation), and for
SD-JWT VCs the IETF Token Status List (`status.status_list` {idx, uri}, a signed
`statuslist+jwt` token; `tokenstatus.py`)."""

from __future__ import annotations

import json
import re

from lerwallet.verify import bitstring, statuslists
from lerwallet.dates import iso, parse_datetime, shift
from lerwallet.structs import Frozen
from lerwallet.verify.options import Options
from lerwallet.verify.report import FAIL, PASS, UNKNOWN, WARN, Check
from lerwallet.verify.state import CredentialState, as_list, id_of, types_of


class Method(Frozen):
    """One W3C status list mechanism: the names its entry and its list credential use."""

    FIELDS = ("list_type", "subject_type", "url", "index", "purpose")

    def __init__(self, list_type: str, subject_type: str, url: str, index: str, purpose: str | None = None) -> None:
        # the list credential's type, its credentialSubject's type, the entry member naming the
        # list credential, the one giving the position, and a fixed purpose (RevocationList2020
        # has no statusPurpose)
        self._set(list_type=list_type, subject_type=subject_type, url=url, index=index, purpose=purpose)


METHODS = {
    "BitstringStatusListEntry": Method("BitstringStatusListCredential", "BitstringStatusList", "statusListCredential", "statusListIndex"),
    "StatusList2021Entry": Method("StatusList2021Credential", "StatusList2021", "statusListCredential", "statusListIndex"),
    "RevocationList2020Status": Method("RevocationList2020Credential", "RevocationList2020", "revocationListCredential",
                                       "revocationListIndex", purpose="revocation"),
}
MIN_LIST_BITS = 131_072  # Bitstring Status List: at least 16 KiB uncompressed (herd privacy)


def run(state: CredentialState, opts: Options) -> list[Check]:
    entries = [e for e in as_list(state.doc.get("credentialStatus")) if isinstance(e, dict)]
    if state.securing == "sd-jwt" and isinstance(state.doc.get("status"), dict):
        from lerwallet.verify import tokenstatus

        return tokenstatus.run(state, state.doc["status"], opts)
    if not entries:
        return [Check("status", PASS, "no status information: the issuer does not publish revocation for it")]
    checks: list[Check] = []
    for entry in entries:
        checks.extend(_entry(state, entry, opts))
    return checks


PURPOSES = ("revocation", "suspension", "refresh", "message")
_DIGITS = re.compile(r"[0-9]{1,15}")
MAX_STATUS_SIZE = 32  # bits per entry; the spec sets no cap, real lists use 1-8


def _entry(state: CredentialState, entry: dict, opts: Options) -> list[Check]:
    etype = next((t for t in types_of(entry) if t in METHODS), None)
    method = METHODS.get(etype or "")
    purpose = method.purpose if method and method.purpose else entry.get("statusPurpose")
    if method is None:
        names = ", ".join(types_of(entry)) or "untyped"
        cid = f"status.{purpose}" if purpose in ("revocation", "suspension") else "status"
        return [Check(cid, UNKNOWN, f"status method {names} is not supported; status not checked", "unsupported_status_method")]
    if purpose not in PURPOSES:
        shown = "no statusPurpose" if purpose is None else f"statusPurpose {str(purpose)[:40]!r}"
        return [_malformed("status", f"{etype} with {shown} (expected one of {', '.join(PURPOSES)})")]
    cid = f"status.{purpose}"
    if purpose == "refresh":
        return [Check(cid, PASS, "status purpose 'refresh' carries no validity information; not checked")]
    url, index, size = entry.get(method.url), _index(entry.get(method.index)), _size(entry)
    if not isinstance(url, str) or not url.startswith(("https://", "http://", "did:", "urn:")):
        return [_malformed(cid, f"the status entry lacks a {method.url} URL")]
    if isinstance(entry.get("id"), str) and entry["id"] == url:
        return [_malformed(cid, f"the entry's id is the status list's URL ({method.url}); it must name the entry")]
    if index is None:
        shown = json.dumps(entry.get(method.index))[:40]
        return [_malformed(cid, f"{method.index} {shown} is not a non-negative integer (or a string of digits)")]
    if size is None:
        return [_malformed(cid, f"statusSize {json.dumps(entry.get('statusSize'))[:40]} is not an integer from 1 to {MAX_STATUS_SIZE}")]
    messages = _messages(entry, size)
    if messages is None:
        return [_malformed(cid, f"statusMessage must list exactly one message for each of the {2 ** size} values of a "
                                f"{size}-bit status (statusSize above 1 requires it)")]
    try:
        data, origin = statuslists.get(url, cache=opts.status_cache, fetch=opts.get_fetch())
    except statuslists.Unavailable as exc:
        return [_soft(purpose, Check(cid, UNKNOWN, str(exc), exc.code, {method.url: url}))]
    details = {method.url: url, method.index: index, "source": origin}
    list_doc, problem = _verified_list(data, method, purpose, opts)
    if problem:
        return [_soft(purpose, Check(cid, UNKNOWN, f"status list not usable: {problem[1]}", problem[0], details))]
    list_issuer = id_of(list_doc.get("issuer"))
    if list_issuer != state.issuer_id:  # a bit from someone else's list says nothing about this credential
        why = f"status list issued by {list_issuer or 'nobody'}, not by the credential's issuer {state.issuer_id}"
        return [_soft(purpose, Check(cid, UNKNOWN, f"{why}: its bits are not believed", "status_list_issuer_differs", details)),
                _soft(purpose, Check("status.list-issuer", UNKNOWN, why, "status_list_issuer_differs"))]
    subject = list_doc["credentialSubject"] if isinstance(list_doc.get("credentialSubject"), dict) else {}
    try:
        bits = bitstring.decode(subject.get("encodedList"))
        value = bitstring.value_at(bits, index, size)
    except bitstring.BitstringError as exc:
        return [_soft(purpose, Check(cid, UNKNOWN, f"status list not usable: {exc}", exc.code, details))]
    as_of = _as_of(list_doc)
    details["asOf"] = as_of
    stale = _stale(list_doc, origin, opts)
    message = messages.get(value, "")
    if size > 1:
        details["status"] = hex(value)
        details["message"] = message
    said = f": {message}" if message else ""
    extra = [_short_list(len(bits) * 8, size)] if len(bits) * 8 < MIN_LIST_BITS else []
    if purpose == "message":
        return [Check(cid, PASS, f"status {hex(value)}{said} (status list as of {as_of}{stale})", "", details)] + extra
    if value:
        word = "revoked" if purpose == "revocation" else "suspended"
        return [Check(cid, FAIL, f"{word} by the issuer{said} (status list as of {as_of}{stale})", word, details)] + extra
    word = "not revoked" if purpose == "revocation" else "not suspended"
    return [Check(cid, PASS, f"{word} (status list as of {as_of}, {origin}{stale})", "", details)] + extra


def _short_list(length: int, size: int) -> Check:
    """Bitstring Status List 3.2 step 9 (STATUS_LIST_LENGTH_ERROR): a list shorter than 131,072
    bits gives its holders little herd privacy. The bit read is still the issuer's signed word, so
    this is a warning (a failure under --strict); the reference libraries do not check it."""
    return Check("status.list-length", WARN,
                 f"the status list has {length:,} bits, fewer than the {MIN_LIST_BITS:,} the Bitstring Status List "
                 f"Recommendation requires (STATUS_LIST_LENGTH_ERROR: too small a list weakens holders' privacy); "
                 f"its {size}-bit value was still read", "status_list_too_short", {"bits": length, "minimum": MIN_LIST_BITS})


def _stale(doc: dict, origin: str, opts: Options) -> str:
    """`ttl` (milliseconds) past for a list read from the cache folder: a newer one may exist."""
    ttl = doc.get("ttl") if not isinstance(doc.get("credentialSubject"), dict) else doc["credentialSubject"].get("ttl", doc.get("ttl"))
    start = parse_datetime(doc.get("validFrom") or doc.get("issuanceDate"))
    if origin == "fetched online" or start is None or isinstance(ttl, bool) or not isinstance(ttl, (int, float)) or ttl <= 0:
        return ""
    try:
        expires = shift(start, ttl / 1000)
    except (OverflowError, ValueError):
        return ""
    return f"; its ttl ran out at {iso(expires)}, a newer list may exist (--online)" if expires < opts.now() else ""


def _malformed(cid: str, reason: str) -> Check:
    return Check(cid, UNKNOWN, f"malformed status entry: {reason}; status not checked", "malformed_status_entry")


def _soft(purpose: str, check: Check) -> Check:
    """A status message is information, not validity: not being able to read it is a warning."""
    if purpose == "message" and check.outcome == UNKNOWN:
        check.outcome = WARN
    return check


def _index(value: object) -> int | None:
    """statusListIndex: an integer >= 0; the specs write it as a string of decimal digits."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 <= value < 10**15 else None
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        return int(value)
    return None


def _size(entry: dict) -> int | None:
    value = entry.get("statusSize", 1)
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_STATUS_SIZE:
        return None
    return value


def _messages(entry: dict, size: int) -> dict[int, str] | None:
    """{status value: message} from statusMessage ([{"status": "0x1", "message": ...}]); None when
    it is malformed: statusSize > 1 needs it, and when present it must give exactly one message
    for each of the 2**statusSize values (Bitstring Status List 2.1)."""
    items = as_list(entry.get("statusMessage"))
    if not items:
        return None if size > 1 else {}
    if len(items) != 2 ** size:
        return None
    found: dict[int, str] = {}
    for item in items:
        if not (isinstance(item, dict) and isinstance(item.get("status"), str) and isinstance(item.get("message"), str)):
            return None
        text = item["status"]
        if not re.fullmatch(r"0x[0-9a-fA-F]{1,8}", text):
            return None
        value = int(text, 16)
        if value >= 2 ** size or value in found:
            return None
        found[value] = item["message"][:200]
    return found


def _verified_list(data: bytes, method: Method, purpose: str, opts: Options) -> tuple[dict, tuple[str, str] | None]:
    from lerwallet.formats.errors import FormatError
    from lerwallet.formats.json_doc import loads
    from lerwallet.verify import proof, validity

    try:
        doc = loads(data)
    except FormatError as exc:
        return {}, ("malformed_status_list", exc.message)
    if not isinstance(doc, dict):
        return {}, ("malformed_status_list", "not a JSON object")
    if method.list_type not in types_of(doc):
        return doc, ("malformed_status_list", f"type lacks {method.list_type}")
    subject = doc.get("credentialSubject")
    if not isinstance(subject, dict) or method.subject_type not in types_of(subject):
        return doc, ("malformed_status_list", f"its credentialSubject is not of type {method.subject_type}")
    if method.purpose is None:
        list_purposes = as_list(subject.get("statusPurpose"))
        if purpose not in list_purposes:
            return doc, ("status_purpose_mismatch", f"list purpose {list_purposes} does not include {purpose}")
    state = CredentialState(source="status list", securing="ldp", unverified=doc)
    result = proof.run(state, opts)[0]
    if result.outcome != PASS:
        word = "unsigned" if result.code == "no_proof" else "its proof failed" if result.outcome == FAIL else "its proof could not be checked"
        return doc, ("status_list_" + ("unsigned" if result.code == "no_proof" else "proof"), f"list {word}: {result.reason}")
    from lerwallet.verify import graph

    hidden = graph.check(doc, opts.get_loader())
    if hidden is not None:
        return doc, ("status_list_" + hidden.code, f"list {hidden.reason}")
    for check in validity.run(state, opts):
        if check.outcome == FAIL:
            code = "status_list_expired" if check.id == "expiration" else "status_list_not_yet_valid"
            return doc, (code, check.reason.replace("authentic but ", ""))
    return doc, None


def _as_of(doc: dict) -> str:
    for name in ("validFrom", "issuanceDate"):
        when = parse_datetime(doc.get(name))
        if when:
            return iso(when)
    proofs = [p for p in as_list(doc.get("proof")) if isinstance(p, dict)]
    when = parse_datetime(proofs[0].get("created")) if proofs else None
    return iso(when) if when else "an undated time"
