"""Baking: a credential into a badge image other backpacks can import (OB 3.0, "Baking").

PNG: an uncompressed iTXt chunk with keyword `openbadgecredential` right after IHDR, its text
the JSON credential or its compact JWS. SVG: an `<openbadges:credential>` element
(namespace https://purl.imsglobal.org/ob/v3p0) holding the JSON in CDATA, or a JWS in its
`verify` attribute. An image never carries two credentials: existing Open Badges chunks are
removed first. The readers (`formats.png`, `formats.svg`) read back everything written here.
"""

from __future__ import annotations

import struct
import zlib
from xml.sax.saxutils import escape, quoteattr

from lerwallet.formats.png import KEYWORDS, SIGNATURE

OB3_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"


def _chunk(ctype: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", zlib.crc32(ctype + body) & 0xFFFFFFFF)


def _is_badge_chunk(ctype: bytes, body: bytes) -> bool:
    return ctype in (b"iTXt", b"tEXt", b"zTXt") and body.partition(b"\x00")[0] in KEYWORDS


def bake_png(payload: bytes, image: bytes | None = None, *, title: str = "") -> bytes:
    """`image` (a PNG; a plain generated one when None) with `payload` baked in."""
    image = image if image is not None else plain_png(title)
    if not image.startswith(SIGNATURE):
        raise ValueError("not a PNG image")
    chunks, pos = [], len(SIGNATURE)
    while pos + 8 <= len(image):
        (length,) = struct.unpack(">I", image[pos:pos + 4])
        ctype, body = image[pos + 4:pos + 8], image[pos + 8:pos + 8 + length]
        if len(body) != length:
            raise ValueError("truncated PNG chunk")
        if not _is_badge_chunk(ctype, body):
            chunks.append(image[pos:pos + 12 + length])
        pos += 12 + length
        if ctype == b"IEND":
            break
    if not chunks or chunks[0][4:8] != b"IHDR":
        raise ValueError("PNG without IHDR")
    itxt = _chunk(b"iTXt", b"openbadgecredential\x00" + b"\x00\x00" + b"\x00" + b"\x00" + payload)
    return SIGNATURE + chunks[0] + itxt + b"".join(chunks[1:])


def bake_svg(payload: bytes, *, title: str = "") -> bytes:
    """A plain badge drawing in SVG with `payload` baked in: JSON in CDATA, a JWS in `verify`."""
    text = payload.decode("utf-8")
    if text.lstrip().startswith("{"):
        if "]]>" in text:  # cannot sit in one CDATA section; JSON allows escaping the '>'
            text = text.replace("]]>", "]]\\u003e")
        element = f"<openbadges:credential><![CDATA[{text}]]></openbadges:credential>"
    else:
        element = f"<openbadges:credential verify={quoteattr(text.strip())}/>"
    label = escape(title[:60] or "Open Badge")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="{OB3_NAMESPACE}" width="256" height="256" '
        f'viewBox="0 0 256 256" role="img" aria-label={quoteattr(title[:60] or "Open Badge")}>\n'
        f"  {element}\n"
        f"  <title>{label}</title>\n"
        '  <circle cx="128" cy="128" r="120" fill="#1f4e79"/>\n'
        '  <circle cx="128" cy="128" r="100" fill="none" stroke="#ffffff" stroke-width="4"/>\n'
        f'  <text x="128" y="136" font-family="sans-serif" font-size="14" fill="#ffffff" text-anchor="middle">{escape(title[:28])}</text>\n'
        "</svg>\n"
    ).encode("utf-8")


def plain_png(title: str = "") -> bytes:
    """A simple round badge drawn with Pillow (imported here only)."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 248, 248), fill=(31, 78, 121, 255))
    draw.ellipse((28, 28, 228, 228), outline=(255, 255, 255, 255), width=4)
    if title:
        draw.text((128, 128), title[:28], fill=(255, 255, 255, 255), anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
