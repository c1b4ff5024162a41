"""Writing a presentation to a file: checked before signing, written atomically (0600)."""

from __future__ import annotations

import os
from pathlib import Path

from lerwallet.present.errors import PresentError


def check_writable(path: Path) -> None:
    """Refuse, before anything is signed or stored, an output path that cannot be written."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise PresentError(f"cannot write the presentation to {path}: it is a folder",
                           hint="give a file name, e.g. --out presentation.json")
    if not folder.is_dir():
        raise PresentError(f"cannot write the presentation to {path}: folder {folder} does not exist",
                           hint="create the folder first, or choose another --out")
    if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise PresentError(f"cannot write the presentation to {path}: permission denied",
                           hint="choose another --out")


def write_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file and a rename: never half a file. The file
    holds personal data: mode 0600."""
    check_writable(path)
    folder = path.parent if str(path.parent) else Path(".")
    tmp = folder / f".{path.name}.{os.getpid()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise PresentError(f"cannot write the presentation to {path}: {exc.strerror or exc}",
                           hint="choose another --out") from None
