"""A yes/no JSON Schema checker for the keyword subset our bundled schemas use.

Why: importing jsonschema costs ~40 ms of a ~150 ms `lerwallet verify`. The bundled 1EdTech
OB 3.0 schemas (draft 2019-09) use only a dozen keywords, so the common case, a valid
credential, is decided here by plain closures compiled once per process. jsonschema stays the
reference: `verify.schema` asks it for the error messages whenever this checker says "invalid",
and `compile_schema` refuses (raises `Unsupported`) any keyword, `$ref` or `$schema` it does not
implement, so a schema update can only fall back to jsonschema, never be checked loosely.
Differential tests (tests/test_schemacheck.py) hold it to jsonschema's verdicts.

Semantics follow jsonschema's Draft201909Validator with format_checker=None (formats are
annotations only): `$ref` applies alongside sibling keywords; `items` as a list is positional
and `additionalItems` covers the rest; booleans are never numbers; 1 == 1.0 in `enum`.
"""

from __future__ import annotations

import re
from typing import Any, Callable

Check = Callable[[Any], bool]

DRAFT_2019_09 = {"https://json-schema.org/draft/2019-09/schema", "https://json-schema.org/draft/2019-09/schema#"}
_ANNOTATIONS = frozenset({"description", "$comment", "title", "examples", "default", "format", "$schema", "$id", "$defs"})
_TYPES: dict[str, Check] = {
    "string": lambda v: isinstance(v, str),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
}


def _unreachable(v: Any) -> bool:
    raise AssertionError("a $ref was called while its target was being compiled")


class Unsupported(ValueError):
    """The schema uses something this checker does not implement: use jsonschema instead."""


def compile_schema(root: dict, *, lazy: bool = True) -> Check:
    """A function telling whether an instance is valid against `root` (a draft 2019-09 schema).

    `lazy`: each `$defs` entry is compiled when an instance first reaches it (a typical badge
    reaches a third of the OB 3.0 schema), so `Unsupported` may then come from the call; with
    `lazy=False` everything is compiled, and refused, up front (the tests check both)."""
    if not isinstance(root, dict) or root.get("$schema") not in DRAFT_2019_09:
        raise Unsupported("only draft 2019-09 schemas with an explicit $schema are supported")
    defs = root.get("$defs", {})
    compiled: dict[str, Check] = {}

    def ref(pointer: str) -> Check:
        prefix = "#/$defs/"
        if not isinstance(pointer, str) or not pointer.startswith(prefix) or pointer[len(prefix):] not in defs:
            raise Unsupported(f"$ref {pointer!r} is not a local #/$defs/ reference")
        name = pointer[len(prefix):]
        if "/" in name or "~" in name or "%" in name:
            raise Unsupported(f"$ref {pointer!r} needs JSON Pointer unescaping")
        if not lazy and name not in compiled:
            compiled[name] = _unreachable  # marks "being compiled": a recursive $ref binds lazily below
            compiled[name] = build(defs[name])

        def check(v: Any) -> bool:
            target = compiled.get(name)
            if target is None:
                target = compiled[name] = build(defs[name])
            return target(v)

        return check

    def build(schema: Any) -> Check:
        if schema is True:
            return lambda v: True
        if schema is False:
            return lambda v: False
        if not isinstance(schema, dict):
            raise Unsupported(f"schema must be an object or a boolean, not {type(schema).__name__}")
        if "$id" in schema and schema is not root:
            raise Unsupported("nested $id changes the base URI")
        checks: list[Check] = []
        for key, value in schema.items():
            if key in _ANNOTATIONS or key in ("properties", "additionalItems"):
                continue  # additionalItems is compiled with items (ignored without a list), properties below
            maker = _KEYWORDS.get(key)
            if maker is None:
                raise Unsupported(f"keyword {key!r} is not implemented")
            checks.append(maker(value, schema, build, ref))
        if "properties" in schema and "additionalProperties" not in schema:
            checks.append(_properties(schema["properties"], build))
        if not checks:
            return lambda v: True
        if len(checks) == 1:
            return checks[0]
        return _every(checks)

    return build(root)


