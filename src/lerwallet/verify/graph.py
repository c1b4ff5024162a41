"""Do the checks read what was signed? A cross-check of the judged fields against the signed graph.

A Data Integrity signature covers the RDF graph, not the JSON spelling. JSON-LD lets the same
graph be written with a full IRI key (`"https://www.w3.org/2018/credentials#validUntil"`), a
compact IRI (`"cred:validUntil"`), an alias term from an inline @context, or a value object
(`{"@value": ...}`); the later stages read plain JSON terms and would see no expiry and no
status, while the signature still verifies. Rather than list spellings, this module reads the
canonical graph once the proof passed and compares, for each predicate a later stage judges,
what the graph states about the credential (or presentation) node with what the JSON term
reading gives. Any difference fails (`hidden_field`): the checks would not be judging the
signed data.

Direction: a value the graph states under a judged predicate must be exactly what the JSON
reading sees (presence, count, lexical value or IRI). A JSON term the graph does not state
under that predicate (e.g. `issuanceDate` in a VC 2.0 credential, which the v2 context maps
elsewhere) only makes the date checks stricter and is left alone, except for issuer and
holder, which must match both ways.

What is displayed must come from what was signed (issue #10). A property-scoped context can map
the JSON term `name` to schema:description and `description` to schema:name, so the JSON shows
the description as the title while the graph, and the signature, are unchanged; `@included`
(or an alias of it) can move the issuer's name out of the issuer object. So the fields the
report and the wallet display (model.summarize: title, description, issuer name, subject name,
achievement id, name and description) are compared too: for each, the set of texts the JSON
shows must equal the set of literals the graph states for that node under the field's
predicate (schema.org `name`/`description`, http or https, or the VC 2.0 issuer-dependent
vocabulary for undefined terms; `ob:achievement` for the achievement). Any difference fails
(`display_mismatch`): the credential would be shown as something it does not say.
"""

from __future__ import annotations

import re

from lerwallet.verify.report import FAIL, UNKNOWN, Check
from lerwallet.verify.state import as_list, id_of

CRED = "https://www.w3.org/2018/credentials#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DATES = ("validFrom", "validUntil", "issuanceDate", "expirationDate")
# Fields of a status entry that the status stage reads, matched by the predicate's local name
# (the status vocabularies differ between Bitstring Status List and StatusList2021).
STATUS_FIELDS = ("statusPurpose", "statusListIndex", "statusListCredential", "statusSize")


def _named(iri: str) -> str:
    """The term of an IRI (see _Graph)."""
    return "<" + iri + ">"


TYPE = _named(RDF_TYPE)
DATE_TERMS = tuple((name, _named(CRED + name)) for name in DATES)


def check(doc: dict, loader, *, presentation: bool = False) -> Check | None:
    """None when the JSON reading and the signed graph agree; otherwise a failing (or, when the
    graph cannot be read, unknown) check named `structure.graph` / `presentation.graph`."""
    cid = "presentation.graph" if presentation else "structure.graph"
    try:
        graph = _graph({k: v for k, v in doc.items() if k != "proof"}, loader)
    except Exception as exc:  # LDError, or a parser error: the graph cannot be compared
        reason = (str(exc).splitlines() or [type(exc).__name__])[0]
        return Check(cid, UNKNOWN, f"the signed data could not be read as a graph to cross-check it: {reason}", "graph_unreadable")
    kind = "VerifiablePresentation" if presentation else "VerifiableCredential"
    node = _root(graph, CRED + kind, doc.get("id"))
    if node is None:
        return Check(cid, FAIL, f"the signed data does not state one {kind} node that these checks can read", "hidden_field")
    stated = graph.stated[node]
    problems = []
    for name, predicate in DATE_TERMS:
        objects = stated.get(predicate)
        if objects and sorted(map(_lexical, objects)) != sorted(map(_json_lexical, as_list(doc.get(name)))):
            problems.append(name)
    party = "holder" if presentation else "issuer"
    graph_party = sorted(map(_iri, stated.get(_named(CRED + party), ())))
    json_party = [id_of(doc[party])] if party in doc else []
    if graph_party != json_party:
        problems.append(party)
    if not presentation:
        problems += _status(graph, stated.get(_named(CRED + "credentialStatus"), ()), doc.get("credentialStatus"))
        shown = _display(graph, node, doc)
        if shown and not problems:
            return Check(cid, FAIL, "what is displayed is not what was signed: " + "; ".join(shown)
                         + " (the JSON says one thing, the signed graph another)", "display_mismatch",
                         {"fields": [line.split(":", 1)[0] for line in shown]})
        problems += [line.split(":", 1)[0] for line in shown]
    if not problems:
        return None
    names = ", ".join(problems)
    return Check(cid, FAIL, f"the signed data states {names} in a form these checks cannot read (full IRI, compact IRI, "
                 "alias term or value object): the credential cannot be judged as signed", "hidden_field",
                 {"predicates": [CRED + p if p in DATES + ("issuer", "holder", "credentialStatus") else p for p in problems]})


