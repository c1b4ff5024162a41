"""Dates at the ends of the calendar and huge clock skews are refused, never a crash.

(Regression tests from verification review review2; each fails on the code before its fix.)"""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from tests.verify_jwt_helpers import _checks, _verify, issuer  # noqa: F401 - fixtures


# --- 3: extreme dates are refused, never a crash ----------------------------------------------

@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-01:00",
                                   "9999-12-31T00:00:00Z", 253402300799])
def test_dates_at_the_ends_of_the_calendar_are_not_dates(value):
    from lerwallet.dates import parse_datetime

    assert parse_datetime(value) is None
    assert parse_datetime("0001-01-03T00:00:00Z") is not None and parse_datetime("9999-12-29T00:00:00Z") is not None


@pytest.mark.parametrize("field,value", [("validUntil", "0001-01-01T00:00:00+01:00"), ("validFrom", "9999-12-31T23:59:59-01:00")])
def test_extreme_credential_dates_are_malformed_not_a_crash(issuer, field, value):
    from tests.verify_helpers import badge

    report = _verify(issuer.sign(badge(issuer, **{field: value})))
    assert (_checks(report)["structure"].outcome, _checks(report)["structure"].code) == ("fail", "invalid_date")
    assert report.verdict == "invalid"


def test_huge_clock_skew_is_clamped(issuer):
    from tests.verify_helpers import badge

    report = _verify(issuer.sign(badge(issuer, validUntil="2030-01-01T00:00:00Z")),
                     at=datetime(9999, 12, 29, tzinfo=timezone.utc), clock_skew=10**12)
    assert _checks(report)["expiration"].outcome == "pass"  # 31,000 years of skew: absurd, but no OverflowError


def test_cli_at_out_of_range_is_a_usage_error(tmp_path, issuer):
    from typer.testing import CliRunner

    from lerwallet.cli.app import app
    from tests.verify_helpers import badge

    path = tmp_path / "vc.json"
    path.write_text(json.dumps(issuer.sign(badge(issuer))))
    result = CliRunner().invoke(app, ["verify", "--at", "9999-12-31T23:59:59Z", str(path)])
    assert result.exit_code == 2, result.output
    assert "--at" in result.output and "Traceback" not in result.output
