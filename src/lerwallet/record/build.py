"""The record model and the credential builder: what `lerwallet add` and `edit` make.

A record is an Open Badges 3.0 AchievementCredential (VC 2.0 + OB 3.0 context 3.0.3) whose issuer
is the learner's own DID and whose only subject is that same DID. Every term comes from those
two bundled contexts (docs/record.md, "What a record is made of"):

  kind            credentialSubject.achievement.achievementType (OB 3.0 enumeration, or ext:)
  title           name (credential) and achievement.name
  org, location   achievement.creator: a Profile with name and address.addressLocality
  from, to        credentialSubject.activityStartDate / activityEndDate (date-times at 00:00Z)
  role            credentialSubject.role
  description     achievement.description (required by OB 3.0: a plain one is written if none)
  skill           achievement.tag (schema.org keywords: the learner's own skill words)
  skill code      achievement.alignment (targetName, targetFramework, targetCode, targetUrl, targetType)
  url             achievement.url (schema.org url: the item's own page)
  evidence        evidence (OB 3.0 Evidence: a URL, or a file named by its SHA-256 `ni:` URI)

Pure: no wallet, no I/O except `RecordInput.from_json`'s caller reading the file. Bad input
raises `UsageError` with a hint; nothing here touches the store.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from lerwallet.errors import UsageError

V2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CONTEXT = [V2, OB3]
TYPES = ["VerifiableCredential", "AchievementCredential"]

# kind -> (achievementType, label). OB 3.0's enumeration where one fits; an `ext:` term (allowed
# by the OB 3.0 schema's pattern) where none does.
KINDS: dict[str, tuple[str, str]] = {
    "work": ("ext:WorkExperience", "Work experience"),
    "volunteer": ("CommunityService", "Volunteering"),
    "internship": ("Fieldwork", "Internship"),
    "apprenticeship": ("ApprenticeshipCertificate", "Apprenticeship"),
    "education": ("LearningProgram", "Education"),
    "military": ("ext:MilitaryService", "Military service"),
    "conference": ("ext:Conference", "Conference"),
    "publication": ("ext:Publication", "Publication"),
    "project": ("ext:Project", "Project"),
    "award": ("Award", "Award"),
}
# Other OB 3.0 achievement types read as one of the kinds (`kind_of`), for issued credentials too.
_EDUCATION_TYPES = {"AssociateDegree", "BachelorDegree", "Certificate", "CertificateOfCompletion", "Certification",
                    "Course", "CoCurricular", "Degree", "Diploma", "DoctoralDegree", "GeneralEducationDevelopment",
                    "MasterCertificate", "MasterDegree", "MicroCredential", "ProfessionalDoctorate",
                    "ResearchDoctorate", "SecondarySchoolDiploma", "LearningProgram", "Assessment", "Assignment"}
_BY_TYPE = {t: k for k, (t, _) in KINDS.items()} | {t: "education" for t in _EDUCATION_TYPES} | \
    {"JourneymanCertificate": "apprenticeship"}

# Skill frameworks lerwallet can write a targetUrl for (the OB 3.0 schema requires one).
FRAMEWORKS: dict[str, tuple[str, str, re.Pattern]] = {
    "esco": ("ESCO", "http://data.europa.eu/esco/skill/{code}",
             re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")),
    "onet": ("O*NET-SOC", "https://www.onetonline.org/link/summary/{code}", re.compile(r"^[0-9]{2}-[0-9]{4}\.[0-9]{2}\Z")),
    "lightcast": ("Lightcast Open Skills", "https://lightcast.io/open-skills/skills/{code}",
                  re.compile(r"^[A-Z0-9]{8,32}\Z")),
}
_FRAMEWORK_ALIASES = {"o*net": "onet", "o*net-soc": "onet", "onet-soc": "onet", "emsi": "lightcast",
                      "lightcast open skills": "lightcast"}
SKILL_TARGET_TYPE = "ceasn:Competency"

MAX_TEXT = 4000  # characters in one text field
MAX_SKILLS = 100
MAX_EVIDENCE = 20
_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*\Z", re.IGNORECASE)


@dataclass
class Alignment:
    name: str
    framework: str
    code: str
    url: str
    target_type: str = SKILL_TARGET_TYPE

    def to_json(self) -> dict:
        out = {"type": ["Alignment"], "targetName": self.name, "targetUrl": self.url}
        if self.framework:
            out["targetFramework"] = self.framework
        if self.code:
            out["targetCode"] = self.code
        if self.target_type:
            out["targetType"] = self.target_type
        return out


@dataclass
class Evidence:
    """A URL, or a file (its bytes are stored in the wallet, named here by name and digest)."""

    url: str = ""
    name: str = ""
    sha256: str = ""  # hex, for a file
    size: int = 0
    media_type: str = ""

    @property
    def is_file(self) -> bool:
        return bool(self.sha256)

    def ni(self) -> str:
        """RFC 6920 Named Information URI of the file's SHA-256 digest."""
        import base64

        return "ni:///sha-256;" + base64.urlsafe_b64encode(bytes.fromhex(self.sha256)).decode("ascii").rstrip("=")

    def to_json(self) -> dict:
        if not self.is_file:
            out = {"id": self.url, "type": ["Evidence"]}
            if self.name:
                out["name"] = self.name
            return out
        media = f", {self.media_type}" if self.media_type else ""
        return {"id": self.ni(), "type": ["Evidence"], "name": self.name, "genre": "File",
                "description": f"A file kept in the learner's wallet ({self.size} bytes{media}; SHA-256 {self.sha256})"}


