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
