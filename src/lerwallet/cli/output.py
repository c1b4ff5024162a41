"""Rendering helpers shared by the command modules: one error format, JSON on stdout."""

from __future__ import annotations

import json
import os
import sys
from typing import Any


def error(message: str, hint: str | None = None) -> None:
    """`lerwallet: error: ...` and optionally `lerwallet: hint: ...`, on stderr."""
    sys.stderr.write(f"lerwallet: error: {_one_line(message)}\n")
    if hint:
        sys.stderr.write(f"lerwallet: hint: {_one_line(hint)}\n")
    sys.stderr.flush()


def warn(message: str) -> None:
    sys.stderr.write(f"lerwallet: warning: {_one_line(message)}\n")
    sys.stderr.flush()


def info(message: str) -> None:
    """A message for the person at the terminal: stderr, so stdout stays data."""
    sys.stderr.write(f"{message}\n")
    sys.stderr.flush()


def print_json(data: Any) -> None:
    write_stdout(dumps_indented(data) + "\n")


def dumps_indented(data: Any) -> str:
    """`json.dumps(data, indent=2, ensure_ascii=False, default=str)`, the same text, about three
    times faster: with `indent`, the json module uses its pure-Python encoder (generators all
    the way down), a third of `verify FOLDER --json` on 200 badges. Anything it does not know
    (a circular structure, a key of another type, very deep nesting) goes to json.dumps, which
    writes it or raises as before (tests/test_cli_output_json.py holds them equal)."""
    from json.encoder import encode_basestring as text  # the C function when available

    out: list[str] = []
    add = out.append
    newline = ["\n" + "  " * i for i in range(_MAX_LEVEL + 2)]

    def key(k) -> str:
        if k.__class__ is str:
            return text(k)
        if isinstance(k, str):
            return text(k)
        if k is True or k is False or k is None:
            return '"' + json.dumps(k) + '"'
        if isinstance(k, float):
            return '"' + _float(k) + '"'
        if isinstance(k, int):
            return '"' + int.__repr__(k) + '"'
        raise _Fallback

    def enc(o, level: int) -> None:
        if isinstance(o, str):
            add(text(o))
        elif o is None:
            add("null")
        elif o is True:
            add("true")
        elif o is False:
            add("false")
        elif isinstance(o, int):
            add(int.__repr__(o))
        elif isinstance(o, float):
            add(_float(o))
        elif isinstance(o, (dict, list, tuple)):
            if not o:
                add("{}" if isinstance(o, dict) else "[]")
                return
            if level >= _MAX_LEVEL or id(o) in active:
                raise _Fallback
            active.add(id(o))
            inner = newline[level + 1]
            if isinstance(o, dict):
                sep = "{" + inner
                for k, v in o.items():
                    if v.__class__ is str:  # the common case, without a call
                        add(sep + key(k) + ": " + text(v))
                    else:
                        add(sep + key(k) + ": ")
                        enc(v, level + 1)
                    sep = "," + inner
                add(newline[level] + "}")
            else:
                sep = "[" + inner
                for v in o:
                    if v.__class__ is str:
                        add(sep + text(v))
                    else:
                        add(sep)
                        enc(v, level + 1)
                    sep = "," + inner
                add(newline[level] + "]")
            active.discard(id(o))
        else:
            enc(str(o), level)  # default=str

    active: set[int] = set()
    try:
        enc(data, 0)
    except _Fallback:
        return json.dumps(data, indent=2, ensure_ascii=False, default=str)
    return "".join(out)


_MAX_LEVEL = 200
_INF = float("inf")


class _Fallback(Exception):
    pass


def _float(o: float) -> str:
    if o != o:
        return "NaN"
    if o == _INF:
        return "Infinity"
    if o == -_INF:
        return "-Infinity"
    return float.__repr__(o)


def write_stdout(text: str) -> None:
    """All of `text` on stdout, or BrokenPipeError when the reader left (exit 141 through the
    guard). A single large write to a pipe whose reader exits part-way is cut short without an
    error (Python's buffered stdout swallows the short write); writing the rest raises."""
    sys.stdout.flush()
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (a test runner's capture)
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    data = memoryview(text.encode(sys.stdout.encoding or "utf-8", errors="replace"))
    while data:
        written = os.write(fd, data[:1 << 16])
        data = data[written:]


def write_bytes_stdout(data: bytes) -> None:
    """Raw bytes on stdout (an exported original, an image): never re-encoded."""
    sys.stdout.flush()
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # a test runner's capture
        target = getattr(sys.stdout, "buffer", None)
        if target is None:
            sys.stdout.write(data.decode("utf-8", "replace"))
        else:
            target.write(data)
        sys.stdout.flush()
        return
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view[:1 << 16]):]


def console(stderr: bool = False):
    """A rich Console that honours NO_COLOR and plain (non-terminal) output."""
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:  # rich would exit 1; the guard makes it 141, like a UNIX tool
            raise BrokenPipeError

    return _Console(
        stderr=stderr,
        file=None if stderr else _Stdout(),
        no_color=bool(os.environ.get("NO_COLOR")),
        highlight=False,
        emoji=False,  # otherwise "did:key:z6Mk..." prints as "did🔑z6Mk..."
        soft_wrap=False,
    )


class _Stdout:
    """sys.stdout for rich, written with `write_stdout` so a reader that left is noticed."""

    def write(self, text: str) -> int:
        write_stdout(text)
        return len(text)

    def flush(self) -> None:
        sys.stdout.flush()

    def isatty(self) -> bool:
        return sys.stdout.isatty()

    def fileno(self) -> int:
        return sys.stdout.fileno()

    @property
    def encoding(self) -> str:
        return sys.stdout.encoding or "utf-8"


_UNSAFE = None


def safe_text(value: object, *, multiline: bool = False) -> str:
    """`value` as text that is safe to print on a terminal: C0 and C1 control characters (ESC
    starts colour, cursor, screen-clearing and OSC 8 hyperlink sequences), DEL and the Unicode
    bidirectional overrides are shown as visible `\\xNN` / `\\uNNNN` escapes, so an untrusted
    credential field can neither drive the terminal nor disguise itself. Newlines become
    spaces unless `multiline`. JSON output does not need this: JSON escapes them itself."""
    global _UNSAFE
    if _UNSAFE is None:
        import re

        _UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\n")
    text = value if isinstance(value, str) else str(value)
    if text.isprintable():  # no control, format (bidi) or line-break characters: nothing to do
        return text

    def visible(match) -> str:
        char = match.group(0)
        if char == "\n":
            return "\n" if multiline else " "
        return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"

    return _UNSAFE.sub(visible, text)


def _one_line(text: str) -> str:
    return " ".join(safe_text(text).split())
