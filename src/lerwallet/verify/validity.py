"""Stage 5: validity window. Judged only for authentic credentials ("authentic but expired",
never "forged"), at `--at` or now, with a small clock-skew allowance."""

from __future__ import annotations

from datetime import timedelta

from lerwallet.verify.dates import iso, parse_datetime
from lerwallet.verify.options import Options
from lerwallet.verify.report import FAIL, PASS, Check
from lerwallet.verify.state import CredentialState


def run(state: CredentialState, opts: Options) -> list[Check]:
    doc, claims = state.doc, state.jwt_payload or {}
    now, skew = opts.now(), timedelta(seconds=opts.clock_skew)
    start_field = "validFrom" if "validFrom" in doc else "issuanceDate" if "issuanceDate" in doc else "nbf" if "nbf" in claims else None
    end_field = "validUntil" if "validUntil" in doc else "expirationDate" if "expirationDate" in doc else "exp" if "exp" in claims else None
    start = parse_datetime(doc.get(start_field, claims.get(start_field))) if start_field else None
    end = parse_datetime(doc.get(end_field, claims.get(end_field))) if end_field else None
    checks = []
    if start and start > now + skew:
        checks.append(Check("valid-from", FAIL, f"not yet valid: {start_field} is {iso(start)} (checked at {iso(now)})", "not_yet_valid"))
    elif start:
        checks.append(Check("valid-from", PASS, f"valid since {iso(start)}"))
    else:
        checks.append(Check("valid-from", PASS, "no start date given"))
    if end and end < now - skew:
        checks.append(Check("expiration", FAIL, f"authentic but expired on {iso(end)} (checked at {iso(now)})", "expired"))
    elif end:
        checks.append(Check("expiration", PASS, f"valid until {iso(end)}"))
    else:
        checks.append(Check("expiration", PASS, "does not expire"))
    return checks
