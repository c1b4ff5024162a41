"""The signed-graph cross-check (verify/graph.py) reads canonical N-Quads with string operations
when every line is plain, and with pyoxigraph otherwise. The split must not change a verdict:
whatever the plain reader reads, pyoxigraph reads the same triples; whatever pyoxigraph refuses
(the check is then unknown, `graph_unreadable`), the plain reader declines. Real
canonicalization, real pyoxigraph, real signatures."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import pytest

from lerwallet.ld import canonize
from lerwallet.ld.loader import offline_loader
from lerwallet.verify import Options, graph, verify_bytes
from tests.verify_helpers import Party, badge

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OBV = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
V1 = "https://www.w3.org/2018/credentials/v1"


def _oxigraph(nquads: str) -> list | None:
    """pyoxigraph's reading, or None when it refuses the text (graph.check reads any exception
    as refusal: a lone surrogate makes pyoxigraph raise AttributeError)."""
    try:
        return graph._oxigraph_triples(nquads)
    except Exception:
        return None


def _line(s: str = "<http://a.example/s>", p: str = "<http://a.example/p>", o: str = '"x"', g: str = "") -> str:
    return " ".join(t for t in (s, p, o, g) if t) + " .\n"


# Read plain, and pyoxigraph reads the same.
PLAIN = {
    "iri objects": _line(o="<https://example.edu/achievements/1>"),
    "blank nodes": _line(s="_:c14n0", o="_:c14n12"),
    "did and urn": _line(s="<did:key:z6MkfzJWZ5H4w9wCmVv35Ndw1bqstQ1aBZQKhEBncnXCGpgQ>", o="<urn:uuid:2f8c7a8e-4a43>"),
    "short escapes": _line(o=r'"line\nbreak \"quoted\" back\\slash \t\b\f\r \'"'),
    "raw tab and controls": _line(o='"a\tb\x01c\x7f"'),
    "non-ascii literal": _line(o='"Zürich \u2028 \ufeff 日本"'),
    "empty literal": _line(o='""'),
    "literal with spaces and dots": _line(o='"a . b" .'[:-2]),
    "datatype": _line(o=f'"2024-01-01T00:00:00Z"^^<{XSD}dateTime>'),
    "rdf:HTML and rdf:JSON": _line(o=f'"<p>x</p>"^^<{RDF}HTML>') + _line(o=f'"{{}}"^^<{RDF}JSON>'),
    "language tags": _line(o='"x"@en') + _line(o='"x"@en-US') + _line(o='"x"@zh-Hant-TW') + _line(o='"x"@es-419'),
    "named graph lines": _line(g="_:c14n1") + _line(o='"y"', g="<http://a.example/g>") + _line(o="_:b0", g="_:c14n1"),
    "iri shapes": _line(s="<http://a.example:8080/p?q=1&r=%41#frag>", o="<http:///x>")
    + _line(s="<http://a.example>", o="<mailto:ada@example.org>") + _line(s="<http:>", o="<x-y.z+w:/a//b?c/d?#e/f?>"),
    "empty": "",
}

# Declined (pyoxigraph reads it): the plain reader leaves these to pyoxigraph.
DECLINED_READ = {
    "unicode escape": _line(o=r'"caf\u00E9"'),
    "long unicode escape": _line(o=r'"\U0001F600"'),
    "non-ascii iri": _line(o="<https://example.edu/café>"),
    "ipv6 host": _line(s="<http://[::1]/x>"),
    "userinfo": _line(s="<http://user@a.example/x>"),
    "private-use language": _line(o='"x"@x-private'),
    "direction": _line(o='"x"@en--ltr'),
    "blank label with dash": _line(s="_:b-1"),
    "rdf:XMLLiteral": _line(o=f'"<a/>"^^<{RDF}XMLLiteral>'),
    "no final newline": _line()[:-1],
    "blank line": _line() + "\n",
    "tab separator": _line().replace(" ", "\t", 1),
    "comment": "# a comment\n" + _line(),
}

# Outside the plain reader's grammar, read by pyoxigraph, which reads leniently (no IRI or
# language-tag grammar of its own: safe mode has held the IRIs to pyld's absolute-IRI test).
LENIENT = {
    "relative iri": _line(s="<s>"),
    "port with letters": _line(s="<http://a.example:b/>"),
    "bad percent": _line(s="<http://a.example/%zz>"),
    "two fragments": _line(o="<a:b#c#d>"),
    "two at signs": _line(s="<http://a@b@c/>"),
    "brace": _line(s="<urn:uuid:x{y}>"),
    "escaped angle": _line(s="<urn:x\\u003Cy>"),
    "empty subtag": _line(o='"x"@en-a'),
    "long subtag": _line(o='"x"@en-abcdefghi'),
    "langString without tag": _line(o=f'"x"^^<{RDF}langString>'),
    "dirLangString without tag": _line(o=f'"x"^^<{RDF}dirLangString>'),
    "raw carriage return": _line(o='"a\rb"'),
}

# Refused by pyoxigraph: the plain reader must decline too.
REFUSED = {
    "raw quote": _line(o='"a"b"'),
    "bad escape": _line(o=r'"a\qb"'),
    "surrogate escape": _line(o=r'"\ud800"'),
    "lone surrogate": _line(o='"\ud800"'),
    "literal subject": _line(s='"x"'),
    "blank predicate": _line(p="_:p"),
    "no dot": _line()[:-3] + "\n",
    "unclosed literal": _line(o='"x'),
}


@pytest.mark.parametrize("text", PLAIN.values(), ids=PLAIN.keys())
def test_plain_lines_are_read_as_pyoxigraph_reads_them(text):
    triples = graph._plain_triples(text)
    assert triples is not None
    assert triples == _oxigraph(text)


@pytest.mark.parametrize("text", DECLINED_READ.values(), ids=DECLINED_READ.keys())
def test_other_lines_go_to_pyoxigraph(text):
    assert graph._plain_triples(text) is None
    assert _oxigraph(text) is not None


@pytest.mark.parametrize("text", LENIENT.values(), ids=LENIENT.keys())
def test_what_only_a_lenient_reading_takes_goes_to_pyoxigraph(text):
    assert graph._plain_triples(text) is None
    assert graph._plain_triples(_line() + text) is None
    assert _oxigraph(text) is not None


@pytest.mark.parametrize("text", REFUSED.values(), ids=REFUSED.keys())
def test_what_pyoxigraph_refuses_is_declined(text):
    assert _oxigraph(text) is None
    assert graph._plain_triples(text) is None
    assert graph._plain_triples(_line() + text) is None  # one line is enough to decline the whole


def test_a_blank_node_predicate_is_declined_after_the_same_label_as_a_node():
    """Plain IRIs are remembered across readings; blank node labels are not: `_:c14n0` is plain as a
    subject, not as a predicate."""
    assert graph._plain_triples(_line(s="_:c14n0", o="_:c14n1")) is not None
    text = _line(s="_:c14n0", p="_:c14n1", o="_:c14n0")
    assert graph._plain_triples(text) is None and _oxigraph(text) is None


def test_the_iris_remembered_as_plain_stay_bounded():
    """A document with more IRIs than the cache holds is read (and checked) all the same, and
    leaves the cache no larger than its bound."""
    text = "".join(_line(s=f"<urn:x:{i}>", o=f"<http://a.example/{i}>") for i in range(graph._REMEMBERED))
    assert graph._plain_triples(text) == _oxigraph(text)
    assert len(graph._PLAIN) <= graph._REMEMBERED
    assert graph._plain_triples(text + _line(s="<http://a.example:b/>")) is None  # still checked


def test_terms_keep_kinds_apart():
    """An IRI, a blank node and a literal with the same text stay three terms."""
    [(s, _, iri), (_, _, lit), (_, _, blank)] = graph._plain_triples(
        _line(o="<urn:x:1>") + _line(o='"urn:x:1"') + _line(o="_:c14n0"))
    assert len({iri, lit, blank}) == 3
    assert iri == "<urn:x:1>" and (graph._iri(iri), graph._lexical(iri)) == ("urn:x:1", "")
    assert (graph._iri(lit), graph._lexical(lit)) == ("", "urn:x:1")
    assert (graph._iri(blank), graph._lexical(blank)) == ("", "")


def test_random_iris_plain_only_where_pyoxigraph_agrees():
    """Random IRIs built from the characters and pieces that matter to RFC 3987: each one the
    plain reader accepts, pyoxigraph accepts with the same value."""
    pieces = ["http:", "https:", "did:", "urn:", "a+b.c-d:", "1a:", ":", "//", "/", "?", "#", "@", "%41", "%4", "%zz",
              "[", "]", ":80", ":x", "a", "Z", "0", "-", ".", "_", "~", "!", "$", "&", "'", "(", ")", "*", "+",
              ",", ";", "=", "é", "\\", "^", "|", "{", "}", "`", '"', "<"]
    rng = random.Random(20261129)
    plain = 0
    for _ in range(4000):
        iri = rng.choice(pieces[:5]) + "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 9)))
        text = _line(s=f"<{iri}>", o=f"<{iri}>")
        triples = graph._plain_triples(text)
        if triples is not None:
            plain += 1
            assert triples == _oxigraph(text), iri
    assert plain > 500  # the test exercises the plain side, not only refusals


def _corpus() -> list[Path]:
    return sorted(Path(__file__).parent.rglob("*.json"))


def test_canonical_nquads_of_the_test_corpus_read_the_same():
    """Every credential-like JSON-LD document under tests/ that canonicalizes offline: the plain
    reading, where there is one, is pyoxigraph's; nearly all are plain."""
    load = offline_loader()
    read = plain = 0
    for path in _corpus():
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        if not isinstance(doc, dict) or "@context" not in doc:
            continue
        try:
            nquads = canonize({k: v for k, v in doc.items() if k != "proof"}, load)
        except Exception:  # an unknown context, a refused document: nothing to read
            continue
        read += 1
        triples = graph._plain_triples(nquads)
        if triples is not None:
            plain += 1
            assert triples == _oxigraph(nquads), path
    assert read > 300 and plain >= read * 0.95


