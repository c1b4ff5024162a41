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


def check(doc: dict, loader, *, presentation: bool = False) -> Check | None:
    """None when the JSON reading and the signed graph agree; otherwise a failing (or, when the
    graph cannot be read, unknown) check named `structure.graph` / `presentation.graph`."""
    cid = "presentation.graph" if presentation else "structure.graph"
    try:
        quads = _quads({k: v for k, v in doc.items() if k != "proof"}, loader)
    except Exception as exc:  # LDError, or a parser error: the graph cannot be compared
        reason = (str(exc).splitlines() or [type(exc).__name__])[0]
        return Check(cid, UNKNOWN, f"the signed data could not be read as a graph to cross-check it: {reason}", "graph_unreadable")
    kind = "VerifiablePresentation" if presentation else "VerifiableCredential"
    node = _root(quads, CRED + kind, doc.get("id"))
    if node is None:
        return Check(cid, FAIL, f"the signed data does not state one {kind} node that these checks can read", "hidden_field")
    stated = _objects(quads, node)
    stated["@self"] = [node]  # for _display: JSON objects sharing the credential's id
    problems = []
    for name in DATES:
        graph_values = sorted(_lexical(o) for o in stated.get(CRED + name, []))
        if graph_values and graph_values != sorted(_json_lexical(v) for v in as_list(doc.get(name))):
            problems.append(name)
    party = "holder" if presentation else "issuer"
    graph_party = sorted(_iri(o) for o in stated.get(CRED + party, []))
    json_party = [id_of(doc[party])] if party in doc else []
    if graph_party != json_party:
        problems.append(party)
    if not presentation:
        problems += _status(quads, stated.get(CRED + "credentialStatus", []), doc.get("credentialStatus"))
        shown = _display(quads, stated, doc)
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
OB_VOCAB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
# The IRIs the bundled Open Badges 3.0 contexts map the term `achievement` to: `#Achievement` in
# the first 3.0 context.json (the JFF plugfest 3 badges), `#achievement-0` in 3.0.2,
# `#achievement` later; the pre-release vocabulary under imsglobal.github.io in the JFF plugfest
# contexts. tests/test_verify_display.py holds every bundled definition of `achievement` to it.
OB_ACHIEVEMENT = re.compile(
    "(?:" + re.escape(OB_VOCAB) + "|" + re.escape("https://imsglobal.github.io/openbadges-specification/ob_v3p0.html#")
    + r")[aA]chievement(-\d+)?")


def _display(quads: list, stated: dict, doc: dict) -> list[str]:
    """"field: graph says ..., JSON shows ..." for each displayed field the signed graph states
    differently (see the module docstring)."""
    out: list[str] = []
    # One node may be written in several JSON objects (the credential's id reused as the subject's,
    # the issuer again as the achievement's creator): the graph merges them, so do the same.
    names, descriptions = _json_by_id(doc, ("name", "description"))

    def merged(nodes, by_id: dict) -> set:
        return set().union(*(by_id.get(_iri(n), set()) for n in nodes if _iri(n)))

    def compare(field: str, graph_values: set, json_values: set, nodes=(), by_id=None) -> None:
        if by_id is not None:
            json_values = json_values | merged(nodes, by_id)
        if graph_values != json_values:
            out.append(f"{field}: signed {_shown(graph_values)}, shown {_shown(json_values)}")

    root = [t for t in stated.get("@self", [])]
    compare("title", _texts(stated, "name"), _json_texts(doc.get("name")), root, names)
    compare("description", _texts(stated, "description"), _json_texts(doc.get("description")), root, descriptions)
    issuer = doc.get("issuer")
    issuer_nodes = stated.get(CRED + "issuer", [])
    compare("issuer name", set().union(*(_texts(_objects(quads, n), "name") for n in issuer_nodes)),
            _json_texts(issuer.get("name")) if isinstance(issuer, dict) else set(), issuer_nodes, names)
    subjects = [s for s in as_list(doc.get("credentialSubject")) if isinstance(s, dict)]
    subject_nodes = [_objects(quads, n) for n in stated.get(CRED + "credentialSubject", [])]
    compare("subject name", set().union(*(_texts(n, "name") for n in subject_nodes)),
            set().union(*(_json_texts(s.get("name")) for s in subjects)), stated.get(CRED + "credentialSubject", []), names)
    achievements = [a for s in subjects for a in as_list(s.get("achievement")) if isinstance(a, dict)]
    achievement_terms = [o for n in subject_nodes for p, objs in n.items() if OB_ACHIEVEMENT.fullmatch(p) for o in objs]
    achievement_nodes = [_objects(quads, a) for a in achievement_terms]
    compare("achievement", {_iri(a) for a in achievement_terms if _iri(a)},
            {a["id"] for a in achievements if isinstance(a.get("id"), str)})
    compare("achievement name", set().union(*(_texts(n, "name") for n in achievement_nodes)),
            set().union(*(_json_texts(a.get("name")) for a in achievements)), achievement_terms, names)
    compare("achievement description", set().union(*(_texts(n, "description") for n in achievement_nodes)),
            set().union(*(_json_texts(a.get("description")) for a in achievements)), achievement_terms, descriptions)
    return out


