"""XML Schema dateTime parsing, tolerant of the shapes issuers actually write."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from lerwallet import utc

_FRACTION = re.compile(r"(\.\d{1,6})\d*")
# Python dates stop at years 1 and 9999: a date within a day of either end could not be moved to
# UTC (offsets are under 24 h) or shifted by the clock skew without OverflowError. No credential
# needs them; they are refused as "not a date" (structure: invalid_date; --at: usage error).
EARLIEST = datetime.min.replace(tzinfo=timezone.utc) + timedelta(days=1)
LATEST = datetime.max.replace(tzinfo=timezone.utc) - timedelta(days=1)


def parse_datetime(value: object) -> datetime | None:
    """A timezone-aware datetime, or None when `value` is not a dateTime (no timezone = UTC)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):  # JWT NumericDate
        try:
            return _in_range(datetime.fromtimestamp(value, timezone.utc))
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or len(value) > 64:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    text = _FRACTION.sub(lambda m: m.group(1), text, count=1)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if "T" not in text.upper() and len(text) <= 10:
        return None  # a bare date is not an xsd:dateTime
    return _in_range(parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc))


def _in_range(when: datetime) -> datetime | None:
    naive = when.replace(tzinfo=None)  # compared without the offset: converting could overflow
    return when if EARLIEST.replace(tzinfo=None) <= naive <= LATEST.replace(tzinfo=None) else None


def shift(when: datetime, seconds: float) -> datetime:
    """`when` moved by `seconds`, clamped to the representable dates instead of overflowing."""
    try:
        return when + timedelta(seconds=seconds)
    except OverflowError:
        return datetime.max.replace(tzinfo=timezone.utc) if seconds > 0 else datetime.min.replace(tzinfo=timezone.utc)


def iso(value: datetime) -> str:
    return utc.iso(value)