@dataclass
class RecordInput:
    """One experience as the learner describes it (checked by `validate`)."""

    kind: str
    title: str
    org: str
    start: str  # YYYY-MM-DD
    end: str = ""
    role: str = ""
    location: str = ""
    description: str = ""
    skills: list[str] = field(default_factory=list)
    alignments: list[Alignment] = field(default_factory=list)
    url: str = ""
    evidence: list[Evidence] = field(default_factory=list)

    def with_changes(self, **changes: Any) -> "RecordInput":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


# --- parsing the learner's words -----------------------------------------------------------------


def check_kind(kind: str | None) -> str:
    if not kind:
        raise UsageError("say what kind of experience this is", hint=f"lerwallet add KIND, KIND one of: {', '.join(KINDS)}")
    if kind not in KINDS:
        raise UsageError(f"unknown kind {kind[:40]!r}", hint=f"KIND is one of: {', '.join(KINDS)}")
    return kind


def parse_date(text: str | None, flag: str) -> str:
    """YYYY-MM-DD, YYYY-MM or YYYY (a month or a year means its first day) -> YYYY-MM-DD."""
    if text is None or not str(text).strip():
        raise UsageError(f"{flag} needs a date", hint=f"{flag} YYYY-MM-DD (or YYYY-MM, or YYYY)")
    m = _DATE.match(str(text).strip())
    try:
        if not m:
            raise ValueError
        when = date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
        if when.year < 1900:
            raise ValueError
    except ValueError:
        raise UsageError(f"{flag} {str(text)[:40]!r} is not a date",
                         hint=f"{flag} YYYY-MM-DD, YYYY-MM or YYYY, from 1900 on (a month or a year means its first day)") from None
    return when.isoformat()


