"""`lerwallet export resume`: chosen records as a résumé (LER-RS, HTML, JSON Resume). Thin: parse,
call `lerwallet.resume`, render. `export` stays a plain command (`export ID`, `--all`, `--baked`);
`ExportCommand` hands `export resume ...` to this command instead."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from typer.core import TyperCommand

from lerwallet.cli import output
from lerwallet.cli.wallet import ISSUER, KIND, PASSPHRASE_FILE, SKILL, STATUS
from lerwallet.errors import UsageError


def export_resume(
    ctx: typer.Context,
    ids: Optional[List[str]] = typer.Argument(None, metavar="[ID...]", help="Credential ids or unique prefixes (default: every valid credential)."),
    format_: str = typer.Option("ler-rs", "--format", "-f", metavar="ler-rs|html|json",
                                help="ler-rs: an HR Open LER-RS JSON document carrying each credential (default); "
                                     "html: a printable page with a QR code; json: JSON Resume."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", metavar="FILE|-", help="Where to write the résumé (- for standard output)."),
    skill: Optional[str] = SKILL,
    kind: Optional[str] = KIND,
    issuer: Optional[str] = ISSUER,
    status: Optional[str] = STATUS,
    name: Optional[str] = typer.Option(None, "--name", help="Your name, at the top of the résumé."),
    email: Optional[str] = typer.Option(None, "--email", help="Your email address."),
    headline: Optional[str] = typer.Option(None, "--headline", help="One line under your name, e.g. 'Data analyst'."),
    link: Optional[str] = typer.Option(None, "--link", metavar="URL",
                                       help="html: the QR code holds this link when the signed presentation does not fit (or there is none)."),
    paper: str = typer.Option("auto", "--paper", metavar="auto|a4|letter", help="html: the page size to print on (auto: the printer's)."),
    no_qr: bool = typer.Option(False, "--no-qr", help="html: no QR code (and no presentation is signed)."),
    force: bool = typer.Option(False, "--force", help="Overwrite FILE if it exists."),
    passphrase_file: Optional[Path] = PASSPHRASE_FILE,
    json_out: bool = typer.Option(False, "--json", help="Print a JSON summary of what was written on stdout."),
) -> None:
    """Write a résumé from your records: an HR Open LER-RS document, a printable HTML page, or
    JSON Resume.

    Choose records as for present: ids and --skill, --kind, --issuer, --status (combined with
    AND); with none, every credential that is not invalid. Entries are grouped by kind (work,
    volunteering, education, certificates, licenses, awards, publications, projects) with the
    skills they evidence. Self-attested records (issued by your own DID) are labelled as such in
    every format.

    --format ler-rs carries each credential in its entry, validated against the LER-RS schema
    (refused, nothing written, when it would not validate). --format html is one self-contained
    page to print (A4 or Letter) with a mark per entry and a QR code of a presentation of the
    verified, issuer-attested entries signed by you (recorded in: lerwallet shared), or of
    --link when that does not fit. --format json is JSON Resume (jsonresume.org), validated
    against its schema. See docs/record.md.

    Exit codes: 0 written, 1 nothing matches, a chosen credential is invalid or damaged, or the
    document would not validate, 2 bad usage, unknown id, unwritable --out, 3 wallet locked.

    Example: lerwallet export resume --format html --name "Ada Lovelace" --out resume.html

    Example: lerwallet export resume --skill python --format ler-rs --out resume.json
    """
    from lerwallet.cli.passphrase import open_wallet
    from lerwallet.cli.present import filters
    from lerwallet import resume as lib

    options = lib.ResumeOptions(format=format_, link=link, paper=paper, qr=not no_qr,
                                person=lib.Person(name=name or "", email=email or "", headline=headline or ""))
    options.check()
    if no_qr and link is not None:
        raise UsageError("--no-qr and --link cannot be combined", hint="--link is printed as the page's QR code")
    if out is None:
        raise UsageError("say where the résumé goes", hint="add --out FILE, or --out - for standard output")
    to_stdout = str(out) == "-"
    if to_stdout and json_out:
        raise UsageError("--json and --out - both write to standard output", hint="use --out FILE with --json")
    fl = filters(skill, kind, issuer, status)
    reserved = None
    if not to_stdout:
        from lerwallet.files import Reserved

        reserved = Reserved(out, force=force, mode=0o600)  # the folder is checked before the passphrase is asked
    try:
        with open_wallet(ctx, passphrase_file) as wallet:
            from lerwallet import identity

            try:
                options.person.did = identity.default_holder(wallet).did
            except Exception:  # a wallet without identities still has a résumé
                options.person.did = ""
            entries = lib.gather(wallet, ids or None, fl)
            made = lib.make(wallet, entries, options)
            if to_stdout:
                output.write_bytes_stdout(made.data)
            else:
                try:
                    reserved.commit(made.data)
                except OSError as exc:
                    from lerwallet.errors import InputError

                    raise InputError(f"cannot write {out}: {exc.strerror or exc}", hint="nothing was written") from None
                reserved = None
            entry = made.record(wallet, "-" if to_stdout else str(Path(out).resolve()))
    finally:
        if reserved is not None:
            reserved.discard()
    for warning in made.warnings:
        output.warn(warning)
    summary = made.to_dict()
    summary["path"] = "-" if to_stdout else str(out)
    summary["history"] = entry.n if entry is not None else None
    if json_out:
        output.print_json(summary)
        return
    counts = ", ".join(f"{n} {section}" for section, n in summary["sections"].items())
    where = "standard output" if to_stdout else str(out)
    output.info(f"Wrote a {made.format} résumé to {where} ({summary['bytes']} bytes): {len(entries)} entries ({counts}), "
                f"{summary['skills']} skills; {summary['verified']} verified, {summary['self_attested']} self-attested.")
    if made.qr:
        what = (f"a presentation of {len(made.qr['credentials'])} verified credential(s), signed by you (history entry {entry.n})"
                if made.qr["content"] == "presentation" else f"the link {made.qr['link']}")
        output.info(f"QR code (version {made.qr['version']}, error correction {made.qr['ecc']}): {what}.")


class ExportCommand(TyperCommand):
    """`export` as before, except that `export resume ...` runs `export_resume` (so `export ID`,
    `--all` and `--baked` keep their meaning). `commands` lets the CLI reference and completion
    see the subcommand."""

    @property
    def commands(self) -> dict:
        return {"resume": _resume_command()}

    def make_context(self, info_name, args, parent=None, **extra):
        if args and args[0] == "resume":
            from typer.core import TyperGroup

            # the parent context is a bare group named `export`, so usage lines and errors read
            # `lerwallet export resume` (not `export [ID] resume`)
            holder = TyperGroup(name=self.name, commands={"resume": _resume_command()})
            ctx = holder.context_class(holder, info_name=info_name, parent=parent)
            return _resume_command().make_context("resume", list(args[1:]), parent=ctx, **extra)
        return super().make_context(info_name, args, parent=parent, **extra)


_RESUME = []


def _resume_command():
    if not _RESUME:
        import typer.main

        from lerwallet.cli.app import reflow

        group = typer.Typer(add_completion=False, pretty_exceptions_enable=False, pretty_exceptions_show_locals=False)
        group.command("resume", help=reflow(export_resume.__doc__))(export_resume)
        _RESUME.append(typer.main.get_command(group))
    return _RESUME[0]
