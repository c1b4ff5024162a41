"""Credentials in the wallet: import (with duplicate detection), list, get, delete, and the
verification status each one was given (see `lerwallet.store.importer` for the pipeline).

Each credential is up to four records, written in one transaction:
  credential           <id>      summary + metadata + status (small: `list` decrypts only these)
  credential-original  <id>      the original bytes, verbatim (signed bytes are never re-serialized)
  credential-digest    <digest>  {"id": <id>}; digest = keyed HMAC of the original bytes, and
                                 for a JSON credential a second one of its canonical JSON (so the
                                 same credential read from its file and from a presentation,
                                 whose bytes differ, is one credential)
  credential-checks    <id>      the per-check results of the last verification (for `show`)
  credential-image     <id>      the badge image a baked credential arrived in (PNG or SVG, verbatim:
                                 {media_type, bytes}); `export --baked` gives it back
  credential-evidence  <random>  one evidence file stored with a self-attested record (`lerwallet add
                                 --evidence FILE`): {name, media_type, size, sha256, bytes}; the
                                 credential's summary lists them (`evidence_files`, with `blob` = this id)

A CLR 2.0 is one credential record, and each credential inside it is one more (its own
original: the nested JSON or JWT, its own status), whose summary names the CLR (`clr`: {id,
title}); the CLR's summary lists them (`clr_members`: [id, ...]). Deleting the CLR deletes them.
A credential imported on its own before or after the CLR arrives is linked, not stored twice:
its `clr` has `imported_alone: true`, and it stays (without the reference) when the CLR is
deleted. A credential two CLRs hold is stored once, named by the first CLR's `clr` reference and
listed by both; deleting one CLR keeps it, its reference moved to the other.
"""

from __future__ import annotations

import base64
import json

from lerwallet.errors import InputError, IntegrityError
from lerwallet.store.vault import Wallet, new_id
from lerwallet.structs import Struct
from lerwallet.utc import iso

KIND = "credential"
KIND_ORIGINAL = "credential-original"
KIND_DIGEST = "credential-digest"
KIND_CHECKS = "credential-checks"
KIND_EVIDENCE = "credential-evidence"
KIND_IMAGE = "credential-image"
IMAGE_TYPES = {"png": "image/png", "svg": "image/svg+xml"}
MAX_CREDENTIAL_BYTES = 16 * 1024 * 1024

# Statuses (docs/wallet.md "Statuses"). The first six come from verification at import or recheck.
STATUS_VERIFIED = "verified"  # every check that ran passed (warnings allowed)
STATUS_EXPIRED = "expired"  # authentic, but past its validUntil / expirationDate / exp
STATUS_NOT_YET_VALID = "not-yet-valid"  # authentic, but its validFrom is in the future
STATUS_INCONCLUSIVE = "inconclusive"  # nothing failed, something could not be checked (offline)
STATUS_UNSIGNED = "unsigned"  # no proof at all: the learner's own record, not forged, not authentic
STATUS_INVALID = "invalid"  # a check failed (signature, status list, trust); stored only on request
STATUS_UNVERIFIED = "unverified"  # imported before import verified anything; `recheck` sets a status
STATUS_DAMAGED = "damaged"  # the stored record itself failed its integrity check
STATUSES = (STATUS_VERIFIED, STATUS_EXPIRED, STATUS_NOT_YET_VALID, STATUS_INCONCLUSIVE, STATUS_UNSIGNED,
            STATUS_INVALID, STATUS_UNVERIFIED, STATUS_DAMAGED)


