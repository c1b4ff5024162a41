"""The résumé as an HR Open Standards LER-RS document (Learning and Employment Record Résumé
Standard, `recruiting/json/LER-RSType.json`, version 4.4), validated against the bundled schema.

Each entry is written in HR Open's own terms (an employment history with a position, an
education attendance, a certification, a license) and carries the credential it was read from in
its `verifications` list as `{"otherW3CVerifiableCredential": <the credential>}` (LER-RS
`OtherVerifiableCredentialType`), as stored (a JWT credential as a VCDM 2.0
EnvelopedVerifiableCredential; a selective-disclosure base credential as a derived copy of every
field, `present.disclose.shareable`). LER-RS's anyOf lets an entry be read either way: its HR Open
fields, or its verifications. The schema does not check `verifications` on an entry that
matches the HR Open branch, so `schema.lerrs_problems` checks that list against the matching
`Verifiable*Type` separately.

Sections LER-RS has no list for (awards, publications, projects) become narratives, one text
per entry whose `refScheme.reference` names the credential, and the credential itself is an
attachment (base64 JSON) with that id. Skills reference the credentials that evidence them
(`VerificationType` with a `RefSchemeType`).
"""

from __future__ import annotations

import base64
import json

from lerwallet.resume.entries import SECTION_TITLES, Entry, Person, skills_of

TYPE = "http://schema.hropenstandards.org/4.4/recruiting/json/ler-rs/LER-RSType.json"
# Which LER-RS Verifiable*Type checks each section's verifications list.
ENTRY_SCHEMAS = {
    "employmentHistories": "recruiting/json/ler-rs/VerifiableEmploymentHistoryType.json",
    "educationAndLearnings": "recruiting/json/ler-rs/VerifiableEducationAttendanceType.json",
    "certifications": "recruiting/json/ler-rs/VerifiableCertificationType.json",
    "licenses": "recruiting/json/ler-rs/VerifiableLicenseType.json",
}
NARRATIVE_SECTIONS = ("awards", "publications", "projects")


def credential_ref(entry: Entry) -> str:
    """The URI that names an entry's credential: its own `id`, else one made from the wallet's
    record id (the attachment holding it carries the same value)."""
    cred = entry.credential if entry.credential is not None else (entry.chosen.document if entry.chosen else None)
    if isinstance(cred, dict) and isinstance(cred.get("id"), str) and ":" in cred["id"] and not cred["id"].startswith("data:"):
        return cred["id"]
    return f"urn:lerwallet:credential:{entry.id}"


def _verifications(entry: Entry) -> list:
    """The entry's credential, or (an Open Badges 2.0 assertion, no W3C credential) a reference
    to the hosted assertion that verifies it; [] when there is neither."""
    if isinstance(entry.credential, dict):
        return [{"otherW3CVerifiableCredential": entry.credential}]
    doc = entry.chosen.document if entry.chosen is not None else {}
    url = doc.get("id") if isinstance(doc, dict) else None
    if isinstance(url, str) and url.startswith(("https://", "http://")):
        return [{"reference": url}]
    return []


def _with_verifications(out: dict, entry: Entry) -> dict:
    found = _verifications(entry)
    if found:
        out["verifications"] = found
    return out


def _descriptions(entry: Entry) -> list[str]:
    out = []
    if entry.description:
        out.append(entry.description)
    if entry.self_attested:
        out.append("Self-attested: a record the holder signed, not a third party's attestation.")
    return out


def _period(target: dict, entry: Entry) -> None:
    if entry.start:
        target["start"] = entry.start
    if entry.end:
        target["end"] = entry.end
    elif entry.start and entry.self_attested and entry.section in ("work", "volunteer"):
        target["current"] = True


def _org(name: str, url: str = "") -> dict:
    org: dict = {"name": name or "(not named)"}
    if url:
        org["communication"] = {"web": [{"url": url}]}
    return org


def _employment(entry: Entry) -> dict:
    position: dict = {"title": entry.role or entry.title,
                      "workRelationshipTypeCode": "Volunteering" if entry.section == "volunteer" else "Employment"}
    _period(position, entry)
    descriptions = _descriptions(entry)
    if entry.role and entry.title and entry.role != entry.title:
        descriptions.insert(0, entry.title)
    if descriptions:
        position["descriptions"] = descriptions
    if entry.location:
        position["location"] = {"name": entry.location}
    out = {"organization": _org(entry.organization, entry.organization_url), "positionHistories": [position]}
    _period(out, entry)
    return _with_verifications(out, entry)


