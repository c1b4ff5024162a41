"""The journey as a transit-style map: one self-contained SVG (and an HTML page around it).

Layout, top to bottom: a title, a legend (each line's colour, dash pattern and name; the station
shapes and marks), then the map. Time runs down the page: each station gets its own row, so no
two labels can overlap at any size, and rows keep their dates' spacing where there is room (a
long gap between two records stays visible; a burst of records is spread out to one row each).
Year marks on the left read the time axis. Each line is a vertical track in its own column, with
its own colour (Okabe-Ito, safe for colour-blind readers) and dash pattern, and its name on every
station's label, so colour is never the only cue. A record with an activity period has a band
along its track. Records that evidence the same skill on different lines are joined by a dotted
connector between the tracks, and drawn as interchanges (a ring with a black outline).

Every station is focusable (`tabindex="0"`, `role="button"`, an `aria-label` with the whole
record in words). In the SVG file, which has no script, hovering or focusing a station shows its
details card (CSS sibling rules). The HTML page shows the details in a panel beside the map
(sticky at the bottom on a phone) instead, from a small inline script: hover and focus show
them, click, Enter or Space pin them in the panel (a live region, read by screen readers), arrow
keys move along the stations, Escape unpins. The page has a strict Content-Security-Policy: nothing may be fetched,
and only its own style and script (by hash) run. Every text from a credential is escaped.
"""

from __future__ import annotations

import base64
import bisect
import functools
import hashlib
import re
import unicodedata
from html import escape

from lerwallet.journey import LABELS, Journey, Station, day_of, iso_day

# Okabe-Ito colours and a dash pattern per line (colour is never the only cue).
STYLE = {
    "education": ("#0072B2", "", "solid"),
    "work": ("#D55E00", "14 6", "long dashes"),
    "service": ("#009E73", "2 7", "dots"),
    "skills": ("#CC79A7", "10 4 2 4", "dash-dot"),
}
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif'

W = 400  # the map's width in user units (scaled to the screen by the page)
PAD = 10
AXIS = 40  # year marks
COL = 22  # between tracks
ROW = 36  # the least distance between two stations
TITLE_PX, META_PX = 15, 12
CARD_W = 290
MAX_SKILLS_SHOWN = 6
LEGEND_TOP = 62


_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufffe\uffff]")


def _clean(text: object) -> str:
    """Credential text made safe for XML: no control, surrogate or private-use characters, one line."""
    return " ".join(_UNSAFE.sub(" ", str(text or "")).split())


@functools.lru_cache(maxsize=8192)
def _char_width(ch: str) -> float:
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.05
    if ch in "ilj.,:;'|!I ":
        return 0.34
    if ch.isupper() or ch in "mwMW@%&":
        return 0.8
    return 0.6


def _width(text: str, px: float) -> float:
    """Estimated width of `text` at font size `px` (a sans-serif: wide East Asian characters
    count double, narrow letters less). Generous, so estimated labels never spill over."""
    return sum(map(_char_width, text)) * px


def fit(text: str, room: float, px: float, *, clean: bool = True) -> str:
    """`text` cut (with an ellipsis) to fit `room` user units at font size `px`."""
    if clean:
        text = _clean(text)
    if len(text) * 1.05 * px <= room or sum(map(_char_width, text)) * px <= room:
        return text
    budget, used, cut = room / px - _char_width("\u2026"), 0.0, 0
    for ch in text:
        used += _char_width(ch)
        if used > budget:
            break
        cut += 1
    return text[:cut].rstrip() + "\u2026"


def _some(names: list[str], n: int) -> str:
    return ", ".join(names[:n]) + (f" and {len(names) - n} more" if len(names) > n else "")


def _e(text: object) -> str:
    return escape(_clean(text), quote=True)


def _when(st: Station) -> str:
    if st.end and st.end != st.date:
        return f"{st.date[:7]} \u2013 {st.end[:7]}"
    return st.date[:10] if st.date else "undated"


def describe(st: Station) -> str:
    """The whole record in words: the aria-label and the title of a station."""
    parts = [st.title, LABELS[st.line] + " line", _when(st)]
    if st.issuer:
        parts.append((f"at {st.issuer}, by you" if st.issuer != "you" else "by you") if st.attestation == "self" else "issued by " + st.issuer)
    parts.append(status_text(st))
    if st.skills:
        parts.append("skills: " + ", ".join(st.skills[:MAX_SKILLS_SHOWN]) + (" and more" if len(st.skills) > MAX_SKILLS_SHOWN else ""))
    if st.interchange:
        parts.append("interchange: shares a skill with another line")
    return "; ".join(_clean(p) for p in parts)