class CredentialRecord(Struct):
    """One stored credential as the wallet knows it. `summary` is display data, never trusted."""

    FIELDS = ("id", "summary", "status", "format", "imported_at", "source", "duplicate", "error", "container",
              "via", "checked_at", "reason")

    def __init__(self, id: str, summary: dict | None = None, status: str = STATUS_UNVERIFIED,  # noqa: A002
                 format: str = "vc-json-ld", imported_at: str = "", source: str = "", duplicate: bool = False,  # noqa: A002
                 error: str = "", container: str = "", via: str = "", checked_at: str = "", reason: str = "") -> None:
        self.id = id
        self.summary = {} if summary is None else summary
        self.status = status
        self.format = format  # vc-json-ld | vc-jwt | sd-jwt | ob2
        self.imported_at = imported_at
        self.source = source
        self.duplicate = duplicate  # set by import_credential when the bytes were already stored
        self.error = error  # integrity failure message when status == "damaged"
        self.container = container  # how it arrived: json | jwt | sd-jwt | png | svg (png/svg: a baked badge image)
        self.via = via  # "presentation" or "array" when it came inside one; "" when it was the whole input
        self.checked_at = checked_at  # when verification last ran ("" for unverified records)
        self.reason = reason  # one line: why the status is not "verified"

    @property
    def title(self) -> str:
        return self.summary.get("title", "")

    @property
    def issuer(self) -> str:
        return self.summary.get("issuer_name") or self.summary.get("issuer_id", "")

    @property
    def clr_id(self) -> str:
        """The id of the CLR this credential came inside ("" for any other)."""
        ref = self.summary.get("clr")
        return str(ref.get("id") or "") if isinstance(ref, dict) else ""

    @property
    def clr_members(self) -> list[str]:
        """For a CLR: the records of the credentials inside it."""
        members = self.summary.get("clr_members")
        return [m for m in members if isinstance(m, str)] if isinstance(members, list) else []

    def listing(self) -> dict:
        """The stable `lerwallet list --json` object."""
        return {
            "id": self.id,
            "title": self.title,
            "issuer": self.issuer,
            "kind": self.summary.get("kind", ""),
            "issued": self.summary.get("issued", ""),
            "valid_until": self.summary.get("valid_until", ""),
            "status": self.status,
            "self_attested": _model().summary_self_attested(self.summary),
            "superseded_by": self.summary.get("superseded_by") or None,
            "clr": self.clr_id,  # the CLR it came inside ("" for none)
        }

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "status": self.status,
            "format": self.format,
            "imported_at": self.imported_at,
            "source": self.source,
            "container": self.container,
            "via": self.via,
            "checked_at": self.checked_at,
            "reason": self.reason,
            "summary": self.summary,
            **({"error": self.error} if self.error else {}),
        }



_MODEL = None


def _model():
    """`lerwallet.model`, loaded when first needed: plain `list` of a sound wallet never needs it."""
    global _MODEL
    if _MODEL is None:
        from lerwallet import model

        _MODEL = model
    return _MODEL


def parse_json_credential(raw: bytes) -> dict:
    """The credential document in `raw`, or InputError saying exactly what is wrong with it."""
    if len(raw) > MAX_CREDENTIAL_BYTES:
        raise InputError(f"input is too large ({len(raw)} bytes; limit {MAX_CREDENTIAL_BYTES})")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("not a JSON credential: the input is not UTF-8 text") from None
    if not text.strip():
        raise InputError("not a JSON credential: the input is empty")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not a JSON credential: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    if not isinstance(doc, dict):
        raise InputError(f"not a credential: expected a JSON object, found a JSON {type(doc).__name__}")
    types = doc.get("type")
    types = types if isinstance(types, list) else [types]
    if "VerifiablePresentation" in types:
        raise InputError(
            "this is a presentation, not a credential",
            hint="check it with: lerwallet verify FILE",
        )
    if "@context" not in doc:
        raise InputError("not a verifiable credential: no @context")
    if "VerifiableCredential" not in types:
        raise InputError("not a verifiable credential: type does not include VerifiableCredential")
    return doc


def _now() -> str:
    return iso()


def import_credential(
    w: Wallet,
    raw: bytes,
    *,
    source: str = "",
    doc: dict | None = None,
    format: str = "vc-json-ld",
    status: str = STATUS_UNVERIFIED,
    now: str | None = None,
    summary: dict | None = None,
    checks: list[dict] | None = None,
    checked_at: str = "",
    reason: str = "",
    container: str = "",
    via: str = "",
    emails: list[str] | None = None,
    image: bytes | None = None,
) -> CredentialRecord:
    """Store `raw` verbatim with its summary, atomically. Already stored: the existing record,
    with `duplicate=True`, and nothing written. Importers that parsed `raw` themselves pass `doc`
    (or a ready `summary`); `checks` are the per-check results behind `status`; `emails` the
    addresses its recipient was checked against (`import --email`), kept with the checks for
    `recheck`; `image` the badge image a baked credential came in (`container` png or svg)."""
    if doc is None and summary is None:
        doc = parse_json_credential(raw)
    index = _index(w, raw)
    with w.transaction():
        existing = _stored_as(w, index)
        if existing is not None:
            if image is not None and container in IMAGE_TYPES and not w.has(KIND_IMAGE, existing):
                _put_image(w, existing, container, image)  # it arrives baked now: the image is kept
            record = get_credential(w, existing)
            record.duplicate = True
            return record
        record = CredentialRecord(
            id=new_id(),
            summary=summary if summary is not None else _model().summarize(doc).to_dict(),
            status=status,
            format=format,
            imported_at=now or _now(),
            source=source,
            container=container,
            via=via,
            checked_at=checked_at,
            reason=reason,
        )
        _write(w, record.id, {**record.to_dict(), "size": len(raw)}, raw, index,
               _checks_record(checked_at, checks, emails) if checks is not None else None)
        if image is not None and container in IMAGE_TYPES:
            _put_image(w, record.id, container, image)
    return record


