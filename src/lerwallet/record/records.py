"""Self-attested records in the wallet: add, edit (a new signed version; the old one kept,
superseded), evidence files stored encrypted with the record, and written back out.

    from lerwallet.record.records import add, edit, read_evidence_files
    rec = build.validate(build.RecordInput(kind="work", title="Data engineer", org="Acme", start="2021-03"))
    stored = add(wallet, rec, evidence_files=read_evidence_files(["report.pdf"]))

Every record goes the way of an imported credential: signed with the learner's identity
(`lerwallet.record.sign.sign_credential`), checked by the verify pipeline (it must come out
"verified" or nothing is stored), then stored by `lerwallet.store.importer` in one transaction
with its evidence files (record kind `credential-evidence`, one sealed record per file).
"""

from __future__ import annotations

import base64
import hashlib
import json
import mimetypes
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from lerwallet.errors import InputError, UsageError
from lerwallet.record import EVIDENCE_FILES, SUPERSEDED_BY, SUPERSEDES, is_self_attested
from lerwallet.record.build import MAX_EVIDENCE, Evidence, RecordInput, build, validate

MAX_EVIDENCE_FILE = 10 * 1024 * 1024  # bytes in one evidence file
MAX_EVIDENCE_TOTAL = 25 * 1024 * 1024  # bytes of evidence files in one record
MAX_RECORD_FILE = 1024 * 1024  # bytes of a --from-file document
MAX_RECORDS_PER_FILE = 500


@dataclass
class EvidenceFile:
    """A file read for a record: its bytes, and the Evidence entry naming it."""

    evidence: Evidence
    data: bytes


def _is_url(ref: str) -> bool:
    return ref.lower().startswith(("https://", "http://"))


def read_evidence(refs: list[str], *, base: Path | None = None) -> tuple[list[Evidence], list[EvidenceFile]]:
    """The Evidence entries for `refs` (URLs, or files read now, relative to `base`), in order,
    and the files' bytes. Caps: MAX_EVIDENCE_FILE each, MAX_EVIDENCE_TOTAL together."""
    from lerwallet.record.build import _URL

    if len(refs) > MAX_EVIDENCE:
        raise UsageError(f"more than {MAX_EVIDENCE} pieces of evidence in one record")
    entries, files, total = [], [], 0
    for ref in refs:
        if _is_url(ref):
            if not _URL.match(ref):
                raise UsageError(f"--evidence {ref[:60]!r} is not a valid URL")
            entries.append(Evidence(url=ref))
            continue
        path = Path(ref).expanduser()
        if base is not None and not path.is_absolute():
            path = base / path
        data = _read_file(path)
        total += len(data)
        if total > MAX_EVIDENCE_TOTAL:
            raise InputError(f"evidence files of one record are larger than {MAX_EVIDENCE_TOTAL // (1024 * 1024)} MiB together",
                             hint=f"keep the files under {MAX_EVIDENCE_TOTAL // (1024 * 1024)} MiB per record, or link them with --evidence URL")
        entry = Evidence(name=path.name, sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                         media_type=mimetypes.guess_type(path.name)[0] or "")
        entries.append(entry)
        files.append(EvidenceFile(entry, data))
    return entries, files


def _read_file(path: Path) -> bytes:
    cap = MAX_EVIDENCE_FILE
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise InputError(f"evidence {path} is not a regular file", hint="give a file, or a URL")
        with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
            data = handle.read(cap + 1)
    except FileNotFoundError:
        raise InputError(f"evidence file {path} does not exist", hint="check the path given to --evidence") from None
    except OSError as exc:
        raise InputError(f"cannot read evidence file {path}: {exc.strerror or exc}", hint="check the path given to --evidence") from None
    if len(data) > cap:
        raise InputError(f"evidence file {path} is larger than {cap // (1024 * 1024)} MiB",
                         hint=f"evidence files are kept in the wallet up to {cap // (1024 * 1024)} MiB each; link a larger one with --evidence URL")
    return data


