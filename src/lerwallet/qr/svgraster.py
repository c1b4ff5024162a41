"""A deliberately tiny SVG rasterizer, for QR codes only: so `verify` can scan an SVG QR
without a rendering library (cairo and friends are heavy system dependencies).

It draws what QR writers emit: `<rect>` elements and `<path>` elements made only of straight
horizontal and vertical lines (M, L, H, V, Z, absolute or relative), filled with a solid colour,
nonzero rule, on a white canvas, in document order. Anything else (curves, transforms, clips,
gradients, text) is refused with `Unsupported`, never guessed at. Parsing is by pattern: no XML
parser, no DTD, no entity is ever processed. Work is bounded: the canvas is at most MAX_SIDE
pixels a side and the number of edges is capped.
"""

from __future__ import annotations

import re
from math import ceil

MAX_SIDE = 1600  # pixels per side of the canvas
MAX_EDGES = 400_000  # vertical edges in the whole drawing
MAX_COMMANDS = 250_000  # path commands in the whole drawing (a version 40 code drawn one module
#                         at a time, as the qrcode package does, takes about 80,000)
MIN_SCALE_SIDE = 400  # small drawings are scaled up to about this many pixels


class Unsupported(ValueError):
    """An SVG this rasterizer does not draw (or an oversized one)."""


