"""`output.dumps_indented` writes exactly what json.dumps(indent=2, ensure_ascii=False,
default=str) writes (it replaces it for every --json output, for speed)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lerwallet.cli.output import dumps_indented


def _reference(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)


scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
                    st.floats(allow_nan=True, allow_infinity=True), st.text())
keys = st.one_of(st.text(), st.integers(), st.floats(), st.booleans(), st.none())
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.tuples(inner, inner), st.dictionaries(keys, inner, max_size=4)), max_leaves=30)


@settings(max_examples=400, deadline=None)
@given(values)
def test_same_text_as_json_dumps(data):
    assert dumps_indented(data) == _reference(data)


@pytest.mark.parametrize("data", [
    {}, [], "", 0, -0.0, 1e300, 1e-320, float("nan"), {"a": {}, "b": [], "c": [[]], "d": [{}]},
    {"\u2028\x00\x1f\"\\/": "\ud800"}, {1: "int key", 2.5: "float key", False: "bool key", None: "null key"},
    {"when": datetime.datetime(2024, 1, 2, 3, 4, 5), "path": Path("/x/y"), "set": frozenset()},
    [True, False, None, 10**30], ("a", ("b",)),
])
def test_edge_cases(data):
    assert dumps_indented(data) == _reference(data)


def test_deep_and_circular_structures_behave_as_json_dumps():
    deep: list = []
    node = deep
    for _ in range(300):
        node.append([])
        node = node[0]
    assert dumps_indented(deep) == _reference(deep)
    loop: list = []
    loop.append(loop)
    with pytest.raises(ValueError, match="Circular reference"):
        dumps_indented(loop)
    with pytest.raises(TypeError):
        dumps_indented({(1, 2): "tuple key"})
