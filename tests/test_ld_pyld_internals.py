"""lerwallet.ld._pyld reaches into pyld: it imports `pyld.jsonld` under a bare package object
(sys.modules), rebinds the names `uuid` and `URDNA2015` inside `pyld.jsonld`, subclasses
`JsonLdProcessor`, `ContextResolver` and `canon.URDNA2015`, and keys its context cache with
the function pyld's resolver uses. pyld offers no supported hook for any of these, so they are
kept in that one module, pyproject.toml pins pyld below the next minor version, and these tests
fail loudly on any other pyld: re-read ld/_pyld.py against the new pyld before widening the pin."""

from __future__ import annotations

import inspect
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

TESTED_PYLD = ("3.3.0",)
SRC = Path(__file__).resolve().parents[1] / "src" / "lerwallet"


def test_pyld_is_a_version_whose_internals_were_checked():
    assert version("pyld") in TESTED_PYLD, (
        f"pyld {version('pyld')} is installed; lerwallet.ld._pyld patches pyld internals checked only against "
        f"{', '.join(TESTED_PYLD)}: re-read ld/_pyld.py against it, then add it to TESTED_PYLD and the pin")


def test_the_pyld_internals_lerwallet_relies_on_are_there():
    from lerwallet.ld import _pyld

    mod = _pyld.jsonld()
    assert isinstance(mod.uuid, _pyld._RandomUuid)  # the rebinding took (point 4)
    assert mod.URDNA2015 is _pyld.bounded_urdna2015()  # and this one (point 5)
    assert "on_property_dropped" in inspect.signature(mod.JsonLdProcessor.__init__).parameters
    import pyld.canon
    import pyld.context_resolver

    for name in ("main", "hash_n_degree_quads"):
        assert callable(getattr(pyld.canon.URDNA2015, name))
    assert callable(pyld.context_resolver.ContextResolver._get)
    assert callable(pyld.context_resolver.canonicalize)  # the cache key lerwallet must compute alike
    for cls in (_pyld.processor_class(), type(_pyld.resolver(lambda url: {}, True))):
        assert cls.__mro__[1].__module__.startswith("pyld.")


def test_sys_modules_is_patched_in_one_place_only():
    touching = sorted(str(p.relative_to(SRC)) for p in SRC.rglob("*.py") if "sys.modules[" in p.read_text(encoding="utf-8"))
    assert touching == ["ld/_pyld.py"]


def test_the_bare_package_still_gives_other_users_the_real_pyld():
    code = ("from lerwallet.ld import _pyld\n_pyld.jsonld()\nimport pyld\n"
            "print(callable(pyld.jsonld.expand), hasattr(pyld, 'documentLoader') or hasattr(pyld, 'jsonld'))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "True"]
