"""Fast canonicalization: pyoxigraph's Rust JSON-LD parser, then pyld's URDNA2015.

Its point is start-up time: pyoxigraph imports in ~1 ms, pyld's JSON-LD module in ~120 ms.

pyoxigraph cannot be given a document loader, so the context URLs are replaced by the
context objects themselves (inlined, recursively). It must never fetch: a URL we cannot
inline makes us decline.

The fast path takes only a whitelisted subset of JSON-LD; everything else is declined and
goes to pyld, the reference (declining returns None). pyoxigraph silently ignores input that
JSON-LD safe mode must refuse (keys that look like keywords, terms defined as null, a null
@value, ...), so the rule is structural, not a list of known traps:
  - bundled context documents (served by the offline loader: reviewed, hash-pinned) are
    trusted as they are; every other context (inline in the document, or fetched) must be
    plain: terms mapped to absolute IRIs, no redefinition of a term already defined, only
    `@version`, `@protected`, `@vocab` (absolute IRI) and `@language` (a well-formed tag);
    term definitions with only `@id`, `@type` (`@id`, `@vocab` or an IRI), `@container`
    (`@set`, `@list`), `@language`, `@protected`;
  - in the document body, the only keywords are `@context`, `@id`, `@type` on nodes, and
    `@value` / `@type` / `@language` in value objects; no null anywhere, no nested arrays,
    no `@json` literals, integers within 2**53, no non-integer numbers.

Safe mode on this path costs nothing extra: we prepend a context setting `@vocab` to an IRI
in the reserved `.invalid` domain, and parse with a base IRI there too. Every term, type or
id that the real contexts do not define then expands to one of those sentinel IRIs instead
of vanishing, and we refuse the document if any appears. (A document that has its own
`@vocab` legitimately defines every term, as in jsonld.js safe mode.)
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Callable

from lerwallet.ld.errors import CanonicalizationLimit, LDError, SafeModeError, UnknownContext

SENTINEL_VOCAB = "https://undefined-term.invalid/#"
SENTINEL_BASE = "https://relative-iri.invalid/"
_SENTINEL_OBJ = {"@vocab": SENTINEL_VOCAB}
_SENTINEL_CTX = json.dumps(_SENTINEL_OBJ)
_DECLINE_KEYS = frozenset({"@import", "@base", "@direction", "@propagate", "@nest", "@json"})


class Decline(Exception):
    """This document is not for the fast path; use the reference path."""


def canonize(doc: dict, load: Callable[[str], dict], *, safe: bool, strict: bool) -> str | None:
    """N-Quads, or None when declined (or on a pyoxigraph error, unless `strict`)."""
    try:
        if not safe:
            raise Decline("unsafe mode is defined by pyld's behaviour")
        return _canonize(doc, load)
    except Decline as why:
        if strict:
            raise LDError(f"fast canonicalization declined: {why}") from None
        return None
    except (SafeModeError, UnknownContext, CanonicalizationLimit):
        raise  # CanonicalizationLimit: pyld would do the same bounded work again, and refuse
    except Exception as exc:  # noqa: BLE001  pyoxigraph or conversion: the reference decides
        if strict:
            raise LDError(f"JSON-LD error: {exc}") from None
        return None


def eligible(doc: dict, load: Callable[[str], dict] | None = None) -> str | None:
    """None if the fast path takes `doc`, else the reason it declines."""
    from lerwallet.ld.loader import offline_loader

    try:
        _document_text(doc, load or offline_loader())
    except Decline as why:
        return str(why)
    return None


def _canonize(doc: dict, load: Callable[[str], dict]) -> str:
    import pyoxigraph as ox

    text = _document_text(doc, load)
    # lenient: a strict pyoxigraph silently drops quads whose IRIs it finds invalid, where
    # pyld (and jsonld.js) keep them; _check_terms then decides like pyld would.
    quads = ox.parse(text, ox.RdfFormat.JSON_LD, base_iri=SENTINEL_BASE, lenient=True)
    # pyoxigraph 0.5's own RDFC-1.0 labels blank nodes differently from jsonld.js and pyld
    # on one corpus document (1edtech ob30/complete.json, many look-alike proofs), so the
    # canonical labelling is pyld's URDNA2015, which is pure Python and cheap to import.
    from lerwallet.ld import _pyld

    return _pyld.urdna2015(_to_pyld_dataset(quads))


# pyld's test for an absolute IRI (quads with other IRIs are dropped) and the characters
# both serializers write the same way.
_PYLD_ABSOLUTE = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s\ufeff]*\Z")  # as _pyld._ABSOLUTE
_PLAIN_IRI = re.compile(r'^[^\x00-\x20<>"{}|^`\\\x7f]*\Z')


def _to_pyld_dataset(quads) -> dict:
    """pyld's dataset structure from pyoxigraph quads, refusing (safe mode) or declining as pyld would."""
    import pyoxigraph as ox

    dataset: dict[str, list] = {}
    seen: set = set()
    for quad in quads:
        if quad in seen:  # an RDF dataset is a set
            continue
        seen.add(quad)
        graph = quad.graph_name
        if isinstance(graph, ox.DefaultGraph):
            name = "@default"
        elif isinstance(graph, ox.BlankNode):
            name = "_:" + graph.value
        else:
            name = _iri(graph.value, "graph")
        subject = quad.subject
        predicate = quad.predicate.value
        obj = quad.object
        rdf_type = predicate == _RDF_TYPE
        triple = {
            "subject": _node(subject, "id"),
            "predicate": {"type": "IRI", "value": _iri(predicate, "property")},
        }
        if isinstance(obj, ox.Literal):
            literal = {"type": "literal", "value": obj.value, "datatype": _iri(obj.datatype.value, "datatype")}
            if obj.language:
                # JSON-LD processors (jsonld.js, pyld) lowercase language tags; pyoxigraph
                # keeps them as written. The tags we let through are ASCII (see _BCP47).
                literal["language"] = obj.language.lower()
            triple["object"] = literal
        else:
            triple["object"] = _node(obj, "type" if rdf_type else "id")
        dataset.setdefault(name, []).append(triple)
    return dataset


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _node(term, role: str) -> dict:
    import pyoxigraph as ox

    if isinstance(term, ox.BlankNode):
        return {"type": "blank node", "value": "_:" + term.value}
    if isinstance(term, ox.NamedNode):
        return {"type": "IRI", "value": _iri(term.value, role)}
    raise Decline("RDF-star term")


