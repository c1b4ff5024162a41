"""Canonicalization by shape: many documents that differ only in their texts and ids.

A batch of badges from one issuer is one JSON shape filled with different values: the same keys,
the same contexts, the same types; other names, dates and ids. JSON-LD processing of such a
document depends on its shape, not on those values: a string in a literal position becomes that
literal, byte for byte, and an absolute IRI in an `@id` position stays that IRI. So, for the
offline loader and safe mode only, we learn once per shape which of the document's strings are
such "slots", and keep pyld's RDF dataset for it with the slots left open; a later document of
the same shape gets the dataset filled with its own strings, then pyld's (work-bounded)
URDNA2015 as always. That skips JSON-LD expansion and the RDF conversion in pure Python (most of
a warm canonicalization) and gives the same N-Quads.

How a shape is learnt (`_learn`, on the second document of a shape, so a single verification
never pays for it), and why it cannot be fooled:

- The shape key (`skeleton`) is the whole document with each string outside `@context`
  replaced by a placeholder: every key in order, every `@context` value verbatim, every number,
  boolean and null with its type. Two documents share a template only when all of that is equal.
- Learning runs pyld on a copy in which candidate strings are replaced by unique markers (a
  per-process random token), with pyld's IRI expansion instrumented. A string is a literal slot
  when its marker reaches the dataset only as the exact value of literals (never a JSON literal,
  never an `xsd:double`, whose lexical forms pyld rewrites) and never went through IRI
  expansion. It is an IRI slot when its marker went through IRI expansion only
  document-relatively (no `@vocab`, no term lookup: `@id` and `@type: @id` positions), reaches
  the dataset only as a whole IRI term, and the original string is an absolute IRI that pyld
  kept as written. Every other string (types, languages, `@vocab`-coerced values, anything
  dropped or rewritten) is fixed: a later document must have exactly the same string there.
- The template is then checked on the document it was learnt from: filled with that document's
  own strings, it must give byte for byte the N-Quads pyld gave. Otherwise the shape is not
  templated.
- A later document's IRI slot must be an absolute IRI (pyld's test), must not be under the
  safe-mode base, and must have the same prefix before its first colon, and the same `//` after
  it, as the learnt one: IRI expansion takes the same branch (a prefix defined as a term in
  these contexts would have been taken for the learnt string too, and the check above would
  have failed). Filled values that make two statements equal (pyld would merge them) send the
  document to pyld. Anything unexpected sends the document to pyld: a template never decides
  alone what it does not know.

Caches are per process, bounded (`MAX_SHAPES`), keyed by the complete skeleton plus the fixed
strings; only results of the offline loader with bundled contexts (immutable) are kept.
"""

from __future__ import annotations

import copy
import hashlib
import re
import secrets
import threading
from collections import OrderedDict
from typing import Callable

from lerwallet.ld import _pyld
from lerwallet.ld import nquads as _nquads

MAX_SHAPES = 64  # shapes remembered per process (templates and sightings)
MAX_TEMPLATES = 4  # templates per shape (documents of one shape whose fixed strings differ)
MAX_DEPTH = 64
MAX_LEAVES = 2000  # larger documents are left to pyld (learning one costs three pyld runs)

_TOKEN = "lwslot" + secrets.token_hex(5)
_MARKER = re.compile(re.escape(_TOKEN) + r"(\d+)x")
_XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"
_RDF_JSON = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON"
SAFE_BASE = _pyld.SAFE_BASE  # no filled IRI may fall under the base safe mode uses to catch relative IRIs
# An IRI a template may take: absolute by pyld's test (jsonld._is_absolute_iri; toRDF drops
# other IRIs), and without the characters canonical N-Quads write as UCHAR (ld/nquads.py):
# templates write IRIs as they are, so documents with those go to pyld.
_FILLABLE = re.compile(r'^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s\ufeff\x00-\x20<>"{}|^`\\]*\Z')  # as _pyld._ABSOLUTE


class _Unshaped(Exception):
    pass


