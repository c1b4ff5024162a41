"""`ld.remembering()`: within one verification the same document is canonicalized once."""

from __future__ import annotations

import json

from lerwallet import ld
from lerwallet.ld import canon

DOC = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "id": "urn:uuid:0f6c2a0b-9e01-4d7e-9d7c-1f6c2a0b9e01",
    "type": ["VerifiableCredential"],
    "issuer": "did:example:issuer",
    "credentialSubject": {"id": "did:example:learner"},
}


def _count_engine_calls(monkeypatch) -> list:
    calls = []
    real = canon._pyld_canonize

    def counting(doc, load, safe):
        calls.append(1)
        return real(doc, load, safe)

    monkeypatch.setattr(canon, "_pyld_canonize", counting)
    return calls


def test_second_canonicalization_is_served_inside_the_block(monkeypatch):
    calls = _count_engine_calls(monkeypatch)
    with ld.remembering():
        first = ld.canonize(DOC, engine="pyld")
        again = ld.canonize(json.loads(json.dumps(DOC)), engine="pyld")  # equal content, new object
    assert first == again and calls == [1]


def test_nothing_is_remembered_outside_or_across_blocks(monkeypatch):
    calls = _count_engine_calls(monkeypatch)
    ld.canonize(DOC, engine="pyld")
    ld.canonize(DOC, engine="pyld")
    with ld.remembering():
        ld.canonize(DOC, engine="pyld")
    with ld.remembering():
        ld.canonize(DOC, engine="pyld")
    assert calls == [1, 1, 1, 1]


def test_a_changed_document_is_canonicalized_again(monkeypatch):
    calls = _count_engine_calls(monkeypatch)
    with ld.remembering():
        a = ld.canonize(DOC, engine="pyld")
        b = ld.canonize({**DOC, "issuer": "did:example:other"}, engine="pyld")
    assert a != b and calls == [1, 1]


def test_other_loaders_are_never_remembered(monkeypatch):
    calls = _count_engine_calls(monkeypatch)
    offline = ld.offline_loader()

    def custom(url):  # same bytes, but not marked as the bundled offline loader
        return offline(url)

    with ld.remembering():
        ld.canonize(DOC, custom, engine="pyld")
        ld.canonize(DOC, custom, engine="pyld")
    assert calls == [1, 1]


def test_a_shallow_copy_is_served_without_serializing_it(monkeypatch):
    """The warm path: the proof and the graph cross-check each pass a shallow copy of one parsed
    document (new dict, same values); the second is found by identity, no JSON text computed."""
    calls = _count_engine_calls(monkeypatch)
    texts = []
    real = canon._json_text
    monkeypatch.setattr(canon, "_json_text", lambda doc: texts.append(1) or real(doc))
    signed = {**DOC, "proof": {"type": "DataIntegrityProof"}}
    with ld.remembering():
        first = ld.canonize({k: v for k, v in signed.items() if k != "proof"}, engine="pyld")
        again = ld.canonize({k: v for k, v in signed.items() if k != "proof"}, engine="pyld")
    assert first == again and calls == [1] and texts == []


def test_same_values_other_flags_are_not_served(monkeypatch):
    calls = _count_engine_calls(monkeypatch)
    with ld.remembering():
        ld.canonize(DOC, engine="pyld")
        ld.canonize(dict(DOC), engine="pyld", safe=False)
        ld.canonize(json.loads(json.dumps(DOC)), engine="pyld", safe=False)
    assert calls == [1, 1]