def parse_skill_code(text: str) -> Alignment:
    """FRAMEWORK:CODE[=NAME] for a framework lerwallet knows the URLs of."""
    spec, _, name = str(text).partition("=")
    framework, sep, code = spec.partition(":")
    key = _FRAMEWORK_ALIASES.get(framework.strip().lower(), framework.strip().lower())
    known = ", ".join(FRAMEWORKS)
    if not sep or not code.strip():
        raise UsageError(f"--skill-code {text[:60]!r} is not FRAMEWORK:CODE",
                         hint=f"for example --skill-code 'esco:ccd0a1d9-afda-43d9-b901-96344886e14d=Python'; frameworks: {known}")
    if key not in FRAMEWORKS:
        raise UsageError(f"lerwallet cannot link skill framework {framework[:40]!r}: the OB 3.0 alignment needs a targetUrl",
                         hint=f"use one of: {known}; or give the whole alignment (with targetUrl) in --from-file (docs/record.md)")
    label, template, pattern = FRAMEWORKS[key]
    code = code.strip()
    if not pattern.match(code):
        raise UsageError(f"{code[:60]!r} is not a {label} code", hint=f"{label} codes look like {_EXAMPLES[key]}")
    return Alignment(name=name.strip() or code, framework=label, code=code, url=template.format(code=code))


_EXAMPLES = {"esco": "ccd0a1d9-afda-43d9-b901-96344886e14d", "onet": "15-1252.00", "lightcast": "KS1200364C9C1LK3V5Q1"}


def _alignment_from_json(item: Any, where: str) -> Alignment:
    if isinstance(item, str):
        return parse_skill_code(item)
    if not isinstance(item, dict):
        raise UsageError(f"{where}: an alignment is a FRAMEWORK:CODE string or an object")
    unknown = set(item) - {"targetName", "targetFramework", "targetCode", "targetUrl", "targetType", "type"}
    if unknown:
        raise UsageError(f"{where}: unknown alignment field {sorted(unknown)[0]!r}",
                         hint="alignment fields: targetName, targetUrl (required), targetFramework, targetCode, targetType")
    name, url = item.get("targetName"), item.get("targetUrl")
    if not isinstance(name, str) or not name.strip() or not isinstance(url, str) or not _URL.match(url):
        raise UsageError(f"{where}: an alignment needs a targetName and an http(s) targetUrl")
    target_type = item.get("targetType", SKILL_TARGET_TYPE)
    if not isinstance(target_type, str):
        raise UsageError(f"{where}: targetType is a string")
    return Alignment(name=name.strip(), framework=str(item.get("targetFramework") or ""),
                     code=str(item.get("targetCode") or ""), url=url, target_type=target_type)


