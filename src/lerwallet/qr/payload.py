"""The lerwallet QR payload, version 1 (spec: docs/qr-format.md).

A presentation (its bytes exactly as written to a file: JSON, or a compact JWT / SD-JWT) is
compressed with zlib (RFC 1950) and carried in one QR code or in a numbered series of them:

    whole  = "LW1" [ "B" ] ":" DATA
    part   = "LW1" [ "B" ] "-" INDEX "-" COUNT "-" SETID "-" DIGEST ":" DATA

Without `B` the DATA is base45 (RFC 9285), so the whole code is one QR alphanumeric segment;
with `B` it is the raw bytes, one QR byte-mode segment. The writer takes whichever gives the
smaller code (fewer parts, then a lower QR version; a tie goes to base45, which phones show as
text). A part's DATA is one slice of the compressed payload; DIGEST is the first 16 bytes of its
SHA-256 in upper-case hex, SETID 8 random characters naming the series, so a reader can tell a
missing, duplicated or foreign part. Nothing here renders or scans an image (`qr.render` and
`formats.qr` do); this module is pure and cheap to import.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import zlib
from dataclasses import dataclass, field

from lerwallet.qr import base45

MAGIC = b"LW"
VERSION = b"1"
SETID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SETID_LENGTH = 8
DIGEST_BYTES = 16

DEFAULT_MAX_PARTS = 8
MAX_PARTS = 64  # a reader refuses a series announcing more parts (the format's cap)
MAX_DECOMPRESSED = 4 * 1024 * 1024  # zip-bomb cap: a reader never inflates past this
MAX_VERSION = 40
MAX_CODE_CHARS = 4296  # the most a QR code holds (version 40-L, alphanumeric); a longer line is not a scan
ECC_LEVELS = ("L", "M", "Q", "H")
MODES = ("alphanumeric", "byte")

# Data bits per QR version (1..40) and error-correction level, from ISO/IEC 18004 table 7
# as tabulated by the `qrcode` package; filled on first use so importing this module is free.
_BITS: dict[str, list[int]] = {}


class QrError(Exception):
    """A QR payload that cannot be read, or a presentation that cannot be made into QR codes.

    `code` is stable: not-lerwallet, unsupported-version, bad-header, bad-data, bad-deflate,
    too-large, missing-part, duplicate-part, foreign-part, digest-mismatch, too-many-parts.
    """

    def __init__(self, message: str, *, code: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.hint = hint


@dataclass(frozen=True)
class Part:
    """One scanned code, parsed; `data` is this code's slice of the compressed payload."""

    mode: str  # alphanumeric | byte
    data: bytes
    index: int = 1
    count: int = 1
    set_id: str = ""
    digest: str = ""
    source: str = ""  # where it was read, for messages

    @property
    def whole(self) -> bool:
        return self.count == 1


@dataclass
class Code:
    """One QR code to draw: its content and the symbol it needs."""

    content: bytes  # ASCII for alphanumeric mode, raw for byte mode
    mode: str
    version: int
    index: int
    count: int


@dataclass
class Encoded:
    """A presentation as QR codes, with the figures the learner is told."""

    codes: list[Code]
    ecc: str
    mode: str
    plain_bytes: int
    compressed_bytes: int
    set_id: str = ""
    digest: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def parts(self) -> int:
        return len(self.codes)

    @property
    def max_version(self) -> int:
        return max(c.version for c in self.codes)

    def text(self) -> str:
        """The series as text, one code per line (alphanumeric mode only)."""
        if self.mode != "alphanumeric":
            raise ValueError("only a base45 (alphanumeric) series has a text form")
        return "".join(c.content.decode("ascii") + "\n" for c in self.codes)


# -- writing ------------------------------------------------------------------------------------

def _bit_limits(ecc: str) -> list[int]:
    if ecc not in _BITS:
        from qrcode import constants, util

        level = {"L": constants.ERROR_CORRECT_L, "M": constants.ERROR_CORRECT_M,
                 "Q": constants.ERROR_CORRECT_Q, "H": constants.ERROR_CORRECT_H}[ecc]
        _BITS[ecc] = list(util.BIT_LIMIT_TABLE[level])
    return _BITS[ecc]


