"""What verifying one proof found: a value, never an exception.

`code` is the stable machine identifier shared by `--json` output, the verify report and
docs/proofs.md; `reason` is the one-line human explanation.
"""

from __future__ import annotations

from lerwallet.structs import Frozen

PASS = "pass"
FAIL = "fail"
UNKNOWN = "unknown"  # could not be checked offline (e.g. a did:web document not cached)


class ProofResult(Frozen):
    """The outcome of checking one entry of a document's `proof`."""

    FIELDS = ("suite", "outcome", "reason", "code", "verification_method", "controller", "purpose", "created")

    def __init__(self, suite: str, outcome: str, reason: str, code: str = "", verification_method: str = "",
                 controller: str = "", purpose: str = "", created: str = "") -> None:
        # outcome: "pass" | "fail" | "unknown"; code: "" when the proof passed
        self._set(suite=suite, outcome=outcome, reason=reason, code=code, verification_method=verification_method,
                  controller=controller, purpose=purpose, created=created)

    @property
    def passed(self) -> bool:
        return self.outcome == PASS

    def to_dict(self) -> dict:
        return dict(self.__dict__)  # asdict(self), without its deep copies: every field is a str


def any_passed(results: list[ProofResult]) -> bool:
    """Open Badges 3.0 rule: a credential with several proofs is valid if one verifies."""
    return any(r.outcome == PASS for r in results)
