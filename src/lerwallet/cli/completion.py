"""`lerwallet completion SHELL`: print the shell completion script.

The script asks `lerwallet` itself for completions (Typer handles the `_LERWALLET_COMPLETE`
request before parsing anything), so nothing is added to the start-up of other commands.
"""

from __future__ import annotations

import typer

from lerwallet.errors import UsageError

SHELLS = ("bash", "zsh", "fish", "powershell")


def completion(shell: str = typer.Argument(..., metavar="SHELL", help="bash, zsh, fish or powershell.")) -> None:
    """Print the completion script for your shell; install it once and press Tab.

    Examples:
      lerwallet completion bash > ~/.local/share/bash-completion/completions/lerwallet
      lerwallet completion zsh > "${fpath[1]}/_lerwallet"
      lerwallet completion fish > ~/.config/fish/completions/lerwallet.fish
    """
    if shell not in SHELLS:
        raise UsageError(f"unknown shell {shell!r}", hint=f"choose one of: {', '.join(SHELLS)}")
    from typer.completion import get_completion_script

    typer.echo(get_completion_script(prog_name="lerwallet", complete_var="_LERWALLET_COMPLETE", shell=shell))


def register(app: typer.Typer) -> None:
    """Attach the `completion` command to the root app."""
    app.command("completion")(completion)
