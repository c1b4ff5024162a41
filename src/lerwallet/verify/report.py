"""The result of verification: named checks, per-credential verdicts, one overall verdict.

Outcomes are five words shared by the table, `--json` and docs/verify.md: pass, fail, warn,
unknown, skipped. Each non-pass check carries a problem object modelled on RFC 9457
(`type`, `title`, `detail`) so scripts can branch on `type` rather than on English text.
"""

from __future__ import annotations

from typing import Any

from lerwallet.errors import EXIT_INCONCLUSIVE, EXIT_INVALID, EXIT_OK, EXIT_USAGE
from lerwallet.structs import Struct

PASS, FAIL, WARN, UNKNOWN, SKIPPED = "pass", "fail", "warn", "unknown", "skipped"
OUTCOMES = (PASS, FAIL, WARN, UNKNOWN, SKIPPED)

# Verdicts; exit codes are documented in docs/verify.md.
VALID, INCONCLUSIVE, INVALID, UNREADABLE = "valid", "inconclusive", "invalid", "unreadable"
# The one severity order, best to worst: a run's verdict (and exit code) is its worst part's.
# `verify`, `import` and `recheck` all judge by it.
SEVERITY = (VALID, INCONCLUSIVE, UNREADABLE, INVALID)


def worst(verdicts) -> str:
    """The most severe of `verdicts` (VALID for none)."""
    return max(verdicts, key=SEVERITY.index, default=VALID)

PROBLEM_BASE = "urn:lerwallet:problem:"
SCHEMA_VERSION = 1


class Check(Struct):
    """One named check. `id` is stable (docs/verify.md lists every id)."""

    FIELDS = ("id", "outcome", "reason", "code", "details")

    def __init__(self, id: str, outcome: str, reason: str = "", code: str = "", details: dict[str, Any] | None = None) -> None:
        self.id = id
        self.outcome = outcome
        self.reason = reason
        self.code = code  # problem code for non-pass outcomes, e.g. "invalid_signature", "expired"
        self.details = {} if details is None else details

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"id": self.id, "outcome": self.outcome, "reason": self.reason}
        if self.outcome != PASS and self.code:
            out["problem"] = {
                "type": PROBLEM_BASE + self.code,
                "title": self.code.replace("_", " "),
                "detail": self.reason,
            }
        if self.details:
            out["details"] = self.details
        return out


CONFORMANCE_CHECKS = ("schema",)
VERDICT_WORDS = {VALID: "VERIFIED", INVALID: "NOT VERIFIED", INCONCLUSIVE: "INCONCLUSIVE", UNREADABLE: "UNREADABLE"}


SELF_ATTESTED_WORDS = "VERIFIED as self-attested by the holder"


def is_self_attested(checks: list[Check]) -> bool:
    """Whether the issuer-trust check found the credential self-attested (docs/verify.md)."""
    return any(c.id == "issuer.trust" and c.code == "self_attested" for c in checks)


def headline(verdict: str, checks: list[Check], *, strict: bool = False) -> str:
    """One line naming the verdict and what decided it (shared by the terminal and HTML)."""
    words = VERDICT_WORDS.get(verdict, verdict.upper())
    if verdict == VALID and is_self_attested(checks):
        words = SELF_ATTESTED_WORDS + " (no third party vouches for it)"
    fails = [c for c in checks if c.outcome == FAIL]
    unknown = [c for c in checks if c.outcome == UNKNOWN]
    warns = [c for c in checks if c.outcome == WARN]
    if verdict == VALID:
        conformance = [c.id for c in warns if c.id in CONFORMANCE_CHECKS]
        return words + (f", with conformance warnings ({', '.join(conformance)})" if conformance else "")
    if verdict == INVALID and not fails and strict and warns:
        return f"{words} under --strict: warning {', '.join(dict.fromkeys(c.id for c in warns))}"
    parts = []
    if fails:
        parts.append(", ".join(dict.fromkeys(c.id for c in fails)) + " failed")
    if unknown:
        parts.append("not checked: " + ", ".join(dict.fromkeys(c.id for c in unknown)))
    return words + (f" ({'; '.join(parts)})" if parts else "")


def verdict_of(checks: list[Check], *, strict: bool = False) -> str:
    outcomes = {c.outcome for c in checks}
    if FAIL in outcomes or (strict and WARN in outcomes):
        return INVALID
    if UNKNOWN in outcomes:
        return INCONCLUSIVE
    return VALID


