"""Document loaders. The default serves only the contexts bundled with lerwallet.

A loader is any callable `url -> dict` (the parsed JSON document) that raises
`UnknownContext` or another `LDError` for a URL it will not serve. Bundled context
documents are parsed once per process; every call returns a fresh deep copy, because
JSON-LD processors (pyld among them) mutate context documents while resolving them.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from typing import Callable, Protocol

from lerwallet.ld.errors import LDError, UnknownContext


# A plain path, not importlib.resources (which costs ~15 ms of imports): lerwallet ships
# as a regular package directory.
CONTEXTS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "contexts")


class DocumentLoader(Protocol):
    def __call__(self, url: str) -> dict:
        """Return the parsed JSON document at `url`, or raise `UnknownContext`/`LDError`."""


@lru_cache(maxsize=1)
def manifest() -> dict[str, dict]:
    """URL -> {file, sha256, source, ...} for every bundled context (see docs/jsonld.md)."""
    with open(os.path.join(CONTEXTS_DIR, "manifest.json"), encoding="utf-8") as fh:
        return json.load(fh)


def is_bundled(url: str) -> bool:
    """True when `url` is served offline from the bundled contexts."""
    return url in manifest()


def bundled_bytes(url: str) -> bytes:
    """The exact bytes of the bundled document for `url` (what the manifest hash covers)."""
    entry = manifest().get(url)
    if entry is None:
        raise UnknownContext(url)
    with open(os.path.join(CONTEXTS_DIR, entry["file"]), "rb") as fh:
        return fh.read()


@lru_cache(maxsize=None)
def _parsed(url: str) -> str:
    # Cache the canonical JSON text, not the object: callers get a private copy every time.
    try:
        return json.dumps(json.loads(bundled_bytes(url)))
    except ValueError as exc:  # a damaged installation, not a user error
        raise LDError(f"bundled context for {url} is not valid JSON: {exc}") from None


def _bundled(url: str) -> dict:
    return json.loads(_parsed(url))


def offline_loader() -> Callable[[str], dict]:
    """A loader that never touches the network: bundled contexts only, others refused."""

    def load(url: str) -> dict:
        return _bundled(url)

    load.lerwallet_offline = True  # lets the fast path know it may use the bundled bytes
    return load
