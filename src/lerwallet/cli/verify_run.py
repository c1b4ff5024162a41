"""`lerwallet verify` without Typer: check the options, call `lerwallet.verify`, render.

The Typer command (`cli.verify`) and the start-up fast path (`cli.fastpath`) both call `run`,
so a verdict, its rendering and its exit code cannot depend on which path parsed the options.
Importing this module is cheap: rich and the pipeline load inside `run`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

from lerwallet.cli import output
from lerwallet.errors import UsageError

_STYLE = {"pass": "green", "fail": "bold red", "warn": "yellow", "unknown": "magenta", "skipped": "dim"}
_MARK = {"pass": "pass", "fail": "FAIL", "warn": "warn", "unknown": "unknown", "skipped": "skipped"}
_VERDICT = {
    "valid": "VERIFIED",
    "invalid": "NOT VERIFIED",
    "inconclusive": "INCONCLUSIVE: something could not be checked",
    "unreadable": "UNREADABLE INPUT",
}


def run(
    home: Optional[Path],
    inputs: List[str],
    *,
    json_out: bool = False,
    html: Optional[Path] = None,
    challenge: Optional[str] = None,
    domain: Optional[str] = None,
    at: Optional[str] = None,
    trust: List[Path] = (),
    trust_anchor: List[Path] = (),
    crl: List[Path] = (),
    status_cache: Optional[Path] = None,
    did_web_cache: Optional[Path] = None,
    ob2_cache: Optional[Path] = None,
    email: List[str] | str | None = (),
    online: bool = False,
    strict: bool = False,
    jobs: Optional[int] = None,
    recursive: bool = False,
    details: bool = False,
    force: bool = False,
) -> int:
    """Verify `inputs`, print the report, return the exit code (0, 1, 2 or 4)."""
    from lerwallet.formats import read_inputs
    from lerwallet.verify.batch import default_jobs, run_all
    from lerwallet.dates import iso
    from lerwallet.verify.options import prepare

    from datetime import datetime, timezone

    when = parse_at(at) if at is not None else None
    if html is not None and (html.exists() or html.is_symlink()) and not force:
        raise UsageError(f"--html {html} already exists; not overwritten", hint="add --force to replace it, or name another file")
    # One moment for the whole run: every credential's dates are judged at the same time, in
    # every worker process, and that is the checkedAt of the report.
    started = datetime.now(timezone.utc).replace(microsecond=0)
    # Cache folders checked, WALLET/trust.json found, trust files loaded: usage errors before any work.
    opts = prepare(home, trust=trust, trust_anchor=trust_anchor, crl=crl, status_cache=status_cache, did_web_cache=did_web_cache, ob2_cache=ob2_cache, at=when or started,
                   challenge=challenge, domain=domain, online=online, email=email, strict=strict)
    trust_files = opts.trust_files
    envelopes = read_inputs(inputs, recursive=recursive)
    missing = [e for e in envelopes if e.error is not None and e.error.code in UNREADABLE_CODES]
    for env in missing:  # one error line each, never a result box counted as a credential
        output.error(f"cannot read {output.safe_text(env.source)}: {env.error.message}")
    progress = _progress_bar() if sys.stderr.isatty() and not json_out else None
    try:
        reports = run_all(envelopes, opts, jobs=jobs or default_jobs(), progress=progress and progress.update)
    finally:
        if progress:
            progress.close()
    from lerwallet.verify.report import overall, to_json

    checked_at = iso(opts.now())
    run_at = iso(started)
    verdict, code = overall(reports)
    if html is not None:
        from lerwallet.verify.html_report import render

        used = {
            "--challenge": challenge, "--domain": domain, "--at": at, "--email": ", ".join(opts.emails()),
            "--trust": ", ".join(str(t) for t in trust_files), "--status-cache": status_cache, "--did-cache": did_web_cache, "--ob2-cache": ob2_cache,
            "--online": "yes" if online else "", "--strict": "yes" if strict else "",
        }
        try:
            html.write_text(render(reports, at=checked_at, run_at=run_at, options=used), encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {html}: {exc.strerror or exc}") from None
        output.info(f"lerwallet: wrote the HTML report to {output.safe_text(html.resolve())}")
    if json_out:
        output.print_json(to_json(reports, at=checked_at, run_at=run_at))
        return code
    shown = [r for r in reports if not _is_missing(r, missing)]
    if not reports:
        from lerwallet.verify.report import NO_CREDENTIALS

        output.error(f"{NO_CREDENTIALS} in {', '.join(output.safe_text(i) for i in inputs)}",
                     hint="verify reads JSON credentials and presentations, JWTs, SD-JWTs, baked PNG/SVG badges and lerwallet QR codes"
                     + ("; subfolders need --recursive" if not recursive and any(Path(i).is_dir() for i in inputs) else ""))
    elif shown:
        _render(shown, reports, verdict, f"checked at {checked_at}" if when is None else f"judged as of {checked_at} (--at), run at {run_at}",
                details=details)
    return code


UNREADABLE_CODES = ("not-found", "unreadable", "not-a-file")  # named inputs that cannot be read: one error line each


def _is_missing(report, missing) -> bool:
    return report.kind == "unreadable" and any(report.source == e.source for e in missing)


_DATE_ONLY = None


def parse_at(at: str):
    """`--at`: an ISO 8601 date-time, or a date alone meaning the start of that day in UTC."""
    global _DATE_ONLY
    from lerwallet.dates import parse_datetime

    if _DATE_ONLY is None:
        import re

        _DATE_ONLY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
    text = at.strip()
    when = parse_datetime(text + "T00:00:00Z" if _DATE_ONLY.fullmatch(text) else text)
    if when is None:
        raise UsageError(f"--at {at[:64]!r} is not an ISO 8601 date or date-time from year 0001 to 9999 (ends excluded)",
                         hint="for example --at 2026-01-31 (that day's start, UTC) or --at 2026-01-31T12:00:00Z")
    return when


class _progress_bar:
    """A minimal progress line on stderr (only on a terminal)."""

    def __init__(self) -> None:
        self.shown = False

    def update(self, done: int, total: int) -> None:
        if total < 2:
            return
        width = 30
        filled = int(width * done / total)
        sys.stderr.write(f"\rverifying [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r" + " " * 60 + "\r")
            sys.stderr.flush()


_SHORT = {"valid": "VERIFIED", "invalid": "NOT VERIFIED", "inconclusive": "INCONCLUSIVE", "unreadable": "UNREADABLE"}
_VERDICT_STYLE = {"valid": "bold green", "invalid": "bold red"}


def _render(shown, reports, verdict: str, when: str, *, details: bool = False) -> None:
    """A summary table first when there is more than one credential (every file named in full),
    then the panels (for a single credential, or with --details), then the overall line."""
    from lerwallet.cli import loading

    with loading("rich.console"):  # rich's imports, like the verify path's (cli.loading)
        from rich.panel import Panel
        from rich.table import Table
        from rich.text import Text

    console = output.console()
    safe = output.safe_text  # every string below may come from the credential: no terminal control

    def checks_table(checks) -> Table:
        table = Table(show_header=False, box=None, pad_edge=False)
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column()
        for c in checks:
            table.add_row(Text(_MARK[c.outcome], style=_STYLE[c.outcome]), Text(safe(c.id)), Text(safe(c.reason)))
        return table

    def cred_panel(cred, title_prefix: str = ""):
        from rich.console import Group

        s = cred.summary
        lines = [Text.assemble(("File: ", "bold"), (safe(cred.source), ""))]  # in full, wrapped, never cut
        lines.append(Text.assemble(("Verdict: ", "bold"), (safe(cred.headline()), _VERDICT_STYLE.get(cred.verdict, "bold yellow"))))
        for label, value in (
            ("Issuer", " ".join(x for x in (s.get("issuer_label"), f"[{s['issuer_id']}]" if s.get("issuer_id") else "") if x)),
            ("Subject", s.get("subject_id")), ("Issued", s.get("issued")), ("Valid until", s.get("valid_until")),
            ("Skills", ", ".join(k.get("name", "") for k in s.get("skills", []) if k.get("name"))),
            ("Disclosed", s.get("description") if s.get("data_model") == "SD-JWT VC" else ""),
        ):
            if value:
                lines.append(Text.assemble((f"{label}: ", "bold"), safe(value)))
        parts = lines + [Text(""), checks_table(cred.checks)]
        for e in cred.endorsements:
            parts.append(cred_panel(e, "Endorsement: "))
        # The verdict leads the title: a long file name cannot push it out of view.
        from lerwallet.verify.report import is_self_attested

        short = "VERIFIED, SELF-ATTESTED" if cred.verdict == "valid" and is_self_attested(cred.checks) else _SHORT[cred.verdict]
        title = Text.assemble((short, _VERDICT_STYLE.get(cred.verdict, "bold yellow")),
                              " ", title_prefix + safe(s.get("title") or "credential"))
        return Panel(Group(*parts), title=title, title_align="left")

    def presentation_panel(r):
        from rich.console import Group

        holder = f" by {safe(r.holder)}" if r.holder else ""
        head = [Text.assemble(("File: ", "bold"), safe(r.source)),
                Text.assemble(("Verdict: ", "bold"), presentation_headline(r)), Text("")]
        return Panel(Group(*head, checks_table(r.presentation_checks)), title=Text(f"{presentation_title(r)}{holder}"),
                     title_align="left")

    count = sum(len(r.credentials) for r in shown)
    batch = count > 1 or any(r.kind == "presentation" for r in shown)
    if batch:
        console.print(summary_table(shown))
    if details or not batch:
        for r in shown:
            if r.kind == "presentation":
                console.print(presentation_panel(r))
            for cred in r.credentials:
                console.print(cred_panel(cred))
    from lerwallet.verify.report import counts_line

    style = _VERDICT_STYLE.get(verdict, "bold yellow")
    n = sum(len(r.credentials) for r in shown)
    unread = len(reports) - len(shown)
    if unread:  # the verdict of what was read; the exit code (2 at best) also counts what was not
        from lerwallet.verify.report import overall

        verdict = overall(shown)[0]
        style = _VERDICT_STYLE.get(verdict, "bold yellow")
    not_read = f"; but {unread} input(s) could not be read (see the errors above)" if unread else ""
    console.print(Text(f"{_VERDICT[verdict]}: {n} credential(s) in {len(shown)} input(s): {counts_line(shown)}{not_read}; {when}",
                       style=style))
    if batch and not details:
        console.print(Text("each credential's checks: --details (or --json, --html FILE)", style="dim"))


def presentation_title(r) -> str:
    proof = next((c for c in r.presentation_checks if c.id == "presentation.proof"), None)
    if proof is not None and proof.code == "no_proof":
        return "Presentation without holder proof"
    return "Presentation"


def presentation_headline(r) -> str:
    from lerwallet.verify.report import headline, verdict_of

    return headline(verdict_of(r.presentation_checks, strict=r.strict), r.presentation_checks, strict=r.strict)


def first_problem(checks, strict: bool) -> str:
    """`id: reason` of the worst check (cut at 120 characters: the panels have it whole), and
    the ids of the other failed or unchecked ones."""
    from lerwallet.verify.report import FAIL, UNKNOWN, WARN

    for outcome in (FAIL, UNKNOWN, WARN):
        found = [c for c in checks if c.outcome == outcome]
        if found:
            c = found[0]
            reason = c.reason if len(c.reason) <= 120 else c.reason[:119] + "…"
            more = [x.id for x in checks if x is not c and x.outcome in (FAIL, UNKNOWN)]
            also = f" (also: {', '.join(dict.fromkeys(more))})" if more else ""
            return f"{c.id}: {reason}{also}"
    return ""


def short_verdict(verdict: str, checks, strict: bool) -> str:
    from lerwallet.verify.report import CONFORMANCE_CHECKS, FAIL, INVALID, VALID, WARN, is_self_attested

    words = _SHORT[verdict]
    if verdict == VALID and is_self_attested(checks):
        words = "VERIFIED, self-attested"
    warns = [c.id for c in checks if c.outcome == WARN]
    if verdict == VALID and any(i in CONFORMANCE_CHECKS for i in warns):
        return words + ", with conformance warnings"
    if verdict == INVALID and strict and warns and not any(c.outcome == FAIL for c in checks):
        return f"{words} (--strict: warning {warns[0]})"
    return words


def summary_table(reports):
    """One row per credential (and per presentation): file, credential, issuer, verdict, first
    problem. File names are never truncated: a long one wraps inside its cell."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from lerwallet.verify.report import verdict_of

    safe = output.safe_text
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, expand=True)  # as wide as the terminal, no cropping
    for name, ratio in (("file", 5), ("credential", 3), ("issuer", 3), ("verdict", 3), ("first problem", 6)):
        table.add_column(name, overflow="fold", ratio=ratio)
    for r in reports:
        if r.kind == "presentation":
            v = verdict_of(r.presentation_checks, strict=r.strict)
            table.add_row(Text(safe(r.source)), Text(presentation_title(r).lower()),
                          Text(f"holder {safe(r.holder)}" if r.holder else "(no holder named)"),
                          Text(short_verdict(v, r.presentation_checks, r.strict), style=_VERDICT_STYLE.get(v, "bold yellow")),
                          Text(safe(first_problem(r.presentation_checks, r.strict))))
        for cred in r.credentials:
            s = cred.summary
            table.add_row(Text(safe(cred.source)), Text(safe(s.get("title") or "")),
                          Text(safe(s.get("issuer_name") or s.get("issuer_id") or "")),
                          Text(short_verdict(cred.verdict, cred.checks, cred.strict), style=_VERDICT_STYLE.get(cred.verdict, "bold yellow")),
                          Text(safe(first_problem(cred.checks, cred.strict))))
    return table