def segment_bits(mode: str, length: int, version: int) -> int:
    """Bits of one QR segment of `length` characters (alphanumeric) or bytes (byte mode)."""
    if mode == "alphanumeric":
        count_bits = 9 if version < 10 else 11 if version < 27 else 13
        return 4 + count_bits + 11 * (length // 2) + 6 * (length % 2)
    count_bits = 8 if version < 10 else 16
    return 4 + count_bits + 8 * length


def smallest_version(mode: str, length: int, ecc: str, max_version: int = MAX_VERSION) -> int | None:
    """The smallest QR version holding one segment of `length`, or None when none up to max."""
    limits = _bit_limits(ecc)
    for version in range(1, max_version + 1):
        if segment_bits(mode, length, version) <= limits[version]:
            return version
    return None


def _header(mode: str, index: int, count: int, set_id: str, digest: str) -> bytes:
    flag = b"B" if mode == "byte" else b""
    if count == 1:
        return MAGIC + VERSION + flag + b":"
    return MAGIC + VERSION + flag + f"-{index}-{count}-{set_id}-{digest}:".encode("ascii")


def _content(mode: str, header: bytes, chunk: bytes) -> bytes:
    return header + (base45.encode(chunk).encode("ascii") if mode == "alphanumeric" else chunk)


def _split(data: bytes, count: int) -> list[bytes]:
    size = -(-len(data) // count)
    size += size % 2  # even slices: base45 groups never straddle two codes
    return [data[i * size:(i + 1) * size] for i in range(count)]


def _plan(mode: str, compressed: bytes, ecc: str, max_parts: int, set_id: str, digest: str,
          max_version: int) -> list[Code] | None:
    # No layout with fewer parts than this can exist (headers ignored): start there.
    room = _bit_limits(ecc)[max_version] - segment_bits(mode, 0, max_version)
    per_code = room // 8 if mode == "byte" else (room // 11) * 4 // 3  # 11 bits: 2 characters, 4/3 byte
    for count in range(max(1, -(-len(compressed) // max(per_code, 1))), max_parts + 1):
        chunks = _split(compressed, count)
        if count > 1 and not chunks[-1]:
            return None  # more parts than bytes: nothing smaller exists
        codes = []
        for index, chunk in enumerate(chunks, 1):
            content = _content(mode, _header(mode, index, count, set_id, digest), chunk)
            version = smallest_version(mode, len(content), ecc, max_version)
            if version is None:
                break
            codes.append(Code(content, mode, version, index, count))
        else:
            return codes
    return None


def encode(
    presentation: bytes, *, ecc: str = "M", max_parts: int = DEFAULT_MAX_PARTS, mode: str = "auto",
    set_id: str | None = None, max_version: int = MAX_VERSION,
) -> Encoded:
    """Compress `presentation` and lay it out as QR codes; QrError(too-many-parts) when more
    than `max_parts` codes would be needed (the hint names the ways out)."""
    if ecc not in ECC_LEVELS:
        raise ValueError(f"error-correction level must be one of {', '.join(ECC_LEVELS)}")
    if not 1 <= max_parts <= MAX_PARTS:
        raise ValueError(f"the number of parts must be from 1 to {MAX_PARTS}")
    if mode not in ("auto", *MODES):
        raise ValueError("mode must be auto, alphanumeric or byte")
    if not 1 <= max_version <= MAX_VERSION:
        raise ValueError(f"QR version must be from 1 to {MAX_VERSION}")
    compressed = zlib.compress(presentation, 9)
    if set_id is None:
        set_id = "".join(secrets.choice(SETID_ALPHABET) for _ in range(SETID_LENGTH))
    if not re.fullmatch(f"[{SETID_ALPHABET}]{{{SETID_LENGTH}}}", set_id):
        raise ValueError("a set id is 8 characters from 0-9 A-Z")
    digest = hashlib.sha256(compressed).hexdigest()[: 2 * DIGEST_BYTES].upper()
    best: list[Code] | None = None
    for candidate in (("alphanumeric", "byte") if mode == "auto" else (mode,)):
        codes = _plan(candidate, compressed, ecc, max_parts, set_id, digest, max_version)
        if codes is None:
            continue
        if best is None or (len(codes), max(c.version for c in codes)) < (len(best), max(c.version for c in best)):
            best = codes
    if best is None:
        raise too_many_parts(presentation, compressed, ecc, max_parts)
    return Encoded(
        codes=best, ecc=ecc, mode=best[0].mode, plain_bytes=len(presentation), compressed_bytes=len(compressed),
        set_id=set_id if len(best) > 1 else "", digest=digest if len(best) > 1 else "",
    )


def too_many_parts(presentation: bytes, compressed: bytes, ecc: str, max_parts: int) -> QrError:
    per_code = (_bit_limits(ecc)[MAX_VERSION] - 20) // 8 - 60
    needed = -(-len(compressed) // per_code)
    images = data_urls(presentation)
    if images:
        biggest = max(images, key=lambda item: item[1])
        reason = (f"; it embeds {len(images)} image(s) as data: URLs ({sum(s for _, s in images) // 1024} KiB, "
                  f"the largest at {biggest[0]}), which a QR code cannot reasonably carry")
        hint = "write the presentation to a file instead (--out FILE), or present the credentials without embedded images"
    else:
        reason = ""
        hint = (f"present fewer credentials, disclose fewer fields (--disclose), raise --qr-max-parts (up to {MAX_PARTS}), "
                "or write the presentation to a file (--out FILE)")
    return QrError(
        f"the presentation ({len(presentation)} bytes, {len(compressed)} compressed) needs about {needed} QR codes "
        f"at error correction {ecc}, more than the {max_parts} allowed{reason}",
        code="too-many-parts", hint=hint,
    )


_DATA_URL = re.compile(rb'"(data:[^",;]{0,100}[;,][^"]{256,})"')


def data_urls(presentation: bytes) -> list[tuple[str, int]]:
    """Embedded `data:` URLs of 256+ characters, as (media type, size); also inside JWTs."""
    found = [(m.group(1)[: m.group(1).find(b",") if b"," in m.group(1)[:120] else 20].decode("ascii", "replace"),
              len(m.group(1))) for m in _DATA_URL.finditer(presentation)]
    text = presentation.strip()
    if not found and text[:1] != b"{" and b"." in text:
        import base64

        for segment in re.split(rb"[.~]", text):
            try:
                inner = base64.urlsafe_b64decode(segment + b"=" * (-len(segment) % 4))
            except ValueError:
                continue
            if inner[:1] in (b"{", b"["):
                found.extend(data_urls(inner))
    return found


# -- reading ------------------------------------------------------------------------------------

_PART = re.compile(
    rb"-([1-9][0-9]{0,2})-([1-9][0-9]{0,2})-([0-9A-Z]{%d})-([0-9A-F]{%d}):" % (SETID_LENGTH, 2 * DIGEST_BYTES)
)


def is_payload(content: bytes) -> bool:
    """Cheap test: does this scanned content claim to be a lerwallet QR payload?"""
    return content[:2] == MAGIC and len(content) > 3 and content[2:3].isdigit()


def parse(content: bytes, source: str = "") -> Part:
    """Parse one scanned code (strictly: docs/qr-format.md, "Reading")."""
    if not is_payload(content):
        raise QrError("not a lerwallet QR payload (it does not start with LW and a version)", code="not-lerwallet")
    if len(content) > MAX_CODE_CHARS:
        raise QrError(f"QR payload line of {len(content)} characters: no QR code holds more than {MAX_CODE_CHARS}",
                      code="bad-data")
    if content[2:3] != VERSION or content[3:4] not in (b":", b"-", b"B"):
        raise QrError(f"QR payload version {content[2:4].decode('ascii', 'replace')!r} is not supported (this reader "
                      "knows version 1)", code="unsupported-version", hint="update lerwallet")
    rest = content[3:]
    mode = "alphanumeric"
    if rest[:1] == b"B":
        mode, rest = "byte", rest[1:]
    if rest[:1] == b":":
        part = Part(mode=mode, data=_data(mode, rest[1:]), source=source)
    else:
        m = _PART.match(rest)
        if not m:
            raise QrError("malformed QR part header", code="bad-header")
        index, count = int(m.group(1)), int(m.group(2))
        if count < 2 or count > MAX_PARTS or index > count:
            raise QrError(f"QR part {index} of {count}: the count must be from 2 to {MAX_PARTS} and the index within it",
                          code="bad-header")
        part = Part(mode=mode, data=_data(mode, rest[m.end():]), index=index, count=count,
                    set_id=m.group(3).decode("ascii"), digest=m.group(4).decode("ascii"), source=source)
    if not part.data:
        raise QrError("QR code with an empty payload", code="bad-data")
    return part


def _data(mode: str, data: bytes) -> bytes:
    if mode == "byte":
        return data
    try:
        return base45.decode(data.decode("ascii"))
    except (UnicodeDecodeError, base45.Base45Error) as exc:
        raise QrError(f"QR payload is not valid base45: {exc}", code="bad-data") from None


def assemble(parts: list[Part], *, max_bytes: int = MAX_DECOMPRESSED) -> bytes:
    """The presentation bytes from the parts of ONE series (or one whole code), checked:
    a missing, duplicated or foreign part and a wrong digest are errors, never guessed around."""
    if not parts:
        raise QrError("no QR code", code="missing-part")
    first = parts[0]
    if first.whole:
        if len(parts) > 1:
            raise QrError("a single-code QR payload was read more than once", code="duplicate-part")
        return inflate(first.data, max_bytes)
    for p in parts:
        if p.whole or (p.set_id, p.count, p.digest, p.mode) != (first.set_id, first.count, first.digest, first.mode):
            raise QrError(f"QR part {p.index} of {p.count} ({p.source or 'input'}) is foreign to series {first.set_id}: "
                          "its count, digest or mode differ", code="foreign-part",
                          hint="give only the images of one series")
    by_index: dict[int, Part] = {}
    for p in parts:
        if p.index in by_index:
            where = ", ".join(s for s in (by_index[p.index].source, p.source) if s)
            raise QrError(f"QR part {p.index} of {p.count} of series {first.set_id} appears twice ({where})",
                          code="duplicate-part", hint="give each image of the series once")
        by_index[p.index] = p
    missing = [i for i in range(1, first.count + 1) if i not in by_index]
    if missing:
        raise QrError(f"QR series {first.set_id} is incomplete: part(s) {', '.join(map(str, missing))} of "
                      f"{first.count} missing", code="missing-part", hint="scan or give every image of the series")
    compressed = b"".join(by_index[i].data for i in range(1, first.count + 1))
    if hashlib.sha256(compressed).hexdigest()[: 2 * DIGEST_BYTES].upper() != first.digest:
        raise QrError(f"QR series {first.set_id} does not reassemble into the payload its parts announce "
                      "(a damaged or foreign part)", code="digest-mismatch")
    return inflate(compressed, max_bytes)


def inflate(compressed: bytes, max_bytes: int = MAX_DECOMPRESSED) -> bytes:
    """zlib-decompress at most `max_bytes`; a stream that would grow larger is refused unread."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(compressed, max_bytes + 1)
    except zlib.error:
        raise QrError("QR payload does not decompress (not a zlib stream, or damaged)", code="bad-deflate") from None
    if len(out) > max_bytes or inflater.unconsumed_tail:
        raise QrError(f"QR payload decompresses to more than {max_bytes // (1024 * 1024)} MiB", code="too-large")
    if not inflater.eof or inflater.unused_data:
        raise QrError("QR payload is a truncated zlib stream or has bytes after it", code="bad-deflate")
    return out


def group(parts: list[Part]) -> list[list[Part]]:
    """Scanned parts grouped by series, in first-seen order; each whole code alone."""
    groups: dict[str, list[Part]] = {}
    out: list[list[Part]] = []
    for p in parts:
        if p.whole:
            out.append([p])
        elif p.set_id in groups:
            groups[p.set_id].append(p)
        else:
            groups[p.set_id] = [p]
            out.append(groups[p.set_id])
    return out


def decode_text(text: bytes) -> list[bytes]:
    """Presentations from a text payload: one code per line (blank lines ignored)."""
    parts = [parse(line.strip()) for line in text.splitlines() if line.strip()]
    return [assemble(g) for g in group(parts)]
