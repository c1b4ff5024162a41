"""RDFC-1.0 canonicalization and expansion, safe by default.

Two engines give byte-identical N-Quads on the whole test corpus (tests/test_ld_fast.py):
  - "pyld": the reference (pyld, JSON-LD 1.1 + URDNA2015), with our safe mode;
  - "fast": pyoxigraph's JSON-LD parser and RDFC-1.0 canonicalizer (see fast.py), which
    imports in ~1 ms instead of ~120 ms. It declines documents that use JSON-LD features
    where the two could differ; those, and any fast-path error, go to pyld.
`engine="auto"` (the default) uses the fast path while pyld's JSON-LD module is not loaded
(a cold CLI run saves ~120 ms of imports), and pyld once it is (warm, with our context
cache, pyld is the faster of the two on typical badges; see benchmarks/bench_ld.py).
"""

from __future__ import annotations

import contextvars
import copy
import json
import sys
from typing import Callable

from lerwallet.ld.errors import LDError, SafeModeError, UnknownContext
from lerwallet.ld.loader import offline_loader

ENGINES = ("auto", "fast", "pyld")
RDF_DIRECTION = "i18n-datatype"  # how @direction reaches RDF (docs/jsonld.md); the fast path declines @direction


def canonize(
    doc: dict,
    loader: Callable[[str], dict] | None = None,
    *,
    safe: bool = True,
    engine: str = "auto",
) -> str:
    """Canonical N-Quads of `doc` (RDFC-1.0). Raises `LDError` subclasses on failure.

    safe:   refuse (`SafeModeError`) a document with a term, type or id that does not
            expand to an absolute IRI, instead of silently dropping or relativizing it:
            such data would not be covered by a signature over the canonical form.
    engine: "auto" (fast path, pyld as fallback), "fast" (no fallback), or "pyld".
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    if not isinstance(doc, dict):
        raise LDError("a JSON-LD document must be a JSON object")
    load = loader or offline_loader()
    memo = _memo.get() if getattr(load, "lerwallet_offline", False) else None
    if memo is not None:
        found = memo.find(doc, safe, engine)
        if found is not None:
            return found
    if engine == "fast" or (engine == "auto" and "pyld.jsonld" not in sys.modules):
        from lerwallet.ld import fast

        collapsed = collapse_repeated_contexts(doc)
        result = fast.canonize(collapsed, load, safe=safe, strict=engine == "fast")
        if result is None:
            result = _pyld_canonize(collapsed, load, safe)
    elif engine == "auto" and safe and getattr(load, "lerwallet_offline", False):
        # Documents of one shape (a batch from one issuer): shapes.py fills a learnt dataset.
        # It takes no document with a repeated context run (its walk finds them; see skeleton).
        from lerwallet.ld import shapes

        result = shapes.canonize(doc, load, lambda: _pyld_canonize(collapse_repeated_contexts(doc), load, safe))
    else:
        result = _pyld_canonize(collapse_repeated_contexts(doc), load, safe)
    if memo is not None:
        memo.keep(doc, safe, engine, result)
    return result


# Verifying one credential canonicalizes the same unsecured document twice: once for its proof,
# once to cross-check the judged fields against the signed graph (verify/graph.py); a status
# list the same. Inside `remembering()` (one credential's verification) the second call is served
# from the first. Scoped on purpose: nothing is remembered across verifications, only results
# for the offline loader (bundled contexts never change), and failures are never remembered.
_memo: contextvars.ContextVar[_Memo | None] = contextvars.ContextVar("lerwallet_ld_memo", default=None)


class _Memo:
    """The results of one `remembering()` block.

    Both callers pass a shallow copy of one parsed document without its proof (a new dict whose
    values are the same objects), so a document is first looked up by the identity of its
    top-level values: no serialization at all on the warm path, where this runs twice per
    badge. Nothing mutates a document during a verification; the document is held, so the ids
    of its values cannot be reused inside the block. A document equal in content but built of
    other objects is found by its JSON text, computed only then (and, once, for the documents
    kept before). Both are dictionary lookups: a presentation of 1,000 credentials with their
    proof configurations keeps thousands of results, and a scan per lookup made that quadratic
    (2,000 results: 0.4 s)."""

    __slots__ = ("by_identity", "by_text", "kept", "indexed")

    def __init__(self) -> None:
        self.by_identity: dict[tuple, str] = {}
        self.by_text: dict[tuple, str] | None = None  # (safe, engine, JSON text) -> result, for kept[:indexed]
        self.kept: list[tuple] = []  # (the document (held), safe, engine, result)
        self.indexed = 0

    @staticmethod
    def _identity(doc: dict, safe: bool, engine: str) -> tuple:
        return (safe, engine, *((k, id(v)) for k, v in doc.items()))

    def find(self, doc: dict, safe: bool, engine: str) -> str | None:
        if not self.kept:
            return None
        found = self.by_identity.get(self._identity(doc, safe, engine))
        if found is not None:
            return found
        content = _json_text(doc)
        if content is None:
            return None
        by_text = self.by_text
        if by_text is None:
            by_text = self.by_text = {}
        for kept_doc, kept_safe, kept_engine, result in self.kept[self.indexed:]:
            text = _json_text(kept_doc)
            if text is not None:
                by_text.setdefault((kept_safe, kept_engine, text), result)
        self.indexed = len(self.kept)
        return by_text.get((safe, engine, content))

    def keep(self, doc: dict, safe: bool, engine: str, result: str) -> None:
        self.by_identity.setdefault(self._identity(doc, safe, engine), result)
        self.kept.append((doc, safe, engine, result))


class remembering:  # noqa: N801  (used as a function: `with remembering():`)
    """Within this block, canonicalizing the same document again returns the first result.
    (A class rather than a generator context manager: it is entered for every credential.)"""

    __slots__ = ("token",)

    def __enter__(self) -> None:
        self.token = _memo.set(_Memo())

    def __exit__(self, *exc: object) -> None:
        _memo.reset(self.token)


def _json_text(doc: dict) -> str | None:
    try:
        return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        return None


def expand(doc: dict, loader: Callable[[str], dict] | None = None, *, safe: bool = True) -> list:
    """JSON-LD expansion of `doc` (pyld), in safe mode unless `safe=False`."""
    if not isinstance(doc, dict):
        raise LDError("a JSON-LD document must be a JSON object")
    from lerwallet.ld import _pyld

    doc = collapse_repeated_contexts(doc)
    options = _options(loader or offline_loader(), safe)
    return _run_pyld(lambda: _pyld.processor_class()(safe=safe).expand(copy.deepcopy(doc), options))


def collapse_repeated_contexts(doc: dict) -> dict:
    """`doc` with each run of one context URL repeated back to back in an `@context` array kept
    once (a copy; `doc` itself when there is none). Processing a context URL right after itself
    redefines every term identically (protected terms included, JSON-LD 1.1 section 4.1.11), so
    the graph is the same; without this, each copy costs a full context application (16,000
    copies: 44 s, 2 GB). Other repetitions are bounded by `formats.limits.MAX_CONTEXT_ENTRIES`."""
    if not _has_repeats(doc):
        return doc

    def fix(node):
        if isinstance(node, dict):
            out = {k: fix(v) for k, v in node.items() if k != "@context"}
            if "@context" in node:
                ctx = node["@context"]
                if isinstance(ctx, list):
                    ctx = [c for i, c in enumerate(ctx) if not (i and isinstance(c, str) and c == ctx[i - 1])]
                out = {"@context": ctx, **out} if list(node)[0] == "@context" else {**out, "@context": ctx}
            return out
        if isinstance(node, list):
            return [fix(v) for v in node]
        return node

    return fix(doc)


def _has_repeats(doc: dict) -> bool:
    stack: list = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ctx = node.get("@context")
            if isinstance(ctx, list) and any(
                    isinstance(c, str) and c == ctx[i - 1] for i, c in enumerate(ctx) if i):
                return True
            stack.extend(v for k, v in node.items() if k != "@context" and isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
    return False


def _pyld_canonize(doc: dict, load: Callable[[str], dict], safe: bool) -> str:
    from lerwallet.ld import _pyld

    options = _options(load, safe)
    # @direction: the reference stack (jsonld.js under @digitalbazaar/vc) canonicalizes with
    # rdfDirection "i18n-datatype": "text"^^<https://www.w3.org/ns/i18n#ar_rtl>.
    options.update(algorithm="URDNA2015", format="application/n-quads", rdfDirection=RDF_DIRECTION)
    return _run_pyld(lambda: _pyld.processor_class()(safe=safe).normalize(copy.deepcopy(doc), options))


def _run_pyld(call: Callable[[], object]):
    """Run a pyld operation; every way it can fail becomes an `LDError`, never a traceback."""
    from lerwallet.ld import _pyld

    try:
        return call()
    except _pyld.jsonld().JsonLdError as exc:
        raise _translate(exc) from None
    except RecursionError:
        raise LDError("JSON-LD document is nested too deeply") from None
    except LDError:
        raise
    except (AttributeError, TypeError, KeyError, IndexError, ValueError) as exc:
        # pyld trips over some malformed input (e.g. "@type": null) instead of raising
        # a JsonLdError: still a document we cannot process, never a traceback.
        raise LDError(f"JSON-LD error: malformed document ({type(exc).__name__})") from None


def _options(load: Callable[[str], dict], safe: bool) -> dict:
    from lerwallet.ld import _pyld

    bundled = getattr(load, "lerwallet_offline", False)

    def pyld_loader(url, options=None):
        document = load(url)
        if not isinstance(document, dict):
            raise LDError(f"context document at {url} is not a JSON object")
        if bundled:
            # Immutable and ours: pyld may keep the processed context for the whole process.
            _pyld.own_scoped_contexts(document)
            return {"contextUrl": None, "documentUrl": url, "document": document, "tag": "static"}
        return {"contextUrl": None, "documentUrl": url, "document": document}

    options = {"documentLoader": pyld_loader, "contextResolver": _pyld.resolver(pyld_loader, bundled)}
    if bundled:
        options["lerwallet_bundled"] = True
    if safe:
        options["base"] = _pyld.SAFE_BASE
    return options


def _translate(exc: BaseException) -> LDError:
    """The most useful LDError inside a pyld exception chain."""
    seen = 0
    cur: BaseException | None = exc
    while cur is not None and seen < 30:
        if isinstance(cur, LDError):
            return cur
        cur = getattr(cur, "cause", None) or cur.__cause__ or cur.__context__
        seen += 1
    code = getattr(exc, "code", None)
    # Walk again for the innermost pyld error that names a JSON-LD error code.
    cur, detail = exc, None
    while cur is not None and seen < 60:
        if getattr(cur, "code", None):
            code = cur.code
            detail = str(cur).splitlines()[0] if str(cur) else None
        cur = getattr(cur, "cause", None) or cur.__cause__ or cur.__context__
        seen += 1
    if code:
        return LDError(f"JSON-LD error: {code}" + (f" ({detail})" if detail and code not in detail else ""))
    return LDError(f"JSON-LD error: {getattr(exc, 'type', None) or exc}")


__all__ = ["canonize", "expand", "SafeModeError", "UnknownContext"]
