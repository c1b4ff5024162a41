"""The résumé as one printable, self-contained HTML page: inline CSS (screen and print: A4 and
US Letter), no script, no external resource (no font, image or link is fetched to show it), a
mark per entry (verified, self-attested, expired, ...), and a QR code as inline SVG.

The QR code holds a signed presentation of the issuer-attested, verified entries when it fits in
one code (lerwallet's QR payload, docs/qr-format.md, which `lerwallet verify` reads back), else
the link the learner gave (`--link`), else nothing (the page says so).
"""

from __future__ import annotations

from html import escape

from lerwallet.resume.entries import SECTION_TITLES, SECTIONS, Entry, Person, skills_of

PAPERS = {"auto": "", "a4": "size: A4;", "letter": "size: letter;"}

CSS = """
*{box-sizing:border-box}
html{font-family:"Helvetica Neue",Arial,"Liberation Sans",sans-serif;color:#111;background:#fff}
body{margin:0 auto;max-width:186mm;padding:10mm 0;font-size:10pt;line-height:1.35}
header{display:flex;justify-content:space-between;align-items:flex-start;gap:6mm;border-bottom:1.5pt solid #222;padding-bottom:3mm}
h1{font-size:20pt;margin:0 0 1mm}
.headline{font-size:11pt;margin:0;color:#333}
.contact{margin:1mm 0 0;font-size:9pt;color:#333;word-break:break-all}
h2{font-size:11pt;text-transform:uppercase;letter-spacing:.06em;margin:4mm 0 1.5mm;border-bottom:.5pt solid #999}
ol.entries{list-style:none;margin:0;padding:0}
li.entry{margin:0 0 2mm;break-inside:avoid;page-break-inside:avoid}
.line{display:flex;justify-content:space-between;gap:4mm}
.title{font-weight:bold}
.when{white-space:nowrap;color:#333;font-size:9pt}
.org{color:#222}
.desc{margin:.5mm 0 0;color:#222}
.skills{margin:.5mm 0 0;font-size:8.5pt;color:#444}
.mark{display:inline-block;font-size:7.5pt;font-weight:bold;border:.75pt solid;border-radius:2pt;padding:0 1.2mm;margin-left:1.5mm;vertical-align:1pt;white-space:nowrap}
.mark.verified{color:#0a5d1e;border-color:#0a5d1e}
.mark.self{color:#6b4a00;border-color:#6b4a00;border-style:dashed}
.mark.other{color:#8a1c1c;border-color:#8a1c1c}
ul.skilllist{margin:0;padding:0;list-style:none;columns:2;column-gap:8mm}
ul.skilllist li{break-inside:avoid}
figure.qr{margin:0;text-align:center;flex:none}
figure.qr svg{display:block}
figure.qr figcaption{font-size:7pt;color:#333;margin-top:.5mm}
footer{margin-top:4mm;border-top:.5pt solid #999;padding-top:1.5mm;font-size:7.5pt;color:#444}
@media print{body{padding:0;max-width:none}a{color:inherit;text-decoration:none}}
"""


def _mark(entry: Entry) -> str:
    if entry.self_attested:
        return '<span class="mark self" title="Recorded and signed by the holder, not by a third party">SELF-ATTESTED</span>'
    if entry.status == "verified":
        return (f'<span class="mark verified" title="Issued by {escape(entry.issuer_name or entry.issuer_id)}; '
                f'its signature and status were checked">&#10003; VERIFIED</span>')
    return f'<span class="mark other">{escape(entry.mark.upper())}</span>'


def _when(entry: Entry) -> str:
    start = entry.start
    if entry.section in ("work", "volunteer", "projects") and start:
        return f"{start} &ndash; {escape(entry.end) if entry.end else 'present'}" if entry.end or entry.self_attested \
            else escape(start)
    if start and entry.end:
        return f"{escape(start)} &ndash; {escape(entry.end)}"
    return escape(entry.issued or start or entry.end)


def _entry(entry: Entry) -> str:
    head = escape(entry.role) + " &middot; " + escape(entry.title) if entry.role and entry.role != entry.title else escape(entry.title)
    org = escape(entry.organization) + (f", {escape(entry.location)}" if entry.location else "")
    parts = [f'<li class="entry" id="e-{escape(entry.id[:12])}">',
             f'<div class="line"><span><span class="title">{head}</span>{_mark(entry)}</span>'
             f'<span class="when">{_when(entry)}</span></div>']
    if org:
        parts.append(f'<div class="org">{org}</div>')
    if entry.description:
        parts.append(f'<p class="desc">{escape(entry.description[:600])}</p>')
    if entry.skills:
        parts.append('<div class="skills">Skills: ' + ", ".join(escape(k["name"]) for k in entry.skills[:12]) + "</div>")
    parts.append("</li>")
    return "".join(parts)


def render(entries: list[Entry], person: Person, *, qr_svg: str | None, qr_caption: str, made_at: str,
           paper: str = "auto", qr_mm: int = 30) -> str:
    """The page, as text. `qr_svg` is an inline <svg> element (or None)."""
    title = person.name or "Résumé"
    contact = [escape(x) for x in (person.email,) if x]
    head = [f"<h1>{escape(title)}</h1>"]
    if person.headline:
        head.append(f'<p class="headline">{escape(person.headline)}</p>')
    if contact:
        head.append(f'<p class="contact">{" &middot; ".join(contact)}</p>')
    qr = ""
    if qr_svg:
        sized = qr_svg.replace("<svg ", f'<svg style="width:{qr_mm}mm;height:{qr_mm}mm" ', 1)
        qr = (f'<figure class="qr" style="width:{qr_mm}mm" aria-label="{escape(qr_caption)}">{sized}'
              f'<figcaption>{escape(qr_caption)}</figcaption></figure>')
    body = [f'<header><div>{"".join(head)}</div>{qr}</header>']
    for section in SECTIONS:
        items = [e for e in entries if e.section == section]
        if items:
            body.append(f'<section aria-labelledby="h-{section}"><h2 id="h-{section}">{SECTION_TITLES[section]}</h2>'
                        f'<ol class="entries">{"".join(_entry(e) for e in items)}</ol></section>')
    skills = skills_of(entries)
    if skills:
        lis = []
        for k in skills:
            note = " (verified)" if k["verified"] else " (self-attested)" if k["self_attested"] else ""
            lis.append(f"<li>{escape(k['name'])}<span class=\"when\">{note}</span></li>")
        body.append(f'<section aria-labelledby="h-skills"><h2 id="h-skills">Skills</h2><ul class="skilllist">{"".join(lis)}</ul></section>')
    verified = sum(1 for e in entries if e.issuer_attested_verified)
    selfs = sum(1 for e in entries if e.self_attested)
    body.append(f"<footer>{len(entries)} entries from a lerwallet wallet, {escape(made_at)}: {verified} issuer-attested "
                f"and verified when imported, {selfs} self-attested (signed by the holder only). "
                + ("Scan the code to check the verified entries with any verifier (lerwallet verify reads it)."
                   if qr_svg and "presentation" in qr_caption else "Ask the holder for the credentials to verify them.")
                + "</footer>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
            f"<title>{escape(title)}</title><style>@page{{{PAPERS[paper]}margin:12mm}}{CSS}</style></head>"
            f"<body>{''.join(body)}</body></html>\n")
