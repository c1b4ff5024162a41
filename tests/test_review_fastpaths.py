"""Adversarial checks of the warm-path shortcuts (issue #10, review): each shortcut must read a
document exactly as the general path does. Real keys, real signatures, real canonicalization,
real pyoxigraph; the general path is the reference each time.

- ld.canon `remembering()`: within one verification a canonicalization is served from the first
  one by the identity of the document's top-level values. Every hit here is canonicalized afresh
  too and must be the same text, over credentials, presentations (several credentials, one of
  them twice, a tampered copy beside its original), CLRs and endorsements.
- verify.graph's plain reader of canonical N-Quads against pyoxigraph, on documents whose
  strings and ids hold what N-Quads must escape, and the cross-check's verdicts with either.
- formats.json_doc.loads skipping the whole-document walk for small inputs: the same verdict
  as the walk on random documents.
"""

from __future__ import annotations

import copy
import json
import random

import pytest

from lerwallet.ld import canon, canonize
from lerwallet.ld.errors import LDError
from lerwallet.ld.loader import offline_loader
from lerwallet.verify import Options, graph, verify_bytes
from tests.clr_helpers import signed_clr
from tests.verify_helpers import Party, badge, presentation


@pytest.fixture(scope="module")
def issuer():
    return Party()


# --- the memo of one verification ------------------------------------------------------------


@pytest.fixture()
def served(monkeypatch) -> list:
    """Every result the memo serves, with the document canonicalized again without it."""
    hits: list = []
    find = canon._Memo.find

    def checked(self, doc, safe, engine):
        found = find(self, doc, safe, engine)
        if found is not None:
            token = canon._memo.set(None)
            try:
                hits.append((found, canon.canonize(doc, safe=safe, engine=engine)))
            finally:
                canon._memo.reset(token)
        return found

    monkeypatch.setattr(canon._Memo, "find", checked)
    return hits


def _verdicts(doc) -> list[str]:
    [report] = verify_bytes(json.dumps(doc).encode(), Options())
    return [c.verdict for c in report.credentials] + [report.verdict]


def test_what_the_memo_serves_is_what_canonicalization_gives(issuer, served):
    other, holder = Party(), Party()
    first = issuer.sign(badge(issuer, name="First Aid", subject=holder.did))
    second = issuer.sign(badge(issuer, name="Teamwork", subject=holder.did, id="urn:uuid:7d1f0e0c-1c2b-4a55-9a0e-5c1b2e3f4a5b"))
    # The same shape, the same top-level keys, another name: signed for "First Aid", shows "PhD".
    forged = copy.deepcopy(first)
    forged["name"] = forged["credentialSubject"]["achievement"]["name"] = "PhD"
    endorsement = other.sign({
        "@context": badge(issuer)["@context"], "id": "urn:uuid:9b8c7d6e-0000-4000-8000-000000000001",
        "type": ["VerifiableCredential", "EndorsementCredential"], "issuer": {"id": other.did, "type": ["Profile"]},
        "validFrom": "2024-01-01T00:00:00Z", "name": "Endorsed",
        "credentialSubject": {"id": "https://example.edu/achievements/1", "type": ["EndorsementSubject"]}})
    endorsed = badge(issuer, name="Endorsed badge")
    endorsed["credentialSubject"]["achievement"]["endorsement"] = [endorsement]
    assert _verdicts(first) == ["valid", "valid"]
    assert _verdicts(forged)[0] == "invalid"
    vp = presentation(holder, [first, second, copy.deepcopy(first), forged])
    assert _verdicts(vp)[:4] == ["valid", "valid", "valid", "invalid"]
    assert _verdicts(issuer.sign(endorsed))[0] == "valid"
    assert _verdicts(signed_clr(issuer, 3))[0] == "valid"
    assert len(served) >= 8  # the memo was used: proof and cross-check, for each of these
    assert all(got == fresh for got, fresh in served)


def test_equal_top_level_values_are_the_only_identity_match():
    """Documents built of other objects are served only by equal JSON text; other flags never."""
    doc = badge(Party(), name="A")
    load = offline_loader()
    with canon.remembering():
        want = canonize(doc, load)
        other = json.loads(json.dumps(doc))
        other["credentialSubject"]["achievement"]["name"] = "B"
        assert canonize(other, load) != want
        assert canonize(json.loads(json.dumps(doc)), load) == want
        assert canonize(dict(doc), load) == want
        reordered = dict(reversed(list(doc.items())))
        assert canonize(reordered, load) == want  # key order does not change a JSON-LD graph