def status_text(st: Station) -> str:
    if st.attestation == "self":
        return "self-attested (signed by you, not verified by a third party)" + (
            "" if st.status == "verified" else f"; its signature check: {st.status}")
    if st.status == "verified":
        return "verified: issuer-attested, every check passed"
    return f"not verified: {st.status}"


class Layout:
    """Where everything goes: rows (y), columns (x) and the year marks."""

    def __init__(self, journey: Journey) -> None:
        self.journey = journey
        self.lines = journey.lines or ["skills"]
        self.x = {name: PAD + AXIS + 8 + i * COL for i, name in enumerate(self.lines)}
        self.label_x = PAD + AXIS + 8 + (len(self.lines) - 1) * COL + 18
        self.room = W - PAD - self.label_x
        self.top = LEGEND_TOP + len(self.lines) * 20 + 26 + 22
        stations = journey.stations
        days = [day_of(s.date) for s in stations]
        known = [d for d in days if d is not None]
        first, last = (min(known), max(known)) if known else (0, 0)
        span = max(last - first, 1)
        scale = len(stations) * ROW / span  # user units per day, if nothing had to be spread
        self.y: dict[str, float] = {}
        self.points: list[tuple[int, float]] = []  # (day, y) of dated stations, for the axis
        y = float(self.top)
        previous = None
        for st, day in zip(stations, days):
            if day is None:
                y = y + ROW if previous is not None else y
            else:
                linear = self.top + (day - first) * scale
                y = max(linear, y + ROW) if previous is not None else float(self.top)
                self.points.append((day, y))
            self.y[st.id] = y
            previous = st
        self.bottom = (y if stations else self.top) + 48
        self.height = int(self.bottom + 10)
        self.first, self.last, self.scale = first, last, scale
        self._days = [d for d, _ in self.points]

    def y_of_day(self, day: int) -> float:
        """A day's place on the time axis, between the stations around it."""
        pts = self.points
        if not pts:
            return float(self.top)
        if day <= pts[0][0]:
            return pts[0][1]
        if day >= pts[-1][0]:
            return min(pts[-1][1] + (day - pts[-1][0]) * self.scale, self.bottom - 20)
        i = bisect.bisect_right(self._days, day)  # pts[i - 1] <= day < pts[i]
        (d0, y0), (d1, y1) = pts[i - 1], pts[i]
        return y0 if d1 == d0 else y0 + (day - d0) / (d1 - d0) * (y1 - y0)


def _css(layout: Layout, cards: bool = True) -> str:
    rules = [
        f"svg.journey{{font-family:{FONT};}}",
        ".journey .station{cursor:pointer;outline:none}",
        ".journey .station:focus .halo,.journey .station:hover .halo{stroke:#000;stroke-width:2.5;fill:#ffd54a}",
        ".journey .detail{display:none;pointer-events:none}",
        ".journey .label{font-size:15px;fill:#111}",
        ".journey .meta{font-size:12px;fill:#333}",
        "@media (prefers-color-scheme: dark){.journey .bg{fill:#fff}}",
    ]
    n = len(layout.journey.stations) if cards else 0
    show = ",".join(f"#st-{i}:hover~#dt-{i},#st-{i}:focus~#dt-{i}" for i in range(n))
    if show:
        rules.append(show + "{display:inline}")
    return "".join(rules)


