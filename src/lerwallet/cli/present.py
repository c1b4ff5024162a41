"""`lerwallet present` (share chosen credentials as a signed presentation) and `lerwallet shared`
(the history of what was shared). Thin: parse, call `lerwallet.present`, render."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from lerwallet.cli import output
from lerwallet.cli import passphrase
from lerwallet.cli.passphrase import open_wallet
from lerwallet.cli.wallet import ISSUER, JSON, KIND, PASSPHRASE_FILE, SEARCH, SINCE, SKILL, STATUS, UNTIL
from lerwallet.errors import UsageError

def filters(skill, kind, issuer, status, since=None, until=None, search=None):
    from lerwallet.present.select import Filters

    return Filters(skill=skill, kind=kind, issuer=issuer, status=status, since=since, until=until, search=search)


def present(
    ctx: typer.Context,
    ids: Optional[List[str]] = typer.Argument(None, metavar="[ID...]", help="Credential ids or unique prefixes (see: lerwallet list)."),
    skill: Optional[str] = SKILL,
    kind: Optional[str] = KIND,
    issuer: Optional[str] = ISSUER,
    status: Optional[str] = STATUS,
    since: Optional[str] = SINCE,
    until: Optional[str] = UNTIL,
    search: Optional[str] = SEARCH,
    out: Optional[str] = typer.Option(None, "--out", "-o", metavar="FILE|-", help="Write the presentation to FILE, or - for standard output."),
    force: bool = typer.Option(False, "--force", help="Overwrite --out FILE if it exists."),
    challenge: Optional[str] = typer.Option(None, "--challenge", help="The verifier's challenge (nonce). Without it a random one is made and printed."),
    domain: Optional[str] = typer.Option(None, "--domain", help="The verifier's domain (audience), e.g. employer.example."),
    expires: Optional[str] = typer.Option(None, "--expires", metavar="DURATION", help="The presentation stops being valid after this long: 30m, 12h, 7d, 2w."),
    holder: Optional[str] = typer.Option(None, "--holder", metavar="DID|NAME", help="Sign as this identity (default: the identity each credential was issued to)."),
    format_: str = typer.Option("ldp", "--format", metavar="ldp|jwt|sd-jwt", help="ldp: JSON with Data Integrity proofs (default); jwt: a VP-JWT (vp+jwt); sd-jwt: one SD-JWT VC as its compact form with a key binding JWT."),
    unsigned: bool = typer.Option(False, "--unsigned", help="A plain bundle with no holder proof (weaker: the verifier cannot tell who sent it)."),
    allow_invalid: bool = typer.Option(False, "--allow-invalid", help="Also present credentials whose status is invalid (marked as such)."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
    passphrase_file: Optional[Path] = PASSPHRASE_FILE,
    json_out: bool = typer.Option(False, "--json", help="Print a JSON summary of what was made (not the presentation) on stdout."),
    request_file: Optional[str] = typer.Option(None, "--request", metavar="FILE|-", help="Answer a verifier's request: a W3C VPR or an OpenID4VP DCQL request (its challenge/nonce and domain/client id are used)."),
    pick: bool = typer.Option(False, "--pick", help="Tick the credentials to share in a list on the terminal (space toggles, enter confirms)."),
    disclose: Optional[str] = typer.Option(None, "--disclose", metavar="PATH,...", help="Show only these claims where the credential allows it (SD-JWT, ecdsa-sd-2023), e.g. /degree or credentialSubject.achievement.name."),
    qr: Optional[str] = typer.Option(None, "--qr", metavar="FILE.png|FILE.svg|-", help="Also (or instead of --out) write the presentation as QR codes: PNG or SVG images (a series is NAME-1-of-3.png ...), or - to draw them on the terminal."),
    qr_ecc: str = typer.Option("M", "--qr-ecc", metavar="L|M|Q|H", help="QR error correction: L 7 %, M 15 % (default), Q 25 %, H 30 % of a code may be damaged."),
    qr_max_parts: int = typer.Option(8, "--qr-max-parts", metavar="N", help="Refuse when the presentation needs more than N QR codes (1-64)."),
) -> None:
    """Share chosen credentials as a Verifiable Presentation signed by you (their holder).

    Choose by id (unique prefixes) or by filters (--skill, --kind, --issuer, --status, --since,
    --until, --search, combined with AND; the words of lerwallet list). Each credential is signed for by the identity it was issued to: several
    identities give one proof each. Before signing, lerwallet shows what will be disclosed and
    asks (on a terminal; --yes skips). The result is checked with the verify pipeline before it
    is written; what was shared is recorded (see: lerwallet shared).

    --request FILE answers a verifier's request: lerwallet says which credential matches which
    query and why the others do not. --pick lets you tick them on the terminal. --disclose keeps
    other claims hidden where the issuer's signature allows it (SD-JWT, ecdsa-sd-2023); other
    credentials can only be shared whole, and lerwallet says so.

    --qr writes the presentation also (or only) as QR codes (docs/qr-format.md): one image, or a
    numbered series when one code cannot hold it; lerwallet says how many codes, their QR version
    and error correction. Embedded images (data: URLs) rarely fit: use --out.

    Exit codes: 0 written (or declined at the prompt), 1 nothing matches (the filters or the
    request), a credential is invalid (see --allow-invalid) or the presentation would not verify,
    2 bad usage, unknown or ambiguous id, malformed request file, unknown --disclose path,
    unwritable --out or --qr, more QR codes needed than --qr-max-parts, a holder without a
    private key, --pick without a terminal, 3 wallet locked,
    130 --pick cancelled.

    Example: lerwallet present 3f2a 9c1b --domain employer.example --challenge 8f3e --out vp.json

    Example: lerwallet present --request request.json --out vp.json

    Example: lerwallet present 9f1b --disclose /degree --domain employer.example --out vp.json

    Example: lerwallet present 3f2a --domain employer.example --challenge 8f3e --qr vp.png
    """
    from lerwallet import present as lib
    from lerwallet.present import answer

    fl = filters(skill, kind, issuer, status, since, until, search)
    request = None
    if request_file is not None:
        if ids or fl.active:
            raise UsageError("--request chooses the credentials itself: drop the ids and filters",
                             hint="add --pick to choose among the credentials that answer the request")
        request = answer.read_request_file(request_file)
        for warning in request.warnings:
            output.warn(warning)
        challenge, domain = answer.reconcile(request, challenge, domain)
    disclose_paths = None
    if disclose is not None:
        from lerwallet.present.disclose import parse_paths

        disclose_paths = parse_paths(disclose)
    if pick:
        from lerwallet.present.pick import require_terminal

        require_terminal()
    options = lib.PresentOptions(holder=holder, challenge=challenge, domain=domain, format=format_,
                                 unsigned=unsigned, allow_invalid=allow_invalid,
                                 expires=lib.parse_duration(expires) if expires is not None else None)
    options.check()
    if out is None and qr is None:
        raise UsageError("say where the presentation goes", hint="add --out FILE, --out - for standard output, or --qr FILE.png")
    if out == "-" and json_out:
        raise UsageError("--json and --out - both write to standard output", hint="use --out FILE with --json")
    if qr == "-" and (json_out or out == "-"):
        raise UsageError(f"--qr - and {'--json' if json_out else '--out -'} both write to standard output",
                         hint="write the QR codes to an image instead: --qr vp.png")
    if not ids and not fl.active and request is None and not pick:
        raise UsageError("choose what to present", hint="name credentials (lerwallet present ID...) or filter them "
                         "(--skill, --kind, --issuer, --status); see: lerwallet list")
    outputs = []
    if qr is not None:  # first: a presentation too large for the QR codes allowed stops before any file is written
        from lerwallet.qr.output import QrOutput

        outputs.append(QrOutput(qr, ecc=qr_ecc, max_parts=qr_max_parts, force=force, warn=output.warn))
    if out is not None:
        outputs.append(lib.StdoutOutput() if out == "-" else lib.FileOutput(Path(out), force=force))
    report_box: list = []
    try:
        with open_wallet(ctx, passphrase_file) as wallet:
            def explain(report):
                report_box.append(report)
                for line in report.explain():
                    output.info(output.safe_text(line))
                if json_out and not report.satisfied:
                    output.print_json({"shared": False, "request": report.to_dict()})

            picked, requested, _ = answer.choose(wallet, request=request, ids=ids or None, filters=fl, pick=pick,
                                                 allow_invalid=allow_invalid, explain=explain)
            chosen = lib.select(wallet, picked, None) if picked is not None else lib.select(wallet, ids or None, fl)

            made = lib.make(wallet, chosen, options, outputs, confirm=lambda p: _confirm(p, outputs, yes),
                            after_plan=lambda p: (answer.apply_disclosures(wallet, p, paths=disclose_paths,
                                                                           requested=requested),
                                                  answer.request_warnings(request, p)))
    finally:
        for o in outputs:
            o.discard()
    if made is None:
        if json_out:
            output.print_json({"shared": False})
        output.info("Nothing shared.")
        raise typer.Exit(0)
    _report(*made, outputs, json_out, report_box[0] if report_box else None)


def _confirm(plan, outputs, yes: bool) -> bool:
    """Show what will be disclosed (always, on stderr), then ask on a terminal unless --yes."""
    for warning in plan.warnings:
        output.warn(warning)
    output.info(disclosure_text(plan, [o.describe() for o in outputs]))
    if yes or not passphrase._is_interactive():
        return True
    return typer.confirm("Share this?", default=False, err=True)


def disclosure_text(plan, destinations: list[str]) -> str:
    safe = output.safe_text
    n = len(plan.chosen)
    if plan.form == "unsigned":
        who = "unsigned (no holder proof)"
    else:
        who = "signed by " + ", ".join(f"{s.identity.name} ({s.identity.did})" for s in plan.signers)
    to = f" for {safe(plan.options.domain)}" if plan.options.domain else ""
    lines = [f"You are about to share {n} credential{'s' if n != 1 else ''}{to}, {who}, as "
             f"{ {'ldp': 'a JSON presentation', 'jwt': 'a VP-JWT', 'sd-jwt': 'an SD-JWT with a key binding JWT', 'unsigned': 'an unsigned JSON bundle'}[plan.form] } "
             f"to {', '.join(destinations)}:"]
    for i, c in enumerate(plan.chosen, 1):
        d = c.disclosure
        lines.append(f"  {i}. {safe(d.title or '(untitled)')}  [{c.id[:10]}]")
        lines.append(f"     issuer: {safe(d.issuer or '(unnamed)')}")
        shown = ", ".join(safe(f) for f in d.fields[:12]) + (f", ... ({len(d.fields)} fields)" if len(d.fields) > 12 else "")
        lines.append(f"     subject fields: {shown or '(none)'}" + ("  (shared whole)" if d.whole else ""))
        lines.append("     image: " + {"embedded": "embedded in the credential", "link": "a link (the verifier may fetch it)",
                                        "none": "none"}.get(d.image, d.image))
        for mark in c.marks:
            why = f": {safe(c.record.reason)}" if c.record.reason else ""
            lines.append(f"     MARKED {mark.upper()}{why}")
    return "\n".join(lines)


def _report(vp, entry, outputs, json_out: bool, match_report=None) -> None:
    p = vp.plan
    if json_out:
        summary = {"shared": True, "history": entry.n, "format": vp.form, "outputs": entry.data["outputs"],
                   "holders": entry.data["holders"], "challenge": p.challenge, "challenge_generated": p.challenge_generated,
                   "domain": p.options.domain, "expires": entry.data["expires"],
                   "credentials": [c.id for c in p.chosen], "warnings": p.warnings}
        if match_report is not None:
            summary["request"] = match_report.to_dict()
        output.print_json(summary)
    where = ", ".join(o.describe() for o in outputs)
    output.info(f"Shared {len(p.chosen)} credential(s) as {vp.form} to {where} (history entry {entry.n}).")
    for o in outputs:
        if hasattr(o, "summary"):
            output.info(o.summary())
    if p.challenge_generated:
        output.info(f"Challenge: {p.challenge}")
        output.info("note: no --challenge was given, so lerwallet made this one; the verifier should send their own "
                    "challenge (and check it with: lerwallet verify FILE --challenge ...), otherwise a copy can be replayed.")
    if p.form == "unsigned":
        output.warn("unsigned bundle: the verifier cannot tell who sent it, nor that it was meant for them")
    for s in p.signers:
        if s.identity.method == "web":
            url = s.identity.to_dict().get("document_url", "")
            output.info(f"note: {s.identity.did} is a did:web identity: the verifier fetches its DID document from {url}; "
                        f"publish it there first (lerwallet did export-web {s.identity.name} --out did.json)")


def shared_list(
    ctx: typer.Context,
    passphrase_file: Optional[Path] = PASSPHRASE_FILE,
    json_out: bool = JSON,
) -> None:
    """List every presentation you made: when, for whom, which credentials, in what form.

    Example: lerwallet shared --json
    """
    from lerwallet.present import history

    with open_wallet(ctx, passphrase_file) as wallet:
        entries = history.entries(wallet)
    if json_out:
        output.print_json([e.to_dict() for e in entries])
        return
    if not entries:
        output.info("Nothing shared yet. Share with: lerwallet present ID... --out FILE")
        return
    from lerwallet.cli.listing import print_table

    rows = []
    for e in entries:
        if e.error:
            rows.append([str(e.n), "", "", "damaged", "", e.error])
            continue
        d = e.data
        titles = "; ".join(c.get("title") or c.get("id", "")[:10] for c in d.get("credentials", []))
        rows.append([str(e.n), d.get("made_at", ""), d.get("domain") or "(no domain)", d.get("format", ""),
                     str(len(d.get("credentials", []))), titles])
    print_table(["N", "WHEN", "DOMAIN", "FORMAT", "CREDS", "TITLE"], rows)


def shared_show(
    ctx: typer.Context,
    n: str = typer.Argument(..., metavar="N", help="The entry number (see: lerwallet shared)."),
    passphrase_file: Optional[Path] = PASSPHRASE_FILE,
    json_out: bool = JSON,
) -> None:
    """Show one shared presentation: challenge, holder, each credential and the fields disclosed.

    Example: lerwallet shared show 1
    """
    from lerwallet.present import history

    with open_wallet(ctx, passphrase_file) as wallet:
        entry = history.get(wallet, n)
    if json_out:
        output.print_json(entry.to_dict())
        return
    if entry.error:
        output.warn(f"history entry {entry.n} failed its integrity check: {entry.error}")
        raise typer.Exit(1)
    d, safe = entry.data, output.safe_text
    lines = [f"Shared #{entry.n} on {d.get('made_at')} as {d.get('format')}",
             f"  domain:    {safe(d.get('domain') or '(none)')}",
             f"  challenge: {safe(d.get('challenge') or '(none)')}" + (" (made by lerwallet)" if d.get("challenge_generated") else ""),
             f"  holder:    {', '.join(d.get('holders') or []) or '(unsigned)'}"]
    if d.get("expires"):
        lines.append(f"  expires:   {d['expires']}")
    outs = ", ".join(o.get("path", o.get("form", "")) for o in d.get("outputs", []))
    lines.append(f"  written:   {safe(outs)}")
    for c in d.get("credentials", []):
        lines.append(f"  - {safe(c.get('title') or '(untitled)')}  [{c.get('id', '')[:10]}]  issuer: {safe(c.get('issuer', ''))}")
        lines.append(f"    fields: {safe(', '.join(c.get('fields', [])) or '(none)')}; image: {c.get('image', 'none')}"
                     + ("; marked " + ", ".join(c.get("marks")) if c.get("marks") else ""))
    typer.echo("\n".join(lines))


def register(app: typer.Typer) -> None:
    from lerwallet.cli.app import LerwalletGroup

    app.command("present")(present)
    group = typer.Typer(cls=LerwalletGroup, add_completion=False, pretty_exceptions_enable=False,
                        pretty_exceptions_show_locals=False, invoke_without_command=True,
                        help="The history of what you shared (presentations you made).")

    @group.callback()
    def _default(ctx: typer.Context, passphrase_file: Optional[Path] = PASSPHRASE_FILE, json_out: bool = JSON) -> None:
        """The history of what you shared: `lerwallet shared` lists it, `shared show N` shows one."""
        if ctx.invoked_subcommand is None:
            shared_list(ctx, passphrase_file, json_out)

    group.command("list")(shared_list)
    group.command("show")(shared_show)
    app.add_typer(group, name="shared")