SCHEMA = ("https://schema.org/", "http://schema.org/", "https://www.w3.org/ns/credentials/issuer-dependent#")
NAME = tuple(_named(base + "name") for base in SCHEMA)
DESCRIPTION = tuple(_named(base + "description") for base in SCHEMA)
ISSUER = _named(CRED + "issuer")
SUBJECT = _named(CRED + "credentialSubject")
OB_VOCAB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
# The IRIs the bundled Open Badges 3.0 contexts map the term `achievement` to: `#Achievement` in
# the first 3.0 context.json (the JFF plugfest 3 badges), `#achievement-0` in 3.0.2,
# `#achievement` later; the pre-release vocabulary under imsglobal.github.io in the JFF plugfest
# contexts. tests/test_verify_display.py holds every bundled definition of `achievement` to it.
OB_ACHIEVEMENT = re.compile(
    "(?:" + re.escape(OB_VOCAB) + "|" + re.escape("https://imsglobal.github.io/openbadges-specification/ob_v3p0.html#")
    + r")[aA]chievement(-\d+)?")


def _display(graph: _Graph, node: str, doc: dict) -> list[str]:
    """"field: graph says ..., JSON shows ..." for each displayed field the signed graph states
    differently (see the module docstring)."""
    stated = graph.stated
    credential = stated[node]
    issuer = doc.get("issuer")
    issuers = credential.get(ISSUER, ())
    subjects = [s for s in as_list(doc.get("credentialSubject")) if isinstance(s, dict)]
    subject_terms = credential.get(SUBJECT, ())
    achievements = [a for s in subjects for a in as_list(s.get("achievement")) if isinstance(a, dict)]
    achievement_terms = [o for t in subject_terms for p, objects in stated.get(t, _NOTHING).items()
                         if "chievement" in p and OB_ACHIEVEMENT.fullmatch(p, 1, len(p) - 1) for o in objects]
    # field, what the graph states, what the JSON shows, and the nodes and JSON key whose objects
    # elsewhere in the JSON count too (one node may be written in several JSON objects: the
    # credential's id reused as the subject's, the issuer again as the achievement's creator).
    fields = (
        ("title", _texts(stated, (node,), NAME), _json_texts(doc.get("name")), (node,), "name"),
        ("description", _texts(stated, (node,), DESCRIPTION), _json_texts(doc.get("description")), (node,), "description"),
        ("issuer name", _texts(stated, issuers, NAME),
         _json_texts(issuer.get("name")) if isinstance(issuer, dict) else set(), issuers, "name"),
        ("subject name", _texts(stated, subject_terms, NAME), _json_texts_of(subjects, "name"), subject_terms, "name"),
        ("achievement", {_iri(a) for a in achievement_terms if _iri(a)},
         {a["id"] for a in achievements if isinstance(a.get("id"), str)}, (), ""),
        ("achievement name", _texts(stated, achievement_terms, NAME), _json_texts_of(achievements, "name"),
         achievement_terms, "name"),
        ("achievement description", _texts(stated, achievement_terms, DESCRIPTION),
         _json_texts_of(achievements, "description"), achievement_terms, "description"),
    )
    by_id = _json_by_id(doc)
    out: list[str] = []
    for field, signed, shown, nodes, key in fields:
        for iri in filter(None, map(_iri, nodes)):
            shown = shown | _json_texts_of(by_id.get(iri, ()), key)
        if signed != shown:
            out.append(f"{field}: signed {_shown(signed)}, shown {_shown(shown)}")
    return out


