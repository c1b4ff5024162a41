"""pyld, imported lazily and without its network stack, plus what we add to it.

1. `import pyld.jsonld` normally runs `pyld/__init__.py`, which imports pyld's requests and
   aiohttp document loaders (asyncio, ssl, sockets: ~40 ms and a network stack we never use
   offline). `jsonld()` imports the `pyld.jsonld` submodule under a bare package object
   instead; the real package `__init__` still runs the first time anyone asks the package
   for one of its other names, so other users of pyld see the normal package.
2. `SafeProcessor`: JSON-LD "safe mode" for pyld (pyld has none; jsonld.js does). Expansion
   that would silently drop a property, or turn a type or id into a relative IRI, raises
   `SafeModeError` instead. pyld resolves relative IRIs against a made-up default base
   (`http://example.org/base/`), so we pass a base in the reserved `.invalid` domain and
   reject any IRI that ends up under it.
3. `FastContextResolver`: pyld keys its cache of inline (scoped) contexts by their JCS
   serialization, recomputed on every use; about half of the time spent expanding a badge.
   For scoped contexts that come from bundled context documents (objects we keep alive
   and never change) we compute the key once.
4. pyld tags each processed context with `str(uuid.uuid1())`, only as a unique marker. CPython's
   uuid1 asks libuuid, whose time-based generator talks to the uuidd daemon over a local socket
   (strace: connect(/run/uuidd/request)): a socket opened by an offline verification. pyld takes
   no option for it, so `jsonld()` rebinds the module-level name `uuid` inside `pyld.jsonld`
   (not the stdlib module, not pyld's functions) to `_RandomUuid`, whose uuid1() is a uuid4():
   random, just as unique for a marker, no socket.
5. A work limit on RDFC-1.0 (`BoundedURDNA2015`). Hash N-Degree Quads explores permutations of
   blank nodes that first-degree hashing cannot tell apart: factorial work on "poison" graphs
   (8 mutually linked blank nodes, 1.9 KB of JSON, took 80 s). RDFC-1.0 asks implementations
   to bound it. We count calls of Hash N-Degree Quads (the spec's section 4.8, recursive calls
   included) against a budget of n ** MAX_WORK_FACTOR, n being the number of blank nodes that
   first-degree hashing left without a canonical label, exactly as rdf-canonize (the
   canonicalizer of jsonld.js and of the reference JavaScript verifier) does with its default
   `maxWorkFactor` of 1; going over raises `CanonicalizationLimit`. Both engines relabel with
   pyld's URDNA2015 (fast.py converts pyoxigraph's quads), so both are bounded; `jsonld()`
   rebinds the name `URDNA2015` inside `pyld.jsonld` (as for `uuid` above) to the bounded class.
6. Type-scoped contexts are processed once per active context (`SafeProcessor._process_context`).
   pyld caches a processed context per (context, active context), but a type-scoped context
   does not propagate, so pyld first clones the active context (new identity, so a cache miss)
   and redefines every term of, say, OB 3.0's `Achievement` context on every node of every
   badge: a third of a warm verification. For scoped contexts owned by bundled documents
   (immutable, see 3.) and the offline loader only, the result for the same active context
   (pyld's `_uuid`) and flags is remembered in a bounded LRU cache; the differential tests
   against jsonld.js (tests/test_ld_fast.py) hold the output byte for byte.
7. Importing `pyld.jsonld` also builds its default document loader (it tries pyld's requests
   loader, then its aiohttp loader: asyncio, about 20 ms) and imports `lxml.html` (lxml.etree,
   about 24 ms), used only to read JSON-LD embedded in HTML, and `uuid` (with `platform`), which
   4. replaces anyway. lerwallet always passes its own loader and never gives pyld HTML, so
   `jsonld()` imports pyld.jsonld with those two loader modules blocked (pyld falls back to its
   dummy loader, which fetches nothing) and with stand-ins for `lxml.html` and `uuid` that
   import the real module on first use by anyone. A batch of badges loads pyld up front
   (verify/batch.py): this was most of what that cost.
8. pyld writes canonical N-Quads with its own escaping (`"`, `\\`, tab, LF, CR in literals;
   IRIs as they are), which is neither RDFC-1.0's nor rdf-canonize 3's (see
   `lerwallet.ld.nquads`). `bounded_urdna2015()` rebinds the name `serialize_nquad` inside
   `pyld.canon` (used for the first-degree hashes and the output, not pyld's other modules)
   to `lerwallet.ld.nquads.serialize_nquad`, which writes the style in effect: RDFC-1.0, or
   rdf-canonize 3's inside `nquads.legacy()`.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
import types
from contextlib import contextmanager

from lerwallet.ld.errors import CanonicalizationLimit, SafeModeError

# rdf-canonize's default maxWorkFactor: at most n Hash N-Degree Quads runs for n blank nodes
# that need them (O(n)); enough for every credential we know of, refuses poison graphs fast.
MAX_WORK_FACTOR = 1

# RFC 2606 reserves .invalid: no real document can use IRIs under it.
SAFE_BASE = "https://relative-iri.invalid/"


def jsonld():
    """The `pyld.jsonld` module, importing it as cheaply as possible."""
    mod = sys.modules.get("pyld.jsonld")
    if mod is None:
        _bare_package()
        with _without_network_loaders(), _lazy_modules("lxml.html", "uuid"):  # see 7. in the module docstring
            import pyld.jsonld as mod  # noqa: PLC0415
    if not isinstance(mod.uuid, _RandomUuid):
        mod.uuid = _RandomUuid()  # see 4. in the module docstring
    bounded = bounded_urdna2015()
    if mod.URDNA2015 is not bounded:
        mod.URDNA2015 = bounded  # see 5. in the module docstring
    return mod


@contextmanager
def _without_network_loaders():
    """While pyld.jsonld is imported: its requests and aiohttp document loaders cannot be imported."""
    blocked = [name for name in _NETWORK_LOADERS if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # `import` raises ImportError; pyld then takes its dummy loader
    try:
        yield
    finally:
        for name in blocked:
            if sys.modules.get(name, ...) is None:
                del sys.modules[name]


_NETWORK_LOADERS = ("pyld.documentloader.requests", "pyld.documentloader.aiohttp")


@contextmanager
def _lazy_modules(*names: str):
    """While pyld.jsonld is imported: `import NAME` gives a stand-in that imports the real module
    on first use (see 7. in the module docstring). Names already imported are left alone."""
    for name in names:
        if name in sys.modules:
            continue
        parent_name, _, child = name.rpartition(".")
        try:
            parent = importlib.import_module(parent_name) if parent_name else None
        except ImportError:
            continue  # pyld's own import then fails as it would have
        stand_in = _LazyModule(name)
        sys.modules[name] = stand_in
        if parent is not None:
            setattr(parent, child, stand_in)
    yield


class _LazyModule(types.ModuleType):
    def __getattr__(self, attr: str):
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        real = importlib.import_module(self.__name__)  # also rebinds the parent's attribute
        self.__dict__.update(real.__dict__)  # whoever kept the stand-in now finds it all directly
        return getattr(real, attr)


class _RandomUuid:
    """Stands in for the `uuid` module inside pyld.jsonld: uuid1() without libuuid's uuidd socket."""

    @staticmethod
    def uuid1(*_args, **_kwargs):
        import uuid  # noqa: PLC0415

        return uuid.uuid4()

    def __getattr__(self, name):  # pragma: no cover - pyld uses only uuid1
        import uuid  # noqa: PLC0415

        return getattr(uuid, name)


