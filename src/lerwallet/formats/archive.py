"""`.zip` archives (platform exports): every member read as if it were a file in a folder.

A zip is recognised by its content (the local-header or empty-archive signature), never by
its name. Nothing in it is trusted: member names that could escape a folder (absolute paths,
`..`, backslashes, drive letters, control characters) are refused, encrypted members are
refused, and three caps bound the work (docs/wallet.md, "Zip archives"):

- `MAX_ZIP_MEMBERS` entries, counted from the end-of-central-directory record before the
  central directory is parsed;
- `MAX_ZIP_TOTAL` bytes uncompressed for the whole archive, nested archives included;
- `MAX_ZIP_RATIO` uncompressed/compressed for a member larger than `RATIO_FLOOR` (zip bombs).

The declared sizes are checked first, and the bytes actually inflated are bounded too (a
header may lie): at most one byte past the member's cap is ever read. A zip inside a zip is
read (one level); a zip inside that is refused. Members are named `archive.zip!path/in.json`.
"""

from __future__ import annotations

import io
import re
import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from lerwallet.formats import limits
from lerwallet.formats.errors import FormatError

if TYPE_CHECKING:
    import zipfile

MAGIC = limits.ZIP_MAGIC  # a local file header, or an empty archive
SEPARATOR = "!"
MAX_ZIP_BYTES = limits.MAX_ZIP_BYTES  # the archive file itself (exports carry baked images)
MAX_ZIP_MEMBERS = 10_000  # entries in one archive (as many as files reached through folders)
MAX_ZIP_TOTAL = 256 * 1024 * 1024  # uncompressed bytes of one archive, nested ones included
MAX_ZIP_RATIO = 100  # uncompressed / compressed, for one member larger than RATIO_FLOOR
RATIO_FLOOR = 64 * 1024  # below this a high ratio costs nothing (a short JSON of spaces)
MAX_NESTING = 1  # a zip inside a zip is read; one inside that is refused

_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


is_zip = limits.is_zip


@dataclass
class Member:
    """One member: its bytes, or why it is refused."""

    name: str  # archive!path
    data: bytes | None = None
    error: FormatError | None = None


def unsafe_name(name: str) -> str | None:
    """Why a member name is refused, or None. Checked on the raw name, before any use."""
    if _CONTROL.search(name):
        return "a control character in its name"
    if "\\" in name:
        return "a backslash in its name"
    if name.startswith("/"):
        return "an absolute path"
    if _DRIVE.match(name):
        return "a drive letter"
    if any(part == ".." for part in name.split("/")):
        return "'..' in its path"
    return None


