"""JSON-LD: bundled contexts, an offline document loader, and RDFC-1.0 canonicalization.

Public API (stable; the proof suites and the verifier depend on it):
  - `offline_loader()`            a loader that serves only bundled contexts
  - `canonize(doc, loader=None)`  RDFC-1.0 (URDNA2015) N-Quads of a JSON-LD document
  - `LDError`, `UnknownContext`, `SafeModeError`: failures, each with a one-line message
"""

from __future__ import annotations

from lerwallet.ld.errors import LDError, SafeModeError, UnknownContext
from lerwallet.ld.loader import DocumentLoader, offline_loader
from lerwallet.ld.canon import canonize

__all__ = ["LDError", "SafeModeError", "UnknownContext", "DocumentLoader", "offline_loader", "canonize"]
