"""Why an input could not be read. Carried into the report, never raised to the user."""

from __future__ import annotations


class FormatError(Exception):
    """Input that is not a credential or presentation lerwallet can read."""

    def __init__(self, message: str, *, code: str = "unreadable") -> None:
        super().__init__(message)
        self.message = message
        self.code = code  # stable problem code, e.g. "too-large", "too-deep", "not-json"