@pytest.fixture(scope="module")
def issuer():
    return Party()


def _badge(issuer: Party, achievement_id: str, *, swap: bool) -> dict:
    """A VC 1.1 badge with an inline context (as in test_verify_display). With `swap`, the signed
    achievement's schema:name is still "First Aid" but the JSON shows "PhD in Physics": a
    property-scoped context under `achievement` swaps `name` and `description`."""
    doc = badge(issuer, name="First Aid")
    del doc["name"]
    doc["issuanceDate"] = doc.pop("validFrom")
    scoped = {"name": "https://schema.org/description", "description": "https://schema.org/name"} if swap else {}
    doc["@context"] = [V1, {
        "name": "https://schema.org/name", "description": "https://schema.org/description",
        "OpenBadgeCredential": OBV + "OpenBadgeCredential", "Achievement": OBV + "Achievement",
        "AchievementSubject": OBV + "AchievementSubject", "Profile": OBV + "Profile",
        "criteria": {"@id": OBV + "Criteria", "@type": "@id"}, "narrative": OBV + "narrative",
        "achievement": {"@id": OBV + "achievement", "@type": "@id", "@context": scoped},
    }]
    achievement = doc["credentialSubject"]["achievement"]
    achievement["id"] = achievement_id
    if swap:
        achievement["name"], achievement["description"] = "PhD in Physics", "First Aid"
    return issuer.sign(doc)


