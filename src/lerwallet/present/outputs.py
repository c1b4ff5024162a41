"""Where a presentation goes. Each output is prepared before the wallet is opened (so an
unwritable path stops the command before anything is signed or stored), written after the
self-check, and says what it did for the history. A new output (QR images, say) is one more
class with the same three methods, appended to the list `make` receives.
"""

from __future__ import annotations

import sys
from pathlib import Path


class FileOutput:
    """`--out FILE`: written atomically, mode 0600 (the file holds personal data)."""

    def __init__(self, path: Path | str, *, force: bool = False) -> None:
        from lerwallet.files import Reserved

        self.path = Path(path)
        self._reserved = Reserved(self.path, force=force)  # checks the folder now; a temporary until commit

    def write(self, presentation) -> dict:
        from lerwallet.errors import InputError

        try:
            self._reserved.commit(presentation.data)
        except OSError as exc:
            raise InputError(f"cannot write {self.path}: {exc.strerror or exc}", hint="nothing was shared or recorded") from None
        return {"form": "file", "path": str(self.path.resolve())}

    def discard(self) -> None:
        self._reserved.discard()

    def describe(self) -> str:
        return str(self.path)


class StdoutOutput:
    """`--out -`: the JSON, or the compact JWT, on standard output."""

    def write(self, presentation) -> dict:
        out = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else None
        if out is not None:
            out.write(presentation.data)
        else:  # a text-only stream (test runners)
            sys.stdout.write(presentation.data.decode("utf-8"))
        sys.stdout.flush()
        return {"form": "stdout"}

    def discard(self) -> None:
        pass

    def describe(self) -> str:
        return "standard output"


def make(wallet, chosen: list, options, outputs: list, *, confirm=None, after_plan=None):
    """plan -> (after_plan) -> (confirm) -> build -> self-check -> write every output -> history.

    `after_plan(plan)` may change the plan before anything is shown or signed (selective
    disclosure: `present.answer.apply_disclosures` replaces `Chosen.embed` and the disclosed
    fields). `confirm(plan) -> bool` is asked after every check that can fail before signing;
    False returns None with nothing written. The history entry is written only once every output
    was. Returns (presentation, history entry)."""
    from lerwallet.present import history
    from lerwallet.present.build import build, plan, self_check

    try:
        p = plan(wallet, chosen, options)
        if after_plan is not None:
            after_plan(p)
        if confirm is not None and not confirm(p):
            return None
        vp = build(wallet, p)
        self_check(vp)
        written = [o.write(vp) for o in outputs]
    finally:
        for o in outputs:
            o.discard()
    entry = history.record(wallet, vp, outputs=written)
    return vp, entry
