"""`lerwallet did ...`: the learner's identities and keys.

Thin layer over `lerwallet.identity`: parse options, unlock the wallet, call the library,
render. Only `did export --private` ever prints or writes private key material, and only
when asked in so many words.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer

from lerwallet.cli import output
from lerwallet.errors import EXIT_INVALID

ENV_EXPORT_PASSPHRASE = "LERWALLET_EXPORT_PASSPHRASE"

group = None  # set by register(); kept for tests that want the sub-app

_PASSPHRASE_FILE = typer.Option(
    None, "--passphrase-file", help="Read the wallet passphrase from this file (first line).",
    show_default=False,
)
_JSON = typer.Option(False, "--json", help="Print JSON instead of text.")


@contextmanager


def _open(ctx: typer.Context, passphrase_file: Optional[Path]):
    """The unlocked wallet; afterwards, a warning for each identity record that did not open
    (they are skipped, so one damaged record never blocks the others)."""
    from lerwallet import identity
    from lerwallet.cli.passphrase import open_wallet

    with open_wallet(ctx, passphrase_file) as wallet:
        yield wallet
        for rid in identity.damaged(wallet):
            output.warn(f"identity record {rid} failed its integrity check (damaged or tampered) and was "
                        f"skipped; remove it with: lerwallet did delete {rid}")


def _print_identity(identity, verb: str) -> None:
    mark = " (default)" if identity.default else ""
    output.info(output.safe_text(f"{verb} {identity.name}{mark}: {identity.did}"))


def _document_bytes(doc: dict) -> bytes:
    import json

    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _write_document(doc: dict, out: Optional[str], force: bool) -> None:
    """A DID document to `out` ('-' or None: stdout). Public data (0644), but still never clobbered."""
    if out in (None, "-"):
        sys.stdout.write(_document_bytes(doc).decode("utf-8"))
        return
    from lerwallet.files import write_atomic

    write_atomic(Path(out), _document_bytes(doc), force=force, mode=0o644)  # meant to be uploaded
    output.info(f"wrote {out}")


def _print_identities(found) -> None:
    rows = [("", "NAME", "DID", "METHOD", "KEY TYPE", "CREATED")]
    rows += [tuple(output.safe_text(c) for c in ("*" if i.default else "", i.name, i.did, i.method, i.key_type, i.created))
             for i in found]  # names and did:web hosts come from files too: no terminal control
    widths = [max(len(row[c]) for row in rows) for c in range(len(rows[0]))]
    for row in rows:  # plain columns, never wrapped: a DID stays one greppable word
        typer.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())


def _publish_hint(identity) -> None:
    if identity.method == "web":
        from lerwallet.keys.dids import did_web_url

        output.info(f"publish it at {did_web_url(identity.did)}")


def create(
    ctx: typer.Context,
    method: str = typer.Option("key", "--method", help="DID method: key, jwk or web."),
    key_type: str = typer.Option("ed25519", "--key-type", help="Key type: ed25519 or p256."),
    name: Optional[str] = typer.Option(None, "--name", help="A label (default: METHOD-N)."),
    domain: Optional[str] = typer.Option(
        None, "--domain", help="did:web only: HOST, HOST:PORT or HOST/path where you will host did.json."
    ),
    make_default: bool = typer.Option(False, "--default", help="Make it the default holder."),
    passphrase_file: Optional[Path] = _PASSPHRASE_FILE,
    as_json: bool = _JSON,
) -> None:
    """Create a new identity with a fresh key.

    Examples:
      lerwallet did create --name school
      lerwallet did create --method web --domain learner.example --name portfolio
    """
    from lerwallet import identity

    # Cheap checks before asking for a passphrase: nothing is unlocked for a typo.
    identity.validate_create(method=method, key_type=key_type, name=name, domain=domain)
    with _open(ctx, passphrase_file) as wallet:
        made = identity.create(wallet, method=method, key_type=key_type, name=name, domain=domain,
                               make_default=True if make_default else None)
    if as_json:
        output.print_json(made.to_dict())
        return
    _print_identity(made, "created")
    typer.echo(made.did)
    if made.method == "web":
        output.info(f"next: lerwallet did export-web {made.name} --out did.json")
        _publish_hint(made)


def list_(
    ctx: typer.Context,
    passphrase_file: Optional[Path] = _PASSPHRASE_FILE,
    as_json: bool = _JSON,
) -> None:
    """List your identities: name, DID, method, key type, created; * marks the default.

    Examples:
      lerwallet did list
      lerwallet did list --json | jq -r '.[] | select(.default) | .did'
    """
    from lerwallet import identity

    with _open(ctx, passphrase_file) as wallet:
        found = identity.list_identities(wallet)
        bad = identity.damaged(wallet)
    if as_json:
        output.print_json([i.to_dict() for i in found])
    elif not found and not bad:
        output.info("no identities yet; create one with: lerwallet did create")
    else:
        _print_identities(found)
    if bad:
        raise typer.Exit(EXIT_INVALID)  # as `lerwallet list` with a damaged credential


def show(
    ctx: typer.Context,
    ref: str = typer.Argument(..., metavar="DID|NAME"),
    passphrase_file: Optional[Path] = _PASSPHRASE_FILE,
    as_json: bool = typer.Option(False, "--json", help="Print only the DID document (JSON)."),
) -> None:
    """Show an identity and its DID document, resolved locally (no network).

    Examples:
      lerwallet did show main
      lerwallet did show portfolio --json > did-document.json
    """
    from lerwallet import identity

    with _open(ctx, passphrase_file) as wallet:
        found = identity.find(wallet, ref)
    doc = identity.document(found)
    if as_json:
        output.print_json(doc)
        return
    typer.echo(f"name:     {output.safe_text(found.name)}{'  (default holder)' if found.default else ''}")
    typer.echo(f"DID:      {output.safe_text(found.did)}")
    typer.echo(f"method:   did:{found.method}")
    if found.domain:
        from lerwallet.keys.dids import did_web_url

        typer.echo(f"hosted:   {did_web_url(found.did)}")
    typer.echo(f"created:  {found.created}")
    for key in found.keys:
        state = "signing" if key.current else "retired (verify only)"
        typer.echo(f"key:      {key.id}  {key.key_type}  {state}  {key.created}")
    typer.echo("document:")
    output.print_json(doc)


def use(
    ctx: typer.Context,
    ref: str = typer.Argument(..., metavar="DID|NAME"),
    passphrase_file: Optional[Path] = _PASSPHRASE_FILE,
    as_json: bool = _JSON,
) -> None:
    """Make an identity the default holder (the one that signs your presentations).

    Example: lerwallet did use portfolio
    """
    from lerwallet import identity

    with _open(ctx, passphrase_file) as wallet:
        chosen = identity.use(wallet, ref)
    if as_json:
        output.print_json(chosen.to_dict())
    else:
        output.info(output.safe_text(f"{chosen.name} is now the default holder: {chosen.did}"))


def rename(
    ctx: typer.Context,
    ref: str = typer.Argument(..., metavar="DID|NAME"),
    new_name: str = typer.Argument(..., metavar="NEW_NAME"),
    passphrase_file: Optional[Path] = _PASSPHRASE_FILE,
    as_json: bool = _JSON,
) -> None:
    """Give an identity a new label (its DID does not change).

    Example: lerwallet did rename web-1 portfolio
    """
    from lerwallet import identity

    identity.check_name(new_name)
    with _open(ctx, passphrase_file) as wallet:
        renamed = identity.rename(wallet, ref, new_name)
    _done(renamed, "renamed", as_json)


def delete(
    ctx: typer.Context,
    ref: str = typer.Argument(..., metavar="DID|NAME|RECORD"),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
    passphrase_file: Optional[Path] = _PASSPHRASE_FILE,
    as_json: bool = _JSON,
) -> None:
    """Delete an identity and destroy its private keys (refused for the default holder).

    A damaged identity record (reported by a warning with its record id) is deleted by that
    record id. Declining the confirmation deletes nothing and exits 0.

    Examples:
      lerwallet did delete old-school
      lerwallet did delete old-school --yes      (no question asked)
    """
    from lerwallet import identity
    from lerwallet.errors import NotFoundError

    with _open(ctx, passphrase_file) as wallet:
        try:
            target = identity.find(wallet, ref)
        except NotFoundError:
            damaged_id = identity.find_damaged(wallet, ref)
            if damaged_id is None:
                raise
            if not yes:
                if not _confirm(f"Delete the damaged identity record {damaged_id}? Its key is lost"):
                    _deleted({"deleted": False, "record": damaged_id}, "nothing deleted", as_json)
                    return
            identity.delete_damaged(wallet, damaged_id)
            _deleted({"deleted": True, "record": damaged_id}, f"deleted damaged record {damaged_id}", as_json)
            return
        identity.check_deletable(wallet, target)
        if not yes:
            question = (f"Delete {output.safe_text(target.name)} ({output.safe_text(target.did)})? Its private "
                        "key is destroyed and cannot be recovered unless you exported it")
            if not _confirm(question):
                _deleted({"deleted": False, "identity": target.to_dict()}, "nothing deleted", as_json)
                return
        gone = identity.delete(wallet, target.did)
    if as_json:
        output.print_json({"deleted": True, "identity": gone.to_dict()})
    else:
        _print_identity(gone, "deleted")


def export_web(
    ctx: typer.Context,
    ref: str = typer.Argument(..., metavar="NAME"),
    out: str = typer.Option(..., "--out", "-o", help="Where to write the document ('-' for stdout)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
    passphrase_file: Optional[Path] = _PASSPHRASE_FILE,
) -> None:
    """Write the did.json you host for a did:web identity.

    Host it at https://HOST/.well-known/did.json (or https://HOST/path/did.json).

    Examples:
      lerwallet did export-web portfolio --out did.json
      lerwallet did export-web portfolio --out - | less
    """
    from lerwallet import identity
    from lerwallet.errors import UsageError

    with _open(ctx, passphrase_file) as wallet:
        found = identity.find(wallet, ref)
    if found.method != "web":
        raise UsageError(f"{found.name!r} is a did:{found.method}; it resolves without hosting",
                         hint=f"see its document with: lerwallet did show {found.name}")
    _write_document(identity.document(found), out, force)
    _publish_hint(found)


def rotate(
    ctx: typer.Context,
    ref: str = typer.Argument(..., metavar="NAME"),
    key_type: Optional[str] = typer.Option(None, "--key-type", help="Type of the new key (default: same)."),
    out: Optional[str] = typer.Option(None, "--out", "-o", help="Write the new did.json here (default: stdout)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing --out file."),
    passphrase_file: Optional[Path] = _PASSPHRASE_FILE,
) -> None:
    """Give a did:web identity a new signing key; the old public key stays listed.

    Earlier presentations keep verifying until you remove the old key with
    `lerwallet did remove-key NAME KEYID`. The old private key is destroyed.

    Example: lerwallet did rotate portfolio -o did.json --force  (then upload it)
    """
    from lerwallet import identity

    _update_web_document(ctx, out, force, passphrase_file, lambda wallet: identity.rotate(wallet, ref, key_type=key_type),
                         lambda rotated: f"new signing key {rotated.verification_method}")


def remove_key(
    ctx: typer.Context,
    ref: str = typer.Argument(..., metavar="NAME"),
    key_id: str = typer.Argument(..., metavar="KEYID", help="The key's id or its #fragment."),
    out: Optional[str] = typer.Option(None, "--out", "-o", help="Write the new did.json here (default: stdout)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing --out file."),
    passphrase_file: Optional[Path] = _PASSPHRASE_FILE,
) -> None:
    """Stop listing a retired did:web key; presentations it signed no longer verify.

    KEYID is the key's full id or its #fragment, as `lerwallet did show NAME` lists them.

    Example: lerwallet did remove-key portfolio '#z6Mk...' -o did.json --force
    """
    from lerwallet import identity

    _update_web_document(ctx, out, force, passphrase_file, lambda wallet: identity.remove_key(wallet, ref, key_id),
                         lambda changed: f"removed {output.safe_text(key_id)} from {output.safe_text(changed.name)}")


def _update_web_document(ctx, out: Optional[str], force: bool, passphrase_file: Optional[Path], change, message) -> None:
    """Change a did:web identity in the wallet, then write its new did.json: --out is reserved
    first, so a bad path stops the command before the wallet changes."""
    from lerwallet import identity

    with _reserve(out, force) as target, _open(ctx, passphrase_file) as wallet:
        changed = change(wallet)
    output.info(message(changed))
    target.write(identity.document(changed), changed.name)
    _publish_hint(changed)


def export(
    ctx: typer.Context,
    ref: str = typer.Argument(..., metavar="NAME"),
    public: bool = typer.Option(False, "--public", help="Print the public key (JWK and multibase)."),
    private: bool = typer.Option(False, "--private", help="Export the private key (PKCS#8, encrypted)."),
    unencrypted: bool = typer.Option(
        False, "--unencrypted", help="With --private: write the private key in the clear."
    ),
    key_format: str = typer.Option("pem", "--format", help="Private key format: pem (PKCS#8) or jwk."),
    out: Optional[str] = typer.Option(None, "--out", "-o", help="File to write (default: stdout)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing --out file."),
    key_passphrase_file: Optional[Path] = typer.Option(
        None, "--key-passphrase-file", show_default=False,
        help=f"Passphrase for the encrypted key file (or {ENV_EXPORT_PASSPHRASE}, or a prompt).",
    ),
    old_key_passphrase_file: Optional[Path] = typer.Option(
        None, "--export-passphrase-file", hidden=True,  # the earlier name, still accepted
    ),
    passphrase_file: Optional[Path] = _PASSPHRASE_FILE,
    as_json: bool = typer.Option(
        False, "--json", help="Print JSON: the public key, or with --private an object holding the key file."
    ),
) -> None:
    """Export an identity's current key.

    Examples:
      lerwallet did export main --public
      lerwallet did export main --private --out main.p8      (asks for a passphrase)
      lerwallet did export main --private --unencrypted --format jwk --out main.jwk
    """
    from lerwallet import identity
    from lerwallet.errors import UsageError

    if key_passphrase_file and old_key_passphrase_file:
        raise UsageError("--export-passphrase-file is the old name of --key-passphrase-file; give one")
    key_passphrase_file = key_passphrase_file or old_key_passphrase_file

    # Conflicting flags first, before any passphrase or I/O.
    if public == private:
        raise UsageError("choose one of --public or --private")
    if public and (unencrypted or key_passphrase_file or key_format != "pem"):
        raise UsageError("--unencrypted, --format and --key-passphrase-file go with --private")
    if key_format not in ("pem", "jwk"):
        raise UsageError(f"unknown --format {key_format!r}", hint="--format is pem or jwk")
    if private and key_format == "jwk" and not unencrypted:
        raise UsageError("a JWK private key cannot be encrypted",
                         hint="use --format pem (encrypted PKCS#8), or add --unencrypted")
    if private and unencrypted and key_passphrase_file:
        raise UsageError("--unencrypted and --key-passphrase-file contradict each other")
    if out not in (None, "-") and Path(out).exists() and not force:
        raise UsageError(f"{out} already exists", hint="choose another --out or pass --force")

    if public:
        with _open(ctx, passphrase_file) as wallet:
            found = identity.find(wallet, ref)
        data = identity.public_export(found)
        if as_json or out not in (None, "-"):
            _write_document(data, out, force)
            return
        typer.echo(f"DID:                {data['did']}")
        typer.echo(f"verification method {data['verification_method']}")
        typer.echo(f"key type:           {data['key_type']}")
        typer.echo(f"publicKeyMultibase: {data['publicKeyMultibase']}")
        import json

        typer.echo(f"publicKeyJwk:       {json.dumps(data['publicKeyJwk'])}")
        return

    password = None
    if not unencrypted:
        from lerwallet.cli.passphrase import read_passphrase

        password = read_passphrase(
            passphrase_file=key_passphrase_file, confirm=True, prompt="Passphrase for the key file",
            env_var=ENV_EXPORT_PASSPHRASE, file_option="--key-passphrase-file",
        )
    with _open(ctx, passphrase_file) as wallet:
        found = identity.find(wallet, ref)
        key_type, secret, vm = identity.private_key(wallet, found)
    if as_json:
        import json

        exported = identity.private_export(found, vm, key_type, secret, key_format=key_format, password=password)
        data = (json.dumps(exported, indent=2) + "\n").encode("ascii")
    else:
        data = identity.encode_private(key_type, secret, key_format=key_format, password=password)
    del secret
    if out in (None, "-"):
        if _stdout_is_terminal():
            output.warn("writing a private key to the terminal; it may stay in your scrollback")
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from lerwallet.files import write_atomic

    write_atomic(Path(out), data, force=force)  # 0600
    kind = "UNENCRYPTED private key" if unencrypted else "encrypted private key"
    output.info(f"wrote the {kind} of {found.name} to {out} (mode 600)")


def import_(
    ctx: typer.Context,
    file: str = typer.Argument(..., metavar="FILE", help="A private key: JWK or PKCS#8 (PEM/DER); '-' for stdin."),
    name: Optional[str] = typer.Option(None, "--name", help="A label (default: METHOD-N)."),
    method: str = typer.Option("key", "--method", help="DID method for it: key, jwk or web."),
    domain: Optional[str] = typer.Option(None, "--domain", help="did:web only: HOST, HOST:PORT or HOST/path."),
    make_default: bool = typer.Option(False, "--default", help="Make it the default holder."),
    key_passphrase_file: Optional[Path] = typer.Option(
        None, "--key-passphrase-file",
        help=f"Passphrase of an encrypted PKCS#8 file (or {ENV_EXPORT_PASSPHRASE}, or a prompt).",
    ),
    passphrase_file: Optional[Path] = _PASSPHRASE_FILE,
    as_json: bool = _JSON,
) -> None:
    """Import an existing Ed25519 or P-256 private key as a new identity.

    Examples:
      lerwallet did import main.p8 --name restored   (asks its passphrase)
      lerwallet did import key.jwk --method web --domain learner.example
    """
    from lerwallet import identity
    from lerwallet.errors import InputError

    identity.validate_create(method=method, key_type="ed25519", name=name, domain=domain)
    if file == "-":
        data = sys.stdin.buffer.read(identity.MAX_KEY_FILE + 1)
    else:
        try:
            with open(file, "rb") as handle:
                data = handle.read(identity.MAX_KEY_FILE + 1)
        except OSError as exc:
            raise InputError(f"cannot read {file}: {exc.strerror}") from None

    def key_passphrase() -> bytes:
        from lerwallet.cli.passphrase import read_passphrase

        return read_passphrase(passphrase_file=key_passphrase_file, prompt="Passphrase of the key file",
                               env_var=ENV_EXPORT_PASSPHRASE, file_option="--key-passphrase-file")

    key_type, secret = identity.read_private_key(data, key_passphrase)
    with _open(ctx, passphrase_file) as wallet:
        made = identity.create(wallet, method=method, key_type=key_type, name=name, domain=domain,
                               private=secret, make_default=True if make_default else None)
    del secret
    if as_json:
        output.print_json(made.to_dict())
        return
    _print_identity(made, "imported")
    typer.echo(made.did)


def register(app: typer.Typer) -> None:
    """Attach the `did` group to the root app."""
    global group
    from lerwallet.cli.app import new_group

    group = new_group(help="Your identities (DIDs) and their keys, kept in the encrypted wallet.")
    group.command("create")(create)
    group.command("list")(list_)
    group.command("show")(show)
    group.command("use")(use)
    group.command("rename")(rename)
    group.command("delete")(delete)
    group.command("export-web")(export_web)
    group.command("rotate")(rotate)
    group.command("remove-key")(remove_key)
    group.command("export")(export)
    group.command("import")(import_)
    app.add_typer(group, name="did")


class _Reserved:
    """An --out DID document reserved (`lerwallet.files.Reserved`) before the wallet changes, so
    a folder that does not exist or is not writable stops the command before anything is
    committed; `write` fills it after the commit. No --out: stdout."""

    def __init__(self, out: Optional[str], force: bool):
        from lerwallet.files import Reserved

        self.file = None if out in (None, "-") else Reserved(Path(out), force=force, mode=0o644)

    def write(self, doc: dict, name: str) -> None:
        if self.file is None:
            sys.stdout.write(_document_bytes(doc).decode("utf-8"))
            return
        from lerwallet.errors import InputError

        try:
            self.file.commit(_document_bytes(doc))
        except OSError as exc:
            raise InputError(f"the wallet was updated but {self.file.path} could not be written: {exc.strerror}",
                             hint=f"write it again with: lerwallet did export-web {name} --out FILE") from None
        output.info(f"wrote {self.file.path}")

    def discard(self) -> None:
        if self.file is not None:
            self.file.discard()


@contextmanager


def _reserve(out: Optional[str], force: bool):
    """Reserved for the block; kept for `write` after it (the wallet commits first), discarded
    if the block fails."""
    reserved = _Reserved(out, force)
    try:
        yield reserved
    except BaseException:
        reserved.discard()
        raise


def _done(identity, verb: str, as_json: bool) -> None:
    if as_json:
        output.print_json(identity.to_dict())
    else:
        _print_identity(identity, verb)


def _deleted(data: dict, message: str, as_json: bool) -> None:
    if as_json:
        output.print_json(data)
    else:
        output.info(message)


def _confirm(question: str) -> bool:
    from lerwallet.cli.passphrase import confirm

    return confirm(question, action="deleting an identity")


def _stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False
