"""Regular installs of any revision, for comparing start-up as users get it.

A user runs lerwallet from `pip install`: sources byte-compiled by pip, next to them, in a
virtual environment with the dependencies that version declares. An editable install or a
PYTHONPATH checkout measures something else (the editable finder, a pycache prefix). These
helpers build such an install of a git revision in a scratch venv under the temp folder, kept
per source tree, so re-running a comparison only re-times.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(tempfile.gettempdir()) / "lerwallet-bench-installs"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout.strip()


def working_tree_rev(repo: Path) -> str:
    """A commit of the working tree's tracked files, uncommitted changes included, made without
    touching the index, the branch or the stash list (`git stash create`); HEAD when clean."""
    return git(repo, "stash", "create") or git(repo, "rev-parse", "HEAD")


def regular_install(repo: Path, rev: str) -> Path:
    """The `lerwallet` console script of a regular install of `rev` (built once per source tree)."""
    tree = git(repo, "rev-parse", f"{rev}^{{tree}}")
    home = ROOT / tree[:16]
    exe = home / "venv" / "bin" / "lerwallet"
    if (home / "ok").exists() and exe.exists():
        return exe
    home.mkdir(parents=True, exist_ok=True)
    src = home / "src"
    if not src.exists():
        archive = home / "src.tar"
        subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", "-o", str(archive), rev], check=True)
        with tarfile.open(archive) as tar:
            tar.extractall(src, filter="data")
        archive.unlink()
    print(f"building a regular install of {rev[:12]} in {home} ...", file=sys.stderr, flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(home / "venv")], check=True)
    subprocess.run([str(home / "venv" / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    str(src)], check=True, stderr=subprocess.DEVNULL)
    (home / "ok").write_text(rev + "\n")
    return exe
