"""Wallet commands: init, path, status, passwd, import, list, show, delete.

Thin: each command parses its options, calls `lerwallet.store`, and renders.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from lerwallet.cli import output
from lerwallet.cli.passphrase import (
    ENV_NEW_PASSPHRASE,
    confirm,
    open_wallet,
    read_passphrase,
    wallet_home,
    weakness,
)
from lerwallet.cli.listing import print_json_array, print_table, short_ids
from lerwallet.errors import LerwalletError, UsageError

PASSPHRASE_FILE = typer.Option(
    None,
    "--passphrase-file",
    help="Read the passphrase from the first line of this file (else LERWALLET_PASSPHRASE, else a prompt).",
    show_default=False,
)
JSON = typer.Option(False, "--json", help="Print JSON on stdout instead of a table.")
# The filter words of `list` and `present` (defined once: lerwallet.present.select.Filters).
SKILL = typer.Option(None, "--skill", metavar="NAME", help="Only credentials evidencing this skill: NAME is whole words of a skill's name (case and punctuation aside) or its code; the skills `lerwallet skills` lists.")
KIND = typer.Option(None, "--kind", metavar="K", help="Only credentials of this type, e.g. OpenBadgeCredential.")
ISSUER = typer.Option(None, "--issuer", metavar="X", help="Only credentials whose issuer's name contains X (or whose id is X).")
STATUS = typer.Option(None, "--status", metavar="S", help="Only credentials with this status, e.g. verified.")
SINCE = typer.Option(None, "--since", metavar="DATE", help="Only credentials issued on or after DATE (2024-01-31, or a date-time).")
UNTIL = typer.Option(None, "--until", metavar="DATE", help="Only credentials issued on or before DATE (a date counts whole).")
SEARCH = typer.Option(None, "--search", metavar="TEXT", help="Only credentials whose title, issuer, description or skills contain every word of TEXT.")


def _kdf_label(kdf: dict, weak: bool) -> str:
    text = f"{kdf['algorithm']} memory={kdf['memory_kib']} KiB iterations={kdf['iterations']} lanes={kdf['lanes']}"
    return text + ("  (WEAK: test-only parameters)" if weak else "")


def init(
    ctx: typer.Context,
    passphrase_file: Optional[Path] = PASSPHRASE_FILE,
    json_out: bool = JSON,
) -> None:
    """Create a new, empty, encrypted wallet.

    The passphrase comes from LERWALLET_PASSPHRASE, --passphrase-file, or a hidden prompt (asked
    twice). It is never taken as an argument, and it cannot be recovered: keep it safe.

    Example: lerwallet init
    """
    from lerwallet.store import Wallet

    home = wallet_home(ctx)
    Wallet.check_new(home)  # an existing wallet or its leftovers: before asking for a passphrase
    passphrase = read_passphrase(passphrase_file=passphrase_file, confirm=True, prompt="New passphrase")
    if (weak := weakness(passphrase)) is not None:
        output.warn(weak)
    from lerwallet import identity

    made = []

    def first_identity(wallet) -> None:
        # The learner's first identity: did:key, Ed25519 (Multikey), the default holder. Made
        # before the wallet is moved into place: init succeeds whole or leaves nothing.
        made.append(identity.create(wallet, method="key", key_type="ed25519", name="main", make_default=True))

    with Wallet.create(home, passphrase, setup=first_identity) as wallet:
        for message in wallet.warnings:
            output.warn(message)
        first = made[0]
        stats = wallet.stats()
    if stats["kdf_weak"]:  # only the test suite can make one (store.vault.new_wallet_kdf)
        output.warn(f"weak key derivation ({_kdf_label(stats['kdf'], True)}); never use it for a real wallet")
    if json_out:
        output.print_json({**stats, "identity": first.to_dict()})
    else:
        output.info(f"Created an encrypted wallet in {home}")
        output.info(f"Your identity (default holder): {first.did}")
        output.info("Next: lerwallet import FILE")


def path(ctx: typer.Context, json_out: bool = JSON) -> None:
    """Print the wallet folder (whether or not a wallet exists there yet).

    Example: ls -l "$(lerwallet path)"
    """
    from lerwallet.store import Wallet
    from lerwallet.store.vault import DB_NAME

    home = wallet_home(ctx)
    if json_out:
        output.print_json({"home": str(home), "database": str(home / DB_NAME), "exists": Wallet.exists(home)})
    else:
        typer.echo(str(home))


def status(ctx: typer.Context, json_out: bool = JSON) -> None:
    """Where the wallet lives, how many records, store format version and KDF parameters.

    Needs no passphrase: none of this is secret, and no secret is shown.

    Examples:
      lerwallet status
      lerwallet status --json | jq .records
    """
    from lerwallet.store import Wallet

    info = Wallet.inspect(wallet_home(ctx))
    for message in info.pop("warnings"):
        output.warn(message)
    if json_out:
        output.print_json(info)
        return
    records = info["records"]
    rows = [
        ("wallet", info["home"]),
        ("database", info["database"]),
        ("format version", str(info["format_version"])),
        ("credentials", str(records.get("credential", 0))),
        ("identities", str(records.get("identity", 0))),
        ("records (all kinds)", str(sum(records.values()))),
        ("key derivation", _kdf_label(info["kdf"], info["kdf_weak"])),
        ("size on disk", f"{info['bytes_on_disk']} bytes"),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        typer.echo(f"{key:<{width}}  {value}")


def passwd(
    ctx: typer.Context,
    passphrase_file: Optional[Path] = PASSPHRASE_FILE,
    new_passphrase_file: Optional[Path] = typer.Option(
        None, "--new-passphrase-file", show_default=False,
        help="Read the new passphrase from this file (else LERWALLET_NEW_PASSPHRASE, else a prompt).",
    ),
) -> None:
    """Change the passphrase. Only the wrapped data key is rewritten: fast, no record is re-encrypted.

    The key derivation parameters are raised to at least today's defaults at the same time
    (stronger ones are kept); `lerwallet status` shows them.

    Example: lerwallet passwd
    """
    from lerwallet import crypto

    with open_wallet(ctx, passphrase_file) as wallet:
        new = read_passphrase(
            passphrase_file=new_passphrase_file, confirm=True, prompt="New passphrase",
            env_var=ENV_NEW_PASSPHRASE, file_option="--new-passphrase-file",
        )
        if (weak := weakness(new)) is not None:
            output.warn(weak)
        before = wallet.kdf
        wallet.change_passphrase(new)  # raises weaker key derivation to today's defaults
        kdf = wallet.kdf
    output.info("Passphrase changed.")
    if kdf != before:
        output.info(f"key derivation raised to {_kdf_label(kdf.to_dict(), kdf.weaker_than(crypto.KdfParams.default()))}")


ONLINE = typer.Option(False, "--online", help="Allow fetching did:web documents, status lists and registries (https only).")
TRUST = typer.Option([], "--trust", metavar="FILE", help="Trust file or issuer registry (repeatable); WALLET/trust.json is always read.")
STATUS_CACHE = typer.Option(None, "--status-cache", metavar="DIR", help="Folder of status list credentials fetched earlier.")
DID_CACHE = typer.Option(None, "--did-cache", metavar="DIR", help="Folder of did:web documents fetched earlier.")
EMAIL = typer.Option([], "--email", metavar="ADDR",
                     help="Check that badges were awarded to this email address (repeatable: one match is enough). "
                          "A badge awarded to another address fails that check.")
OB2_CACHE = typer.Option(None, "--ob2-cache", metavar="DIR",
                         help="Folder of Open Badges 2.0 documents fetched earlier (hosted assertions, BadgeClasses, issuers, keys, revocation lists).")


def _verify_options(ctx: typer.Context, online: bool, trust: List[Path], status_cache: Optional[Path],
                    did_web_cache: Optional[Path], ob2_cache: Optional[Path] = None, emails: List[str] = ()):
    """The verification options shared by import and recheck, checked before any other work
    (`--email` by the one address rule, `verify.options.checked_emails`). A stored SD-JWT is no
    live presentation: its key binding JWT's age is not judged."""
    from lerwallet.verify.options import prepare

    return prepare(wallet_home(ctx), trust=trust, status_cache=status_cache, did_web_cache=did_web_cache,
                   ob2_cache=ob2_cache, online=online, max_kb_age=None, email=tuple(emails) or None)


