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
    from lerwallet.cli.wallet import _print_table

    headers = ["SKILL", "CREDENTIALS", "EVIDENCE", "LATEST", "FRAMEWORKS AND CODES"]

    def rows(items):
        return [[s["name"], str(len(s["credentials"])), _evidence(s), s["most_recent"][:10], _codes(s)] for s in items]

    if framework is None:
        _print_table(headers, rows(found))
        return
    for i, group in enumerate(lib.by_framework(found, framework)):
        if i:
            sys.stdout.write("\n")
        sys.stdout.write(output.safe_text(group["framework"]) + "\n")
        _print_table(headers, rows(group["skills"]))


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
    app.command("skills")(skills)
