"""The learner's journey: every record as a station on a line (education, work, service,
skills), in date order, with interchanges where records evidence the same skill.

`build(records)` takes objects with `id`, `summary` and `status` (the store's records) and gives
a `Journey`; `lerwallet.journey.mapsvg` draws it as a transit-style map. The line of a record
comes from its OB 3.0 `achievementType` (or an `ext:` type's words) by the table `LINE_OF`,
documented in docs/record.md; everything else is on the skills line.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from lerwallet import skills as skills_lib

LINES = ("education", "work", "service", "skills")
LABELS = {"education": "Education", "work": "Work", "service": "Service and volunteering", "skills": "Skills and badges"}

# OB 3.0 achievementType (the enumeration) -> line; compared case-insensitively.
LINE_OF = {
    **{t.lower(): "education" for t in (
        "AssociateDegree", "BachelorDegree", "Certificate", "CertificateOfCompletion", "Course", "CoCurricular",
        "Degree", "Diploma", "DoctoralDegree", "GeneralEducationDevelopment", "LearningProgram", "MasterDegree",
        "ProfessionalDoctorate", "ResearchDoctorate", "SecondarySchoolDiploma", "Assessment", "Assignment")},
    **{t.lower(): "work" for t in (
        "ApprenticeshipCertificate", "JourneymanCertificate", "MasterCertificate", "License", "Certification",
        "Fieldwork", "Membership", "QualityAssuranceCredential")},
    "communityservice": "service",
    **{t.lower(): "skills" for t in ("Achievement", "Award", "Badge", "Competency", "MicroCredential")},
}
# Words of an `ext:` type (the learner's own kinds of record) -> line, first match wins.
EXT_WORDS = (
    ("volunteer", "service"), ("military", "service"), ("service", "service"),
    ("intern", "work"), ("apprentice", "work"), ("work", "work"), ("job", "work"), ("employ", "work"),
    ("project", "work"), ("publication", "work"),
    ("education", "education"), ("conference", "education"), ("course", "education"),
    ("award", "skills"),
)


def line_of(summary: dict) -> str:
    """The line a record belongs on (see LINE_OF / EXT_WORDS)."""
    kind = str(summary.get("achievement_type") or "").strip()
    found = LINE_OF.get(kind.lower())
    if found:
        return found
    words = kind.lower()
    if words:
        for word, line in EXT_WORDS:
            if word in words:
                return line
    if str(summary.get("kind") or "") == "ClrCredential":
        return "education"
    return "skills"


_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def day_of(text: str) -> int | None:
    """The day number (proleptic Gregorian ordinal) of a date as credentials write it: the
    YYYY[-MM[-DD]] it starts with; None when there is none."""
    m = _DATE.match(text or "")
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)).toordinal()
    except ValueError:
        return None


def iso_day(day: int) -> str:
    return date.fromordinal(day).isoformat()


@dataclass
class Station:
    id: str
    title: str
    issuer: str  # the issuer's name (or id); for a self-attested record, the organisation (`org`), else "you"
    line: str
    date: str  # YYYY-MM-DD: the start of the activity, else the issue date ("" when neither)
    end: str  # YYYY-MM-DD the activity ended ("" when none or ongoing)
    issued: str  # as written
    status: str  # the stored status: verified, expired, ...
    attestation: str  # issuer | self
    skills: list[str] = field(default_factory=list)  # names, as `lerwallet skills` shows them
    interchange: bool = False  # shares a skill with a station on another line

    @property
    def mark(self) -> str:
        """The verification mark, in words as well as a sign (never colour alone)."""
        if self.attestation == "self":
            return "\u25c7 self-attested" + ("" if self.status == "verified" else f" ? {self.status}")
        if self.status == "verified":
            return "\u2713 verified"
        return f"? {self.status}"

    def to_dict(self) -> dict:
        return {**asdict(self), "mark": self.mark}


@dataclass
class Interchange:
    skill: str
    stations: list[str]  # ids, in date order
    lines: list[str]


@dataclass
class Journey:
    stations: list[Station]  # in date order (undated last)
    interchanges: list[Interchange]
    start: str = ""
    end: str = ""

    def line(self, name: str) -> list[Station]:
        return [s for s in self.stations if s.line == name]

    @property
    def lines(self) -> list[str]:
        used = {s.line for s in self.stations}
        return [name for name in LINES if name in used]

    def to_dict(self) -> dict:
        return {
            "start": self.start, "end": self.end,
            "lines": [{"line": name, "label": LABELS[name], "stations": [s.id for s in self.line(name)]} for name in self.lines],
            "stations": [s.to_dict() for s in self.stations],
            "interchanges": [asdict(i) for i in self.interchanges],
        }


MAX_TEXT = 300  # characters of a title or issuer kept (the map cuts labels further; the page is bounded)


def _cap(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "\u2026"


def _day_text(text: str) -> str:
    day = day_of(text)
    return iso_day(day) if day is not None else ""


def build(records: list) -> Journey:
    """The journey of `records` (damaged ones, with no summary, are left out)."""
    records = [r for r in records if getattr(r, "summary", None)]
    merged = skills_lib.aggregate(records)
    names: dict[str, list[str]] = {}
    for skill in merged:
        for cred in skill["credentials"]:
            names.setdefault(cred["id"], []).append(skill["name"])
    stations = []
    for r in records:
        s = r.summary
        own = skills_lib.self_attested(s)
        stations.append(Station(
            id=r.id, title=_cap(str(s.get("title") or "(untitled)")),
            issuer=_cap(str(s.get("org") or "you") if own else str(s.get("issuer_name") or s.get("issuer_id") or "")),
            line=line_of(s), date=_day_text(s.get("activity_start") or "") or _day_text(s.get("issued") or ""),
            end=_day_text(s.get("activity_end") or ""), issued=str(s.get("issued") or ""), status=r.status,
            attestation="self" if own else "issuer", skills=names.get(r.id, [])))
    stations.sort(key=lambda st: (st.date == "", st.date, st.title.casefold(), st.id))
    by_id = {st.id: st for st in stations}
    order = {st.id: i for i, st in enumerate(stations)}
    interchanges = []
    for skill in merged:
        ids = sorted({c["id"] for c in skill["credentials"] if c["id"] in by_id}, key=order.__getitem__)
        lines = sorted({by_id[i].line for i in ids}, key=LINES.index)
        if len(ids) >= 2:
            interchanges.append(Interchange(skill=skill["name"], stations=ids, lines=lines))
            if len(lines) >= 2:
                for i in ids:
                    by_id[i].interchange = True
    dated = [st.date for st in stations if st.date] + [st.end for st in stations if st.end]
    return Journey(stations=stations, interchanges=interchanges, start=min(dated) if dated else "",
                   end=max(dated) if dated else "")