def _hint(text: str) -> None:
    sys.stderr.write(f"lerwallet: hint: {' '.join(text.split())}\n")


_STORED_AS = {
    "inconclusive": "imported as inconclusive",
    "expired": "imported, marked expired",
    "not-yet-valid": "imported, marked not yet valid",
    "unsigned": "imported as unsigned",
    "invalid": "imported as invalid (--allow-invalid)",
}


def _where(found) -> str:
    source = "stdin" + found.source[1:] if found.source.startswith("-") else found.source
    source = source.replace("#baked", "", 1)
    extra = {"png": ", baked PNG badge", "svg": ", baked SVG badge"}.get(found.container, "")
    if found.via == "presentation":
        extra += ", from a presentation"
    if found.via == "clr":  # file#credentialSubject.verifiableCredential[2] -> file, CLR item 2
        head, _, index = source.rpartition("#credentialSubject.verifiableCredential[")
        if head:
            source, extra = head, extra + f", CLR item {index.rstrip(']')}"
    return source + extra


def import_(
    ctx: typer.Context,
    files: List[str] = typer.Argument(..., metavar="INPUT...", help="Files, folders or - (stdin)."),
    recursive: bool = typer.Option(False, "--recursive", "-r", help="Also import the files in subfolders of a folder."),
    allow_invalid: bool = typer.Option(
        False, "--allow-invalid", help="Store credentials that fail verification anyway, marked invalid."),
    online: bool = ONLINE,
    trust: List[Path] = TRUST,
    status_cache: Optional[Path] = STATUS_CACHE,
    did_web_cache: Optional[Path] = DID_CACHE,
    ob2_cache: Optional[Path] = OB2_CACHE,
    email: List[str] = EMAIL,
    passphrase_file: Optional[Path] = PASSPHRASE_FILE,
    json_out: bool = JSON,
) -> None:
    """Import credentials: each one is verified first (offline unless --online), then stored
    encrypted with its status (verified, expired, inconclusive, unsigned; see docs/wallet.md).

    Reads JSON-LD credentials (VC 1.1 / 2.0, Open Badges 3.0, CLR 2.0), VC-JWTs, SD-JWTs, baked
    PNG/SVG badges, JSON arrays of them, and the credentials inside a presentation. A folder
    imports every file in it (--recursive for subfolders); a .zip archive (a platform export)
    every member, bounded (unsafe names, encrypted members and zip bombs refused).

    A credential that fails verification (bad signature, tampered, revoked) is refused: exit 1,
    nothing stored (--allow-invalid keeps it, marked invalid). Each file (and each .zip archive) is
    imported whole or not at all; the others still import. Unreadable input exits 2. Everything is read and checked
    before the passphrase is asked for. Bytes already in the wallet are reported, not duplicated.

    Examples:

      lerwallet import badge.json transcript.jwt badge.png

      lerwallet import downloads/ --recursive --online

      lerwallet import old-badge.png --ob2-cache ob2-docs/ --email me@example.org
    """
    from lerwallet.store import importer
    from lerwallet.verify.report import exit_code, worst

    if files.count("-") > 1:
        raise UsageError("stdin (-) can be read only once")
    from lerwallet.cli import progress

    opts = _verify_options(ctx, online, trust, status_cache, did_web_cache, ob2_cache, email)
    shown = progress.wanted(json_out)  # a rich bar on a terminal only: never with --json or into a pipe
    with progress.bar("verifying", shown) as update:
        examined, skipped = importer.examine_inputs(files, opts, recursive=recursive, progress=update)
    _report_skipped(skipped, json_out)
    if any(item.storable(allow_invalid) for item in examined):
        try:
            wallet = open_wallet(ctx, passphrase_file)
        except LerwalletError:  # no wallet, no passphrase: still say what was wrong with the other inputs
            for item in examined:
                if not item.storable(allow_invalid):
                    _import_outcome(item, json_out=True)
            raise
        with wallet, progress.bar("storing", shown, total=0, unit="inputs") as update:
            importer.store_all(wallet, examined, allow_invalid=allow_invalid, progress=update)
    rows = [row for item in examined for row in _import_outcome(item, json_out)]
    rows += [{"source": item.name, "stored": False, "skipped": True, "reason": item.skip_reason} for item in skipped]
    not_kept = [item.name for item in examined if item.images_not_kept and item.stored]
    if not_kept:
        output.info(f"{sum(item.images_not_kept for item in examined if item.stored)} badge image(s) were not kept "
                    f"(over {importer.IMAGE_BUDGET // 2**20} MiB of images in one import); their credentials are stored")
        _hint(f"import those files again to keep their images (export --baked gives them back), e.g.: "
              f"lerwallet import {not_kept[-1]}")
    unchecked = [s for item in examined for s in item.stored or () if s.found.recipient_unchecked and not s.record.duplicate]
    if unchecked:  # authentic, but whom it names was not checked: say how, once
        output.info(f"{len(unchecked)} Open Badges 2.0 badge(s) stored without checking their recipient")
        _hint(f"check that they were awarded to you with: lerwallet recheck {unchecked[0].record.id[:10]} --email ADDR "
              "(or import with --email ADDR)")
    if json_out:
        output.print_json(rows)
    code = exit_code(worst(item.verdict for item in examined))
    if code:
        raise typer.Exit(code)


