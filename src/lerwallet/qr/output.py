"""`present --qr FILE.png|FILE.svg|-`: the presentation as QR codes (docs/qr-format.md).

An output in the sense of `lerwallet.present.outputs` (prepare / write / discard / describe):
the target is checked before the wallet is opened; `write` lays the presentation out as codes
(refusing, before any image is written, when more than `max_parts` would be needed), draws them
and writes every image atomically; what it made goes into the history entry and the report.
"""

from __future__ import annotations

import sys
from pathlib import Path


class QrOutput:
    def __init__(self, target: str, *, ecc: str = "M", max_parts: int = 8, force: bool = False, warn=None) -> None:
        from lerwallet.errors import UsageError
        from lerwallet.qr import payload, render

        try:
            self.kind = render.image_kind(target)
        except ValueError as exc:
            raise UsageError(str(exc), hint="for example --qr vp.png, --qr vp.svg or --qr -") from None
        ecc = ecc.upper()
        if ecc not in payload.ECC_LEVELS:
            raise UsageError(f"--qr-ecc {ecc[:8]!r} is not an error-correction level", hint="use L, M, Q or H (default M)")
        if not 1 <= max_parts <= payload.MAX_PARTS:
            raise UsageError(f"--qr-max-parts must be from 1 to {payload.MAX_PARTS}", hint="the default is 8")
        self.target, self.ecc, self.max_parts, self.force = target, ecc, max_parts, force
        self.warn = warn or (lambda message: sys.stderr.write(f"lerwallet: warning: {message}\n"))
        self.encoded = None
        self.written: list[str] = []
        if self.kind != "terminal":
            path = Path(target)
            folder = path.parent if str(path.parent) else Path(".")
            if path.is_dir() or not folder.is_dir():
                raise UsageError(f"cannot write QR images to {target}: "
                                 + ("it is a folder" if path.is_dir() else f"folder {folder} does not exist"),
                                 hint="give a file name in an existing folder, e.g. --qr vp.png")
            import os

            if not os.access(folder, os.W_OK | os.X_OK):
                raise UsageError(f"cannot write QR images to {target}: permission denied", hint="choose another --qr")

    def prepare(self, presentation) -> None:
        """Lay the presentation out as codes; QrError (an InputError) when it needs too many."""
        from lerwallet.errors import InputError
        from lerwallet.qr import payload

        try:
            self.encoded = payload.encode(presentation.data, ecc=self.ecc, max_parts=self.max_parts)
        except payload.QrError as exc:
            raise InputError(exc.message, hint=(exc.hint or "") + "; nothing was shared or recorded") from None

    def write(self, presentation) -> dict:
        from lerwallet.qr import render

        if self.encoded is None:
            self.prepare(presentation)
        enc = self.encoded
        if self.kind == "terminal":
            (text,) = render.write(enc, "-")
            width = max(len(line) for line in text.splitlines())
            if sys.stdout.isatty():
                import shutil

                columns = shutil.get_terminal_size().columns
                if columns < width:
                    self.warn(f"the QR code is {width} columns wide and this terminal {columns}: zoom out "
                                "(or make the window wider) before scanning, or write an image with --qr FILE.png")
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            if not self.force:
                from lerwallet.errors import InputError

                clash = [str(p) for p in render.series_paths(Path(self.target), enc.parts) if p.exists()]
                if clash:
                    raise InputError(f"{clash[0]} exists", hint="add --force to overwrite it, or choose another --qr")
            self.written = render.write(enc, self.target)
        return {"form": "qr", "path": self.target if self.kind != "terminal" else "-", "files": self.written,
                "parts": enc.parts, "versions": [c.version for c in enc.codes], "ecc": enc.ecc, "mode": enc.mode,
                "bytes": enc.plain_bytes, "compressed": enc.compressed_bytes}

    def discard(self) -> None:
        pass

    def describe(self) -> str:
        return "the terminal as QR codes" if self.kind == "terminal" else f"QR images {self.target}"

    def summary(self) -> str:
        enc = self.encoded
        if enc is None:
            return ""
        versions = sorted({c.version for c in enc.codes})
        shown = ", ".join(map(str, versions))
        where = "" if self.kind == "terminal" else ": " + ", ".join(self.written)
        return (f"QR: {enc.parts} code{'s' if enc.parts != 1 else ''}, version {shown}, error correction {enc.ecc}, "
                f"{'base45 (alphanumeric)' if enc.mode == 'alphanumeric' else 'byte'} mode, "
                f"{enc.plain_bytes} bytes compressed to {enc.compressed_bytes}{where}")
