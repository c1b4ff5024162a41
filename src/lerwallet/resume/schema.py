"""Validating what `export resume` writes against the bundled schemas (schemas/PROVENANCE.md):
the HR Open LER-RS schemas (draft-04, a catalog of files that `$ref` each other by relative path)
and the JSON Resume schema (draft-07). jsonschema is imported only here, when a résumé is made."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

SCHEMAS = Path(__file__).parent / "schemas"
LERRS_ROOT = SCHEMAS / "ler-rs" / "www.hropenstandards.org"
LERRS_BASE = "https://www.hropenstandards.org/"  # the 1EdTech validator's catalog mapping
LERRS_TYPE = "recruiting/json/LER-RSType.json"
JSON_RESUME = SCHEMAS / "jsonresume" / "schema.json"
MAX_ERRORS = 5


@lru_cache(maxsize=1)
def _lerrs_registry():
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    resources = []
    for path in sorted(LERRS_ROOT.rglob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        contents.pop("$id", None)  # draft-04 ignores $id; five files share a nonstandard one
        uri = LERRS_BASE + path.relative_to(LERRS_ROOT).as_posix()
        resources.append((uri, Resource.from_contents(contents, default_specification=DRAFT4)))
    return Registry().with_resources(resources)


_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+\Z")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})\Z")


def _format_checker():
    """jsonschema's format checks, plus `date-time` (RFC 3339) and `uri` (a scheme and no
    spaces), which it checks only with optional packages: the 1EdTech validator checks formats,
    so a date like 2024-13-45 is refused here as there."""
    from datetime import datetime

    from jsonschema import FormatChecker

    checker = FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def _date_time(value) -> bool:
        if not isinstance(value, str):
            return True
        if not _DATE_TIME.match(value):
            return False
        datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        return True

    @checker.checks("uri")
    def _uri(value) -> bool:
        return not isinstance(value, str) or bool(_URI.match(value))

    return checker


def _lerrs_validator(relative: str):
    from jsonschema import Draft4Validator

    return Draft4Validator({"$ref": LERRS_BASE + relative}, registry=_lerrs_registry(), format_checker=_format_checker())


def _problems(validator, instance) -> list[str]:
    out = []
    for error in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))[:MAX_ERRORS]:
        # anyOf / oneOf: follow the alternative that got furthest into the instance, and name
        # the value there rather than print the whole entry
        while error.context:
            deeper = max(error.context, key=lambda e: len(e.absolute_path))
            if len(deeper.absolute_path) <= len(error.absolute_path):
                break
            error = deeper
        where = "/" + "/".join(str(p) for p in error.absolute_path)
        if error.context:
            out.append(f"{where}: {_short(repr(error.instance), 80)} matches none of the allowed forms")
        else:
            out.append(f"{where}: {_short(error.message)}")
    return out


def _short(message: str, limit: int = 200) -> str:
    return message if len(message) <= limit else message[:limit] + "..."


def lerrs_problems(document: dict, *, entry_schemas: dict[str, str] | None = None) -> list[str]:
    """Why `document` is not a valid LER-RS document ([] when it is): LER-RSType.json, and each
    entry's `verifications` list against its LER-RS Verifiable*Type (`entry_schemas` maps a
    top-level section to that schema's path), since an entry read under the HR Open branch of the
    schema's anyOf would otherwise leave its verifications unchecked."""
    problems = _problems(_lerrs_validator(LERRS_TYPE), document)
    for section, relative in (entry_schemas or {}).items():
        validator = _lerrs_validator(relative)
        for i, entry in enumerate(document.get(section) or []):
            if isinstance(entry, dict) and "verifications" in entry:
                for p in _problems(validator, {"verifications": entry["verifications"]}):
                    problems.append(f"/{section}/{i}{p}")
    return problems


@lru_cache(maxsize=1)
def _json_resume_validator():
    from jsonschema import Draft7Validator

    schema = json.loads(JSON_RESUME.read_text(encoding="utf-8"))
    return Draft7Validator(schema, format_checker=_format_checker())


def json_resume_problems(document: dict) -> list[str]:
    """Why `document` is not a valid JSON Resume ([] when it is)."""
    return _problems(_json_resume_validator(), document)