def _put_image(w: Wallet, record_id: str, container: str, image: bytes) -> None:
    w.put(KIND_IMAGE, record_id, {"media_type": IMAGE_TYPES[container], "bytes": base64.b64encode(image).decode("ascii")})


def get_image(w: Wallet, record_id: str) -> tuple[str, bytes] | None:
    """(media type, bytes) of the badge image the credential arrived in, or None (not baked,
    or imported before images were kept)."""
    if not w.has(KIND_IMAGE, record_id):
        return None
    data = w.get(KIND_IMAGE, record_id)
    try:
        return str(data["media_type"]), base64.b64decode(data["bytes"], validate=True)
    except (KeyError, TypeError, ValueError):
        raise IntegrityError(f"{KIND_IMAGE} {record_id} is malformed") from None


def restore_credential(w: Wallet, record_id: str, data: dict, raw: bytes, checks: dict | None,
                       image: dict | None = None) -> tuple[str, bool]:
    """Put a credential from a backup into `w`: its duplicate index is rebuilt under this
    wallet's key (a backup never carries it). Returns (its id here, True) when the same
    credential is stored already (nothing written), else (the id it was stored under, False):
    the backup's id, or a new one when that id is taken. `relink_restored` then mends the CLR
    references the backup's ids made."""
    index = _index(w, raw)
    with w.transaction():
        existing = _stored_as(w, index)
        if existing is not None:
            return existing, True
        if w.has(KIND, record_id):
            record_id = new_id()
        record = {k: v for k, v in data.items() if k not in ("digest", "content_digest")}
        _write(w, record_id, {**record, "id": record_id}, raw, index, checks)
        if image is not None:
            w.put(KIND_IMAGE, record_id, image)
    return record_id, False


def relink_restored(w: Wallet, restored: list[tuple[dict, str, bool]]) -> None:
    """After a restore (in its transaction): the CLR references of the restored credentials,
    made with the backup's ids, point at the records here. `restored` holds (the backup's
    record data, id here, duplicate). A CLR's credentials that were here already (a merge) are
    linked to it as `link_to_clr` links one imported alone before its CLR."""
    ids = {str(data.get("id")): here for data, here, _ in restored if data.get("id")}
    for data, here, duplicate in restored:  # the CLRs' lists of contents first
        summary = data.get("summary") if isinstance(data.get("summary"), dict) else {}
        members = summary.get("clr_members")
        if duplicate or not isinstance(members, list) or all(ids.get(m, m) == m for m in members):
            continue
        stored = w.get(KIND, here)
        stored_summary = stored.get("summary") if isinstance(stored.get("summary"), dict) else {}
        w.put(KIND, here, {**stored, "summary": {**stored_summary, "clr_members": [ids.get(m, m) for m in members]}})
    for data, here, duplicate in restored:  # then each credential's reference to its CLR
        summary = data.get("summary") if isinstance(data.get("summary"), dict) else {}
        ref = summary.get("clr") if isinstance(summary.get("clr"), dict) else {}
        clr_here = ids.get(str(ref.get("id") or ""))
        if clr_here is None or not w.has(KIND, clr_here):
            continue
        if duplicate:
            link_to_clr(w, here, clr_here, str(ref.get("title") or ""))
        elif clr_here != ref.get("id"):
            stored = w.get(KIND, here)
            w.put(KIND, here, {**stored, "summary": {**stored["summary"], "clr": {**ref, "id": clr_here}}})
        add_clr_members(w, clr_here, [here])


