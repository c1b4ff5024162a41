"""The import rules of docs/architecture.md hold: each package imports only the packages its
row of the table names (and what those depend on), never one above it. Read from the table
itself, so the doc and the rule cannot drift; a new import against the flow fails here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "lerwallet"
# Modules every package may use: the error types, the version, the wallet folder default, the
# one timestamp format, the dateTime parser and the plain data classes of the start-up path.
BASE = {"errors", "paths", "__init__", "utc", "dates", "structs"}
# Known exceptions, each with its reason; anything else against the flow fails.
KNOWN: set = set()


def _table() -> dict[str, set[str]]:
    rows = {}
    for line in (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*`(\w+)`\s*\|.*\|\s*([^|]*)\|\s*$", line)
        if m:
            deps = re.sub(r"\([^)]*\)", "", m.group(2))  # "(the one JWT classifier, ...)" is prose
            rows[m.group(1)] = {d.strip().strip("`") for d in deps.split(",") if d.strip()}
    return rows


def _allowed(table: dict[str, set[str]]) -> dict[str, set[str]]:
    everything = set(table) | BASE
    closure = {}
    for name in table:
        seen, todo = set(), list(table[name])
        while todo:
            dep = todo.pop()
            if dep == "everything above":
                seen |= everything
            elif dep in table and dep not in seen:
                seen.add(dep)
                todo.extend(table[dep])
        closure[name] = seen | BASE
    return closure


def _is_unit(name: str) -> bool:
    return (SRC / name / "__init__.py").exists() or (SRC / f"{name}.py").exists()


def _imports(path: Path) -> set[str]:
    """The top-level lerwallet units a module imports, lazy (function-level) imports included."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = ["lerwallet." + (a.name if _is_unit(a.name) else "__init__") for a in node.names] \
                if node.module == "lerwallet" else [node.module]
        found |= {n.split(".")[1] for n in names if n.startswith("lerwallet.")}
    return found


def test_the_table_names_every_package():
    table = _table()
    units = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    units |= {p.stem for p in SRC.glob("*.py") if p.stem not in BASE and p.stem != "__main__"}
    assert units - set(table) == set(), "add a row to the table in docs/architecture.md"


def test_packages_import_only_downstream():
    table = _table()
    allowed = _allowed(table)
    violations = []
    for path in sorted(SRC.rglob("*.py")):
        unit = path.relative_to(SRC).parts[0].removesuffix(".py")
        if unit not in table:
            continue
        for used in sorted(_imports(path) - {unit} - allowed[unit]):
            if (str(path.relative_to(SRC)), used) in KNOWN:
                continue
            violations.append(f"{path.relative_to(SRC)} imports lerwallet.{used} ({unit} may use: "
                              f"{', '.join(sorted(allowed[unit] - BASE)) or 'nothing'})")
    assert violations == []


def test_the_checker_catches_a_violation(tmp_path):
    bad = tmp_path / "m.py"
    bad.write_text("def f():\n    from lerwallet.cli.app import app\n")
    assert _imports(bad) == {"cli"}
    assert "cli" not in _allowed(_table())["crypto"]
