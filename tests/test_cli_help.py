"""Help text: wrapped by the terminal, not by the docstring's line breaks; one form for
argument names."""

from __future__ import annotations

import re

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from lerwallet.cli.app import app, reflow


def _commands(group=None, path=()):
    group = group or get_command(app)
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _commands(command, path + (name,))
        else:
            yield path + (name,), command


def test_reflow_joins_prose_and_keeps_examples():
    doc = """First line
    goes on.

    A paragraph broken
    mid-sentence by the source.

    Examples:
      lerwallet a
      lerwallet b
    """
    assert reflow(doc) == ("First line goes on.\n\nA paragraph broken mid-sentence by the source.\n\n"
                           "Examples:\n  lerwallet a\n  lerwallet b")


@pytest.mark.parametrize("path, command", list(_commands()), ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_help_prose_has_no_hard_line_breaks(path, command):
    for paragraph in (command.help or "").split("\n\n"):
        lines = paragraph.split("\n")
        if not any(line[:1].isspace() for line in lines[1:]):
            assert len(lines) == 1, f"lerwallet {' '.join(path)}: {paragraph!r}"


def test_help_wraps_at_the_terminal_width():
    text = CliRunner().invoke(app, ["import", "--help"], env={"COLUMNS": "200"}).stdout
    assert "then stored encrypted with its status" in text  # one line at 200 columns, as a sentence


@pytest.mark.parametrize("path, command", list(_commands()), ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_arguments_are_named_in_one_form(path, command):
    for param in command.params:
        if param.param_type_name == "argument":
            metavar = param.metavar or ""
            assert re.fullmatch(r"\[?[A-Z][A-Z_|]*(\.\.\.)?\]?", metavar), (path, param.name, metavar)
            assert (param.nargs == -1) == metavar.rstrip("]").endswith("..."), (path, param.name, metavar)
