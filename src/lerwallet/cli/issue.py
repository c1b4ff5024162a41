"""`lerwallet issue` and `lerwallet status-list ...`: an organisation's badges, signed in its wallet.

Thin layer over `lerwallet.issue`: check the options (before asking for the passphrase), reserve
the output file (before the wallet changes), call the library, write, render.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from lerwallet.cli import output

_PASSPHRASE_FILE = typer.Option(
    None, "--passphrase-file", help="Read the wallet passphrase from this file (first line).", show_default=False,
)
_JSON = typer.Option(False, "--json", help="Print JSON instead of text.")
_BAKED_SUFFIXES = (".png", ".svg")


def _credential_bytes(doc: dict) -> bytes:
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _read_input(path: str, what: str) -> bytes:
    from lerwallet.errors import InputError

    if path == "-":
        return sys.stdin.buffer.read(16 * 1024 * 1024 + 1)
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"{what} {path} does not exist") from None
    except IsADirectoryError:
        raise InputError(f"{what} {path} is a folder, not a file") from None
    except OSError as exc:
        raise InputError(f"cannot read {what} {path}: {exc.strerror}") from None


class _Output:
    """Where the result goes: stdout, a JSON file, or a baked PNG/SVG; a file is reserved before
    the wallet changes (a missing folder stops the command with nothing stored)."""

    def __init__(self, out: Optional[str], baked: Optional[str], image: Optional[Path], force: bool):
        from lerwallet.errors import UsageError

        if out is not None and baked is not None:
            raise UsageError("--out and --baked are two outputs; give one", hint="--out FILE.json or --baked FILE.png|FILE.svg")
        if baked is not None and Path(baked).suffix.lower() not in _BAKED_SUFFIXES:
            raise UsageError(f"--baked {baked} must end in .png or .svg", hint="--baked badge.png or --baked badge.svg")
        if image is not None and (baked is None or Path(baked).suffix.lower() != ".png"):
            raise UsageError("--image is the PNG to bake into: it needs --baked FILE.png")
        self.image = _read_input(str(image), "--image") if image is not None else None
        self.baked = baked
        target = baked if baked is not None else out
        self.path = None if target in (None, "-") else Path(target)
        self.reserved = None
        if self.path is not None:
            from lerwallet.files import Reserved

            self.reserved = Reserved(self.path, force=force, mode=0o644)

    def discard(self) -> None:
        if self.reserved is not None:
            self.reserved.discard()

    def data(self, doc: dict) -> bytes:
        payload = _credential_bytes(doc)
        if self.baked is None:
            return payload
        from lerwallet.formats import bake

        title = str(doc.get("name", ""))
        if self.path.suffix.lower() == ".svg":
            return bake.bake_svg(payload, title=title)
        try:
            return bake.bake_png(payload, self.image, title=title)
        except ValueError as exc:
            from lerwallet.errors import InputError

            raise InputError(f"--image is not a PNG the badge can be baked into: {exc}") from None

    def write(self, data: bytes, after: str) -> None:
        if self.reserved is None:
            if self.baked is not None:
                output.write_bytes_stdout(data)
            else:
                output.write_stdout(data.decode("utf-8"))
            return
        from lerwallet.errors import InputError

        try:
            self.reserved.commit(data)
        except OSError as exc:
            raise InputError(f"{after}, but {self.path} could not be written: {exc.strerror}") from None


def issue(
    ctx: typer.Context,
    to: str = typer.Option(..., "--to", help="The recipient: a DID, or an email address (stored hashed with a salt)."),
    achievement: str = typer.Option(..., "--achievement", help="The OB 3.0 Achievement (JSON file, or - for stdin)."),
    identity_ref: Optional[str] = typer.Option(None, "--identity", help="The identity that signs (default: the default identity)."),
    valid_until: Optional[str] = typer.Option(None, "--valid-until", help="End of validity: 2030-06-30 or a date-time with a zone."),
    status: Optional[str] = typer.Option(None, "--status", help="Give the badge an entry in this status list (a random free index)."),
    issuer_name: Optional[str] = typer.Option(None, "--issuer-name", help="The issuer's name shown on the badge (issuer.name)."),
    out: Optional[str] = typer.Option(None, "--out", help="Write the credential JSON here (default: stdout)."),
    baked: Optional[str] = typer.Option(None, "--baked", help="Write a baked badge image instead: FILE.png or FILE.svg."),
    image: Optional[Path] = typer.Option(None, "--image", help="With --baked FILE.png: the PNG to bake into (default: a plain badge)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing output file."),
    passphrase_file: Optional[Path] = _PASSPHRASE_FILE,
    as_json: bool = typer.Option(False, "--json", help="Print a JSON summary (with the credential when it goes to no file)."),
) -> None:
    """Issue an Open Badges 3.0 credential, signed by one of your identities.

    The recipient is a DID (credentialSubject.id) or an email address, which is stored only
    as a salted SHA-256 hash (an OB 3.0 IdentityObject). Ed25519 identities sign with
    eddsa-rdfc-2022, P-256 identities with ecdsa-rdfc-2019. The credential is checked against
    the OB 3.0 schema and by the verify pipeline before it is written; with --status, a random
    free index of the list is taken only if everything succeeded.

    Examples:
      lerwallet issue --identity acme --to did:key:z6Mk... --achievement volunteer.json --out badge.json
      lerwallet issue --identity acme --to ada@example.org --achievement volunteer.json --status badges --baked badge.png
    """
    from lerwallet import issue as lib
    from lerwallet.cli.passphrase import open_wallet

    # Everything that needs no wallet first: nothing is unlocked, reserved or stored for a typo.
    lib.recipient(to)
    until = lib.parse_date(valid_until) if valid_until is not None else None
    if status is not None:
        from lerwallet.issue.statuslist import check_name

        check_name(status)
    achievement_doc = lib.read_achievement(_read_input(achievement, "achievement file"),
                                           "standard input" if achievement == "-" else achievement)
    if as_json and baked == "-":
        from lerwallet.errors import UsageError

        raise UsageError("--json and --baked - both write to stdout", hint="give --baked a file name")
    target = _Output(out, baked, image, force)
    try:
        with open_wallet(ctx, passphrase_file) as wallet:
            if identity_ref is None:
                from lerwallet import identity

                identity_ref = identity.default_holder(wallet).did
            issued = lib.issue_ob3(wallet, identity=identity_ref, to=to, achievement=achievement_doc,
                                   valid_until=until, status_list=status, issuer_name=issuer_name)
        data = target.data(issued.credential)
    except BaseException:
        target.discard()
        raise
    where = "" if issued.status_index is None else f" (status list {status}, index {issued.status_index})"
    if not (as_json and target.path is None):  # --json without a file: the credential is in the summary
        target.write(data, f"the badge was issued{where}")
    summary = issued.summary()
    if as_json:
        summary["out"] = str(target.path) if target.path else None
        if target.path is None and target.baked is None:
            summary["credential"] = issued.credential
        output.print_json(summary)
        return
    if target.path is not None:
        output.info(output.safe_text(f"issued {summary['achievement']!s} to {summary['recipient']}{where}: wrote {target.path}"))
    elif target.baked is None and not as_json:
        pass  # the credential went to stdout; stderr stays quiet for pipes


# --- status lists ---------------------------------------------------------------------------------


def sl_create(
    ctx: typer.Context,
    name: str = typer.Argument(..., metavar="NAME", help="A name for the list (letters, digits, . _ -)."),
    identity_ref: str = typer.Option(..., "--identity", help="The identity that signs the list (and the badges that use it)."),
    size: int = typer.Option(131_072, "--size", help="Number of entries: a multiple of 8, at least 131,072."),
    purpose: str = typer.Option("revocation", "--purpose", help="revocation (permanent) or suspension (reversible)."),
    url: Optional[str] = typer.Option(None, "--url", help="The https URL the list will be served from (default for did:web: beside did.json)."),
    passphrase_file: Optional[Path] = _PASSPHRASE_FILE,
    as_json: bool = _JSON,
) -> None:
    """Create a Bitstring Status List for your badges, kept sealed in the wallet.

    Examples:
      lerwallet status-list create badges --identity acme
      lerwallet status-list create holds --identity acme --purpose suspension --url https://acme.example/status/holds.json
    """
    from lerwallet.cli.passphrase import open_wallet
    from lerwallet.issue import statuslist

    statuslist.validate_create(name, size=size, purpose=purpose, url=url)
    with open_wallet(ctx, passphrase_file) as wallet:
        made = statuslist.create(wallet, name, identity_ref=identity_ref, size=size, purpose=purpose, url=url)
    if as_json:
        output.print_json(made.to_dict())
        return
    output.info(output.safe_text(f"created status list {made.name} ({made.purpose}, {made.size:,} entries) for {made.did}"))
    output.info(output.safe_text(f"publish it with: lerwallet status-list publish {made.name} --out {made.name}.json, "
                                 f"served at {made.url}"))


def sl_list(
    ctx: typer.Context,
    passphrase_file: Optional[Path] = _PASSPHRASE_FILE,
    as_json: bool = _JSON,
) -> None:
    """List your status lists: name, purpose, entries used, revoked or suspended, URL.

    Examples:
      lerwallet status-list list
      lerwallet status-list list --json
    """
    from lerwallet.cli.passphrase import open_wallet
    from lerwallet.issue import statuslist

    with open_wallet(ctx, passphrase_file) as wallet:
        found = statuslist.list_all(wallet)
    if as_json:
        output.print_json([s.to_dict() for s in found])
        return
    if not found:
        output.info("no status lists yet; create one with: lerwallet status-list create NAME --identity ID")
        return
    rows = [("NAME", "PURPOSE", "USED", "SET", "URL")]
    rows += [tuple(output.safe_text(c) for c in (s.name, s.purpose, f"{s.allocated}/{s.size}", str(s.set), s.url)) for s in found]
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    for row in rows:
        typer.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())


def _index_of(wallet, name: str, which: str) -> int:
    """INDEX, or the index the credential file `which` holds in this list."""
    from lerwallet.errors import InputError, UsageError
    from lerwallet.issue import statuslist

    if which.isascii() and which.isdigit():
        return int(which)
    if which.startswith("-") and which[1:].isdigit():
        raise UsageError(f"index {which} is out of range for status list {name!r}")
    path = Path(which)
    if not path.is_file():
        raise UsageError(f"{which!r} is neither an index nor a credential file",
                         hint="give the credential's statusListIndex, or the credential's JSON file")
    from lerwallet.jsonutil import UntrustedJSONError, loads_untrusted

    try:
        doc = loads_untrusted(path.read_bytes()[: 16 * 1024 * 1024])
    except (UntrustedJSONError, OSError) as exc:
        raise InputError(f"cannot read the credential {which}: {exc}") from None
    return statuslist.index_from_credential(doc, name, statuslist.get(wallet, name).url)


def _set(ctx, name: str, which: str, action: str, passphrase_file, as_json: bool) -> None:
    from lerwallet.cli.passphrase import open_wallet
    from lerwallet.issue import statuslist

    statuslist.check_name(name)
    with open_wallet(ctx, passphrase_file) as wallet:
        index = _index_of(wallet, name, which)
        changed_list, changed = statuslist.set_status(wallet, name, index, action)
    past = {"revoke": "revoked", "suspend": "suspended", "unsuspend": "unsuspended"}[action]
    if as_json:
        output.print_json({"list": name, "index": index, "action": action, "changed": changed, **changed_list.to_dict()})
        return
    if changed:
        output.info(f"{past} entry {index} of {name}; publish the list again to make it known: "
                    f"lerwallet status-list publish {name} --out FILE")
    else:
        output.info(f"entry {index} of {name} was already {past if action != 'unsuspend' else 'not suspended'}")


_LIST = typer.Argument(..., metavar="NAME", help="The status list's name.")
_WHICH = typer.Argument(..., metavar="INDEX|CREDENTIAL", help="The entry: its statusListIndex, or the credential's JSON file.")


def sl_revoke(ctx: typer.Context, name: str = _LIST, which: str = _WHICH,
              passphrase_file: Optional[Path] = _PASSPHRASE_FILE, as_json: bool = _JSON) -> None:
    """Revoke a badge: set its bit in a revocation list (permanent).

    Examples:
      lerwallet status-list revoke badges 41048
      lerwallet status-list revoke badges issued/ada.json
    """
    _set(ctx, name, which, "revoke", passphrase_file, as_json)


def sl_suspend(ctx: typer.Context, name: str = _LIST, which: str = _WHICH,
               passphrase_file: Optional[Path] = _PASSPHRASE_FILE, as_json: bool = _JSON) -> None:
    """Suspend a badge: set its bit in a suspension list (undo with unsuspend).

    Examples:
      lerwallet status-list suspend holds 90210
    """
    _set(ctx, name, which, "suspend", passphrase_file, as_json)


def sl_unsuspend(ctx: typer.Context, name: str = _LIST, which: str = _WHICH,
                 passphrase_file: Optional[Path] = _PASSPHRASE_FILE, as_json: bool = _JSON) -> None:
    """Lift a suspension: clear the badge's bit in a suspension list.

    Examples:
      lerwallet status-list unsuspend holds 90210
    """
    _set(ctx, name, which, "unsuspend", passphrase_file, as_json)


def sl_publish(
    ctx: typer.Context,
    name: str = _LIST,
    out: str = typer.Option(..., "--out", help="Write the signed list credential here (- for stdout)."),
    valid_until: Optional[str] = typer.Option(None, "--valid-until", help="The list credential's validUntil (a date or date-time)."),
    ttl: Optional[int] = typer.Option(None, "--ttl", help="Milliseconds verifiers may cache the list (BitstringStatusList ttl)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing file (publishing again after a revocation)."),
    passphrase_file: Optional[Path] = _PASSPHRASE_FILE,
    as_json: bool = _JSON,
) -> None:
    """Write the signed BitstringStatusListCredential to host at the list's URL.

    Upload the file to the URL `status-list list` shows (beside did.json for a did:web
    identity) after every revoke or suspend.

    Examples:
      lerwallet status-list publish badges --out site/status/badges.json --force
    """
    from lerwallet import issue as lib
    from lerwallet.cli.passphrase import open_wallet
    from lerwallet.errors import UsageError
    from lerwallet.issue import statuslist

    statuslist.check_name(name)
    until = lib.parse_date(valid_until) if valid_until is not None else None
    if ttl is not None and ttl <= 0:
        raise UsageError(f"--ttl {ttl} must be a positive number of milliseconds")
    target = _Output(out, None, None, force)
    try:
        with open_wallet(ctx, passphrase_file) as wallet:
            signed = statuslist.publish(wallet, name, valid_until=until, ttl=ttl)
            info = statuslist.get(wallet, name)
    except BaseException:
        target.discard()
        raise
    target.write(_credential_bytes(signed), "the list was signed")
    if as_json:
        output.print_json({**info.to_dict(), "out": str(target.path) if target.path else None})
    elif target.path is not None:
        output.info(output.safe_text(f"wrote {target.path}: host it at {info.url}"))


def register(app: typer.Typer) -> None:
    """Attach `issue` and the `status-list` group to the root app."""
    from lerwallet.cli.app import new_group

    app.command("issue")(issue)
    group = new_group(help="Bitstring Status Lists for the badges you issue: create, revoke, suspend, publish.")
    group.command("create")(sl_create)
    group.command("list")(sl_list)
    group.command("revoke")(sl_revoke)
    group.command("suspend")(sl_suspend)
    group.command("unsuspend")(sl_unsuspend)
    group.command("publish")(sl_publish)
    app.add_typer(group, name="status-list")
