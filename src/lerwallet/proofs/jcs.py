"""JSON Canonicalization Scheme (RFC 8785) for the *-jcs-* cryptosuites.

A thin door onto the `rfc8785` package (Trail of Bits, pure Python): keys sorted by UTF-16
code units, strings escaped as ECMAScript's JSON.stringify does, numbers as IEEE 754 doubles
printed by ECMAScript's Number.prototype.toString (`1.0` -> `1`, `1e21` -> `1e+21`, `-0` ->
`0`, `1e-7` -> `1e-7`). tests/test_proofs_jcs.py checks it against RFC 8785's own examples.

What it refuses (`JcsError`): integers outside the I-JSON range +-(2**53 - 1) (a JavaScript
signer would have rounded them to another value than the one lerwallet would show), NaN and
the infinities (not JSON), and anything that is not a JSON value.
"""

from __future__ import annotations

import rfc8785


class JcsError(ValueError):
    """The value has no exact RFC 8785 form."""


def canonicalize(value) -> bytes:
    """The UTF-8 bytes of `value` in RFC 8785 form."""
    try:
        return rfc8785.dumps(value)
    except rfc8785.IntegerDomainError as exc:
        raise JcsError(f"{str(exc)[:120]}: JCS signs integers only up to 2**53 - 1 exactly "
                       "(a JavaScript signer would have rounded this one to another value)") from None
    except rfc8785.FloatDomainError:
        raise JcsError("NaN and Infinity have no JSON form") from None
    except rfc8785.CanonicalizationError as exc:
        raise JcsError(f"cannot canonicalize with JCS: {exc}") from None
    except (TypeError, ValueError) as exc:
        raise JcsError(f"cannot canonicalize with JCS: {exc}") from None
