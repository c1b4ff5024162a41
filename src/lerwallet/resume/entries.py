"""The résumé's entries: chosen stored credentials, each placed in one section and read into the
few fields a résumé shows (title, organisation, role, dates, description, skills), with how it is
attested (issuer-attested and its stored status, or self-attested by the learner).

Choosing reuses `lerwallet.present.select` (ids and the `Filters` of `list` and `present`); this
module only reads what was chosen. Display fields come from the credential as stored (unverified
display data, like every listing); the verification mark comes from the status the import
pipeline stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lerwallet.present.errors import NoMatchError, RefusedCredentialError

# Résumé sections, in the order a résumé shows them. JSON Resume and LER-RS names are mapped from
# these in their own modules.
SECTIONS = ("work", "volunteer", "education", "certificates", "licenses", "awards", "publications", "projects")
SECTION_TITLES = {"work": "Experience", "volunteer": "Volunteering", "education": "Education",
                  "certificates": "Certificates", "licenses": "Licenses", "awards": "Awards",
                  "publications": "Publications", "projects": "Projects", "skills": "Skills"}

# Open Badges 3.0 achievementType values (the spec's AchievementType enumeration) by section;
# a value not listed (Achievement, Badge, Competency, ...) is a certificate.
_ACHIEVEMENT_TYPES = {
    "education": {"associatedegree", "bachelordegree", "degree", "diploma", "doctoraldegree", "masterdegree",
                  "professionaldoctorate", "researchdoctorate", "secondaryschooldiploma",
                  "generaleducationdevelopment", "course", "learningprogram", "cocurricular", "assignment"},
    "licenses": {"license"},
    "volunteer": {"communityservice"},
    "awards": {"award"},
    "work": {"fieldwork"},
}
# The words of the learner's own record kinds (`lerwallet add KIND`, and `ext:` achievement types
# such as `ext:Work`): what each one is on a résumé.
_RECORD_KINDS = {
    "work": "work", "workexperience": "work", "job": "work", "employment": "work", "internship": "work",
    "apprenticeship": "work",
    "military": "work", "militaryservice": "work", "volunteer": "volunteer", "volunteering": "volunteer",
    "communityservice": "volunteer", "education": "education", "conference": "education",
    "publication": "publications", "project": "projects", "award": "awards",
}
# What the learner's own kinds are called inside an entry (LER-RS work relationship, labels).
RELATIONSHIPS = {"internship": "intern", "apprenticeship": "apprentice", "volunteer": "volunteer",
                 "military": "military"}

STATUS_MARKS = {
    "verified": "verified", "expired": "expired", "not-yet-valid": "not yet valid",
    "inconclusive": "not fully checked", "unsigned": "unsigned", "unverified": "not checked",
}


@dataclass
class Entry:
    """One résumé entry, read from one stored credential."""

    id: str  # the wallet's record id
    section: str  # one of SECTIONS
    title: str
    organization: str = ""  # the organisation of the experience (for an issued credential: its issuer)
    organization_url: str = ""
    role: str = ""
    location: str = ""
    start: str = ""  # YYYY-MM-DD, YYYY-MM or YYYY ("" when unknown)
    end: str = ""
    issued: str = ""  # the credential's validFrom / issuanceDate as YYYY-MM-DD
    expires: str = ""
    description: str = ""
    url: str = ""
    skills: list[dict] = field(default_factory=list)  # {name, framework, code, url}
    kind: str = ""  # the record kind word when self-attested (work, volunteer, ...), else the achievement type
    issuer_id: str = ""
    issuer_name: str = ""
    status: str = ""  # the stored status: verified, expired, ...
    self_attested: bool = False
    credential: object = None  # the credential as it goes into a presentation (Chosen.embed)
    chosen: object = None  # the present.select.Chosen it was read from

    @property
    def mark(self) -> str:
        """What the résumé says about how far to trust the entry."""
        if self.self_attested:
            return "self-attested"
        return STATUS_MARKS.get(self.status, self.status)

    @property
    def issuer_attested_verified(self) -> bool:
        return not self.self_attested and self.status == "verified"

    @property
    def presentable(self) -> bool:
        """Whether it can go in the page's presentation: a Data Integrity or VC-JWT credential
        (an SD-JWT VC needs a key binding JWT naming a verifier, which a printed page has none of;
        an Open Badges 2.0 assertion is no Verifiable Credential)."""
        return self.issuer_attested_verified and self.chosen is not None \
            and getattr(self.chosen.record, "format", "") in ("vc-json-ld", "vc-jwt")

    def to_dict(self) -> dict:
        return {"id": self.id, "section": self.section, "title": self.title, "organization": self.organization,
                "role": self.role, "start": self.start, "end": self.end, "issued": self.issued,
                "status": self.status, "self_attested": self.self_attested, "mark": self.mark,
                "skills": [s["name"] for s in self.skills if s.get("name")]}


@dataclass
class Person:
    """Who the résumé is about: what the learner types (nothing is read from the wallet but the DID)."""

    name: str = ""
    email: str = ""
    headline: str = ""
    did: str = ""


def _list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value, limit: int = 2000) -> str:
    if isinstance(value, dict):
        for key in ("@value", "en", "name"):
            if isinstance(value.get(key), str):
                value = value[key]
                break
    if isinstance(value, list) and value:
        return _text(value[0], limit)
    if not isinstance(value, str):
        return ""
    return " ".join(value.split())[:limit]


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def date_part(value) -> str:
    """`2024-03-01T00:00:00Z` -> `2024-03-01`; `2024-03` and `2024` kept; anything else ""."""
    m = _DATE.match(_text(value, 64))
    if not m:
        return ""
    return "-".join(p for p in m.groups() if p)


def _url(value) -> str:
    text = _text(value, 2000)
    return text if text.startswith(("https://", "http://")) else ""


def is_self_attested(record, document: dict) -> bool:
    """A record the learner attested themselves (issuer == subject): `lerwallet.record`'s one
    rule, read from the stored summary, else from the document."""
    from lerwallet import record as records

    if isinstance((record.summary or {}).get(records.SELF_ATTESTED), bool):
        return record.summary[records.SELF_ATTESTED]
    return records.is_self_attested(document)


def _kind_word(value: str) -> str:
    word = value.split(":", 1)[1] if value.lower().startswith("ext:") else value
    return re.sub(r"[^a-z]", "", word.lower())


def section_of(record, document: dict, achievement: dict, self_attested: bool) -> tuple[str, str]:
    """(section, kind word) of a credential: the learner's own record kind first, then the
    Open Badges achievementType, then the credential type (a CLR is education); else a certificate."""
    s = record.summary or {}
    for value in [s.get("achievement_type")] + _list(achievement.get("achievementType")):
        if not isinstance(value, str) or not value:
            continue
        word = _kind_word(value)
        if self_attested and word == "apprenticeshipcertificate":  # `lerwallet add apprenticeship`: an experience
            return "work", "apprenticeship"
        for section, types in _ACHIEVEMENT_TYPES.items():
            if word in types:
                return section, word
        return _RECORD_KINDS.get(word, "certificates"), word
    types = [t for t in _list(document.get("type")) if isinstance(t, str)]
    if any(t in ("ClrCredential", "ClrCredentialv2") for t in types):
        return "education", "clr"
    return "certificates", ""


def entry_of(chosen) -> Entry:
    """The résumé entry of one chosen credential (`present.select.Chosen`); its `credential` is
    what is shared (a selective-disclosure base credential as a derived copy of every field)."""
    from lerwallet.present.disclose import shareable

    record, doc = chosen.record, chosen.document or {}
    s = record.summary or {}
    subject = next((x for x in _list(doc.get("credentialSubject")) if isinstance(x, dict)), {})
    achievement = subject.get("achievement") if isinstance(subject.get("achievement"), dict) else {}
    self_attested = is_self_attested(record, doc)
    section, kind = section_of(record, doc, achievement, self_attested)
    issuer = doc.get("issuer") if isinstance(doc.get("issuer"), dict) else {}
    source = subject.get("source") if isinstance(subject.get("source"), dict) else {}
    creator = achievement.get("creator") if isinstance(achievement.get("creator"), dict) else {}
    address = creator.get("address") if isinstance(creator.get("address"), dict) else {}
    issuer_name = s.get("issuer_name") or _text(issuer.get("name"))
    if self_attested:  # the learner's own record: the organisation is whoever it names, never the learner
        organization = _text(s.get("org")) or _text(creator.get("name")) or _text(source.get("name"))
        org_url = _url(creator.get("url")) or _url(source.get("url"))
    else:
        organization = _text(source.get("name")) or issuer_name or _text(s.get("issuer_id"))
        org_url = _url(source.get("url")) or _url(issuer.get("url"))
    skills = []
    seen = set()
    for k in s.get("skills") or []:
        if isinstance(k, dict) and (k.get("name") or k.get("code")):
            key = (str(k.get("name") or "").lower(), str(k.get("code") or "").lower())
            if key not in seen:
                seen.add(key)
                skills.append({"name": _text(k.get("name"), 200) or _text(k.get("code"), 200),
                               "framework": _text(k.get("framework"), 200), "code": _text(k.get("code"), 200),
                               "url": _url(k.get("url")), "source": _text(k.get("source"), 20) or "alignment"})
    for tag in _list(achievement.get("tag")):
        name = _text(tag, 200)
        if name and (name.lower(), "") not in seen and not any(x["name"].lower() == name.lower() for x in skills):
            seen.add((name.lower(), ""))
            skills.append({"name": name, "framework": "", "code": "", "url": "", "source": "tag"})
    issued = date_part(s.get("issued"))
    start = date_part(subject.get("activityStartDate")) or (issued if not self_attested else "")
    end = date_part(subject.get("activityEndDate"))
    location = _text(address.get("addressLocality"), 200) if self_attested else ""
    return Entry(
        id=record.id, section=section, title=_text(achievement.get("name"), 300) or record.title or "(untitled)",
        organization=organization, organization_url=org_url, role=_text(subject.get("role"), 300),
        location=location, start=start, end=end, issued=issued, expires=date_part(s.get("valid_until")),
        description=_text(achievement.get("description")) or _text(doc.get("description")) or _text(subject.get("narrative")),
        url=_url(achievement.get("url")) or _url(achievement.get("id")),
        skills=skills, kind=kind, issuer_id=_text(s.get("issuer_id")), issuer_name=issuer_name,
        status=record.status, self_attested=self_attested, credential=shareable(chosen), chosen=chosen)


def _records(wallet, ids: list[str] | None, filters) -> list:
    """The stored records chosen: `present`'s selection rules (ids resolved as unique prefixes,
    then `Filters`; filters alone over the whole wallet), without decoding anything yet. With
    neither, every record that is not invalid, damaged or superseded."""
    from lerwallet import record as records
    from lerwallet.present.select import REFUSED, filter_records
    from lerwallet.store import credentials

    if ids:
        full = list(dict.fromkeys(credentials.resolve(wallet, i) for i in ids))
        chosen = filter_records([credentials.get_credential(wallet, rid) for rid in full], filters)
        if not chosen:
            raise NoMatchError(f"none of the named credentials matches {filters.describe()}",
                               hint="drop a filter, or see them with: lerwallet list")
        return chosen
    every = credentials.list_credentials(wallet)
    if filters is None or not filters.active:
        chosen = [r for r in every if r.status not in REFUSED and not records.is_superseded(r)]
        if not chosen:
            raise NoMatchError("the wallet has no credential to put on a résumé",
                               hint="import credentials (lerwallet import FILE) or add your own records")
        return chosen
    chosen = filter_records(every, filters)
    if not chosen:
        raise NoMatchError(f"no credential matches {filters.describe()}", hint="see what you have with: lerwallet list")
    current = [r for r in chosen if not records.is_superseded(r)]  # the current version of an edited record
    if not current:
        raise NoMatchError(f"no current record matches {filters.describe()}",
                           hint="older versions of edited records are left out; name one by id to include it")
    return current


def _ob2_chosen(wallet, record):
    """An Open Badges 2.0 assertion, which `present` cannot put in a presentation, read for the
    résumé: its display data, and its assertion as the document (a hosted assertion's id is the
    URL that verifies it)."""
    from lerwallet.formats import decode_bytes
    from lerwallet.present.select import Chosen, Disclosure
    from lerwallet.store import credentials

    original = credentials.get_original(wallet, record.id)
    envs = decode_bytes(original, f"credential {record.id[:10]}")
    doc = envs[0].unverified if len(envs) == 1 and isinstance(envs[0].unverified, dict) else {}
    return Chosen(record=record, original=original, document=doc, token=None, embed=None, owner=None,
                  disclosure=Disclosure(title=record.title))


def gather(wallet, ids: list[str] | None = None, filters=None) -> list[Entry]:
    """The entries for the chosen credentials: by id (unique prefixes) and/or `Filters`; with
    neither, every credential in the wallet that is not invalid, damaged or superseded.

    Raises `NoMatchError` (exit 1) when nothing is chosen, `RefusedCredentialError` (exit 1) when
    a chosen credential is invalid or damaged, `NotFoundError`/`UsageError` (exit 2) for an
    unknown or ambiguous id. Entries come newest first within their order of sections."""
    from lerwallet import identity as ident
    from lerwallet.present.select import REFUSED, select

    chosen_records = _records(wallet, ids, filters)
    refused = [r for r in chosen_records if r.status in REFUSED]
    if refused:
        r = refused[0]
        raise RefusedCredentialError(f"credential {r.id[:10]} ({r.title or 'untitled'}) is {r.status}: "
                                     f"{r.reason or r.error or 'it failed verification'}",
                                     hint="leave it out of the résumé (choose by id or filter)")
    identities = ident.list_identities(wallet)
    chosen = [_ob2_chosen(wallet, r) if r.format == "ob2" else select(wallet, [r.id], None, identities=identities)[0]
              for r in chosen_records]
    entries = [entry_of(c) for c in chosen]
    order = {name: i for i, name in enumerate(SECTIONS)}
    entries.sort(key=lambda e: (order[e.section], _negated(e.end or "9999"), _negated(e.start or e.issued)))
    return entries


def _negated(date: str) -> tuple:
    """A sort key that puts later dates first."""
    return tuple(-int(p) for p in date.split("-") if p.isdigit())


def skills_of(entries: list[Entry]) -> list[dict]:
    """Every skill the entries name, merged by `lerwallet skills`' rule (`skills.group`: the same
    name key, or the same framework code, or the same URL), in first-seen order: {name,
    frameworks, codes, urls, entries (ids), verified (any issuer-attested verified entry),
    self_attested (any self-attested entry)}."""
    from lerwallet import skills

    flat, owners = [], []
    for e in entries:
        for k in e.skills:
            if k.get("name") or k.get("code"):
                flat.append(k)
                owners.append(e)
    out = []
    for members in skills.group(flat):
        items = [flat[i] for i in members]
        m = {"name": skills.pick_name(items), "frameworks": [], "codes": [], "urls": [], "entries": [],
             "verified": False, "self_attested": False}
        for i in members:
            k, e = flat[i], owners[i]
            for field_name, key in (("frameworks", "framework"), ("codes", "code"), ("urls", "url")):
                if k.get(key) and k[key] not in m[field_name]:
                    m[field_name].append(k[key])
            if e.id not in m["entries"]:
                m["entries"].append(e.id)
            m["verified"] = m["verified"] or e.issuer_attested_verified
            m["self_attested"] = m["self_attested"] or e.self_attested
        out.append(m)
    return out
