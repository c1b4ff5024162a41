"""Selective-disclosure base proofs (ecdsa-sd-2023, bbs-2023): the issuer's copy for the holder.

A base proof is what the issuer hands the holder to derive from, not something to share: an
ecdsa-sd-2023 base proof carries the HMAC key that links every copy derived from it, a bbs-2023
one the signature that makes each derived proof unlinkable. The reference verifiers
(@digitalbazaar/ecdsa-sd-2023-cryptosuite and bbs-2023-cryptosuite) verify derived proofs only.
So do lerwallet's `verify` and `serve --verifier`: a base proof fails with the one code
`sd_base_proof` (`refusal`) and a message that says what it is and what the holder does instead.

The wallet's own copies are judged as their holder's: within `holder_copies()` (`import`,
`recheck`, and the issuer's self-check after signing) each suite checks a base proof in full
instead (`ecdsa_sd_derive.verify_base`, `bbs2023_derive.check_base`). The flag is a context
variable, so it holds for the calling thread only (a verifier serving other requests meanwhile
is unaffected).
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from typing import Callable

from lerwallet.proofs.suites import SuiteFailure

CODE = "sd_base_proof"

_HOLDER_COPY: contextvars.ContextVar[bool] = contextvars.ContextVar("lerwallet_holder_copy", default=False)


@contextmanager
def holder_copies():
    """Within: ecdsa-sd-2023 and bbs-2023 base proofs are checked in full as the holder's copies."""
    token = _HOLDER_COPY.set(True)
    try:
        yield
    finally:
        _HOLDER_COPY.reset(token)


def is_holder_copy() -> bool:
    """Whether base proofs are being checked as the holder's copies (inside `holder_copies()`)."""
    return _HOLDER_COPY.get()


def refusal(suite: str, feature: str | None = None) -> SuiteFailure:
    """The failure a verifier reports for a base proof of `suite` (with `feature`, a bbs-2023 base
    form with anonymous holder binding or pseudonyms)."""
    what = f"an {suite} base proof" if suite[0] in "aeiou" else f"a {suite} base proof"
    if feature:
        what += f" with {feature}"
    return SuiteFailure(CODE, f"this is {what}, the issuer's copy for the holder: the holder must derive a proof "
                        "(choosing what to disclose) before sharing it (with lerwallet: import it, then "
                        "present --disclose, or export it for a copy that shows every field)")


def carries_base_proof(document: object, suite: str, is_base: Callable[[object], bool]) -> bool:
    """Whether `document`'s first `suite` proof is a base proof, by `is_base(proofValue)` (the
    suite's own header test, which raises `MalformedValue` on a value it cannot read: not a base)."""
    from lerwallet.proofs.encoding import MalformedValue

    if not isinstance(document, dict):
        return False
    proofs = document.get("proof")
    for p in proofs if isinstance(proofs, list) else [proofs]:
        if isinstance(p, dict) and p.get("cryptosuite") == suite:
            try:
                return is_base(p.get("proofValue"))
            except MalformedValue:
                return False
    return False


def every_field(document: dict) -> list[str]:
    """The JSON Pointers that reveal every field of a credential (all but `@context` and `proof`)."""
    return [f"/{k}" for k in document if k not in ("@context", "proof")]


def full_disclosure(document: object) -> dict | None:
    """What a base credential is shared as when nothing is withheld (a résumé, an export): a copy
    derived from it that reveals every field, which an employer's verifier accepts (an
    ecdsa-sd-2023 one without the HMAC key, a bbs-2023 one with a fresh, unlinkable proof).
    None when `document` carries no ecdsa-sd-2023 or bbs-2023 base proof. Raises what the suite's
    `derive` raises when it cannot derive (`ecdsa_sd_derive.DisclosureError`, `MalformedValue`,
    `LDError`)."""
    from lerwallet.proofs import bbs2023_derive, ecdsa_sd_derive

    for suite in (ecdsa_sd_derive, bbs2023_derive):
        if suite.is_base_credential(document):
            return suite.derive(document, every_field(document)).document
    return None
