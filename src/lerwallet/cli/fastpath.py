"""Start-up shortcuts: `lerwallet verify` without Typer, and other commands without building
the Typer command tree of the commands that are not run.

`lerwallet verify` without loading Typer saves about 50 ms of a ~150 ms cold run.

An employer's verifier often runs one `lerwallet verify` per received file, so its start-up is
most of its cost. `verify_argv` accepts only plain, unambiguous command lines (the options
of `lerwallet verify`, each at most once except the repeatable ones, values that are not empty and do not
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

# Every option of `lerwallet verify` (cli/verify.py): spelling -> (parameter, kind), where kind is
# flag, text, path, paths or texts (repeatable) or count (an integer >= 1). Written out so that the fast
# path never loads Typer; tests/test_cli_fastpath.py derives the same table from the Typer/click
# command (`option_table`) and fails when they differ, so an option cannot exist on one path only.
# Regenerate with: python -c "from lerwallet.cli.fastpath import print_table; print_table()"
VERIFY_OPTIONS = {
    "--json": ("json_out", "flag"),
    "--html": ("html", "path"),
    "--challenge": ("challenge", "text"),
    "--domain": ("domain", "text"),
    "--at": ("at", "text"),
    "--trust": ("trust", "paths"),
    "--trust-anchor": ("trust_anchor", "paths"),
    "--crl": ("crl", "paths"),
    "--status-cache": ("status_cache", "path"),
    "--did-cache": ("did_web_cache", "path"),
    "--ob2-cache": ("ob2_cache", "path"),
    "--email": ("email", "texts"),
    "--online": ("online", "flag"),
    "--strict": ("strict", "flag"),
    "--jobs": ("jobs", "count"),
    "-j": ("jobs", "count"),
    "--recursive": ("recursive", "flag"),
    "-r": ("recursive", "flag"),
    "--details": ("details", "flag"),
    "--force": ("force", "flag"),
}


def option_table(command) -> dict:
    """`VERIFY_OPTIONS` as derived from the click command Typer builds for `verify`."""
    table = {}
    for param in command.params:
        if param.param_type_name != "option":
            continue
        if param.is_flag:
            kind = "flag"
        elif param.multiple:
            kind = "paths" if param.type.name == "path" else "texts"
        elif "int" in param.type.name and getattr(param.type, "min", None) == 1:
            kind = "count"
        elif param.type.name == "path":
            kind = "path"
        else:
            kind = "text"
        for spelling in param.opts:
            table[spelling] = (param.name, kind)
    return table


def print_table() -> None:
    from typer.main import get_command

    from lerwallet.cli.app import app

    command = get_command(app).commands["verify"]
    print("VERIFY_OPTIONS = {")
    for spelling, value in option_table(command).items():
        print(f"    {spelling!r}: {value!r},".replace("'", '"'))
    print("}")


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
        key, kind = VERIFY_OPTIONS.get(name, ("", ""))
        if kind == "flag" and not eq:
            value = True
        elif kind not in ("", "flag") and (eq or i < len(args)) and not (eq and not name.startswith("--")):
            if not eq:
                value = args[i]
                i += 1
            if not value or value.startswith("-"):
                return None
        else:
            return None  # --help, --, -j2, unknown options, a missing value: Typer's business
        if key in seen and kind not in ("paths", "texts"):
            return None
        seen.add(key)
        if kind in ("paths", "texts"):
            kwargs.setdefault(key, []).append(Path(value) if kind == "paths" else value)
        elif kind == "count":
            if not (value.isascii() and value.isdigit() and int(value) >= 1):
                return None
            kwargs[key] = int(value)
        else:
            kwargs[key] = Path(value) if kind == "path" else value
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


# The command lines of `lerwallet list` served without Typer: the ones a learner types most, and
# the one issue 11 times over 10,000 credentials. Anything else (a filter, --help, --home, a
# typo) goes to Typer, which parses it and calls the same `listing.run_list`.
LIST_PLAIN = {(): False, ("--json",): True}


def list_argv(args: list[str]) -> Optional[int]:
    """Run `lerwallet list` or `lerwallet list --json` and return the exit code, or None if
    Typer must handle the command line. The options not given take the Typer command's
    defaults (tests/test_cli_fastpath.py runs both paths on the same wallets)."""
    json_out = LIST_PLAIN.get(tuple(args))
    if json_out is None:
        return None
    from lerwallet.cli.guard import exit_code_for
    from lerwallet.cli.listing import run_list

    try:
        return run_list(None, None, json_out, did=None, filters=None, show_all=False)
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
