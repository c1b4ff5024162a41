"""Parsing JSON that came from outside (files, network, JWT segments) as strictly as JSON.parse.

Python's `json` accepts `NaN`, `Infinity` and `-Infinity`, which are not JSON (RFC 8259) and
which JavaScript's JSON.parse rejects: a credential such a verifier cannot read must not be
accepted here either. It also raises bare `RecursionError` on deep nesting and `ValueError`
on integers longer than `sys.get_int_max_str_digits()`; both become one `ValueError`
subclass with a one-line message, so callers catch one thing.

Duplicate object member names (`{"name": "PhD", "name": "First Aid"}`) are refused: parsers
disagree on which one wins (Python and JSON.parse keep the last, others the first), so the
same signed bytes could show different titles in different tools. I-JSON (RFC 7493, section
2.3) says objects MUST NOT have duplicate names; such input is malformed (`duplicate-key`).
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable


class UntrustedJSONError(ValueError):
    """Input that is not acceptable JSON; `code` names the reason (stable, for reports)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def _refuse_constant(name: str) -> Any:
    raise UntrustedJSONError(f"{name} is not a JSON number", "not-json")


def _unique_members(pairs: list) -> dict:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set = set()
        name = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise UntrustedJSONError(
            f"JSON object has the member {name!r} more than once (I-JSON, RFC 7493, forbids duplicate names)",
            "duplicate-key")
    return obj


def strict_decoder(check: Callable[[dict], None] | None = None, watch: tuple[str, ...] = ()) -> json.JSONDecoder:
    """A decoder for `loads_untrusted`: no NaN/Infinity, no duplicate member names. `check`, if
    given, also sees every object that has a member named in `watch` as it is built, and raises
    to refuse it (its own error passes through `loads_untrusted` as it is), so a rule about such
    objects costs no second walk."""
    if check is None:
        return json.JSONDecoder(parse_constant=_refuse_constant, object_pairs_hook=_unique_members)

    def members(pairs: list) -> dict:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            _unique_members(pairs)
        for name in watch:
            if name in obj:
                check(obj)
                break
        return obj

    return json.JSONDecoder(parse_constant=_refuse_constant, object_pairs_hook=members)


_DECODER = strict_decoder()


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]|[\ud800-\udfff]")


def _refuse_lone_surrogates(value: Any) -> None:
    """A `\\ud800` escape without its pair decodes to a string that is not Unicode text: it
    cannot be written as UTF-8, canonicalized, hashed or stored (I-JSON, RFC 7493 section 2.1,
    forbids it). Only checked when the text holds such an escape, so normal input pays nothing."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start:exc.end]
        raise UntrustedJSONError(
            f"JSON string holds a lone surrogate ({bad.encode('unicode_escape').decode()}): not valid Unicode",
            "not-unicode") from None


def loads_untrusted(data: bytes | str, *, decoder: json.JSONDecoder = _DECODER) -> Any:
    """`json.loads` that refuses NaN/Infinity and duplicate member names, and turns every failure
    into `UntrustedJSONError`. `decoder`: one made by `strict_decoder`.

    Bytes must be UTF-8 (a leading byte order mark is ignored, as RFC 8259 allows).
    """
    decoded = isinstance(data, (bytes, bytearray, memoryview))
    if decoded:
        try:
            data = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UntrustedJSONError("input is not UTF-8 text", "not-utf8") from None
    try:
        value = decoder.decode(data)
        # Text decoded from UTF-8 holds no surrogate itself (the codec refuses them): only an
        # escape can make one, and a substring test is much cheaper than the regex on every input.
        if (not decoded or "\\u" in data) and _SURROGATE_ESCAPE.search(data):
            _refuse_lone_surrogates(value)
        return value
    except UntrustedJSONError:
        raise
    except json.JSONDecodeError as exc:
        raise UntrustedJSONError(f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}", "not-json") from None
    except RecursionError:
        raise UntrustedJSONError("JSON nests too deeply", "too-deep") from None
    except ValueError as exc:  # int() refusing a number with too many digits
        first = str(exc).splitlines()[0] if str(exc) else "invalid number"
        raise UntrustedJSONError(f"JSON number not accepted: {first}", "not-json") from None


# --- the shapes a JSON-LD document's values come in (one value or a list; an id or an object) ---

def as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def types_of(doc: Any) -> list[str]:
    if not isinstance(doc, dict):
        return []
    return [t for t in as_list(doc.get("type")) if isinstance(t, str)]


def id_of(value: Any) -> str:
    """The id of an issuer/holder/subject given as a string or an object."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"]
    return ""