# --- the plain reader of canonical N-Quads ------------------------------------------------------

# Strings that N-Quads must escape or that look like N-Quads syntax, as texts and inside ids.
_SYNTAX = ['x" .\n<did:example:s> <https://schema.org/name> "y', 'a\\', '\\"', '\\u0022', '\\n', '"', '"@en',
           '"^^<http://www.w3.org/2001/XMLSchema#string>', " .", "> <", "_:c14n0", "\r\n", "\u2028", "\x85", "\ufeff",
           "\U0001F600", "\ud7ff", "é", "a b", "%zz", "%41", "[::1]", "a#b#c", "?q=<x>"]
HOSTILE = [f"a{chr(c)}b" for c in range(128)] + _SYNTAX


def _placed(issuer: Party, text: str) -> list[dict]:
    """`text` as a displayed literal, inside IRIs, in a value object and a datatype."""
    docs = []
    doc = badge(issuer, name=text)
    doc["description"] = {"@value": text, "@language": "en"}
    docs.append(doc)
    doc = badge(issuer)
    doc["credentialSubject"]["achievement"]["id"] = "https://example.edu/achievements/" + text
    doc["credentialSubject"]["achievement"]["description"] = {"@value": text, "@type": "https://example.org/t/" + text}
    docs.append(doc)
    docs.append(badge(issuer, id="urn:example:" + text, subject="did:example:" + text))
    doc = badge(issuer)
    doc["issuer"]["id"] = "https://issuer.example/" + text
    docs.append(doc)
    return docs


def _oxigraph(nquads: str):
    try:
        return graph._oxigraph_triples(nquads)
    except Exception:  # graph.check takes any exception as "cannot read"
        return None


def _check(doc: dict):
    found = graph.check(doc, offline_loader())
    return None if found is None else (found.outcome, found.code, found.reason)


def test_hostile_strings_are_read_as_pyoxigraph_reads_them(issuer, monkeypatch):
    load = offline_loader()
    read = plain = 0
    verdicts = []
    for text in HOSTILE:
        for doc in _placed(issuer, text):
            try:
                nquads = canonize(doc, load)
            except (LDError, UnicodeError):
                continue
            read += 1
            triples = graph._plain_triples(nquads)
            if triples is not None:
                plain += 1
                assert triples == _oxigraph(nquads), text
            verdicts.append((doc, _check(doc)))
    assert read > 300 and plain > 100, (read, plain)
    monkeypatch.setattr(graph, "_plain_triples", lambda nquads: None)  # pyoxigraph reads everything
    for doc, verdict in verdicts:
        assert _check(doc) == verdict


def test_a_hostile_name_cannot_hide_a_swap_from_either_reader(issuer, monkeypatch):
    """The displayed title differs from the signed one, the title holding N-Quads syntax."""
    for text in _SYNTAX:
        doc = badge(issuer, name="First Aid")
        doc["https://schema.org/name"] = doc.pop("name")
        doc["name"] = text
        try:
            canonize(doc, offline_loader())
        except (LDError, UnicodeError):
            continue
        found = graph.check(doc, offline_loader())
        assert found is not None and found.code == "display_mismatch", text
        with monkeypatch.context() as m:
            m.setattr(graph, "_plain_triples", lambda nquads: None)
            assert _check(doc) == (found.outcome, found.code, found.reason)


# --- the shape caps of small JSON inputs ------------------------------------------------------


def _random_json(rng: random.Random) -> object:
    from lerwallet.formats import limits

    def value(depth: int) -> object:
        r = rng.random()
        if depth > 6 or r < 0.35:
            return rng.choice([0, 1.5, "s", None, True, "", "https://x.example/"])
        if r < 0.55:
            return [value(depth + 1) for _ in range(rng.choice([0, 1, 2, 3, 8]))]
        obj = {}
        for key in rng.sample(["a", "b", "id", "type", "proof", "@context"], rng.randrange(0, 5)):
            if key == "proof" and rng.random() < 0.6:
                obj[key] = [{"type": "p"} for _ in range(limits.MAX_PROOFS + rng.choice([-1, 0, 1, 2]))]
            elif key == "@context" and rng.random() < 0.6:
                obj[key] = ["c"] * (limits.MAX_CONTEXT_ENTRIES + rng.choice([-1, 0, 1])) if rng.random() < 0.8 else "c"
            else:
                obj[key] = value(depth + 1)
        return obj

    doc = value(0)
    for _ in range(rng.choice([0, 0, 1, 5, limits.MAX_JSON_DEPTH - 3, limits.MAX_JSON_DEPTH - 1, limits.MAX_JSON_DEPTH + 1])):
        doc = {"n": doc} if rng.random() < 0.5 else [doc]
    return doc


