"""Baked SVG badges: `<openbadges:credential>` holding the JSON credential (usually in CDATA)
or a compact JWS in its `verify` attribute (OB 3.0 spec, section "Baking", SVG).

Extraction is by pattern, not an XML parser: no DTD or entity is ever processed.
"""

from __future__ import annotations

import re

from lerwallet.formats.errors import FormatError

NAME = "svg"
_ELEMENT = re.compile(
    rb"<openbadges:(credential|assertion)\b([^>]*?)(?:/>|>(.*?)</openbadges:\1\s*>)", re.DOTALL
)
_VERIFY = re.compile(rb"""\bverify\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CDATA = re.compile(rb"^\s*<!\[CDATA\[(.*)\]\]>\s*$", re.DOTALL)


def sniff(data: bytes) -> bool:
    head = data[:4096].lstrip().lower()
    return head.startswith(b"<?xml") or head.startswith(b"<svg") or b"<svg" in head


def decode(data: bytes, source: str) -> list:
    from lerwallet.formats import decode_bytes

    match = _ELEMENT.search(data)
    if not match:
        raise FormatError("SVG image without a baked Open Badges credential", code="not-baked")
    element, attrs, content = match.group(1), match.group(2), match.group(3)
    import html  # only for SVG inputs: keep it off every other input's start-up

    verify = _VERIFY.search(attrs)
    if verify:
        payload = html.unescape((verify.group(1) or verify.group(2) or b"").decode("utf-8", "replace")).encode()
    else:
        content = content or b""
        cdata = _CDATA.match(content)
        payload = cdata.group(1) if cdata else html.unescape(content.decode("utf-8", "replace")).encode()
    payload = payload.strip()
    if element == b"assertion" and payload.startswith(b"http"):
        raise FormatError("baked badge holds only a URL (hosted Open Badges 2.0); not supported offline", code="ob2-hosted")
    return decode_bytes(payload, f"{source}#baked", container=NAME)
