"""What verifying one proof found: a value, never an exception.

`code` is the stable machine identifier shared by `--json` output, the verify report and
docs/proofs.md; `reason` is the one-line human explanation.
"""

from __future__ import annotations

from dataclasses import dataclass

PASS = "pass"
FAIL = "fail"
UNKNOWN = "unknown"  # could not be checked offline (e.g. a did:web document not cached)


@dataclass(frozen=True)
class ProofResult:
    """The outcome of checking one entry of a document's `proof`."""

    suite: str
    outcome: str  # "pass" | "fail" | "unknown"
    reason: str
    code: str = ""  # "" when the proof passed
    verification_method: str = ""
    controller: str = ""
    purpose: str = ""
    created: str = ""

    @property
    def passed(self) -> bool:
        return self.outcome == PASS

    def to_dict(self) -> dict:
        return dict(self.__dict__)  # asdict(self), without its deep copies: every field is a str


def any_passed(results: list[ProofResult]) -> bool:
    """Open Badges 3.0 rule: a credential with several proofs is valid if one verifies."""
    return any(r.outcome == PASS for r in results)
