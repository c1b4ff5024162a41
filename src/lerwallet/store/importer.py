"""Import as a pipeline: bytes -> detect format -> credentials -> verify -> decide -> store.

Everything before "store" runs without the wallet, so the CLI reads and checks every input
before it asks for the passphrase: a refused or unreadable file costs no unlock and changes
nothing. Verification is the same pipeline as `lerwallet verify` (offline unless the options
say otherwise). Each input is stored in one transaction: all of its credentials or none.

    examined = [examine(data, name, opts) for name, data in ...]
    with Wallet.open(home, passphrase) as w:
        for item in examined:
            records = store(w, item)
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, BinaryIO, Callable

from lerwallet.store import credentials as creds
from lerwallet.utc import iso

FORMAT_OF = {"ldp": "vc-json-ld", "jwt": "vc-jwt", "sd-jwt": "sd-jwt", "ob2": "ob2"}
DATE_CHECKS = {"expiration", "valid-from"}
# Proof or status codes that mean "could be checked online"; the hint then names --online.
ONLINE_CODES = {"offline", "network", "verification_method_unresolvable", "not_found", "status_list_unreachable",
                "unknown_context"}
# Inconclusive for a reason going online cannot change: the hint names what can.
OFFLINE_HINTS = {
    "header_key_unbound": "only the token's own header names its key, which proves nothing about who issued it: "
                          "ask the issuer for a copy signed with a key their DID lists (a JWT with a kid)",
}


@dataclass
class Found:
    """One credential found in an input, verified, not yet stored."""

    source: str  # file name plus a locator for nested items (file[0], file#baked, file#verifiableCredential[1])
    original: bytes  # what the wallet keeps verbatim: the JSON or the compact JWT / SD-JWT
    format: str  # vc-json-ld | vc-jwt | sd-jwt | ob2
    container: str  # json | jwt | sd-jwt | png | svg
    via: str  # "" | "presentation" | "array"
    summary: dict
    checks: list[dict]  # [{id, outcome, reason, code}] as the verify report gave them
    status: str  # one of credentials.STATUSES (never damaged / unverified)
    reason: str  # one line: why the status is not "verified"
    checked_at: str
    hint: str | None = None  # for the learner; "{id}" stands for the stored record's id
    parent: int | None = None  # inside a CLR: the index (in the same input's `found`) of that CLR
    emails: list[str] = field(default_factory=list)  # the addresses its recipient was checked against (--email)
    image: bytes | None = None  # the PNG/SVG badge image it was baked into (kept: `export --baked`)

    @property
    def recipient_unchecked(self) -> bool:
        """An Open Badges 2.0 assertion whose recipient was not checked: no --email was given."""
        return any(c["id"] == "badge.recipient" and c.get("code") == "no_email_given" for c in self.checks)

    @property
    def refused(self) -> bool:
        """Invalid credentials are stored only when the learner asks (--allow-invalid)."""
        return self.status == creds.STATUS_INVALID


@dataclass
class Examined:
    """One input (a file or stdin): the credentials in it, or why none could be read."""

    name: str
    found: list[Found] = field(default_factory=list)
    error: str = ""
    hint: str | None = None
    skipped: bool = False  # a file in a folder that is not a credential at all (a README)
    skip_reason: str = ""  # why it was skipped: no credential in it, a symbolic link, ...
    stored: list["Stored"] | None = None  # set by `store_all` once stored
    failure: str = ""  # set by `store_all` when storing failed
    archive_members: int | None = None  # a zip archive: how many members were read
    images_not_kept: int = 0  # badge images over IMAGE_BUDGET: not kept (importing the file again keeps them)

    @property
    def from_presentation(self) -> bool:
        return any(f.via == "presentation" for f in self.found)

    @property
    def refused(self) -> bool:
        return self.stored is None and any(f.refused for f in self.found)

    def storable(self, allow_invalid: bool = False) -> bool:
        """Readable, and (unless `allow_invalid`) no credential in it is invalid."""
        return not self.error and (allow_invalid or not any(f.refused for f in self.found))

    @property
    def verdict(self) -> str:
        """As `verify` would judge this input: unreadable, invalid (refused) or valid."""
        from lerwallet.verify.report import INVALID, UNREADABLE, VALID

        if self.error or self.failure:
            return UNREADABLE
        return INVALID if self.refused else VALID


@dataclass
class Stored:
    """What `store` did with one credential."""

    found: Found
    record: creds.CredentialRecord


# --- examining ----------------------------------------------------------------------------------

# Badge images kept in memory between reading and storing, for one import (all inputs are read
# and checked before the passphrase is asked): beyond this, the credentials are stored without
# their images, and the command says how to add them (importing those files again).
IMAGE_BUDGET = 64 * 1024 * 1024


def examine_inputs(args: list[str], opts: Any = None, *, recursive: bool = False, stdin: BinaryIO | None = None,
                    progress: Callable[[int], None] | None = None) -> tuple[list[Examined], list[Examined]]:
    """`examine` every input (`formats.walk_inputs`): the examined inputs in order, and the files
    in folders that were skipped (each with its `skip_reason`: no credential in it, a symbolic
    link, a large file that is no credential). The members of a zip
    archive are examined one by one and then joined into one input named after the archive, so
    the archive is stored whole or not at all. `progress(files read)` is called after each file."""
    from lerwallet.formats import walk_inputs
    from lerwallet.verify.batch import BATCH_PYLD

    examined: list[Examined] = []
    skipped: list[Examined] = []
    archive: Examined | None = None
    budget = IMAGE_BUDGET
    for count, entry in enumerate(walk_inputs(args, stdin=stdin, recursive=recursive), 1):
        if count == BATCH_PYLD:
            # Many documents: pyld with its context caches verifies faster per document than the
            # fast path (as `verify` of a folder does; docs/performance.md).
            from lerwallet.ld import _pyld

            _pyld.processor_class()
        name, data, in_folder = entry.name, entry.data, entry.in_folder
        problem = entry.error.message if entry.error is not None else ""
        if entry.skipped:
            item = Examined(name, skipped=True, skip_reason=problem)
        else:
            item = (examine(data, name, opts, in_folder=in_folder) if data is not None
                    else Examined(name, error=problem, hint=_format_hint(entry.error.code) if entry.error else None))
        for f in item.found:
            if f.image is not None:
                if len(f.image) > budget:
                    f.image = None
                    item.images_not_kept += 1
                else:
                    budget -= len(f.image)
        if progress is not None:
            progress(count)
        if entry.archive is not None:
            if archive is None or archive.name != entry.archive:
                archive = Examined(entry.archive)
                examined.append(archive)
            _join(archive, item)
            continue
        archive = None
        if item.skipped:
            skipped.append(item)
        else:
            examined.append(item)
    for item in examined:
        if item.archive_members is not None and not item.error and not item.found:
            item.error = "the zip archive holds no credential"
            item.hint = _format_hint("unknown-format")
    return examined, skipped


def _join(archive: Examined, member: Examined) -> None:
    """Add one examined zip member to its archive: the first unreadable member makes the whole
    archive unreadable (nothing from it is stored), naming the member."""
    archive.archive_members = (archive.archive_members or 0) + 1
    archive.images_not_kept += member.images_not_kept
    if archive.error or member.skipped:
        return
    if member.error:
        where = member.name[len(archive.name) + 1:] if member.name.startswith(archive.name + "!") else member.name
        archive.error = member.error if member.name == archive.name else f"{where}: {member.error}"
        archive.hint = member.hint
        archive.found = []
        return
    offset = len(archive.found)
    for f in member.found:  # a CLR's index, now counted in the whole archive
        if f.parent is not None:
            f.parent += offset
    archive.found.extend(member.found)


def examine(data: bytes, name: str, opts: Any = None, *, in_folder: bool = False) -> Examined:
    """Detect, decode and verify every credential in `data` (no wallet needed, nothing stored).

    A bare credential, each item of a JSON array, each credential of a presentation (checked
    on its own: the learner received them) and the credential baked into a PNG/SVG badge."""
    from lerwallet.formats import SKIPPED_IN_FOLDERS, decode_bytes
    from lerwallet.verify import Options
    from lerwallet.verify.pipeline import presented_credentials

    opts = opts or Options()
    checked_at = _iso(opts.now())
    out = Examined(name=name)
    envelopes = decode_bytes(data, name)
    queue: list[tuple[Any, str]] = []
    for env in envelopes:
        via = "array" if re.match(re.escape(name) + r"(#baked)?\[\d+\]", env.source) else ""
        if env.error is None and env.kind == "presentation":
            nested = presented_credentials(env)
            if not nested:
                out.error = "the presentation holds no credential"
                return out
            queue.extend((sub, "presentation") for sub in nested)
        else:
            queue.append((env, via))
    for env, via in queue:
        if env.error is not None:
            if in_folder and env.error.code in SKIPPED_IN_FOLDERS and len(envelopes) == 1:  # a README in a folder
                out.skipped = True
                out.skip_reason = env.error.message
                return out
            out.error = env.error.message if env.source == name else f"{_where(env.source, name)}: {env.error.message}"
            out.hint = _format_hint(env.error.code)
            out.found = []
            return out  # a file is imported whole or not at all
        found = _verify_with_contents(env, via, opts, checked_at, len(out.found))
        if env.container in ("png", "svg") and len(queue) == 1 and found:  # one credential baked into this image
            found[0].image = data
        out.found.extend(found)
    if not out.found:
        out.error = "no credential found in the input"
    return out


def _where(source: str, name: str) -> str:
    return source[len(name):].lstrip("#") if source.startswith(name) else source


def _format_hint(code: str) -> str | None:
    return {
        "svg-dtd": "the SVG declares a DTD (where entities live), which lerwallet never expands: ask the issuer for the badge without it",
        "bad-url": "the badge image holds text that is not a plain URL; ask the issuer for the assertion itself",
        "unknown-format": "lerwallet imports JSON credentials, JWTs, SD-JWTs, presentations and baked PNG/SVG badges",
        **dict.fromkeys(("zip-unsafe-name", "zip-too-many", "zip-too-large", "zip-bomb", "zip-nested", "zip-size-lie",
                         "zip-encrypted"),
                        "nothing from the archive was stored (it is read whole or not at all); if you trust it, "
                        "extract it yourself and import the folder: lerwallet import FOLDER --recursive"),
    }.get(code)


def _verify(env: Any, via: str, opts: Any, checked_at: str) -> Found:
    return _found(env, via, _verify_credential(env, opts), checked_at, opts)


def _verify_credential(env: Any, opts: Any) -> Any:
    """The same stages as `verify`, with the credential judged as its holder's copy: an
    ecdsa-sd-2023 or bbs-2023 base proof (the issuer's copy for the holder, which `verify`
    refuses as sharing material) is checked in full (`lerwallet.proofs.holder_copy`)."""
    from lerwallet.proofs.holder_copy import holder_copies
    from lerwallet.verify.pipeline import verify_envelope_credential

    with holder_copies():
        return verify_envelope_credential(env, opts)


def _verify_with_contents(env: Any, via: str, opts: Any, checked_at: str, at: int) -> list[Found]:
    """One credential and, for a CLR 2.0, every credential inside it (each verified on its own
    by the pipeline's `clr` stage), those marked with `parent` = `at`, the CLR's index."""
    from lerwallet.verify.pipeline import clr_credentials

    report = _verify_credential(env, opts)
    out = [_found(env, via, report, checked_at, opts)]
    if report.nested:
        envelopes = clr_credentials(env.unverified or {}, env.source)
        for nested_env, nested_report in zip(envelopes, report.nested):
            if nested_env.error is not None:
                continue  # the CLR's clr.credentials check failed on it: the CLR is refused
            found = _found(nested_env, "clr", nested_report, checked_at, opts)
            found.parent = at
            out.append(found)
    return out


def _found(env: Any, via: str, report: Any, checked_at: str, opts: Any) -> Found:
    from lerwallet.model import summarize
    from lerwallet.verify.report import FAIL, PASS

    status, reason, hint = judge(report)
    recipient = report.check("badge.recipient")
    return Found(
        source=env.source,
        original=_original(env),
        format=FORMAT_OF.get(env.securing, env.securing),
        container=env.container,
        via=via,
        summary={**summarize(env.unverified or {}).to_dict(), **report.summary},
        checks=[_check_dict(c) for c in report.checks],
        status=status,
        reason=reason,
        checked_at=checked_at,
        hint=hint,
        emails=opts.emails() if recipient is not None and recipient.outcome in (PASS, FAIL) else [],
    )


def _original(env: Any) -> bytes:
    """The bytes to keep: the compact JWT as issued, the JSON exactly as read, or (for a JSON
    credential nested in a presentation or array, which has no bytes of its own) its JSON.
    Data Integrity proofs sign the canonical RDF dataset, not the JSON text, so that is safe."""
    if env.token:
        return env.token.encode("ascii")
    if env.raw is not None:
        return env.raw
    return (json.dumps(env.unverified, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _check_dict(check: Any) -> dict:
    out = {"id": check.id, "outcome": check.outcome, "reason": check.reason}
    if check.code:
        out["code"] = check.code
    return out


def judge(report: Any) -> tuple[str, str, str | None]:
    """(status, reason, hint) for one credential's verify report (docs/wallet.md, Statuses).

    Authentic but out of date (expired, not yet valid) is kept: the learner's history matters.
    No proof at all is `unsigned`: not forged, but not authentic either."""
    from lerwallet.verify.proof import UNSUPPORTED_PROOF_CODES
    from lerwallet.verify.report import FAIL, PASS, UNKNOWN

    fails = [c for c in report.checks if c.outcome == FAIL]
    unknown = [c for c in report.checks if c.outcome == UNKNOWN]
    proof = report.check("proof")
    online = "check it online later with: lerwallet recheck {id} --online"
    if not fails and proof is not None and proof.outcome == UNKNOWN and proof.code in UNSUPPORTED_PROOF_CODES:
        # Never checkable by lerwallet (not "offline, try later"): refused like an invalid one.
        return creds.STATUS_INVALID, f"check proof: {proof.reason}", None
    if not fails:
        if unknown:
            c = unknown[0]
            return creds.STATUS_INCONCLUSIVE, f"{c.id}: {c.reason}", online if c.code in ONLINE_CODES else OFFLINE_HINTS.get(c.code)
        return creds.STATUS_VERIFIED, "", None
    ids = {c.id for c in fails}
    if ids == {"proof"} and proof is not None and proof.code == "no_proof":
        return creds.STATUS_UNSIGNED, "it has no proof (digital signature): your own record, not a verifiable credential", None
    if ids <= DATE_CHECKS:
        dated = next(c for c in fails)
        if proof is not None and proof.outcome == PASS:
            status = creds.STATUS_EXPIRED if "expiration" in ids else creds.STATUS_NOT_YET_VALID
            return status, dated.reason, None
        why = f"{proof.id}: {proof.reason}" if proof is not None else "the proof could not be checked"
        return creds.STATUS_INCONCLUSIVE, f"{why}; and {dated.reason}", online
    c = fails[0]
    return creds.STATUS_INVALID, f"check {c.id} failed: {c.reason}", None


def _iso(when: datetime) -> str:
    return iso(when)


# --- storing ------------------------------------------------------------------------------------


def store(w: Any, item: Examined, *, allow_invalid: bool = False) -> list[Stored]:
    """Store every credential of one examined input in one transaction, or none of them.

    Refuses (NothingStored) when the input is unreadable or, unless `allow_invalid`, when one
    of its credentials is invalid. Bytes already in the wallet are reported as duplicates."""
    from lerwallet.errors import InputError

    if item.error:
        raise InputError(item.error, hint=item.hint)
    refused = [f for f in item.found if f.refused]
    if refused and not allow_invalid:
        raise RefusedError(refused[0])
    out: list[Stored] = []
    members: dict[str, list[str]] = {}  # a CLR's record id -> its nested credentials' new record ids
    with w.transaction():
        for f in item.found:
            summary = f.summary
            if f.parent is not None:  # a credential inside a CLR: a reference back to the CLR's record
                clr_record = out[f.parent].record
                summary = {**summary, "clr": {"id": clr_record.id, "title": clr_record.title}}
            record = creds.import_credential(
                w, f.original, source=_display_source(f.source), summary=summary, format=f.format,
                status=f.status, checks=f.checks, checked_at=f.checked_at, reason=f.reason,
                container=f.container, via=f.via, emails=f.emails, image=f.image,
            )
            out.append(Stored(f, record))
            if f.parent is None and record.duplicate and record.clr_id:  # now the learner's own too
                held = creds.held_alone(w, record.id)
                if held is not None:
                    record.summary = held
            if f.parent is not None:
                clr_record = out[f.parent].record
                if record.duplicate and not record.clr_id:  # stored before on its own: linked, not stored twice
                    linked = creds.link_to_clr(w, record.id, clr_record.id, clr_record.title)
                    if linked is not None:
                        record.summary = linked
                members.setdefault(clr_record.id, []).append(record.id)
        for clr_id, ids in members.items():
            creds.add_clr_members(w, clr_id, ids)
    return out


STORE_BATCH = 100  # inputs per write transaction when storing many (each still whole or not at all)


def store_all(w: Any, examined: list[Examined], *, allow_invalid: bool = False,
              progress: Callable[[int, int], None] | None = None) -> None:
    """Store every storable input: sets its `stored`, or its `failure` when the store refused
    it (the others still import). Each input is stored whole or not at all (a savepoint); up to
    STORE_BATCH inputs share one transaction, so a folder of 1,000 badges is ten commits (and
    ten WAL checkpoints, each an fsync or two) rather than a thousand. `progress(done, total)`
    is called after each input."""
    from lerwallet.errors import LerwalletError

    storable = [item for item in examined if item.storable(allow_invalid)]
    done = 0
    for start in range(0, len(storable), STORE_BATCH):
        with w.transaction():
            for item in storable[start:start + STORE_BATCH]:
                try:
                    with w.savepoint():
                        item.stored = store(w, item, allow_invalid=allow_invalid)
                except LerwalletError as exc:
                    item.failure = exc.message
                done += 1
                if progress is not None:
                    progress(done, len(storable))


def _display_source(source: str) -> str:
    if source.startswith("-"):
        return "stdin" + source[1:]
    head, sep, rest = source.partition("!")  # a zip member: archive.zip!path/in/zip.json
    if sep:
        return os.path.basename(head) + sep + rest
    return os.path.basename(source.split("#", 1)[0]) + ("#" + source.split("#", 1)[1] if "#" in source else "")


class RefusedError(Exception):
    """An invalid credential, not stored (the CLI exits 1 and names the failed check)."""

    def __init__(self, found: Found) -> None:
        super().__init__(found.reason)
        self.found = found


# --- recheck ------------------------------------------------------------------------------------


@dataclass
class Rechecked:
    record: creds.CredentialRecord  # after the update
    before: str  # status before
    error: str = ""  # set when the stored credential could not be re-read

    @property
    def verdict(self) -> str:
        """The stored status as `verify` would judge it: invalid, inconclusive or valid."""
        from lerwallet.verify.report import INCONCLUSIVE, INVALID, VALID

        if self.error or self.record.status in (creds.STATUS_INVALID, creds.STATUS_DAMAGED):
            return INVALID
        return INCONCLUSIVE if self.record.status == creds.STATUS_INCONCLUSIVE else VALID


def with_clr_contents(w: Any, ids: list[str]) -> list[str]:
    """`ids` (once each, in order) with each CLR's stored credentials right after it: a recheck
    of a CLR rechecks what it holds, each credential on its own."""
    from lerwallet.errors import IntegrityError

    out: dict[str, None] = {}
    for record_id in ids:
        out[record_id] = None
        try:
            members = creds.get_credential(w, record_id).clr_members
        except IntegrityError:
            continue  # recheck reports it damaged
        for member in members:
            if member != record_id and w.has(creds.KIND, member):
                out[member] = None
    return list(out)


def recheck(w: Any, record_id: str, opts: Any = None) -> Rechecked:
    """Run the verification pipeline again on a stored credential's original bytes and record
    the new status (after going online, after a status list changed, or for old records).
    Without --email, a badge's recipient is checked against the addresses it was last checked
    against (`import --email`), so a recheck never quietly forgets that check."""
    from lerwallet.errors import IntegrityError
    from lerwallet.formats import decode_bytes
    from lerwallet.verify import Options

    opts = opts or Options()
    try:
        record = creds.get_credential(w, record_id)
    except IntegrityError as exc:
        damaged = creds.CredentialRecord(id=record_id, status=creds.STATUS_DAMAGED, error=exc.message)
        return Rechecked(damaged, creds.STATUS_DAMAGED, exc.message)
    original = creds.get_original(w, record_id)
    envelopes = decode_bytes(original, record.source or record_id)
    env = envelopes[0] if len(envelopes) == 1 else None
    if env is None or env.error is not None or env.kind != "credential":
        why = env.error.message if env is not None and env.error is not None else "not a single credential"
        return Rechecked(record, record.status, f"the stored original cannot be verified: {why}")
    if not opts.emails():
        remembered = creds.checked_emails(w, record_id)
        if remembered:
            opts = opts.replace(email=tuple(remembered))
    found = _verify(env, record.via, opts, _iso(opts.now()))
    updated = creds.set_verification(w, record_id, status=found.status, reason=found.reason, checks=found.checks,
                                     checked_at=found.checked_at, emails=found.emails)
    return Rechecked(updated, record.status)
