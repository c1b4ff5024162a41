"""Writing a file atomically: the one writer for every file lerwallet creates outside the store
(DID documents, exported keys, key files).

A file is first reserved as an empty temporary beside the target (O_EXCL, O_NOFOLLOW, mode
0600, so private material is never readable by others, even briefly), filled, flushed to disk,
given its final mode, and only then moved into place: linked without `force` (never clobbers a
file, even one that appeared meanwhile), renamed over the target with `force`. A reader never
sees a half-written file, and a failure leaves nothing behind.
"""

from __future__ import annotations

import os
from pathlib import Path

from lerwallet.errors import InputError, UsageError


class Reserved:
    """A target file reserved before any other work (so a folder that does not exist or is not
    writable stops a command before anything changes); `commit` writes it, `discard` gives up."""

    def __init__(self, path: Path | str, *, force: bool = False, mode: int = 0o600) -> None:
        self.path = Path(path)
        self.force = force
        self.mode = mode
        if (self.path.exists() or self.path.is_symlink()) and not force:
            raise UsageError(f"{self.path} already exists", hint="choose another --out or pass --force")
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600))
        except OSError as exc:
            raise InputError(f"cannot create {self.path}: {exc.strerror}", hint="nothing was changed") from None
        self.tmp: Path | None = tmp

    def commit(self, data: bytes) -> None:
        """Fill the reservation and move it into place; OSError when that fails (nothing left behind)."""
        if self.tmp is None:
            raise ValueError("reservation already used")
        try:
            with open(self.tmp, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(self.tmp, self.mode)
            if self.force:
                os.replace(self.tmp, self.path)
            else:
                try:
                    os.link(self.tmp, self.path)  # never clobbers a file that appeared meanwhile
                except FileExistsError:
                    raise UsageError(f"{self.path} already exists", hint="choose another --out or pass --force") from None
        finally:
            self.discard()

    def discard(self) -> None:
        if self.tmp is not None:
            self.tmp.unlink(missing_ok=True)
            self.tmp = None


def write_atomic(path: Path | str, data: bytes, *, force: bool = False, mode: int = 0o600) -> None:
    """Write `data` to `path` atomically (see the module doc): refuses an existing path unless
    `force`; mode 0600 unless told otherwise."""
    reserved = Reserved(path, force=force, mode=mode)
    try:
        reserved.commit(data)
    except OSError as exc:
        raise InputError(f"cannot write {reserved.path}: {exc.strerror or exc}") from None
