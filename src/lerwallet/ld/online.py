"""The `--online` document loader: bundled contexts first, then careful HTTPS fetches.

Fetching goes through `lerwallet.net.fetch_https`, the one way lerwallet reaches the network:
https only; every address the host resolves to must be public (no private, loopback,
link-local, ...), and the connection goes to the checked address; redirects are re-checked;
timeout and size cap. A fetched context is cached on disk (JSON with the URL, the SHA-256
of the bytes, and when it was fetched) so the next verification needs no network; the
cache is keyed by the SHA-256 of the URL. A damaged cache entry is ignored and refetched.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Callable

from lerwallet.jsonutil import loads_untrusted
from lerwallet.ld.errors import FetchError, LDError
from lerwallet.ld.loader import _bundled, is_bundled
from lerwallet.utc import iso

MAX_CONTEXT_BYTES = 1024 * 1024
TIMEOUT_SECONDS = 10.0
ACCEPT = "application/ld+json, application/json;q=0.9"


def default_cache_dir() -> Path:
    from lerwallet.paths import wallet_home

    return wallet_home() / "cache" / "contexts"


def online_loader(
    cache_dir: str | os.PathLike | None = None,
    *,
    fetch: Callable[[str], bytes] | None = None,
    timeout: float = TIMEOUT_SECONDS,
    max_bytes: int = MAX_CONTEXT_BYTES,
) -> Callable[[str], dict]:
    """A loader for `--online`: bundled contexts, then the disk cache, then HTTPS.

    `fetch(url) -> bytes` may be injected (tests); it defaults to `lerwallet.net.fetch_https`
    with the address policy, `timeout` and `max_bytes` above.
    """
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()

    def default_fetch(url: str) -> bytes:
        from lerwallet.net import NetError, fetch_https

        try:
            return fetch_https(url, max_bytes=max_bytes, timeout=timeout, accept=ACCEPT)
        except NetError as exc:
            raise FetchError(f"cannot fetch context {url}: {exc}") from None

    get = fetch or default_fetch

    def load(url: str) -> dict:
        if is_bundled(url):
            return _bundled(url)
        if not url.startswith("https://"):
            raise FetchError(f"refusing to fetch context {url}: only https URLs are fetched")
        entry = folder / (hashlib.sha256(url.encode("utf-8")).hexdigest() + ".json")
        cached = _read_cache(entry, url)
        body = cached if cached is not None else get(url)
        if len(body) > max_bytes:
            raise FetchError(f"context {url} is larger than {max_bytes} bytes")
        try:
            document = loads_untrusted(body)
        except ValueError as exc:
            raise FetchError(f"context {url} is not JSON ({exc})") from None
        if cached is not None and isinstance(document, dict):
            return document
        if not isinstance(document, dict):
            raise FetchError(f"context {url} is not a JSON object")
        _write_cache(entry, url, body)
        return document

    return load


def _read_cache(entry: Path, url: str) -> bytes | None:
    try:
        record = json.loads(entry.read_text("utf-8"))
        body = record["body"].encode("utf-8")
        if record.get("url") != url or hashlib.sha256(body).hexdigest() != record.get("sha256"):
            return None
        return body
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _write_cache(entry: Path, url: str, body: bytes) -> None:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise LDError(f"context {url} is not UTF-8") from None
    record = {
        "url": url,
        "sha256": hashlib.sha256(body).hexdigest(),
        "fetched": iso(),
        "body": text,
    }
    try:
        entry.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = entry.with_suffix(f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(record, fh)
        os.replace(tmp, entry)
    except OSError:
        pass  # a cache that cannot be written only costs a refetch