SKIPPED_SHOWN = 10  # skipped files named one by one; more are counted


def _report_skipped(skipped: list, json_out: bool) -> None:
    """Files in folders that were not imported because they are no credential: each named with
    why (the first few), then a count. Not errors: the exit code does not change."""
    if not skipped:
        return
    for item in skipped[:SKIPPED_SHOWN]:
        output.info(output.safe_text(f"skipped {item.name}: {item.skip_reason or 'no credential in it'}"))
    if len(skipped) > SKIPPED_SHOWN:
        output.info(f"... and {len(skipped) - SKIPPED_SHOWN} more")
    output.info(f"skipped {len(skipped)} file(s) in the folder(s) that hold no credential"
                + (" (listed with --json)" if len(skipped) > SKIPPED_SHOWN and not json_out else ""))


def _import_outcome(item, json_out: bool) -> list[dict]:
    """Report one examined input (messages on stderr, the imported lines on stdout) and return
    its `--json` rows."""
    name = "stdin" if item.name == "-" else item.name
    if item.error or item.failure:
        message = item.error or item.failure
        output.error(f"{name}: {message}", item.hint)
        return [{"source": item.name, "stored": False, "error": message}]
    if item.stored is None:  # refused: at least one credential failed verification
        refused = [f for f in item.found if f.refused]
        first = refused[0]
        rest = f" (nothing from {name} was stored)" if len(item.found) > 1 else ""
        output.error(f"{_where(first)}: not imported: {first.reason}{rest}")
        shown = "-" if item.name == "-" else item.name
        _hint(f"see every check with: lerwallet verify {shown}; to keep it anyway, marked invalid: "
              f"lerwallet import --allow-invalid {shown}")
        return [{"source": f.source, "stored": False, "status": f.status, "reason": f.reason,
                 "error": f"not imported: {f.reason}" if f.refused else f"not imported: {first.source} was refused"}
                for f in item.found]
    if item.from_presentation:
        output.info(f"{name}: a presentation holding {len(item.found)} credential(s); each was verified on its own")
    rows = []
    for s in item.stored:
        f, record = s.found, s.record
        if not json_out:
            what = "already in the wallet as" if record.duplicate else "imported"
            typer.echo(output.safe_text(f"{what} {record.id[:10]}  {record.status:<13}  {record.title or '(untitled)'}  ({_where(f)})"))
        if f.status != "verified" and not record.duplicate:
            output.warn(f"{_where(f)}: {_STORED_AS.get(f.status, f.status)}: {f.reason}")
            if f.hint:
                _hint(f.hint.format(id=record.id[:10]))
        rows.append({"source": f.source, "stored": not record.duplicate, "duplicate": record.duplicate,
                     "id": record.id, "title": record.title, "status": record.status,
                     "reason": record.reason if record.duplicate else f.reason,
                     "format": f.format, "container": f.container, "via": f.via})
    return rows