def _index(w: Wallet, raw: bytes) -> dict[str, str]:
    """The keyed duplicate-index digests of an original: its bytes, and for JSON its content."""
    content = _canonical_json(raw)
    index = {"digest": w.keyed_digest("credential-bytes", raw)}
    if content is not None:
        index["content_digest"] = w.keyed_digest("credential-json", content)
    return index


def _stored_as(w: Wallet, index: dict[str, str]) -> str | None:
    """The id of the credential already stored under one of these digests (a stale index row,
    whose credential is gone, is dropped on the way); None when there is none."""
    for known in index.values():
        if not w.has(KIND_DIGEST, known):
            continue
        existing = str(w.get(KIND_DIGEST, known).get("id", ""))
        if w.has(KIND, existing):
            return existing
        w.delete(KIND_DIGEST, known)
    return None


def _write(w: Wallet, record_id: str, data: dict, raw: bytes, index: dict[str, str], checks: dict | None) -> None:
    """The records of one credential (summary, original, index rows, checks); inside the caller's transaction."""
    w.put(KIND, record_id, {**data, **index})
    w.put(KIND_ORIGINAL, record_id, {"bytes": base64.b64encode(raw).decode("ascii")})
    for known in index.values():
        w.put(KIND_DIGEST, known, {"id": record_id})
    if checks is not None:
        w.put(KIND_CHECKS, record_id, checks)


def _canonical_json(raw: bytes) -> bytes | None:
    """A JSON object's content independent of its layout (key order, spacing, escapes), or None
    for anything else (a JWT is its own canonical form). Not RDF canonicalization: a credential
    re-serialized with other JSON-LD terms is a different document, and stays one."""
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    if not body.lstrip()[:1] == b"{":
        return None
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _checks_record(checked_at: str, checks: list[dict], emails: list[str] | None) -> dict:
    return {"checked_at": checked_at, "checks": checks, **({"emails": list(emails)} if emails else {})}


def set_verification(w: Wallet, record_id: str, *, status: str, reason: str, checks: list[dict],
                     checked_at: str, emails: list[str] | None = None) -> CredentialRecord:
    """Record a new verification result for a stored credential (both records in one transaction)."""
    with w.transaction():
        data = w.get(KIND, record_id)
        data.update(status=status, reason=reason, checked_at=checked_at)
        w.put(KIND, record_id, data)
        w.put(KIND_CHECKS, record_id, _checks_record(checked_at, checks, emails))
    return _record(record_id, data)


def checked_emails(w: Wallet, record_id: str) -> list[str]:
    """The addresses the credential's recipient was last checked against ([] when none was given)."""
    if not w.has(KIND_CHECKS, record_id):
        return []
    emails = w.get(KIND_CHECKS, record_id).get("emails")
    return [e for e in emails if isinstance(e, str)] if isinstance(emails, list) else []


def add_clr_members(w: Wallet, clr_id: str, ids: list[str]) -> None:
    """Name the records of the credentials inside a CLR in the CLR's summary (in the caller's
    transaction); nothing is written when it names them all already."""
    data = w.get(KIND, clr_id)
    summary = data.get("summary") if isinstance(data.get("summary"), dict) else {}
    known = [m for m in summary.get("clr_members", []) if isinstance(m, str)] if isinstance(summary.get("clr_members"), list) else []
    new = [i for i in dict.fromkeys(ids) if i not in known and i != clr_id]
    if not new and "clr_members" in summary:
        return
    summary["clr_members"] = known + new
    data["summary"] = summary
    w.put(KIND, clr_id, data)


def link_to_clr(w: Wallet, record_id: str, clr_id: str, clr_title: str) -> dict | None:
    """A credential stored before on its own that a CLR arriving later holds too: give it the
    reference to that CLR (`clr`: {id, title, imported_alone: true}; in the caller's
    transaction). Returns its new summary, or None when it names a CLR already (kept: the first).
    `imported_alone` keeps it when that CLR is deleted (the learner imported it by itself)."""
    data = w.get(KIND, record_id)
    summary = data.get("summary") if isinstance(data.get("summary"), dict) else {}
    ref = summary.get("clr")
    if isinstance(ref, dict) and ref.get("id") or record_id == clr_id:
        return None
    summary = {**summary, "clr": {"id": clr_id, "title": clr_title, "imported_alone": True}}
    w.put(KIND, record_id, {**data, "summary": summary})
    return summary


