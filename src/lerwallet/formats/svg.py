"""Baked SVG badges: `<openbadges:credential>` (OB 3.0, section "Baking", SVG) or
`<openbadges:assertion>` (OB 2.0 Baking Specification, SVGs) holding the JSON (usually in
CDATA) as its content, or a compact JWS (or, OB 2.0, the hosted assertion's URL) in its
`verify` attribute.

The SVG is read by an XML parser hardened against the XML attacks (defusedxml's expat SAX
reader): an internal DTD subset (where entities are declared: "billion laughs", quadratic
blow-up), entity declarations and external entity references are refused with a one-line
error (`svg-dtd`, `svg-entity`, `svg-external`); nothing is ever fetched. A bare `<!DOCTYPE svg
PUBLIC ... "...svg11.dtd">` naming the SVG 1.1 DTD, which real badges carry (1EdTech's own OB 3.0
vectors do), is allowed: it declares nothing and is never loaded. The parse is streaming and
stops at the end of the first Open Badges element; the input is already capped
(`limits.MAX_INPUT_BYTES`), expat works in time linear in it, and only that element's text is
kept. The predefined XML entities (`&amp;`, `&quot;`, ...) and character references in the
`verify` attribute and the content are decoded by the parser, as XML says.
"""

from __future__ import annotations

from lerwallet.formats import limits
from lerwallet.formats.errors import FormatError

NAME = "svg"
_ELEMENTS = {"openbadges:credential": "credential", "openbadges:assertion": "assertion"}
MAX_DEPTH = 256  # elements open at once: expat keeps each on its stack (8 MiB of <g> would hold ~370 MB)


def sniff(data: bytes) -> bool:
    """An XML document (after a byte order mark and white space, its first character is `<`)
    that is or holds an `<svg` element in its first 4 KiB. A JSON credential whose text mentions
    `<svg` (an image as a `data:` URL) is not one."""
    head = data[:4096]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    head = head.lstrip()
    if head[:1] != b"<":
        return False
    head = head.lower()
    return head.startswith(b"<?xml") or head.startswith(b"<svg") or b"<svg" in head


def decode(data: bytes, source: str) -> list:
    from lerwallet.formats import decode_bytes

    element, verify, content = _element(data)
    body = content.strip()
    # OB 2.0's own example carries both: the JSON inside and the hosted URL in `verify`.
    payload = (body or (verify or "").strip()).encode("utf-8")
    if not payload:
        raise FormatError(f"SVG: the openbadges:{element} element is empty (no JSON and no verify attribute)", code="bad-svg")
    if payload.startswith((b"http://", b"https://")):
        from lerwallet.formats import ob2

        return [ob2.url_envelope(payload.decode("utf-8"), f"{source}#baked", container=NAME)]
    return decode_bytes(payload, f"{source}#baked", container=NAME)


class _Done(Exception):
    """Raised by the handler at the end of the first Open Badges element: parsing stops there."""


def _handler_class():
    from xml.sax.handler import ContentHandler

    class Handler(ContentHandler):
        def __init__(self) -> None:
            super().__init__()
            self.element: str | None = None
            self.verify: str | None = None
            self.text: list[str] = []
            self.size = 0
            self.depth = 0
            self.open = 0

        def startElement(self, name, attrs):  # noqa: N802 (SAX names)
            self.open += 1
            if self.open > MAX_DEPTH:
                raise FormatError(f"SVG nests more than {MAX_DEPTH} elements deep", code="too-deep")
            if self.element is None:
                if name in _ELEMENTS:
                    self.element = _ELEMENTS[name]
                    self.verify = attrs.get("verify")
                    self.depth = 1
                return
            self.depth += 1

        def endElement(self, name):  # noqa: N802
            self.open -= 1
            if self.element is not None:
                self.depth -= 1
                if self.depth == 0:
                    raise _Done

        def characters(self, content):
            if self.element is not None and self.depth == 1:
                self.size += len(content)
                if self.size > limits.MAX_INPUT_BYTES:  # cannot happen below the input cap; a guard all the same
                    raise FormatError("SVG: the Open Badges element is larger than the input cap", code="too-large")
                self.text.append(content)

    return Handler


def _parser():
    from defusedxml.expatreader import DefusedExpatParser

    class Parser(DefusedExpatParser):
        """defusedxml's reader; a DOCTYPE is refused only when it has an internal subset (the
        place where entities and other declarations live)."""

        def defused_start_doctype_decl(self, name, sysid, pubid, has_internal_subset):
            if has_internal_subset:
                raise FormatError("SVG: a DTD with declarations (an internal subset) is refused: entities are never "
                                  "expanded here", code="svg-dtd")

        def defused_external_entity_ref_handler(self, context, base, sysid, pubid):
            if context is None:  # the external DTD subset a bare DOCTYPE names: skipped, never loaded
                return 1
            raise FormatError("SVG: external references are refused (nothing is fetched)", code="svg-external")

    parser = Parser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    return parser


def _element(data: bytes) -> tuple[str, str | None, str]:
    """(element, verify attribute, text content) of the first Open Badges element."""
    from io import BytesIO
    from xml.sax import SAXException
    from xml.sax.xmlreader import InputSource

    from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

    handler = _handler_class()()
    parser = _parser()
    parser.setContentHandler(handler)
    source = InputSource()
    source.setByteStream(BytesIO(data))
    try:
        parser.parse(source)
    except _Done:
        pass
    except EntitiesForbidden:
        raise FormatError("SVG: entity declarations are refused (entities are never expanded here)", code="svg-entity") from None
    except ExternalReferenceForbidden:
        raise FormatError("SVG: external references are refused (nothing is fetched)", code="svg-external") from None
    except DTDForbidden:  # pragma: no cover - the parser above raises FormatError instead
        raise FormatError("SVG: a DTD with declarations is refused", code="svg-dtd") from None
    except SAXException as exc:
        if handler.element is None:
            raise FormatError(f"SVG is not well-formed XML: {_first_line(exc)}", code="bad-svg") from None
        raise FormatError(f"SVG: the openbadges:{handler.element} element is not well-formed XML: {_first_line(exc)}",
                          code="bad-svg") from None
    if handler.element is None:
        raise FormatError("SVG image without a baked Open Badges credential", code="not-baked")
    return handler.element, handler.verify, "".join(handler.text)


def _first_line(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]