def list_(
    ctx: typer.Context,
    passphrase_file: Optional[Path] = PASSPHRASE_FILE,
    json_out: bool = JSON,
    did: Optional[str] = typer.Option(
        None, "--did", metavar="DID|NAME", help="Only credentials issued to this identity of yours."
    ),
    skill: Optional[str] = SKILL,
    kind: Optional[str] = KIND,
    issuer: Optional[str] = ISSUER,
    status: Optional[str] = STATUS,
    since: Optional[str] = SINCE,
    until: Optional[str] = UNTIL,
    search: Optional[str] = SEARCH,
    sort: Optional[str] = typer.Option(None, "--sort", metavar="issued|added|title|issuer|expires",
                                       help="Order: issued (newest first, the default), added (newest import first), title, issuer (A-Z), expires (soonest first)."),
    reverse: bool = typer.Option(False, "--reverse", help="Turn the order round (records without the sorted value, then damaged ones, stay last)."),
    show_all: bool = typer.Option(False, "--all", help="Also list versions replaced by `lerwallet edit` (superseded)."),
) -> None:
    """List the credentials in the wallet, with the status verification gave each one.

    Newest issued first (the order of every listing: recheck, present); damaged records last.
    The ID column takes an abbreviated id: any unique prefix works with show, recheck and delete.
    STATUS: verified, expired, not-yet-valid, inconclusive, unsigned, invalid, unverified (never
    checked: run lerwallet recheck), damaged (docs/wallet.md). Your own records (lerwallet add)
    read "self-attested" in the ISSUER column; versions replaced by lerwallet edit are hidden
    unless --all (marked "superseded").

    Filters (combined with AND, the same words as present): --skill, --kind, --issuer, --status,
    --since/--until DATE (issued in that range), --search TEXT (title, issuer, description,
    skills). --sort issued|added|title|issuer|expires and --reverse order the result.
    Credentials inside a CLR are listed on their own (IN CLR names the CLR).

    Examples:

      lerwallet list --skill python --status verified --json

      lerwallet list --search "data analysis" --since 2024-01-01 --sort title
    """
    from lerwallet.cli.listing import run_list
    from lerwallet.present.select import Filters, sort_records

    filters = Filters(skill=skill, kind=kind, issuer=issuer, status=status, since=since, until=until,
                      search=search)  # the words `present` takes too
    sort_records([], sort)  # an unknown --sort is a usage error before the passphrase is asked for
    code = run_list(ctx, passphrase_file, json_out, did=did, filters=filters, show_all=show_all, sort=sort,
                    reverse=reverse)
    if code:
        raise typer.Exit(code)


