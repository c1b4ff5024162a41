"""The learner's record: self-attested records (OB 3.0 AchievementCredentials issued by the
learner's own DID), and the predicates other parts of lerwallet read them by.

Import-light on purpose: `list`, `journey`, `skills` and the résumé export import this module
for `is_self_attested` and friends; the builder and signer live in `record.build` /
`record.sign` and load the proof suites only when a record is made. See docs/record.md.
"""

from __future__ import annotations

from typing import Any

from lerwallet.jsonutil import as_list, id_of

# Summary fields (the stored `summary` dict of a credential; docs/record.md, "For developers").
SELF_ATTESTED = "self_attested"  # bool: the issuer is the credential's own subject
SUPERSEDED_BY = "superseded_by"  # str: id of the newer version `lerwallet edit` made ("" or absent: current)
SUPERSEDES = "supersedes"  # str: id of the version this one replaced
EVIDENCE_FILES = "evidence_files"  # list of {name, digest, size, media_type}: files stored with the record


def self_attester(doc: Any) -> str:
    """The id that attests this credential about itself, or "" when it is not self-attested.

    A credential document is self-attested when it names an issuer and every credentialSubject
    has an id equal to that issuer's id (a VC-JWT's `vc` claims and an SD-JWT VC's `iss`/`sub`
    are read the same way). This reads the document only: whether the signature is good is
    `verify`'s job, and whether the attester is one of this wallet's identities is
    `lerwallet.identity.owner_of`'s."""
    if not isinstance(doc, dict):
        return ""
    if isinstance(doc.get("vc"), dict):
        doc = doc["vc"]
    if "credentialSubject" not in doc and "iss" in doc:  # SD-JWT VC claims
        iss = doc.get("iss")
        return iss if isinstance(iss, str) and iss and iss == doc.get("sub") else ""
    issuer = id_of(doc.get("issuer"))
    subjects = as_list(doc.get("credentialSubject"))
    if not issuer or not subjects:
        return ""
    if all(isinstance(s, dict) and id_of(s) == issuer for s in subjects):
        return issuer
    return ""


def is_self_attested(item: Any) -> bool:
    """Whether a credential is self-attested: its issuer is its own subject.

    `item` is any of: a stored credential record (`CredentialRecord`, or anything with a
    `summary` dict), a summary dict (`model.Summary.to_dict()`, a `list --json` row, the
    `summary` of a verify report), or a credential document. A summary written before the
    `self_attested` field existed is judged from its `issuer_id` and `subject_ids`."""
    summary = getattr(item, "summary", None)
    if isinstance(summary, dict):
        item = summary
    if not isinstance(item, dict):
        return False
    if "@context" in item or "credentialSubject" in item or "vc" in item or "vct" in item:
        return bool(self_attester(item))
    from lerwallet.model import summary_self_attested

    return summary_self_attested(item)


def is_superseded(item: Any) -> bool:
    """Whether `lerwallet edit` replaced this record with a newer version (kept, hidden from `list`)."""
    summary = getattr(item, "summary", None)
    if isinstance(summary, dict):
        item = summary
    return isinstance(item, dict) and bool(item.get(SUPERSEDED_BY))


__all__ = ["SELF_ATTESTED", "SUPERSEDED_BY", "SUPERSEDES", "EVIDENCE_FILES", "self_attester", "is_self_attested",
           "is_superseded"]
