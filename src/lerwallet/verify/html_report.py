"""A self-contained HTML report (inline CSS, no scripts, no external resources) an employer
can file or forward. Every string from a credential is escaped."""

from __future__ import annotations

from html import escape

from lerwallet.verify.report import Report, counts_line, overall

_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem;color:#222}
h1{font-size:1.4rem}.verdict{font-size:1.2rem;font-weight:bold;padding:.6rem 1rem;border-radius:.4rem}
.valid{background:#e3f6e5}.invalid,.unreadable{background:#fde2e1}.inconclusive{background:#fff4d6}
section{border:1px solid #ccc;border-radius:.4rem;padding:.8rem 1rem;margin:1rem 0}
table{border-collapse:collapse;width:100%}td,th{padding:.2rem .5rem;text-align:left;vertical-align:top;border-top:1px solid #eee}
td.o{font-weight:bold;white-space:nowrap}.pass{color:#176b29}.fail{color:#b3261e}.warn{color:#8a5a00}
.unknown{color:#5b4b9a}.skipped{color:#666}dl{display:grid;grid-template-columns:max-content auto;gap:.1rem 1rem}
dt{color:#555}dd{margin:0}
"""

VERDICT_TEXT = {
    "valid": "VERIFIED",
    "invalid": "NOT VERIFIED",
    "inconclusive": "INCONCLUSIVE: something could not be checked",
    "unreadable": "UNREADABLE INPUT",
}


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _checks(checks) -> str:
    rows = "".join(
        f'<tr><td class="o {_e(c.outcome)}">{_e(c.outcome)}</td><td><code>{_e(c.id)}</code></td><td>{_e(c.reason)}</td></tr>'
        for c in checks
    )
    return f"<table>{rows}</table>"


def _credential(cred) -> str:
    s = cred.summary
    fields = [
        ("Title", s.get("title")), ("Issuer", " ".join(x for x in (s.get("issuer_label"), s.get("issuer_id")) if x)),
        ("Subject", s.get("subject_id")), ("Issued", s.get("issued")), ("Valid until", s.get("valid_until")),
        ("Skills", ", ".join(k.get("name", "") for k in s.get("skills", []) if k.get("name"))),
        ("Disclosed", s.get("description") if s.get("data_model") == "SD-JWT VC" else ""),
    ]
    dl = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in fields if v)
    body = f'<section><h3>{_e(s.get("title") or cred.source)} <span class="{_e(cred.verdict)}">[{_e(cred.verdict)}]</span></h3>'
    body += f"<dl>{dl}</dl>{_checks(cred.checks)}"
    for e in cred.endorsements:
        body += "<h4>Endorsement</h4>" + _credential(e)
    return body + "</section>"


def _summary_table(reports: list[Report]) -> str:
    """One row per credential, verdict first: what a reader skimming the report needs."""
    rows = []
    for r in reports:
        for c in r.credentials:
            s = c.summary
            rows.append(
                f'<tr><td class="o {_e(c.verdict)}">{_e(c.headline())}</td>'
                f'<td>{_e(s.get("title") or "")}</td><td>{_e(s.get("issuer_label") or s.get("issuer_id") or "")}</td>'
                f'<td>{_e(s.get("subject_id") or "")}</td><td><code>{_e(c.source)}</code></td></tr>'
            )
    head = "<tr><th>Verdict</th><th>Credential</th><th>Issuer</th><th>Subject</th><th>File</th></tr>"
    return f'<table id="summary">{head}{"".join(rows)}</table>' if rows else "<p>No credentials were found in the inputs.</p>"


def _options(options: dict | None) -> str:
    used = [(k, v) for k, v in (options or {}).items() if v not in (None, "", False)]
    if not used:
        return "<p>Options used: none (offline, no trust list, no challenge or domain).</p>"
    items = "".join(f"<dt><code>{_e(k)}</code></dt><dd>{_e(v)}</dd>" for k, v in used)
    return f'<h2>Options used</h2><dl id="options">{items}</dl>'


def render(reports: list[Report], *, at: str, run_at: str | None = None, options: dict | None = None) -> str:
    """`at` is the moment dates were judged (`--at`, else now); `run_at` when the check ran."""
    verdict, _code = overall(reports)
    counts = counts_line(reports)
    when = (f"Judged as of {_e(at)} (--at), run at {_e(run_at)}" if run_at and run_at != at
            else f"Checked at {_e(at)}")
    parts = [
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">",
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>lerwallet verification report: {_e(verdict)}</title><style>{_CSS}</style></head><body>",
        "<h1>Credential verification report</h1>",
        f'<p id="verdict" class="verdict {_e(verdict)}">{_e(VERDICT_TEXT[verdict])}: {_e(counts)}</p>',
        f"<p>{when} by lerwallet.</p>",
        _summary_table(reports),
        _options(options),
        "<h2>Details</h2>",
    ]
    for r in reports:
        parts.append(f'<section><h2>{_e(r.source)}</h2><p>{_e(r.kind)}, verdict <b class="{_e(r.verdict)}">{_e(r.verdict)}</b></p>')
        if r.presentation_checks:
            parts.append(f"<h3>Presentation{(' by ' + _e(r.holder)) if r.holder else ''}</h3>{_checks(r.presentation_checks)}")
        parts.extend(_credential(c) for c in r.credentials)
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)