def _text(value: Any, flag: str, *, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise UsageError(f"{flag} is text, not {type(value).__name__}")
    value = value.strip()
    if required and not value:
        raise UsageError(f"{flag} is required", hint="lerwallet add KIND --title ... --org ... --from DATE (see: lerwallet add --help)")
    if len(value) > MAX_TEXT:
        raise UsageError(f"{flag} is longer than {MAX_TEXT} characters")
    if any(ord(c) < 0x20 and c not in "\n\t" for c in value):
        raise UsageError(f"{flag} holds control characters")
    return value


def validate(rec: RecordInput) -> RecordInput:
    """The record, checked and normalized; `UsageError` names the first problem."""
    check_kind(rec.kind)
    title = _text(rec.title, "--title", required=True)
    org = _text(rec.org, "--org", required=True)
    start = parse_date(rec.start, "--from")
    end = parse_date(rec.end, "--to") if rec.end else ""
    if end and end < start:
        raise UsageError(f"--to {end} is before --from {start}", hint="the end of an experience comes after its start")
    url = _text(rec.url, "--url")
    if url and not _URL.match(url):
        raise UsageError(f"--url {url[:60]!r} is not an http(s) URL")
    skills = []
    for s in rec.skills:
        s = _text(s, "--skill", required=True)
        if s not in skills:
            skills.append(s)
    if len(skills) + len(rec.alignments) > MAX_SKILLS:
        raise UsageError(f"more than {MAX_SKILLS} skills in one record")
    if len(rec.evidence) > MAX_EVIDENCE:
        raise UsageError(f"more than {MAX_EVIDENCE} pieces of evidence in one record")
    return replace(rec, title=title, org=org, start=start, end=end, role=_text(rec.role, "--role"),
                   location=_text(rec.location, "--location"), description=_text(rec.description, "--description"),
                   skills=skills, url=url)


# --- the file format of `lerwallet add --from-file` ---------------------------------------------

FILE_FIELDS = ("kind", "title", "org", "from", "to", "role", "location", "description", "skills", "skill_codes",
               "alignments", "url", "evidence", "identity")


def from_json(item: Any, where: str = "record") -> tuple[RecordInput, list[str], str]:
    """(record, evidence references (files or URLs, as written), identity) from one object of a
    `--from-file` document (docs/record.md, "Scripted use"). Unknown fields are refused."""
    if not isinstance(item, dict):
        raise UsageError(f"{where}: a record is a JSON object", hint="see docs/record.md, \"Scripted use\"")
    unknown = [k for k in item if k not in FILE_FIELDS]
    if unknown:
        raise UsageError(f"{where}: unknown field {unknown[0]!r}", hint=f"fields: {', '.join(FILE_FIELDS)}")

    def strings(key: str) -> list:
        value = item.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise UsageError(f"{where}: {key} is a list")
        return value

    for key in ("kind", "title", "org", "from", "to", "role", "location", "description", "url", "identity"):
        if key in item and not isinstance(item[key], str):
            raise UsageError(f"{where}: {key} is a string")
    try:
        alignments = [parse_skill_code(s) if isinstance(s, str) else _alignment_from_json(s, where)
                      for s in strings("skill_codes")]
        alignments += [_alignment_from_json(a, where) for a in strings("alignments")]
    except UsageError as exc:
        raise UsageError(f"{where}: {exc.message}" if not exc.message.startswith(where) else exc.message, hint=exc.hint) from None
    if not all(isinstance(s, str) for s in strings("skills") + strings("evidence")):
        raise UsageError(f"{where}: skills and evidence are lists of strings")
    rec = RecordInput(kind=item.get("kind", ""), title=item.get("title", ""), org=item.get("org", ""),
                      start=item.get("from", ""), end=item.get("to", ""), role=item.get("role", ""),
                      location=item.get("location", ""), description=item.get("description", ""),
                      skills=strings("skills"), alignments=alignments, url=item.get("url", ""))
    return rec, strings("evidence"), item.get("identity", "")


# --- the credential -------------------------------------------------------------------------------


def _datetime(day: str) -> str:
    # OB 3.0's schema and data model make activityStartDate/EndDate a DateTime; the context 3.0.3
    # types them xsd:date. We follow the schema (docs/record.md).
    return f"{day}T00:00:00Z"


def default_description(rec: RecordInput) -> str:
    label = KINDS[rec.kind][1]
    role = f" as {rec.role}" if rec.role else ""
    return f"{label}{role}: {rec.title}, {rec.org}."


def build(rec: RecordInput, did: str, *, issued: str, credential_id: str | None = None,
          achievement_id: str | None = None, org_id: str | None = None) -> dict:
    """The unsigned AchievementCredential for a validated record, issued by and about `did`.
    `issued` is the validFrom (now, as `lerwallet.utc.iso` writes it). Ids are fresh `urn:uuid`s
    unless given (tests and the interop generator pass fixed ones)."""
    achievement_type, label = KINDS[rec.kind]
    creator: dict = {"id": org_id or f"urn:uuid:{uuid.uuid4()}", "type": ["Profile"], "name": rec.org}
    if rec.location:
        creator["address"] = {"type": ["Address"], "addressLocality": rec.location}
    achievement: dict = {
        "id": achievement_id or f"urn:uuid:{uuid.uuid4()}",
        "type": ["Achievement"],
        "achievementType": achievement_type,
        "name": rec.title,
        "description": rec.description or default_description(rec),
        "criteria": {"narrative": f"{label}, self-attested by the learner."},
        "creator": creator,
    }
    if rec.skills:
        achievement["tag"] = list(rec.skills)
    if rec.alignments:
        achievement["alignment"] = [a.to_json() for a in rec.alignments]
    if rec.url:
        achievement["url"] = rec.url
    subject: dict = {"id": did, "type": ["AchievementSubject"], "activityStartDate": _datetime(rec.start)}
    if rec.end:
        subject["activityEndDate"] = _datetime(rec.end)
    if rec.role:
        subject["role"] = rec.role
    subject["achievement"] = achievement
    doc: dict = {
        "@context": list(CONTEXT),
        "id": credential_id or f"urn:uuid:{uuid.uuid4()}",
        "type": list(TYPES),
        "name": rec.title,
        "issuer": {"id": did, "type": ["Profile"]},
        "validFrom": issued,
        "credentialSubject": subject,
    }
    if rec.evidence:
        doc["evidence"] = [e.to_json() for e in rec.evidence]
    return doc


# --- reading a record back (edit, and the lanes that show records) -------------------------------


def kind_of(item: Any) -> str:
    """The record kind (`work`, `volunteer`, ... `education`) an OB 3.0 achievementType stands
    for, or "" when none does. `item`: an achievementType string, a summary dict (its
    `achievement_type`), a stored record (its summary) or a credential document."""
    summary = getattr(item, "summary", None)
    if isinstance(summary, dict):
        item = summary
    if isinstance(item, dict):
        if "credentialSubject" in item:
            from lerwallet.model import summarize

            item = summarize(item).achievement_type
        else:
            item = item.get("achievement_type", "")
    return _BY_TYPE.get(item, "") if isinstance(item, str) else ""


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def read(doc: dict) -> RecordInput:
    """The record a credential made by `build` describes (evidence files as digests: their bytes
    live in the wallet). Raises `UsageError` when the document is not such a record."""
    subject = _first(doc.get("credentialSubject")) if isinstance(doc, dict) else None
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    if not isinstance(achievement, dict):
        raise UsageError("this credential is not a record made by lerwallet add", hint="only your own records can be edited")
    kind = kind_of(_str(achievement.get("achievementType")))
    if not kind or KINDS[kind][0] != achievement.get("achievementType"):
        raise UsageError("this credential is not a record made by lerwallet add", hint="only your own records can be edited")
    creator = achievement.get("creator") if isinstance(achievement.get("creator"), dict) else {}
    address = creator.get("address") if isinstance(creator.get("address"), dict) else {}
    alignments = []
    for a in achievement.get("alignment") or []:
        if isinstance(a, dict) and _str(a.get("targetName")) and _str(a.get("targetUrl")):
            alignments.append(Alignment(name=a["targetName"], framework=_str(a.get("targetFramework")),
                                        code=_str(a.get("targetCode")), url=a["targetUrl"],
                                        target_type=_str(a.get("targetType"))))
    evidence = []
    for e in doc.get("evidence") or []:
        if not isinstance(e, dict):
            continue
        eid = _str(e.get("id"))
        if eid.startswith("ni:///sha-256;"):
            import base64

            digest = base64.urlsafe_b64decode(eid.split(";", 1)[1] + "==").hex()
            size = re.search(r"\((\d+) bytes(?:, ([^;]+))?;", _str(e.get("description")))
            evidence.append(Evidence(name=_str(e.get("name")), sha256=digest, size=int(size.group(1)) if size else 0,
                                     media_type=(size.group(2) or "") if size else ""))
        elif eid:
            evidence.append(Evidence(url=eid, name=_str(e.get("name"))))
    start, end = _str(subject.get("activityStartDate"))[:10], _str(subject.get("activityEndDate"))[:10]
    description = _str(achievement.get("description"))
    rec = RecordInput(kind=kind, title=_str(achievement.get("name")), org=_str(creator.get("name")), start=start,
                      end=end, role=_str(subject.get("role")), location=_str(address.get("addressLocality")),
                      skills=[t for t in achievement.get("tag") or [] if isinstance(t, str)], alignments=alignments,
                      url=_str(achievement.get("url")), evidence=evidence)
    if description != default_description(rec):
        rec.description = description
    return rec