def urdna2015(dataset: dict, hash_name: str = "sha256") -> str:
    """pyld's URDNA2015 (= RDFC-1.0), work-bounded, over a pyld dataset, without loading pyld's
    JSON-LD code. `hash_name` is RDFC-1.0's internal hash (ecdsa-rdfc-2019 with P-384 uses
    sha384). Raises `CanonicalizationLimit` on a poison graph, whatever the hash."""
    algo = bounded_urdna2015()()
    dataset, _names = neutral_labels(dataset)
    if hash_name != "sha256":
        import hashlib

        hashlib.new(hash_name)  # an unknown name fails here, not deep inside the algorithm
        algo.create_hash = lambda: hashlib.new(hash_name)
    return algo.main(dataset, {"format": "application/n-quads"})


def neutral_labels(dataset: dict) -> tuple[dict, dict[str, str]]:
    """(the dataset with every blank node renamed `_:b0`, `_:b1`, ... in first use order,
    old label -> new label).

    pyld's URDNA2015 leaves an input label that already starts with `_:c14n` as it is (step 7
    "optimization"), so a document whose own blank-node ids look canonical (`"id": "_:c14n5"`,
    kept by pyoxigraph's parser, or canonical N-Quads canonicalized again) came out with that
    label, or with two nodes merged under one. pyld's own JSON-LD to RDF step renames blank
    nodes to `_:b...`, which is why only other inputs were affected. Labels carry no data, so
    renaming changes nothing else.
    """
    names: dict[str, str] = {}

    def rename(label: str) -> str:
        new = names.get(label)
        if new is None:
            new = names[label] = f"_:b{len(names)}"
        return new

    out: dict[str, list] = {}
    for graph, triples in dataset.items():
        name = rename(graph) if graph.startswith("_:") else graph
        copied = out.setdefault(name, [])
        for triple in triples:
            triple = dict(triple)
            for key in ("subject", "object"):
                term = triple[key]
                if term.get("type") == "blank node":
                    triple[key] = dict(term, value=rename(term["value"]))
            copied.append(triple)
    return out, names


