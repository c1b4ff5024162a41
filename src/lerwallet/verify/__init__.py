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


EXPECT = (None, "object")


def verify_bytes(data: bytes, opts: Options | None = None, *, source: str = "-", expect: str | None = None) -> list[Report]:
    """Verify one in-memory input (what `import` uses).

    `expect=None` detects the format (JSON, a JSON array, JWT, SD-JWT, baked images...).
    `expect="object"`: the caller (the VC-API service, a library user) says the input is one
    JSON object, a credential or presentation; anything else (a JSON string, even one holding
    JSON or a JWT, an array, a number) is refused as unreadable (`parse`, `not-an-object`)."""
    from lerwallet.formats import decode_bytes
    from lerwallet.verify.pipeline import verify_envelope

    if expect not in EXPECT:
        raise ValueError(f"expect must be one of {EXPECT}, not {expect!r}")
    opts = opts or Options()
    envelopes = _object_envelopes(data, source) if expect == "object" else decode_bytes(data, source)
    return [verify_envelope(env, opts) for env in envelopes]


def _object_envelopes(data: bytes, source: str) -> list:
    from lerwallet.formats import Envelope, limits
    from lerwallet.formats.errors import FormatError
    from lerwallet.formats.json_doc import _envelope, loads

    try:
        if len(data) > limits.MAX_INPUT_BYTES:
            raise FormatError(f"input is larger than {limits.MAX_INPUT_BYTES // (1024 * 1024)} MiB", code="too-large")
        doc = loads(data)
        if not isinstance(doc, dict):
            kind = {str: "a JSON string", list: "a JSON array"}.get(type(doc), f"a JSON {type(doc).__name__}")
            raise FormatError(f"expected a JSON object (a credential or presentation), got {kind}", code="not-an-object")
        env = _envelope(doc, source)
        if env.token is None and env.raw is None:
            env.raw = data
        return [env]
    except FormatError as exc:
        return [Envelope(source=source, container="json", error=exc)]


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
