"""The quick schema checker must agree with jsonschema (the reference) on every verdict.

`verify.schema` trusts a "valid" from `schemacheck` without asking jsonschema, so any
disagreement where schemacheck says valid and jsonschema says invalid would loosen a check.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lerwallet.verify import schema as schema_stage
from lerwallet.verify.schemacheck import Unsupported, compile_schema

ROOT = Path(__file__).resolve().parents[1]
NAMES = ("achievementcredential", "endorsementcredential", "profile")
DRAFT = "https://json-schema.org/draft/2019-09/schema#"


def reference(name: str):
    schema = schema_stage._schema(name)
    return jsonschema.Draft201909Validator(schema, format_checker=None)


def corpus() -> list[dict]:
    docs = []
    for path in sorted((ROOT / "tests" / "vectors").rglob("*.json")) + sorted((ROOT / "examples").rglob("*.json")):
        try:
            doc = json.loads(path.read_text("utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        if isinstance(doc, dict):
            docs.append(doc)
            if isinstance(doc.get("issuer"), dict):  # profiles, for the profile schema
                docs.append(doc["issuer"])
    return docs


CORPUS = corpus()
OB3_DOCS = [d for d in CORPUS if isinstance(d.get("type"), list) and "VerifiableCredential" in d["type"]
            and d.get("credentialSubject")]


@pytest.mark.parametrize("name", NAMES)
def test_every_bundled_schema_compiles(name):
    # If this fails, verify.schema silently falls back to jsonschema (correct, but ~40 ms slower).
    assert schema_stage._quick(name) is not None
    assert compile_schema(schema_stage._schema(name), lazy=False) is not None


def test_lazy_and_eager_compilation_agree_and_lazy_refuses_when_reached():
    schema = {"$schema": DRAFT, "properties": {"a": {"$ref": "#/$defs/A"}}, "$defs": {"A": {"maxLength": 2}}}
    quick = compile_schema(schema)  # nothing reached yet: compiles
    assert quick({"b": 1}) is True
    with pytest.raises(Unsupported):
        quick({"a": "xyz"})
    with pytest.raises(Unsupported):
        compile_schema(schema, lazy=False)
    for name in NAMES:
        eager = compile_schema(schema_stage._schema(name), lazy=False)
        assert all(eager(d) == schema_stage._quick(name)(d) for d in CORPUS)


@pytest.mark.parametrize("name", NAMES)
def test_agrees_with_jsonschema_on_every_json_file_in_the_repository(name):
    quick, ref = schema_stage._quick(name), reference(name)
    verdicts = [(quick(doc), ref.is_valid(doc)) for doc in CORPUS]
    assert all(q == r for q, r in verdicts)
    assert any(r for _, r in verdicts) and not all(r for _, r in verdicts)  # both outcomes exercised


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.floats(allow_nan=False, width=16)
    | st.sampled_from(["", "VerifiableCredential", "AchievementSubject", "Achievement", "Profile", "en",
                       "https://example.org/x", "ext:a", "did:example:1", "a.b.c", "2024-01-01T00:00:00Z",
                       "1", "true", "null", "0.0", "[]", "{}"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["id", "type", "name", "achievement", "criteria", "issuer", "narrative", "x"]), inner, max_size=3),
    max_leaves=6,
)


def _paths(value, here=()):
    yield here
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, here + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, here + (i,))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_agrees_with_jsonschema_on_mutated_credentials(data):
    base = copy.deepcopy(data.draw(st.sampled_from(OB3_DOCS)))
    for _ in range(data.draw(st.integers(1, 3))):
        paths = [p for p in _paths(base) if p]
        if not paths:
            break
        path = data.draw(st.sampled_from(paths))
        parent = base
        for step in path[:-1]:
            parent = parent[step]
        action = data.draw(st.sampled_from(["replace", "delete", "wrap", "add"]))
        if action == "replace":
            parent[path[-1]] = data.draw(JSON_VALUES)
        elif action == "delete":
            del parent[path[-1]]
        elif action == "wrap":
            parent[path[-1]] = [parent[path[-1]]]
        elif isinstance(parent[path[-1]], dict):
            parent[path[-1]][data.draw(st.sampled_from(["id", "type", "name", "extra"]))] = data.draw(JSON_VALUES)
    for name in NAMES:
        assert schema_stage._quick(name)(base) == reference(name).is_valid(base), name


SMALL_SCHEMAS = [
    {"type": "integer"}, {"type": "number"}, {"type": ["string", "null"]}, {"type": "boolean"},
    {"enum": [1, "a", None, [1], {"a": 1}]}, {"enum": [True]}, {"enum": [0]},
    {"required": ["a"], "properties": {"a": {"type": "string"}}},
    {"properties": {"a": {"type": "string"}}, "additionalProperties": False},
    {"properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "integer"}},
    {"items": [{"type": "string"}, {"type": "integer"}], "additionalItems": False},
    {"items": [{"type": "string"}]}, {"additionalItems": False},
    {"items": {"type": "integer"}, "minItems": 2}, {"contains": {"enum": ["a"]}},
    {"oneOf": [{"type": "integer"}, {"type": "number"}]}, {"allOf": [{"type": "array"}, {"minItems": 1}]},
    {"pattern": "^a"}, {"type": "object", "$ref": "#/$defs/A", "$defs": {"A": {"required": ["x"]}}},
    {"$ref": "#/$defs/T", "$defs": {"T": {"type": ["array", "string"], "items": {"$ref": "#/$defs/T"}}}},
    True, False,
    # The shortcuts (a set lookup for an enum of strings, a key-set test for required): strings
    # that spell other JSON values, an empty enum, a name required twice, an empty required.
    {"enum": ["VerifiableCredential", "en", ""]}, {"enum": ["1", "true", "null", "0.0", "[]", "{}"]}, {"enum": []},
    {"required": ["id", "type", "id"]}, {"required": []}, {"contains": {"enum": ["Achievement", "Profile"]}},
    {"properties": {"type": {"items": {"enum": ["Profile"]}}}, "additionalProperties": {"enum": ["en", ""]}},
]


@pytest.mark.parametrize("small", SMALL_SCHEMAS, ids=lambda s: json.dumps(s)[:60])
@settings(max_examples=80, deadline=None)
@given(value=JSON_VALUES)
def test_keyword_semantics_match_jsonschema(small, value):
    schema = {"$schema": DRAFT, **small} if isinstance(small, dict) else small
    if not isinstance(schema, dict):
        schema = {"$schema": DRAFT, "allOf": [small]}
    quick = compile_schema(schema)
    assert quick(value) == jsonschema.Draft201909Validator(schema).is_valid(value)


@pytest.mark.parametrize("schema", [
    {"type": "string"},  # no $schema: draft unknown
    {"$schema": "http://json-schema.org/draft-07/schema#"},
    {"$schema": DRAFT, "maxLength": 3},
    {"$schema": DRAFT, "unevaluatedProperties": False},
    {"$schema": DRAFT, "$ref": "https://example.org/other.json"},
    {"$schema": DRAFT, "$ref": "#/$defs/missing", "$defs": {}},
    {"$schema": DRAFT, "properties": {"a": {"$id": "https://example.org/a", "type": "string"}}},
    {"$schema": DRAFT, "contains": {}, "minContains": 2},
    {"$schema": DRAFT, "patternProperties": {"^a": {}}, "additionalProperties": False},
    {"$schema": DRAFT, "type": "float"},
])
def test_refuses_what_it_does_not_implement(schema):
    with pytest.raises(Unsupported):
        compile_schema(schema)


def test_invalid_credential_still_gets_jsonschema_messages():
    doc = copy.deepcopy(next(d for d in OB3_DOCS if reference("achievementcredential").is_valid(d)))
    doc["credentialSubject"]["achievement"]["name"] = 7
    errors = schema_stage._errors("achievementcredential", doc)
    assert errors and "7 is not of type 'string'" in errors[0]


# Values that the shortcuts could confuse: strings spelling other JSON values, and the values
# they spell; unhashable values (an enum of strings is a set lookup).
SPELLED = ["1", "true", "null", "0.0", "[]", "{}", "", "en", "Profile", 1, True, None, 0.0, [], {}, ["Profile"],
           {"Profile": "Profile"}, 1.0, False, "profile", "Profile ", "Profil\u0065"]


@pytest.mark.parametrize("small", [s for s in SMALL_SCHEMAS if isinstance(s, dict) and ("enum" in s or "required" in s)
                                   or isinstance(s, dict) and "contains" in s], ids=lambda s: json.dumps(s)[:60])
def test_string_enums_and_required_names_match_jsonschema_on_spelled_values(small):
    schema = {"$schema": DRAFT, **small}
    quick = compile_schema(schema)
    reference_validator = jsonschema.Draft201909Validator(schema)
    for value in SPELLED + [{"id": v, "type": v} for v in SPELLED] + [{"id": 1}, {"type": []}, {}]:
        assert quick(value) == reference_validator.is_valid(value), value