def _iri(iri: str, role: str) -> str:
    if iri.startswith(SENTINEL_VOCAB):
        name = iri[len(SENTINEL_VOCAB):]
        if role == "property":
            raise SafeModeError(
                f"safe mode: property {name!r} is not defined by the @context "
                "(it would be dropped from the signed data)"
            )
        raise SafeModeError(
            f"safe mode: {role} {name!r} is not defined by the @context (it would become a relative IRI)"
        )
    if iri.startswith(SENTINEL_BASE):
        raise SafeModeError(
            f"safe mode: {'type' if role == 'type' else 'id'} {iri[len(SENTINEL_BASE):]!r} "
            "is not defined by the @context (it would become a relative IRI)"
        )
    if not _PYLD_ABSOLUTE.match(iri):
        raise SafeModeError(f"safe mode: {role} {iri!r} is not an absolute IRI (it would be dropped)")
    if not _PLAIN_IRI.match(iri):
        raise Decline("IRI with characters that serializers escape differently")
    return iri


def _document_text(doc: dict, load: Callable[[str], dict]) -> str:
    if "@context" not in doc:
        raise Decline("no @context")
    scoped: set[str] = set()
    parts = [_SENTINEL_CTX]
    ctx = doc["@context"]
    for entry in ctx if isinstance(ctx, list) else [ctx]:
        text, names = _context_text(entry, load, scoped)
        parts.append(text)
        scoped |= names
    body = _body({k: v for k, v in doc.items() if k != "@context"}, load, scoped, 0)
    rest = json.dumps(body, ensure_ascii=False)
    if _RISKY_TEXT.search(rest):
        raise Decline("document has control characters that N-Quads serializers escape differently")
    head = '{"@context":[' + ",".join(parts) + "]"
    return head + ("," + rest[1:] if rest != "{}" else "}")


# JSON escapes of control characters other than \n, \r, \t; and DEL (not escaped by json).
_RISKY_TEXT = re.compile(r'(?<!\\)\\(?:b|f|u00[01][0-9a-fA-F])|\x7f')
_MAX_SAFE_INT = 2**53


def _context_text(entry, load, names: set) -> tuple[str, frozenset]:
    """JSON text of one @context entry, inlined, and the names it defines (see _dump)."""
    if isinstance(entry, str):
        if getattr(load, "lerwallet_offline", False):
            return _bundled_inlined(entry)
        obj = _inline_url_obj(entry, load, depth=0, names=names)
    else:
        obj = _inline(entry, load, 0, names=names)
    return _dump(obj)


def _dump(obj) -> tuple[str, frozenset]:
    # Scoped term names, plus marked names: "@type:" aliases of @type, "@json:" terms whose
    # values are JSON literals, "@def:" every term defined anywhere in `obj`.
    names = set(_scoped_terms(obj)) | {"@type:" + a for a in _type_aliases(obj)}
    names |= {"@json:" + t for t in _json_terms(obj)} | {"@def:" + t for t in _defined_terms(obj)}
    return json.dumps(obj), frozenset(names)


