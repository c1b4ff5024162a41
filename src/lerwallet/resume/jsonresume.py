"""The résumé as a JSON Resume document (jsonresume.org), validated against the bundled schema
(npm @jsonresume/schema 1.3.1, schemas/PROVENANCE.md).

JSON Resume has no place for credentials, and allows extra members everywhere; each entry gets
one, `x-lerwallet`, saying how it is attested (`verified`, `self-attested`, ...) and which
credential backs it (its id, as in the LER-RS export). The credentials themselves are not
embedded: JSON Resume themes would print them. Send the LER-RS export or a presentation for that.
"""

from __future__ import annotations

import re

from lerwallet.resume.entries import Entry, Person, skills_of
from lerwallet.resume.lerrs import credential_ref

SCHEMA_URL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"
_ISO8601 = re.compile(r"^([1-2][0-9]{3}-[0-1][0-9]-[0-3][0-9]|[1-2][0-9]{3}-[0-1][0-9]|[1-2][0-9]{3})\Z")  # the schema's own


def _date(value: str) -> str | None:
    return value if value and _ISO8601.match(value) else None


def _put(target: dict, **values) -> dict:
    for key, value in values.items():
        if value not in (None, "", []):
            target[key] = value
    return target


def _ext(entry: Entry) -> dict:
    return {"credential": credential_ref(entry), "wallet_id": entry.id, "attestation": entry.mark,
            "self_attested": entry.self_attested}


def _summary(entry: Entry) -> str:
    text = entry.description
    if entry.self_attested:
        text = (text + " " if text else "") + "(Self-attested.)"
    return text


def _item(entry: Entry) -> dict:
    e, start, end = entry, _date(entry.start), _date(entry.end)
    if e.section in ("work", "volunteer"):
        item = _put({}, **{("name" if e.section == "work" else "organization"): e.organization or e.title,
                          "position": e.role or e.title, "url": e.organization_url or e.url,
                          "startDate": start, "endDate": end, "summary": _summary(e), "location": e.location})
        if e.role and e.title and e.role != e.title:
            item["highlights"] = [e.title]
    elif e.section == "education":
        item = _put({}, institution=e.organization or e.issuer_name, url=e.organization_url or e.url, area=e.title,
                    studyType=e.kind if e.kind and e.kind != "clr" else None, startDate=start,
                    endDate=end or (_date(e.issued) if not start else None), summary=_summary(e))
    elif e.section == "awards":
        item = _put({}, title=e.title, date=_date(e.issued or e.start), awarder=e.organization, summary=_summary(e))
    elif e.section == "publications":
        item = _put({}, name=e.title, publisher=e.organization, releaseDate=_date(e.start or e.issued),
                    url=e.url, summary=_summary(e))
    elif e.section == "projects":
        item = _put({}, name=e.title, description=_summary(e), startDate=start, endDate=end, url=e.url,
                    entity=e.organization, roles=[e.role] if e.role else None,
                    keywords=[k["name"] for k in e.skills] or None)
    else:  # certificates and licenses
        item = _put({}, name=e.title, date=_date(e.issued or e.start), issuer=e.organization or e.issuer_name,
                    url=e.url)
    item["x-lerwallet"] = _ext(e)
    return item


SECTION_KEYS = {"work": "work", "volunteer": "volunteer", "education": "education", "awards": "awards",
                "publications": "publications", "projects": "projects", "certificates": "certificates",
                "licenses": "certificates"}


def build(entries: list[Entry], person: Person, *, made_at: str) -> dict:
    """The JSON Resume document (not yet validated: see `resume.make`)."""
    doc: dict = {"$schema": SCHEMA_URL}
    basics = _put({}, name=person.name, label=person.headline, email=person.email)
    if person.did:
        basics["profiles"] = [{"network": "DID", "username": person.did}]
    doc["basics"] = basics
    for e in entries:
        doc.setdefault(SECTION_KEYS[e.section], []).append(_item(e))
    skills = []
    for k in skills_of(entries):
        keywords = list(dict.fromkeys(k["frameworks"] + k["codes"]))
        skill = _put({"name": k["name"]}, keywords=keywords)
        skill["x-lerwallet"] = {"credentials": len(k["entries"]), "verified": k["verified"],
                                "self_attested_only": k["self_attested"] and not k["verified"]}
        skills.append(skill)
    if skills:
        doc["skills"] = skills
    doc["meta"] = {"version": "v1.0.0", "lastModified": made_at,
                   "x-lerwallet": "entries name the verifiable credential that backs them (x-lerwallet.credential); "
                                  "ask the holder for the LER-RS export or a signed presentation to verify them"}
    return doc