def urdna2015_nquads(nquads: str, hash_name: str = "sha256") -> str:
    """`urdna2015` over canonical N-Quads text (`lerwallet.ld.nquads.parse`, no JSON-LD code)."""
    from lerwallet.ld import nquads as nq

    return urdna2015(nq.parse(nquads), hash_name)


def bounded_urdna2015() -> type:
    """pyld's URDNA2015 with the work limit of point 5 in the module docstring."""
    cls = _classes.get("urdna2015")
    if cls is None:
        _bare_package()
        import pyld.canon  # noqa: PLC0415
        from pyld.canon import URDNA2015  # noqa: PLC0415

        from lerwallet.ld import nquads

        pyld.canon.serialize_nquad = nquads.serialize_nquad  # see 8. in the module docstring

        class BoundedURDNA2015(URDNA2015):
            _remaining: int | None = None

            def hash_n_degree_quads(self, id_, issuer):
                if self._remaining is None:
                    # First call: the canonical issuer holds exactly the first-degree labels.
                    non_unique = len(self.blank_node_info) - self.canonical_issuer.counter
                    self.limit = non_unique ** MAX_WORK_FACTOR
                    self._remaining = self.limit
                if self._remaining <= 0:
                    raise CanonicalizationLimit(
                        f"canonicalization limit: this graph's blank nodes need more than {self.limit} "
                        "rounds of RDFC-1.0 deep hashing (a poison graph); refused without being checked"
                    )
                self._remaining -= 1
                return super().hash_n_degree_quads(id_, issuer)

            def hash_first_degree_quads(self, id_):
                # The blank node to quads map holds a statement once per blank node (rdf-canonize
                # 3-5 keep a Set), also one that mentions it twice (`_:a <p> _:a`); pyld appends it
                # per mention, which changes the hashes. Step 5 hashes every blank node first, so
                # Hash N-Degree Quads reads the list made unique here. The copies are adjacent.
                info = self.blank_node_info[id_]
                if "hash" not in info:
                    quads = info["quads"]
                    info["quads"] = [q for i, q in enumerate(quads) if not i or q is not quads[i - 1]]
                return super().hash_first_degree_quads(id_)

        cls = _classes["urdna2015"] = BoundedURDNA2015
    return cls


def _bare_package() -> None:
    if "pyld" not in sys.modules:
        spec = importlib.util.find_spec("pyld")
        if spec is None or not spec.submodule_search_locations:  # pragma: no cover
            raise ImportError("pyld is not installed")
        pkg = types.ModuleType("pyld")
        pkg.__path__ = list(spec.submodule_search_locations)
        pkg.__file__ = spec.origin
        pkg.__spec__ = spec
        pkg.__package__ = "pyld"

        def __getattr__(name: str, _pkg=pkg, _spec=spec):
            # Someone wants more than pyld.jsonld: run the real package __init__ now.
            if name.startswith("__") or _is_submodule(_pkg, name):
                raise AttributeError(name)  # let the import system load the submodule
            with open(_spec.origin, encoding="utf-8") as fh:
                code = compile(fh.read(), _spec.origin, "exec")
            del _pkg.__dict__["__getattr__"]
            exec(code, _pkg.__dict__)
            return getattr(_pkg, name)

        pkg.__getattr__ = __getattr__
        sys.modules["pyld"] = pkg


def _is_submodule(pkg, name: str) -> bool:
    import os

    return any(
        os.path.exists(os.path.join(p, name + ".py")) or os.path.isdir(os.path.join(p, name))
        for p in pkg.__path__
    )


_classes: dict[str, type] = {}


def processor_class() -> type:
    """`SafeProcessor` (built on first use, because it subclasses a lazily imported class)."""
    cls = _classes.get("processor")
    if cls is None:
        _build()
        cls = _classes["processor"]
    return cls


