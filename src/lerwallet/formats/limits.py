"""Resource caps on untrusted input. Each exceeded cap is a clear, named failure."""

from __future__ import annotations

MAX_INPUT_BYTES = 8 * 1024 * 1024  # one file, one stdin stream, or one embedded payload
MAX_JSON_DEPTH = 64  # real credentials nest < 15 levels; deeper is an attack or a bug
MAX_CREDENTIALS = 1000  # credentials in one presentation / bundle
MAX_INPUTS = 10000  # files reached through folders in one call
MAX_STATUS_LIST_BYTES = 2 * 1024 * 1024  # a fetched status list credential
MAX_DECOMPRESSED_LIST = 16 * 1024 * 1024  # decompressed bitstring (131 M entries)
MAX_PNG_TEXT = 1024 * 1024  # decompressed iTXt payload
MAX_JSON_ARRAY = 10_000  # items in one JSON array (a presentation's credentials: 1,000)
MAX_JSON_VALUES = 200_000  # JSON values in one input (a typical badge has about 60)
MAX_PROOFS = 32  # entries in one `proof` (proof sets and chains in use: 1-3)
MAX_CONTEXT_ENTRIES = 16  # entries in one `@context` (credentials in use: 1-6)
MAX_CONTEXT_TOTAL = 4096  # `@context` entries in one input, every embedded one counted
MAX_ZIP_BYTES = 64 * 1024 * 1024  # a zip archive file itself (exports carry baked images; formats.archive)
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header, or an empty archive


def is_zip(data: bytes) -> bool:
    """A zip archive, by its first bytes (`formats.archive` reads it; loaded only for a zip)."""
    return data[:4] in ZIP_MAGIC
