"""did:key, did:jwk and did:web: published vectors, round trips, resolution and refusal."""

from __future__ import annotations

import json
import socket

import pytest

from lerwallet import crypto
from lerwallet.keys import (
    ResolutionError,
    Resolver,
    did_jwk_document,
    did_jwk_from_public,
    did_key_document,
    did_key_from_public,
    did_web_document,
    did_web_url,
)
from lerwallet.keys.dids import DidError, parse_did_jwk, parse_did_key
from lerwallet.keys.jwk import jwk_to_public, public_to_jwk
from lerwallet.keys.multibase import b58decode, b64url_decode, b64url_encode
from lerwallet.keys.multikey import encode_multikey

from pathlib import Path

VECTORS = Path(__file__).parent / "vectors"

KEYS = VECTORS / "keys"
DCC = "did:web:digitalcredentials.github.io:dcc-did-web"
DCC_KEY = "z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q"


def _vectors(name):
    return json.loads((KEYS / name).read_text())


def _public(key_type):
    return crypto.public_key_of(key_type, crypto.generate_private_key(key_type))


# --- did:key against the did:key spec's published vectors --------------------------------------


def _vector_public(vm):
    if "publicKeyJwk" in vm:
        return jwk_to_public(vm["publicKeyJwk"])[1]
    return b58decode(vm["publicKeyBase58"])


def test_did_key_nist_vectors_match_spec_documents():
    checked = 0
    for did, vector in _vectors("nist-curves.json").items():
        if did.startswith("did:key:z2J9"):  # P-521: not supported, must be refused clearly
            with pytest.raises(ResolutionError) as exc:
                Resolver().resolve_did(did)
            assert exc.value.code == "invalid_did" and "p521" in exc.value.message
            continue
        key_type, public = parse_did_key(did)
        vm = vector["verificationMethod"]
        assert _vector_public(vm) == public
        assert did_key_from_public(key_type, public) == did
        # the private key in the vector derives the same public key through our crypto module
        if "privateKeyJwk" in vm:
            private = b64url_decode(vm["privateKeyJwk"]["d"])
        else:
            private = b58decode(vm["privateKeyBase58"])
        assert crypto.public_key_of(key_type, private) == public
        theirs = vector["didDocument"]
        if vm["type"] == "JsonWebKey2020":  # same document as the spec's JsonWebKey2020 form
            ours = did_key_document(did, key_format="JsonWebKey2020")
            assert ours["@context"] == theirs["@context"]
            assert ours["verificationMethod"] == theirs["verificationMethod"]
            for rel in ("authentication", "assertionMethod", "capabilityInvocation", "capabilityDelegation"):
                assert ours[rel] == theirs[rel]
        checked += 1
    assert checked == 5


def test_did_key_ed25519_vectors_from_seed():
    vectors = _vectors("ed25519-x25519.json")
    assert len(vectors) == 5
    for did, vector in vectors.items():
        key_type, public = parse_did_key(did)
        assert key_type == "ed25519"
        assert public == _vector_public(vector["verificationKeyPair"])
        assert crypto.public_key_of("ed25519", bytes.fromhex(vector["seed"])) == public
        assert did_key_from_public("ed25519", public) == did
        # the spec's own document dereferences to the same key (2018 and JsonWebKey2020 forms)
        resolver = Resolver(documents={did: vector["didDocument"]})
        vm = resolver.dereference(f"{did}#{did[8:]}")
        assert vm.type == vector["verificationKeyPair"]["type"]
        assert (vm.key_type, vm.public_key) == ("ed25519", public)
        assert resolver.is_authorized(vm, "assertionMethod")


@pytest.mark.parametrize("key_type", ["ed25519", "p256", "p384"])
def test_did_key_round_trip_and_document(key_type):
    public = _public(key_type)
    did = did_key_from_public(key_type, public)
    doc = did_key_document(did)
    value = did[len("did:key:"):]
    assert doc["@context"] == ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]
    assert doc["verificationMethod"] == [
        {"id": f"{did}#{value}", "type": "Multikey", "controller": did, "publicKeyMultibase": value}
    ]
    assert "keyAgreement" not in doc
    resolver = Resolver()
    vm = resolver.dereference(f"{did}#{value}")
    assert did_key_from_public(vm.key_type, vm.public_key) == did
    assert resolver.dereference(did) == vm  # a bare did:key means its only key
    for purpose in ("assertionMethod", "authentication"):
        assert resolver.is_authorized(vm, purpose)
    assert not resolver.is_authorized(vm, "keyAgreement")