def skeleton(doc: dict) -> tuple[str, list[str], list[str]]:
    """(shape key, the strings in document order, the key each string sits under). Raises
    `_Unshaped` for a document too deep or too large to template, or with a repeated context
    run (one walk finds those for `canon`, which collapses them before pyld runs)."""
    tokens: list[str] = []
    leaves: list[str] = []
    keys: list[str] = []

    def walk(node, key: str, depth: int) -> None:
        if isinstance(node, str):
            tokens.append("$")
            leaves.append(node)
            keys.append(key)
        elif isinstance(node, dict):
            if depth > MAX_DEPTH:
                raise _Unshaped
            tokens.append("{")
            for k, v in node.items():
                tokens.append(repr(k))
                if k == "@context":
                    if isinstance(v, list) and any(c == v[i - 1] and isinstance(c, str) for i, c in enumerate(v) if i):
                        raise _Unshaped  # a repeated context run: pyld gets it collapsed (canon.collapse_repeated_contexts)
                    tokens.append("C" + repr(v))
                else:
                    walk(v, k, depth + 1)
            tokens.append("}")
        elif isinstance(node, list):
            if depth > MAX_DEPTH:
                raise _Unshaped
            tokens.append("[")
            for v in node:
                walk(v, key, depth + 1)
            tokens.append("]")
        else:
            tokens.append(f"#{type(node).__name__}:{node!r}")

    walk(doc, "", 0)
    if len(leaves) > MAX_LEAVES:
        raise _Unshaped
    return "\n".join(tokens), leaves, keys


