"""Shared by the JSON-LD differential tests (test_ld_fast, test_ld_shapes, test_ld_tamper)."""

from __future__ import annotations

import json

from lerwallet.ld import LDError, SafeModeError, canonize


def outcome(doc: dict, engine: str = "pyld") -> tuple[str, str]:
    """("ok", N-Quads) | ("safe", message) | ("error", message): what `engine` makes of a copy of
    `doc` (a copy: the cases are shared between parametrized tests), in the form jsonld.js's
    recorded outcomes take."""
    try:
        return "ok", canonize(json.loads(json.dumps(doc)), engine=engine)
    except SafeModeError as exc:
        return "safe", str(exc)
    except LDError as exc:
        return "error", str(exc)
