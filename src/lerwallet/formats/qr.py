"""QR codes made by `lerwallet present --qr` (docs/qr-format.md): the text payload itself
(`LW1:...` lines, from a .txt file or stdin) and images of the codes (PNG, JPEG, or an SVG made
only of rectangles), decoded with zxing-cpp.

One code may be one part of a series. A part alone is not a presentation: `decode` returns an
Envelope carrying the parsed part (`qr_parts`) and a `qr-part` error, and `formats.read_inputs`
gathers the parts of every series across all the inputs, checks that each series is complete,
reassembles it and only then decodes the presentation inside. Missing, duplicated and foreign
parts are unreadable input (exit 2), never a forgery. Pillow and zxing-cpp load only when an
image is actually scanned.

The QR codes of the DCC Learner Credential Wallet (`VP1-...`, CBOR-LD; `lerwallet.qr.vpqr`)
are read too, from images and text alike: each such code is one whole presentation.
"""

from __future__ import annotations

from lerwallet.formats.errors import FormatError

NAME = "qr"
JPEG_SIGNATURE = b"\xff\xd8\xff"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_PIXELS = 40_000_000  # an image to scan: about 6300 x 6300; bigger is refused before decoding
MAX_CODES = 64  # QR codes read from one image


def sniff(data: bytes) -> bool:
    if data.startswith(JPEG_SIGNATURE):
        return True
    head = data.lstrip()
    if not head[:2] in (b"LW", b"VP", b"VC"):  # every input is sniffed: decide most without importing the codecs
        return False
    from lerwallet.qr.payload import is_payload
    from lerwallet.qr.vpqr import is_vpqr

    return is_payload(head) or is_vpqr(head)


def decode(data: bytes, source: str) -> list:
    if data.startswith(JPEG_SIGNATURE):
        return from_image(data, source)
    return from_text(data, source)


def _error(exc) -> FormatError:
    return FormatError(exc.message + (f" (hint: {exc.hint})" if getattr(exc, "hint", None) else ""), code=f"qr-{exc.code}")


def from_text(data: bytes, source: str) -> list:
    from lerwallet.qr.payload import QrError, parse

    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        raise FormatError("QR payload text is not ASCII", code="qr-bad-data") from None
    from lerwallet.qr.vpqr import is_vpqr

    parts, found = [], []
    many = sum(1 for line in text.splitlines() if line.strip()) > 1
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        if is_vpqr(line.encode("ascii")):
            found.extend(dcc(line.encode("ascii"), f"{source}:{n}" if many else source))
            continue
        try:
            parts.append(parse(line.encode("ascii"), f"{source}:{n}" if source else f"line {n}"))
        except QrError as exc:
            raise _error(exc) from None
    return found + ([parts_envelope(parts, source)] if parts else [])


def dcc(content: bytes, source: str) -> list:
    """One DCC `VP1-`/`VC1-` code: its document, or an error Envelope naming why not."""
    import json

    from lerwallet.qr.vpqr import VpqrError, decode as decode_vpqr

    try:
        doc = decode_vpqr(content)
    except VpqrError as exc:
        return [_failed(source, FormatError(exc.message, code=exc.code))]
    found = inner(json.dumps(doc).encode("utf-8"), source + "#dcc-qr")
    for env in found:
        env.notes.append("read from a DCC QR code (CBOR-LD); the document was rebuilt from it")
    return found


def parts_envelope(parts: list, source: str):
    """An Envelope holding scanned parts, to be assembled by `assemble_envelopes`."""
    from lerwallet.formats import Envelope

    return Envelope(source=source, container=NAME, qr_parts=parts,
                    error=FormatError("one part of a QR series, read alone", code="qr-part"))