def read_record_file(path: Path | str) -> list[tuple[RecordInput, list[EvidenceFile], str]]:
    """Every record of a `--from-file` document (one object or an array of them), validated,
    with its evidence files read (relative to the document's folder) and the identity it names."""
    from lerwallet.jsonutil import UntrustedJSONError, loads_untrusted
    from lerwallet.record.build import from_json

    path = Path(path)
    try:
        if str(path) == "-":
            import sys

            raw = sys.stdin.buffer.read(MAX_RECORD_FILE + 1)
            base = Path.cwd()
        else:
            raw = _read_capped(path, MAX_RECORD_FILE)
            base = path.parent
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}", hint="check the --from-file path") from None
    if len(raw) > MAX_RECORD_FILE:
        raise InputError(f"{path} is larger than {MAX_RECORD_FILE // 1024} KiB")
    try:
        doc = loads_untrusted(raw)
    except UntrustedJSONError as exc:
        raise InputError(f"{path} is not valid JSON: {exc}", hint="see docs/record.md, \"Scripted use\"") from None
    items = doc if isinstance(doc, list) else [doc]
    if not items:
        raise InputError(f"{path} holds no record")
    if len(items) > MAX_RECORDS_PER_FILE:
        raise InputError(f"{path} holds more than {MAX_RECORDS_PER_FILE} records")
    out = []
    for i, item in enumerate(items):
        where = f"{path.name}[{i}]" if isinstance(doc, list) else path.name
        rec, refs, ident = from_json(item, where)
        rec = validate(rec)
        entries, files = read_evidence(refs, base=base)
        out.append((validate(RecordInput(**{**rec.__dict__, "evidence": entries})), files, ident))
    return out


def _read_capped(path: Path, cap: int) -> bytes:
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise InputError(f"{path} is not a regular file")
    with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
        return handle.read(cap + 1)


# --- storing ------------------------------------------------------------------------------------


def add(wallet, rec: RecordInput, *, files: list[EvidenceFile] = (), identity: str | None = None,
        now: str | None = None, supersedes: str | None = None):
    """Sign `rec` as the learner's identity (the default holder unless named), check it, store it
    with its evidence files; returns the stored `CredentialRecord`. Nothing is stored on error."""
    return add_many(wallet, [(rec, list(files), identity or "")], now=now, supersedes=supersedes)[0]


