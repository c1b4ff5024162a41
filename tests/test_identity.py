"""The identity library against the real encrypted SQLite store: create, resolve, default
holder, rename/delete, did:web rotation, key import/export, and secret hygiene on disk."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from lerwallet import crypto, identity
from lerwallet.errors import InputError, NotFoundError, UsageError
from lerwallet.keys import dids
from lerwallet.keys.multikey import decode_multikey, encode_multikey
from lerwallet.store import Wallet

FAST = crypto.KdfParams.unsafe_fast_for_tests()
PW = b"correct horse battery"
DID_V1 = "https://www.w3.org/ns/did/v1"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"


@pytest.fixture
def home(tmp_path) -> Path:
    return tmp_path / "w"


@pytest.fixture
def wallet(home):
    w = Wallet.create(home, PW, kdf=FAST)
    yield w
    w.close()


def _snapshot(wallet) -> list:
    return [(i.name, i.did, i.default, [k.id for k in i.keys]) for i in identity.list_identities(wallet)]


def _b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _secret_forms(key_type: str, private: bytes) -> list[bytes]:
    """Every spelling of a private key a leak could take."""
    forms = [private, private.hex().encode(), private.hex().upper().encode(), _b64u(private).encode(),
             base64.b64encode(private)]
    forms.append(crypto.private_to_pkcs8(key_type, private, password=None).split(b"\n")[1])
    try:  # a multibase (base58btc) spelling of the raw private bytes
        from lerwallet.keys.multibase import encode_base58btc

        forms.append(encode_base58btc(private).encode())
    except ImportError:
        pass
    return forms


# --- creating and resolving ------------------------------------------------------------------


@pytest.mark.parametrize("method,key_type", [
    ("key", "ed25519"), ("key", "p256"), ("jwk", "ed25519"), ("jwk", "p256"), ("web", "ed25519"), ("web", "p256"),
])
def test_created_identity_resolves_to_a_matching_document(wallet, method, key_type):
    made = identity.create(wallet, method=method, key_type=key_type,
                           domain="learner.example/alice" if method == "web" else None)
    doc = identity.document(made)
    assert doc["id"] == made.did
    assert doc["@context"][0] == DID_V1
    (vm,) = doc["verificationMethod"]
    assert vm["id"] == made.verification_method and vm["controller"] == made.did
    assert vm["id"] in doc["authentication"] and vm["id"] in doc["assertionMethod"]
    # the document's key is the stored key, and it verifies what the signing key signs
    if "publicKeyMultibase" in vm:
        assert vm["type"] == "Multikey" and MULTIKEY_V1 in doc["@context"]
        doc_type, doc_public = decode_multikey(vm["publicKeyMultibase"])
    else:
        from lerwallet.keys.jwk import jwk_to_public

        doc_type, doc_public = jwk_to_public(vm["publicKeyJwk"])
    assert doc_type == key_type
    assert encode_multikey(doc_type, doc_public) == made.current_key.public_multibase
    signer_type, private, vm_id = identity.signing_key(wallet, made)
    assert (signer_type, vm_id) == (key_type, made.verification_method)
    assert crypto.verify(key_type, doc_public, b"hello", crypto.sign(key_type, private, b"hello"))


@pytest.mark.parametrize("method", ["key", "jwk"])
@pytest.mark.parametrize("key_type", ["ed25519", "p256"])
def test_did_encodings_round_trip(wallet, method, key_type):
    made = identity.create(wallet, method=method, key_type=key_type)
    if method == "key":
        decoded = dids.parse_did_key(made.did)
        assert dids.did_key_from_public(*decoded) == made.did
    else:
        from lerwallet.keys.jwk import jwk_to_public

        decoded = jwk_to_public(dids.parse_did_jwk(made.did))
        assert dids.did_jwk_from_public(*decoded) == made.did
    assert decoded == decode_multikey(made.current_key.public_multibase)


def test_first_identity_is_default_and_others_are_not(wallet):
    with pytest.raises(NotFoundError):
        identity.default_holder(wallet)
    first = identity.create(wallet)
    second = identity.create(wallet, method="jwk")
    assert first.default and not second.default
    assert identity.default_holder(wallet).did == first.did
    assert [i.name for i in identity.list_identities(wallet)] == ["key-1", "jwk-1"]
    identity.use(wallet, "jwk-1")
    assert identity.default_holder(wallet).did == second.did
    third = identity.create(wallet, make_default=True, name="new")
    assert identity.default_holder(wallet).did == third.did


def test_find_by_name_did_or_verification_method(wallet):
    made = identity.create(wallet, name="school")
    for ref in ("school", made.did, made.verification_method):
        assert identity.find(wallet, ref).did == made.did
    with pytest.raises(NotFoundError):
        identity.find(wallet, "did:key:z6MkNotMine")


def test_created_timestamp_comes_from_the_injected_clock(wallet):
    clock = lambda: datetime(2030, 1, 2, 3, 4, 5, 678, tzinfo=timezone.utc)  # noqa: E731
    assert identity.create(wallet, clock=clock).created == "2030-01-02T03:04:05Z"


# --- bad input changes nothing ---------------------------------------------------------------


@pytest.mark.parametrize("kwargs,message", [
    ({"method": "peer"}, "unknown DID method"),
    ({"key_type": "secp256k1"}, "unknown key type"),
    ({"key_type": "p384"}, "unknown key type"),
    ({"method": "web"}, "needs a domain"),
    ({"method": "key", "domain": "a.example"}, "only applies"),
    ({"method": "web", "domain": "https://a.example"}, "scheme"),
    ({"method": "web", "domain": "user@a.example"}, "user information"),
    ({"method": "web", "domain": "10.0.0.1"}, "IP address"),
    ({"name": "has space"}, "invalid identity name"),
    ({"name": "did:key:zfoo"}, "invalid identity name"),
    ({"name": ""}, "invalid identity name"),
])
def test_bad_create_is_refused_and_changes_nothing(wallet, kwargs, message):
    identity.create(wallet, name="existing")
    before = _snapshot(wallet)
    with pytest.raises(UsageError, match=message):
        identity.create(wallet, **kwargs)
    assert _snapshot(wallet) == before


def test_duplicate_name_and_duplicate_did_are_refused(wallet):
    made = identity.create(wallet, name="a")
    before = _snapshot(wallet)
    with pytest.raises(UsageError, match="already exists"):
        identity.create(wallet, name="a")
    _, private, _ = identity.signing_key(wallet, made)
    with pytest.raises(UsageError, match="already in this wallet"):
        identity.create(wallet, private=private, name="b")
    assert _snapshot(wallet) == before


# --- rename, delete ---------------------------------------------------------------------------


def test_rename_keeps_the_did_and_refuses_a_taken_name(wallet):
    a = identity.create(wallet, name="a")
    identity.create(wallet, name="b")
    assert identity.rename(wallet, "a", "work").did == a.did
    with pytest.raises(UsageError):
        identity.rename(wallet, "work", "b")
    with pytest.raises(UsageError):
        identity.rename(wallet, "work", "bad name")
    assert [i.name for i in identity.list_identities(wallet)] == ["work", "b"]


def test_delete_refuses_the_default_and_destroys_others(wallet):
    a = identity.create(wallet, name="a")
    b = identity.create(wallet, name="b")
    with pytest.raises(UsageError, match="default"):
        identity.delete(wallet, "a")
    assert identity.delete(wallet, b.did).name == "b"
    assert [i.did for i in identity.list_identities(wallet)] == [a.did]
    with pytest.raises(NotFoundError):
        identity.signing_key(wallet, b.did)


# --- did:web rotation ------------------------------------------------------------------------


def test_rotate_keeps_old_public_key_listed_and_destroys_its_private_key(wallet):
    web = identity.create(wallet, method="web", domain="learner.example", name="site")
    old_vm = web.verification_method
    _, old_private, _ = identity.signing_key(wallet, web)
    signed_before = crypto.sign("ed25519", old_private, b"presentation")

    rotated = identity.rotate(wallet, "site", key_type="p256")
    assert rotated.did == web.did and rotated.verification_method != old_vm
    assert rotated.key_type == "p256"
    doc = identity.document(rotated)
    ids = [vm["id"] for vm in doc["verificationMethod"]]
    assert ids == [old_vm, rotated.verification_method]
    assert old_vm in doc["authentication"] and old_vm in doc["assertionMethod"]
    # the old key still verifies what it signed, from the published document alone
    old_entry = next(vm for vm in doc["verificationMethod"] if vm["id"] == old_vm)
    assert crypto.verify("ed25519", decode_multikey(old_entry["publicKeyMultibase"])[1], b"presentation",
                         signed_before)
    # the wallet now signs with the new key only, and holds no private part for the old one
    assert identity.signing_key(wallet, "site")[2] == rotated.verification_method
    record = wallet.get(identity.KIND, rotated.record_id)
    assert [("private" in k) for k in record["keys"]] == [False, True]

    with pytest.raises(UsageError, match="current signing key"):
        identity.remove_key(wallet, "site", rotated.verification_method)
    with pytest.raises(NotFoundError):
        identity.remove_key(wallet, "site", "#zNope")
    fragment = old_vm.split("#", 1)[1]
    after = identity.remove_key(wallet, "site", fragment)
    assert [k.id for k in after.keys] == [rotated.verification_method]


def test_rotate_refuses_did_key_and_did_jwk(wallet):
    identity.create(wallet, name="k")
    identity.create(wallet, method="jwk", name="j")
    before = _snapshot(wallet)
    for name in ("k", "j"):
        with pytest.raises(UsageError, match="cannot rotate"):
            identity.rotate(wallet, name)
        with pytest.raises(UsageError):
            identity.remove_key(wallet, name, "#0")
    assert _snapshot(wallet) == before


# --- import / export -------------------------------------------------------------------------


@pytest.mark.parametrize("key_type", ["ed25519", "p256"])
@pytest.mark.parametrize("fmt,password", [("pem", None), ("pem", b"export pass"), ("jwk", None)])
def test_export_then_import_gives_the_same_did(home, tmp_path, key_type, fmt, password):
    with Wallet.create(home, PW, kdf=FAST) as one:
        made = identity.create(one, key_type=key_type)
        kt, private, _ = identity.private_key(one, made)
        data = identity.encode_private(kt, private, key_format=fmt, password=password)
    if password is not None:
        assert b"ENCRYPTED PRIVATE KEY" in data and all(f not in data for f in _secret_forms(kt, private))
    with Wallet.create(tmp_path / "other", PW, kdf=FAST) as two:
        back = identity.import_key(two, data, passphrase=(lambda: password) if password else None)
        assert back.did == made.did
        assert identity.signing_key(two, back)[1] == private


def test_encrypted_key_with_wrong_passphrase_is_refused(wallet):
    private = crypto.generate_private_key("ed25519")
    data = crypto.private_to_pkcs8("ed25519", private, password=b"right")
    with pytest.raises(InputError, match="wrong passphrase"):
        identity.import_key(wallet, data, passphrase=lambda: b"wrong")
    with pytest.raises(UsageError, match="encrypted"):
        identity.import_key(wallet, data)
    assert _snapshot(wallet) == []


def _jwk_variants():
    private = crypto.generate_private_key("p256")
    x, y = crypto.ec_public_xy("p256", crypto.public_key_of("p256", private))
    good = {"kty": "EC", "crv": "P-256", "x": _b64u(x), "y": _b64u(y), "d": _b64u(private)}
    other = crypto.public_key_of("p256", crypto.generate_private_key("p256"))
    ox, oy = crypto.ec_public_xy("p256", other)
    return [
        ({**good, "x": _b64u(ox), "y": _b64u(oy)}, "does not match"),
        ({k: v for k, v in good.items() if k != "d"}, "this is a public key; a private key is needed"),
        ({**good, "d": good["d"][:-3]}, "32 bytes"),
        ({**good, "d": good["d"] + "=="}, "base64url"),
        ({**good, "crv": "P-384"}, "unsupported JWK"),
        ({**good, "kty": "RSA"}, "unsupported JWK"),
        ({"kty": "OKP", "crv": "Ed25519", "d": _b64u(b"\x01" * 32), "x": _b64u(b"\x02" * 32)}, "does not match"),
    ]


@pytest.mark.parametrize("jwk,message", _jwk_variants())
def test_corrupt_jwk_is_refused_and_nothing_changes(wallet, jwk, message):
    identity.create(wallet, name="existing")
    before = _snapshot(wallet)
    with pytest.raises(InputError, match=message):
        identity.import_key(wallet, json.dumps(jwk).encode())
    assert _snapshot(wallet) == before


@pytest.mark.parametrize("data", [
    b"", b"{", b"[1, 2]", b"not a key at all", b"\x30\x82\x01\x00garbage",
    b"-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI\n-----END PRIVATE KEY-----\n",
    b"-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n",
    b"x" * (70 * 1024),
])
def test_unreadable_key_files_are_input_errors(wallet, data):
    with pytest.raises(InputError):
        identity.import_key(wallet, data)
    assert _snapshot(wallet) == []


def test_p384_keys_are_refused(wallet):
    data = crypto.private_to_pkcs8("p384", crypto.generate_private_key("p384"), password=None)
    with pytest.raises(InputError, match="unsupported key type"):
        identity.import_key(wallet, data)


def test_public_export_has_no_private_parts(wallet):
    made = identity.create(wallet, key_type="p256")
    data = identity.public_export(made)
    assert set(data["publicKeyJwk"]) == {"kty", "crv", "x", "y"}
    assert data["publicKeyMultibase"] == made.current_key.public_multibase
    _, private, _ = identity.signing_key(wallet, made)
    text = json.dumps(data).encode() + json.dumps(made.to_dict()).encode()
    assert all(form not in text for form in _secret_forms("p256", private))


# --- secrets never reach the disk in the clear --------------------------------------------------


def test_no_private_key_material_or_did_in_the_store_plaintext(wallet, home):
    made = [identity.create(wallet, key_type=kt, method=m, domain="learner.example" if m == "web" else None)
            for m in ("key", "jwk", "web") for kt in ("ed25519", "p256") if not (m == "web" and kt == "p256")]
    secrets = [(m.key_type, identity.signing_key(wallet, m)[1]) for m in made]
    identity.rotate(wallet, made[-1].name)
    wallet.close()
    blob = b"".join(p.read_bytes() for p in sorted(home.iterdir()) if p.is_file())
    assert blob
    for key_type, private in secrets:
        for form in _secret_forms(key_type, private):
            assert form not in blob
    for m in made:  # record ids are random: the store does not even reveal which DIDs you hold
        assert m.did.encode() not in blob and m.name.encode() not in blob


# --- credentials linked to identities ---------------------------------------------------------


def test_credentials_belong_to_the_identity_named_as_subject(wallet):
    a = identity.create(wallet, name="a")
    b = identity.create(wallet, name="b")
    mine = {"credentialSubject": {"id": a.did}}
    fragment = {"credentialSubject": [{"id": "did:example:x"}, {"id": b.did + "#me"}]}
    jwt_claims = {"sub": b.did, "vc": {"credentialSubject": {}}}
    lookalike = {"credentialSubject": {"id": a.did + "extra"}}
    found = identity.list_identities(wallet)
    assert identity.owner_of(found, mine).did == a.did
    assert identity.owner_of(found, fragment).did == b.did
    assert identity.owner_of(found, jwt_claims).did == b.did
    assert identity.owner_of(found, lookalike) is None
    assert identity.owner_of(found, "not a dict") is None

    class Rec:
        def __init__(self, subject):
            self.summary = {"subject_id": subject}

    records = [Rec(a.did), Rec(b.did), Rec(a.did + "x"), Rec("")]
    assert identity.credentials_of(a, records) == [records[0]]