def scan(data: bytes, source: str) -> list[bytes]:
    """The contents of every QR code in an image (PNG, JPEG or rectangle-only SVG)."""
    import zxingcpp

    if data.startswith(PNG_SIGNATURE) or data.startswith(JPEG_SIGNATURE):
        import io
        import warnings

        from PIL import Image

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                image = Image.open(io.BytesIO(data))
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise FormatError(f"image of {width}x{height} pixels is larger than the {MAX_PIXELS // 1_000_000} "
                                      "megapixels scanned for QR codes", code="too-large")
                if image.format == "JPEG":
                    image.draft("L", (width, height))
                image = image.convert("L")
        except FormatError:
            raise
        except Image.DecompressionBombError:
            raise FormatError(f"image announces more pixels than the {MAX_PIXELS // 1_000_000} megapixels scanned "
                              "for QR codes", code="too-large") from None
        except Exception as exc:  # Pillow raises many kinds for damaged images
            raise FormatError(f"cannot read the image: {type(exc).__name__}", code="bad-image") from None
        pixels = image
    else:
        from lerwallet.qr.svgraster import Unsupported, rasterize

        try:
            buf, width, height = rasterize(data)
        except Unsupported as exc:
            raise FormatError(f"cannot draw this SVG to look for QR codes: {exc}", code="svg-unsupported") from None
        pixels = memoryview(buf).cast("B", (height, width))
    found = zxingcpp.read_barcodes(pixels, formats=zxingcpp.BarcodeFormat.QRCode)
    # zxing can report one symbol twice (found again rotated or downscaled): one copy of each
    return list(dict.fromkeys(bytes(code.bytes) for code in found))[:MAX_CODES]


def from_image(data: bytes, source: str) -> list:
    from lerwallet.qr.payload import QrError, is_payload, parse

    contents = scan(data, source)
    if not contents:
        raise FormatError("no QR code found in the image", code="no-qr")
    from lerwallet.qr.vpqr import is_vpqr

    parts, foreign, found = [], [], []
    for content in contents:
        if is_vpqr(content):
            found.extend(dcc(content, source))
            continue
        if not is_payload(content):
            foreign.append(content)
            continue
        try:
            parts.append(parse(content, source))
        except QrError as exc:
            raise _error(exc) from None
    if not parts and not found:
        shown = foreign[0][:60].decode("utf-8", "replace")
        raise FormatError(f"the image holds a QR code that is not a lerwallet presentation (it reads {shown!r})",
                          code="qr-not-lerwallet")
    return found + ([parts_envelope(parts, source)] if parts else [])


def assemble_envelopes(envelopes: list) -> list:
    """Replace the QR-part envelopes in `envelopes` by the presentations their series hold
    (or one error per incomplete or inconsistent series), at the place of each series' first part."""
    from lerwallet.qr.payload import QrError, assemble, group

    if not any(getattr(env, "qr_parts", None) for env in envelopes):
        return envelopes
    all_parts = []
    first_at: dict[int, int] = {}
    for pos, env in enumerate(envelopes):
        for part in env.qr_parts or ():
            first_at.setdefault(id(part), pos)
            all_parts.append(part)
    results: dict[int, list] = {}
    for series in group(all_parts):
        at = min(first_at[id(p)] for p in series)
        sources = []
        for p in series:
            src = p.source.rsplit(":", 1)[0] if p.source.rsplit(":", 1)[-1].isdigit() else p.source
            if src not in sources:
                sources.append(src)
        source = "+".join(sources) if len(sources) <= 3 else f"{sources[0]}+{len(sources) - 1} more"
        try:
            payload = assemble(series)
        except QrError as exc:
            results.setdefault(at, []).append(_failed(source, _error(exc)))
            continue
        results.setdefault(at, []).extend(inner(payload, source + "#qr"))
    out = []
    for pos, env in enumerate(envelopes):
        if env.qr_parts:
            out.extend(results.pop(pos, []))
        else:
            out.append(env)
    return out


def _failed(source: str, error: FormatError):
    from lerwallet.formats import Envelope

    return Envelope(source=source, container=NAME, error=error)


def inner(payload: bytes, source: str) -> list:
    """Decode what a QR series carried: JSON, or a compact JWT / SD-JWT; nothing else."""
    from lerwallet.formats import json_doc, jwt, sdjwt

    for decoder in (json_doc, sdjwt, jwt):
        if decoder.sniff(payload):
            try:
                found = decoder.decode(payload, source)
            except FormatError as exc:
                return [_failed(source, exc)]
            except (ValueError, UnicodeError, RecursionError) as exc:
                return [_failed(source, FormatError(f"cannot read the QR payload: {type(exc).__name__}", code="unreadable"))]
            for env in found:
                env.container = NAME
            return found
    return [_failed(source, FormatError("the QR payload holds neither JSON nor a compact JWT / SD-JWT", code="qr-bad-content"))]
