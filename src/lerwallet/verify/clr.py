"""CLR 2.0: the credentials a `ClrCredential` carries, each verified on its own.

A Comprehensive Learner Record holds a learner's achievements as complete credentials in
`credentialSubject.verifiableCredential` (OB 3.0 AchievementCredentials, each with its own
proof, or compact JWTs), plus the `achievement` definitions and the `association`s between
them. The CLR's own proof covers the whole record; each nested credential's proof is its
issuer's word for that one achievement, so each is checked by the same pipeline as any other
credential (`pipeline._clr`), and the `clr.credentials` check on the CLR says how they fared.

Bounded: at most `MAX_NESTED` nested credentials (more is refused before any proof is checked);
one level (a CLR inside a CLR is refused, not read).
"""

from __future__ import annotations

from typing import Any

from lerwallet.formats import limits
from lerwallet.verify.report import FAIL, INVALID, PASS, UNREADABLE, VALID, WARN, Check
from lerwallet.verify.state import CredentialState, as_list, types_of

MAX_NESTED = limits.MAX_CREDENTIALS  # nested credentials read from one CLR
CLR_TYPE = "ClrCredential"
DATE_CHECKS = ("expiration", "valid-from")


def is_clr(doc: Any) -> bool:
    return CLR_TYPE in types_of(doc)


def subject_of(doc: dict) -> dict:
    """The ClrSubject (the first credentialSubject object; CLR 2.0 has exactly one)."""
    subjects = [s for s in as_list(doc.get("credentialSubject")) if isinstance(s, dict)]
    return subjects[0] if subjects else {}


def entries(doc: dict) -> list:
    """The raw `verifiableCredential` entries of a CLR's subject (uncapped: callers check the count)."""
    return as_list(subject_of(doc).get("verifiableCredential"))


def nested_source(source: str, index: int) -> str:
    return f"{source}#credentialSubject.verifiableCredential[{index}]"


def too_many(doc: dict) -> Check | None:
    """The cap, checked before anything costly (the CLR's own proof canonicalizes all of it)."""
    count = len(entries(doc))
    if count > MAX_NESTED:
        return Check("clr.credentials", FAIL, f"the CLR holds {count:,} credentials; at most {MAX_NESTED:,} are read "
                     "(refused whole, nothing checked)", "clr_too_many", {"count": count, "limit": MAX_NESTED})
    return None


def applies(state: CredentialState) -> bool:
    """Top-level CLRs only: the credentials inside one are not searched for further CLRs."""
    return state.securing != "ob2" and is_clr(state.doc) and not state.extra.get("in_clr")


def judge(nested: list) -> Check:
    """The `clr.credentials` check from the nested credentials' reports (`CredentialReport`s).

    fail: one is unreadable, forged or otherwise invalid, or is itself a CLR (one level is read);
    warn: one is expired, not yet valid or could not be checked (offline), or has schema warnings
    only under --strict; pass: every one verified."""
    if not nested:
        return Check("clr.credentials", PASS, "the CLR holds no nested credential")
    bad, dated, unsure, deep = [], [], [], []
    for i, rep in enumerate(nested):
        label = f"[{i}] {rep.summary.get('title') or '(untitled)'}"
        if any(c.id == "clr.nested" for c in rep.checks):
            deep.append(label)
        elif rep.verdict in (INVALID, UNREADABLE):
            fails = [c for c in rep.checks if c.outcome == FAIL]
            if fails and all(c.id in DATE_CHECKS for c in fails):
                dated.append(f"{label}: {fails[0].reason}")
            else:
                first = fails[0] if fails else None
                bad.append(f"{label}: {first.id} failed: {first.reason}" if first else label)
        elif rep.verdict != VALID:
            problems = rep.problems()
            unsure.append(f"{label}: {problems[0].id}: {problems[0].reason}" if problems else label)
    n = len(nested)
    counts = {"credentials": n, "invalid": len(bad) + len(deep), "dated": len(dated), "inconclusive": len(unsure)}
    if deep:
        return Check("clr.credentials", FAIL, f"{len(deep)} of {n} nested credentials are CLRs themselves "
                     f"({'; '.join(deep[:3])}); one level of nesting is read", "clr_nested_clr", counts)
    if bad:
        return Check("clr.credentials", FAIL, f"{len(bad)} of {n} nested credentials did not verify: "
                     + "; ".join(bad[:3]), "clr_nested_invalid", counts)
    if dated or unsure:
        parts = []
        if dated:
            parts.append(f"{len(dated)} out of date ({'; '.join(dated[:3])})")
        if unsure:
            parts.append(f"{len(unsure)} not fully checked ({'; '.join(unsure[:3])})")
        return Check("clr.credentials", WARN, f"{n} nested credentials, each verified on its own: "
                     + "; ".join(parts), "clr_nested_warning", counts)
    return Check("clr.credentials", PASS, f"{n} nested credential(s), each verified on its own: all verified", "", counts)


def nested_clr_check() -> Check:
    return Check("clr.nested", FAIL, "a CLR inside a CLR: one level of nesting is read", "clr_nested_clr")
