"""The résumé export: chosen records as an LER-RS document, a printable HTML page, or JSON Resume.

    gather(wallet, ids, filters) -> [Entry]     choose (present.select) and read each credential
    make(wallet, entries, ResumeOptions) -> Made the document, validated (LER-RS, JSON Resume), or
                                                 the page with its QR code (a signed presentation,
                                                 made and self-checked by lerwallet.present)
    Made.commit(reserved) / record(wallet)       write it atomically; for a page with a signed
                                                 presentation, add the history entry

Nothing is written before the document is complete and valid: an invalid LER-RS or JSON Resume
document raises `InvalidResumeError` (exit 1). See docs/record.md, "The résumé".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from lerwallet.errors import EXIT_INVALID, LerwalletError, UsageError
from lerwallet.resume.entries import SECTIONS, Entry, Person, gather, is_self_attested, skills_of

FORMATS = ("ler-rs", "html", "json")
QR_ECC = "L"  # the page is printed clean; the code is at its densest that still fits
QR_MAX_VERSION = 40  # the largest QR code; printed at QR_MODULE_MM per module it is 61 mm wide
QR_MODULE_MM = 0.33  # printed module size: phone cameras read 0.3 mm modules at a hand's distance
QR_MIN_MM = 30

__all__ = ["FORMATS", "SECTIONS", "Entry", "InvalidResumeError", "Made", "Person", "ResumeOptions", "gather",
           "is_self_attested", "make", "skills_of"]


class InvalidResumeError(LerwalletError):
    """The document made does not validate against its schema; nothing was written (exit 1)."""

    exit_code = EXIT_INVALID

    def __init__(self, message: str, *, problems: list[str], hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.problems = problems


@dataclass
class ResumeOptions:
    format: str = "ler-rs"
    person: Person = field(default_factory=Person)
    link: str | None = None  # the HTML page's QR code when the presentation does not fit
    paper: str = "auto"  # auto | a4 | letter (HTML @page size)
    qr: bool = True  # HTML: put a QR code on the page
    now: datetime | None = None

    def check(self) -> None:
        """Every check that needs no wallet (run before asking for a passphrase)."""
        from lerwallet.resume.html import PAPERS

        if self.format not in FORMATS:
            raise UsageError(f"unknown résumé format {self.format!r}", hint="--format is ler-rs, html or json")
        if self.link is not None:
            if not self.link.startswith(("https://", "http://")) or len(self.link) > 2000 or not self.link.isprintable() \
                    or any(c.isspace() for c in self.link):
                raise UsageError(f"--link must be an http(s) URL, not {self.link[:60]!r}",
                                 hint="for example --link https://example.com/me/resume")
            if self.format != "html":
                raise UsageError("--link goes into the HTML page's QR code", hint="add --format html, or drop --link")
        if self.paper not in PAPERS:
            raise UsageError(f"unknown --paper {self.paper!r}", hint="--paper is auto, a4 or letter")
        for name in ("name", "email", "headline"):
            value = getattr(self.person, name)
            if value and (len(value) > 300 or not value.isprintable()):
                raise UsageError(f"--{name} must be at most 300 printable characters")
        if self.person.email:  # the one address rule, as for verify/import/recheck --email
            from lerwallet.verify.options import checked_emails

            [self.person.email] = checked_emails(self.person.email)


@dataclass
class Made:
    """A résumé ready to be written: `data` is the file's bytes."""

    data: bytes
    format: str
    entries: list[Entry]
    document: dict | None = None  # LER-RS / JSON Resume
    presentation: object = None  # the signed presentation in the HTML page's QR code, if any
    qr: dict | None = None  # {"content": "presentation"|"link", "version", "ecc", "bytes"}
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        sections: dict[str, int] = {}
        for e in self.entries:
            sections[e.section] = sections.get(e.section, 0) + 1
        return {"format": self.format, "bytes": len(self.data), "entries": [e.to_dict() for e in self.entries],
                "sections": sections, "skills": len(skills_of(self.entries)),
                "self_attested": sum(1 for e in self.entries if e.self_attested),
                "verified": sum(1 for e in self.entries if e.issuer_attested_verified),
                "qr": self.qr, "warnings": list(self.warnings)}

    def record(self, wallet, path: str) -> object | None:
        """The history entry for the page's signed presentation (what was shared), once written."""
        if self.presentation is None:
            return None
        from lerwallet.present import history

        return history.record(wallet, self.presentation, outputs=[{"form": "resume-html", "path": path}])