class CredentialReport(Struct):
    """Everything found about one credential (top-level or inside a presentation)."""

    FIELDS = ("source", "format", "summary", "checks", "endorsements", "nested", "strict")

    def __init__(self, source: str, format: str, summary: dict[str, Any] | None = None, checks: list[Check] | None = None,
                 endorsements: list[CredentialReport] | None = None, nested: list[CredentialReport] | None = None,
                 strict: bool = False) -> None:
        self.source = source
        self.format = format  # ldp | jwt | sd-jwt | ob2
        self.summary = {} if summary is None else summary
        self.checks = [] if checks is None else checks
        self.endorsements = [] if endorsements is None else endorsements
        self.nested = [] if nested is None else nested  # a CLR's credentials, each verified on its own
        self.strict = strict

    @property
    def verdict(self) -> str:
        if any(c.id == "parse" and c.outcome == FAIL for c in self.checks):
            return UNREADABLE
        return verdict_of(self.checks, strict=self.strict)

    def check(self, check_id: str) -> Check | None:
        return next((c for c in self.checks if c.id == check_id), None)

    def conformance_warnings(self) -> list[Check]:
        """Schema deviations that do not change what the credential proves (docs/verify.md,
        Conformance versus authenticity): warnings, failures only under --strict."""
        return [c for c in self.checks if c.id in CONFORMANCE_CHECKS and c.outcome == WARN]

    def problems(self) -> list[Check]:
        """What keeps this credential from a plain "verified", worst first: failures, then what
        could not be checked, then (only when they decided the verdict, under --strict) warnings."""
        fails = [c for c in self.checks if c.outcome == FAIL]
        unknown = [c for c in self.checks if c.outcome == UNKNOWN]
        warns = [c for c in self.checks if c.outcome == WARN] if self.strict and not fails else []
        return fails + unknown + warns

    def headline(self) -> str:
        """The verdict in words: "VERIFIED, with conformance warnings (schema)", "NOT VERIFIED
        under --strict: warning issuer.trust", "NOT VERIFIED: expired; not checked: status.revocation"."""
        return headline(self.verdict, self.checks, strict=self.strict)

    def to_dict(self) -> dict:
        out = {
            "source": self.source,
            "format": self.format,
            "verdict": self.verdict,
            "self_attested": is_self_attested(self.checks),
            "summary": self.summary,
            "checks": [c.to_dict() for c in self.checks],
        }
        if self.endorsements:
            out["endorsements"] = [e.to_dict() for e in self.endorsements]
        if self.nested:
            out["nested"] = [n.to_dict() for n in self.nested]
        return out


class Report(Struct):
    """One input: a presentation (with its credentials) or a single credential."""

    FIELDS = ("source", "kind", "container", "presentation_checks", "credentials", "holder", "strict")

    def __init__(self, source: str, kind: str, container: str = "", presentation_checks: list[Check] | None = None,
                 credentials: list[CredentialReport] | None = None, holder: str = "", strict: bool = False) -> None:
        self.source = source
        self.kind = kind  # presentation | credential | unreadable
        self.container = container
        self.presentation_checks = [] if presentation_checks is None else presentation_checks
        self.credentials = [] if credentials is None else credentials
        self.holder = holder
        self.strict = strict

    @property
    def verdict(self) -> str:
        if self.kind == "unreadable":
            return UNREADABLE
        return worst([verdict_of(self.presentation_checks, strict=self.strict)] + [c.verdict for c in self.credentials])

    def all_checks(self) -> list[Check]:
        return self.presentation_checks + [c for cred in self.credentials for c in cred.checks]

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "kind": self.kind,
            "container": self.container,
            "verdict": self.verdict,
            "holder": self.holder or None,
            "presentation": {"checks": [c.to_dict() for c in self.presentation_checks]} if self.kind == "presentation" else None,
            "credentials": [c.to_dict() for c in self.credentials],
        }


_EXIT = {VALID: EXIT_OK, INVALID: EXIT_INVALID, UNREADABLE: EXIT_USAGE, INCONCLUSIVE: EXIT_INCONCLUSIVE}


def exit_code(verdict: str) -> int:
    return _EXIT[verdict]


def overall(reports: list[Report]) -> tuple[str, int]:
    """The one-line verdict for a whole run: invalid > unreadable > inconclusive > valid.
    No credential at all (an empty folder, a folder of PDFs) is unreadable: nothing was verified."""
    verdict = worst(r.verdict for r in reports) if reports else UNREADABLE
    return verdict, _EXIT[verdict]


def credential_counts(reports: list[Report]) -> dict[str, int]:
    """How many credentials (unreadable inputs count as one) got each verdict."""
    counts = {VALID: 0, INVALID: 0, INCONCLUSIVE: 0, UNREADABLE: 0}
    for r in reports:
        for c in r.credentials:
            counts[c.verdict] += 1
    return counts


def counts_line(reports: list[Report]) -> str:
    """`2 valid / 1 invalid / 0 inconclusive` (plus `/ N unreadable` when there are any)."""
    n = credential_counts(reports)
    line = f"{n[VALID]} valid / {n[INVALID]} invalid / {n[INCONCLUSIVE]} inconclusive"
    return line + (f" / {n[UNREADABLE]} unreadable" if n[UNREADABLE] else "")


def to_json(reports: list[Report], *, at: str, run_at: str | None = None) -> dict:
    verdict, code = overall(reports)
    counts = {o: 0 for o in OUTCOMES}
    for r in reports:
        for c in r.all_checks():
            counts[c.outcome] += 1
    out = {
        "schemaVersion": SCHEMA_VERSION,
        "verdict": verdict,
        "exitCode": code,
        "checkedAt": at,
        "runAt": run_at or at,
        "counts": counts,
        "credentialCounts": credential_counts(reports),
        "inputs": [r.to_dict() for r in reports],
    }
    if not reports:
        out["error"] = NO_CREDENTIALS
    return out


NO_CREDENTIALS = "no credentials found"
