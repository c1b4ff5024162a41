"""The root command: global options, error handling, and the command groups joined together.

Each command group lives in its own module and is thin: parse options, call the library,
render. Heavy imports (pyld, jsonschema, qrcode, proof suites) stay inside the functions that
need them so that start-up stays fast.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import typer
from typer.core import TyperGroup

from lerwallet import __version__
from lerwallet.cli import output
from lerwallet.cli.guard import exit_code_for
from lerwallet.errors import EXIT_USAGE


@dataclass
class Settings:
    """Global options, passed to every command through the Typer context."""

    home: Optional[Path] = None


class LerwalletGroup(TyperGroup):
    """Turns library errors into the one-line error format and a documented exit code.

    Every nested group uses this class too, so CliRunner tests see exactly what users see.
    """

    def invoke(self, ctx):  # noqa: D102 - click API
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except BaseException as exc:
            code = exit_code_for(exc)  # prints the one-line error; None: not ours to handle
            if code is None:
                raise
            ctx.exit(code)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # noqa: D102
        """Click's standalone handling, with our formats: a usage error (unknown option, missing
        argument, bad value) is one `lerwallet: error:` line plus a hint naming the command's
        --help, exit 2; Ctrl-C at a prompt exits 130, end of input at a prompt exits 2."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except typer.Abort as exc:
            sys.exit(exit_code_for(exc))
        except Exception as exc:
            # Click's exceptions, by class name: Typer vendors click privately (typer._click),
            # so they are recognised without importing a private module.
            kinds = {cls.__name__ for cls in type(exc).__mro__}
            if "NoArgsIsHelpError" in kinds:  # a bare group: its help, as before
                from typer import rich_utils

                rich_utils.rich_format_error(exc)
                sys.exit(exc.exit_code)
            if "UsageError" in kinds:
                message = _no_such_option(exc) if "NoSuchOption" in kinds else exc.format_message().strip().rstrip(".")
                words = exc.ctx.command_path.split()[1:] if exc.ctx is not None else []
                command = " ".join(["lerwallet", *words])  # whatever the program was called
                output.error(message[:1].lower() + message[1:], f"see: {command} --help")
                sys.exit(EXIT_USAGE)
            if "ClickException" in kinds:
                output.error(exc.format_message())
                sys.exit(exc.exit_code)
            raise
        sys.exit(rv if isinstance(rv, int) and not isinstance(rv, bool) else 0)


def _no_such_option(exc) -> str:
    """Click suggests any option 60% alike (`--bogus`: "Possible options: --jobs"); only a
    likely typo is worth naming."""
    import difflib

    name = str(getattr(exc, "option_name", "") or "")
    close = difflib.get_close_matches(name, list(getattr(exc, "possibilities", None) or []), n=3, cutoff=0.75)
    return f"no such option: {name}" + (f" (did you mean {' or '.join(close)}?)" if close else "")


def new_group(**kwargs) -> typer.Typer:
    """A Typer for a command group with the shared error handling and safe defaults."""
    return typer.Typer(
        cls=LerwalletGroup,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        pretty_exceptions_show_locals=False,
        **kwargs,
    )


app = new_group(
    help="lerwallet: your Learning and Employment Records, under your own keys.\n\n"
    "Import credentials, keep them encrypted, share exactly what you choose, "
    "and verify what you receive."
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"lerwallet {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    home: Optional[Path] = typer.Option(
        None,
        "--home",
        envvar="LERWALLET_HOME",
        help="Wallet folder (default: the platform's user data folder).",
        show_default=False,
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    ctx.obj = Settings(home=home)


def settings(ctx: typer.Context) -> Settings:
    """The global options of the current invocation."""
    root_ctx = ctx.find_root()
    return root_ctx.obj if isinstance(root_ctx.obj, Settings) else Settings()


def _register() -> None:
    from lerwallet.cli import backup, completion, did, issue, journey, present, record, serve, verify, wallet

    wallet.register(app)
    record.register(app)
    did.register(app)
    verify.register(app)
    present.register(app)
    backup.register(app)
    journey.register(app)
    completion.register(app)
    serve.register(app)
    issue.register(app)
    _reflow_help(app)


def reflow(doc: str | None) -> str | None:
    """A docstring as help text the terminal wraps: the line breaks inside a prose paragraph are
    the source file's, not sentences' ("then stored\n encrypted"), so they become spaces; a
    paragraph with indented lines (examples, lists) keeps its lines."""
    if not doc:
        return doc
    import inspect

    out = []
    for paragraph in inspect.cleandoc(doc).split("\n\n"):
        lines = paragraph.split("\n")
        if any(line[:1].isspace() for line in lines[1:]):
            out.append(paragraph)
        else:
            out.append(" ".join(line.strip() for line in lines))
    return "\n\n".join(out)


def _reflow_help(group: typer.Typer) -> None:
    for command in group.registered_commands:
        command.help = reflow(command.help or (command.callback.__doc__ if command.callback else None))
    for sub in group.registered_groups:
        _reflow_help(sub.typer_instance)


_register()