def _json_terms(ctx):
    for key, value in _definitions(ctx):
        if isinstance(value, dict) and value.get("@type") == "@json":
            yield key


def _defined_terms(ctx):
    for key, _ in _definitions(ctx):
        yield key


def _definitions(ctx):
    """(term, definition) for every term defined in `ctx`, scoped contexts included."""
    if isinstance(ctx, list):
        for c in ctx:
            yield from _definitions(c)
    elif isinstance(ctx, dict):
        for key, value in ctx.items():
            if not key.startswith("@"):
                yield key, value
            if isinstance(value, dict) and "@context" in value:
                yield from _definitions(value["@context"])


def _type_aliases(ctx):
    if isinstance(ctx, list):
        for c in ctx:
            yield from _type_aliases(c)
    elif isinstance(ctx, dict):
        for key, value in ctx.items():
            if value == "@type" or (isinstance(value, dict) and value.get("@id") == "@type"):
                yield key
            if isinstance(value, dict) and "@context" in value:
                yield from _type_aliases(value["@context"])


def _scoped_terms(ctx):
    """Names of terms whose definition carries a scoped @context (type- or property-scoped)."""
    if isinstance(ctx, list):
        for c in ctx:
            yield from _scoped_terms(c)
    elif isinstance(ctx, dict):
        for key, value in ctx.items():
            if isinstance(value, dict) and "@context" in value:
                yield key
                yield from _scoped_terms(value["@context"])


def _body(node, load, scoped: set, depth: int):
    """A copy of the document body with embedded contexts inlined; declines what we do not take."""
    if depth > 200:
        raise Decline("document nested too deeply")
    if isinstance(node, dict):
        if "@value" in node:
            return _value_object(node)
        out = {}
        if "@context" in node:
            scoped = set(scoped)
            inner = node["@context"]
            inlined = []
            for entry in inner if isinstance(inner, list) else [inner]:
                text, names = _context_text(entry, load, scoped)
                scoped |= names
                inlined.append(json.loads(text))
            out["@context"] = inlined
        for key, value in node.items():
            if key == "@context":
                continue
            if key.startswith("@") and key not in _NODE_KEYWORDS:
                raise Decline(f"document uses {key!r}")
            if not key or key.startswith("_:"):
                raise Decline(f"document has the key {key!r}")
            if ("@json:" + key) in scoped:
                raise Decline("document uses @json literals")
            if key == "@type" or key == "type" or ("@type:" + key) in scoped:
                for t in value if isinstance(value, list) else [value]:
                    if not isinstance(t, str) or t.startswith("@"):
                        raise Decline(f"type {t!r}")
                if isinstance(value, list) and sum(1 for t in value if t in scoped) > 1:
                    # pyoxigraph 0.5 applies only one of several type-scoped contexts.
                    raise Decline("a node has several types with scoped contexts")
            out[key] = _body(value, load, scoped, depth + 1)
        return out
    if isinstance(node, list):
        if any(isinstance(v, list) for v in node):
            raise Decline("nested arrays")
        return [_body(v, load, scoped, depth + 1) for v in node]
    return _scalar(node)


_NODE_KEYWORDS = frozenset({"@id", "@type"})
_VALUE_KEYS = frozenset({"@value", "@type", "@language"})
# jsonld.js's test for a well-formed language tag (safe mode refuses others); ASCII only.
_BCP47 = re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*\Z")


def _scalar(node):
    if node is None:
        raise Decline("null value")
    if isinstance(node, bool) or isinstance(node, str):
        return node
    if isinstance(node, int):
        if abs(node) >= _MAX_SAFE_INT:
            raise Decline("integer beyond 2**53 (JSON processors disagree on it)")
        return node
    # pyld and pyoxigraph write some doubles differently (large, tiny, -0.0); JSON
    # numbers with a fraction or exponent are rare in credentials: leave them to pyld.
    raise Decline("non-integer number")


def _value_object(node: dict) -> dict:
    """A plain value object: a string, integer or boolean with a datatype IRI or a language."""
    if not set(node) <= _VALUE_KEYS or ("@type" in node and "@language" in node):
        raise Decline("value object with other keys")
    value = node["@value"]
    if isinstance(value, (dict, list)):
        raise Decline("value object holding JSON")
    out = {"@value": _scalar(value)}
    if "@type" in node:
        t = node["@type"]
        if not isinstance(t, str) or t.startswith("@"):
            raise Decline(f"value object typed {t!r}")
        out["@type"] = t
    if "@language" in node:
        lang = node["@language"]
        if not isinstance(value, str) or not isinstance(lang, str) or not _BCP47.match(lang):
            raise Decline("language tag the fast path does not take")
        out["@language"] = lang
    return out