def test_small_inputs_are_refused_exactly_when_the_whole_document_walk_refuses_them():
    """json_doc.loads (per-object caps in the parser, the walk only above SMALL_INPUT) against
    the walk over every input, as loads was before the shortcut."""
    from lerwallet.formats.errors import FormatError
    from lerwallet.formats.json_doc import SMALL_INPUT, check_shape, loads
    from lerwallet.jsonutil import loads_untrusted

    rng = random.Random(10)
    refused = small = 0
    for _ in range(3000):
        text = json.dumps(_random_json(rng), separators=(",", ":") if rng.random() < 0.5 else None)
        small += len(text) <= SMALL_INPUT
        try:
            check_shape(loads_untrusted(text))
            before = None
        except FormatError as exc:
            before = exc.code
        except ValueError:  # nesting Python's json cannot take: both refuse it
            before = "too-deep"
        try:
            loads(text.encode())
            after = None
        except FormatError as exc:
            after = exc.code
        assert (before is None) == (after is None), (before, after, text[:200])
        refused += after is not None
    assert small > 2000 and 500 < refused < 2500, (small, refused)


def test_status_lists_read_within_one_verification_are_served_as_canonicalized(tmp_path, issuer, served):
    """Two credentials of one presentation name one status list (revoked at 5, not at 6): the
    list is verified for each, within one memo; what it serves is what canonicalization gives."""
    from lerwallet.verify import verify_inputs
    from tests.test_verify_status_entries import LIST_URL, _cache, _status_list
    from tests.verify_helpers import write

    holder = Party()

    def with_status(index: str) -> dict:
        status = {"id": f"{LIST_URL}#{index}", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
                  "statusListIndex": index, "statusListCredential": LIST_URL}
        return issuer.sign(badge(issuer, subject=holder.did, credentialStatus=status,
                                 id=f"urn:uuid:5a7e0000-0000-4000-8000-00000000000{index}"))

    cache = _cache(tmp_path, _status_list(issuer, revoked=[5]))
    vp = presentation(holder, [with_status("5"), with_status("6")])
    [report] = verify_inputs([str(write(tmp_path / "vp.json", vp))], Options(status_cache=cache))
    outcomes = [c.check("status.revocation").outcome for c in report.credentials]
    assert outcomes == ["fail", "pass"]
    assert len(served) >= 4 and all(got == fresh for got, fresh in served)


def test_threads_each_have_their_own_memo(issuer, served):
    """`serve` verifies on several threads: each verification's memo is its own (a context
    variable), so a thread is never served another's canonicalization, forged or honest."""
    import threading

    honest = [issuer.sign(badge(issuer, name=f"Badge {n}", id=f"urn:uuid:7e57ab1e-0000-4000-8000-00000000000{n}"))
              for n in range(4)]
    forged = []
    for doc in honest:
        copied = copy.deepcopy(doc)
        copied["name"] = copied["credentialSubject"]["achievement"]["name"] = "PhD"
        forged.append(copied)
    inputs = [(json.dumps(d).encode(), want) for d, want in [(d, "valid") for d in honest] + [(d, "invalid") for d in forged]]
    failures: list = []

    def work(offset: int) -> None:
        try:
            for round_ in range(3):
                for i in range(len(inputs)):
                    data, want = inputs[(i + offset + round_) % len(inputs)]
                    [report] = verify_bytes(data, Options())
                    if report.verdict != want:
                        failures.append((offset, i, report.verdict))
        except Exception as exc:  # noqa: BLE001  any error in a thread fails the test
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(k * 3,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert len(served) >= 4 * 3 * len(inputs) // 2 and all(got == fresh for got, fresh in served)
