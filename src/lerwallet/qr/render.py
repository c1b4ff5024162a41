"""Drawing QR codes: the module matrix from `qrcode`, then PNG, SVG or terminal text.

The PNG and SVG writers are small and written here (1-bit grayscale PNG through zlib; one SVG
path of run-length rectangles), so writing images needs neither pillow nor an XML library.
`qrcode` is imported only when a matrix is made: other commands never pay for it.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from lerwallet.qr.payload import Code, Encoded

BORDER = 4  # quiet zone, in modules (ISO/IEC 18004 asks for 4)
BEST_MASK_UP_TO = 15  # larger codes take mask 0: see docs/qr-format.md, "Mask pattern"
PNG_SCALE = 6  # pixels per module


def matrix(code: Code, ecc: str) -> list[list[bool]]:
    """Module matrix (True = dark) of one code, quiet zone included, at exactly `code.version`."""
    import qrcode
    from qrcode import constants, util

    level = {"L": constants.ERROR_CORRECT_L, "M": constants.ERROR_CORRECT_M,
             "Q": constants.ERROR_CORRECT_Q, "H": constants.ERROR_CORRECT_H}[ecc]
    mask = None if code.version <= BEST_MASK_UP_TO else 0
    qr = qrcode.QRCode(version=code.version, error_correction=level, border=BORDER, mask_pattern=mask)
    mode = util.MODE_ALPHA_NUM if code.mode == "alphanumeric" else util.MODE_8BIT_BYTE
    qr.add_data(util.QRData(code.content, mode=mode, check_data=False))
    qr.make(fit=False)
    return qr.get_matrix()


def png(rows: list[list[bool]], scale: int = PNG_SCALE) -> bytes:
    """A 1-bit grayscale PNG (dark modules black), `scale` pixels per module."""
    size = len(rows) * scale
    raw = bytearray()
    for row in rows:
        bits = "".join(("0" if dark else "1") * scale for dark in row)
        bits += "1" * (-len(bits) % 8)
        line = b"\x00" + int(bits, 2).to_bytes(len(bits) // 8, "big")
        raw += line * scale

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b""))


def svg(rows: list[list[bool]], title: str = "") -> bytes:
    """An SVG: a white square and one black path of horizontal runs, one unit per module."""
    n = len(rows)
    runs = []
    for y, row in enumerate(rows):
        x = 0
        while x < n:
            if row[x]:
                start = x
                while x < n and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    from xml.sax.saxutils import escape

    label = f"<title>{escape(title)}</title>" if title else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n} {n}" width="{n * 4}" height="{n * 4}" '
            f'shape-rendering="crispEdges">{label}<rect width="{n}" height="{n}" fill="#fff"/>'
            f'<path fill="#000" d="{"".join(runs)}"/></svg>\n').encode("utf-8")


def terminal(rows: list[list[bool]]) -> str:
    """Half-block text, two module rows per line. Light modules are drawn and dark ones left
    blank, as `qrencode -t UTF8` does, so the code reads on the usual dark terminal background."""
    lines = []
    height = len(rows)
    for y in range(0, height, 2):
        top = rows[y]
        bottom = rows[y + 1] if y + 1 < height else [True] * len(top)
        lines.append("".join(
            " " if (t and b) else "\u2580" if (not t and b) else "\u2584" if (t and not b) else "\u2588"
            for t, b in zip(top, bottom)
        ))
    return "\n".join(lines) + "\n"


def series_paths(target: Path, count: int) -> list[Path]:
    """`NAME.png` for one code; `NAME-1-of-3.png` ... for a series."""
    if count == 1:
        return [target]
    return [target.with_name(f"{target.stem}-{i}-of-{count}{target.suffix}") for i in range(1, count + 1)]


def image_kind(target: str) -> str:
    """png | svg | terminal (for `-`), from the name given to --qr; ValueError otherwise."""
    if target == "-":
        return "terminal"
    suffix = Path(target).suffix.lower()
    if suffix in (".png", ".svg"):
        return suffix[1:]
    raise ValueError("--qr takes a file name ending in .png or .svg, or - for the terminal")


def render(encoded: Encoded) -> list[tuple[list[list[bool]], Code]]:
    return [(matrix(code, encoded.ecc), code) for code in encoded.codes]


def write(encoded: Encoded, target: str, *, write_file=None) -> list[str]:
    """Draw every code of `encoded` to `target` (.png, .svg or `-`); returns the files written
    (for `-`, the terminal text is returned as the one element instead). Every image is drawn
    before the first is written; each is written atomically (mode 0600: a presentation is
    personal data) by `write_file(path, data)`, and a failure removes the ones already written."""
    kind = image_kind(target)
    drawn = render(encoded)
    if kind == "terminal":
        blocks = []
        for rows, code in drawn:
            if encoded.parts > 1:
                blocks.append(f"QR {code.index} of {code.count}\n")
            blocks.append(terminal(rows))
        return ["".join(blocks)]
    paths = series_paths(Path(target), encoded.parts)
    images = [png(rows) if kind == "png" else svg(rows, f"lerwallet QR {code.index} of {code.count}") for rows, code in drawn]
    if write_file is None:
        from lerwallet.files import write_atomic

        def write_file(path: Path, data: bytes) -> None:
            write_atomic(path, data, force=True)

    done: list[Path] = []
    try:
        for path, image in zip(paths, images):
            write_file(path, image)
            done.append(path)
    except BaseException:
        for path in done:
            path.unlink(missing_ok=True)
        raise
    return [str(p) for p in paths]
