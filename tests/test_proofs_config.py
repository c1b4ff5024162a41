"""The cached proof-configuration path must give exactly what full canonicalization gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lerwallet.ld import canonize
from lerwallet.ld.errors import SafeModeError
from lerwallet.proofs import config as proof_config

V2 = ["https://www.w3.org/ns/credentials/v2"]
V1_DI = ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/security/data-integrity/v2"]
V1_ED = ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/security/suites/ed25519-2020/v1"]
OB3 = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]


def _config(ctx, **options):
    base = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "2024-01-02T03:04:05Z",
            "verificationMethod": "did:key:z6MkA#z6MkA", "proofPurpose": "assertionMethod"}
    base.update(options)
    base["@context"] = ctx
    return base


def _both(config):
    proof_config.clear_cache()
    first = proof_config.canonize_proof_config(config)  # builds the template
    second = proof_config.canonize_proof_config(config)  # uses it
    return first, second, canonize(config)


@pytest.mark.parametrize("ctx", [V2, V1_DI, OB3])
@pytest.mark.parametrize(
    "options",
    [{}, {"challenge": "abc", "domain": "example.org"}, {"verificationMethod": "https://ex.edu/i/1#k"},
     {"proofPurpose": "authentication"}, {"cryptosuite": "ecdsa-rdfc-2019"}, {"expires": "2030-01-01T00:00:00Z"},
     {"verificationMethod": "urn:uuid:1234#k"}, {"id": "urn:uuid:p1"}, {"challenge": 'quote"and\\slash'},
     {"domain": ["a.example", "b.example"]}],
)
def test_fast_path_equals_full_canonicalization(ctx, options):
    first, second, full = _both(_config(ctx, **options))
    assert first == second == full


def test_ed25519_2020_config_on_vc11():
    config = {"type": "Ed25519Signature2020", "created": "2024-01-02T03:04:05Z",
              "verificationMethod": "did:key:z6MkA#z6MkA", "proofPurpose": "assertionMethod", "@context": V1_ED}
    first, second, full = _both(config)
    assert first == second == full


def test_a_proof_option_the_context_does_not_define_is_refused():
    config = _config(["https://www.w3.org/2018/credentials/v1"])  # no DataIntegrityProof / cryptosuite terms
    proof_config.clear_cache()
    with pytest.raises(SafeModeError):
        proof_config.canonize_proof_config(config)


def test_fast_path_is_used_for_the_common_shape(monkeypatch):
    proof_config.clear_cache()
    proof_config.canonize_proof_config(_config(V2))
    calls = []
    monkeypatch.setattr(proof_config, "canonize", lambda *a, **k: calls.append(1))
    proof_config.canonize_proof_config(_config(V2, created="2025-05-05T05:05:05Z", verificationMethod="did:key:zQ#zQ"))
    assert calls == []


_text = st.one_of(
    st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=30),  # fast path
    st.text(alphabet=st.characters(min_codepoint=0x00, max_codepoint=0x2FF), min_size=1, max_size=30),
)


@settings(max_examples=60, deadline=None)
@given(created=_text, vm_tail=_text, challenge=_text)
def test_fast_path_property(created, vm_tail, challenge):
    config = _config(V2, created=created, verificationMethod="did:example:" + vm_tail, challenge=challenge)
    try:
        full = canonize(config)
    except Exception as exc:  # not canonicalizable: the fast path must not be more lenient
        with pytest.raises(type(exc)):
            proof_config.canonize_proof_config(config)
        return
    assert proof_config.canonize_proof_config(config) == full