def _json_by_id(doc: dict) -> dict[str, list[dict]]:
    """id -> every JSON object with that id, outside keyword members (`@included` and the like
    are what the check is about). One walk, without recursion (nesting is the input's to choose)."""
    out: dict[str, list[dict]] = {}
    objects: list[dict] = [doc]
    while objects:
        obj = objects.pop()
        obj_id = obj.get("id")
        if isinstance(obj_id, str):
            out.setdefault(obj_id, []).append(obj)
        for key, value in obj.items():
            if not isinstance(value, (dict, list)) or key.startswith("@"):
                continue
            if isinstance(value, dict):
                objects.append(value)
            else:
                arrays = [value]
                while arrays:  # the objects in an array, and in arrays in it
                    for item in arrays.pop():
                        if isinstance(item, dict):
                            objects.append(item)
                        elif isinstance(item, list):
                            arrays.append(item)
    return out


def _texts(stated: dict, nodes, predicates: tuple) -> set:
    """The non-empty literals the nodes state under any of `predicates`."""
    out: set = set()
    for node in nodes:
        by_predicate = stated.get(node)
        for predicate in predicates if by_predicate else ():
            for o in by_predicate.get(predicate, ()):
                if o[0] == '"' and len(o) > 1:
                    out.add(o[1:])
    return out


def _json_texts_of(objects: list[dict], key: str) -> set:
    out: set = set()
    for obj in objects:
        if key in obj:
            out |= _json_texts(obj[key])
    return out


def _json_texts(value: object) -> set:
    """The texts a JSON value shows: a string, the @value of value objects, the values of a
    language map; in arrays, each."""
    if isinstance(value, str):
        return {value}
    out: set = set()
    for item in as_list(value):
        if isinstance(item, str):
            out.add(item)
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, (int, float)):
            out.add(str(item))
        elif isinstance(item, dict):
            if "@value" in item:
                out |= {v for v in as_list(item["@value"]) if isinstance(v, str)}
            else:
                out |= {v for k, v in item.items() if isinstance(v, str) and not k.startswith("@")}
    return out


def _shown(values: set) -> str:
    if not values:
        return "nothing"
    return ", ".join(repr(v if len(v) <= 60 else v[:57] + "...") for v in sorted(values))


class _Graph:
    """The default graph's statements, indexed by subject once: stated[subject][predicate] is the
    list of objects, in canonical order; `typed` the (subject, rdf:type object) pairs.

    Terms are strings, so that indexing and comparing them makes no Python object per access: an
    IRI as its N-Quads token `<...>`, a blank node `_:label`, a literal '"' and its lexical form
    (datatype and language are not judged here; objects stay in lists, so two literals that
    differ only there are never merged). Anything else (an RDF 1.2 triple term) "_<<...".
    """

    __slots__ = ("stated", "typed")

    def __init__(self, triples: list) -> None:
        stated: dict[str, dict[str, list]] = {}
        typed = []
        for s, p, o in triples:
            by_predicate = stated.get(s)
            if by_predicate is None:
                stated[s] = {p: [o]}
            elif p in by_predicate:
                by_predicate[p].append(o)
            else:
                by_predicate[p] = [o]
            if p == TYPE:
                typed.append((s, o))
        self.stated = stated
        self.typed = typed

    def objects(self) -> set:
        return {o for by_predicate in self.stated.values() for objects in by_predicate.values() for o in objects}


_NOTHING: dict = {}


def _iri(term: str) -> str:
    return term[1:-1] if term[0] == "<" else ""


def _lexical(term: str) -> str:
    return term[1:] if term[0] == '"' else ""


def _graph(unsecured: dict, loader) -> _Graph:
    from lerwallet.ld import canonize

    nquads = canonize(unsecured, loader)
    triples = _plain_triples(nquads)
    return _Graph(_oxigraph_triples(nquads) if triples is None else triples)