def _json_by_id(doc: dict, fields: tuple[str, ...]) -> tuple[dict, ...]:
    """For each field: id -> texts of that field over every JSON object with that id, outside
    keyword members (`@included` and the like are what the check is about). One walk."""
    out: tuple[dict, ...] = tuple({} for _ in fields)
    stack: list = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            node_id = node.get("id")
            if isinstance(node_id, str):
                for field, by_id in zip(fields, out):
                    if field in node:
                        by_id.setdefault(node_id, set()).update(_json_texts(node[field]))
            stack.extend(v for k, v in node.items() if not k.startswith("@") and isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
    return out


def _texts(stated: dict, local: str) -> set:
    return {_lexical(o) for base in SCHEMA for o in stated.get(base + local, []) if _lexical(o)}


def _json_texts(value: object) -> set:
    """The texts a JSON value shows: a string, the @value of value objects, the values of a
    language map; in arrays, each."""
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


def _quads(unsecured: dict, loader) -> list:
    import pyoxigraph as ox

    from lerwallet.ld import canonize

    nquads = canonize(unsecured, loader)
    return _Quads(q for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS) if isinstance(q.graph_name, ox.DefaultGraph))


class _Quads(list):
    """The default graph's quads, indexed by subject once (each field's lookup used to scan them all)."""

    def __init__(self, quads) -> None:
        super().__init__(quads)
        self.by_subject: dict = {}
        for q in self:
            self.by_subject.setdefault(q.subject, {}).setdefault(q.predicate.value, []).append(q.object)


def _root(quads: list, type_iri: str, doc_id: object):
    """The credential node: typed `type_iri` in the default graph, named by the JSON `id` when
    there is one, else the only such node that is not itself the object of another statement."""
    typed = [q.subject for q in quads if q.predicate.value == RDF_TYPE and _iri(q.object) == type_iri]
    if isinstance(doc_id, str):
        named = [s for s in typed if _iri(s) == doc_id]
        if named:
            return named[0]
    objects = {q.object for q in quads}
    roots = list(dict.fromkeys(s for s in typed if s not in objects))
    return roots[0] if len(roots) == 1 else None


def _objects(quads: list, subject) -> dict[str, list]:
    if isinstance(quads, _Quads):
        return {p: list(objs) for p, objs in quads.by_subject.get(subject, {}).items()}
    out: dict[str, list] = {}
    for q in quads:
        if q.subject == subject:
            out.setdefault(q.predicate.value, []).append(q.object)
    return out


def _status(quads: list, graph_entries: list, json_value: object) -> list[str]:
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
        stated = _objects(quads, node)
        for field in STATUS_FIELDS:
            graph_values = sorted(_lexical(o) or _iri(o) for p, objs in stated.items() if _local(p) == field for o in objs)
            json_values = as_list(entry.get(field))
            if any(isinstance(v, bool) or not isinstance(v, (str, int)) for v in json_values):
                continue  # the status stage refuses such a value itself (malformed entry, status unknown)
            if graph_values and graph_values != sorted(_json_lexical(v) for v in json_values):
                problems.append(f"credentialStatus.{field}")
    return problems


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _iri(term) -> str:
    return term.value if isinstance(term, _terms()[0]) else ""


def _lexical(term) -> str:
    return term.value if isinstance(term, _terms()[1]) else ""


_TERMS: tuple = ()


def _terms() -> tuple:
    """(pyoxigraph.NamedNode, pyoxigraph.Literal), imported once (these run for every term)."""
    global _TERMS
    if not _TERMS:
        import pyoxigraph as ox

        _TERMS = (ox.NamedNode, ox.Literal)
    return _TERMS


def _json_lexical(value: object) -> str:
    """The lexical form a JSON term reading gives; anything but a string or a number reads as
    nothing (a value object is exactly what the later stages cannot read)."""
    if isinstance(value, bool) or value is None:
        return "\0"
    if isinstance(value, (str, int)):
        return str(value)
    return "\0"
