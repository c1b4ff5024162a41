"""XML Schema dateTime parsing, tolerant of the shapes issuers actually write."""

from __future__ import annotations

import re
from datetime import datetime, timezone

_FRACTION = re.compile(r"(\.\d{1,6})\d*")


def parse_datetime(value: object) -> datetime | None:
    """A timezone-aware datetime, or None when `value` is not a dateTime (no timezone = UTC)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):  # JWT NumericDate
        try:
            return datetime.fromtimestamp(value, timezone.utc)
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
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def iso(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
