"""Verification: the employer's verdict as a library.

    reports = verify_inputs(["bundle.json"], Options(at=..., challenge=...))
    verdict, exit_code = overall(reports)

Each input becomes a `Report` (presentation checks plus one `CredentialReport` per
credential, each a list of named `Check`s). The CLI and the import command call this; nothing
here prints. Offline unless `Options.online`.
"""

from __future__ import annotations

from typing import Callable

from lerwallet.verify.options import Options
from lerwallet.verify.report import Check, CredentialReport, Report, overall, to_json

__all__ = ["Options", "Check", "CredentialReport", "Report", "overall", "to_json", "verify_inputs", "verify_bytes"]


def verify_bytes(data: bytes, opts: Options | None = None, *, source: str = "-") -> list[Report]:
    """Verify one in-memory input (what `import` uses)."""
    from lerwallet.formats import decode_bytes
    from lerwallet.verify.pipeline import verify_envelope

    opts = opts or Options()
    return [verify_envelope(env, opts) for env in decode_bytes(data, source)]


def verify_inputs(
    args: list[str], opts: Options | None = None, *, jobs: int = 1, progress: Callable[[int, int], None] | None = None,
    stdin=None, recursive: bool = False,
) -> list[Report]:
    """Read and verify every input (files, folders, `-`), results in input order."""
    from lerwallet.formats import read_inputs
    from lerwallet.verify.batch import run_all

    opts = opts or Options()
    envelopes = read_inputs(args, stdin=stdin, recursive=recursive)
    return run_all(envelopes, opts, jobs=jobs, progress=progress)
