"""The one timestamp format lerwallet writes: UTC, whole seconds, `Z` (2026-01-31T12:00:00Z).

Used for proof `created` values, JWT-derived dates, import and check times, history entries:
one function, so no two places can disagree (years before 1000 stay four digits)."""

from __future__ import annotations

from datetime import datetime, timezone


def iso(when: datetime | None = None) -> str:
    """`when` (now when None; a naive value is taken as UTC) as 2026-01-31T12:00:00Z."""
    when = datetime.now(timezone.utc) if when is None else when
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def from_timestamp(seconds: float) -> str:
    """A POSIX timestamp (a JWT NumericDate) in the same format; OverflowError/OSError/ValueError
    for one out of range, as `datetime.fromtimestamp`."""
    return iso(datetime.fromtimestamp(seconds, tz=timezone.utc))
