"""Wallet commands: init, path, status, passwd, import, list, show, delete. (Placeholder.)"""

import typer


def register(app: typer.Typer) -> None:
    """Attach this module's commands to the root app."""