@pytest.mark.parametrize("achievement_id, plain", [("https://example.edu/achievements/1", True),
                                                    ("https://example.edu/achievements/café", False),
                                                    # read by pyoxigraph only leniently (jsonld.js takes such ids)
                                                    ("https://example.edu/achievements/{1}|x^y", False)])
def test_a_swapped_name_is_caught_on_either_reading(issuer, achievement_id, plain):
    load = offline_loader()
    honest, tampered = _badge(issuer, achievement_id, swap=False), _badge(issuer, achievement_id, swap=True)
    for doc in (honest, tampered):  # the reading the check takes is the one this case is about
        unsecured = {k: v for k, v in doc.items() if k != "proof"}
        assert (graph._plain_triples(canonize(unsecured, load)) is not None) is plain
    [report] = verify_bytes(json.dumps(honest).encode(), Options())
    assert report.verdict == "valid" and report.credentials[0].check("structure.graph") is None
    [report] = verify_bytes(json.dumps(tampered).encode(), Options())
    check = report.credentials[0].check("structure.graph")
    assert (check.outcome, check.code) == ("fail", "display_mismatch")
    assert "achievement name: signed 'First Aid', shown 'PhD in Physics'" in check.reason
    assert report.verdict == "invalid"


@pytest.mark.parametrize("credential_id, plain", [("https://college.example/credentials/1", True),
                                                   ("https://collège.example/credentials/1", False),
                                                   ("urn:uuid:x{y}", False)])
def test_a_hidden_valid_until_is_caught_on_either_reading(issuer, credential_id, plain):
    """The expiry under a full IRI: `hidden_field` whichever reader reads the graph."""
    doc = badge(issuer, validUntil="2024-03-01T00:00:00Z", id=credential_id)
    tampered = copy.deepcopy(doc)
    tampered["https://www.w3.org/2018/credentials#validUntil"] = {
        "@value": tampered.pop("validUntil"), "@type": XSD + "dateTime"}
    assert (graph._plain_triples(canonize(tampered, offline_loader())) is not None) is plain
    [report] = verify_bytes(json.dumps(issuer.sign(doc)).encode(), Options())
    assert report.credentials[0].check("expiration").code == "expired"
    [report] = verify_bytes(json.dumps(issuer.sign(tampered)).encode(), Options())
    check = report.credentials[0].check("structure.graph")
    assert (check.outcome, check.code) == ("fail", "hidden_field") and "validUntil" in check.reason


@pytest.mark.parametrize("nesting", [1, 2, 3])
def test_a_node_written_again_inside_nested_arrays_counts_on_the_json_side(issuer, nesting):
    """JSON-LD reads nested arrays as one: the issuer written again (its second name) inside
    [[...]] is the same graph node, and the JSON walk that merges objects by id must find it
    there too, or an honest credential would read as a display mismatch."""
    doc = badge(issuer)
    value: object = {"id": issuer.did, "name": "Example College Alumni"}
    for _ in range(nesting):
        value = [value]
    doc["https://example.org/vocab#related"] = value
    signed = issuer.sign(doc)
    nquads = canonize({k: v for k, v in signed.items() if k != "proof"}, offline_loader())
    assert f'<{issuer.did}> <https://schema.org/name> "Example College Alumni" .' in nquads
    [report] = verify_bytes(json.dumps(signed).encode(), Options())
    cred = report.credentials[0]
    assert cred.check("proof").outcome == "pass" and cred.check("structure.graph") is None
