"""`lerwallet verify`: the employer's verdict. (Placeholder.)"""

import typer


def register(app: typer.Typer) -> None:
    """Attach the `verify` command to the root app."""