def show(
    ctx: typer.Context,
    record_id: str = typer.Argument(..., metavar="ID", help="Credential id or a unique prefix of it."),
    passphrase_file: Optional[Path] = PASSPHRASE_FILE,
    json_out: bool = JSON,
    raw: bool = typer.Option(False, "--raw", help="Print the original bytes exactly as imported."),
    evidence_out: Optional[Path] = typer.Option(
        None, "--evidence-out", metavar="DIR", help="Write the evidence files stored with a record into this folder."),
) -> None:
    """Show one credential: its achievement (name, description, criteria, image), results,
    skills, evidence, dates, issuer, subject, its status and why, and the result of every check.
    A CLR also lists what it holds: its credentials (each stored on its own), achievements and
    associations.

    --raw prints the credential exactly as imported: the JSON or the JWT (for a baked badge, the
    credential that was inside the image). For an ecdsa-sd-2023 or bbs-2023 base credential
    (your holder's copy, not for sharing) a warning says so; export writes a shareable copy.

    --evidence-out DIR writes the evidence files kept with a self-attested record (lerwallet add
    --evidence FILE) into DIR, each checked against the digest the signed record names; an
    existing file is never overwritten.

    Example: lerwallet show 3f2a --raw > badge.json
    """
    from lerwallet.store import credentials

    if raw and json_out:
        raise UsageError("--raw and --json cannot be used together")
    with open_wallet(ctx, passphrase_file) as wallet:
        full_id = credentials.resolve(wallet, record_id)
        if evidence_out is not None:
            from lerwallet.record.records import write_evidence

            written = write_evidence(wallet, full_id, evidence_out)
            if json_out:
                output.print_json({"id": full_id, "written": [str(p) for p in written]})
            else:
                for p in written:
                    typer.echo(output.safe_text(str(p)))
                output.info(f"wrote {len(written)} evidence file(s) into {evidence_out}")
            return
        record = credentials.get_credential(wallet, full_id)
        original = credentials.get_original(wallet, full_id)
        checks = credentials.get_checks(wallet, full_id)
        members = [] if raw else credentials.members_of(wallet, record)  # a CLR's contents
    if raw:
        from lerwallet.store.export import base_credential

        sys.stdout.buffer.write(original)
        sys.stdout.flush()
        if base_credential(record, original) is not None:
            output.warn(f"this is a selective-disclosure base credential, your holder's copy: it carries the key that "
                        f"links every copy derived from it, and verifiers refuse it; to share it: lerwallet export "
                        f"{full_id[:10]} --out FILE (a derived copy showing every field)")
        return
    from lerwallet.formats import decode_bytes

    envelopes = decode_bytes(original, record.source or full_id)
    document = envelopes[0].unverified if len(envelopes) == 1 and envelopes[0].error is None else None
    token = len(envelopes) == 1 and envelopes[0].token is not None
    from lerwallet.model import details

    shown = details(document) if isinstance(document, dict) else {}
    contents = [{"id": m.id, "title": m.title, "status": m.status} for m in members]
    if json_out:
        from lerwallet.record import is_self_attested

        output.print_json({**record.to_dict(), "self_attested": is_self_attested(record), "checks": checks, "credential": document,
                           **({"token": original.decode("ascii", "replace").strip()} if token else {}),
                           "details": shown, **({"contents": contents} if record.clr_members or members else {})})
        return
    _render_panel(record, checks, shown, contents)


