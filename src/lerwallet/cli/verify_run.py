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
    status_cache: Optional[Path] = None,
    did_web_cache: Optional[Path] = None,
    email: Optional[str] = None,
    online: bool = False,
    strict: bool = False,
    jobs: Optional[int] = None,
    recursive: bool = False,
) -> int:
    """Verify `inputs`, print the report, return the exit code (0, 1, 2 or 4)."""
    from lerwallet.verify import Options, verify_inputs
    from lerwallet.verify.batch import default_jobs
    from lerwallet.verify.dates import iso, parse_datetime

    from datetime import datetime, timezone

    when = None
    if at is not None:
        when = parse_datetime(at)
        if when is None:
            raise UsageError(f"--at {at[:64]!r} is not an ISO 8601 date-time from year 0001 to 9999 (ends excluded)",
                             hint="for example --at 2026-01-31T12:00:00Z")
    for path, flag in ((status_cache, "--status-cache"), (did_web_cache, "--did-cache")):
        if path is not None and not path.is_dir():
            raise UsageError(f"{flag} {path} is not a folder")
    trust_files = list(trust)
    configured = (home / "trust.json") if home else None
    if configured is not None and configured.is_file():
        trust_files.insert(0, configured)
    opts = Options(
        at=when, challenge=challenge, domain=domain, online=online, status_cache=status_cache,
        did_web_cache=did_web_cache, trust_files=trust_files, email=email, strict=strict,
    )
    from lerwallet.verify import trust as trust_mod

    trust_mod.load(trust_files, fetch=opts.get_fetch())  # bad trust files are usage errors, before any work
    progress = _progress_bar() if sys.stderr.isatty() and not json_out else None
    try:
        reports = verify_inputs(inputs, opts, jobs=jobs or default_jobs(), progress=progress and progress.update,
                                recursive=recursive)
    finally:
        if progress:
            progress.close()
    from lerwallet.verify.report import overall, to_json

    checked_at = iso(opts.now())
    run_at = iso(datetime.now(timezone.utc)) if when is not None else checked_at
    verdict, code = overall(reports)
    if html is not None:
        from lerwallet.verify.html_report import render

        used = {
            "--challenge": challenge, "--domain": domain, "--at": at, "--email": email,
            "--trust": ", ".join(str(t) for t in trust_files), "--status-cache": status_cache, "--did-cache": did_web_cache,
            "--online": "yes" if online else "", "--strict": "yes" if strict else "",
        }
        try:
            html.write_text(render(reports, at=checked_at, run_at=run_at, options=used), encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {html}: {exc.strerror or exc}") from None
    if json_out:
        output.print_json(to_json(reports, at=checked_at, run_at=run_at))
    elif not reports:
        from lerwallet.verify.report import NO_CREDENTIALS

        output.error(f"{NO_CREDENTIALS} in {', '.join(output.safe_text(i) for i in inputs)}",
                     hint="verify reads JSON credentials and presentations, JWTs, SD-JWTs and baked PNG/SVG badges"
                     + ("; subfolders need --recursive" if not recursive and any(Path(i).is_dir() for i in inputs) else ""))
    else:
        _render(reports, verdict, f"checked at {checked_at}" if when is None else f"judged as of {checked_at} (--at), run at {run_at}")
    return code


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


def _render(reports, verdict: str, when: str) -> None:
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
        lines = []
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
        # The verdict leads the title: a long file name in the border cannot push it out of view.
        title = Text.assemble((_SHORT[cred.verdict], _VERDICT_STYLE.get(cred.verdict, "bold yellow")),
                              " ", title_prefix + safe(s.get("title") or "credential"))
        return Panel(Group(*parts), title=title, subtitle=Text(safe(cred.source)), title_align="left")

    for r in reports:
        if r.kind == "presentation":
            holder = f" by {safe(r.holder)}" if r.holder else ""
            console.print(Panel(checks_table(r.presentation_checks), title=Text(f"Presentation{holder}"), subtitle=Text(safe(r.source)), title_align="left"))
        for cred in r.credentials:
            console.print(cred_panel(cred))
    from lerwallet.verify.report import counts_line

    style = _VERDICT_STYLE.get(verdict, "bold yellow")
    n = sum(len(r.credentials) for r in reports)
    console.print(Text(f"{_VERDICT[verdict]}: {n} credential(s) in {len(reports)} input(s): {counts_line(reports)}; {when}",
                       style=style))
