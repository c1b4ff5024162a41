"""What verifying one proof found: a value, never an exception.

`code` is the stable machine identifier shared by `--json` output, the verify report and
docs/proofs.md; `reason` is the one-line human explanation.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

PASS = "pass"
FAIL = "fail"
UNKNOWN = "unknown"  # could not be checked offline (e.g. a did:web document not cached)

# Stable failure codes (docs/proofs.md lists them with their meaning).
CODES = (
    "no_proof",
    "malformed_proof",
    "unknown_proof_type",
    "unknown_cryptosuite",
    "malformed_proof_value",
    "missing_verification_method",
    "verification_method_unresolvable",
    "key_type_mismatch",
    "purpose_mismatch",
    "verification_method_not_authorized",
    "controller_mismatch",
    "challenge_mismatch",
    "domain_mismatch",
    "proof_expired",
    "unknown_context",
    "safe_mode",
    "canonicalization_limit",
    "jsonld_error",
    "invalid_signature",
)


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
        return asdict(self)


def any_passed(results: list[ProofResult]) -> bool:
    """Open Badges 3.0 rule: a credential with several proofs is valid if one verifies."""
    return any(r.outcome == PASS for r in results)
