"""Stage 6: status. Three outcomes, never two: ok (pass), revoked/suspended (fail), or unknown
with the reason (offline, unreachable, unsigned or forged list, expired list, unsupported
method). The status list is verified like any credential before a bit of it is believed."""

from __future__ import annotations

import json
import re

from lerwallet.verify import bitstring, statuslists
from lerwallet.verify.dates import iso, parse_datetime
from lerwallet.verify.options import Options
from lerwallet.verify.report import FAIL, PASS, UNKNOWN, WARN, Check
from lerwallet.verify.state import CredentialState, as_list, id_of, types_of

ENTRY_TYPES = {"BitstringStatusListEntry": "BitstringStatusListCredential", "StatusList2021Entry": "StatusList2021Credential"}


def run(state: CredentialState, opts: Options) -> list[Check]:
    entries = [e for e in as_list(state.doc.get("credentialStatus")) if isinstance(e, dict)]
    if state.securing == "sd-jwt" and isinstance(state.doc.get("status"), dict):
        return [Check("status", UNKNOWN, "the SD-JWT VC names an IETF Token Status List, which this verifier "
                      "cannot check yet; status not checked", "unsupported_status_method")]
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
    etype = next((t for t in types_of(entry) if t in ENTRY_TYPES), None)
    purpose = entry.get("statusPurpose")
    if etype is None:
        names = ", ".join(types_of(entry)) or "untyped"
        cid = f"status.{purpose}" if purpose in ("revocation", "suspension") else "status"
        return [Check(cid, UNKNOWN, f"status method {names} is not supported; status not checked", "unsupported_status_method")]
    if purpose not in PURPOSES:
        shown = "no statusPurpose" if purpose is None else f"statusPurpose {str(purpose)[:40]!r}"
        return [_malformed("status", f"{etype} with {shown} (expected one of {', '.join(PURPOSES)})")]
    cid = f"status.{purpose}"
    if purpose == "refresh":
        return [Check(cid, PASS, "status purpose 'refresh' carries no validity information; not checked")]
    url, index, size = entry.get("statusListCredential"), _index(entry.get("statusListIndex")), _size(entry)
    if not isinstance(url, str) or not url.startswith(("https://", "http://", "did:", "urn:")):
        return [_malformed(cid, "the status entry lacks a statusListCredential URL")]
    if index is None:
        shown = json.dumps(entry.get("statusListIndex"))[:40]
        return [_malformed(cid, f"statusListIndex {shown} is not a non-negative integer (or a string of digits)")]
    if size is None:
        return [_malformed(cid, f"statusSize {json.dumps(entry.get('statusSize'))[:40]} is not an integer from 1 to {MAX_STATUS_SIZE}")]
    messages = _messages(entry, size)
    if messages is None:
        return [_malformed(cid, "statusSize is above 1 but statusMessage does not list a message for each value")]
    try:
        data, origin = statuslists.get(url, cache=opts.status_cache, fetch=opts.get_fetch())
    except statuslists.Unavailable as exc:
        return [_soft(purpose, Check(cid, UNKNOWN, str(exc), exc.code, {"statusListCredential": url}))]
    details = {"statusListCredential": url, "statusListIndex": index, "source": origin}
    list_doc, problem = _verified_list(data, ENTRY_TYPES[etype], purpose, opts)
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
    message = messages.get(value, "")
    if size > 1:
        details["status"] = hex(value)
        details["message"] = message
    said = f": {message}" if message else ""
    if purpose == "message":
        return [Check(cid, PASS, f"status {hex(value)}{said} (status list as of {as_of})", "", details)]
    if value:
        word = "revoked" if purpose == "revocation" else "suspended"
        return [Check(cid, FAIL, f"{word} by the issuer{said} (status list as of {as_of})", word, details)]
    word = "not revoked" if purpose == "revocation" else "not suspended"
    return [Check(cid, PASS, f"{word} (status list as of {as_of}, {origin})", "", details)]


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
    statusSize > 1 and the list of messages is missing or incomplete (Bitstring Status List MUST)."""
    found: dict[int, str] = {}
    for item in as_list(entry.get("statusMessage")):
        if isinstance(item, dict) and isinstance(item.get("status"), str) and isinstance(item.get("message"), str):
            try:
                found[int(item["status"], 16)] = item["message"][:200]
            except ValueError:
                continue
    if size > 1 and len(found) < min(2**size, 1024):
        return None
    return found


def _verified_list(data: bytes, expected_type: str, purpose: str, opts: Options) -> tuple[dict, tuple[str, str] | None]:
    from lerwallet.formats.errors import FormatError
    from lerwallet.formats.json_doc import loads
    from lerwallet.verify import proof, validity

    try:
        doc = loads(data)
    except FormatError as exc:
        return {}, ("malformed_status_list", exc.message)
    if not isinstance(doc, dict):
        return {}, ("malformed_status_list", "not a JSON object")
    if expected_type not in types_of(doc):
        return doc, ("malformed_status_list", f"type lacks {expected_type}")
    subject = doc.get("credentialSubject")
    list_purposes = as_list(subject.get("statusPurpose")) if isinstance(subject, dict) else []
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