def _legend(layout: Layout) -> list[str]:
    out = ['<g class="legend" aria-label="Legend">']
    j = layout.journey
    for i, name in enumerate(layout.lines):
        colour, dash, pattern = STYLE[name]
        x = PAD
        y = LEGEND_TOP + i * 20
        count = len(j.line(name))
        out.append(f'<g class="legend-line" data-line="{name}"><title>{_e(LABELS[name])}: {pattern}, {count} records</title>'
                   f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x + 30:.1f}" y2="{y:.1f}" stroke="{colour}" stroke-width="6"'
                   + (f' stroke-dasharray="{dash}"' if dash else "") + ' stroke-linecap="butt"/>'
                   f'<text x="{x + 36:.1f}" y="{y + 4:.1f}" font-size="12" fill="#111">{_e(LABELS[name])} ({count}, {pattern})</text></g>')
    y = LEGEND_TOP + len(layout.lines) * 20 + 4
    out.append(f'<g class="legend-marks"><circle cx="{PAD + 6}" cy="{y}" r="5" fill="#fff" stroke="#333" stroke-width="3"/>'
               f'<text x="{PAD + 15}" y="{y + 4}" font-size="11" fill="#111">issuer-attested</text>'
               f'<rect x="{PAD + 105}" y="{y - 5}" width="10" height="10" transform="rotate(45 {PAD + 110} {y})" fill="#fff" stroke="#333" stroke-width="2.5"/>'
               f'<text x="{PAD + 120}" y="{y + 4}" font-size="11" fill="#111">\u25c7 self-attested</text>'
               f'<circle cx="{PAD + 226}" cy="{y}" r="7" fill="#fff" stroke="#000" stroke-width="3.5"/>'
               f'<circle cx="{PAD + 226}" cy="{y}" r="2" fill="#000"/>'
               f'<text x="{PAD + 238}" y="{y + 4}" font-size="11" fill="#111">interchange (shared skill)</text>'
               f'<text x="{PAD}" y="{y + 20}" font-size="11" fill="#111">\u2713 verified \u00b7 ? not verified \u00b7 '
               'Tab, hover or click a station: details</text></g>')
    out.append("</g>")
    return out


def _axis(layout: Layout) -> list[str]:
    out = ['<g class="axis" aria-hidden="true">']
    if not layout.points:
        return out + ["</g>"]
    first_year = int(iso_day(layout.first)[:4])
    last_year = int(iso_day(layout.last)[:4])
    marks = [(first_year, layout.points[0][1])]
    for year in range(first_year + 1, last_year + 1):
        marks.append((year, layout.y_of_day(day_of(f"{year:04d}-01-01"))))
    shown = -1e9
    for year, y in marks:
        if y - shown < 16:  # years too close to label (a long span in little room): the rule only
            out.append(f'<line x1="{PAD + AXIS - 4}" y1="{y:.1f}" x2="{W - PAD}" y2="{y:.1f}" stroke="#e3e3e3" stroke-width="1"/>')
            continue
        shown = y
        out.append(f'<line class="year" x1="{PAD + AXIS - 4}" y1="{y:.1f}" x2="{W - PAD}" y2="{y:.1f}" stroke="#d0d0d0" stroke-width="1" stroke-dasharray="3 3"/>'
                   f'<text class="year-label" x="{PAD}" y="{y + 4:.1f}" font-size="11" fill="#333">{year}</text>')
    out.append("</g>")
    return out


def _tracks(layout: Layout) -> list[str]:
    out = ['<g class="tracks">']
    j = layout.journey
    for name in layout.lines:
        stations = j.line(name)
        if not stations:
            continue
        colour, dash, pattern = STYLE[name]
        x = layout.x[name]
        ys = [layout.y[s.id] for s in stations]
        top, bottom = min(ys) - 14, max(ys) + 14
        for st in stations:  # activity periods extend the line
            if st.end and day_of(st.end) is not None:
                bottom = max(bottom, layout.y_of_day(day_of(st.end)))
        out.append(f'<line class="line" data-line="{name}" x1="{x}" y1="{top:.1f}" x2="{x}" y2="{bottom:.1f}" stroke="{colour}" '
                   f'stroke-width="6"' + (f' stroke-dasharray="{dash}"' if dash else "") + f'><title>{_e(LABELS[name])} line ({pattern})</title></line>')
        for st in stations:
            if st.end and day_of(st.end) is not None and day_of(st.date) is not None:
                y0, y1 = layout.y[st.id], layout.y_of_day(day_of(st.end))
                if y1 > y0 + 1:
                    out.append(f'<rect class="period" x="{x - 7}" y="{y0:.1f}" width="14" height="{y1 - y0:.1f}" rx="7" '
                               f'fill="{colour}" fill-opacity="0.22"/>')
    out.append("</g>")
    return out


def _connectors(layout: Layout) -> list[str]:
    """Dotted connectors between consecutive stations of a shared skill on different lines."""
    out = ['<g class="connectors" aria-hidden="true">']
    j = layout.journey
    by_id = {s.id: s for s in j.stations}
    pairs: dict[tuple[str, str], list[str]] = {}
    for inter in j.interchanges:
        if len(inter.lines) < 2:
            continue
        ids = inter.stations
        for a, b in zip(ids, ids[1:]):
            if by_id[a].line != by_id[b].line:
                pairs.setdefault((a, b), []).append(inter.skill)
    for (a, b), skills in pairs.items():
        xa, ya = layout.x[by_id[a].line], layout.y[a]
        xb, yb = layout.x[by_id[b].line], layout.y[b]
        mid = (ya + yb) / 2
        out.append(f'<path class="connector" data-from="{a}" data-to="{b}" d="M{xa} {ya:.1f} C{xa} {mid:.1f} {xb} {mid:.1f} {xb} {yb:.1f}" '
                   f'fill="none" stroke="#222" stroke-width="1.6" stroke-dasharray="1 3" stroke-linecap="round">'
                   f'<title>{_e("shared skill: " + ", ".join(skills[:3]))}</title></path>')
    out.append("</g>")
    return out