def _data_model_label(data_model: str) -> str:
    """'VC 2.0' for a W3C version number; a named model ('SD-JWT VC') as it is."""
    return f"VC {data_model}" if data_model[:1].isdigit() else data_model


def _attested_label(summary: dict) -> str:
    """"self-attested by DID" for the learner's own records; "" for issued credentials."""
    from lerwallet.record import SUPERSEDED_BY, is_self_attested

    parts = []
    if is_self_attested(summary):
        parts.append(f"self-attested by {summary.get('issuer_id', '')} (not verified by a third party)")
    if summary.get(SUPERSEDED_BY):
        parts.append(f"superseded by {summary[SUPERSEDED_BY][:10]} (lerwallet edit)")
    return "; ".join(parts)


def _render_panel(record, checks: list[dict], shown: dict | None = None, contents: list[dict] | None = None) -> None:
    from rich.markup import escape
    from rich.panel import Panel
    from rich.table import Table

    s = record.summary
    shown = shown or {}
    clr_ref = s.get("clr") if isinstance(s.get("clr"), dict) else {}
    lines = [
        ("id", record.id),
        ("kind", s.get("kind", "")),
        ("types", ", ".join(s.get("types", []))),
        ("issuer", " ".join(x for x in (s.get("issuer_name", ""), f"<{s['issuer_id']}>" if s.get("issuer_id") else "") if x)),
        ("subject", s.get("subject_id", "")),
        ("attested", _attested_label(s)),
        ("role", s.get("role", "")),
        ("organisation", s.get("org", "")),
        ("activity", (s.get("activity_start", "")[:10] + (f" to {s['activity_end'][:10]}" if s.get("activity_end") else " (ongoing)"))
         if s.get("activity_start") else ""),
        ("issued", s.get("issued", "")),
        ("valid until", s.get("valid_until", "")),
        ("data model", _data_model_label(s.get("data_model", ""))),
        ("status", f"{record.status}: {record.reason}" if record.reason else record.status),
        ("checked", record.checked_at or "never (run: lerwallet recheck ID)"),
        ("format", record.format + {"png": " (baked in a PNG badge)", "svg": " (baked in an SVG badge)"}.get(record.container, "")
         + (" (received in a presentation)" if record.via == "presentation" else "")),
        ("imported", f"{record.imported_at} from {record.source}" if record.source else record.imported_at),
        ("part of", f"the CLR {clr_ref.get('id', '')[:10]} {clr_ref.get('title', '')} (lerwallet show {clr_ref.get('id', '')[:10]})"
         if clr_ref.get("id") else ""),
        ("description", s.get("description", "")),
    ]
    achievement = shown.get("achievement") or {}
    if achievement:
        if achievement.get("name") and achievement.get("name") != record.title:
            lines.append(("achievement", achievement["name"]))
        lines.append(("achievement type", achievement.get("type", "")))
        if achievement.get("description") and achievement.get("description") != s.get("description"):
            lines.append(("about", achievement["description"]))
        lines.append(("criteria", achievement.get("criteria", "")))
        image = achievement.get("image", "none")
        lines.append(("image", {"none": "none", "embedded": "present (embedded in the credential)"}.get(image, f"present (link: {image})")))
    for r in shown.get("results", []):
        lines.append(("result", ": ".join(x for x in (r.get("name"), r.get("value")) if x)
                      + (f" ({r['status']})" if r.get("status") else "")))
    for a in shown.get("alignments", []):
        extra = ", ".join(x for x in (a.get("framework"), a.get("code")) if x)
        lines.append(("skill", (a.get("name") or a.get("url") or "") + (f" ({extra})" if extra else "")
                      + (f" <{a['url']}>" if a.get("url") and a.get("name") else "")))
    if not shown.get("alignments"):
        skills = [k.get("name") or k.get("code") or k.get("url") for k in s.get("skills", [])]
        if skills:
            lines.append(("skills", ", ".join(x for x in skills if x)))
    for e in shown.get("evidence", []):
        lines.append(("evidence", " - ".join(x for x in (e.get("name"), e.get("narrative") or e.get("description"), e.get("id")) if x)))
    files = [f"{e.get('name')} ({e.get('size')} bytes)" for e in s.get("evidence_files") or [] if isinstance(e, dict)]
    if files:
        lines.append(("evidence files", ", ".join(files) + " (stored encrypted; write out with --evidence-out DIR)"))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for key, value in lines:
        if value:
            grid.add_row(key, escape(output.safe_text(value, multiline=key in ("description", "about", "criteria"))))
    clr_contents = shown.get("clr_contents") or {}
    if contents:
        table = Table.grid(padding=(0, 2))
        for _ in range(3):
            table.add_column(overflow="fold")
        for c in contents:
            table.add_row(*(escape(output.safe_text(x)) for x in (c["id"][:10], c["title"] or "(untitled)", c["status"])))
        grid.add_row(f"credentials ({len(contents)})", table)
    if clr_contents.get("achievements"):
        text = "\n".join(output.safe_text(a.get("name") or a.get("id") or "?") + (f" ({a['type']})" if a.get("type") else "")
                         for a in clr_contents["achievements"])
        grid.add_row(f"achievements ({len(clr_contents['achievements'])})", escape(text))
    if clr_contents.get("associations"):
        text = "\n".join(output.safe_text(f"{a.get('source_name') or a.get('source')} {a.get('type') or 'relates to'} "
                                          f"{a.get('target_name') or a.get('target')}") for a in clr_contents["associations"])
        grid.add_row(f"associations ({len(clr_contents['associations'])})", escape(text))
    if checks:
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(overflow="fold")
        for c in checks:
            table.add_row(*(escape(output.safe_text(c.get(k, ""))) for k in ("outcome", "id", "reason")))
        grid.add_row("checks", table)
    output.console().print(Panel(grid, title=escape(output.safe_text(record.title or "(untitled)")), expand=False))


