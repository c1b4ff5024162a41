"""The credential model: the original bytes, kept verbatim, plus a normalized summary.

Signed bytes are never re-serialized: `Credential.original` is what was received. The summary
is what listings, reports and the learner's record read; it is derived, never trusted for
verification.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any
from lerwallet.skills import extract as extract_skills
from lerwallet.utc import from_timestamp


@dataclass
class Summary:
    title: str = ""
    issuer_id: str = ""
    issuer_name: str = ""
    subject_id: str = ""
    subject_ids: list[str] = field(default_factory=list)  # every credentialSubject id (first = subject_id)
    kind: str = "VerifiableCredential"  # the most specific type, e.g. OpenBadgeCredential
    types: list[str] = field(default_factory=list)
    issued: str = ""  # validFrom / issuanceDate / nbf, as written
    valid_until: str = ""  # validUntil / expirationDate / exp, as written
    data_model: str = ""  # "1.1", "2.0" or "" when unknown
    skills: list[dict] = field(default_factory=list)  # lerwallet.skills.extract: {name, code, framework, url, source}
    description: str = ""
    # The credential's issuer is its own subject (every credentialSubject id equals the issuer id):
    # a self-attested record, such as one made by `lerwallet add`. Read with
    # `lerwallet.record.is_self_attested`, which also answers for summaries stored before this field.
    self_attested: bool = False
    # Open Badges 3.0 details the learner's record reads (docs/record.md): the achievement's
    # achievementType, the subject's activity dates and role, and the achievement creator's name.
    achievement_type: str = ""
    activity_start: str = ""
    activity_end: str = ""
    role: str = ""
    org: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


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
    types = [t for t in _as_list(doc.get("type")) if isinstance(t, str)]
    specific = [t for t in types if t != "VerifiableCredential"]
    issuer = doc.get("issuer")
    issuer_id = issuer if isinstance(issuer, str) else _text((issuer or {}).get("id")) if isinstance(issuer, dict) else ""
    issuer_name = _text(issuer.get("name")) if isinstance(issuer, dict) else ""
    subjects = [s for s in _as_list(doc.get("credentialSubject")) if isinstance(s, dict)]
    subject = subjects[0] if subjects else {}
    achievement = subject.get("achievement") if isinstance(subject.get("achievement"), dict) else {}
    title = _text(doc.get("name")) or _text(achievement.get("name")) or (specific[-1] if specific else "")
    contexts = [c for c in _as_list(doc.get("@context")) if isinstance(c, str)]
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