def held_alone(w: Wallet, record_id: str) -> dict | None:
    """The learner imports on its own a credential stored as part of a CLR: it is theirs now too
    (`imported_alone` on its `clr` reference; in the caller's transaction), so deleting the CLR
    keeps it. Returns its new summary, or None when nothing changes."""
    data = w.get(KIND, record_id)
    summary = data.get("summary") if isinstance(data.get("summary"), dict) else {}
    ref = summary.get("clr")
    if not isinstance(ref, dict) or not ref.get("id") or ref.get("imported_alone"):
        return None
    summary = {**summary, "clr": {**ref, "imported_alone": True}}
    w.put(KIND, record_id, {**data, "summary": summary})
    return summary


def _relink(w: Wallet, record_id: str, clr_id: str, holder: dict | None) -> None:
    """A credential that outlives the deletion of CLR `clr_id`: its `clr` reference to that CLR
    moves to `holder` ({id, title}: another CLR that lists it), or is dropped (imported alone)."""
    try:
        data = w.get(KIND, record_id)
    except IntegrityError:
        return
    summary = data.get("summary") if isinstance(data.get("summary"), dict) else {}
    ref = summary.get("clr")
    if not (isinstance(ref, dict) and ref.get("id") == clr_id):
        return
    if holder is None:
        summary = {k: v for k, v in summary.items() if k != "clr"}
    else:
        summary = {**summary, "clr": {**holder, **({"imported_alone": True} if ref.get("imported_alone") else {})}}
    w.put(KIND, record_id, {**data, "summary": summary})


def members_of(w: Wallet, record: CredentialRecord) -> list[CredentialRecord]:
    """The stored credentials inside a CLR (in the CLR's order; a damaged one as damaged)."""
    out = []
    for member in record.clr_members:
        if not w.has(KIND, member):
            continue
        try:
            out.append(get_credential(w, member))
        except IntegrityError as exc:
            out.append(CredentialRecord(id=member, status=STATUS_DAMAGED, error=exc.message))
    return out


def get_checks(w: Wallet, record_id: str) -> list[dict]:
    """The per-check results of the last verification ([] when it never ran)."""
    if not w.has(KIND_CHECKS, record_id):
        return []
    checks = w.get(KIND_CHECKS, record_id).get("checks")
    return [c for c in checks if isinstance(c, dict)] if isinstance(checks, list) else []


def _record(record_id: str, data: dict) -> CredentialRecord:
    return CredentialRecord(
        id=record_id,
        summary=data.get("summary", {}) if isinstance(data.get("summary"), dict) else {},
        status=str(data.get("status", STATUS_UNVERIFIED)),
        format=str(data.get("format", "")),
        imported_at=str(data.get("imported_at", "")),
        source=str(data.get("source", "")),
        container=str(data.get("container", "")),
        via=str(data.get("via", "")),
        checked_at=str(data.get("checked_at", "")),
        reason=str(data.get("reason", "")),
    )


def list_credentials(w: Wallet) -> list[CredentialRecord]:
    """Every credential in the one default order (`newest_issued_first`); a damaged one is
    listed with status "damaged". Read from the listing copies in the manifest buckets (a few
    decryptions, not one per credential; docs/store-format.md "Listing")."""
    from lerwallet.store.vault import collector_paused

    out = []
    # The originals are not opened here (that is `check`'s job), but what their rows and the
    # manifest show for free is not ignored: a listing never calls healthy what `check` calls damaged.
    originals, original_problems = w.row_report(KIND_ORIGINAL)
    healthy, damaged = w.listing_data(KIND)
    with collector_paused():  # 10,000 records are 10,000 small acyclic objects: no GC passes
        for record_id, data in healthy.items():
            record = _record(record_id, data)
            if record_id in original_problems or record_id not in originals:
                record.status = STATUS_DAMAGED
                record.error = original_problems.get(record_id, f"credential {record_id} has no stored original")
            out.append(record)
        out.extend(CredentialRecord(id=e.id, status=STATUS_DAMAGED, error=e.error.message) for e in damaged)
    return newest_issued_first(out)


