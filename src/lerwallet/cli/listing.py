"""`lerwallet list`, without Typer: the command's body and the plain-text table helpers.

`cli/wallet.py` defines the command's options (Typer) and calls `run_list`; a plain
`lerwallet list` or `lerwallet list --json` calls it directly from the fast path
(`cli/fastpath.list_argv`), without loading Typer (about 50 ms of a ~100 ms start-up), so the
output is the same on both paths (tests/test_cli_fastpath.py compares them).
"""

from __future__ import annotations

import os
import sys
from operator import itemgetter
from pathlib import Path

from lerwallet.cli import output
from lerwallet.cli.passphrase import open_wallet
from lerwallet.errors import EXIT_INVALID


_KEPT: list = []


def run_list(ctx, passphrase_file: Path | None, json_out: bool, *, did: str | None, filters, show_all: bool,
             sort: str | None = None, reverse: bool = False) -> int:
    """List the wallet's credentials (see `lerwallet list --help`); returns the exit code.
    `ctx` is the Typer context (None on the fast path: the home is LERWALLET_HOME or the default);
    `filters` None: no filter word was given (the fast path; `lerwallet.present` is not loaded)."""
    from lerwallet.store import credentials

    plain = did is None and not (filters is not None and filters.active) and not (sort or reverse)
    with open_wallet(ctx, passphrase_file) as wallet:
        fast = credentials.fast_listing(wallet, show_all=show_all) if plain else None
        if fast is None:
            records = credentials.list_credentials(wallet)
            if not show_all:
                from lerwallet.record import is_superseded

                records = [r for r in records if not is_superseded(r)]
            held = len(records)
            if did is not None:
                from lerwallet import identity

                records = identity.credentials_of(identity.find(wallet, did), records)
            if filters is not None:
                from lerwallet.present.select import filter_records

                records = filter_records(records, filters)
            if sort or reverse:  # else the order is list_credentials' own: sort_records(None) gives the same
                from lerwallet.present.select import sort_records

                records = sort_records(records, sort, reverse)
    if fast is not None:  # nothing damaged, nothing filtered: the compact listing rows as they are stored
        _KEPT.append(fast)
        if json_out:
            _write_utf8(b"[\n  " + b",\n  ".join(fast.texts) + b"\n]\n" if fast.ids else b"[]\n")
        elif not fast.ids:
            output.info("No credentials yet. Import one with: lerwallet import FILE")
        else:
            _print_listing(*fast.table())
        return 0
    _KEPT.append(records)  # freed by the end of the process, not here (see cli.main's fast path)
    damaged = [r for r in records if r.status == credentials.STATUS_DAMAGED]
    if json_out:
        print_json_array([r.listing() for r in records])
    elif not records and held and ((filters is not None and filters.active) or did is not None):
        words = " ".join(x for x in (f"--did {did}" if did is not None else "", filters.describe() if filters is not None else "") if x)
        output.info(output.safe_text(f"no credential matches {words} (the wallet holds {held}; "
                                     "see them all with: lerwallet list)"))
    elif not records:
        output.info("No credentials yet. Import one with: lerwallet import FILE")
    else:
        rows = [r.listing() for r in records]
        _print_listing([r.id for r in records], {c: [row[c] for row in rows] for c in _COLUMNS})
    for r in damaged:
        output.warn(f"credential {r.id} failed its integrity check (damaged or tampered)")
    return EXIT_INVALID if damaged else 0


# The `CredentialRecord.listing` values the table is made from (the store's LISTING_COLUMNS).
_COLUMNS = ("title", "issuer", "kind", "issued", "valid_until", "status", "self_attested", "superseded_by", "clr")
_CAPS = {"TITLE": 48, "ISSUER": 32, "KIND": 28, "WHY": 72}


def _print_listing(ids: list[str], values: dict[str, list], order: list[int] | None = None) -> None:
    """The `lerwallet list` table from column lists (one value per credential, in the order of
    `ids`), printed in that order or, given `order`, in that one (every row shown, only the
    lines reordered: one list instead of every column): every step a C loop or a list
    comprehension, not a function call per cell, since 10,000 rows are the case to be fast for.
    Cells as `clip` makes them."""
    cut = _prefix_length(ids)
    clr = values["clr"]
    listed = set(ids) if any(clr) else set()
    superseded = values["superseded_by"]
    status = values["status"]
    if any(superseded):
        status = [f"{s}, superseded" if by else s for s, by in zip(status, superseded)]
    issuer = values["issuer"]
    if any(values["self_attested"]):
        issuer = ["self-attested" if mine else who for who, mine in zip(issuer, values["self_attested"])]
    columns = [
        ("ID", list(map(itemgetter(slice(cut)), ids))),
        ("TITLE", values["title"]),
        ("ISSUER", issuer),
        ("KIND", values["kind"]),
        ("ISSUED", [d[:10] for d in values["issued"]]),
        ("EXPIRES", [d[:10] for d in values["valid_until"]]),
        ("STATUS", status),
        ("IN CLR", [(c[:cut] if c in listed else c[:10]) if c else c for c in clr] if any(clr) else clr),
    ]
    # An all-empty column (say, nothing expires) only takes room from the titles.
    columns = [(h, cells) for h, cells in columns if h in ("ID", "TITLE") or any(cells)]
    headers = [h for h, _ in columns]
    cells, widths = [], []
    for h, values in columns:
        clipped, longest = _clip_all(values, _CAPS.get(h, 40))
        cells.append(clipped)
        widths.append(max(len(h), longest))
    form = "  ".join(f"{{:<{w}}}" for w in widths)
    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    bold, red, reset = ("\x1b[1m", "\x1b[31m", "\x1b[0m") if color else ("", "", "")
    lines = list(map(str.rstrip, map(form.format, *cells)))
    if color and "STATUS" in headers:
        marks = cells[headers.index("STATUS")]
        lines = [red + line + reset if mark in ("damaged", "invalid") else line for line, mark in zip(lines, marks)]
    if order is not None:
        lines = list(map(lines.__getitem__, order))
    sys.stdout.write(bold + form.format(*headers).rstrip() + reset + "\n" + "\n".join(lines) + ("\n" if lines else ""))
    sys.stdout.flush()


