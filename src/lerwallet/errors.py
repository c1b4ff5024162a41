"""Errors a user can see, each with a stable exit code.

Library code raises these; the CLI turns them into one `lerwallet: error: ...` line (and an
optional `lerwallet: hint: ...`) and exits with `exit_code`. An invalid credential is never an
error: verification returns a report.
"""

from __future__ import annotations

# Documented exit codes (README "Exit codes"); stable across releases.
EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_LOCKED = 3
EXIT_INCONCLUSIVE = 4
EXIT_INTERNAL = 70


class LerwalletError(Exception):
    """A failure to report to the user in one line."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(LerwalletError):
    """Bad options or arguments."""


class InputError(LerwalletError):
    """Unreadable, malformed or oversized input."""


class NotFoundError(LerwalletError):
    """No record, identity or file matches what was asked for."""


class WalletLockedError(LerwalletError):
    """Wrong passphrase or damaged wallet key record: one opaque message for both."""

    exit_code = EXIT_LOCKED

    def __init__(self, message: str = "wrong passphrase or damaged wallet", *, hint: str | None = None):
        super().__init__(message, hint=hint)


class IntegrityError(LerwalletError):
    """A single stored record failed its authenticity check."""

    exit_code = EXIT_INVALID