class Listing(Struct):
    """What plain `lerwallet list` prints, read from the compact listing rows (`listing_table`):
    the rows in the default order (`newest_issued_first`), superseded ones left out unless asked
    for. `texts[i]` is the `list --json` object of `ids[i]` (UTF-8 bytes); `columns()` gives the
    `CredentialRecord.listing` values by name, in the same order; `held` counts every record."""

    FIELDS = ("ids", "texts", "held", "_table", "_order")

    def __init__(self, ids: list[str], texts: list[bytes], held: int, _table: object, _order: list[int]) -> None:
        self.ids = ids
        self.texts = texts
        self.held = held
        self._table = _table
        self._order = _order

    def table(self) -> tuple[list[str], dict[str, list], list[int] | None]:
        """(ids, `columns()`, None), or, when no row is left out, the same in the order the rows
        are stored with the default order as a list of positions (the caller reorders one list
        of lines instead of every column)."""
        table = self._table
        if len(self._order) != len(table.ids):
            return self.ids, self.columns(), None
        out = table.columns()
        hidden = table.superseded
        out["superseded_by"] = [i in hidden for i in table.ids] if hidden else [False] * len(table.ids)
        return table.ids, out, self._order

    def columns(self) -> dict[str, list]:
        """{name: values in order} for `vault.LISTING_COLUMNS`, and `superseded_by` as a flag."""
        whole = self._table.columns()
        out = {name: list(map(values.__getitem__, self._order)) for name, values in whole.items()}
        hidden = self._table.superseded
        out["superseded_by"] = [i in hidden for i in self.ids] if hidden else [False] * len(self.ids)
        return out


def fast_listing(w: Wallet, *, show_all: bool = False) -> Listing | None:
    """The listing of a wallet where nothing is damaged, from the compact listing rows: no
    record object, no JSON decoding per credential. None when anything is not sound (a row or
    original gone, moved, altered, a bucket that does not open, rows of another layout): then
    `list_credentials` says what, per record. The same rows, order and values as
    `list_credentials` + `CredentialRecord.listing` (tests/test_store_listing.py)."""
    from lerwallet.store.vault import collector_paused

    table = w.listing_table(KIND)
    if table is None:
        return None
    originals, problems = w.row_report(KIND_ORIGINAL)
    if problems or not originals.issuperset(table.ids):
        return None
    with collector_paused():
        ids, keys = table.ids, table.keys
        # The order of newest_issued_first: by id, then by key, reversed (a stable sort stays stable).
        order = sorted(range(len(ids)), key=ids.__getitem__)
        order.sort(key=keys.__getitem__, reverse=True)
        held = len(order)
        if table.superseded and not show_all:
            hidden = table.superseded
            order = [i for i in order if ids[i] not in hidden]
            held = len(order)
        return Listing(list(map(ids.__getitem__, order)), list(map(table.texts.__getitem__, order)), held, table, order)


def listing_row(record_id: str, data: dict, known: dict | None = None) -> tuple[str, str, tuple, bool]:
    """The compact listing row the manifest bucket keeps of a credential record (`data`, or its
    listing copy): (default-order key, the `list --json` object as text, the values of
    `vault.LISTING_COLUMNS`, superseded). Written with the record; `fast_listing` reads them.
    `known`: issue dates already parsed (`order_key`), when many rows are made at once."""
    from lerwallet.store.vault import LISTING_COLUMNS

    record = _record(record_id, data)
    row = record.listing()
    return (order_key(record, damaged=False, known=known)[1:], json.dumps(row, ensure_ascii=False),
            tuple(row[c] for c in LISTING_COLUMNS), row["superseded_by"] is not None)


def order_key(record: CredentialRecord, *, damaged: bool | None = None, known: dict | None = None) -> str:
    """The default order's key as one string (compared as text, newest first when reversed):
    sound before damaged, a readable issue date before none, the later issue date first (the
    timestamp as an order-preserving hex of its IEEE 754 bits), then the later import."""
    if damaged is None:
        damaged = record.status == STATUS_DAMAGED
    stamp = _issued_stamp(record.summary.get("issued"), known)
    dated = "0" if stamp is None else "1" + _float_key(stamp)
    return ("0" if damaged else "1") + dated + record.imported_at


