"""Command-line interface. `main` is the console-script entry point."""

from __future__ import annotations

import sys


def main() -> None:
    # `--version` answers before Typer (about 60 ms of imports) is loaded: start-up budget.
    if sys.argv[1:] == ["--version"]:
        from lerwallet import __version__

        print(f"lerwallet {__version__}")
        return
    # `verify` is what employers run once per received file: a plain command line skips Typer
    # (~50 ms). Anything else, --help or a usage error included, goes through Typer as before.
    if sys.argv[1:2] == ["verify"]:
        with loading("lerwallet.cli.verify_run", "lerwallet.verify.pipeline"):  # what every verify loads
            from lerwallet.cli.fastpath import verify_argv

        code = verify_argv(sys.argv[2:])
        if code is not None:
            sys.exit(code)
    # `list` (and `list --json`): the command a learner runs most, timed over 10,000 credentials
    # (issue 11). The plain forms skip Typer too; any option or filter goes through Typer.
    if sys.argv[1:2] == ["list"]:
        import gc

        with loading("lerwallet.cli.listing", "lerwallet.store.credentials"):  # what every list loads
            from lerwallet.cli.fastpath import list_argv
        # The listing's objects live until the process ends (`_exit_now`), none of them garbage:
        # the collector would only rescan them.
        gc.disable()
        code = list_argv(sys.argv[2:])
        if code is not None:
            _exit_now(code)
        gc.enable()
    import os

    if "_LERWALLET_COMPLETE" in os.environ:  # a Tab press: the script from `lerwallet completion SHELL` asks
        from typer.completion import completion_init

        completion_init()  # Typer's shell classes, registered only when completing
    with loading():
        from lerwallet.cli.fastpath import app_for

        command = app_for(sys.argv[1:])
    command(prog_name="lerwallet")


class loading:
    """Start-up imports without the cyclic garbage collector, then frozen (`gc.freeze`).

    Importing the verify path creates about 15,000 objects the collector tracks (functions,
    classes, dicts), none of them garbage, and it ran 30-45 times over them during start-up:
    3-8 ms of a `verify`. Module-level objects live as long as the process, so once loaded
    they are moved out of the collector's reach; it is on again for everything after (the
    verification itself, a batch of 1,000 files, a server). The terminal report loads rich
    the same way (`verify_run._render`). docs/performance.md, "Start-up".
    """

    def __init__(self, *modules: str) -> None:
        self.modules = modules  # imported too, inside the window

    def __enter__(self) -> None:
        import gc
        import importlib

        gc.disable()
        try:
            for name in self.modules:
                importlib.import_module(name)
        except BaseException:
            gc.enable()
            raise

    def __exit__(self, *exc: object) -> None:
        import gc

        gc.freeze()
        gc.enable()


def _exit_now(code: int) -> None:
    """End a fast-path `list` without tearing the interpreter down: 10,000 listed credentials are
    some 400,000 objects, and freeing them one by one costs 20-40 ms of a ~150 ms budget. Output
    is flushed first; the wallet is already closed; nothing else is pending (no atexit work)."""
    import os

    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:  # a reader that went away: the usual exit path reports it as usual
        sys.exit(code)
    os._exit(code)
