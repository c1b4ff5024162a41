"""Resource caps on untrusted input. Each exceeded cap is a clear, named failure."""

from __future__ import annotations

MAX_INPUT_BYTES = 8 * 1024 * 1024  # one file, one stdin stream, or one embedded payload
MAX_JSON_DEPTH = 64  # real credentials nest < 15 levels; deeper is an attack or a bug
MAX_CREDENTIALS = 1000  # credentials in one presentation / bundle
MAX_INPUTS = 10000  # files reached through folders in one call
MAX_STATUS_LIST_BYTES = 2 * 1024 * 1024  # a fetched status list credential
MAX_DECOMPRESSED_LIST = 16 * 1024 * 1024  # decompressed bitstring (131 M entries)
MAX_PNG_TEXT = 1024 * 1024  # decompressed iTXt payload