def add_many(wallet, items: list[tuple[RecordInput, list[EvidenceFile], str]], *, now: str | None = None,
             supersedes: str | None = None) -> list:
    """Several records in one transaction: all of them are stored, or none."""
    from lerwallet.record.sign import resolve_identity, sign_credential, verify_options
    from lerwallet.store import importer
    from lerwallet.store.credentials import KIND_EVIDENCE
    from lerwallet.store.vault import new_id
    from lerwallet.utc import iso

    prepared = []
    for rec, files, ident in items:  # sign and check everything before writing anything
        rec = validate(rec)
        who = resolve_identity(wallet, ident or None)
        issued = now or iso()
        signed = sign_credential(wallet, build(rec, who.did, issued=issued), who)
        raw = (json.dumps(signed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        examined = importer.examine(raw, "lerwallet add", verify_options(who))
        found = examined.found[0] if examined.found and not examined.error else None
        if found is None or found.status != "verified":
            why = examined.error or (found.reason if found else "nothing found")
            raise UsageError(f"the signed record did not verify ({found.status if found else 'unreadable'}: {why}); nothing stored",
                             hint="this is a bug in lerwallet; report it with LERWALLET_DEBUG=1")
        found.source = "lerwallet add"
        prepared.append((examined, found, files))
    out = []
    with wallet.transaction():
        for examined, found, files in prepared:
            blobs = []
            for f in files:
                blob = new_id()
                wallet.put(KIND_EVIDENCE, blob, {"name": f.evidence.name, "media_type": f.evidence.media_type,
                                                 "size": len(f.data), "sha256": f.evidence.sha256,
                                                 "bytes": base64.b64encode(f.data).decode("ascii")})
                blobs.append({"name": f.evidence.name, "media_type": f.evidence.media_type, "size": len(f.data),
                              "sha256": f.evidence.sha256, "blob": blob})
            found.summary[EVIDENCE_FILES] = blobs
            if supersedes:
                found.summary[SUPERSEDES] = supersedes
            stored = importer.store(wallet, examined)[0].record
            if stored.duplicate:  # cannot happen: every record has a fresh id and time
                raise UsageError("this record is already in the wallet")
            if supersedes:
                _mark_superseded(wallet, supersedes, stored.id)
            out.append(stored)
    return out


def _mark_superseded(wallet, old_id: str, new_id_: str) -> None:
    from lerwallet.store.credentials import KIND

    data = wallet.get(KIND, old_id)
    summary = dict(data.get("summary") or {})
    summary[SUPERSEDED_BY] = new_id_
    wallet.put(KIND, old_id, {**data, "summary": summary})


def edit(wallet, record_id: str, *, changes: dict, evidence: tuple[list[Evidence], list[EvidenceFile]] | None = None,
         now: str | None = None):
    """A new signed version of the learner's own record `record_id` with `changes` (RecordInput
    field names; None keeps the old value) and, when given, new evidence (else the old evidence,
    files copied). The old version is kept, marked `superseded_by`. Returns the new record."""
    from lerwallet import identity as ident
    from lerwallet.record.build import read
    from lerwallet.store import credentials

    full_id = credentials.resolve(wallet, record_id)
    record = credentials.get_credential(wallet, full_id)
    if record.summary.get(SUPERSEDED_BY):
        raise UsageError(f"{full_id[:10]} was already replaced by {str(record.summary[SUPERSEDED_BY])[:10]}",
                         hint=f"edit the current version: lerwallet edit {str(record.summary[SUPERSEDED_BY])[:10]}")
    doc = credentials.get_document(wallet, full_id)
    if not is_self_attested(doc):
        raise UsageError(f"{full_id[:10]} was issued by someone else: only your own records can be edited",
                         hint="records you made with lerwallet add can be edited")
    owner = ident.owner_of(ident.list_identities(wallet), doc)
    if owner is None:
        raise UsageError(f"{full_id[:10]} is self-attested by {record.summary.get('issuer_id', '?')}, not by one of your identities",
                         hint="see your identities with: lerwallet did list")
    old = read(doc)
    new = old.with_changes(**changes)
    if evidence is not None:
        entries, files = evidence
        new = RecordInput(**{**new.__dict__, "evidence": entries})
    else:
        files = _stored_files(wallet, record.summary)
    return add(wallet, new, files=files, identity=owner.did, now=now, supersedes=full_id)


def _stored_files(wallet, summary: dict) -> list[EvidenceFile]:
    out = []
    for name, entry, data in evidence_files(wallet, summary):
        out.append(EvidenceFile(Evidence(name=name, sha256=entry["sha256"], size=len(data),
                                         media_type=entry.get("media_type", "")), data))
    return out


def evidence_files(wallet, summary: dict) -> list[tuple[str, dict, bytes]]:
    """(name, summary entry, bytes) of every evidence file stored with a record, each checked
    against the SHA-256 the signed record names (IntegrityError when one does not match)."""
    from lerwallet.errors import IntegrityError
    from lerwallet.store.credentials import KIND_EVIDENCE

    out = []
    for entry in summary.get(EVIDENCE_FILES) or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("blob"), str):
            continue
        data = wallet.get(KIND_EVIDENCE, entry["blob"])
        try:
            raw = base64.b64decode(data["bytes"], validate=True)
        except (KeyError, TypeError, ValueError):
            raise IntegrityError(f"evidence file {entry.get('name')!r} is malformed in the store") from None
        if hashlib.sha256(raw).hexdigest() != entry.get("sha256"):
            raise IntegrityError(f"evidence file {entry.get('name')!r} does not match the digest the record names")
        out.append((str(entry.get("name") or entry["blob"]), entry, raw))
    return out


def safe_file_name(name: str, taken: set[str]) -> str:
    """A plain file name for writing evidence out: no folders, no hidden files, no clashes."""
    base = Path(name.replace("\\", "/")).name.strip().lstrip(".") or "evidence"
    base = "".join(c if c.isprintable() and c not in '<>:"|?*' else "_" for c in base)[:120]
    candidate, n = base, 1
    stem, dot, ext = base.rpartition(".")
    while candidate in taken:
        n += 1
        candidate = f"{stem}-{n}.{ext}" if dot and stem else f"{base}-{n}"
    taken.add(candidate)
    return candidate


def write_evidence(wallet, record_id: str, out_dir: Path | str) -> list[Path]:
    """Write the record's evidence files into `out_dir` (created if missing), each atomically;
    an existing file is never overwritten. Returns the paths written."""
    from lerwallet.files import write_atomic
    from lerwallet.store import credentials

    record = credentials.get_credential(wallet, record_id)
    files = evidence_files(wallet, record.summary)
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir} is not a folder", hint="--evidence-out takes a folder")
    taken: set[str] = set()
    names = [safe_file_name(name, taken) for name, _, _ in files]
    for target in names:
        if (out_dir / target).exists():
            raise UsageError(f"{out_dir / target} already exists", hint="choose an empty folder for --evidence-out")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for target, (_, _, data) in zip(names, files):
        write_atomic(out_dir / target, data)
        written.append(out_dir / target)
    return written
