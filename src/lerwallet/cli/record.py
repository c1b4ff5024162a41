"""Record commands: add and edit self-attested records (docs/record.md).

Thin: parse the options, read the files, call `lerwallet.record`, render.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from lerwallet.cli import output
from lerwallet.cli.passphrase import open_wallet
from lerwallet.cli.wallet import JSON, PASSPHRASE_FILE
from lerwallet.errors import UsageError

KIND_HELP = "work, volunteer, internship, apprenticeship, education, military, conference, publication, project or award."

TITLE = typer.Option(None, "--title", metavar="TEXT", help="What it was: job title, course, talk, paper, project name.")
ORG = typer.Option(None, "--org", metavar="NAME", help="The organisation (employer, school, host, publisher).")
FROM = typer.Option(None, "--from", metavar="DATE", help="Start date: YYYY-MM-DD, YYYY-MM or YYYY.")
TO = typer.Option(None, "--to", metavar="DATE", help="End date (none: ongoing); not before --from.")
ROLE = typer.Option(None, "--role", metavar="TEXT", help="Your role or position.")
LOCATION = typer.Option(None, "--location", metavar="TEXT", help="Where (city, region, or remote).")
DESCRIPTION = typer.Option(None, "--description", metavar="TEXT", help="What you did, in a few sentences.")
SKILL = typer.Option(None, "--skill", metavar="NAME", help="A skill it shows, in your words (repeatable).")
SKILL_CODE = typer.Option(None, "--skill-code", metavar="FRAMEWORK:CODE[=NAME]",
                          help="A skill from a framework: esco, onet (O*NET-SOC) or lightcast (repeatable).")
URL = typer.Option(None, "--url", metavar="URL", help="A page about it (the project, the paper, the event).")
EVIDENCE = typer.Option(None, "--evidence", metavar="FILE|URL",
                        help="A file (kept encrypted in the wallet, up to 10 MiB) or a link (repeatable).")
IDENTITY = typer.Option(None, "--identity", metavar="NAME|DID", help="Sign as this identity (default: the default holder).")


def _row(record, kind: str) -> dict:
    s = record.summary
    return {"id": record.id, "kind": kind, "title": record.title, "org": s.get("org", ""),
            "from": s.get("activity_start", "")[:10], "to": s.get("activity_end", "")[:10],
            "issuer": s.get("issuer_id", ""), "self_attested": True, "status": record.status,
            "evidence_files": [{k: e.get(k) for k in ("name", "size", "sha256")} for e in s.get("evidence_files", [])],
            **({"supersedes": s["supersedes"]} if s.get("supersedes") else {})}


def _report(records, json_out: bool, verb: str) -> None:
    from lerwallet.record.build import kind_of

    rows = [_row(r, kind_of(r)) for r in records]
    if json_out:
        output.print_json(rows if len(rows) != 1 else rows[0])
        return
    for row in rows:
        dates = row["from"] + (f" to {row['to']}" if row["to"] else " (ongoing)")
        typer.echo(output.safe_text(f"{verb} {row['id'][:10]}  {row['kind']:<14} {row['title']}, {row['org']}  {dates}  "
                                    f"self-attested, {row['status']}"))
        for e in row["evidence_files"]:
            typer.echo(output.safe_text(f"  evidence file {e['name']} ({e['size']} bytes, stored encrypted)"))


def add(
    ctx: typer.Context,
    kind: Optional[str] = typer.Argument(None, metavar="[KIND]", help=KIND_HELP, show_default=False),
    title: Optional[str] = TITLE,
    org: Optional[str] = ORG,
    start: Optional[str] = FROM,
    end: Optional[str] = TO,
    role: Optional[str] = ROLE,
    location: Optional[str] = LOCATION,
    description: Optional[str] = DESCRIPTION,
    skill: Optional[List[str]] = SKILL,
    skill_code: Optional[List[str]] = SKILL_CODE,
    url: Optional[str] = URL,
    evidence: Optional[List[str]] = EVIDENCE,
    identity: Optional[str] = IDENTITY,
    from_file: Optional[Path] = typer.Option(None, "--from-file", metavar="FILE",
                                             help="Add the record(s) described in this JSON file (- for stdin) instead."),
    passphrase_file: Optional[Path] = PASSPHRASE_FILE,
    json_out: bool = JSON,
) -> None:
    """Add an experience nobody issued a credential for: a self-attested record, signed with
    your own DID and stored like any other credential (marked self-attested everywhere).

    KIND is one of work, volunteer, internship, apprenticeship, education, military, conference,
    publication, project, award. --title, --org and --from are required. Each record is an Open
    Badges 3.0 AchievementCredential issued by your identity (eddsa-rdfc-2022 for Ed25519,
    ecdsa-rdfc-2019 for P-256). Evidence files are kept encrypted in the wallet (10 MiB each, 25
    MiB per record); show ID --evidence-out DIR writes them back. Files and dates are checked
    before the passphrase is asked for; on any error nothing is stored (exit 2).

    --from-file FILE adds the records of a JSON file (one object or an array; all or none): see
    docs/record.md, "Scripted use".

    Examples:

      lerwallet add work --title "Data engineer" --org "Acme GmbH" --from 2021-03 --role "Team lead" --skill-code "esco:ccd0a1d9-afda-43d9-b901-96344886e14d=Python"

      lerwallet add volunteer --title "Coach" --org "City Youth FC" --from 2019 --to 2022-06 --evidence certificate.pdf
    """
    from lerwallet.record import build, records

    given = {"KIND": kind, "--title": title, "--org": org, "--from": start, "--to": end, "--role": role,
             "--location": location, "--description": description, "--skill": skill, "--skill-code": skill_code,
             "--url": url, "--evidence": evidence, "--identity": identity}
    if from_file is not None:
        extra = [k for k, v in given.items() if v]
        if extra:
            raise UsageError(f"--from-file cannot be combined with {extra[0]}", hint="put every field in the file (docs/record.md)")
        items = records.read_record_file(from_file)
    else:
        build.check_kind(kind)
        rec = build.validate(build.RecordInput(
            kind=kind, title=title or "", org=org or "", start=start or "", end=end or "", role=role or "",
            location=location or "", description=description or "", skills=list(skill or []),
            alignments=[build.parse_skill_code(c) for c in skill_code or []], url=url or ""))
        entries, files = records.read_evidence(list(evidence or []))
        items = [(build.RecordInput(**{**rec.__dict__, "evidence": entries}), files, identity or "")]
    with open_wallet(ctx, passphrase_file) as wallet:
        stored = records.add_many(wallet, items)
    _report(stored, json_out, "added")


def edit(
    ctx: typer.Context,
    record_id: str = typer.Argument(..., metavar="ID", help="The record's id or a unique prefix of it."),
    title: Optional[str] = TITLE,
    org: Optional[str] = ORG,
    start: Optional[str] = FROM,
    end: Optional[str] = TO,
    role: Optional[str] = ROLE,
    location: Optional[str] = LOCATION,
    description: Optional[str] = DESCRIPTION,
    skill: Optional[List[str]] = typer.Option(None, "--skill", metavar="NAME", help="Replaces the record's own skill words (repeatable)."),
    skill_code: Optional[List[str]] = typer.Option(None, "--skill-code", metavar="FRAMEWORK:CODE[=NAME]",
                                                   help="Replaces the record's framework skills (repeatable)."),
    url: Optional[str] = URL,
    evidence: Optional[List[str]] = typer.Option(None, "--evidence", metavar="FILE|URL",
                                                 help="Replaces the record's evidence (repeatable; none given: kept)."),
    ongoing: bool = typer.Option(False, "--ongoing", help="Remove the end date (the experience goes on)."),
    passphrase_file: Optional[Path] = PASSPHRASE_FILE,
    json_out: bool = JSON,
) -> None:
    """Change one of your records: a new signed version with the options given (the others are
    kept), signed by the same identity. The old version stays in the wallet, marked superseded,
    and is hidden from list unless --all; deleting the new version makes the old one current again.

    Examples:

      lerwallet edit 3f2a --to 2024-06 --skill "Team leadership"

      lerwallet edit 3f2a --ongoing
    """
    from lerwallet.record import build, records

    changes = {"title": title, "org": org, "start": start, "end": end, "role": role, "location": location,
               "description": description, "url": url}
    if ongoing:
        if end is not None:
            raise UsageError("--ongoing and --to cannot be used together", hint="--ongoing removes the end date; --to sets it")
        changes["end"] = ""
    if skill:
        changes["skills"] = list(skill)
    if skill_code:
        changes["alignments"] = [build.parse_skill_code(c) for c in skill_code]
    if all(v is None for v in changes.values()) and not evidence:
        raise UsageError("nothing to change", hint="give the options to change, e.g. lerwallet edit ID --to 2024-06")
    for flag, value in (("--from", start), ("--to", end)):
        if value is not None:
            build.parse_date(value, flag)
    new_evidence = records.read_evidence(list(evidence)) if evidence else None
    with open_wallet(ctx, passphrase_file) as wallet:
        stored = records.edit(wallet, record_id, changes=changes, evidence=new_evidence)
    _report([stored], json_out, "new version")
    if not json_out:
        output.info(f"the old version {stored.summary.get('supersedes', '')[:10]} is kept, marked superseded (lerwallet list --all)")


def register(app: typer.Typer) -> None:
    app.command("add")(add)
    app.command("edit")(edit)
