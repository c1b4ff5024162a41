"""The credential model: the original bytes, kept verbatim, plus a normalized summary.

Signed bytes are never re-serialized: `Credential.original` is what was received. The summary
is what listings, reports and the learner's record read; it is derived, never trusted for
verification.
"""

from __future__ import annotations

from typing import Any

from lerwallet.jsonutil import as_list
from lerwallet.skills import extract as extract_skills
from lerwallet.structs import Struct
from lerwallet.utc import from_timestamp


class Summary(Struct):
    FIELDS = ("title", "issuer_id", "issuer_name", "subject_id", "subject_ids", "kind", "types", "issued", "valid_until",
              "data_model", "skills", "description", "self_attested", "achievement_type", "activity_start",
              "activity_end", "role", "org")

    def __init__(self, title: str = "", issuer_id: str = "", issuer_name: str = "", subject_id: str = "",
                 subject_ids: list[str] | None = None, kind: str = "VerifiableCredential", types: list[str] | None = None,
                 issued: str = "", valid_until: str = "", data_model: str = "", skills: list[dict] | None = None,
                 description: str = "", self_attested: bool = False, achievement_type: str = "",
                 activity_start: str = "", activity_end: str = "", role: str = "", org: str = "") -> None:
        self.title = title
        self.issuer_id = issuer_id
        self.issuer_name = issuer_name
        self.subject_id = subject_id
        self.subject_ids = [] if subject_ids is None else subject_ids  # every credentialSubject id (first = subject_id)
        self.kind = kind  # the most specific type, e.g. OpenBadgeCredential
        self.types = [] if types is None else types
        self.issued = issued  # validFrom / issuanceDate / nbf, as written
        self.valid_until = valid_until  # validUntil / expirationDate / exp, as written
        self.data_model = data_model  # "1.1", "2.0" or "" when unknown
        # lerwallet.skills.extract: {name, code, framework, url, source}
        self.skills = [] if skills is None else skills
        self.description = description
        # The credential's issuer is its own subject (every credentialSubject id equals the issuer id):
        # a self-attested record, such as one made by `lerwallet add`. Read with
        # `lerwallet.record.is_self_attested`, which also answers for summaries stored before this field.
        self.self_attested = self_attested
        # Open Badges 3.0 details the learner's record reads (docs/record.md): the achievement's
        # achievementType, the subject's activity dates and role, and the achievement creator's name.
        self.achievement_type = achievement_type
        self.activity_start = activity_start
        self.activity_end = activity_end
        self.role = role
        self.org = org


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):  # language maps / value objects
        for key in ("@value", "en", "name"):
            if isinstance(value.get(key), str):
                return value[key]
    if isinstance(value, list) and value:
        return _text(value[0])
    return ""


def summarize(doc: dict) -> Summary:
    """A display summary of a VC (1.1 or 2.0, OB 3.0, CLR 2.0). Never raises on odd shapes."""
    if not isinstance(doc, dict):
        return Summary()
    if "vct" in doc and "@context" not in doc:
        return _summarize_sd_jwt_vc(doc)
    types = [t for t in as_list(doc.get("type")) if isinstance(t, str)]
    specific = [t for t in types if t != "VerifiableCredential"]
    issuer = doc.get("issuer")
    issuer_id = issuer if isinstance(issuer, str) else _text((issuer or {}).get("id")) if isinstance(issuer, dict) else ""
    issuer_name = _text(issuer.get("name")) if isinstance(issuer, dict) else ""
    subjects = [s for s in as_list(doc.get("credentialSubject")) if isinstance(s, dict)]
    subject = subjects[0] if subjects else {}
    achievement = subject.get("achievement") if isinstance(subject.get("achievement"), dict) else {}
    title = _text(doc.get("name")) or _text(achievement.get("name")) or (specific[-1] if specific else "")
    contexts = [c for c in as_list(doc.get("@context")) if isinstance(c, str)]
    data_model = (
        "2.0" if "https://www.w3.org/ns/credentials/v2" in contexts
        else "1.1" if "https://www.w3.org/2018/credentials/v1" in contexts
        else ""
    )
    subject_ids = [i for i in (_text(s.get("id")) for s in subjects) if i]
    creator = achievement.get("creator")
    return Summary(
        title=title,
        issuer_id=issuer_id,
        issuer_name=issuer_name,
        subject_id=_text(subject.get("id")),
        subject_ids=subject_ids,
        kind=specific[0] if specific else (types[0] if types else ""),
        types=types,
        issued=_text(doc.get("validFrom")) or _text(doc.get("issuanceDate")),
        valid_until=_text(doc.get("validUntil")) or _text(doc.get("expirationDate")),
        data_model=data_model,
        skills=extract_skills(doc),
        description=_text(doc.get("description")) or _text(achievement.get("description")),
        self_attested=bool(issuer_id) and len(subject_ids) == len(subjects) and all(i == issuer_id for i in subject_ids)
        and bool(subject_ids),
        achievement_type=_text(achievement.get("achievementType")),
        activity_start=_text(subject.get("activityStartDate")),
        activity_end=_text(subject.get("activityEndDate")),
        role=_text(subject.get("role")),
        org=_text(creator.get("name")) if isinstance(creator, dict) else "",
    )


