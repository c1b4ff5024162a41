"""Getting things out and back: export, backup (and backup --verify), restore, check.

Thin: options and passphrases here, the format and the restore rules in `lerwallet.store.backup`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer

from lerwallet.cli import output
from lerwallet.cli.passphrase import ENV_PASSPHRASE, _is_interactive, confirm, read_passphrase, wallet_home
from lerwallet.errors import EXIT_INVALID, UsageError

ENV_BACKUP_PASSPHRASE = "LERWALLET_BACKUP_PASSPHRASE"

PASSPHRASE_FILE = typer.Option(
    None, "--passphrase-file", show_default=False,
    help="Read the wallet passphrase from the first line of this file (else LERWALLET_PASSPHRASE, else a prompt).",
)
BACKUP_PASSPHRASE_FILE = typer.Option(
    None, "--backup-passphrase-file", show_default=False,
    help="Read the backup passphrase from this file (else LERWALLET_BACKUP_PASSPHRASE, else the wallet's passphrase).",
)
JSON = typer.Option(False, "--json", help="Print JSON on stdout.")


def _given(file: Optional[Path], env_var: str) -> bool:
    return file is not None or os.environ.get(env_var) is not None


def _backup_passphrase(file: Optional[Path], *, fallback: bytes | None, confirm: bool = False) -> bytes:
    """The backup passphrase: its own file or variable when given, else `fallback` (the
    wallet's), else a prompt."""
    if _given(file, ENV_BACKUP_PASSPHRASE) or fallback is None:
        return read_passphrase(passphrase_file=file, confirm=confirm, prompt="Backup passphrase",
                               env_var=ENV_BACKUP_PASSPHRASE, file_option="--backup-passphrase-file")
    return fallback


def _open(ctx, passphrase_file: Optional[Path]):
    """(wallet, its passphrase): the passphrase is also the default backup passphrase."""
    from lerwallet.errors import NotFoundError
    from lerwallet.store import Wallet

    home = wallet_home(ctx)
    if not Wallet.exists(home):
        raise NotFoundError(f"no wallet at {home}", hint="create one with: lerwallet init, or restore a backup")
    passphrase = read_passphrase(passphrase_file=passphrase_file)
    wallet = Wallet.open(home, passphrase)
    for message in wallet.warnings:
        output.warn(message)
    return wallet, passphrase


def backup(
    ctx: typer.Context,
    out: Optional[Path] = typer.Option(None, "--out", "-o", metavar="FILE", help="Write the backup to FILE (mode 0600)."),
    verify: Optional[Path] = typer.Option(None, "--verify", metavar="FILE",
                                          help="Check that FILE is a complete backup that opens; restore nothing."),
    force: bool = typer.Option(False, "--force", help="Overwrite FILE if it exists."),
    separate: bool = typer.Option(False, "--separate-passphrase",
                                  help="Ask (twice) for a backup passphrase other than the wallet's."),
    passphrase_file: Optional[Path] = PASSPHRASE_FILE,
    backup_passphrase_file: Optional[Path] = BACKUP_PASSPHRASE_FILE,
    json_out: bool = JSON,
) -> None:
    """Write every record (credentials, identities with their private keys, history, settings)
    to one encrypted file, or check one with --verify.

    The backup is sealed under the wallet's passphrase unless LERWALLET_BACKUP_PASSPHRASE,
    --backup-passphrase-file or --separate-passphrase give another. Damaged records are left
    out, named, and make the command exit 1.

    Example: lerwallet backup --out ~/lerwallet-2026-11-29.backup
    """
    from lerwallet.store import backup as backups

    if (out is None) == (verify is None):
        raise UsageError("give either --out FILE (make a backup) or --verify FILE (check one)",
                         hint="see: lerwallet backup --help")
    if verify is not None:
        data = backups.read_file(verify)
        fallback = None
        if not _given(backup_passphrase_file, ENV_BACKUP_PASSPHRASE) and _given(passphrase_file, ENV_PASSPHRASE):
            fallback = read_passphrase(passphrase_file=passphrase_file)
        contents = backups.open_backup(data, _backup_passphrase(backup_passphrase_file, fallback=fallback))
        counts = contents.counts()
        if json_out:
            output.print_json({"ok": True, "path": str(verify), "created_at": contents.created_at, "records": counts})
        else:
            output.info(f"{verify}: a complete lerwallet backup made {contents.created_at or '(date unknown)'}")
            output.info("  " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))
        return
    if separate and _given(backup_passphrase_file, ENV_BACKUP_PASSPHRASE):
        raise UsageError("--separate-passphrase asks for the passphrase; it cannot be combined with "
                         "--backup-passphrase-file or LERWALLET_BACKUP_PASSPHRASE")
    if separate and not _is_interactive():
        raise UsageError("--separate-passphrase asks for the passphrase on a terminal, and there is none here",
                         hint="leave it out and give the backup passphrase in LERWALLET_BACKUP_PASSPHRASE "
                              "or --backup-passphrase-file FILE")
    wallet, passphrase = _open(ctx, passphrase_file)
    with wallet:
        chosen = _backup_passphrase(backup_passphrase_file, fallback=None if separate else passphrase, confirm=True)
        outcome = backups.write_backup(wallet, out, chosen, force=force)
    for skipped in outcome.skipped:
        output.warn(f"left out damaged {skipped['kind']} {skipped['id']}: {skipped['why']}")
    if json_out:
        output.print_json({**outcome.to_dict(), "ok": not outcome.skipped})
    else:
        output.info(f"Backed up to {out}: " + ", ".join(f"{n} {kind}" for kind, n in outcome.counts.items()))
        output.info("Keep it as safe as the wallet: it holds your private keys, sealed under the backup passphrase.")
    if outcome.skipped:
        raise typer.Exit(EXIT_INVALID)


