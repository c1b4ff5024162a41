"""Wallet commands: init, path, status, passwd, import, list, show, delete.

Thin: each command parses its options, calls `lerwallet.store`, and renders.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from lerwallet.cli import output
from lerwallet.cli.passphrase import (
    ENV_NEW_PASSPHRASE,
    _is_interactive,
    open_wallet,
    read_passphrase,
    wallet_home,
)
from lerwallet.errors import EXIT_INVALID, EXIT_USAGE, LerwalletError, UsageError

ENV_UNSAFE_FAST_KDF = "LERWALLET_UNSAFE_FAST_KDF"

PASSPHRASE_FILE = typer.Option(
    None,
    "--passphrase-file",
    help="Read the passphrase from the first line of this file (else LERWALLET_PASSPHRASE, else a prompt).",
    show_default=False,
)
JSON = typer.Option(False, "--json", help="Print JSON on stdout instead of a table.")


def _kdf_label(kdf: dict, weak: bool) -> str:
    text = f"{kdf['algorithm']} memory={kdf['memory_kib']} KiB iterations={kdf['iterations']} lanes={kdf['lanes']}"
    return text + ("  (WEAK: test-only parameters)" if weak else "")


def init(
    ctx: typer.Context,
    passphrase_file: Optional[Path] = PASSPHRASE_FILE,
    json_out: bool = JSON,
) -> None:
    """Create a new, empty, encrypted wallet.

    The passphrase comes from LERWALLET_PASSPHRASE, --passphrase-file, or a hidden prompt (asked
    twice). It is never taken as an argument, and it cannot be recovered: keep it safe.

    Example: lerwallet init
    """
    from lerwallet import crypto
    from lerwallet.store import Wallet

    home = wallet_home(ctx)
    if Wallet.exists(home):  # before asking for a passphrase
        raise UsageError(f"a wallet already exists at {home}", hint="use it, or choose another folder with --home DIR")
    passphrase = read_passphrase(passphrase_file=passphrase_file, confirm=True, prompt="New passphrase")
    kdf = crypto.KdfParams.default()
    if os.environ.get(ENV_UNSAFE_FAST_KDF) == "1":
        kdf = crypto.KdfParams.unsafe_fast_for_tests()
        output.warn(f"{ENV_UNSAFE_FAST_KDF}=1: weak key derivation for tests only; never use it for a real wallet")
    from lerwallet import identity

    with Wallet.create(home, passphrase, kdf=kdf) as wallet:
        # The learner's first identity: did:key, Ed25519 (Multikey), the default holder.
        first = identity.create(wallet, method="key", key_type="ed25519", name="main", make_default=True)
        stats = wallet.stats()
    if json_out:
        output.print_json({**stats, "identity": first.to_dict()})
    else:
        output.info(f"Created an encrypted wallet in {home}")
        output.info(f"Your identity (default holder): {first.did}")
        output.info("Next: lerwallet import FILE")


def path(ctx: typer.Context, json_out: bool = JSON) -> None:
    """Print the wallet folder (whether or not a wallet exists there yet).

    Example: ls -l "$(lerwallet path)"
    """
    from lerwallet.store import Wallet
    from lerwallet.store.vault import DB_NAME

    home = wallet_home(ctx)
    if json_out:
        output.print_json({"home": str(home), "database": str(home / DB_NAME), "exists": Wallet.exists(home)})
    else:
        typer.echo(str(home))


def status(ctx: typer.Context, json_out: bool = JSON) -> None:
    """Where the wallet lives, how many records, store format version and KDF parameters.

    Needs no passphrase: none of this is secret, and no secret is shown.
    """
    from lerwallet.store import Wallet

    info = Wallet.inspect(wallet_home(ctx))
    for message in info.pop("warnings"):
        output.warn(message)
    if json_out:
        output.print_json(info)
        return
    records = info["records"]
    rows = [
        ("wallet", info["home"]),
        ("database", info["database"]),
        ("format version", str(info["format_version"])),
        ("credentials", str(records.get("credential", 0))),
        ("identities", str(records.get("identity", 0))),
        ("records (all kinds)", str(sum(records.values()))),
        ("key derivation", _kdf_label(info["kdf"], info["kdf_weak"])),
        ("size on disk", f"{info['bytes_on_disk']} bytes"),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        typer.echo(f"{key:<{width}}  {value}")


def passwd(
    ctx: typer.Context,
    passphrase_file: Optional[Path] = PASSPHRASE_FILE,
    new_passphrase_file: Optional[Path] = typer.Option(
        None, "--new-passphrase-file", show_default=False,
        help="Read the new passphrase from this file (else LERWALLET_NEW_PASSPHRASE, else a prompt).",
    ),
) -> None:
    """Change the passphrase. Only the wrapped data key is rewritten: fast, no record is re-encrypted.

    Example: lerwallet passwd
    """
    with open_wallet(ctx, passphrase_file) as wallet:
        new = read_passphrase(
            passphrase_file=new_passphrase_file, confirm=True, prompt="New passphrase",
            env_var=ENV_NEW_PASSPHRASE, file_option="--new-passphrase-file",
        )
        wallet.change_passphrase(new)
    output.info("Passphrase changed.")


def _read_input(name: str) -> bytes:
    from lerwallet.errors import InputError

    if name == "-":
        return sys.stdin.buffer.read()
    p = Path(name)
    if p.is_dir():
        raise InputError("is a directory, not a file", hint="pass the credential files inside it")
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file") from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}") from None


def import_(
    ctx: typer.Context,
    files: List[str] = typer.Argument(..., metavar="FILE...", help="Credential files; - reads stdin."),
    passphrase_file: Optional[Path] = PASSPHRASE_FILE,
    json_out: bool = JSON,
) -> None:
    """Import credentials (JSON verifiable credentials, VC 1.1 or 2.0) into the wallet.

    Each file is imported on its own: a bad file changes nothing and the others still import
    (exit code 2 if any failed). A credential already in the wallet is reported, not duplicated.

    Example: lerwallet import badge.json transcript.json
    """
    from lerwallet.store import credentials

    if files.count("-") > 1:
        raise UsageError("stdin (-) can be read only once")
    parsed: list[tuple[str, bytes, dict]] = []
    results: list[dict] = []
    for name in files:  # read and parse everything before asking for the passphrase
        try:
            raw = _read_input(name)
            parsed.append((name, raw, credentials.parse_json_credential(raw)))
        except LerwalletError as exc:
            results.append({"source": name, "error": exc.message, "hint": exc.hint})
    if parsed:
        with open_wallet(ctx, passphrase_file) as wallet:
            for name, raw, doc in parsed:
                source = "stdin" if name == "-" else os.path.basename(name)
                try:
                    record = credentials.import_credential(wallet, raw, source=source, doc=doc)
                except LerwalletError as exc:
                    results.append({"source": name, "error": exc.message})
                    continue
                results.append({"source": name, "id": record.id, "title": record.title,
                                "duplicate": record.duplicate, "status": record.status})
    order = {name: i for i, name in enumerate(files)}
    results.sort(key=lambda r: order[r["source"]])
    failed = [r for r in results if "error" in r]
    if json_out:
        output.print_json([{k: v for k, v in r.items() if k != "hint"} for r in results])
    for r in results:
        if "error" in r:
            output.error(f"{r['source']}: {r['error']}", r.get("hint"))
        elif not json_out:
            what = "already in the wallet as" if r["duplicate"] else "imported"
            source = "stdin" if r["source"] == "-" else r["source"]
            typer.echo(f"{what} {r['id'][:10]}  {r['title'] or '(untitled)'}  ({source})")
    if failed:
        raise typer.Exit(EXIT_USAGE)


def _short_ids(ids: list[str], minimum: int = 10) -> dict[str, str]:
    """The shortest prefix (at least `minimum`) that tells every id apart, like git."""
    length = minimum
    while length < 64 and len({i[:length] for i in ids}) < len(ids):
        length += 2
    return {i: i[:length] for i in ids}


def _print_json_array(items: list[dict]) -> None:
    """A JSON array, one object per line: the C encoder (no indent) keeps 10,000 rows fast."""
    import json

    if not items:
        sys.stdout.write("[]\n")
    else:
        body = ",\n".join("  " + json.dumps(item, ensure_ascii=False) for item in items)
        sys.stdout.write("[\n" + body + "\n]\n")
    sys.stdout.flush()


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())  # no control characters or newlines from credential data
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def _print_table(headers: list[str], rows: list[list[str]]) -> None:
    """A plain aligned table (like `git branch -v`). Rich tables take seconds for 10,000 rows;
    this takes milliseconds. Long titles and issuers are clipped with an ellipsis."""
    caps = {"TITLE": 48, "ISSUER": 32, "KIND": 28}
    rows = [[_clip(cell, caps.get(h, 40)) for h, cell in zip(headers, row)] for row in rows]
    widths = [max([len(h)] + [len(row[i]) for row in rows]) for i, h in enumerate(headers)]
    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    bold, red, reset = ("\x1b[1m", "\x1b[31m", "\x1b[0m") if color else ("", "", "")

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    out = [bold + line(headers) + reset]
    for row in rows:
        text = line(row)
        out.append(red + text + reset if row[-1] == "damaged" else text)
    sys.stdout.write("\n".join(out) + "\n")
    sys.stdout.flush()


def list_(
    ctx: typer.Context,
    passphrase_file: Optional[Path] = PASSPHRASE_FILE,
    json_out: bool = JSON,
    did: Optional[str] = typer.Option(
        None, "--did", metavar="DID|NAME", help="Only credentials issued to this identity of yours."
    ),
) -> None:
    """List the credentials in the wallet.

    The ID column takes an abbreviated id: any unique prefix works with show and delete.

    Example: lerwallet list --json
    """
    from lerwallet.store import credentials

    with open_wallet(ctx, passphrase_file) as wallet:
        records = credentials.list_credentials(wallet)
        if did is not None:
            from lerwallet import identity

            records = identity.credentials_of(identity.find(wallet, did), records)
    damaged = [r for r in records if r.status == credentials.STATUS_DAMAGED]
    if json_out:
        _print_json_array([r.listing() for r in records])
    elif not records:
        output.info("No credentials yet. Import one with: lerwallet import FILE")
    else:
        short = _short_ids([r.id for r in records])
        columns = [("ID", "id"), ("TITLE", "title"), ("ISSUER", "issuer"), ("KIND", "kind"),
                   ("ISSUED", "issued"), ("EXPIRES", "valid_until"), ("STATUS", "status")]
        rows = []
        for r in records:
            row = r.listing()
            row.update(id=short[r.id], issued=row["issued"][:10], valid_until=row["valid_until"][:10])
            rows.append(row)
        # An all-empty column (say, nothing expires) only takes room from the titles.
        columns = [(h, k) for h, k in columns if k in ("id", "title") or any(row[k] for row in rows)]
        _print_table([h for h, _ in columns], [[row[k] for _, k in columns] for row in rows])
    for r in damaged:
        output.warn(f"credential {r.id} failed its integrity check (damaged or tampered)")
    if damaged:
        raise typer.Exit(EXIT_INVALID)


def show(
    ctx: typer.Context,
    record_id: str = typer.Argument(..., metavar="ID", help="Credential id or a unique prefix of it."),
    passphrase_file: Optional[Path] = PASSPHRASE_FILE,
    json_out: bool = JSON,
    raw: bool = typer.Option(False, "--raw", help="Print the original bytes exactly as imported."),
) -> None:
    """Show one credential.

    Example: lerwallet show 3f2a --raw > badge.json
    """
    from lerwallet.store import credentials

    if raw and json_out:
        raise UsageError("--raw and --json cannot be used together")
    with open_wallet(ctx, passphrase_file) as wallet:
        full_id = credentials.resolve(wallet, record_id)
        record = credentials.get_credential(wallet, full_id)
        original = credentials.get_original(wallet, full_id)
    if raw:
        sys.stdout.buffer.write(original)
        sys.stdout.flush()
        return
    import json

    try:
        document = json.loads(original.decode("utf-8-sig"))
    except ValueError:
        document = None
    if json_out:
        output.print_json({**record.to_dict(), "credential": document})
        return
    _render_panel(record)


def _render_panel(record) -> None:
    from rich.markup import escape
    from rich.panel import Panel

    s = record.summary
    lines = [
        ("id", record.id),
        ("kind", s.get("kind", "")),
        ("types", ", ".join(s.get("types", []))),
        ("issuer", " ".join(x for x in (s.get("issuer_name", ""), f"<{s['issuer_id']}>" if s.get("issuer_id") else "") if x)),
        ("subject", s.get("subject_id", "")),
        ("issued", s.get("issued", "")),
        ("valid until", s.get("valid_until", "")),
        ("data model", f"VC {s['data_model']}" if s.get("data_model") else ""),
        ("status", record.status),
        ("imported", f"{record.imported_at} from {record.source}" if record.source else record.imported_at),
        ("description", s.get("description", "")),
    ]
    skills = [k.get("name") or k.get("code") or k.get("url") for k in s.get("skills", [])]
    if skills:
        lines.append(("skills", ", ".join(x for x in skills if x)))
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for key, value in lines:
        if value:
            grid.add_row(key, escape(str(value)))
    output.console().print(Panel(grid, title=escape(record.title or "(untitled)"), expand=False))


def delete(
    ctx: typer.Context,
    record_id: str = typer.Argument(..., metavar="ID", help="Credential id or a unique prefix of it."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
    passphrase_file: Optional[Path] = PASSPHRASE_FILE,
) -> None:
    """Delete one credential from the wallet (asks first unless --yes).

    Example: lerwallet delete 3f2a --yes
    """
    from lerwallet.errors import IntegrityError
    from lerwallet.store import credentials

    with open_wallet(ctx, passphrase_file) as wallet:
        full_id = credentials.resolve(wallet, record_id)
        try:
            title = credentials.get_credential(wallet, full_id).title or "(untitled)"
        except IntegrityError:
            title = "(damaged record)"
        if not yes:
            if not _is_interactive():
                raise UsageError("refusing to delete without confirmation", hint="pass --yes")
            if not typer.confirm(f"Delete {full_id[:10]} {title}?", default=False, err=True):
                output.info("Nothing deleted.")
                raise typer.Exit(0)
        credentials.delete_credential(wallet, full_id)
    output.info(f"Deleted {full_id[:10]}  {title}")


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
    app.command("init")(init)
    app.command("path")(path)
    app.command("status")(status)
    app.command("passwd")(passwd)
    app.command("import")(import_)
    app.command("list")(list_)
    app.command("show")(show)
    app.command("delete")(delete)
