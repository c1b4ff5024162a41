"""`lerwallet did ...`: the learner's identities and keys. (Placeholder.)"""

import typer


def register(app: typer.Typer) -> None:
    """Attach the `did` group to the root app."""