def delete(
    ctx: typer.Context,
    record_id: str = typer.Argument(..., metavar="ID", help="Credential id or a unique prefix of it."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
    passphrase_file: Optional[Path] = PASSPHRASE_FILE,
    json_out: bool = JSON,
) -> None:
    """Delete one credential from the wallet (asks first unless --yes; declining exits 0).

    Deleting a CLR deletes the credentials inside it too; one of those alone cannot be
    deleted while its CLR is stored.

    Example: lerwallet delete 3f2a --yes
    """
    from lerwallet.errors import IntegrityError
    from lerwallet.store import credentials

    with open_wallet(ctx, passphrase_file) as wallet:
        full_id = credentials.resolve(wallet, record_id)
        try:
            title = output.safe_text(credentials.get_credential(wallet, full_id).title or "(untitled)")
        except IntegrityError:
            title = "(damaged record)"
        inside, kept = credentials.deletion_of(wallet, full_id)  # a CLR's contents go with it, but those held elsewhere
        also = f" and the {len(inside)} credential(s) inside it" if inside else ""
        if not yes:
            if not confirm(f"Delete {full_id[:10]} {title}{also}?", action="deleting a credential"):
                if json_out:
                    output.print_json({"deleted": False, "id": full_id})
                output.info("Nothing deleted.")
                raise typer.Exit(0)
        removed = credentials.delete_credential(wallet, full_id)
    if json_out:
        output.print_json({"deleted": True, "id": full_id, **({"with": removed} if removed else {}),
                           **({"kept": kept} if kept else {})})
    output.info(f"Deleted {full_id[:10]}  {title}" + (f" and the {len(removed)} credential(s) inside it" if removed else ""))
    if kept:
        output.info(f"Kept {len(kept)} credential(s) it held that were imported on their own (or belong to another CLR)")


def recheck(
    ctx: typer.Context,
    record_ids: Optional[List[str]] = typer.Argument(None, metavar="[ID...]", help="Credential ids or unique prefixes; all when none."),
    online: bool = ONLINE,
    trust: List[Path] = TRUST,
    status_cache: Optional[Path] = STATUS_CACHE,
    did_web_cache: Optional[Path] = DID_CACHE,
    ob2_cache: Optional[Path] = OB2_CACHE,
    email: List[str] = EMAIL,
    passphrase_file: Optional[Path] = PASSPHRASE_FILE,
    json_out: bool = JSON,
) -> None:
    """Verify stored credentials again and update their status (all of them when no ID is given).

    Runs the same pipeline as import on the original bytes: useful after going --online, after
    an issuer revoked something, or for credentials imported before import verified them. A
    CLR's credentials are rechecked with it, each on its own.

    A badge's recipient is checked against --email, or else against the addresses given when it
    was imported or last rechecked.

    Exit codes: 0 when nothing is invalid, 1 when a credential is invalid or damaged, 4 when
    nothing failed but something could not be checked (inconclusive).

    Example: lerwallet recheck --online
    """
    from lerwallet.store import credentials, importer
    from lerwallet.verify.report import exit_code, worst

    opts = _verify_options(ctx, online, trust, status_cache, did_web_cache, ob2_cache, email)
    with open_wallet(ctx, passphrase_file) as wallet:
        from lerwallet.record.sign import knowing_own_documents

        knowing_own_documents(wallet, opts)  # your own did:web records verify offline (docs/record.md)
        # All of them in the default order, newest issued first, as `list` shows them.
        ids = (importer.with_clr_contents(wallet, [credentials.resolve(wallet, r) for r in record_ids]) if record_ids
               else [r.id for r in credentials.list_credentials(wallet)])  # a CLR's credentials go with it
        results = [importer.recheck(wallet, full_id, opts) for full_id in dict.fromkeys(ids)]
    rows = [{"id": r.record.id, "title": r.record.title, "before": r.before, "status": r.record.status,
             "reason": r.error or r.record.reason, "checked_at": r.record.checked_at} for r in results]
    code = exit_code(worst(r.verdict for r in results))
    if json_out:
        print_json_array(rows)
    elif not rows:
        output.info("No credentials yet. Import one with: lerwallet import FILE")
    else:
        short = short_ids([r["id"] for r in rows])
        table = [[short[r["id"]], r["title"], r["before"] if r["before"] != r["status"] else "", r["status"], r["reason"]]
                 for r in rows]
        print_table(["ID", "TITLE", "WAS", "STATUS", "WHY"], table)
        changed = sum(1 for r in rows if r["before"] != r["status"])
        output.info(f"{len(rows)} checked, {changed} changed status")
    for r in results:
        if r.error:
            output.error(f"{r.record.id}: {r.error}")
    raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
    app.command("init")(init)
    app.command("path")(path)
    app.command("status")(status)
    app.command("passwd")(passwd)
    app.command("import")(import_)
    app.command("list")(list_)
    app.command("show")(show)
    app.command("recheck")(recheck)
    app.command("delete")(delete)
