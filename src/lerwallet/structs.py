"""Plain data classes for the start-up path, without the `dataclasses` module.

Importing `dataclasses` costs about 6 ms (it imports inspect, ast, dis and tokenize), and each
`@dataclass` another 0.3-0.5 ms at import, because it writes `__init__`, `__repr__` and `__eq__`
as source text and compiles them. `lerwallet verify` of one file loaded twenty such classes:
about a sixth of its start-up (docs/performance.md). The classes that `verify` loads derive
from `Struct` instead: `__init__` is written out in the class (compiled once, into the .pyc),
and equality, `repr` and `to_dict` come from here, over the class's `FIELDS`, as the
dataclass versions behaved:

- `==` compares the fields in order, and only with an instance of the same class;
- `repr` is `Name(field=value, ...)`;
- a `Struct` is unhashable (a mutable dataclass); a `Frozen` one refuses assignment
  (`AttributeError`) and hashes its fields;
- `to_dict()` is `dataclasses.asdict`: fields by name, lists, tuples and dicts copied, nested
  structs turned into dicts; `replace(**changes)` is `dataclasses.replace`.

Modules not on that path keep using `dataclasses`.
"""

from __future__ import annotations

from typing import Any


class Struct:
    __slots__ = ()
    FIELDS: tuple[str, ...] = ()

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self.FIELDS)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}({', '.join(f'{name}={getattr(self, name)!r}' for name in self.FIELDS)})"

    def to_dict(self) -> dict[str, Any]:
        return {name: _plain(getattr(self, name)) for name in self.FIELDS}

    def replace(self, **changes: Any) -> Any:
        """A copy with `changes` (`dataclasses.replace`: the other fields shared, not copied)."""
        return type(self)(**{**{name: getattr(self, name) for name in self.FIELDS}, **changes})


class Frozen(Struct):
    """A Struct whose fields are set once, by `__init__` (through `_set`). No `__slots__` in
    subclasses: pickle and copy restore `__dict__` directly, as for a frozen dataclass."""

    __slots__ = ()

    def _set(self, **values: Any) -> None:
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __hash__(self) -> int:
        return hash(self._values())


_ATOMS = frozenset({str, int, float, bool, bytes, type(None)})


def _plain(value: Any) -> Any:
    """`dataclasses.asdict`'s copy of one value."""
    cls = value.__class__
    if cls in _ATOMS:  # most values, tested first (a report is converted for every credential)
        return value
    if cls is list:
        return [_plain(v) for v in value]
    if cls is dict:
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, Struct):
        return value.to_dict() if type(value).to_dict is Struct.to_dict else {
            name: _plain(getattr(value, name)) for name in value.FIELDS}
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, dict):
        return type(value)((_plain(k), _plain(v)) for k, v in value.items())
    if isinstance(value, (str, int, float, bool, bytes)) or value is None:
        return value
    import copy

    return copy.deepcopy(value)
