"""The README's command sequences run as written (a sequence that fails for a new user is a
defect): each self-contained ```sh block, line by line, in a fresh wallet and folder."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lerwallet.cli.app import app

README = Path(__file__).resolve().parents[1] / "README.md"
# Blocks that need only a fresh wallet; the others name credential ids or files of your own
# (3f2a, presentation.json), which a test cannot have as written.
SELF_CONTAINED = ("## Identities",)


def _blocks() -> dict[str, list[str]]:
    text = README.read_text(encoding="utf-8")
    out = {}
    for heading in SELF_CONTAINED:
        section = text.split(heading, 1)[1]
        block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
        out[heading] = [line.split("  #", 1)[0].strip() for line in block.splitlines() if line.strip()]
    return out


@pytest.mark.parametrize("heading", SELF_CONTAINED)
def test_readme_block_runs_as_written(heading, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    env = {"LERWALLET_PASSPHRASE": "readme sequence passphrase"}
    runner = CliRunner()
    assert runner.invoke(app, ["init"], env=env).exit_code == 0
    lines = _blocks()[heading]
    assert lines and all(line.startswith("lerwallet ") for line in lines)
    for line in lines:
        result = runner.invoke(app, shlex.split(line)[1:], env=env)
        assert result.exit_code == 0, f"{line}\n{result.stderr}"
