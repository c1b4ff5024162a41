"""Input detection and parsing: bytes in, `Envelope`s out, format chosen from content.

Every decoder is one module exposing `NAME`, `sniff(data) -> bool` and
`decode(data, source) -> list[Envelope]`; `DECODERS` lists them in the order they are tried.
A new format (say, QR payload text) is one new module added to that list. Nothing here checks
a signature: what comes out is `unverified` until the verify pipeline says otherwise.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lerwallet.formats import limits
from lerwallet.formats.errors import FormatError


@dataclass
class Envelope:
    """One credential or presentation found in the input, exactly as received."""

    source: str  # file name, "-" for stdin, plus a locator for nested items
    container: str  # how it arrived: json, jwt, sd-jwt, png, svg
    kind: str = "credential"  # credential | presentation
    securing: str = "ldp"  # ldp (embedded proof or none) | jwt | sd-jwt | ob2
    unverified: dict | None = None  # the document as read; nothing checked yet
    token: str | None = None  # the compact serialization for jwt / sd-jwt, verbatim
    error: FormatError | None = None  # set when the input could not be read
    notes: list[str] = field(default_factory=list)
    raw: bytes | None = None  # the JSON bytes exactly as read, for a whole-input JSON document
    qr_parts: list | None = None  # scanned parts of a QR series, until read_inputs assembles them


def _decoders() -> list[Any]:
    from lerwallet.formats import json_doc, jwt, png, qr, sdjwt, svg

    return [png, svg, qr, json_doc, sdjwt, jwt]


def decode_bytes(data: bytes, source: str, *, container: str | None = None) -> list[Envelope]:
    """Detect the format of `data` and decode it; an unreadable input yields one error Envelope."""
    if len(data) > limits.MAX_INPUT_BYTES:
        return [_failed(source, f"input is larger than {limits.MAX_INPUT_BYTES // (1024 * 1024)} MiB", "too-large")]
    for decoder in _decoders():
        try:
            if not decoder.sniff(data):
                continue
            found = decoder.decode(data, source)
        except FormatError as exc:
            return [Envelope(source=source, container=container or decoder.NAME, error=exc)]
        except (ValueError, UnicodeError, RecursionError) as exc:  # defensive: never a traceback
            return [_failed(source, f"cannot read {decoder.NAME} input: {type(exc).__name__}", "unreadable")]
        if container:
            for env in found:
                env.container = container
        return found
    return [_failed(source, "not a credential, presentation, JWT, SD-JWT or baked badge", "unknown-format")]


def _failed(source: str, message: str, code: str) -> Envelope:
    return Envelope(source=source, container="unknown", error=FormatError(message, code=code))


# In a folder, files that hold no credential at all (a README, a plain photo, a package.json)
# are skipped, as `import` skips them; named explicitly, the same file is unreadable.
SKIPPED_IN_FOLDERS = {"unknown-format", "not-baked", "not-a-credential", "no-qr", "qr-not-lerwallet"}
_FOLDER_SUFFIXES = {".json", ".jsonld", ".jwt", ".sd-jwt", ".sdjwt", ".vc", ".vp", ".txt", ".png", ".svg", ".jpg", ".jpeg", ""}


def read_inputs(args: list[str], *, stdin: Any = None, recursive: bool = False) -> list[Envelope]:
    """Read every named file, folder (sorted; its top level only unless `recursive`, as for
    `import`; hidden files skipped) or `-` (stdin), in the order given. PNG and SVG images that
    are not baked badges are scanned for QR codes; the parts of a QR series, wherever they came
    from, are reassembled into the presentation they carry (`formats.qr`)."""
    out: list[Envelope] = []
    for arg in args:
        if arg == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read(limits.MAX_INPUT_BYTES + 1)
            out.extend(_or_qr(decode_bytes(data, "-"), data, "-"))
            continue
        path = Path(arg)
        if path.is_dir():
            files = sorted(
                p for p in (path.rglob("*") if recursive else path.iterdir())
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and p.suffix.lower() in _FOLDER_SUFFIXES
            )
            if len(files) > limits.MAX_INPUTS:
                out.append(_failed(arg, f"folder holds more than {limits.MAX_INPUTS} files", "too-many"))
                continue
            for file in files:
                found = _read_file(file)
                if len(found) == 1 and found[0].error is not None and found[0].error.code in SKIPPED_IN_FOLDERS:
                    continue
                out.extend(found)
            continue
        out.extend(_read_file(path))
    if any(env.qr_parts for env in out):
        from lerwallet.formats import qr

        out = qr.assemble_envelopes(out)
    return out


def _or_qr(found: list[Envelope], data: bytes, source: str) -> list[Envelope]:
    """A PNG or SVG image that is not a baked badge may be a QR code: scan it."""
    if len(found) != 1 or found[0].error is None or found[0].error.code != "not-baked":
        return found
    from lerwallet.formats import qr

    try:
        return qr.from_image(data, source)
    except FormatError as exc:
        if exc.code in ("no-qr", "svg-unsupported"):
            kind = "PNG" if found[0].container == "png" else "SVG"
            why = "" if exc.code == "no-qr" else f" ({exc.message})"
            exc = FormatError(f"{kind} image without a baked Open Badges credential or a QR code{why}", code="not-baked")
        return [Envelope(source=source, container="qr", error=exc)]


def _read_file(path: Path) -> list[Envelope]:
    too_big = [_failed(str(path), f"file is larger than {limits.MAX_INPUT_BYTES // (1024 * 1024)} MiB", "too-large")]
    try:
        if os.path.getsize(path) > limits.MAX_INPUT_BYTES:
            return too_big
        # Read at most one byte past the cap: devices, FIFOs and process substitution
        # (/dev/zero, <(cmd)) report size 0 and would otherwise be read without limit.
        with open(path, "rb") as handle:
            data = handle.read(limits.MAX_INPUT_BYTES + 1)
        if len(data) > limits.MAX_INPUT_BYTES:
            return too_big
    except FileNotFoundError:
        return [_failed(str(path), "no such file or folder", "not-found")]
    except OSError as exc:
        return [_failed(str(path), f"cannot read: {exc.strerror or exc}", "unreadable")]
    return _or_qr(decode_bytes(data, str(path)), data, str(path))


__all__ = ["Envelope", "FormatError", "decode_bytes", "read_inputs", "limits"]