_SVG_TAG = re.compile(rb"<(?:svg:)?svg\b([^>]*)>", re.IGNORECASE)
_SHAPE = re.compile(rb"<(?:svg:)?(rect|path|circle|ellipse|polygon|polyline|line|text|image|use)\b([^>]*?)/?>", re.IGNORECASE)
_FORBIDDEN = re.compile(rb"\btransform\s*=|<(?:svg:)?(?:clipPath|mask|pattern|filter|linearGradient|radialGradient|g\b[^>]*\btransform)", re.IGNORECASE)
_ATTR = re.compile(rb"""([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_COMMAND = re.compile(r"[A-Za-z]")
_PATH_TOKEN = re.compile(r"([MmLlHhVvZz])|([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)|([\s,]+)|(.)")


def _attrs(text: bytes) -> dict[str, str]:
    return {m.group(1).decode("ascii").lower(): (m.group(2) if m.group(2) is not None else m.group(3)).decode("utf-8", "replace")
            for m in _ATTR.finditer(text)}


def _length(value: str | None, default: float | None = None) -> float:
    if value is None:
        if default is None:
            raise Unsupported("an SVG size is missing")
        return default
    m = re.fullmatch(r"\s*([-+]?(?:\d+\.?\d*|\.\d+))\s*(px|mm|)\s*", value)
    if not m:
        raise Unsupported(f"SVG length {value[:20]!r} is not supported")
    return float(m.group(1))


def _dark(attrs: dict[str, str]) -> bool | None:
    """True for a dark fill, False for a light one, None for no fill."""
    fill = attrs.get("fill")
    style = attrs.get("style", "")
    m = re.search(r"fill\s*:\s*([^;]+)", style)
    if m:
        fill = m.group(1)
    fill = (fill or "#000").strip().lower()
    if fill == "none":
        return None
    if fill in ("black",):
        return True
    if fill in ("white",):
        return False
    m = re.fullmatch(r"#([0-9a-f]{3}|[0-9a-f]{6})", fill)
    if not m:
        raise Unsupported(f"SVG fill {fill[:20]!r} is not supported")
    h = m.group(1)
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return 0.299 * r + 0.587 * g + 0.114 * b < 128


def _path_polygons(d: str) -> list[list[tuple[float, float]]]:
    polys: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    x = y = 0.0
    start = (0.0, 0.0)
    command = None
    numbers: list[float] = []

    def flush() -> None:
        nonlocal x, y, current, start
        if command is None:
            if numbers:
                raise Unsupported("SVG path data starts with a number")
            return
        c = command
        args = list(numbers)
        numbers.clear()
        if c in "Zz":
            if current:
                polys.append(current)
            current = []
            x, y = start
            return
        width = 2 if c in "MmLl" else 1
        if not args or len(args) % width:
            raise Unsupported(f"SVG path command {c} has the wrong number of values")
        for i in range(0, len(args), width):
            if c in "Mm" and i == 0:
                if current:
                    polys.append(current)
                x, y = (args[0], args[1]) if c == "M" else (x + args[0], y + args[1])
                current = [(x, y)]
                start = (x, y)
                continue
            if c in "MLml":
                nx, ny = (args[i], args[i + 1]) if c in "ML" else (x + args[i], y + args[i + 1])
                if nx != x and ny != y:
                    raise Unsupported("SVG path with a diagonal line (only QR-style straight edges are drawn)")
                x, y = nx, ny
            elif c == "H":
                x = args[i]
            elif c == "h":
                x += args[i]
            elif c == "V":
                y = args[i]
            else:
                y += args[i]
            current.append((x, y))

    for m in _PATH_TOKEN.finditer(d):
        if m.group(1):
            flush()
            command = m.group(1)
        elif m.group(2):
            numbers.append(float(m.group(2)))
        elif m.group(4):
            raise Unsupported(f"SVG path command {m.group(4)[:1]!r} is not supported (only M L H V Z)")
    flush()
    if current:
        polys.append(current)
    return polys


def rasterize(data: bytes) -> tuple[bytearray, int, int]:
    """Gray pixels (0 dark, 255 light), width, height; `Unsupported` for anything else."""
    head = _SVG_TAG.search(data)
    if not head:
        raise Unsupported("no <svg> element")
    if _FORBIDDEN.search(data):
        raise Unsupported("SVG with transforms, clipping, masks or gradients")
    root = _attrs(head.group(1))
    if "viewbox" in root:
        box = [float(v) for v in _NUMBER.findall(root["viewbox"])]
        if len(box) != 4 or box[2] <= 0 or box[3] <= 0:
            raise Unsupported("malformed SVG viewBox")
        ox, oy, bw, bh = box
    else:
        ox = oy = 0.0
        bw, bh = _length(root.get("width")), _length(root.get("height"))
        if bw <= 0 or bh <= 0:
            raise Unsupported("SVG without a size")
    scale = float(ceil(MIN_SCALE_SIDE / max(bw, bh))) if max(bw, bh) < MIN_SCALE_SIDE else 1.0
    width, height = int(round(bw * scale)), int(round(bh * scale))
    if width > MAX_SIDE or height > MAX_SIDE:
        scale = MAX_SIDE / max(bw, bh)
        width, height = int(round(bw * scale)), int(round(bh * scale))
    if width < 21 or height < 21:
        raise Unsupported("SVG too small to hold a QR code")
    canvas = bytearray(b"\xff" * (width * height))
    edge_count = 0
    commands = 0
    for m in _SHAPE.finditer(data):
        kind = m.group(1).decode("ascii").lower()
        attrs = _attrs(m.group(2))
        if kind not in ("rect", "path"):
            raise Unsupported(f"SVG element <{kind}> is not supported (only rect and path)")
        dark = _dark(attrs)
        if dark is None:
            continue
        if kind == "rect":
            rx, ry = _length(attrs.get("x"), 0.0), _length(attrs.get("y"), 0.0)
            rw, rh = _length(attrs.get("width")), _length(attrs.get("height"))
            polys = [[(rx, ry), (rx + rw, ry), (rx + rw, ry + rh), (rx, ry + rh)]]
        else:
            d = attrs.get("d", "")
            commands += len(_COMMAND.findall(d))
            if commands > MAX_COMMANDS:
                raise Unsupported("SVG with too many shapes")
            polys = _path_polygons(d)
        # Vertical edges of every closed polygon, bucketed by the pixel rows they cross.
        rows: dict[int, list[tuple[float, int]]] = {}
        for poly in polys:
            for (x0, y0), (x1, y1) in zip(poly, poly[1:] + poly[:1]):
                if x0 != x1 and y0 != y1:
                    raise Unsupported("SVG shape with a diagonal edge")
                if y0 == y1:
                    continue
                edge_count += 1
                if edge_count > MAX_EDGES:
                    raise Unsupported("SVG with too many shapes")
                direction = 1 if y1 > y0 else -1
                top, bottom = sorted(((y0 - oy) * scale, (y1 - oy) * scale))
                px = (x0 - ox) * scale
                # pixel rows whose centre (row + 0.5) lies in [top, bottom)
                for row in range(max(0, ceil(top - 0.5)), min(height, ceil(bottom - 0.5))):
                    rows.setdefault(row, []).append((px, direction))
        value = 0 if dark else 255
        for row, crossings in rows.items():
            crossings.sort()
            winding = 0
            base = row * width
            start = 0.0
            for px, direction in crossings:
                before = winding
                winding += direction
                if before == 0 and winding != 0:
                    start = px
                elif before != 0 and winding == 0:
                    a, b = max(0, ceil(start - 0.5)), min(width, ceil(px - 0.5))
                    if a < b:
                        canvas[base + a:base + b] = bytes([value]) * (b - a)
    return canvas, width, height
