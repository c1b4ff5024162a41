"""Input detection and parsing: bytes in, `Envelope`s out, format chosen from content.

Every decoder is one module exposing `NAME`, `sniff(data) -> bool` and
`decode(data, source) -> list[Envelope]`; `DECODERS` lists them in the order they are tried.
A new format (say, QR payload text) is one new module added to that list. Nothing here checks
a signature: what comes out is `unverified` until the verify pipeline says otherwise.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Iterator

from lerwallet.formats import limits
from lerwallet.formats.errors import FormatError
from lerwallet.structs import Struct


class Envelope(Struct):
    """One credential or presentation found in the input, exactly as received."""

    FIELDS = ("source", "container", "kind", "securing", "unverified", "token", "error", "notes", "raw", "qr_parts")

    def __init__(self, source: str, container: str, kind: str = "credential", securing: str = "ldp",
                 unverified: dict | None = None, token: str | None = None, error: FormatError | None = None,
                 notes: list[str] | None = None, raw: bytes | None = None, qr_parts: list | None = None) -> None:
        self.source = source  # file name, "-" for stdin, plus a locator for nested items
        self.container = container  # how it arrived: json, jwt, sd-jwt, png, svg
        self.kind = kind  # credential | presentation
        self.securing = securing  # ldp (embedded proof or none) | jwt | sd-jwt | ob2
        self.unverified = unverified  # the document as read; nothing checked yet
        self.token = token  # the compact serialization for jwt / sd-jwt, verbatim
        self.error = error  # set when the input could not be read
        self.notes = [] if notes is None else notes
        self.raw = raw  # the JSON bytes exactly as read, for a whole-input JSON document
        self.qr_parts = qr_parts  # scanned parts of a QR series, until read_inputs assembles them


_DECODERS: list[Any] = []


def _decoders() -> list[Any]:
    if not _DECODERS:
        from lerwallet.formats import json_doc, jwt, png, qr, sdjwt, svg

        _DECODERS[:] = [png, svg, qr, json_doc, sdjwt, jwt]
    return _DECODERS


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
# are skipped, by `verify` and `import` alike, with the reason; named explicitly, the same file
# is unreadable. No file name decides what is read: every file in a folder is detected by its
# content, as a file named on the command line is (docs/wallet.md, "What it reads").
SKIPPED_IN_FOLDERS = {"unknown-format", "not-baked", "not-a-credential", "no-qr", "qr-not-lerwallet", "no-signature",
                      "symlink", "not-a-file"}
SNIFF_BYTES = 4096  # the head of a file over the size cap that is read to tell what it is


class Input(Struct):
    """One input as read from the command line: its bytes, or why it could not be read."""

    FIELDS = ("name", "data", "error", "in_folder", "archive")

    def __init__(self, name: str, data: bytes | None = None, error: FormatError | None = None, in_folder: bool = False,
                 archive: str | None = None) -> None:
        self.name = name  # the argument, or the file's path inside a named folder; "-" for stdin
        self.data = data
        self.error = error  # codes: not-found, not-a-file, unreadable, too-large, too-many, empty-folder
        self.in_folder = in_folder  # found in a named folder (files holding no credential are then skipped)
        self.archive = archive  # for a zip member: the archive's name (its members are one input to import)

    @property
    def skipped(self) -> bool:
        """Found in a folder and not read, for a reason that is no error (`error.message` says it)."""
        return self.in_folder and self.error is not None and self.error.code in SKIPPED_IN_FOLDERS


def looks_like_input(head: bytes) -> bool:
    """Whether the first bytes of a file carry a signature of something lerwallet reads: JSON,
    a JWT / SD-JWT, PNG, JPEG (QR codes), SVG/XML, ZIP, or a QR payload's text."""
    text = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    stripped = text.lstrip()
    return (stripped[:1] in (b"{", b"[") or stripped.startswith(b"ey") or limits.is_zip(head)
            or any(decoder.sniff(head) for decoder in _decoders() if decoder.NAME in ("png", "svg", "qr")))


def walk_inputs(args: list[str], *, stdin: Any = None, recursive: bool = False) -> Iterator[Input]:
    """Every input in the order given: named files, folders (sorted; their top level only unless
    `recursive`) and `-` (stdin). The one walker behind `verify` and `import`.

    In a folder every regular file is read whatever its name; hidden files and folders (a name
    starting with ".") are not looked at; a symbolic link is not followed (skipped, with the
    reason: name it to read it); a file over the size cap is refused when its first bytes look
    like something lerwallet reads, and skipped when they do not (a video in a downloads folder)."""
    for arg in args:
        if arg == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _expand(Input("-", stream.read(limits.MAX_INPUT_BYTES + 1)))
            continue
        path = Path(arg)
        if path.is_dir():
            files = _folder_files(path, recursive)
            if len(files) > limits.MAX_INPUTS:
                yield Input(arg, error=FormatError(f"folder holds more than {limits.MAX_INPUTS} files", code="too-many"))
            elif not files:
                yield Input(arg, error=FormatError("the folder holds no credential files"
                                                   + ("" if recursive else " (subfolders need --recursive)"), code="empty-folder"))
            for file in files if len(files) <= limits.MAX_INPUTS else []:
                yield from _expand(_read_folder_file(file))
            continue
        yield from _expand(_read_file(path, name=arg))


def _folder_files(root: Path, recursive: bool) -> list[Path]:
    """The entries of a folder to read, sorted: not hidden; subfolders (never through a
    symbolic link) only when `recursive`. Stops counting past the MAX_INPUTS cap."""
    out: list[Path] = []
    pending = [root]
    while pending and len(out) <= limits.MAX_INPUTS:
        folder = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                if recursive:
                    pending.append(Path(entry.path))
                continue
            out.append(Path(entry.path))
    return sorted(out)