def _root(graph: _Graph, type_iri: str, doc_id: object) -> str | None:
    """The credential node: typed `type_iri` in the default graph, named by the JSON `id` when
    there is one, else the only such node that is not itself the object of another statement."""
    type_term = _named(type_iri)
    typed = [s for s, o in graph.typed if o == type_term]
    if isinstance(doc_id, str):
        for s in typed:
            if _iri(s) == doc_id:
                return s
    objects = graph.objects()
    roots = list(dict.fromkeys(s for s in typed if s not in objects))
    return roots[0] if len(roots) == 1 else None


def _status(graph: _Graph, graph_entries, json_value: object) -> list[str]:
    json_entries = as_list(json_value)
    if not graph_entries:
        return []
    if len(graph_entries) != len(json_entries) or not all(isinstance(e, dict) for e in json_entries):
        return ["credentialStatus"]
    by_id = {e.get("id"): e for e in json_entries if isinstance(e.get("id"), str)}
    problems = []
    for node in graph_entries:
        entry = by_id.get(_iri(node)) if _iri(node) else None
        if entry is None:
            if len(graph_entries) != 1 or "id" in json_entries[0] and _iri(node) != json_entries[0].get("id"):
                return ["credentialStatus"]
            entry = json_entries[0]
        stated = graph.stated.get(node, _NOTHING)
        for field in STATUS_FIELDS:
            graph_values = sorted(_lexical(o) or _iri(o) for p, objs in stated.items() if _local(_iri(p)) == field for o in objs)
            json_values = as_list(entry.get(field))
            if any(isinstance(v, bool) or not isinstance(v, (str, int)) for v in json_values):
                continue  # the status stage refuses such a value itself (malformed entry, status unknown)
            if graph_values and graph_values != sorted(_json_lexical(v) for v in json_values):
                problems.append(f"credentialStatus.{field}")
    return problems


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _json_lexical(value: object) -> str:
    """The lexical form a JSON term reading gives; anything but a string or a number reads as
    nothing (a value object is exactly what the later stages cannot read)."""
    if isinstance(value, bool) or value is None:
        return "\0"
    if isinstance(value, (str, int)):
        return str(value)
    return "\0"


# Reading the canonical N-Quads. pyoxigraph reads any N-Quads and refuses what is not (the check
# is then unknown). It reads leniently, without its own IRI and language-tag grammar: the text is
# lerwallet's canonical form of the signed document, whose IRIs safe mode held to pyld's (and
# jsonld.js's) absolute-IRI test; the strict grammar made an authentic credential with `{`, `|`,
# `^` or `%zz` in an id unreadable here, so inconclusive. Making its Python objects costs more
# than the rest of the check. Canonical N-Quads of a credential are almost always plain (ASCII IRIs of the
# usual shapes, `_:c14nN` labels, literals with at most the short escapes): those lines are read
# with string operations, each distinct IRI checked against a grammar narrower than RFC 3987,
# so that whatever is read here pyoxigraph reads the same (tests/test_verify_graph_read.py holds
# the two readers to that). One line outside that form, and pyoxigraph reads the whole.
_CHARS = "A-Za-z0-9._~!$&'()*+,;="  # unreserved and sub-delims; then "%" and two hex digits
_PCHARS = f"[{_CHARS}:@/?-]*(?:%[0-9A-Fa-f]{{2}}[{_CHARS}:@/?-]*)*"  # path and query
_IRI = (  # inside <...>
    r"[A-Za-z][A-Za-z0-9+.-]*:"  # scheme
    f"(?://[{_CHARS}-]*(?:%[0-9A-Fa-f]{{2}}[{_CHARS}-]*)*(?::[0-9]*)?(?=[/?#>])|(?!//))"  # reg-name host and port, or none
    f"{_PCHARS}(?:#{_PCHARS})?"  # path and query, fragment
)
_TOKENS = re.compile(f"(?:<{_IRI}>\n|_:[A-Za-z0-9_]+\n)*")  # IRIs and blank node labels, one a line
_IRIS = re.compile(f"(?:<{_IRI}>\n)*")  # predicates and datatypes
_LANGUAGE = re.compile(r"@[a-zA-Z]{2,3}(?:-[a-zA-Z]{4})?(?:-(?:[a-zA-Z]{2}|[0-9]{3}))?")
_ESCAPED = re.compile(r"(?:[^\"\\]|\\[tbnrf\"'\\])*")
_ESCAPE = re.compile(r"\\(.)")
_UNESCAPE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
# Of the rdf: datatypes, these two (JSON-LD's @json and rdf:HTML values) are plain; rdf:langString
# and rdf:dirLangString without a language tag are not N-Quads.
_RDF = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDF_DATATYPES = (_RDF + "HTML>", _RDF + "JSON>")


