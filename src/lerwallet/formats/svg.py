"""Baked SVG badges: `<openbadges:credential>` holding the JSON credential (usually in CDATA)
or a compact JWS in its `verify` attribute (OB 3.0 spec, section "Baking", SVG).

Extraction is by pattern, not an XML parser: no DTD or entity is ever processed. It runs in
time linear in the input: the first `<openbadges:credential` (or `assertion`) start tag decides,
found with `bytes.find`, never a backtracking pattern over the whole image (a regular expression
with a lazy `.*?` up to the closing tag retried at every start tag: a 368 KB SVG of unclosed
start tags took 60 s).
"""

from __future__ import annotations

import re

from lerwallet.formats.errors import FormatError

NAME = "svg"
_START = re.compile(rb"<openbadges:(credential|assertion)(?![A-Za-z0-9_.:-])")
_END = re.compile(rb"\s*>")
_VERIFY = re.compile(rb"""\bverify\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CDATA = re.compile(rb"^\s*<!\[CDATA\[(.*)\]\]>\s*$", re.DOTALL)


def sniff(data: bytes) -> bool:
    head = data[:4096].lstrip().lower()
    return head.startswith(b"<?xml") or head.startswith(b"<svg") or b"<svg" in head


def decode(data: bytes, source: str) -> list:
    from lerwallet.formats import decode_bytes

    element, attrs, content = _element(data)
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


def _element(data: bytes) -> tuple[bytes, bytes, bytes | None]:
    """(name, attributes, content or None) of the first Open Badges element; linear time."""
    match = _START.search(data)
    if not match:
        raise FormatError("SVG image without a baked Open Badges credential", code="not-baked")
    element = match.group(1)
    close = data.find(b">", match.end())
    if close < 0:
        raise FormatError("SVG: the Open Badges element is not closed", code="not-baked")
    attrs = data[match.end():close]
    if attrs.endswith(b"/"):
        return element, attrs[:-1], None
    end_tag = b"</openbadges:" + element
    pos = close + 1
    while True:
        end = data.find(end_tag, pos)
        if end < 0:
            raise FormatError("SVG: the Open Badges element has no closing tag", code="not-baked")
        tail = _END.match(data, end + len(end_tag))
        if tail:
            return element, attrs, data[close + 1:end]
        pos = end + len(end_tag)
