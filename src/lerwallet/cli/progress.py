"""A progress bar for long imports: rich, on stderr, only on a terminal.

Never with --json, never when stderr is not a terminal (a pipe, a file, CI logs): scripts see
exactly the output they saw before. The bar is transient: it disappears when the step ends, so
what stays on the terminal is the import's own report.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import Callable, Iterator, Optional


def wanted(json_out: bool) -> bool:
    """A bar is drawn only for a person watching: stderr is a terminal and the output is not --json."""
    if json_out:
        return False
    try:
        return sys.stderr.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


@contextmanager
def bar(description: str, enabled: bool, *, total: Optional[int] = None, unit: str = "files"
        ) -> Iterator[Callable[..., None]]:
    """Yields `update(done, total=None)`. With `enabled` false, a no-op (rich is not even loaded)."""
    if not enabled:
        yield lambda done, total=None: None
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from lerwallet.cli.output import console

    columns = [SpinnerColumn(), TextColumn("[progress.description]{task.description}"), BarColumn(),
               TextColumn("{task.completed}" + ("/{task.total}" if total is not None else "") + f" {unit}"),
               TimeElapsedColumn()]
    with Progress(*columns, console=console(stderr=True), transient=True) as progress:
        task = progress.add_task(description, total=total)

        def update(done: int, total: Optional[int] = None) -> None:
            progress.update(task, completed=done, **({"total": total} if total is not None else {}))

        yield update
