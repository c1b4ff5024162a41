"""Rendering helpers shared by the command modules: one error format, JSON on stdout."""

from __future__ import annotations

import json
import os
import sys
from typing import Any


def error(message: str, hint: str | None = None) -> None:
    """`lerwallet: error: ...` and optionally `lerwallet: hint: ...`, on stderr."""
    sys.stderr.write(f"lerwallet: error: {_one_line(message)}\n")
    if hint:
        sys.stderr.write(f"lerwallet: hint: {_one_line(hint)}\n")
    sys.stderr.flush()


def warn(message: str) -> None:
    sys.stderr.write(f"lerwallet: warning: {_one_line(message)}\n")
    sys.stderr.flush()


def info(message: str) -> None:
    """A message for the person at the terminal: stderr, so stdout stays data."""
    sys.stderr.write(f"{message}\n")
    sys.stderr.flush()


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def console(stderr: bool = False):
    """A rich Console that honours NO_COLOR and plain (non-terminal) output."""
    from rich.console import Console

    return Console(
        stderr=stderr,
        no_color=bool(os.environ.get("NO_COLOR")),
        highlight=False,
        emoji=False,  # otherwise "did:key:z6Mk..." prints as "did🔑z6Mk..."
        soft_wrap=False,
    )


def _one_line(text: str) -> str:
    return " ".join(str(text).split())