def _station(layout: Layout, i: int, st: Station) -> str:
    colour = STYLE[st.line][0]
    x, y = layout.x[st.line], layout.y[st.id]
    label_x = layout.label_x
    if st.attestation == "self":
        shape = (f'<rect class="halo" x="{x - 6}" y="{y - 6:.1f}" width="12" height="12" transform="rotate(45 {x} {y:.1f})" '
                 f'fill="#fff" stroke="{colour}" stroke-width="3"/>')
    else:
        shape = f'<circle class="halo" cx="{x}" cy="{y:.1f}" r="6" fill="#fff" stroke="{colour}" stroke-width="3"/>'
    if st.interchange:
        shape = (f'<circle cx="{x}" cy="{y:.1f}" r="9" fill="#fff" stroke="#000" stroke-width="3.5"/>' + shape
                 if st.attestation == "self" else
                 f'<circle class="halo" cx="{x}" cy="{y:.1f}" r="8" fill="#fff" stroke="#000" stroke-width="3.5"/>'
                 f'<circle cx="{x}" cy="{y:.1f}" r="2.5" fill="#000"/>')
    mark = st.mark.split(" ", 1)[0]
    meta = fit(f"{st.mark} \u00b7 {_when(st)} \u00b7 {LABELS[st.line].split(' ')[0]}" + (f" \u00b7 {st.issuer}" if st.issuer else ""),
               layout.room, META_PX)
    title = fit(st.title, layout.room, TITLE_PX)
    words = describe(st)
    return (f'<g class="station" id="st-{i}" tabindex="0" role="button" aria-label="{_e(words)}" data-id="{_e(st.id)}" '
            f'data-line="{st.line}" data-status="{_e(st.status)}" data-attestation="{st.attestation}" '
            f'data-interchange="{str(st.interchange).lower()}" data-mark="{_e(mark)}" data-title="{_e(st.title)}">'
            f'<rect x="{x - 12}" y="{y - ROW / 2:.1f}" width="{W - PAD - x + 12}" height="{ROW}" fill="#fff" fill-opacity="0"/>'
            f'<line x1="{x + 8}" y1="{y:.1f}" x2="{label_x - 4}" y2="{y:.1f}" stroke="#bdbdbd" stroke-width="1"/>'
            f'{shape}'
            f'<g class="label-box"><text class="label" x="{label_x}" y="{y - 1:.1f}">{_e(title)}</text>'
            f'<text class="meta" x="{label_x}" y="{y + 12:.1f}">{_e(meta)}</text></g></g>')


def _wrap(text: str, room: float, px: float, lines: int) -> list[str]:
    """`text` (clean) in at most `lines` lines of `room` units, the last cut with an ellipsis."""
    text = _clean(text)
    out: list[str] = []
    rest = text
    while rest and len(out) < lines - 1:
        line = fit(rest, room, px, clean=False)
        if line == rest:
            break
        line = line[:-1]  # without the ellipsis: break at the last space that fits
        cut = line.rfind(" ")
        cut = cut if cut > 0 else len(line)
        out.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        out.append(fit(rest, room, px, clean=False))
    return out


def _card_lines(st: Station) -> list[tuple[str, int, str]]:
    """(text, font size, weight) rows of a station's details card."""
    room = CARD_W - 20
    rows = [(t, 13, "bold") for t in _wrap(st.title, room, 13, 2)]
    rows.append((fit(f"{LABELS[st.line]} \u00b7 {_when(st)}", room, 11), 11, "normal"))
    if st.issuer:
        rows.append((fit((f"At {st.issuer}, recorded by you" if st.issuer != "you" else "Recorded by you") if st.attestation == "self"
                         else "Issued by " + st.issuer, room, 11), 11, "normal"))
    rows.append((fit(st.mark.split(" ", 1)[0] + " " + status_text(st), room, 11), 11, "bold"))
    if st.skills:
        shown = ", ".join(st.skills[:MAX_SKILLS_SHOWN]) + (f" (+{len(st.skills) - MAX_SKILLS_SHOWN})" if len(st.skills) > MAX_SKILLS_SHOWN else "")
        rows += [(t, 11, "normal") for t in _wrap("Skills: " + shown, room, 11, 2)]
    if st.interchange:
        rows.append(("Interchange: a skill shared with another line", 11, "normal"))
    return rows