def _entry_count(data: bytes) -> int:
    """Entries the end-of-central-directory record declares (zip64 too); FormatError if none."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65535))
    if at < 0 or len(data) < at + 22:
        raise FormatError("not a readable zip archive (no end of central directory)", code="bad-zip")
    count = struct.unpack_from("<H", data, at + 10)[0]
    locator = at - 20
    if count == 0xFFFF and locator >= 0 and data[locator:locator + 4] == b"PK\x06\x07":
        offset = struct.unpack_from("<Q", data, locator + 8)[0]
        if offset + 40 <= len(data) and data[offset:offset + 4] == b"PK\x06\x06":
            count = struct.unpack_from("<Q", data, offset + 32)[0]
    return count


class _Budget:
    def __init__(self) -> None:
        self.left = MAX_ZIP_TOTAL


def members(data: bytes, name: str, *, depth: int = 0, budget: _Budget | None = None) -> Iterator[Member]:
    """Every file member of the archive `data` (named `name`), in archive order; a member that
    is itself a zip is expanded in place (one level). Raises FormatError for a problem of the
    whole archive (not a zip, too many members, too large in total); a refused member is a
    Member with its error (the caller refuses the archive or reports that member)."""
    import zipfile  # here, not at the top: zipfile loads bz2, lzma and shutil, and most inputs are not zips

    budget = budget or _Budget()
    if _entry_count(data) > MAX_ZIP_MEMBERS:
        raise FormatError(f"the zip archive holds more than {MAX_ZIP_MEMBERS} members", code="zip-too-many")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, NotImplementedError, EOFError) as exc:
        raise FormatError(f"not a readable zip archive ({exc})", code="bad-zip") from None
    if len(infos) > MAX_ZIP_MEMBERS:
        raise FormatError(f"the zip archive holds more than {MAX_ZIP_MEMBERS} members", code="zip-too-many")
    declared = sum(max(info.file_size, 0) for info in infos)
    if declared > budget.left:
        raise FormatError(f"the zip archive declares more than {MAX_ZIP_TOTAL // (1024 * 1024)} MiB uncompressed",
                          code="zip-too-large")
    for info in infos:
        raw = info.filename
        shown = f"{name}{SEPARATOR}{raw}"
        why = unsafe_name(info.orig_filename) or unsafe_name(raw)
        if why is not None:
            yield Member(shown, error=FormatError(f"member refused: {why} (a name that could escape the folder)",
                                                  code="zip-unsafe-name"))
            continue
        if info.is_dir() or any(part.startswith(".") for part in raw.split("/") if part):
            continue  # folders, and hidden files as in a folder (macOS ._ files)
        if info.flag_bits & 0x1:
            yield Member(shown, error=FormatError("member refused: it is encrypted (lerwallet reads no encrypted "
                                                  "archive; extract it yourself)", code="zip-encrypted"))
            continue
        if info.file_size > limits.MAX_INPUT_BYTES:
            yield Member(shown, error=FormatError(
                f"member refused: larger than {limits.MAX_INPUT_BYTES // (1024 * 1024)} MiB", code="too-large"))
            continue
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            yield Member(shown, error=FormatError(
                f"member refused: compressed more than {MAX_ZIP_RATIO} to 1 (a zip bomb?)", code="zip-bomb"))
            continue
        try:
            body = _read_bounded(archive, info, budget)
        except FormatError as exc:
            yield Member(shown, error=exc)
            continue
        if is_zip(body):
            if depth >= MAX_NESTING:
                yield Member(shown, error=FormatError(
                    f"member refused: a zip nested more than {MAX_NESTING} level deep", code="zip-nested"))
                continue
            try:
                yield from members(body, shown, depth=depth + 1, budget=budget)
            except FormatError as exc:
                yield Member(shown, error=exc)
            continue
        yield Member(shown, data=body)


def _read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> bytes:
    """The member's bytes, never more than its declared size, the per-member cap or the budget
    left: one byte more than allowed is read and then refused (headers can lie)."""
    import zipfile

    allowed = min(info.file_size, limits.MAX_INPUT_BYTES, budget.left)
    out = bytearray()
    try:
        with archive.open(info) as handle:
            while len(out) <= allowed:
                chunk = handle.read(min(64 * 1024, allowed + 1 - len(out)))
                if not chunk:
                    break
                out += chunk
                # the ratio is checked on the bytes actually inflated, too
                if len(out) > RATIO_FLOOR and len(out) > MAX_ZIP_RATIO * max(info.compress_size, 1):
                    raise FormatError(f"member refused: compressed more than {MAX_ZIP_RATIO} to 1 (a zip bomb?)",
                                      code="zip-bomb")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, NotImplementedError, EOFError, OSError) as exc:
        raise FormatError(f"member unreadable: {exc}", code="bad-zip") from None
    except RuntimeError as exc:  # zipfile raises this for encryption it was not told about
        raise FormatError(f"member unreadable: {exc}", code="zip-encrypted") from None
    if len(out) > allowed:
        if allowed == budget.left and allowed < info.file_size:
            raise FormatError("the zip archive holds more than "
                              f"{MAX_ZIP_TOTAL // (1024 * 1024)} MiB uncompressed", code="zip-too-large")
        raise FormatError("member refused: it holds more bytes than its header declares", code="zip-size-lie")
    budget.left -= len(out)
    return bytes(out)
