"""Stage 8: Open Badges specifics. The subject is identified (`id` or `identifier`); with
`--email`, the recipient matches a plain or hashed identifier (`sha256$<hex>` of email + salt);
endorsements are verified by the same pipeline and listed."""

from __future__ import annotations

import hashlib
import hmac

from lerwallet.verify.report import FAIL, PASS, WARN, Check
from lerwallet.verify.state import CredentialState, as_list

OB_TYPES = {"OpenBadgeCredential", "AchievementCredential", "EndorsementCredential"}


def applies(state: CredentialState) -> bool:
    return bool(OB_TYPES & set(state.types))


def run(state: CredentialState, emails: list[str]) -> list[Check]:
    subjects = [s for s in as_list(state.doc.get("credentialSubject")) if isinstance(s, dict)]
    subject = subjects[0] if subjects else {}
    identifiers = [i for i in as_list(subject.get("identifier")) if isinstance(i, dict)]
    checks = []
    if subject.get("id") or identifiers or "EndorsementCredential" in state.types:
        checks.append(Check("badge.subject", PASS, "the recipient is identified (" + ("id" if subject.get("id") else "identifier") + ")"))
    else:
        checks.append(Check("badge.subject", WARN, "credentialSubject has neither id nor identifier (OB 3.0 requires one): the badge names no recipient", "no_recipient"))
    if emails:
        checks.append(_recipient(identifiers, emails))
    return checks


def hash_identity(value: str, salt: str = "") -> str:
    return "sha256$" + hashlib.sha256((value + salt).encode("utf-8")).hexdigest()


def _recipient(identifiers: list[dict], emails: list[str]) -> Check:
    """PASS when an email identifier is one of `emails` (plain, or sha256 of address + salt)."""
    idents = [i for i in identifiers if i.get("identityType") in ("emailAddress", "email", None)]
    for email in emails:
        for ident in idents:
            stored = ident.get("identityHash")
            if not isinstance(stored, str):
                continue
            if ident.get("hashed"):
                salt = ident.get("salt") if isinstance(ident.get("salt"), str) else ""
                algo, _, digest = stored.partition("$")
                if algo.lower() != "sha256":
                    continue
                for candidate in {email, email.lower()}:
                    if hmac.compare_digest(hash_identity(candidate, salt).split("$", 1)[1], digest.lower()):
                        return Check("badge.recipient", PASS, f"recipient is {email} (hashed identifier matches)")
            elif stored.strip().lower() == email.strip().lower():
                return Check("badge.recipient", PASS, f"recipient is {email}")
    if not idents:
        return Check("badge.recipient", WARN, "the badge has no email identifier to compare --email with", "no_email_identifier")
    return Check("badge.recipient", FAIL, f"the badge was not issued to {' or '.join(emails)}", "recipient_mismatch")


def endorsements(doc: dict) -> list[tuple[str, object]]:
    """(where, endorsement) pairs from the credential, its issuer and its achievement."""
    found: list[tuple[str, object]] = []
    subjects = [s for s in as_list(doc.get("credentialSubject")) if isinstance(s, dict)]
    places = [("credential", doc), ("issuer", doc.get("issuer"))]
    if subjects and isinstance(subjects[0].get("achievement"), dict):
        places.append(("achievement", subjects[0]["achievement"]))
    for where, node in places:
        if not isinstance(node, dict):
            continue
        for item in as_list(node.get("endorsement")):
            found.append((where, item))
        for item in as_list(node.get("endorsementJwt")):
            found.append((where, item))
    return found