def _card(layout: Layout, i: int, st: Station) -> str:
    rows = _card_lines(st)
    height = 14 + sum(r[1] + 5 for r in rows)
    y = layout.y[st.id] + ROW / 2 + 2
    if y + height > layout.height - 4:
        y = max(4, layout.y[st.id] - ROW / 2 - 2 - height)
    x = W - PAD - CARD_W
    parts = [f'<g class="detail" id="dt-{i}" aria-hidden="true" data-for="st-{i}">',
             f'<rect x="{x}" y="{y:.1f}" width="{CARD_W}" height="{height}" rx="6" fill="#fffef4" stroke="#222" stroke-width="1.5"/>']
    ty = y + 6
    for text, px, weight in rows:
        ty += px + 5
        parts.append(f'<text x="{x + 10}" y="{ty - 3:.1f}" font-size="{px}" font-weight="{weight}" fill="#111">{_e(text)}</text>')
    parts.append("</g>")
    return "".join(parts)


def render_svg(journey: Journey, *, standalone: bool = True, title: str = "My learning and work journey",
               layout: Layout | None = None) -> str:
    """The map as one SVG document (`standalone`: with its XML declaration-free root, its own
    style and no script); for the HTML page, `standalone=False` leaves the style to the page."""
    layout = layout or Layout(journey)
    j = journey
    span = f"{j.start[:4]}\u2013{j.end[:4]}" if j.start and j.end and j.start[:4] != j.end[:4] else j.start[:4]
    n = len(j.stations)
    crossing = sum(1 for i in j.interchanges if len(i.lines) >= 2)
    desc = (f"A transit-style map of {n} records on {len(layout.lines)} lines "
            f"({', '.join(LABELS[name] + ' ' + str(len(j.line(name))) for name in layout.lines)})"
            + (f", {span}" if span else "") + f"; {crossing} skills are shared between lines (interchanges). "
            "Each station is focusable: Tab moves to the next one, its details appear beside it.")
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="journey" viewBox="0 0 {W} {layout.height}" width="{W}" '
           f'height="{layout.height}" role="group" aria-labelledby="journey-title journey-desc" font-family="{escape(FONT)}" '
           f'data-stations="{n}" data-lines="{len(layout.lines)}" data-interchanges="{crossing}">',
           f'<title id="journey-title">{_e(title)}</title><desc id="journey-desc">{_e(desc)}</desc>']
    if standalone:
        out.append(f"<style>{_css(layout)}</style>")
    out.append(f'<rect class="bg" x="0" y="0" width="{W}" height="{layout.height}" fill="#fff"/>')
    out.append(f'<text x="{PAD}" y="26" font-size="18" font-weight="bold" fill="#111">{_e(fit(title, W - 2 * PAD, 18))}</text>')
    subtitle = f"{n} records" + (f", {span}" if span else "") + f" \u00b7 {crossing} shared skills"
    out.append(f'<text x="{PAD}" y="44" font-size="12" fill="#333">{_e(fit(subtitle, W - 2 * PAD, 12))}</text>')
    out += _legend(layout)
    out += _axis(layout)
    out += _connectors(layout)
    out += _tracks(layout)
    out.append('<g class="stations">')
    out += [_station(layout, i, st) for i, st in enumerate(j.stations)]
    if standalone:  # the page shows details in its panel instead (see render_html)
        out += [_card(layout, i, st) for i, st in enumerate(j.stations)]
    out.append("</g>")
    if not j.stations:
        out.append(f'<text x="{PAD}" y="{layout.top + 10}" font-size="13" fill="#333">No records yet: import credentials or add your experiences.</text>')
    out.append("</svg>")
    return "".join(out)