# Processed bundled contexts, shared across calls. Kept apart from pyld's own process-wide
# cache so a caller's loader that serves other bytes for a bundled URL is never answered
# from it; other loaders get a cache that lives for one call.
_bundled_cache = None


def resolver(loader, bundled: bool) -> object:
    """A pyld ContextResolver with cached scoped-context keys (see module docstring)."""
    global _bundled_cache
    if "resolver" not in _classes:
        _build()
    if not bundled:
        return _classes["resolver"]({}, loader)
    if _bundled_cache is None:
        from cachetools import LRUCache  # noqa: PLC0415  (declared in pyproject.toml)

        _bundled_cache = LRUCache(maxsize=256)
    return _classes["resolver"](_bundled_cache, loader)


def _build() -> None:
    import warnings  # noqa: PLC0415

    mod = jsonld()
    # pyld warns on stderr about terms mapped to "@..." values; safe mode decides on them.
    warnings.filterwarnings("ignore", message='values beginning with "@" are reserved', category=SyntaxWarning)
    from pyld import context_resolver  # noqa: PLC0415

    ContextResolver = context_resolver.ContextResolver
    # The key must be computed exactly as pyld's resolver computes it (its JCS function), so
    # take pyld's own rather than importing the `c14n` package pyld ships undeclared.
    canonicalize = context_resolver.canonicalize

    class SafeProcessor(mod.JsonLdProcessor):
        """A JsonLdProcessor; with `safe=True`, expansion refuses to lose or relativize data."""

        def __init__(self, safe: bool = True) -> None:
            super().__init__(on_property_dropped=self._dropped if safe else mod.noop)
            self.safe = safe

        @staticmethod
        def _dropped(expanded: str | None) -> None:
            if expanded is None:
                raise SafeModeError(
                    "safe mode: a property would be dropped from the signed data "
                    "(a key that looks like a JSON-LD keyword, or a term the context maps to null)"
                )
            raise SafeModeError(
                f"safe mode: property {expanded!r} is not defined by the @context "
                "(it would be dropped from the signed data)"
            )

        def expand(self, input_, options):
            expanded = super().expand(input_, options)
            if self.safe:
                check_expanded(expanded)
            return expanded

        def _process_context(self, active_ctx, local_ctx, options, override_protected=False, propagate=True,
                             validate_scoped=True, cycles=None):
            # 6. in the module docstring: a scoped context from a bundled document, applied to an
            # active context seen before, gives the context it gave then.
            key = None
            if options.get("lerwallet_bundled") and isinstance(local_ctx, dict) and "_uuid" in active_ctx:
                entry = _owned.get(id(local_ctx))
                if entry is not None and entry[0] is local_ctx:
                    key = (active_ctx["_uuid"], id(local_ctx), override_protected, propagate, validate_scoped,
                           options.get("base"))
                    global _processed
                    if _processed is None:
                        from cachetools import LRUCache  # noqa: PLC0415  (a pyld dependency)

                        _processed = LRUCache(maxsize=1024)
                    hit = _processed.get(key)
                    if hit is not None:
                        return hit
            result = super()._process_context(active_ctx, local_ctx, options, override_protected, propagate,
                                              validate_scoped, cycles)
            if key is not None:
                _processed[key] = result
            return result

        def _expand(self, active_ctx, active_property, element, options, *args, **kwargs):
            # pyld silently drops what jsonld.js safe mode refuses: a null @value, a
            # free-floating scalar, an object left with no data at the top or in @graph.
            rval = super()._expand(active_ctx, active_property, element, options, *args, **kwargs)
            if (rval is None and element is not None and self.safe
                    and not isinstance(element, list) and not options.get("keepFreeFloatingNodes")):
                if not isinstance(element, dict):
                    what = f"free-floating value {element!r}"
                elif any(self._expand_iri(active_ctx, k, vocab=True) == "@value" for k in element):
                    what = "a value object with a null @value"
                else:
                    what = "an object that carries no data"
                raise SafeModeError(f"safe mode: {what} would be dropped from the signed data")
            return rval

    class FastContextResolver(ContextResolver):
        """Caches the JCS key of scoped contexts taken from bundled context documents."""

        def resolve(self, active_ctx, context, base, cycles=None):
            if isinstance(context, dict) and "@context" not in context:
                key = _scoped_key(context, canonicalize)
                if key is not None:
                    resolved = self._get(key)
                    if resolved:
                        return [resolved]
            return super().resolve(active_ctx, context, base, cycles)

    _classes["processor"] = SafeProcessor
    _classes["resolver"] = FastContextResolver