def _issued_stamp(text, known: dict | None) -> float | None:
    """The issue date as a POSIX timestamp (None: none, or not a dateTime); `known` caches by text."""
    from lerwallet.dates import parse_datetime

    if not text:
        return None
    if known is not None and isinstance(text, str) and text in known:
        return known[text]
    when = parse_datetime(text)
    stamp = when.timestamp() if when is not None else None
    if known is not None and isinstance(text, str):
        known[text] = stamp
    return stamp


def _float_key(value: float) -> str:
    """16 hex digits that sort as text as `value` sorts as a number."""
    import struct

    bits = struct.unpack(">Q", struct.pack(">d", value + 0.0))[0]
    return f"{bits ^ 0xFFFFFFFFFFFFFFFF if bits >> 63 else bits | 1 << 63:016x}"


def newest_issued_first(records: list[CredentialRecord]) -> list[CredentialRecord]:
    """The default order of `list`, `recheck` and `present`'s selection (docs/wallet.md): newest
    issued first, as a learner reads a record of achievements; credentials issued at the same
    moment, newest import first; no readable issue date after those; damaged records last."""
    from operator import attrgetter

    known: dict = {}  # a wallet holds many credentials issued at the same moment
    # Two stable sorts: the id breaks ties; then everything else at once (`order_key`), reversed
    # (a reversed sort stays stable): not damaged first, dated first, newest issued first, newest import first.
    out = sorted(records, key=attrgetter("id"))
    out.sort(key=lambda r: order_key(r, known=known), reverse=True)
    return out


def get_credential(w: Wallet, record_id: str) -> CredentialRecord:
    return _record(record_id, w.get(KIND, record_id))


def get_original(w: Wallet, record_id: str) -> bytes:
    """The bytes exactly as imported."""
    data = w.get(KIND_ORIGINAL, record_id)
    try:
        return base64.b64decode(data["bytes"], validate=True)
    except (KeyError, TypeError, ValueError):
        raise IntegrityError(f"{KIND_ORIGINAL} {record_id} is malformed") from None


def get_document(w: Wallet, record_id: str) -> dict:
    """The parsed original (for JSON credentials)."""
    return json.loads(get_original(w, record_id).decode("utf-8-sig"))


def resolve(w: Wallet, prefix: str) -> str:
    """A credential id from a unique prefix (NotFoundError / UsageError when ambiguous)."""
    return w.resolve_id(KIND, prefix)


def _forget_version(w: Wallet, record_id: str, summary: dict) -> None:
    """Deleting a record: its evidence files go with it, and when it was the newer version of an
    edited record (`supersedes`), the version it replaced is current again."""
    for entry in summary.get("evidence_files") or []:
        blob = entry.get("blob") if isinstance(entry, dict) else None
        if isinstance(blob, str) and w.has(KIND_EVIDENCE, blob):
            w.delete(KIND_EVIDENCE, blob)
    older = summary.get("supersedes")
    if isinstance(older, str) and older and w.has(KIND, older):
        try:
            data = w.get(KIND, older)
        except IntegrityError:
            return
        old_summary = data.get("summary") if isinstance(data.get("summary"), dict) else {}
        if old_summary.get("superseded_by") == record_id:
            w.put(KIND, older, {**data, "summary": {k: v for k, v in old_summary.items() if k != "superseded_by"}})


def delete_credential(w: Wallet, record_id: str) -> list[str]:
    """Remove the credential, its original and its digest entry, atomically; for a CLR, the
    credentials inside it too (returns their ids), except those that outlive it (`_fates`):
    imported on their own, or listed by another CLR too; they stay, their reference moved to
    that other CLR or dropped. Works on a damaged record too (its contents are then the records
    that name it as their CLR). A credential inside a CLR that is still stored is not deleted
    alone (UsageError naming the CLR): the CLR would still hold it."""
    members, kept = _deletion(w, record_id)
    with w.transaction():
        for member in members:
            _delete_one(w, member)
        for member, holder in kept.items():
            _relink(w, member, record_id, holder)
        _delete_one(w, record_id)
    return members


def _contents(w: Wallet, record_id: str) -> list[tuple[str, dict | None]]:
    """(id, `clr` reference) of each stored credential a CLR holds (None for a damaged one): the
    ones it lists, or for a damaged CLR, which cannot say, the records that name it as their CLR."""
    try:
        record = get_credential(w, record_id)
    except IntegrityError:
        record = None
    if record is None:
        out = []
        for member, data in w.listing_data(KIND)[0].items():
            summary = data.get("summary")
            ref = summary.get("clr") if isinstance(summary, dict) else None
            if isinstance(ref, dict) and ref.get("id") == record_id and member != record_id:
                out.append((member, ref))
        return out
    out = []
    for member in record.clr_members:
        if member == record_id or not w.has(KIND, member):
            continue
        try:
            ref = get_credential(w, member).summary.get("clr")
        except IntegrityError:
            ref = None
        out.append((member, ref if isinstance(ref, dict) else None))
    return out