_SCRIPT = """(function(){
var box=document.getElementById('details');var pinned=null;
var stations=Array.prototype.slice.call(document.querySelectorAll('.journey .station'));
function show(g,pin){var t=g.getAttribute('data-title')||'';var words=g.getAttribute('aria-label')||'';
 if(words.indexOf(t+'; ')===0)words=words.slice(t.length+2);
 box.textContent='';var h=document.createElement('h2');h.textContent=t;box.appendChild(h);
 words.split('; ').forEach(function(r){var p=document.createElement('p');p.textContent=r;box.appendChild(p);});
 if(pin){pinned=g;stations.forEach(function(s){s.setAttribute('aria-pressed',s===g?'true':'false');});}}
stations.forEach(function(g,i){
 g.addEventListener('focus',function(){show(g,false);});
 g.addEventListener('mouseenter',function(){if(!pinned)show(g,false);});
 g.addEventListener('click',function(){g.focus();show(g,true);});
 g.addEventListener('keydown',function(e){
  if(e.key==='Enter'||e.key===' '){e.preventDefault();show(g,true);}
  else if(e.key==='ArrowDown'||e.key==='ArrowRight'){e.preventDefault();if(stations[i+1])stations[i+1].focus();}
  else if(e.key==='ArrowUp'||e.key==='ArrowLeft'){e.preventDefault();if(stations[i-1])stations[i-1].focus();}
  else if(e.key==='Escape'){pinned=null;stations.forEach(function(s){s.setAttribute('aria-pressed','false');});}});
});
document.documentElement.setAttribute('data-ready','1');
})();"""

_PAGE_CSS = f"""*{{box-sizing:border-box}}
body{{margin:0;font-family:{FONT};color:#111;background:#fff;line-height:1.4}}
header,main,footer{{max-width:1100px;margin:0 auto;padding:8px 12px}}
h1{{font-size:1.35rem;margin:.4em 0}}
.layout{{display:block}}
.map svg{{display:block;width:100%;height:auto;max-width:620px}}
#details{{position:sticky;bottom:0;background:#fffef4;border:2px solid #222;border-radius:8px;padding:6px 12px;margin:8px 0;min-height:3em}}
#details h2{{font-size:1.05rem;margin:.2em 0}}
#details p{{margin:.15em 0;font-size:.92rem}}
.list li{{margin:.2em 0}}
.sr-note{{font-size:.9rem;color:#333}}
@media (min-width: 900px){{.layout{{display:grid;grid-template-columns:minmax(0,620px) minmax(0,1fr);gap:20px;align-items:start}}
#details{{position:sticky;top:12px;bottom:auto}}}}
"""


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def render_html(journey: Journey, *, title: str = "My learning and work journey") -> str:
    """A self-contained page: the map, a details panel, the records as a list; nothing to fetch."""
    layout = Layout(journey)
    css = _PAGE_CSS + _css(layout, cards=False)
    csp = f"default-src 'none'; style-src {_csp_hash(css)}; script-src {_csp_hash(_SCRIPT)}; img-src 'none'; base-uri 'none'; form-action 'none'"
    items = []
    for st in journey.stations:
        items.append(f'<li data-id="{_e(st.id)}"><strong>{_e(st.title)}</strong> \u2014 {_e(LABELS[st.line])}, {_e(_when(st))}'
                     + (f", {_e(st.issuer)}" if st.issuer else "") + f", {_e(st.mark)}"
                     + (f". Skills: {_e(_some(st.skills, 20))}" if st.skills else "") + "</li>")
    inter = [f"<li>{_e(i.skill)}: {_e(', '.join(LABELS[n] for n in i.lines))} ({len(i.stations)} records)</li>"
             for i in journey.interchanges if len(i.lines) >= 2]
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{_e(title)}</title><style>{css}</style></head><body>"
        f"<header><h1>{_e(title)}</h1><p class=\"sr-note\">Each record is a station on its line. Tab moves from station "
        "to station (arrow keys too); its details appear beside it and in the panel. Enter or a click pins them.</p></header>"
        f'<main><div class="layout"><div class="map">{render_svg(journey, standalone=False, title=title, layout=layout)}</div>'
        '<aside id="details" aria-live="polite" aria-label="Station details"><p>Choose a station to see its details '
        "and whether it was verified.</p></aside></div>"
        f'<details class="list"><summary>The journey as a list ({len(journey.stations)} records)</summary><ol>{"".join(items)}</ol></details>'
        + (f'<details class="list"><summary>Skills shared between lines ({len(inter)})</summary><ul>{"".join(inter)}</ul></details>' if inter else "")
        + "</main><footer class=\"sr-note\">Made by lerwallet from the wallet's records. Nothing on this page is loaded "
        "from elsewhere.</footer>"
        f"<script>{_SCRIPT}</script></body></html>\n"
    )