def test_did_key_ed25519_2020_format_for_ed25519signature2020():
    did = did_key_from_public("ed25519", _public("ed25519"))
    doc = did_key_document(did, key_format="Ed25519VerificationKey2020")
    assert doc["verificationMethod"][0]["type"] == "Ed25519VerificationKey2020"
    assert doc["@context"][1] == "https://w3id.org/security/suites/ed25519-2020/v1"
    with pytest.raises(DidError):
        did_key_document(did_key_from_public("p256", _public("p256")), key_format="Ed25519VerificationKey2020")


@pytest.mark.parametrize(
    "did",
    ["did:key:", "did:key:6MkhaX", "did:key:z6Mk:extra", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK/path",
     "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme"],  # last: secp256k1
)
def test_did_key_rejects(did):
    with pytest.raises(ResolutionError) as exc:
        Resolver().resolve_did(did)
    assert exc.value.code == "invalid_did"


def test_did_key_methods_are_remembered_and_injected_documents_are_not():
    """A did:key method is a pure function of its URL: one resolver parses it once. A method
    from an injected document is read again each time (the caller may change the document), and
    a failure is never remembered."""
    did = did_key_from_public("ed25519", _public("ed25519"))
    url = f"{did}#{did[8:]}"
    resolver = Resolver()
    assert resolver.dereference(url) is resolver.dereference(url)
    other = did_key_from_public("ed25519", _public("ed25519"))
    doc = did_key_document(other)
    injected = Resolver(documents={other: doc})
    first = injected.dereference(f"{other}#{other[8:]}")
    doc["verificationMethod"][0]["publicKeyMultibase"] = did[8:]  # the document now holds another key
    again = injected.dereference(f"{other}#{other[8:]}")
    assert again.public_key != first.public_key and again.public_key == resolver.dereference(url).public_key
    bad = f"{did}#{other[8:]}"
    for _ in range(2):
        with pytest.raises(ResolutionError):
            resolver.dereference(bad)


def test_did_key_vm_from_another_did_is_not_found():
    a = did_key_from_public("ed25519", _public("ed25519"))
    b = did_key_from_public("ed25519", _public("ed25519"))
    with pytest.raises(ResolutionError) as exc:
        Resolver().dereference(f"{a}#{b[8:]}")
    assert exc.value.code == "not_found"


# --- did:jwk -------------------------------------------------------------------------------------

SPEC_DID_JWK = (  # did:jwk specification, P-256 example
    "did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6ImFjYklRaXVNczNpOF91c3pFakoydHBUdFJNNEVVM3l6OTFQSDZDZEgy"
    "VjAiLCJ5IjoiX0tjeUxqOXZXTXB0bm1LdG00NkdxRHo4d2Y3NEk1TEtncmwyR3pIM25TRSJ9"
)


def test_did_jwk_spec_example():
    doc = did_jwk_document(SPEC_DID_JWK)
    assert doc["verificationMethod"][0]["id"] == SPEC_DID_JWK + "#0"
    assert doc["verificationMethod"][0]["publicKeyJwk"]["crv"] == "P-256"
    assert set(doc) >= {"assertionMethod", "authentication", "keyAgreement"}  # no "use": all
    vm = Resolver().dereference(SPEC_DID_JWK + "#0")
    assert did_jwk_from_public(vm.key_type, vm.public_key) == SPEC_DID_JWK


@pytest.mark.parametrize("key_type", ["ed25519", "p256", "p384"])
def test_did_jwk_round_trip(key_type):
    public = _public(key_type)
    did = did_jwk_from_public(key_type, public)
    vm = Resolver().dereference(did + "#0")
    assert (vm.key_type, vm.public_key, vm.jwk) == (key_type, public, public_to_jwk(key_type, public))


def test_did_jwk_use_limits_relationships():
    jwk = dict(public_to_jwk("ed25519", _public("ed25519")), use="sig")
    doc = did_jwk_document("did:jwk:" + b64url_encode(json.dumps(jwk).encode()))
    assert "keyAgreement" not in doc and "assertionMethod" in doc


