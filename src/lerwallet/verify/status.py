"""Stage 6: status. Three outcomes, never two: ok (pass), revoked/suspended (fail), or unknown
with the reason (offline, unreachable, unsigned or forged list, expired list, unsupported
method). The status list is verified like any credential before a bit of it is believed."""

from __future__ import annotations

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


def _check_id(purpose: str) -> str:
    return f"status.{purpose}" if purpose in ("revocation", "suspension") else f"status.{purpose or 'unknown'}"


def _entry(state: CredentialState, entry: dict, opts: Options) -> list[Check]:
    etype = next((t for t in types_of(entry) if t in ENTRY_TYPES), None)
    purpose = entry.get("statusPurpose") if isinstance(entry.get("statusPurpose"), str) else ""
    cid = _check_id(purpose or "revocation")
    if etype is None:
        names = ", ".join(types_of(entry)) or "untyped"
        return [Check(cid, UNKNOWN, f"status method {names} is not supported; status not checked", "unsupported_status_method")]
    if purpose not in ("revocation", "suspension"):
        return [Check(cid, PASS, f"status purpose {purpose!r} carries no validity information; not checked")]
    url, index = entry.get("statusListCredential"), entry.get("statusListIndex")
    try:
        index = int(index)
        if not isinstance(url, str) or not url.startswith(("https://", "http://", "did:", "urn:")):
            raise ValueError
    except (TypeError, ValueError):
        return [Check(cid, UNKNOWN, "status entry lacks a statusListCredential URL or an integer statusListIndex", "malformed_status_entry")]
    try:
        data, origin = statuslists.get(url, cache=opts.status_cache, fetch=opts.get_fetch())
    except statuslists.Unavailable as exc:
        return [Check(cid, UNKNOWN, str(exc), exc.code, {"statusListCredential": url})]
    details = {"statusListCredential": url, "statusListIndex": index, "source": origin}
    list_doc, problem = _verified_list(data, ENTRY_TYPES[etype], purpose, opts)
    if problem:
        return [Check(cid, UNKNOWN, f"status list not usable: {problem[1]}", problem[0], details)]
    subject = list_doc["credentialSubject"] if isinstance(list_doc.get("credentialSubject"), dict) else {}
    size = entry.get("statusSize", subject.get("statusSize", 1))
    try:
        bits = bitstring.decode(subject.get("encodedList"))
        value = bitstring.value_at(bits, index, int(size) if str(size).isdigit() else 1)
    except bitstring.BitstringError as exc:
        return [Check(cid, UNKNOWN, f"status list not usable: {exc}", exc.code, details)]
    as_of = _as_of(list_doc)
    details["asOf"] = as_of
    checks = []
    if value:
        word = "revoked" if purpose == "revocation" else "suspended"
        checks.append(Check(cid, FAIL, f"{word} by the issuer (status list as of {as_of})", word, details))
    else:
        word = "not revoked" if purpose == "revocation" else "not suspended"
        checks.append(Check(cid, PASS, f"{word} (status list as of {as_of}, {origin})", "", details))
    list_issuer = id_of(list_doc.get("issuer"))
    if list_issuer and state.issuer_id and list_issuer != state.issuer_id:
        checks.append(
            Check("status.list-issuer", WARN, f"status list issued by {list_issuer}, not by the credential's issuer", "status_list_issuer_differs")
        )
    return checks


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
