"""JSON-LD: bundled contexts, an offline document loader, and RDFC-1.0 canonicalization.

Public API (stable; the proof suites and the verifier depend on it):
  - `offline_loader()`            a loader that serves only bundled contexts
  - `online_loader(...)`          bundled contexts first, then careful HTTPS fetches (--online)
  - `canonize(doc, loader=None, *, safe=True, engine="auto")`
                                  RDFC-1.0 (URDNA2015) N-Quads of a JSON-LD document
  - `expand(doc, loader=None, *, safe=True)`   JSON-LD expansion (pyld)
  - `remembering()`               a block in which re-canonicalizing the same document is free
  - `LDError`, `UnknownContext`, `SafeModeError`, `FetchError`, `CanonicalizationLimit`:
                                  failures, one-line messages

Importing this package is cheap: pyld and pyoxigraph are imported on first use.
"""

from __future__ import annotations

from lerwallet.ld.errors import CanonicalizationLimit, FetchError, LDError, SafeModeError, UnknownContext
from lerwallet.ld.loader import DocumentLoader, offline_loader
from lerwallet.ld.canon import canonize, expand, remembering


def online_loader(*args, **kwargs):
    """See `lerwallet.ld.online.online_loader` (imported lazily: it pulls in the network stack)."""
    from lerwallet.ld.online import online_loader as make

    return make(*args, **kwargs)


__all__ = [
    "LDError",
    "SafeModeError",
    "CanonicalizationLimit",
    "UnknownContext",
    "FetchError",
    "DocumentLoader",
    "offline_loader",
    "online_loader",
    "canonize",
    "expand",
    "remembering",
]