def _json(doc: dict) -> bytes:
    import json

    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def make(wallet, entries: list[Entry], options: ResumeOptions) -> Made:
    """The résumé of `entries` in `options.format`. Raises `InvalidResumeError` when the document
    does not validate; nothing is written here."""
    from lerwallet.utc import iso

    options.check()
    now = (options.now or datetime.now(timezone.utc)).replace(microsecond=0)
    made_at = iso(now)
    if options.format == "ler-rs":
        from lerwallet.resume import lerrs, schema
        from lerwallet.store.vault import new_id

        doc = lerrs.build(entries, options.person, document_id=f"urn:uuid:{_uuid(new_id())}")
        problems = schema.lerrs_problems(doc, entry_schemas=lerrs.ENTRY_SCHEMAS)
        if problems:
            raise InvalidResumeError(f"the LER-RS document would not validate: {problems[0]}", problems=problems,
                                     hint="nothing was written; please report this with the entry named")
        return Made(_json(doc), "ler-rs", entries, document=doc)
    if options.format == "json":
        from lerwallet.resume import jsonresume, schema

        doc = jsonresume.build(entries, options.person, made_at=made_at)
        problems = schema.json_resume_problems(doc)
        if problems:
            raise InvalidResumeError(f"the JSON Resume document would not validate: {problems[0]}", problems=problems,
                                     hint="nothing was written")
        return Made(_json(doc), "json", entries, document=doc)
    return _html(wallet, entries, options, now, made_at)


def _uuid(hex_id: str) -> str:
    """A version-4-shaped UUID from a random wallet id (32 hex digits)."""
    h = (hex_id + "0" * 32)[:32]
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) % 4]}{h[17:20]}-{h[20:32]}"


def _html(wallet, entries: list[Entry], options: ResumeOptions, now: datetime, made_at: str) -> Made:
    from lerwallet.resume.html import render

    warnings: list[str] = []
    qr_svg, caption, qr, vp = None, "", None, None
    if options.qr:
        attested = [e for e in entries if e.presentable]
        content = None
        if attested:
            vp = _presentation(wallet, attested, now)
            content = _qr_content(vp.data)
            if content is None:
                warnings.append(f"the signed presentation of the {len(attested)} verified entries does not fit in one "
                                f"printable QR code (at most version {QR_MAX_VERSION})"
                                + ("; the page's code holds --link instead" if options.link else "; give --link URL to print a link instead"))
                vp = None
            else:
                qr = {"content": "presentation", "credentials": [e.id for e in attested]}
                caption = f"Signed presentation of the {len(attested)} verified entr{'y' if len(attested) == 1 else 'ies'}"
        elif not options.link:
            warnings.append("no issuer-attested, verified entry to present: the page has no QR code "
                            "(give --link URL to print a link)")
        if content is None and options.link:
            content = _qr_content(options.link.encode("utf-8"), raw=True)
            qr = {"content": "link", "link": options.link}
            caption = options.link
        size_mm = QR_MIN_MM
        if content is not None:
            code, svg = content
            size_mm = max(QR_MIN_MM, round((17 + 4 * code.version + 8) * QR_MODULE_MM))
            qr.update({"version": code.version, "ecc": QR_ECC, "mode": code.mode, "size_mm": size_mm})
            qr_svg = svg
    page = render(entries, options.person, qr_svg=qr_svg, qr_caption=caption, made_at=made_at, paper=options.paper,
                  qr_mm=size_mm if qr_svg else QR_MIN_MM)
    return Made(page.encode("utf-8"), "html", entries, presentation=vp, qr=qr, warnings=warnings)


def _presentation(wallet, attested: list[Entry], now: datetime):
    """A signed presentation (Data Integrity, by the identity each credential was issued to) of
    the verified issuer-attested entries, checked by the verify pipeline. No verifier is known
    when a résumé is printed: the challenge is random and no domain is named."""
    from lerwallet.present import PresentOptions, build, plan, self_check
    from lerwallet.present.answer import apply_disclosures

    p = plan(wallet, [e.chosen for e in attested], PresentOptions(now=now))
    apply_disclosures(wallet, p, paths=None)  # a selective-disclosure base credential goes as a derived copy
    vp = build(wallet, p)
    self_check(vp)
    return vp


def _qr_content(data: bytes, *, raw: bool = False):
    """(code, inline svg) for one QR code holding `data` (a presentation in lerwallet's QR
    payload, or with `raw` a link as it is), or None when it needs more than one code or a
    version above QR_MAX_VERSION."""
    from lerwallet.qr import payload, render

    if raw:
        version = payload.smallest_version("byte", len(data), QR_ECC, QR_MAX_VERSION)
        if version is None:
            return None
        code = payload.Code(content=data, mode="byte", version=version, index=1, count=1)
    else:
        try:
            encoded = payload.encode(data, ecc=QR_ECC, max_parts=1, max_version=QR_MAX_VERSION)
        except payload.QrError:
            return None
        code = encoded.codes[0]
    rows = render.matrix(code, QR_ECC)
    svg = render.svg(rows, "QR code").decode("utf-8")
    return code, svg.replace('<svg ', '<svg role="img" aria-label="QR code" ', 1).strip()
