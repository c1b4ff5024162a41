"""Where status list credentials come from: an employer's cache folder, or (only with
`--online`) an https fetch. Lists are matched to a `statusListCredential` URL by their `id` or
by the folder's optional `urls.json` ({url: file name}); a list fetched online is saved into
the cache folder under its URL so that the next offline run finds it."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

from lerwallet.formats import limits

# Both memos live as long as the process, which for `lerwallet serve` is days: a folder's index is
# rebuilt when the folder or its urls.json changes (a list added, removed or renamed by the
# employer's refresh job), and a list fetched online is reused for FETCH_TTL seconds at most, so
# a revocation published later is seen. FETCH_MAX lists are kept, the oldest dropped first.
FETCH_TTL = 300.0
FETCH_MAX = 256
_index_cache: dict[str, tuple[tuple, dict[str, Path | None]]] = {}
_fetched: dict[str, tuple[float, bytes]] = {}


def _signature(folder: Path) -> tuple:
    """What changes when the folder's set of files or its urls.json changes."""
    stamps = []
    for path in (folder, folder / "urls.json"):
        try:
            st = path.stat()
            stamps.append((st.st_mtime_ns, st.st_size, st.st_ino))
        except OSError:
            stamps.append(None)
    return tuple(stamps)


class Unavailable(Exception):
    def __init__(self, message: str, code: str = "status_list_unavailable") -> None:
        super().__init__(message)
        self.code = code


def _index(folder: Path) -> dict[str, Path | None]:
    """URL -> file for a cache folder (built once per process). An id claimed by two files with
    different content maps to None (ambiguous: a planted file must not shadow the real list);
    `urls.json` names the file explicitly and wins."""
    key, signature = str(folder.resolve()), _signature(folder)
    cached = _index_cache.get(key)
    if cached is not None and cached[0] == signature:
        return cached[1]
    index: dict[str, Path | None] = {}
    contents: dict[str, bytes] = {}
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if not path.is_file() or path.name == "urls.json" or path.stat().st_size > limits.MAX_STATUS_LIST_BYTES:
            continue
        try:
            data = path.read_bytes()
            list_id = _list_id(data)
        except (ValueError, OSError):
            continue
        if list_id is not None:
            if list_id not in index:
                index[list_id], contents[list_id] = path, data
            elif contents.get(list_id) != data:
                index[list_id] = None
    urls = folder / "urls.json"
    if urls.is_file():
        try:
            mapping = _parse(urls.read_bytes())
        except (ValueError, OSError):
            mapping = {}
        for url, name in mapping.items() if isinstance(mapping, dict) else []:
            if isinstance(name, str) and "/" not in name and "\\" not in name and (folder / name).is_file():
                index[url] = folder / name  # explicit mapping wins over ids
    _index_cache[key] = (signature, index)
    return index


class Ambiguous(Exception):
    """Several different files in a cache folder claim the same id (`key`)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def cache_file(folder: Path, url: str) -> Path | None:
    """The file of a cache folder that answers for `url` (with or without its fragment), as
    `--status-cache` reads it (also `--ob2-cache`); None when none does. Raises Ambiguous when
    different files claim the id: a planted file must not shadow the real one."""
    bare = url.split("#", 1)[0]
    index = _index(folder)
    for key in (bare, url):
        if key in index and index[key] is None:
            raise Ambiguous(key)
    return index.get(bare) or index.get(url)


def _list_id(data: bytes) -> str | None:
    """The URL a cached list answers for: a list credential's `id`, or a Token Status List
    token's `sub` (a compact `statuslist+jwt`, whose `sub` is the URI credentials cite)."""
    from lerwallet.verify import cwtstatus

    if cwtstatus.looks_like_cwt(data):
        try:
            sub = cwtstatus.claims_of(data).get("sub")
        except cwtstatus.CwtError:
            raise ValueError("not a status list") from None
        return sub if isinstance(sub, str) else None
    text = data.strip()
    if text[:1] != b"{" and text.count(b".") == 2:
        from lerwallet.proofs.jose import JoseError, decode_compact

        try:
            header, payload, _, _ = decode_compact(text.decode("ascii"))
        except (JoseError, UnicodeDecodeError):
            raise ValueError("not a status list") from None
        sub = payload.get("sub")
        return sub if header.get("typ") == "statuslist+jwt" and isinstance(sub, str) else None
    doc = _parse(data)
    return doc["id"] if isinstance(doc, dict) and isinstance(doc.get("id"), str) else None


def _parse(data: bytes) -> object:
    """Untrusted JSON from the cache folder; ValueError for anything unreadable."""
    from lerwallet.formats.errors import FormatError
    from lerwallet.formats.json_doc import loads

    try:
        return loads(data)
    except FormatError as exc:
        raise ValueError(exc.message) from None


def get(url: str, *, cache: Path | None, fetch) -> tuple[bytes, str]:
    """(bytes, where-from) of the status list at `url`, or raise Unavailable with the reason."""
    bare = url.split("#", 1)[0]
    if cache is not None:
        try:
            hit = cache_file(cache, url)
        except Ambiguous as exc:
            raise Unavailable(f"status list not checked: several different files in {cache} claim the id {exc.key} "
                              "(name the right one in urls.json)", "status_list_ambiguous") from None
        if hit:
            return hit.read_bytes(), f"cache file {hit.name}"
    if fetch is None:
        where = f" and not in {cache}" if cache else ""
        raise Unavailable(
            f"status list not checked: offline{where} (use --online, or --status-cache DIR with the list)", "offline"
        )
    now = time.monotonic()
    memo = _fetched.get(bare)
    if memo is None or now - memo[0] > FETCH_TTL:
        try:
            data = fetch(bare)
        except Exception as exc:  # network failures are a reason, never a crash
            raise Unavailable(f"status list unreachable: {getattr(exc, 'message', None) or exc}", "status_list_unreachable") from None
        _fetched.pop(bare, None)
        while len(_fetched) >= FETCH_MAX:
            _fetched.pop(next(iter(_fetched)))
        memo = _fetched[bare] = (now, data)
        if cache is not None:
            _save(cache, bare, data)
    return memo[1], "fetched online"


def _save(folder: Path, url: str, data: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    kind = ".json" if data.lstrip()[:1] == b"{" else ".jwt" if data.strip().isascii() else ".cwt"
    name = hashlib.sha256(url.encode()).hexdigest()[:16] + kind
    (folder / name).write_bytes(data)
    urls_path = folder / "urls.json"
    try:
        mapping = _parse(urls_path.read_bytes()) if urls_path.is_file() else {}
    except (ValueError, OSError):
        mapping = {}
    if not isinstance(mapping, dict):
        mapping = {}
    mapping[url] = name
    tmp = urls_path.with_suffix(".tmp")
    tmp.write_text(json.dumps(mapping, indent=2, sort_keys=True))
    tmp.replace(urls_path)
    _index_cache.pop(str(folder.resolve()), None)
