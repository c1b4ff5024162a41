"""The CLI reference is generated from --help and kept in step; every command explains itself."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _generator():
    spec = importlib.util.spec_from_file_location("gen_cli_docs", ROOT / "scripts" / "gen_cli_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_cli_md_is_current():
    gen = _generator()
    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == gen.render(), "docs/cli.md is stale: run .venv/bin/python scripts/gen_cli_docs.py"


def test_every_command_has_help_text():
    import typer.main

    from lerwallet.cli.app import app

    gen = _generator()
    root = typer.main.get_command(app)
    missing = []
    for path in gen.command_paths():
        cmd = root
        for name in path:
            cmd = cmd.commands[name]
        if not (cmd.help or "").strip():
            missing.append(" ".join(path) or "(root)")
    assert missing == []
    assert len(gen.command_paths()) > 15  # the tree really was walked


def test_every_command_is_mentioned_in_the_guides():
    """Each top-level command appears in README.md or a guide under docs/ other than cli.md."""
    gen = _generator()
    text = (ROOT / "README.md").read_text() + "".join(
        p.read_text() for p in (ROOT / "docs").glob("*.md") if p.name != "cli.md"
    )
    top = {path[0] for path in gen.command_paths() if path}
    undocumented = sorted(name for name in top if f"lerwallet {name}" not in text)
    assert undocumented == []
