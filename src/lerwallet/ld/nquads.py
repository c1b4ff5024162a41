"""How canonical N-Quads write literals and IRIs: RDFC-1.0's escaping, and the older one.

RDFC-1.0 (W3C Recommendation, 21 May 2024), appendix A "A Canonical form of N-Quads", fixes
one spelling per character. Within a literal (STRING_LITERAL_QUOTE): BS, HT, LF, FF, CR, `"`
and `\\` MUST be written as ECHAR (`\\b \\t \\n \\f \\r \\" \\\\`); U+0000-U+0007, VT (U+000B),
U+000E-U+001F and DEL (U+007F) MUST be written as UCHAR (`\\u` and four uppercase HEX);
everything else as itself. In an IRI (IRIREF), U+0000-U+0020 and `< > " { } | ^ ` \\` cannot
stand as themselves, so UCHAR is their only spelling. Appendix B notes that URDNA2015 (its
Community Group predecessor) wrote "some control characters ... without escaping".

Who writes what (tests/interop/escape/, recorded from the packages themselves):
  - rdf-canonize 4 and 5 (the @digitalbazaar cryptosuites since eddsa-rdfc-2022 1.1 /
    ecdsa-rdfc-2019 1.1 / jsonld-signatures 11.3, and what `npm install @digitalbazaar/vc`
    gives today): the RDFC-1.0 spelling above (`RDFC10`), except that U+FFFE and U+FFFF (not
    XML 1.1 Chars, so UCHAR by the letter of appendix A) stay as themselves; lerwallet does as
    rdf-canonize does there, so what it signs verifies where credentials are checked today.
  - rdf-canonize 3 (jsonld.js 8 `canonize`, used by eddsa-rdfc-2022 1.0, ecdsa-rdfc-2019 1.0
    and jsonld-signatures <= 11.2): only `"`, `\\`, LF and CR escaped in literals, IRIs as they
    are (`LEGACY`).
  - pyld 3.3 (what lerwallet wrote before): `"`, `\\`, HT, LF, CR escaped, IRIs as they are.
A signature over one spelling does not verify over another, although both spell the same
graph. lerwallet signs with `RDFC10`; a verifier tries `LEGACY` once more, only after the
signature failed and only when the canonical N-Quads hold a character the two spell
differently (`differs`): lerwallet.proofs.suites.
"""

from __future__ import annotations

import contextvars
import re
from contextlib import contextmanager
from typing import Iterator

RDFC10 = "rdfc-1.0"
LEGACY = "urdna2015-legacy"  # rdf-canonize 3 / jsonld.js 8

_style: contextvars.ContextVar[str] = contextvars.ContextVar("lerwallet_nquads_style", default=RDFC10)

RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

_ECHAR = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}
_LITERAL_RDFC = re.compile(r'[\x00-\x1f\x7f"\\]')
_LITERAL_LEGACY = re.compile(r'["\\\n\r]')
_IRI_RDFC = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _uchar(c: str) -> str:
    return f"\\u{ord(c):04X}"


def _literal_char(m: re.Match) -> str:
    c = m.group()
    return _ECHAR.get(c) or _uchar(c)


def escape_literal(value: str) -> str:
    """The text of a literal as the current style writes it between its quotes."""
    if _style.get() == RDFC10:
        return _LITERAL_RDFC.sub(_literal_char, value) if _LITERAL_RDFC.search(value) else value
    return _LITERAL_LEGACY.sub(_literal_char, value) if _LITERAL_LEGACY.search(value) else value


def escape_literal_rdfc(value: str) -> str:
    """`escape_literal` in RDFC10, whatever the current style (shape templates hold RDFC10 text)."""
    return _LITERAL_RDFC.sub(_literal_char, value) if _LITERAL_RDFC.search(value) else value


def escape_iri(value: str) -> str:
    """An IRI as the current style writes it between `<` and `>`."""
    if _style.get() == RDFC10 and _IRI_RDFC.search(value):
        return _IRI_RDFC.sub(lambda m: _uchar(m.group()), value)
    return value


def style() -> str:
    return _style.get()


@contextmanager
def legacy() -> Iterator[None]:
    """Within this block canonical N-Quads are written as rdf-canonize 3 wrote them. Results
    remembered by `lerwallet.ld.canon.remembering()` were made with the other spelling, so the
    block canonicalizes afresh (nothing made inside it is remembered)."""
    from lerwallet.ld import canon

    token, memo = _style.set(LEGACY), canon._memo.set(None)
    try:
        yield
    finally:
        canon._memo.reset(memo)
        _style.reset(token)


# In N-Quads written with RDFC10, the escapes that LEGACY writes otherwise: \t \b \f in a
# literal, any UCHAR (in a literal or an IRI). An escaped backslash does not count.
_DIFFERS = re.compile(r"(?<!\\)(?:\\\\)*\\[tbfuU]")


def differs(nquads: str) -> bool:
    """Whether N-Quads written with RDFC10 would be written otherwise by LEGACY."""
    return "\\" in nquads and _DIFFERS.search(nquads) is not None


