"""`lerwallet verify` without loading Typer: about 50 ms of a ~150 ms cold run.

An employer's verifier often runs one `lerwallet verify` per received file, so its start-up is
most of its cost. `verify_argv` accepts only plain, unambiguous command lines (the options
of `lerwallet verify`, each at most once except `--trust`, values that are not empty and do not
start with "-", no `--help`, no `--`); it returns None for anything else and the caller falls
back to the Typer command, which then does all the parsing, usage errors and help as before.
Both paths call `cli.verify_run.run` and `cli.guard.exit_code_for`, so output and exit codes
are the same (tests/test_fastpath.py runs both on the same command lines).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

_FLAGS = {"--json": "json_out", "--online": "online", "--strict": "strict"}
_VALUES = {
    "--html": "html", "--challenge": "challenge", "--domain": "domain", "--at": "at", "--trust": "trust",
    "--status-cache": "status_cache", "--did-cache": "did_web_cache", "--email": "email", "--jobs": "jobs", "-j": "jobs",
}
_PATHS = {"html", "status_cache", "did_web_cache"}


def parse_verify(args: list[str]) -> Optional[dict]:
    """Keyword arguments for `verify_run.run` from the words after `verify`, or None when the
    command line is anything but plain (then Typer must parse it)."""
    kwargs: dict = {"inputs": [], "trust": []}
    seen: set[str] = set()
    i = 0
    while i < len(args):
        word = args[i]
        i += 1
        if word == "-" or not word.startswith("-"):
            kwargs["inputs"].append(word)
            continue
        name, eq, value = word.partition("=")
        if name in _FLAGS and not eq:
            key = _FLAGS[name]
            value = True
        elif name in _VALUES and (eq or i < len(args)) and not (eq and name == "-j"):
            key = _VALUES[name]
            if not eq:
                value = args[i]
                i += 1
            if not value or value.startswith("-"):
                return None
        else:
            return None  # --help, --, -j2, unknown options, a missing value: Typer's business
        if key in seen and key != "trust":
            return None
        seen.add(key)
        if key == "trust":
            kwargs["trust"].append(Path(value))
        elif key == "jobs":
            if not (value.isascii() and value.isdigit() and int(value) >= 1):
                return None
            kwargs["jobs"] = int(value)
        else:
            kwargs[key] = Path(value) if key in _PATHS else value
    if not kwargs["inputs"]:
        return None
    return kwargs


def verify_argv(args: list[str]) -> Optional[int]:
    """Run `lerwallet verify ARGS` and return its exit code, or None if Typer must handle it."""
    kwargs = parse_verify(args)
    if kwargs is None:
        return None
    from lerwallet.cli.guard import exit_code_for
    from lerwallet.cli.verify_run import run

    home = os.environ.get("LERWALLET_HOME") or None  # the root --home option's envvar, as click reads it
    try:
        return run(Path(home) if home else None, kwargs.pop("inputs"), **kwargs)
    except BaseException as exc:
        code = exit_code_for(exc)
        if code is None:
            raise
        return code
