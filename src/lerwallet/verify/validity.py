"""Stage 5: validity window. Judged only for authentic credentials ("authentic but expired",
never "forged"), at `--at` or now, with a small clock-skew allowance.

Every window the credential states must hold: the document's dates (`validFrom` /
`issuanceDate`, `validUntil` / `expirationDate`) and, for a JWT, its `nbf` / `exp` claims
(RFC 7519 4.1.4-5: a token past `exp` or before `nbf` MUST NOT be accepted). The latest start
and the earliest end decide."""

from __future__ import annotations

from lerwallet.dates import iso, parse_datetime, shift
from lerwallet.verify.options import Options
from lerwallet.verify.report import FAIL, PASS, Check
from lerwallet.verify.state import CredentialState

_STARTS = ("validFrom", "issuanceDate")
_ENDS = ("validUntil", "expirationDate")


def run(state: CredentialState, opts: Options) -> list[Check]:
    doc, claims = state.doc, state.jwt_payload or {}
    now, skew = opts.now(), opts.clock_skew
    starts = _dates(doc, _STARTS) + _dates(claims, ("nbf",))
    ends = _dates(doc, _ENDS) + _dates(claims, ("exp",))
    if state.securing == "sd-jwt" and not claims:  # SD-JWT VC claims are the document itself
        starts += _dates(doc, ("nbf",))
        ends += _dates(doc, ("exp",))
    checks = []
    if starts:
        start_field, start = max(starts, key=lambda d: d[1])
        if start > shift(now, skew):
            checks.append(Check("valid-from", FAIL, f"not yet valid: {start_field} is {iso(start)} (checked at {iso(now)})", "not_yet_valid"))
        else:
            checks.append(Check("valid-from", PASS, f"valid since {iso(start)}"))
    else:
        checks.append(Check("valid-from", PASS, "no start date given"))
    if ends:
        end_field, end = min(ends, key=lambda d: d[1])
        if end < shift(now, -skew):
            checks.append(Check("expiration", FAIL, f"authentic but expired on {iso(end)} ({end_field}, checked at {iso(now)})", "expired"))
        else:
            checks.append(Check("expiration", PASS, f"valid until {iso(end)}"))
    else:
        checks.append(Check("expiration", PASS, "does not expire"))
    return checks


def _dates(source: dict, names: tuple[str, ...]) -> list:
    """(name, datetime) for each of `names` present in `source` as a date (JWT names say so)."""
    out = []
    for name in names:
        when = parse_datetime(source.get(name)) if name in source else None
        if when is not None:
            out.append((f"JWT {name}" if name in ("nbf", "exp") else name, when))
    return out
