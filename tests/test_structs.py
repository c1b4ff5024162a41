"""lerwallet.structs behaves as the @dataclass classes it replaced on the start-up path.

Each property is checked against a real dataclass with the same fields, so the two cannot drift.
"""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from lerwallet.crypto import KdfParams
from lerwallet.formats import Envelope
from lerwallet.proofs.result import ProofResult
from lerwallet.structs import Frozen, Struct
from lerwallet.verify.options import Options
from lerwallet.verify.report import Check


class Point(Struct):
    FIELDS = ("x", "tags", "meta")

    def __init__(self, x: int, tags: list | None = None, meta: dict | None = None) -> None:
        self.x = x
        self.tags = [] if tags is None else tags
        self.meta = {} if meta is None else meta


@dataclasses.dataclass
class DPoint:
    x: int
    tags: list = dataclasses.field(default_factory=list)
    meta: dict = dataclasses.field(default_factory=dict)


class Pin(Frozen):
    FIELDS = ("a", "b")

    def __init__(self, a: str, b: tuple = ()) -> None:
        self._set(a=a, b=b)


@dataclasses.dataclass(frozen=True)
class DPin:
    a: str
    b: tuple = ()


def test_equality_and_repr_as_a_dataclass():
    assert Point(1, ["t"]) == Point(1, ["t"]) and Point(1) != Point(2)
    assert Point(1) != DPoint(1)  # another class is never equal, as for dataclasses
    assert repr(Point(1, ["t"], {"k": 2})) == repr(DPoint(1, ["t"], {"k": 2})).replace("DPoint", "Point")
    assert repr(Pin("x", (1,))) == repr(DPin("x", (1,))).replace("DPin", "Pin")
    assert Point(1).tags is not Point(1).tags  # a fresh default per instance (default_factory)


def test_to_dict_is_asdict_and_copies():
    nested = Point(1, [Point(2, ["a"])], {"k": [1, {"z": (3,)}]})
    dnested = DPoint(1, [DPoint(2, ["a"])], {"k": [1, {"z": (3,)}]})
    assert nested.to_dict() == dataclasses.asdict(dnested)
    out = nested.to_dict()
    out["meta"]["k"].append(9)
    assert nested.meta == {"k": [1, {"z": (3,)}]}


def test_hashing_and_immutability():
    with pytest.raises(TypeError):
        hash(Point(1))  # mutable: unhashable, like a dataclass with eq
    assert hash(Pin("x", (1,))) == hash(DPin("x", (1,)))
    assert {Pin("x"), Pin("x")} == {Pin("x")}
    pin = Pin("x")
    with pytest.raises(AttributeError):
        pin.a = "y"
    with pytest.raises(AttributeError):
        del pin.a
    assert pin.a == "x"


@pytest.mark.parametrize("value", [
    Pin("x", (1, 2)), Point(1, ["t"]), KdfParams.default(), ProofResult("eddsa-rdfc-2022", "pass", "ok"),
    Check("proof", "fail", "bad", "invalid_signature", {"k": 1}), Envelope("a.json", "json", unverified={"a": 1}),
])
def test_pickle_and_copy_round_trip(value):
    # --jobs sends options and reports between processes by pickle
    assert pickle.loads(pickle.dumps(value)) == value
    assert copy.copy(value) == value and copy.deepcopy(value) == value


def test_library_classes_keep_their_fields():
    assert KdfParams().to_dict() == {"algorithm": "argon2id", "memory_kib": 65536, "iterations": 3, "lanes": 4}
    opts = Options(challenge="c", strict=True)
    changed = opts.replace(challenge="d")
    assert (changed.challenge, changed.strict, opts.challenge) == ("d", True, "c")
    assert changed.trust_files == [] and changed.trust_files is opts.trust_files  # a shallow copy, as dataclasses.replace