@lru_cache(maxsize=128)
def _bundled_inlined(url: str) -> tuple[str, frozenset]:
    # Only successes are cached (lru_cache does not cache exceptions).
    from lerwallet.ld.loader import offline_loader

    return _dump(_inline_url_obj(url, offline_loader(), depth=0))


def _inline_url_obj(url: str, load: Callable[[str], dict], depth: int, names: set | None = None):
    """The inlined context of the document at `url`; `names` is None for bundled contexts
    (trusted), else the names defined so far (the context is checked as untrusted)."""
    if depth > 8:
        raise Decline("context nesting too deep")
    document = load(url)
    if not isinstance(document, dict) or "@context" not in document:
        raise Decline(f"context document at {url} has no @context")
    return _inline(document["@context"], load, depth + 1, names)


def _inline(ctx, load, depth: int, names: set | None = None):
    """A copy of a context value with every context URL replaced by its (inlined) content."""
    if isinstance(ctx, str):
        return _inline_url_obj(ctx, load, depth, names)
    if isinstance(ctx, list):
        if names is None:
            return [_inline(c, load, depth) for c in ctx]
        out, seen = [], set(names)
        for c in ctx:
            obj = _inline(c, load, depth, seen)
            seen |= _dump(obj)[1]
            out.append(obj)
        return out
    if names is not None:
        _check_plain_context(ctx, names)
        return dict(ctx)
    if ctx is None:
        # A scoped reset (VC v2 `verifiableCredential`): keep the sentinel @vocab after it.
        return [None, _SENTINEL_OBJ]
    if not isinstance(ctx, dict):
        raise Decline("null or non-object context")
    out = {}
    for key, value in ctx.items():
        if key in _DECLINE_KEYS:
            raise Decline(f"context uses {key}")
        if key == "@vocab" and value is None:
            raise Decline("context sets @vocab to null")
        if key == "@context":
            out[key] = _inline(value, load, depth)
        elif isinstance(value, dict):
            if "@nest" in value or "@direction" in value:
                raise Decline(f"term {key} uses a feature the fast path does not take")
            if value.get("@container") and "@graph" in _as_list(value.get("@container")) and "@id" in _as_list(value.get("@container")):
                raise Decline("context uses @graph+@id containers")
            out[key] = {k: (_inline(v, load, depth) if k == "@context" else v) for k, v in value.items()}
        else:
            out[key] = value
    return out


_TERM = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*\Z")
_TERM_KEYS = frozenset({"@id", "@type", "@container", "@language", "@protected"})
_CONTAINERS = ("@set", "@list", ["@set"], ["@list"])


def _check_plain_context(ctx, names: set) -> None:
    """Decline a context (not bundled) that goes beyond plain term definitions."""
    if not isinstance(ctx, dict):
        raise Decline("null or non-object context")
    for key, value in ctx.items():
        if key.startswith("@"):
            if not ((key == "@version" and value == 1.1)
                    or (key == "@protected" and isinstance(value, bool))
                    or (key == "@vocab" and _plain_iri(value, names, ctx))
                    or (key == "@language" and isinstance(value, str) and _BCP47.match(value))):
                raise Decline(f"context uses {key}: {value!r}")
            continue
        if not _TERM.match(key):
            raise Decline(f"context defines the term {key!r}")
        if ("@def:" + key) in names:
            raise Decline(f"context redefines the term {key!r}")
        definition = value if isinstance(value, dict) else {"@id": value}
        if not set(definition) <= _TERM_KEYS or not _plain_iri(definition.get("@id"), names, ctx):
            raise Decline(f"context defines {key!r} in a way the fast path does not take")
        t = definition.get("@type")
        lang = definition.get("@language", "en")
        if ((t is not None and t not in ("@id", "@vocab") and not _plain_iri(t, names, ctx))
                or definition.get("@container", "@set") not in _CONTAINERS
                or not isinstance(definition.get("@protected", True), bool)
                or not (isinstance(lang, str) and _BCP47.match(lang))):
            raise Decline(f"context defines {key!r} in a way the fast path does not take")


def _plain_iri(iri, names: set, ctx: dict) -> bool:
    """An absolute IRI that no term can rewrite (its scheme is not a defined prefix)."""
    if not isinstance(iri, str) or not _PYLD_ABSOLUTE.match(iri) or not _PLAIN_IRI.match(iri):
        return False
    scheme = iri.split(":", 1)[0]
    return scheme != "_" and ("@def:" + scheme) not in names and scheme not in ctx


def _as_list(v):
    return v if isinstance(v, list) else [v]