# (active context uuid, scoped context id, flags) -> processed context; see _process_context.
# Bounded: active contexts built from a document's own inline contexts are new in every document.
_processed = None

# id(obj) -> (obj, key or None). Holding `obj` keeps its id from being reused.
_owned: dict[int, list] = {}


def own_scoped_contexts(document: dict) -> dict:
    """Mark the scoped contexts inside a bundled context document as immutable and ours."""
    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "@context" and isinstance(v, dict):
                    _owned[id(v)] = [v, None]
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(document.get("@context"))
    return document


def _scoped_key(ctx: dict, canonicalize) -> str | None:
    entry = _owned.get(id(ctx))
    if entry is None or entry[0] is not ctx:
        return None
    if entry[1] is None:
        entry[1] = canonicalize(dict(ctx)).decode("utf-8")
    return entry[1]


# pyld's own test (jsonld.js has the same pattern, though JS's \s is a little narrower):
# toRDF silently drops any quad whose IRI fails it, so safe mode refuses such IRIs. Anchored
# with \Z: Python's `$` (pyld's) also matches before a final line feed, JavaScript's does not,
# and jsonld.js refuses "https://example.edu/1\n"; and U+FEFF, in JavaScript's \s, not in
# Python's (tests/test_ld_linefeed_ids.py).
_ABSOLUTE = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s\ufeff]*\Z")


# jsonld.js (util.js REGEX_BCP47); its safe mode refuses other @language values.
BCP47 = re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*\Z")


def _is_absolute(iri: str) -> bool:
    return _ABSOLUTE.match(iri) is not None


def _check_iri(iri, what: str) -> None:
    if not isinstance(iri, str):
        return
    if iri.startswith("_:"):
        return
    if iri.startswith(SAFE_BASE) or ":" not in iri:
        shown = iri[len(SAFE_BASE):] if iri.startswith(SAFE_BASE) else iri
        tail = "(it would be dropped from the signed data)" if what == "property" else "(it would become a relative IRI)"
        raise SafeModeError(f"safe mode: {what} {shown!r} is not defined by the @context {tail}")
    if not _is_absolute(iri):
        raise SafeModeError(f"safe mode: {what} {iri!r} is not an absolute IRI (it would be dropped)")


def check_expanded(node) -> None:
    """Raise `SafeModeError` if expanded JSON-LD holds a relative @id, @type or property IRI."""
    if isinstance(node, list):
        for item in node:
            check_expanded(item)
        return
    if not isinstance(node, dict):
        return
    if "@index" in node:
        # jsonld.js accepts it, but an @index (or an index-map key) never reaches the
        # canonical form: anything could be written there without breaking a signature.
        raise SafeModeError(f"safe mode: @index {node['@index']!r} is not part of the signed data")
    if "@value" in node:
        t = node.get("@type")
        if t is not None and t != "@json":
            _check_iri(t, "datatype")
        if "@direction" in node and node["@direction"] not in ("ltr", "rtl"):
            # Kept in the signed data by the i18n-datatype rdfDirection mode (canon.py), as
            # jsonld.js does for the reference stack; expansion already refuses other values.
            raise SafeModeError(f"safe mode: @direction {node['@direction']!r} is not ltr or rtl")
        lang = node.get("@language")
        if lang is not None and not (isinstance(lang, str) and BCP47.match(lang)):
            raise SafeModeError(f"safe mode: @language {lang!r} is not a well-formed language tag")
        return
    for key, value in node.items():
        if key == "@id":
            _check_iri(value, "id")
        elif key == "@type":
            for t in value if isinstance(value, list) else [value]:
                _check_iri(t, "type")
        elif key[0] == "@":
            if key in ("@graph", "@list", "@set", "@reverse", "@included"):
                if key == "@reverse" and isinstance(value, dict):
                    for prop, objs in value.items():
                        _check_iri(prop, "property")
                        if prop.startswith("_:"):
                            raise SafeModeError(f"safe mode: reverse property {prop!r} is a blank node")
                        check_expanded(objs)
                else:
                    check_expanded(value)
        else:
            _check_iri(key, "property")
            if key.startswith("_:"):
                raise SafeModeError(
                    f"safe mode: property {key!r} is a blank node (it would be dropped from the signed data)"
                )
            check_expanded(value)
