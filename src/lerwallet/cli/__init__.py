"""Command-line interface. `main` is the console-script entry point."""

from __future__ import annotations

import sys


def main() -> None:
    # `--version` answers before Typer (about 60 ms of imports) is loaded: start-up budget.
    if sys.argv[1:] == ["--version"]:
        from lerwallet import __version__

        print(f"lerwallet {__version__}")
        return
    from lerwallet.cli.app import app

    app(prog_name="lerwallet")
