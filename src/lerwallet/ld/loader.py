"""Document loaders. The default serves only the contexts bundled with lerwallet."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Callable, Protocol

from lerwallet.ld.errors import UnknownContext


class DocumentLoader(Protocol):
    def __call__(self, url: str) -> dict:
        """Return the parsed JSON document at `url`, or raise `UnknownContext`/`LDError`."""


@lru_cache(maxsize=1)
def manifest() -> dict[str, dict]:
    """URL -> {file, sha256, source} for every bundled context."""
    text = resources.files("lerwallet.ld").joinpath("contexts/manifest.json").read_text("utf-8")
    return json.loads(text)


@lru_cache(maxsize=None)
def _bundled(url: str) -> dict:
    entry = manifest().get(url)
    if entry is None:
        raise UnknownContext(url)
    text = resources.files("lerwallet.ld").joinpath("contexts", entry["file"]).read_text("utf-8")
    return json.loads(text)


def offline_loader() -> Callable[[str], dict]:
    """A loader that never touches the network: bundled contexts only, others refused."""

    def load(url: str) -> dict:
        return _bundled(url)

    return load
