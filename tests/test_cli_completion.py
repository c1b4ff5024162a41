"""Shell completion: `lerwallet completion SHELL` prints the script, and the script's request
(`_LERWALLET_COMPLETE`) is answered by the command itself."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from lerwallet.cli.app import app


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish", "powershell"])
def test_completion_prints_the_script(shell):
    result = CliRunner().invoke(app, ["completion", shell])
    assert result.exit_code == 0 and "_LERWALLET_COMPLETE" in result.stdout


def test_unknown_shell_is_a_usage_error():
    result = CliRunner().invoke(app, ["completion", "tcsh"])
    assert result.exit_code == 2 and result.stderr.startswith("lerwallet: error: unknown shell 'tcsh'")


def _complete(words: str) -> list[str]:
    env = {**os.environ, "_LERWALLET_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - 1)}
    out = subprocess.run([sys.executable, "-m", "lerwallet"], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_tab_completes_commands_and_options():
    assert _complete("lerwallet ver") == ["verify"]
    assert _complete("lerwallet verify --js") == ["--json"]
    assert "export-web" in _complete("lerwallet did ex")
