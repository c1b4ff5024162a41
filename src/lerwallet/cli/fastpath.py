"""Start-up shortcuts: `lerwallet verify` without Typer, and other commands without building
the Typer command tree of the commands that are not run.

`lerwallet verify` without loading Typer saves about 50 ms of a ~150 ms cold run.

An employer's verifier often runs one `lerwallet verify` per received file, so its start-up is
most of its cost. `verify_argv` accepts only plain, unambiguous command lines (the options
of `lerwallet verify`, each at most once except `--trust`, values that are not empty and do not
start with "-", no `--help`, no `--`); it returns None for anything else and the caller falls
back to the Typer command, which then does all the parsing, usage errors and help as before.
Both paths call `cli.verify_run.run` and `cli.guard.exit_code_for`, so output and exit codes
are the same (tests/test_cli_fastpath.py runs both on the same command lines).

`app_for` serves every other command: Typer turns each registered command into a click command
(signature inspection, ~0.4 ms each) before it parses anything; when the first word names a
command, only that command (or group) is built. Help and usage of that command are unchanged;
`lerwallet --help`, root options first, or an unknown name get the full app.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

_FLAGS = {"--json": "json_out", "--online": "online", "--strict": "strict", "--recursive": "recursive", "-r": "recursive",
          "--details": "details", "--force": "force"}
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


def app_for(args: list[str]):
    """The root Typer app, pruned to the command named by `args[0]` when that is unambiguous."""
    import copy

    from typer.main import get_command_name

    from lerwallet.cli.app import app

    name = args[0] if args else ""
    if not name or name.startswith("-"):
        return app
    commands = [c for c in app.registered_commands
                if (c.name or get_command_name(c.callback.__name__)) == name]
    groups = [g for g in app.registered_groups if (g.name or g.typer_instance.info.name) == name]
    if len(commands) + len(groups) != 1:
        return app
    pruned = copy.copy(app)
    pruned.registered_commands = commands
    pruned.registered_groups = groups
    return pruned