def _every(checks: list[Check]) -> Check:
    """All of `checks` (a plain loop: the validator runs on every badge of a batch)."""
    def check(v: Any) -> bool:
        for c in checks:
            if not c(v):
                return False
        return True

    return check


def _type(value, schema, build, ref) -> Check:
    names = value if isinstance(value, list) else [value]
    try:
        tests = [_TYPES[n] for n in names]
    except (KeyError, TypeError):
        raise Unsupported(f"type {value!r}") from None
    if len(tests) == 1:
        return tests[0]
    return lambda v: any(t(v) for t in tests)


def _properties(props: dict, build) -> Check:
    if not isinstance(props, dict):
        raise Unsupported("properties must be an object")
    subs = {k: build(s) for k, s in props.items()}

    def check(v: Any) -> bool:
        if not isinstance(v, dict):
            return True
        for k, x in v.items():  # the object's members (fewer than the schema's properties)
            sub = subs.get(k)
            if sub is not None and not sub(x):
                return False
        return True

    return check


def _additional_properties(value, schema, build, ref) -> Check:
    if "patternProperties" in schema:
        raise Unsupported("patternProperties")
    props = schema.get("properties", {})
    known = _properties(props, build)
    extra = build(value)
    names = frozenset(props)

    def check(v: Any) -> bool:
        if not isinstance(v, dict):
            return True
        if not known(v):
            return False
        for k, x in v.items():
            if k not in names and not extra(x):
                return False
        return True

    return check


def _required(value, schema, build, ref) -> Check:
    if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
        raise Unsupported("required must be a list of strings")
    names = frozenset(value)
    return lambda v: not isinstance(v, dict) or v.keys() >= names


def _items(value, schema, build, ref) -> Check:
    if isinstance(value, list):
        positional = [build(s) for s in value]
        n = len(positional)
        rest = build(schema["additionalItems"]) if "additionalItems" in schema else (lambda v: True)
        return lambda v: not isinstance(v, list) or (
            all(s(x) for s, x in zip(positional, v)) and all(rest(x) for x in v[n:]))
    each = build(value)

    def check(v: Any) -> bool:
        if isinstance(v, list):
            for x in v:
                if not each(x):
                    return False
        return True

    return check


def _min_items(value, schema, build, ref) -> Check:
    if not isinstance(value, int) or isinstance(value, bool):
        raise Unsupported("minItems must be an integer")
    return lambda v: not isinstance(v, list) or len(v) >= value


def _contains(value, schema, build, ref) -> Check:
    if "minContains" in schema or "maxContains" in schema:
        raise Unsupported("minContains/maxContains")
    each = build(value)

    def check(v: Any) -> bool:
        if not isinstance(v, list):
            return True
        for x in v:
            if each(x):
                return True
        return False

    return check


def _enum(value, schema, build, ref) -> Check:
    if not isinstance(value, list):
        raise Unsupported("enum must be a list")
    if all(isinstance(e, str) for e in value):
        # A string equals only an equal string in JSON (and in `_equal`): a set lookup.
        strings = frozenset(value)
        return lambda v: isinstance(v, str) and v in strings
    return lambda v: any(_equal(v, e) for e in value)


def _pattern(value, schema, build, ref) -> Check:
    search = re.compile(value).search
    return lambda v: not isinstance(v, str) or search(v) is not None


def _one_of(value, schema, build, ref) -> Check:
    subs = [build(s) for s in value]
    return lambda v: sum(1 for s in subs if s(v)) == 1


def _all_of(value, schema, build, ref) -> Check:
    subs = [build(s) for s in value]
    return lambda v: all(s(v) for s in subs)


def _ref(value, schema, build, ref) -> Check:
    return ref(value)


_KEYWORDS = {
    "type": _type, "additionalProperties": _additional_properties, "required": _required, "items": _items,
    "minItems": _min_items, "contains": _contains, "enum": _enum, "pattern": _pattern, "oneOf": _one_of,
    "allOf": _all_of, "$ref": _ref,
}


def _equal(a: Any, b: Any) -> bool:
    """JSON equality as jsonschema sees it: booleans are not numbers, 1 == 1.0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, (list, dict)) or isinstance(b, (list, dict)):
        return False
    return a == b