def summary_self_attested(summary: dict) -> bool:
    """The `self_attested` flag of a stored summary; one written before the field existed is
    judged from its `issuer_id` and `subject_ids` (`lerwallet.record.is_self_attested` is the
    public predicate)."""
    if not isinstance(summary, dict):
        return False
    if "self_attested" in summary:
        return summary["self_attested"] is True
    issuer = summary.get("issuer_id")
    subjects = summary.get("subject_ids")
    if not isinstance(subjects, list):
        subjects = [summary.get("subject_id")] if summary.get("subject_id") else []
    return bool(isinstance(issuer, str) and issuer and subjects and all(s == issuer for s in subjects))


def _numeric_date(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return ""
    try:
        return from_timestamp(value)
    except (OverflowError, OSError, ValueError):
        return ""


def _summarize_sd_jwt_vc(claims: dict) -> Summary:
    """SD-JWT VCs carry JWT claims (`iss`, `vct`, `iat`, `exp`) instead of the W3C fields."""
    vct = _text(claims.get("vct"))
    return Summary(
        title=_text(claims.get("name")) or vct.rstrip("/").rsplit("/", 1)[-1],
        issuer_id=_text(claims.get("iss")),
        subject_id=_text(claims.get("sub")),
        subject_ids=[_text(claims.get("sub"))] if _text(claims.get("sub")) else [],
        kind="SD-JWT VC",
        types=[vct] if vct else [],
        issued=_numeric_date(claims.get("nbf")) or _numeric_date(claims.get("iat")),
        valid_until=_numeric_date(claims.get("exp")),
        data_model="SD-JWT VC",
        description=_claims_text(claims),
        self_attested=bool(_text(claims.get("iss"))) and _text(claims.get("iss")) == _text(claims.get("sub")),
    )


_REGISTERED = {"iss", "sub", "vct", "vct#integrity", "iat", "nbf", "exp", "cnf", "status", "_sd", "_sd_alg", "jti", "aud"}


def _claims_text(claims: dict, limit: int = 400) -> str:
    """The claims an SD-JWT VC shows (after disclosure), as `name: value` pairs for display."""
    import json

    parts = []
    for name, value in claims.items():
        if name in _REGISTERED:
            continue
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        parts.append(f"{name}: {shown}")
    text = "; ".join(parts)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


# --- details, for `show` ------------------------------------------------------------------------

MAX_SHOWN = 1000  # items of one list (results, evidence, a CLR's achievements) shown by `show`


def _image_of(value: Any) -> str:
    """none | embedded (a data: URL) | the image's URL."""
    url = value.get("id") if isinstance(value, dict) else value
    if not isinstance(url, str) or not url:
        return "none"
    return "embedded" if url.startswith("data:") else url


def details(doc: dict) -> dict:
    """What `show` renders beyond the summary (display data read from the document, never
    trusted for verification): the achievement (name, type, description, criteria, image),
    results, alignments, evidence; for a CLR 2.0 its contents (`clr_contents`)."""
    if not isinstance(doc, dict):
        return {}
    subjects = [s for s in as_list(doc.get("credentialSubject")) if isinstance(s, dict)]
    subject = subjects[0] if subjects else {}
    out: dict[str, Any] = {}
    achievement = subject.get("achievement") if isinstance(subject.get("achievement"), dict) else None
    if achievement is not None:
        criteria = achievement.get("criteria") if isinstance(achievement.get("criteria"), dict) else {}
        out["achievement"] = {
            "id": _text(achievement.get("id")),
            "name": _text(achievement.get("name")),
            "type": _text(achievement.get("achievementType")),
            "description": _text(achievement.get("description")),
            "criteria": _text(criteria.get("narrative")) or _text(criteria.get("id")),
            "image": _image_of(achievement.get("image")),
        }
        alignments = []
        for a in as_list(achievement.get("alignment"))[:MAX_SHOWN]:
            if isinstance(a, dict):
                alignments.append({"name": _text(a.get("targetName")), "framework": _text(a.get("targetFramework")),
                                   "code": _text(a.get("targetCode")), "url": _text(a.get("targetUrl"))})
        if alignments:
            out["alignments"] = alignments
        descriptions = {_text(d.get("id")): d for d in as_list(achievement.get("resultDescription"))
                        if isinstance(d, dict)}
    else:
        descriptions = {}
    if doc.get("image") is not None:
        out["image"] = _image_of(doc.get("image"))
    results = []
    for r in as_list(subject.get("result"))[:MAX_SHOWN]:
        if isinstance(r, dict):
            described = descriptions.get(_text(r.get("resultDescription")), {})
            results.append({"name": _text(described.get("name")) or _text(r.get("resultDescription")),
                            "value": _text(r.get("value")) or _text(r.get("achievedLevel")),
                            "status": _text(r.get("status"))})
    if results:
        out["results"] = results
    evidence = []
    for e in as_list(doc.get("evidence"))[:MAX_SHOWN]:
        if isinstance(e, dict):
            evidence.append({"name": _text(e.get("name")), "description": _text(e.get("description")),
                             "narrative": _text(e.get("narrative")), "id": _text(e.get("id"))})
        elif isinstance(e, str):
            evidence.append({"name": "", "description": "", "narrative": "", "id": e})
    if evidence:
        out["evidence"] = evidence
    if "ClrCredential" in [t for t in as_list(doc.get("type")) if isinstance(t, str)]:
        out["clr_contents"] = clr_contents(doc)
    return out


def clr_contents(doc: dict) -> dict:
    """What a CLR 2.0 says it holds: `achievements` [{id, name, type, description, credential}]
    (its `achievement` list and each nested credential's achievement, once each) and
    `associations` [{type, source, target, source_name, target_name}]."""
    subjects = [s for s in as_list(doc.get("credentialSubject")) if isinstance(s, dict)]
    subject = subjects[0] if subjects else {}
    achievements: list[dict] = []
    seen: set[str] = set()

    def add(ach: Any, credential: str = "") -> None:
        if not isinstance(ach, dict) or len(achievements) >= MAX_SHOWN:
            return
        aid = _text(ach.get("id"))
        if aid and aid in seen:
            for known in achievements:  # the achievement list named it first: note its credential
                if known["id"] == aid and credential and not known["credential"]:
                    known["credential"] = credential
            return
        seen.add(aid)
        achievements.append({"id": aid, "name": _text(ach.get("name")), "type": _text(ach.get("achievementType")),
                             "description": _text(ach.get("description")), "credential": credential})

    for item in as_list(subject.get("achievement"))[:MAX_SHOWN]:
        add(item)
    for entry in as_list(subject.get("verifiableCredential"))[:MAX_SHOWN]:
        if isinstance(entry, dict):
            for s in as_list(entry.get("credentialSubject"))[:1]:
                if isinstance(s, dict):
                    add(s.get("achievement"), _text(entry.get("name")) or _text(entry.get("id")) or "(credential)")
    names = {a["id"]: a["name"] for a in achievements if a["id"]}
    associations = []
    for assoc in as_list(subject.get("association"))[:MAX_SHOWN]:
        if isinstance(assoc, dict):
            src, dst = _text(assoc.get("sourceId")), _text(assoc.get("targetId"))
            associations.append({"type": _text(assoc.get("associationType")), "source": src, "target": dst,
                                 "source_name": names.get(src, ""), "target_name": names.get(dst, "")})
    return {"achievements": achievements, "associations": associations}