def _education(entry: Entry) -> dict:
    out: dict = {"institution": _org(entry.organization, entry.organization_url), "programs": [entry.title]}
    _period(out, entry)
    if entry.issued and not entry.start:
        out["end"] = entry.issued
    descriptions = _descriptions(entry)
    if descriptions:
        out["descriptions"] = descriptions
    return _with_verifications(out, entry)


def _certification(entry: Entry) -> dict:
    out: dict = {"name": entry.title, "issuingAuthority": _org(entry.organization or entry.issuer_name, entry.organization_url)}
    if entry.issued:
        out["issued"] = entry.issued
    descriptions = _descriptions(entry)
    if descriptions:
        out["descriptions"] = descriptions
    return _with_verifications(out, entry)


def _narrative_text(entry: Entry) -> dict:
    line = entry.title
    if entry.organization:
        line += f", {entry.organization}"
    when = entry.start or entry.issued
    if when:
        line += f" ({when}{' to ' + entry.end if entry.end else ''})"
    lines = [line] + _descriptions(entry)
    return {"name": entry.title, "lines": lines, "refScheme": {"reference": credential_ref(entry)}}


def _attachment(entry: Entry) -> dict:
    data = json.dumps(entry.credential if entry.credential is not None else entry.chosen.document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return {"id": {"value": credential_ref(entry)},
            "content": {"value": base64.b64encode(data).decode("ascii"), "encoding": "base64",
                        "mimeType": "application/vc+ld+json" if isinstance(entry.credential, dict)
                        and entry.credential.get("type") != "EnvelopedVerifiableCredential" else "application/json",
                        "filename": f"credential-{entry.id[:10]}.json"},
            "descriptions": [f"The verifiable credential of: {entry.title}"]}


def build(entries: list[Entry], person: Person, *, document_id: str) -> dict:
    """The LER-RS document (not yet validated: see `make`)."""
    doc: dict = {"type": TYPE, "documentId": {"value": document_id}}
    name: dict = {}
    if person.name:
        name["formattedName"] = person.name
    doc["person"] = {"name": name} if name else {}
    if person.email:
        doc["communication"] = {"email": [{"address": person.email}]}
    narratives = []
    if person.headline:
        narratives.append({"name": "Headline", "texts": [{"lines": [person.headline]}]})
    by_section: dict[str, list[Entry]] = {}
    for e in entries:
        by_section.setdefault(e.section, []).append(e)
    employment = [_employment(e) for e in by_section.get("work", []) + by_section.get("volunteer", [])]
    if employment:
        doc["employmentHistories"] = employment
    education = [_education(e) for e in by_section.get("education", [])]
    if education:
        doc["educationAndLearnings"] = education
    certifications = [_certification(e) for e in by_section.get("certificates", [])]
    if certifications:
        doc["certifications"] = certifications
    licenses = [_certification(e) for e in by_section.get("licenses", [])]
    if licenses:
        doc["licenses"] = licenses
    attachments = []
    for section in NARRATIVE_SECTIONS:
        items = by_section.get(section, [])
        if items:
            narratives.append({"name": SECTION_TITLES[section], "texts": [_narrative_text(e) for e in items]})
            attachments += [_attachment(e) for e in items]
    if narratives:
        doc["narratives"] = narratives
    skills = []
    by_id = {e.id: e for e in entries}
    for k in skills_of(entries):
        skill: dict = {"name": k["name"]}
        if k["urls"]:
            skill["schemeReference"] = {"reference": k["urls"][0]}
        if k["codes"] or k["frameworks"]:
            skill["keywords"] = [{"name": "framework", "value": fw} for fw in k["frameworks"]] \
                + [{"name": "code", "value": code} for code in k["codes"]]
        skill["verifications"] = [{"Verification": {"reference": credential_ref(by_id[i])}} for i in k["entries"]]
        if not k["verified"] and k["self_attested"]:
            skill["comments"] = ["Self-attested only."]
        skills.append(skill)
    if skills:
        doc["skills"] = skills
    if attachments:
        doc["attachments"] = attachments
    return doc
