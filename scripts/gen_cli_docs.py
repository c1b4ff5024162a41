"""Write docs/cli.md from the commands' own --help, so the reference cannot drift.

Run: .venv/bin/python scripts/gen_cli_docs.py   (tests/test_cli_docs.py checks it is current)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "cli.md"


def command_paths() -> list[tuple[str, ...]]:
    """Every command and group, depth first, as argument tuples (the root is ())."""
    import typer.main

    from lerwallet.cli.app import app

    paths: list[tuple[str, ...]] = []

    def walk(cmd, path):
        paths.append(path)
        for name in sorted(getattr(cmd, "commands", {}) or {}):
            sub = cmd.commands[name]
            if not getattr(sub, "hidden", False):
                walk(sub, path + (name,))

    walk(typer.main.get_command(app), ())
    return paths


def help_text(path: tuple[str, ...]) -> str:
    from typer.testing import CliRunner

    from lerwallet.cli.app import app

    env = {"NO_COLOR": "1", "COLUMNS": "100", "TERM": "dumb", "LERWALLET_HOME": "~/.local/share/lerwallet"}
    result = CliRunner().invoke(app, [*path, "--help"], env=env, prog_name="lerwallet", terminal_width=100)
    if result.exit_code != 0:
        raise SystemExit(f"--help failed for {' '.join(path)}: {result.output}")
    return "\n".join(line.rstrip() for line in result.output.strip().splitlines())


def render() -> str:
    parts = [
        "# CLI reference",
        "",
        "Generated from each command's `--help` by `scripts/gen_cli_docs.py`; do not edit by hand.",
        "Exit codes are listed in the README.",
        "",
    ]
    for path in command_paths():
        title = " ".join(("lerwallet", *path))
        parts += [f"## `{title}`", "", "```text", help_text(path), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    os.environ.setdefault("NO_COLOR", "1")
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}", file=sys.stderr)