def restore(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE", help="A backup made by lerwallet backup."),
    merge: bool = typer.Option(False, "--merge", help="Add the backup's records to the existing wallet (duplicates skipped)."),
    replace: bool = typer.Option(False, "--replace", help="Replace everything in the existing wallet with the backup (asks first)."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask before --replace."),
    passphrase_file: Optional[Path] = PASSPHRASE_FILE,
    backup_passphrase_file: Optional[Path] = BACKUP_PASSPHRASE_FILE,
    json_out: bool = JSON,
) -> None:
    """Restore a backup: into a new wallet (the default), or into the existing one with --merge
    or --replace. The backup is opened and checked completely before anything is written; a
    failed restore changes nothing.

    A new wallet gets the wallet passphrase (LERWALLET_PASSPHRASE, --passphrase-file), or the
    backup passphrase when none is given.

    Example: lerwallet restore ~/lerwallet-2026-11-29.backup
    """
    from lerwallet.store import Wallet
    from lerwallet.store import backup as backups

    if merge and replace:
        raise UsageError("--merge and --replace cannot be combined")
    home = wallet_home(ctx)
    exists = Wallet.exists(home)
    if exists and not (merge or replace):
        raise UsageError(f"a wallet already exists at {home}",
                         hint="pass --merge to add the backup to it, --replace to overwrite it, or --home DIR for a new one")
    if not exists and (merge or replace):
        raise UsageError(f"no wallet at {home} to {'merge into' if merge else 'replace'}",
                         hint="leave out --merge/--replace to restore into a new wallet")
    if not exists:
        Wallet.check_new(home)
    data = backups.read_file(file)
    if exists:
        wallet, passphrase = _open(ctx, passphrase_file)
        with wallet:
            contents = backups.open_backup(data, _backup_passphrase(backup_passphrase_file, fallback=passphrase))
            if replace and not yes:
                if not confirm(f"Replace everything in the wallet at {home} with the backup's "
                               f"{len(contents.records)} records?", action="restore --replace"):
                    output.info("Nothing changed.")
                    raise typer.Exit(0)
            outcome = backups.restore_into(wallet, contents, replace=replace)
    else:
        wallet_given = _given(passphrase_file, ENV_PASSPHRASE)
        wallet_passphrase = read_passphrase(passphrase_file=passphrase_file) if wallet_given else None
        backup_passphrase = _backup_passphrase(backup_passphrase_file, fallback=wallet_passphrase)
        contents = backups.open_backup(data, backup_passphrase)
        if wallet_passphrase is None:
            wallet_passphrase = backup_passphrase
            output.info("The restored wallet uses the backup passphrase.")
        outcome = backups.restore_new(home, wallet_passphrase, contents)
    if json_out:
        output.print_json(outcome.to_dict())
        return
    mode = "merged into" if merge else "replaced the contents of" if replace else "restored into a new wallet at"
    output.info(f"Backup {mode} {home}: " + (", ".join(f"{n} {kind}" for kind, n in outcome.counts.items()) or "nothing new"))
    for skipped in outcome.skipped:
        shown = skipped["id"][:10] if skipped["kind"] != "setting" else skipped["id"]  # random ids: a prefix is enough
        output.info(f"  skipped {skipped['kind']} {shown}: {output.safe_text(skipped['why'])}")
    for renamed in outcome.renamed:
        output.info(f"  identity {output.safe_text(renamed['from'])} renamed {output.safe_text(renamed['to'])} "
                    f"(the name was taken): {renamed['did']}")


def check(
    ctx: typer.Context,
    accept_loss: bool = typer.Option(False, "--accept-loss",
                                     help="Take the wallet as it is now after committed changes went missing "
                                          "(when you will not restore a backup); then check."),
    passphrase_file: Optional[Path] = PASSPHRASE_FILE,
    json_out: bool = JSON,
) -> None:
    """Open and authenticate every record and the manifest, check the file's structure and
    that no committed change is missing; name each damaged record. Exit 1 on any damage.

    Example: lerwallet check
    """
    from lerwallet.store.check import check_wallet

    wallet, _ = _open(ctx, passphrase_file)
    with wallet:
        if accept_loss:
            wallet.accept_loss()
        result = check_wallet(wallet)
    if json_out:
        output.print_json(result.to_dict())
    else:
        total = sum(result.counts.values())
        output.info(f"{total} records opened and authenticated: "
                    + ", ".join(f"{n} {kind}" for kind, n in result.counts.items()))
        for finding in result.damaged:
            output.error(f"damaged: {finding.message}")
        output.info("Wallet OK." if result.ok else f"{len(result.damaged)} damaged; "
                    "delete the records named above, or restore from a backup (lerwallet restore --replace).")
    if not result.ok:
        raise typer.Exit(EXIT_INVALID)


_CONTENT = {
    "derived": "a copy derived from the base credential, showing every field (what a verifier accepts; "
               "the base, your holder's copy, stays in the wallet)",
    "holder-copy": "the base credential as stored, your holder's copy: it carries the key that links every "
                   "copy derived from it; keep it, do not share it",
}


def export(
    ctx: typer.Context,
    record_id: Optional[str] = typer.Argument(None, metavar="[ID]", help="Credential id or a unique prefix of it."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", metavar="FILE|DIR|-",
                                       help="Where to write: a file, - for standard output, or a folder with --all."),
    all_: bool = typer.Option(False, "--all", help="Every credential's original, one file each, into the folder --out."),
    baked: Optional[Path] = typer.Option(None, "--baked", metavar="FILE.png|FILE.svg",
                                         help="Bake an Open Badges 3.0 credential into a badge image for other backpacks."),
    holder_copy: bool = typer.Option(
        False, "--holder-copy",
        help="Write an ecdsa-sd-2023 or bbs-2023 base credential as stored: the issuer's copy for you, with the "
             "key that links every copy derived from it (verifiers refuse it); to move it to another wallet, "
             "never to share. Without it, such a credential is written as a derived copy showing every field."),
    force: bool = typer.Option(False, "--force", help="Overwrite existing files."),
    passphrase_file: Optional[Path] = PASSPHRASE_FILE,
    json_out: bool = JSON,
) -> None:
    """Write credentials back out: the original bytes exactly as imported (they verify wherever
    the original did), or an Open Badges 3.0 credential baked into a PNG or SVG badge.

    A selective-disclosure base credential (ecdsa-sd-2023, bbs-2023), the issuer's copy for you,
    is written as a copy derived from it that shows every field, which verifiers accept
    (--holder-copy: the base itself).

    Examples: lerwallet export 3f2a --out first-aid.json;
    lerwallet export --all --out my-credentials/;
    lerwallet export 3f2a --baked first-aid.png

    A résumé from your records (LER-RS, printable HTML, JSON Resume): lerwallet export resume
    --help.
    """
    from lerwallet.files import write_atomic
    from lerwallet.store import credentials
    from lerwallet.store import export as exports

    if all_ == (record_id is not None):
        raise UsageError("name one credential (ID) or pass --all", hint="see: lerwallet export --help")
    if all_ and (out is None or baked is not None):
        raise UsageError("--all writes the originals into the folder given by --out (not --baked)")
    if not all_ and (out is None) == (baked is None):
        raise UsageError("give --out FILE (the original) or --baked FILE.png|FILE.svg (a badge image)")
    image_type = baked.suffix.lower().lstrip(".") if baked is not None else ""
    if baked is not None and image_type not in ("png", "svg"):
        raise UsageError(f"--baked writes a .png or .svg file, not {baked.name!r}")
    wallet, _ = _open(ctx, passphrase_file)
    with wallet:
        if all_:
            done = exports.export_all(wallet, out, force=force, holder_copy=holder_copy)
        else:
            full_id = credentials.resolve(wallet, record_id)
            if baked is not None:
                data, content = exports.baked(wallet, full_id, image_type, holder_copy=holder_copy)
            else:
                data, content = exports.outgoing(credentials.get_credential(wallet, full_id),
                                                 credentials.get_original(wallet, full_id), holder_copy=holder_copy)
            target = baked if baked is not None else out
            if str(target) == "-":
                output.write_bytes_stdout(data)
                if content != exports.ORIGINAL:
                    output.info(f"{full_id[:10]}: {_CONTENT[content]}")
                return
            write_atomic(target, data, force=force, mode=0o644)
            done = [exports.Exported(full_id, str(target), len(data), content)]
    if json_out:
        output.print_json([d.to_dict() for d in done])
        return
    for d in done:
        what = f": {_CONTENT[d.content]}" if d.content != exports.ORIGINAL else ""
        output.info(f"wrote {d.path} ({d.size} bytes) from {d.id[:10]}{what}")
    if all_:
        output.info(f"{len(done)} credential(s) exported to {out}")


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
    from lerwallet.cli.resume import ExportCommand

    app.command("export", cls=ExportCommand)(export)
    app.command("backup")(backup)
    app.command("restore")(restore)
    app.command("check")(check)
