"""RDFC-1.0 canonicalization (pyld reference path)."""

from __future__ import annotations

import copy
from typing import Callable

from lerwallet.ld.errors import LDError, UnknownContext
from lerwallet.ld.loader import offline_loader


def canonize(doc: dict, loader: Callable[[str], dict] | None = None) -> str:
    """Canonical N-Quads of `doc` (RDFC-1.0). Raises `LDError` subclasses on failure."""
    from pyld import jsonld

    load = loader or offline_loader()

    def pyld_loader(url, options=None):
        return {"contextUrl": None, "documentUrl": url, "document": load(url)}

    try:
        return jsonld.normalize(
            copy.deepcopy(doc),
            {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": pyld_loader},
        )
    except jsonld.JsonLdError as exc:
        cause = _root_cause(exc)
        if isinstance(cause, LDError):
            raise cause from None
        raise LDError(f"JSON-LD error: {exc.type if hasattr(exc, 'type') else exc}") from None


def _root_cause(exc: BaseException) -> BaseException:
    seen = 0
    while seen < 20:
        nxt = getattr(exc, "cause", None) or exc.__cause__ or exc.__context__
        if nxt is None:
            return exc
        if isinstance(nxt, UnknownContext):
            return nxt
        exc, seen = nxt, seen + 1
    return exc
