"""Where the wallet lives: `--home`, then `LERWALLET_HOME`, then the platform data folder."""

from __future__ import annotations

import os
from pathlib import Path

ENV_HOME = "LERWALLET_HOME"


def wallet_home(explicit: str | os.PathLike | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("lerwallet", appauthor=False))
