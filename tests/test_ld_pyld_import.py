"""Loading pyld through lerwallet skips its network loaders and defers lxml (ld/_pyld.py, point 7).

Each check runs in a fresh interpreter: what matters is what the import itself pulls in.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_loading_pyld_imports_neither_asyncio_nor_lxml_etree():
    out = _run("""
        import sys
        from lerwallet.ld import _pyld
        mod = _pyld.jsonld()
        _pyld.processor_class()
        print("asyncio" in sys.modules, "lxml.etree" in sys.modules, mod._default_document_loader.__qualname__)
    """)
    assert out == "False False dummy_document_loader.<locals>.loader"


def test_the_deferred_modules_still_work_when_used():
    out = _run("""
        import sys
        from lerwallet.ld import _pyld
        mod = _pyld.jsonld()
        tree = mod.lxml.html.fromstring("<p>x</p>")  # what pyld uses for JSON-LD in HTML
        import lxml.html
        import pyld.documentloader.requests  # not left blocked
        from lxml.html import fromstring
        print(tree.tag, "lxml.etree" in sys.modules, sys.modules["lxml.html"] is lxml.html, fromstring is mod.lxml.html.fromstring)
    """)
    assert out == "p True True True"


def test_canonicalization_is_unchanged_by_the_lighter_import():
    out = _run("""
        from lerwallet.ld import canonize
        doc = {"@context": {"name": "https://schema.org/name"}, "@id": "urn:x", "name": "A"}
        print(repr(canonize(doc, engine="pyld")))
    """)
    assert out == repr('<urn:x> <https://schema.org/name> "A" .\n')


def test_uuid_is_deferred_and_still_works():
    out = _run("""
        import sys
        from lerwallet.ld import _pyld
        _pyld.processor_class()
        deferred = "platform" not in sys.modules
        import uuid, pickle
        u = uuid.UUID(int=5)
        print(deferred, isinstance(u, uuid.UUID), pickle.loads(pickle.dumps(u)) == u, str(uuid.uuid4()).count("-"),
              type(sys.modules["uuid"]).__name__)
    """)
    assert out == "True True True 4 module"