def _plain_triples(nquads: str) -> list | None:
    """The default graph's (subject, predicate, object) terms when every line is plain; None
    when one is not (see above)."""
    if not nquads:
        return []
    lines = nquads.split(" .\n")  # then every line ends so when there are as many lines as newlines
    if lines.pop() or len(lines) != nquads.count("\n") or "\r" in nquads or not (nquads.isascii() or _encodable(nquads)):
        return None
    nodes: set = set()  # subject, object and graph name tokens: IRIs or blank nodes
    iris: set = set()  # predicates and datatypes: IRIs only; each set is checked at once below
    out = []
    try:
        for line in lines:
            s, p, rest = line.split(" ", 2)
            nodes.add(s)
            iris.add(p)
            if rest[0] == '"':
                obj, graph_name = _literal(rest, iris)
                if obj is None:
                    return None
            else:
                obj, _, graph_name = rest.partition(" ")
                nodes.add(obj)
            if graph_name:  # a named graph's statement (an embedded credential): checked, not indexed
                nodes.add(graph_name)
                continue
            out.append((s, p, obj))
    except (ValueError, IndexError):  # fewer than three terms, or no object
        return None
    return out if _plain(nodes, _TOKENS) and _plain(iris, _IRIS) else None


def _literal(rest: str, iris: set) -> tuple[str | None, str]:
    """A literal's term and the graph name after it, from the rest of a line that starts with '"';
    its datatype goes to `iris`. None when not plain."""
    close = rest.rfind('"')
    body = rest[1:close]
    annotation, _, graph_name = rest[close + 1:].partition(" ")
    if close == 0 or ('"' in body or "\\" in body) and not _ESCAPED.fullmatch(body):
        return None, ""
    if annotation[:3] == "^^<" and (not annotation.startswith(_RDF, 2) or annotation[2:] in _RDF_DATATYPES):
        iris.add(annotation[2:])
    elif annotation and not _LANGUAGE.fullmatch(annotation):
        return None, ""
    return '"' + (_ESCAPE.sub(lambda m: _UNESCAPE[m[1]], body) if "\\" in body else body), graph_name


def _encodable(text: str) -> bool:
    """No lone surrogate (pyoxigraph cannot take the text at all)."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


# IRI tokens found plain, so that the vocabulary's IRIs (the same in every credential) are checked
# once per process: a cache of a syntax check, bounded in count and length. Only IRIs: a blank
# node label is plain as a subject or object, not as a predicate.
_PLAIN: set = set()
_REMEMBERED = 4096


def _plain(tokens: set, grammar: re.Pattern) -> bool:
    """Every token fits `grammar` (those not remembered checked with one match)."""
    fresh = tokens - _PLAIN
    if not fresh:
        return True
    if not grammar.fullmatch("\n".join(fresh) + "\n"):
        return False
    if len(_PLAIN) + len(fresh) > _REMEMBERED:
        _PLAIN.clear()
    if len(fresh) <= _REMEMBERED:
        _PLAIN.update(t for t in fresh if t[0] == "<" and len(t) <= 256)
    return True


def _oxigraph_triples(nquads: str) -> list:
    import pyoxigraph as ox

    def term(t) -> str:
        if isinstance(t, ox.NamedNode):
            return "<" + t.value + ">"
        if isinstance(t, ox.Literal):
            return '"' + t.value
        if isinstance(t, ox.BlankNode):
            return "_:" + t.value
        return "_" + str(t)

    return [(term(q.subject), "<" + q.predicate.value + ">", term(q.object))
            for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS, lenient=True)
            if isinstance(q.graph_name, ox.DefaultGraph)]