def _other_holders(w: Wallet, clr_id: str, members: set[str]) -> dict[str, dict]:
    """Of `members` (credentials CLR `clr_id` holds): each one another stored CLR lists too, with
    that CLR ({id, title}; the earliest imported when several do). Read from the listing copies
    (a few decryptions, not one per record)."""
    out: dict[str, dict] = {}
    if not members:
        return out
    healthy, _ = w.listing_data(KIND)
    for other, data in sorted(healthy.items(), key=lambda item: (str(item[1].get("imported_at", "")), item[0])):
        summary = data.get("summary") if isinstance(data.get("summary"), dict) else {}
        listed = summary.get("clr_members")
        if other == clr_id or other in members or not isinstance(listed, list):
            continue
        for member in listed:
            if member in members and member not in out:
                out[member] = {"id": other, "title": str(summary.get("title") or "")}
    return out


def _fates(w: Wallet, record_id: str) -> tuple[list[str], dict[str, dict | None]]:
    """What deleting CLR `record_id` does to the credentials it holds: (those deleted with it,
    {those kept: the CLR their reference moves to, or None}). A credential stays while the
    learner's own import (`imported_alone`) or another stored CLR holds it ([], {} for a
    credential that is no CLR)."""
    contents = _contents(w, record_id)
    others = _other_holders(w, record_id, {m for m, _ in contents})
    deleted, kept = [], {}
    for member, ref in contents:
        elsewhere = others.get(member)
        if ref is not None and ref.get("id") not in (None, "", record_id) and w.has(KIND, str(ref["id"])):
            kept[member] = {"id": ref["id"], "title": ref.get("title", "")}  # already another CLR's
        elif elsewhere is not None or (ref is not None and ref.get("imported_alone")):
            kept[member] = elsewhere
        else:
            deleted.append(member)
    return deleted, kept


def deletion_of(w: Wallet, record_id: str) -> tuple[list[str], list[str]]:
    """(the other records deleting `record_id` deletes, the ones it holds that stay): a CLR's
    contents, split by `_fates`; or UsageError when it cannot be deleted alone (a credential
    inside a stored CLR)."""
    deleted, kept = _deletion(w, record_id)
    return deleted, list(kept)


def _deletion(w: Wallet, record_id: str) -> tuple[list[str], dict[str, dict | None]]:
    from lerwallet.errors import UsageError

    try:
        record = get_credential(w, record_id)
    except IntegrityError:
        record = None
    if record is not None and record.clr_id and record.clr_id != record_id and w.has(KIND, record.clr_id):
        raise UsageError(f"credential {record_id[:10]} is part of the CLR {record.clr_id[:10]} "
                         f"({record.summary.get('clr', {}).get('title') or 'untitled'}); it is deleted with it",
                         hint=f"delete the CLR with everything in it: lerwallet delete {record.clr_id[:10]}")
    return _fates(w, record_id)


def _delete_one(w: Wallet, record_id: str) -> None:
    """One credential's records (inside the caller's transaction)."""
    with w.transaction():
        digests = None
        summary: dict = {}
        try:
            data = w.get(KIND, record_id)
            digests = [d for d in (data.get("digest"), data.get("content_digest")) if d]
            summary = data.get("summary") if isinstance(data.get("summary"), dict) else {}
        except IntegrityError:
            pass
        w.delete(KIND, record_id)
        _forget_version(w, record_id, summary)
        for kind in (KIND_ORIGINAL, KIND_CHECKS, KIND_IMAGE):
            if w.has(kind, record_id):
                w.delete(kind, record_id)
        if digests and all(w.has(KIND_DIGEST, d) for d in digests):
            for known in digests:
                w.delete(KIND_DIGEST, known)
        else:
            for entry in w.entries(KIND_DIGEST):
                if entry.data is None or entry.data.get("id") == record_id:
                    w.delete(KIND_DIGEST, entry.id)