def _read_folder_file(path: Path) -> Input:
    """A file found in a folder: its bytes, or why it is skipped (not an error) or refused."""
    name = str(path)
    try:
        if path.is_symlink():
            raise FormatError("a symbolic link: not followed inside a folder (name it to read it)", code="symlink")
        return Input(name, read_regular_file(path), in_folder=True)
    except FormatError as exc:
        if exc.code == "too-large" and not _head_looks_readable(path):
            exc = FormatError("not a credential: no JSON, JWT, PNG, SVG or ZIP signature (and larger than the cap)",
                              code="no-signature")
        return Input(name, error=exc, in_folder=True)


def _head_looks_readable(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return looks_like_input(handle.read(SNIFF_BYTES))
    except OSError:
        return True  # cannot tell: keep the refusal


def _expand(item: Input) -> Iterator[Input]:
    """A zip archive (detected by content) becomes its members, each read as a file in a folder
    (`formats.archive`); anything else is itself. A problem of the whole archive is one error."""
    if item.data is None or not limits.is_zip(item.data):
        if item.data is not None and len(item.data) > limits.MAX_INPUT_BYTES:
            yield Input(item.name, error=_too_big(), in_folder=item.in_folder)
            return
        yield item
        return
    from lerwallet.formats import archive

    found = False
    try:
        for member in archive.members(item.data, item.name):
            found = True
            yield Input(member.name, member.data, member.error, in_folder=True, archive=item.name)
    except FormatError as exc:
        yield Input(item.name, error=exc, in_folder=item.in_folder, archive=item.name)
        return
    if not found:
        yield Input(item.name, error=FormatError("the zip archive holds no files", code="zip-empty"),
                    in_folder=item.in_folder, archive=item.name)


def _too_big() -> FormatError:
    return FormatError(f"file is larger than {limits.MAX_INPUT_BYTES // (1024 * 1024)} MiB", code="too-large")


def _read_file(path: Path, *, name: str | None = None, in_folder: bool = False) -> Input:
    name = str(path) if name is None else name
    try:
        return Input(name, read_regular_file(path), in_folder=in_folder)
    except FormatError as exc:
        return Input(name, error=exc, in_folder=in_folder)


def read_regular_file(path: Path | str) -> bytes:
    """The bytes of a regular file, at most `limits.MAX_INPUT_BYTES`; FormatError otherwise.

    Anything but a regular file is refused before it is opened (`not-a-file`): opening a FIFO
    blocks until some writer comes (forever, for a `mkfifo` nobody writes to), and devices
    (`/dev/zero`) never end. Piped data goes through stdin (`-`). The file is opened
    non-blocking and checked again, so one swapped for a FIFO after the first look cannot block.
    A zip archive (by its first bytes) may be larger: up to `limits.MAX_ZIP_BYTES`."""
    import stat

    too_big = _too_big()
    not_regular = FormatError("not a regular file (a FIFO, device or socket); pipe its data to stdin with -",
                              code="not-a-file")
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise not_regular
        with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise not_regular
            head = handle.read(4)
            cap = limits.MAX_ZIP_BYTES if limits.is_zip(head) else limits.MAX_INPUT_BYTES
            if info.st_size > cap:
                raise too_big if cap == limits.MAX_INPUT_BYTES else FormatError(
                    f"zip archive is larger than {cap // (1024 * 1024)} MiB", code="too-large")
            chunks, size = [head], len(head)
            while size <= cap:  # one byte past the cap (it may grow), never a cap-sized buffer up front
                chunk = handle.read(min(1024 * 1024, cap + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            data = b"".join(chunks)
    except FileNotFoundError:
        raise FormatError("no such file or folder", code="not-found") from None
    except OSError as exc:
        raise FormatError(f"cannot read: {exc.strerror or exc}", code="unreadable") from None
    if len(data) > (limits.MAX_ZIP_BYTES if limits.is_zip(data) else limits.MAX_INPUT_BYTES):
        raise too_big
    return data


def read_inputs(args: list[str], *, stdin: Any = None, recursive: bool = False) -> list[Envelope]:
    """`walk_inputs`, decoded: every credential or presentation found, in order; an unreadable
    input is one error Envelope, an empty folder none (the caller says nothing was found). PNG
    and SVG images that are not baked badges are scanned for QR codes; the parts of a QR series,
    wherever they came from, are reassembled into the presentation they carry (`formats.qr`)."""
    out: list[Envelope] = []
    archives: dict[str, bool] = {}  # zip archive -> anything reported from it
    for item in walk_inputs(args, stdin=stdin, recursive=recursive):
        if item.archive is not None:
            archives.setdefault(item.archive, False)
        if item.error is not None:
            if item.skipped:
                continue
            if item.error.code != "empty-folder":
                out.append(Envelope(source=item.name, container="unknown", error=item.error))
                if item.archive is not None:
                    archives[item.archive] = True
            continue
        found = _or_qr(decode_bytes(item.data, item.name), item.data, item.name)
        if item.in_folder and len(found) == 1 and found[0].error is not None and found[0].error.code in SKIPPED_IN_FOLDERS:
            continue
        if item.archive is not None:
            archives[item.archive] = True
        out.extend(found)
    for name, reported in archives.items():
        if not reported:
            out.append(_failed(name, "the zip archive holds no credential", "zip-no-credential"))
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


__all__ = ["Envelope", "FormatError", "Input", "decode_bytes", "read_inputs", "read_regular_file", "walk_inputs", "limits"]
