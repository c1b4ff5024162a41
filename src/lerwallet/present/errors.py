"""Errors of the present command, each with its documented exit code (docs/present.md)."""

from __future__ import annotations

from lerwallet.errors import EXIT_INVALID, LerwalletError


class PresentError(LerwalletError):
    """The presentation cannot be made as asked (exit 2): the wallet is unchanged."""


class NoMatchError(LerwalletError):
    """No stored credential matches the filters or request (exit 1)."""

    exit_code = EXIT_INVALID


class RefusedCredentialError(LerwalletError):
    """A chosen credential is invalid or damaged and --allow-invalid was not given (exit 1)."""

    exit_code = EXIT_INVALID


class SelfCheckError(LerwalletError):
    """The built presentation would not verify; nothing was written (exit 1)."""

    exit_code = EXIT_INVALID

    def __init__(self, message: str, *, hint: str | None = None, report=None) -> None:
        super().__init__(message, hint=hint)
        self.report = report