def _with_leaves(doc, values: list[str]):
    """A copy of `doc` with its strings (outside @context, in skeleton order) replaced by `values`."""
    it = iter(values)

    def walk(node):
        if isinstance(node, str):
            return next(it)
        if isinstance(node, dict):
            return {k: (copy.deepcopy(v) if k == "@context" else walk(v)) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(doc)


class _Template:
    __slots__ = ("fixed", "iri_slots", "quads", "lines", "mentions")

    def __init__(self, fixed: dict[int, str], iri_slots: dict[int, tuple[str, bool]], quads: list) -> None:
        self.fixed = fixed  # leaf index -> the exact string it must be
        self.iri_slots = iri_slots  # leaf index -> (prefix before the first colon, "//" after it)
        self.quads = quads  # [(graph, subject, predicate, object)]; terms are specs, see _spec
        self.lines, self.mentions = _compile(quads)

    def matches(self, leaves: list[str]) -> bool:
        return all(leaves[i] == v for i, v in self.fixed.items())

    def _fillable(self, leaves: list[str]) -> bool:
        return all(_plain_absolute(leaves[i], prefix, slashes) for i, (prefix, slashes) in self.iri_slots.items())

    def fill(self, leaves: list[str]) -> list | None:
        """The statements [(graph, subject, predicate, object)] of a document with these strings
        (terms as in pyld's datasets), or None when it must go to pyld."""
        if not self._fillable(leaves):
            return None
        quads = []
        seen = set()
        for graph, subject, predicate, obj in self.quads:
            g = graph if isinstance(graph, str) else leaves[graph[1]]
            s = _term(subject, leaves)
            o = _term(obj, leaves)
            key = (g, s["type"], s["value"], predicate, o["type"], o["value"], o.get("datatype"), o.get("language"))
            if key in seen:
                return None  # pyld would have merged these two statements
            seen.add(key)
            quads.append((g, s, predicate, o))
        return quads

    def nquads(self, leaves: list[str]) -> str | None:
        """`canonical(self.fill(leaves))`, from the statements' N-Quads precompiled by `_compile`:
        only the strings of this document are escaped and joined. None when `fill` says pyld."""
        if not self._fillable(leaves):
            return None
        escape = _nquads.escape_literal_rdfc
        parts = []
        for s, mid, o, g, _ in self.lines:
            parts.append((s if s.__class__ is str else "<" + leaves[s] + ">", mid,
                          o if o.__class__ is str else ("<" + leaves[o[0]] + ">" if o[1] is None
                                                        else '"' + escape(leaves[o[0]]) + o[1]),
                          g if g.__class__ is str else " <" + leaves[g] + ">"))
        if len(set(parts)) != len(parts):
            return None  # two equal statements: pyld would have merged them (as `fill` finds)
        if not self.mentions:
            return "".join(sorted([s + mid + o + g + " .\n" for s, mid, o, g in parts]))
        flags = [line[4] for line in self.lines]
        by_hash: dict[str, str] = {}
        for label, where in self.mentions.items():
            def first(b, label=label):
                return "_:a" if b == label else "_:z"
            text = "".join(sorted([_renamed(parts[q], flags[q], first) for q in where]))
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
            if digest in by_hash:
                return canonical(self.fill(leaves))  # Hash N-Degree Quads needed: pyld, bounded
            by_hash[digest] = label
        names = {label: f"_:c14n{n}" for n, (_, label) in enumerate(sorted(by_hash.items()))}
        rename = names.__getitem__
        return "".join(sorted([_renamed(part, flag, rename) if flag != _NO_BLANK else part[0] + part[1] + part[2] + part[3] + " .\n"
                               for part, flag in zip(parts, flags)]))


def _compile(quads: list) -> tuple[list, dict[str, list[int]]]:
    """Each template statement as (subject, " <predicate> ", object, graph, blank flags): each
    part its N-Quads text as `_line` writes it, or for a slot what `_Template.nquads` fills in
    (an IRI's leaf index; for a literal, (leaf index, the text after its escaped value)); blank
    node labels stay as they are, flagged, to be renamed. And, for each blank node label, the
    statements that mention it, each once (as `simple_rdfc` counts them)."""
    lines = []
    mentions: dict[str, list[int]] = {}
    for n, (graph, subject, predicate, obj) in enumerate(quads):
        if subject[0] == "s":
            s, s_blank = subject[1], False
        else:
            s_blank = subject[1]["type"] == "blank node"
            s = subject[1]["value"] if s_blank else "<" + subject[1]["value"] + ">"
        if obj[0] == "s":
            o_blank = False
            o = (obj[1], None if obj[2]["type"] == "IRI" else _literal_suffix(obj[2]))
        else:
            o_blank = obj[1]["type"] == "blank node"
            o = obj[1]["value"] if o_blank else _object_text(obj[1])
        g_blank = isinstance(graph, str) and graph.startswith("_:")
        if not isinstance(graph, str):
            g = graph[1]
        else:
            g = "" if graph == "@default" else graph if g_blank else " <" + graph + ">"
        flags = (s_blank, o_blank, g_blank)
        lines.append((s, " <" + predicate + "> ", o, g, flags))
        for label, blank in ((s, s_blank), (o, o_blank), (g, g_blank)):
            if blank:
                where = mentions.setdefault(label, [])
                if not where or where[-1] != n:  # a statement once per blank node, as simple_rdfc
                    where.append(n)
    return lines, mentions


_NO_BLANK = (False, False, False)


def _renamed(part: tuple, flags: tuple, rename) -> str:
    s, mid, o, g = part
    s_blank, o_blank, g_blank = flags
    return ((rename(s) if s_blank else s) + mid + (rename(o) if o_blank else o)
            + (" " + rename(g) if g_blank else g) + " .\n")


def _term(spec, leaves: list[str]) -> dict:
    if spec[0] == "c":
        return spec[1]  # shared, never changed (a dataset for pyld gets copies: _dataset)
    term = dict(spec[2])
    term["value"] = leaves[spec[1]]
    return term


def _dataset(quads: list) -> dict:
    """pyld's dataset structure (fresh objects: pyld's URDNA2015 writes into them)."""
    dataset: dict[str, list] = {}
    for g, s, p, o in quads:
        dataset.setdefault(g, []).append({"subject": dict(s), "predicate": {"type": "IRI", "value": p}, "object": dict(o)})
    return dataset


def canonical(quads: list) -> str:
    """RDFC-1.0 N-Quads of filled statements: `simple_rdfc` when every blank node is told apart by
    its first-degree hash, else pyld's bounded URDNA2015."""
    out = simple_rdfc(quads)
    if out is None:
        out = _pyld.urdna2015(_dataset(quads))
    return out


def simple_rdfc(quads: list) -> str | None:
    """RDFC-1.0 (URDNA2015 with SHA-256) when Hash First Degree Quads gives every blank node its
    own hash, exactly as pyld's URDNA2015 writes it (same serialization: lerwallet.ld.nquads); None
    otherwise (blank nodes that need Hash N-Degree Quads, where the work limit applies).

    That case of the algorithm is short: each blank node's hash is SHA-256 over the sorted
    N-Quads of the statements it appears in (each once, as rdf-canonize's Set), itself written `_:a` and any
    other blank node `_:z` (RDFC-1.0 section 4.6); canonical labels `_:c14n0`, `_:c14n1`, ...
    follow the sorted hashes (section 4.4 step 5); the output is every statement with those
    labels, sorted. Input labels are pyld's own (`_:b0`, ...), so none looks canonical already.
    tests/test_ld_shapes.py holds it equal to pyld on every corpus document."""

    mentions: dict[str, list] = {}
    for quad in quads:
        g, s, _, o = quad
        if s["type"] == "blank node":
            mentions.setdefault(s["value"], []).append(quad)
        if o["type"] == "blank node" and o["value"] != s["value"]:  # a statement once per blank node
            mentions.setdefault(o["value"], []).append(quad)
        if g.startswith("_:") and g != s["value"] and (g != o["value"] or o["type"] != "blank node"):
            mentions.setdefault(g, []).append(quad)
    if not mentions:
        return "".join(sorted(_line(q, None) for q in quads))
    by_hash: dict[str, str] = {}
    for label, where in mentions.items():
        lines = sorted(_line(q, lambda b, label=label: "_:a" if b == label else "_:z") for q in where)
        digest = hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()
        if digest in by_hash:
            return None
        by_hash[digest] = label
    names = {label: f"_:c14n{n}" for n, (_, label) in enumerate(sorted(by_hash.items()))}
    return "".join(sorted(_line(q, names.__getitem__) for q in quads))


def _line(quad, rename) -> str:
    """One statement as canonical N-Quads, blank nodes renamed by `rename` (if given): literals
    escaped as `lerwallet.ld.nquads` writes them (RDFC-1.0), IRIs as they are (a template takes no
    IRI that would need escaping: `_FILLABLE`, and `_learn` holds its output to pyld's)."""
    g, s, p, o = quad
    if s["type"] == "IRI":
        out = "<" + s["value"] + "> <" + p + "> "
    else:
        out = (rename(s["value"]) if rename else s["value"]) + " <" + p + "> "
    if o["type"] == "blank node":
        out += rename(o["value"]) if rename else o["value"]
    else:
        out += _object_text(o)
    if g != "@default":
        if g.startswith("_:"):
            out += " " + (rename(g) if rename else g)
        else:
            out += " <" + g + ">"
    return out + " .\n"


def _object_text(o: dict) -> str:
    """An IRI or literal object, as `_line` writes it."""
    if o["type"] == "IRI":
        return "<" + o["value"] + ">"
    return '"' + _nquads.escape_literal_rdfc(o["value"]) + _literal_suffix(o)


def _literal_suffix(o: dict) -> str:
    """What follows a literal's escaped text: the closing quote, then its language or datatype."""
    datatype = o["datatype"]
    if datatype == _nquads.RDF_LANGSTRING:
        return '"@' + o["language"] if o.get("language") else '"'
    if datatype != _nquads.XSD_STRING:
        return '"^^<' + datatype + ">"
    return '"'


def _plain_absolute(value: str, prefix: str, slashes: bool) -> bool:
    head, colon, rest = value.partition(":")
    return (bool(colon) and head == prefix and rest.startswith("//") == slashes and head != "_"
            and _FILLABLE.match(value) is not None and not value.startswith(SAFE_BASE))


class _Shapes:
    """The learnt templates and the shapes seen, shared by the threads of one process (`serve`
    verifies on several): the bookkeeping is under a lock; filling a template only reads it."""

    def __init__(self) -> None:
        self.templates: OrderedDict[str, list[_Template]] = OrderedDict()
        self.sightings: OrderedDict[str, int] = OrderedDict()
        self.lock = threading.Lock()

    def lookup(self, key: str, leaves: list[str]) -> _Template | None:
        """The template learnt for this shape whose fixed strings these leaves match, if any."""
        with self.lock:
            found = next((t for t in self.templates.get(key, ()) if t.matches(leaves)), None)
            if found is not None:
                self.templates.move_to_end(key)
        return found

    def seen(self, key: str) -> int:
        with self.lock:
            count = self.sightings.pop(key, 0) + 1
            self.sightings[key] = count
            while len(self.sightings) > MAX_SHAPES:
                self.sightings.popitem(last=False)
            return count

    def known(self, key: str) -> int:
        with self.lock:
            return len(self.templates.get(key, ()))

    def add(self, key: str, template: _Template) -> None:
        with self.lock:
            entry = self.templates.setdefault(key, [])
            if len(entry) < MAX_TEMPLATES:
                entry.append(template)
            self.templates.move_to_end(key)
            while len(self.templates) > MAX_SHAPES:
                self.templates.popitem(last=False)


_shapes = _Shapes()


def clear() -> None:
    """Forget every learnt shape (tests)."""
    global _shapes
    _shapes = _Shapes()


def canonize(doc: dict, load: Callable[[str], dict], compute: Callable[[], str]) -> str:
    """Canonical N-Quads of `doc`: from a learnt template when one fits, else `compute()` (pyld,
    safe mode, the offline loader), whose result teaches the shape on its second sighting."""
    if _nquads.style() != _nquads.RDFC10:
        return compute()  # templates hold RDFC-1.0 text; inside nquads.legacy() pyld decides
    try:
        key, leaves, keys = skeleton(doc)
    except (_Unshaped, RecursionError):
        return compute()
    if key in _shapes.templates:
        template = _shapes.lookup(key, leaves)
        if template is not None:
            try:
                result = template.nquads(leaves)
                if result is not None:
                    return result
            except (UnicodeError, ValueError, TypeError):
                pass  # pyld decides (and words) what it cannot serialize
    result = compute()
    _learn_shape(doc, load, key, leaves, keys, result)
    return result


def _learn_shape(doc: dict, load, key: str, leaves: list[str], keys: list[str], nquads: str) -> None:
    """Count the shape; learn a template on its second sighting. Never raises."""
    if _shapes.seen(key) != 2 or _shapes.known(key) >= MAX_TEMPLATES:
        return
    if _TOKEN in key or any(_TOKEN in s for s in leaves):
        return
    try:
        template = _learn(doc, load, leaves, keys, nquads)
    except Exception:  # noqa: BLE001  learning is an optimisation: anything odd means no template
        return
    if template is not None:
        _shapes.add(key, template)


def _candidate(key: str) -> bool:
    return key not in ("type", "@type") and (not key.startswith("@") or key in ("@id", "@value"))


def _learn(doc: dict, load, leaves: list[str], keys: list[str], nquads: str) -> _Template | None:
    replaced = {i for i, k in enumerate(keys) if _candidate(k)}
    for _attempt in range(2):
        quads, kinds = _probe(doc, load, leaves, replaced)
        slots = {i for i, kind in kinds.items() if kind == "literal"
                 or (kind == "iri" and _plain_absolute(leaves[i], *_prefix(leaves[i])))}
        if not slots:
            return None
        if slots == replaced:
            break
        if not slots < replaced:
            return None
        replaced = slots
    else:
        return None
    fixed = {i: s for i, s in enumerate(leaves) if i not in replaced}
    iri_slots = {i: _prefix(leaves[i]) for i in replaced if kinds[i] == "iri"}
    template = _Template(fixed, iri_slots, quads)
    filled = template.fill(leaves)
    if filled is None or canonical(filled) != nquads or template.nquads(leaves) != nquads:
        return None
    return template


def _prefix(value: str) -> tuple[str, bool]:
    head, _, rest = value.partition(":")
    return head, rest.startswith("//")


def _probe(doc: dict, load, leaves: list[str], replaced: set[int]) -> tuple[list, dict[int, str]]:
    """pyld's dataset for `doc` with the strings `replaced` swapped for markers, as template quads,
    and what each marker turned out to be ("literal", "iri", or "fixed")."""
    from lerwallet.ld import canon

    from lerwallet.ld.canon import RDF_DIRECTION

    markers = {f"{_TOKEN}{i}x": i for i in replaced}
    probe_doc = _with_leaves(doc, [f"{_TOKEN}{i}x" if i in replaced else s for i, s in enumerate(leaves)])
    processor = _probe_class()(safe=False)
    processor.lerwallet_markers = markers
    processor.lerwallet_expanded = {}
    options = canon._options(load, safe=False)
    options.update(base=_pyld.SAFE_BASE, rdfDirection=RDF_DIRECTION, produceGeneralizedRdf=False)
    dataset = canon._run_pyld(lambda: processor.to_rdf(probe_doc, options))
    kinds: dict[int, str] = {}
    bad: set[int] = set()

    def note(i: int, kind: str) -> None:
        if kinds.setdefault(i, kind) != kind:
            bad.add(i)

    def scan(text: str) -> None:  # a marker anywhere else: that string is fixed
        for m in _MARKER.finditer(text):
            bad.add(int(m.group(1)))

    def spec(term: dict, role: str):
        value = term["value"]
        if term["type"] == "IRI" and role != "predicate" and value.startswith(_pyld.SAFE_BASE):
            i = markers.get(value[len(_pyld.SAFE_BASE):])
            if i is not None:
                note(i, "iri")
                return ("s", i, {"type": "IRI"})
        if term["type"] == "literal" and value in markers and term.get("datatype") not in (_XSD_DOUBLE, _RDF_JSON):
            i = markers[value]
            note(i, "literal")
            rest = {k: v for k, v in term.items() if k != "value"}
            for v in rest.values():
                scan(v)
            return ("s", i, rest)
        for v in term.values():
            scan(v)
        return ("c", dict(term))

    quads = []
    for graph, triples in dataset.items():
        if graph != "@default" and graph.startswith(_pyld.SAFE_BASE) and graph[len(_pyld.SAFE_BASE):] in markers:
            i = markers[graph[len(_pyld.SAFE_BASE):]]
            note(i, "iri")
            g = ("s", i)
        else:
            scan(graph)
            g = graph
        for t in triples:
            scan(t["predicate"]["value"])
            quads.append((g, spec(t["subject"], "subject"), t["predicate"]["value"], spec(t["object"], "object")))
    for marker, flags in processor.lerwallet_expanded.items():
        i = markers[marker]
        if kinds.get(i) != "iri" or flags != {False}:
            bad.add(i)
    for i, kind in kinds.items():
        if kind == "iri" and f"{_TOKEN}{i}x" not in processor.lerwallet_expanded:
            bad.add(i)
    for i in replaced:
        if i not in kinds or i in bad:
            kinds[i] = "fixed"
    return quads, kinds


def _probe_class() -> type:
    from lerwallet.ld import _pyld

    cls = _pyld._classes.get("probe")
    if cls is None:
        base = _pyld.processor_class()

        class Probe(base):
            """Records how each marker string goes through IRI expansion (vocab-relative or not)."""

            lerwallet_markers: dict = {}
            lerwallet_expanded: dict = {}

            def _expand_iri(self, active_ctx, value, base=None, vocab=False, local_ctx=None, defined=None):
                if isinstance(value, str) and value in self.lerwallet_markers:
                    self.lerwallet_expanded.setdefault(value, set()).add(bool(vocab or local_ctx))
                return super()._expand_iri(active_ctx, value, base, vocab, local_ctx, defined)

        cls = _pyld._classes["probe"] = Probe
    return cls
