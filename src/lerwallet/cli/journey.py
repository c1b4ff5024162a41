"""The learner's record as a whole: `skills` (what the wallet evidences) and `journey` (the
timeline, and the transit-style map as a self-contained HTML or SVG file).

Thin: each command parses its options, calls `lerwallet.skills` / `lerwallet.journey`, renders.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from lerwallet.cli import output
from lerwallet.cli.passphrase import open_wallet
from lerwallet.cli.wallet import JSON, PASSPHRASE_FILE
from lerwallet.errors import UsageError


def _records(ctx, passphrase_file):
    """The wallet's readable, current records: damaged ones (no summary) are left out with a
    warning, versions `edit` superseded are left out as `list` leaves them out."""
    from lerwallet.record import is_superseded
    from lerwallet.store import credentials

    with open_wallet(ctx, passphrase_file) as wallet:
        records = credentials.list_credentials(wallet)
    damaged = [r for r in records if r.status == credentials.STATUS_DAMAGED]
    for r in damaged:
        output.warn(f"credential {r.id} failed its integrity check (damaged or tampered); left out")
    return [r for r in records if r.status != credentials.STATUS_DAMAGED and not is_superseded(r)]


def _evidence(skill: dict) -> str:
    parts = []
    if skill["issuer_verified"]:
        parts.append(f"{skill['issuer_verified']} verified")
    if skill["issuer_unverified"]:
        parts.append(f"{skill['issuer_unverified']} issuer, not verified")
    if skill["self_attested"]:
        parts.append(f"{skill['self_attested']} self-attested")
    return ", ".join(parts)


def _codes(skill: dict) -> str:
    return "; ".join(" ".join(x for x in (c["framework"], c["code"]) if x) or c["url"] for c in skill["codes"])


def skills(
    ctx: typer.Context,
    passphrase_file: Optional[Path] = PASSPHRASE_FILE,
    json_out: bool = JSON,
    framework: Optional[str] = typer.Option(
        None, "--framework", metavar="NAME",
        help="Only skills aligned to a framework whose name contains NAME (O*NET, ESCO, ...), grouped by framework."),
    verified: bool = typer.Option(
        False, "--verified", help="Count only issuer-attested credentials that verified (no self-attested records)."),
) -> None:
    """Every skill your wallet evidences, merged across credentials.

    Read from OB 3.0 alignments, achievement tags, Competency achievements, result alignments and
    the achievements of a CLR (and your own records' skills). Names that differ only in case,
    spaces or punctuation are one skill ("Problem-solving" = "problem solving"), and so are two
    alignments with the same framework and code or the same URL; nothing else is merged
    (docs/record.md). For each skill: the credentials, how many are issuer-attested and verified
    versus self-attested, the latest date, the frameworks and codes.

    The names work with list --skill and present --skill, which pick the same credentials.

    Examples:
      lerwallet skills
      lerwallet skills --verified --json
      lerwallet skills --framework esco
    """
    from lerwallet import skills as lib

    if framework is not None and not framework.strip():
        raise UsageError("--framework needs a value")
    records = _records(ctx, passphrase_file)
    found = lib.aggregate(records, verified_only=verified, framework=framework)
    if json_out:
        if framework is not None:
            output.print_json({"framework": framework, "groups": lib.by_framework(found, framework)})
        else:
            output.print_json(found)
        return
    if not found:
        what = " aligned to a framework matching " + repr(framework) if framework else ""
        what += " with issuer-attested, verified evidence" if verified else ""
        output.info(output.safe_text(f"no skills{what} in the wallet ({len(records)} credentials)"))
        return
    from lerwallet.cli.listing import print_table

    headers = ["SKILL", "CREDENTIALS", "EVIDENCE", "LATEST", "FRAMEWORKS AND CODES"]

    def rows(items):
        return [[s["name"], str(len(s["credentials"])), _evidence(s), s["most_recent"][:10], _codes(s)] for s in items]

    if framework is None:
        print_table(headers, rows(found))
        return
    for i, group in enumerate(lib.by_framework(found, framework)):
        if i:
            sys.stdout.write("\n")
        sys.stdout.write(output.safe_text(group["framework"]) + "\n")
        print_table(headers, rows(group["skills"]))


def _timeline(journey) -> None:
    """The terminal timeline: one block per line, stations by date, marks in words."""
    from lerwallet.cli.listing import clip
    from lerwallet.journey import LABELS

    out = []
    for name in journey.lines:
        stations = journey.line(name)
        out.append(f"{LABELS[name].upper()} ({len(stations)})")
        for st in stations:
            when = (f"{st.date[:7]} \u2013 {st.end[:7]}" if st.end and st.end != st.date else st.date or "undated")
            ring = "  \u25ce interchange" if st.interchange else ""
            out.append(f"  {when:<19} {clip(st.title, 44):<44}  {clip(st.issuer, 24):<24}  {st.mark}{ring}")
        out.append("")
    shared = [i for i in journey.interchanges if len(i.lines) >= 2]
    if shared:
        out.append("INTERCHANGES (skills shared between lines)")
        for inter in shared:
            out.append(f"  {clip(inter.skill, 40)}: " + ", ".join(LABELS[n] for n in inter.lines) + f" ({len(inter.stations)} records)")
    sys.stdout.write("\n".join(out).rstrip("\n") + "\n")
    sys.stdout.flush()


def journey(
    ctx: typer.Context,
    passphrase_file: Optional[Path] = PASSPHRASE_FILE,
    json_out: bool = JSON,
    html: Optional[Path] = typer.Option(
        None, "--html", metavar="FILE", help="Write the journey map as a self-contained HTML page (nothing loaded from elsewhere)."),
    svg: Optional[Path] = typer.Option(None, "--svg", metavar="FILE", help="Write the journey map as one SVG file."),
    title: str = typer.Option("My learning and work journey", "--title", metavar="TEXT", help="The map's title."),
    force: bool = typer.Option(False, "--force", help="Overwrite --html / --svg FILE if it exists."),
) -> None:
    """Your journey: every record by date, on lines (education, work, service, skills).

    In the terminal: one block per line, each record with its dates, issuer and mark (verified,
    self-attested, or why not verified); interchanges are records on different lines that
    evidence the same skill. --html FILE writes a transit-style map (one coloured, patterned
    line per pathway, a station per record on a time axis, interchanges, a legend): hover,
    focus (Tab) or click a station for its details; it works offline, with a keyboard and with a
    screen reader. --svg FILE writes the map alone. Files are written atomically, never
    half-written; an existing file needs --force.

    Exit codes: 0 shown or written, 2 bad usage or an unwritable FILE (checked before the
    passphrase is asked), 3 wallet locked.

    Examples:
      lerwallet journey
      lerwallet journey --html journey.html
      lerwallet journey --svg journey.svg --json
    """
    from lerwallet import files
    from lerwallet.journey import build
    from lerwallet.journey.mapsvg import render_html, render_svg

    if html is not None and svg is not None and html.resolve() == svg.resolve():
        raise UsageError("--html and --svg name the same file", hint="give each its own FILE")
    if not title.strip():
        raise UsageError("--title needs a value")
    reserved = []
    try:
        for path in (html, svg):  # before the passphrase: an unwritable path stops here
            if path is not None:
                reserved.append(files.Reserved(path, force=force))
        records = _records(ctx, passphrase_file)
        result = build(records)
        written = []
        for path, kind in ((html, "html"), (svg, "svg")):
            if path is None:
                continue
            text = render_html(result, title=title) if kind == "html" else render_svg(result, title=title)
            data = text.encode("utf-8")
            slot = reserved.pop(0)
            try:
                slot.commit(data)
            except OSError as exc:
                from lerwallet.errors import InputError

                raise InputError(f"cannot write {path}: {exc.strerror or exc}", hint="nothing was written") from None
            written.append({"format": kind, "path": str(path), "bytes": len(data)})
    finally:
        for slot in reserved:
            slot.discard()
    if json_out:
        output.print_json({**result.to_dict(), "written": written})
        return
    if written:
        for w in written:
            output.info(f"wrote {w['path']} ({w['format'].upper()}, {w['bytes'] // 1024 + 1} KiB): "
                        f"{len(result.stations)} records on {len(result.lines)} lines")
        return
    if not result.stations:
        output.info("No records yet. Import one with: lerwallet import FILE")
        return
    _timeline(result)


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
    app.command("skills")(skills)
    app.command("journey")(journey)
