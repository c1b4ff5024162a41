"""From an exception to the one-line error and a documented exit code, without Typer.

Shared by the Typer group (`app.LerwalletGroup`) and the Typer-free `lerwallet verify` fast
path (`cli.fastpath`), so both print exactly the same thing for the same failure.
"""

from __future__ import annotations

import os
import sys

from lerwallet.cli import output
from lerwallet.errors import EXIT_INTERNAL, EXIT_USAGE, LerwalletError

EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a tool whose reader left


def exit_code_for(exc: BaseException) -> int | None:
    """Report `exc` on stderr and return the exit code, or None when the caller must re-raise
    (exits, click's own usage errors, anything under LERWALLET_DEBUG=1)."""
    if isinstance(exc, LerwalletError):
        output.error(exc.message, exc.hint)
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        output.error("interrupted")
        return EXIT_INTERRUPTED
    if type(exc).__name__ == "Abort" and _is_click_exception(exc):
        # click turns Ctrl-C and Ctrl-D at a prompt into Abort; the original is its context
        if isinstance(exc.__context__, EOFError):
            output.error("no answer: the input ended at a prompt")
            return EXIT_USAGE
        output.error("interrupted")
        return EXIT_INTERRUPTED
    if isinstance(exc, BrokenPipeError):
        # The reader went away (`lerwallet verify --json | head`): stop quietly, like a
        # UNIX tool killed by SIGPIPE, and keep Python from complaining at exit.
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    if not isinstance(exc, Exception) or _is_exit(exc):
        return None
    if os.environ.get("LERWALLET_DEBUG") or _is_click_exception(exc):
        return None
    # last resort: never show a user a traceback
    output.error(
        f"internal error: {type(exc).__name__}: {exc}",
        "this is a bug in lerwallet; run again with LERWALLET_DEBUG=1 for details",
    )
    return EXIT_INTERNAL


def _is_exit(exc: BaseException) -> bool:
    """typer.Exit / typer.Abort (click's Exit and Abort), recognised without importing Typer."""
    return type(exc).__name__ in ("Exit", "Abort") and _is_click_exception(exc)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (e.g. under a test runner)
        pass


def _is_click_exception(exc: BaseException) -> bool:
    name = type(exc).__module__
    return name.startswith("click") or name.startswith("typer._click") or name == "typer.exceptions"
