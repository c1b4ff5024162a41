"""`lerwallet verify`: the employer's verdict, clear, honest and scriptable.

Parses options and hands them to `cli.verify_run.run`, which calls `lerwallet.verify` and
renders a rich report, `--json` or `--html`. `cli.fastpath` calls the same `run` without Typer.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer


def register(app: typer.Typer) -> None:
    """Attach the `verify` command to the root app."""
    app.command("verify")(verify)


def verify(
    ctx: typer.Context,
    inputs: List[str] = typer.Argument(..., metavar="INPUT...", help="Files, folders or - (stdin): presentations, credentials, JWTs, SD-JWTs, baked PNG/SVG badges, QR images (PNG/JPEG/SVG) or their text."),
    json_out: bool = typer.Option(False, "--json", help="Print the result as JSON (schema: docs/verify.md)."),
    html: Optional[Path] = typer.Option(None, "--html", help="Also write a self-contained HTML report to FILE.", metavar="FILE"),
    challenge: Optional[str] = typer.Option(None, "--challenge", help="The challenge (nonce) you gave the holder; must match."),
    domain: Optional[str] = typer.Option(None, "--domain", help="Your domain (audience); must match the presentation's."),
    at: Optional[str] = typer.Option(None, "--at", help="Judge dates at this time (ISO 8601) instead of now.", metavar="TIME"),
    trust: List[Path] = typer.Option([], "--trust", help="Trust file or issuer registry (repeatable).", metavar="FILE"),
    trust_anchor: List[Path] = typer.Option([], "--trust-anchor", help="PEM CA certificate that x5c (X.509) issuers must chain to (repeatable).", metavar="CERT.pem"),
    crl: List[Path] = typer.Option([], "--crl", help="CA's certificate revocation list (PEM or DER) that x5c chains are checked against (repeatable).", metavar="FILE"),
    status_cache: Optional[Path] = typer.Option(None, "--status-cache", help="Folder of status list credentials fetched earlier.", metavar="DIR"),
    did_web_cache: Optional[Path] = typer.Option(None, "--did-cache", help="Folder of did:web documents fetched earlier.", metavar="DIR"),
    ob2_cache: Optional[Path] = typer.Option(None, "--ob2-cache", help="Folder of Open Badges 2.0 documents fetched earlier (hosted assertions, BadgeClasses, issuers, keys, revocation lists).", metavar="DIR"),
    email: List[str] = typer.Option([], "--email", metavar="ADDR", help="Check that badges were issued to this email address (repeatable: each is tried, one match is enough)."),
    online: bool = typer.Option(False, "--online", help="Allow fetching status lists, did:web documents and registries (https only)."),
    strict: bool = typer.Option(False, "--strict", help="Treat warnings (such as an unknown issuer) as failures."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", help="Worker processes (default: the cores not already busy, at least 1).", min=1),
    recursive: bool = typer.Option(False, "--recursive", "-r", help="Also verify the files in subfolders of a folder."),
    details: bool = typer.Option(False, "--details", help="With several credentials, also print each one's checks after the summary table."),
    force: bool = typer.Option(False, "--force", help="Let --html replace an existing file."),
) -> None:
    """Verify credentials and presentations: who issued them, whether they are authentic,
    current and not revoked, whether the issuer is trusted, whether the sender holds them.

    A folder is read at its top level (--recursive for subfolders), like import; files in it
    that hold no credential at all (a README, a photo, other JSON) are skipped. A .zip archive
    is read like a folder (members shown as archive.zip!path; one nested zip level).

    QR codes made by `lerwallet present --qr` are read from PNG, JPEG and SVG images (several
    codes per image, the parts of a series in any order and from several files) or from their
    text (a .txt file or stdin, one code per line). A missing, duplicated or foreign part of a
    series is unreadable input (exit 2), not a forgery. The DCC Learner Credential Wallet's QR
    codes (VP1-..., CBOR-LD) are read the same way.

    Exit codes: 0 verified (warnings allowed unless --strict), 1 something failed, 2 unreadable
    input or bad usage, 4 inconclusive (nothing failed but something could not be checked).

    Examples:

      lerwallet verify presentation.json --challenge 8f3a --domain jobs.example.com

      lerwallet verify badges/ --recursive --trust registry.json --status-cache lists/ --json

      lerwallet verify old-badge.png --ob2-cache ob2-docs/ --email me@example.org

      lerwallet verify vp-1-of-3.png vp-2-of-3.png vp-3-of-3.png --challenge 8f3a
    """
    from lerwallet.cli.app import settings
    from lerwallet.cli.verify_run import run

    code = run(
        settings(ctx).home, inputs, json_out=json_out, html=html, challenge=challenge, domain=domain, at=at,
        trust=trust, trust_anchor=trust_anchor, crl=crl, status_cache=status_cache, did_web_cache=did_web_cache, ob2_cache=ob2_cache, email=email, online=online,
        strict=strict, jobs=jobs, recursive=recursive, details=details, force=force,
    )
    raise typer.Exit(code)
