"""pyld's uuid1 (libuuid -> uuidd socket) is replaced: no socket from an offline verification.

(Regression tests from verification review review2; each fails on the code before its fix.)"""

from __future__ import annotations

from tests.verify_jwt_helpers import _checks, _verify, issuer  # noqa: F401 - fixtures


# --- 8: pyld's uuid1 (libuuid -> uuidd socket) is not the stdlib one ---------------------------

def test_pyld_uuid1_is_replaced_after_lerwallet_loads_pyld():
    import sys
    import uuid

    from lerwallet.ld import _pyld

    mod = _pyld.jsonld()
    assert sys.modules["pyld.jsonld"] is mod
    assert mod.uuid is not uuid and mod.uuid.uuid1 is not uuid.uuid1
    assert mod.uuid.uuid1().version == 4


def test_inline_scoped_context_never_calls_uuid1(monkeypatch, issuer):
    import uuid

    from lerwallet.ld import canonize

    def boom(*_a, **_k):
        raise AssertionError("uuid.uuid1 called: libuuid would contact the uuidd daemon")

    doc = {"@context": ["https://www.w3.org/ns/credentials/v2",
                        {"Course": {"@id": "https://example.org/Course", "@context": {"hours": "https://example.org/hours"}}}],
           "type": ["VerifiableCredential"], "issuer": issuer.did, "validFrom": "2024-01-01T00:00:00Z",
           "credentialSubject": {"id": "did:example:alice", "type": "Course", "hours": "12"}}
    signed = issuer.sign(doc)
    monkeypatch.setattr(uuid, "uuid1", boom)
    assert "https://example.org/hours" in canonize(signed, engine="pyld")
    assert _checks(_verify(signed))["proof"].outcome == "pass"