# RDFC10 writes a backslash as \\ in a literal and as \u005C in an IRI.
_IRI_BACKSLASH = re.compile(r"(?<!\\)(?:\\\\)*\\u005C")


def legacy_ambiguous(nquads: str) -> bool:
    """Whether N-Quads written with RDFC10 hold an IRI with a backslash. LEGACY writes IRIs as
    they are, so such an IRI can make its text another graph's RDFC10 text: an id holding the
    six characters `\\u003C` is written as RDFC10 writes an id holding `<`. Without one, LEGACY
    text can equal no other graph's text in either spelling (literal escapes are unambiguous in
    both, and safe mode keeps whitespace out of IRIs, so statements split the same way)."""
    return "\\u005C" in nquads and _IRI_BACKSLASH.search(nquads) is not None


def serialize_nquad(triple: dict, graph_name: str | None = None) -> str:
    """One statement of a pyld dataset as canonical N-Quads in the current style (drop-in for
    pyld.nquads.serialize_nquad, which escapes as neither RDFC-1.0 nor rdf-canonize 3 does)."""
    s, p, o = triple["subject"], triple["predicate"], triple["object"]
    g = triple.get("name", {"value": graph_name})["value"]
    out = ("<" + escape_iri(s["value"]) + ">" if s["type"] == "IRI" else s["value"]) + " "
    out += ("<" + escape_iri(p["value"]) + ">" if p["type"] == "IRI" else p["value"]) + " "
    if o["type"] == "IRI":
        out += "<" + escape_iri(o["value"]) + ">"
    elif o["type"] == "blank node":
        out += o["value"]
    else:
        out += '"' + escape_literal(o["value"]) + '"'
        if o["datatype"] == RDF_LANGSTRING:
            if o.get("language"):
                out += "@" + o["language"]
        elif o["datatype"] != XSD_STRING:
            out += "^^<" + escape_iri(o["datatype"]) + ">"
    if g is not None:
        out += " " + g if g.startswith("_:") else " <" + escape_iri(g) + ">"
    return out + " .\n"


# Canonical N-Quads, one statement per line (both styles when IRIs hold no `>`; RDFC10 always).
_IRI = r"<([^>]*)>"
_BNODE = r"(_:[A-Za-z0-9_][A-Za-z0-9_.-]*)"
_LITERAL = r'"((?:[^"\\]|\\.)*)"(?:\^\^<([^>]*)>|@([a-zA-Z]+(?:-[a-zA-Z0-9]+)*))?'
_LINE = re.compile(
    f"(?:{_IRI}|{_BNODE}) {_IRI} (?:{_IRI}|{_BNODE}|{_LITERAL})(?: (?:{_IRI}|{_BNODE}))? \\.", re.S
)
_UNESCAPE = re.compile(r'\\(?:([tbnrf"\'\\])|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))')
_ECHAR_BACK = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(text: str, iri: bool = False) -> str:
    if "\\" not in text:
        return text

    def one(m: re.Match) -> str:
        if m.group(1):
            if iri:
                raise ValueError("an ECHAR escape in an IRI")
            return _ECHAR_BACK[m.group(1)]
        return chr(int(m.group(2) or m.group(3), 16))

    out = _UNESCAPE.sub(one, text)
    if "\\" in _UNESCAPE.sub("", text):
        raise ValueError("a backslash that is not an N-Quads escape")
    return out


def parse(nquads: str) -> dict:
    """Canonical N-Quads (`\\n`-terminated lines) as a pyld dataset; escapes undone (pyld's own
    parser undoes only `\\" \\t \\n \\r \\\\`, so it cannot read RDFC-1.0 output back).
    Raises ValueError on anything else."""
    dataset: dict[str, list] = {}
    seen: set[str] = set()
    if nquads and not nquads.endswith("\n"):
        raise ValueError("canonical N-Quads end with a line feed")
    for number, line in enumerate(nquads.split("\n")[:-1], 1):
        m = _LINE.fullmatch(line)
        if m is None:
            raise ValueError(f"not a canonical N-Quads statement (line {number})")
        (s_iri, s_bn, p, o_iri, o_bn, lit, dtype, lang, g_iri, g_bn) = m.groups()
        subject = {"type": "IRI", "value": _unescape(s_iri, True)} if s_iri is not None else {
            "type": "blank node", "value": s_bn}
        if o_iri is not None:
            obj = {"type": "IRI", "value": _unescape(o_iri, True)}
        elif o_bn is not None:
            obj = {"type": "blank node", "value": o_bn}
        else:
            obj = {"type": "literal", "value": _unescape(lit)}
            if dtype is not None:
                obj["datatype"] = _unescape(dtype, True)
            elif lang is not None:
                obj["datatype"], obj["language"] = RDF_LANGSTRING, lang
            else:
                obj["datatype"] = XSD_STRING
        graph = _unescape(g_iri, True) if g_iri is not None else (g_bn or "@default")
        if line in seen:
            continue  # the same statement twice is one statement
        seen.add(line)
        triple = {"subject": subject, "predicate": {"type": "IRI", "value": _unescape(p, True)}, "object": obj}
        dataset.setdefault(graph, []).append(triple)
    return dataset