@pytest.mark.parametrize(
    "payload",
    [b"not json", b"[1]", json.dumps({"kty": "OKP", "crv": "Ed25519", "x": "AA"}).encode(),
     json.dumps({"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
                 "d": "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}).encode()],
)
def test_did_jwk_rejects(payload):
    with pytest.raises(DidError):
        parse_did_jwk("did:jwk:" + b64url_encode(payload))
    with pytest.raises(DidError):
        parse_did_jwk("did:jwk:" + b64url_encode(b'{"kty":"OKP"}') + "=")


# --- did:web -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "did, url",
    [
        ("did:web:w3c-ccg.github.io", "https://w3c-ccg.github.io/.well-known/did.json"),
        ("did:web:w3c-ccg.github.io:user:alice", "https://w3c-ccg.github.io/user/alice/did.json"),
        ("did:web:example.com%3A3000", "https://example.com:3000/.well-known/did.json"),
        ("did:web:example.com%3A3000:user:alice", "https://example.com:3000/user/alice/did.json"),
        ("did:web:Example.COM", "https://example.com/.well-known/did.json"),
    ],
)
def test_did_web_url(did, url):
    assert did_web_url(did) == url


@pytest.mark.parametrize(
    "did",
    ["did:web:", "did:web:127.0.0.1", "did:web:example.com%3A99999", "did:web:example.com%3Aabc",
     "did:web:exa_mple.com", "did:web:example.com:..", "did:web:example.com::x", "did:web:example.com:a/b",
     "did:web:example.com%2Fevil", "did:web:-bad.com"],
)
def test_did_web_rejects(did):
    with pytest.raises(DidError):
        did_web_url(did)


def test_did_web_document_for_learner():
    keys = [("ed25519", _public("ed25519")), ("p256", _public("p256"))]
    did = "did:web:learner.example:alice"
    doc = did_web_document(did, keys)
    ids = [f"{did}#{encode_multikey(*k)}" for k in keys]
    assert [vm["id"] for vm in doc["verificationMethod"]] == ids
    assert doc["assertionMethod"] == ids and doc["authentication"] == ids
    resolver = Resolver(documents={did: doc})
    for (key_type, public), vm_id in zip(keys, ids):
        vm = resolver.dereference(vm_id)
        assert (vm.key_type, vm.public_key) == (key_type, public)
        assert resolver.is_authorized(vm, "assertionMethod")
    jdoc = did_web_document(did, keys[:1], key_format="JsonWebKey2020")
    assert Resolver(documents={did: jdoc}).dereference(did + "#key-1").public_key == keys[0][1]


def test_did_web_offline_never_opens_a_socket(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a socket was opened")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    with pytest.raises(ResolutionError) as exc:
        Resolver().dereference(f"{DCC}#{DCC_KEY}")
    assert exc.value.code == "offline" and exc.value.exit_code == 4
    with pytest.raises(ResolutionError) as exc:
        Resolver().dereference("https://example.edu/issuers/565049#key-1")
    assert exc.value.code == "offline"


def test_did_web_from_mirrored_cache_embedded_assertion_method():
    resolver = Resolver(did_web_cache=KEYS / "did-web")
    vm = resolver.dereference(f"{DCC}#{DCC_KEY}")  # embedded only under assertionMethod
    assert vm.type == "Ed25519VerificationKey2020" and vm.controller == DCC
    assert did_key_from_public(vm.key_type, vm.public_key) == f"did:key:{DCC_KEY}"
    assert resolver.is_authorized(vm, "assertionMethod")
    assert not resolver.is_authorized(vm, "authentication")
    multikey = resolver.dereference(f"{DCC}:multikey#{DCC_KEY}")
    assert multikey.type == "Multikey" and multikey.public_key == vm.public_key
    with pytest.raises(ResolutionError) as exc:  # not in the cache, and offline
        resolver.resolve_did("did:web:digitalcredentials.github.io:dcc-did-web-bad")
    assert exc.value.code == "offline"


def test_did_web_cache_map_and_escape(tmp_path):
    (tmp_path / "docs").mkdir()
    src = KEYS / "did-web/digitalcredentials.github.io/dcc-did-web/multikey/did.json"
    (tmp_path / "docs/dcc.json").write_bytes(src.read_bytes())
    (tmp_path / "dids.json").write_text(json.dumps({
        f"{DCC}:multikey": "docs/dcc.json", "did:web:evil.example": "../outside.json"}))
    assert Resolver(did_web_cache=tmp_path).resolve_did(f"{DCC}:multikey")["id"] == f"{DCC}:multikey"
    with pytest.raises(ResolutionError) as exc:
        Resolver(did_web_cache=tmp_path).resolve_did("did:web:evil.example")
    assert exc.value.code == "malformed"


def test_cached_document_with_wrong_id_is_refused(tmp_path):
    folder = tmp_path / "example.com/.well-known"
    folder.mkdir(parents=True)
    (folder / "did.json").write_bytes((KEYS / "did-web/digitalcredentials.github.io/dcc-did-web/did.json").read_bytes())
    with pytest.raises(ResolutionError) as exc:
        Resolver(did_web_cache=tmp_path).resolve_did("did:web:example.com")
    assert exc.value.code == "id_mismatch"
    (folder / "did.json").write_text("{not json")
    with pytest.raises(ResolutionError) as exc:
        Resolver(did_web_cache=tmp_path).resolve_did("did:web:example.com")
    assert exc.value.code == "malformed"


# --- verification-method checks -------------------------------------------------------------------


def _doc(did, **vm_overrides):
    public = _public("ed25519")
    vm = {"id": f"{did}#key-1", "type": "Multikey", "controller": did,
          "publicKeyMultibase": encode_multikey("ed25519", public)}
    vm.update(vm_overrides)
    return {"id": did, "verificationMethod": [vm], "assertionMethod": ["#key-1"]}


def test_relative_references_and_authorization():
    did = "did:web:issuer.example"
    resolver = Resolver(documents={did: _doc(did, id="#key-1")})
    vm = resolver.dereference(did + "#key-1")
    assert vm.id == did + "#key-1"
    assert resolver.is_authorized(vm, "assertionMethod")
    assert not resolver.is_authorized(vm, "capabilityInvocation")


@pytest.mark.parametrize(
    "overrides, code",
    [
        ({"controller": "did:web:someone.else"}, "controller_mismatch"),
        ({"type": "EcdsaSecp256k1VerificationKey2019"}, "unsupported_key_type"),
        ({"publicKeyMultibase": "zBAD0"}, "malformed"),
        ({"type": "Ed25519VerificationKey2020",
          "publicKeyMultibase": encode_multikey("p256", crypto.public_key_of("p256", crypto.generate_private_key("p256")))},
         "malformed"),
        ({"publicKeyMultibase": None}, "malformed"),
    ],
)
def test_bad_verification_methods(overrides, code):
    did = "did:web:issuer.example"
    with pytest.raises(ResolutionError) as exc:
        Resolver(documents={did: _doc(did, **overrides)}).dereference(did + "#key-1")
    assert exc.value.code == code


def test_vm_id_from_other_document_is_refused():
    did = "did:web:issuer.example"
    doc = _doc(did, id="did:web:other.example#key-1")
    with pytest.raises(ResolutionError) as exc:
        Resolver(documents={did: doc}).dereference("did:web:other.example#key-1")
    assert exc.value.code in ("offline", "not_found")
    with pytest.raises(ResolutionError) as exc:
        Resolver(documents={did: doc, "did:web:other.example": doc}).dereference("did:web:other.example#key-1")
    assert exc.value.code == "id_mismatch"


def test_unsupported_method_and_not_a_did():
    with pytest.raises(ResolutionError) as exc:
        Resolver().resolve_did("did:example:123")
    assert exc.value.code == "unsupported_method"
    with pytest.raises(ResolutionError) as exc:
        Resolver().dereference("mailto:someone@example.com#k")
    assert exc.value.code == "unsupported_method"


def test_injected_https_controller_document():
    url = "https://example.edu/issuers/565049"
    public = _public("ed25519")
    mk = encode_multikey("ed25519", public)
    doc = {"id": url, "verificationMethod": [{"id": f"{url}#{mk}", "type": "Multikey", "controller": url,
                                             "publicKeyMultibase": mk}], "assertionMethod": [f"{url}#{mk}"]}
    resolver = Resolver(documents={url: doc})
    vm = resolver.dereference(f"{url}#{mk}")
    assert vm.public_key == public and resolver.is_authorized(vm, "assertionMethod")
    # or a bare verification method injected under its own URL
    bare = Resolver(documents={f"{url}#{mk}": doc["verificationMethod"][0]})
    assert bare.dereference(f"{url}#{mk}").public_key == public