def _clip_all(cells: list, width: int) -> tuple[list[str], int]:
    """(`[clip(c, width) for c in cells]`, the longest's length), checked in C first: text that
    is printable (so `safe_text` keeps it), has no runs of spaces or spaces at either end (so the
    split and join keep it) and fits is kept as it is; what only needs shortening is shortened."""
    try:
        printable = "".join(cells).isprintable()
    except TypeError:  # a value that is not text
        printable = False
    flat = "\n".join(cells) if printable else ""  # no cell holds a newline: it is not printable
    if not printable or "  " in flat or " \n" in flat or "\n " in flat or flat.startswith(" ") or flat.endswith(" "):
        cells = [clip(c, width) for c in cells]
        return cells, max(map(len, cells), default=0)
    longest = max(map(len, cells), default=0)
    if longest <= width:
        return cells, longest
    cells = [c if len(c) <= width else c[: width - 1] + "\u2026" for c in cells]
    return cells, max(map(len, cells), default=0)


def _write_utf8(data: bytes) -> None:
    """UTF-8 bytes to stdout: straight to its buffer when it encodes UTF-8 anyway (no 2.7 MB
    decoded and encoded again for 10,000 rows), else through it as text, as `print` would."""
    out = sys.stdout
    buffer = getattr(out, "buffer", None)
    if buffer is not None and (getattr(out, "encoding", "") or "").lower().replace("-", "").replace("_", "") == "utf8":
        out.flush()
        buffer.write(data)
        buffer.flush()
    else:
        out.write(data.decode("utf-8"))
        out.flush()


def short_ids(ids: list[str], minimum: int = 10) -> dict[str, str]:
    """The shortest prefix (at least `minimum`) that tells every id apart, like git."""
    cut = itemgetter(slice(_prefix_length(ids, minimum)))
    return dict(zip(ids, map(cut, ids)))


def _prefix_length(ids: list[str], minimum: int = 10) -> int:
    length = minimum
    while length < 64 and len(set(map(itemgetter(slice(length)), ids))) < len(ids):
        length += 2
    return length


def print_json_array(items: list[dict]) -> None:
    """A JSON array, one object per line: the C encoder (no indent) keeps 10,000 rows fast."""
    if not items:
        sys.stdout.write("[]\n")
    else:
        body = ",\n".join("  " + text for text in _encoded(items))
        sys.stdout.write("[\n" + body + "\n]\n")
    sys.stdout.flush()


def clip(text: str, width: int) -> str:
    text = " ".join(output.safe_text(text).split())  # no control characters or newlines from credential data
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    """A plain aligned table (like `git branch -v`). Rich tables take seconds for 10,000 rows;
    this takes milliseconds. Long titles and issuers are clipped with an ellipsis."""
    caps = {"TITLE": 48, "ISSUER": 32, "KIND": 28, "WHY": 72}
    rows = [[clip(cell, caps.get(h, 40)) for h, cell in zip(headers, row)] for row in rows]
    widths = [max([len(h)] + [len(row[i]) for row in rows]) for i, h in enumerate(headers)]
    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    bold, red, reset = ("\x1b[1m", "\x1b[31m", "\x1b[0m") if color else ("", "", "")

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    out = [bold + line(headers) + reset]
    status = headers.index("STATUS") if "STATUS" in headers else -1
    for row in rows:
        text = line(row)
        out.append(red + text + reset if row[status] in ("damaged", "invalid") else text)
    sys.stdout.write("\n".join(out) + "\n")
    sys.stdout.flush()


def _encoded(items: list[dict]):
    """Each item as `json.dumps(item, ensure_ascii=False)` writes it. json.dumps with options
    builds a new encoder for every call (half the cost of 10,000 rows): one C encoder serves all."""
    import json
    from json import encoder

    make, escape = getattr(encoder, "c_make_encoder", None), getattr(encoder, "c_encode_basestring", None)
    if make is None or escape is None:  # a Python without the C accelerator
        encode = json.JSONEncoder(ensure_ascii=False).encode
        return (encode(item) for item in items)
    # (markers, default, encoder, indent, key_separator, item_separator, sort_keys, skipkeys, allow_nan)
    chunks = make(None, None, escape, None, ": ", ", ", False, False, True)
    return ("".join(chunks(item, 0)) for item in items)
