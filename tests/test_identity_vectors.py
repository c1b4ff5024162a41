"""Identities made from the did:key specification's published keys resolve to its documents.

Vectors: tests/vectors/identity/ (w3c-ccg/did-method-key test-vectors, see PROVENANCE.md).
The spec's documents use older key formats (Ed25519VerificationKey2018, JsonWebKey2020) and
list keyAgreement; ours use Multikey. So the comparison is on what must agree: the DID, the
verification method id, and the public key bytes.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from lerwallet import crypto, identity
from lerwallet.errors import InputError
from lerwallet.keys.jwk import jwk_to_public
from lerwallet.keys.multibase import b58decode
from lerwallet.keys.multikey import decode_multikey
from lerwallet.store import Wallet

VECTORS = Path(__file__).parent / "vectors" / "identity"
ED = json.loads((VECTORS / "ed25519-x25519.json").read_text())
NIST = json.loads((VECTORS / "nist-curves.json").read_text())


def _b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.fixture
def wallet(tmp_path):
    w = Wallet.create(tmp_path / "w", b"vector wallet", kdf=crypto.KdfParams.unsafe_fast_for_tests())
    yield w
    w.close()


def _our_key(wallet, made) -> tuple[str, bytes]:
    (vm,) = identity.document(made)["verificationMethod"]
    assert vm["id"] == made.verification_method
    return decode_multikey(vm["publicKeyMultibase"])


ED_SEEDED = [(did, v) for did, v in ED.items() if v.get("seed")]


@pytest.mark.parametrize("did,vector", ED_SEEDED, ids=[d[-8:] for d, _ in ED_SEEDED])
@pytest.mark.parametrize("as_pkcs8", [False, True], ids=["jwk", "pkcs8"])
def test_ed25519_seed_resolves_to_the_published_did_and_key(wallet, did, vector, as_pkcs8):
    seed = bytes.fromhex(vector["seed"])
    public = crypto.public_key_of("ed25519", seed)
    if as_pkcs8:
        data = crypto.private_to_pkcs8("ed25519", seed, password=None)
    else:
        data = json.dumps({"kty": "OKP", "crv": "Ed25519", "x": _b64u(public), "d": _b64u(seed)}).encode()
    made = identity.import_key(wallet, data)
    assert made.did == did
    expected_vm = vector["didDocument"]["verificationMethod"][0]
    assert made.verification_method == expected_vm["id"]
    if "publicKeyBase58" in expected_vm:  # Ed25519VerificationKey2018 entries
        expected_key = ("ed25519", b58decode(expected_vm["publicKeyBase58"]))
    else:  # the JsonWebKey2020 entry
        expected_key = jwk_to_public(expected_vm["publicKeyJwk"])
    assert _our_key(wallet, made) == expected_key
    assert identity.document(made)["authentication"] == vector["didDocument"]["authentication"]
    assert identity.document(made)["assertionMethod"] == vector["didDocument"]["assertionMethod"]


P256 = [(did, v) for did, v in NIST.items() if v["verificationMethod"].get("privateKeyJwk", {}).get("crv") == "P-256"]
OTHER_CURVES = [(did, v) for did, v in NIST.items()
                if v["verificationMethod"].get("privateKeyJwk", {}).get("crv") in ("P-384", "P-521")]


def test_the_vector_files_hold_what_the_tests_expect():
    assert len(ED_SEEDED) >= 4 and len(P256) >= 2 and len(OTHER_CURVES) >= 4


@pytest.mark.parametrize("did,vector", P256, ids=[d[-8:] for d, _ in P256])
def test_p256_private_jwk_resolves_to_the_published_did_and_key(wallet, did, vector):
    made = identity.import_key(wallet, json.dumps(vector["verificationMethod"]["privateKeyJwk"]).encode())
    assert made.did == did
    expected_vm = vector["didDocument"]["verificationMethod"][0]
    assert made.verification_method == expected_vm["id"]
    assert _our_key(wallet, made) == jwk_to_public(expected_vm["publicKeyJwk"])


@pytest.mark.parametrize("did,vector", OTHER_CURVES, ids=[d[-8:] for d, _ in OTHER_CURVES])
def test_other_curves_are_refused_on_import(wallet, did, vector):
    with pytest.raises(InputError):
        identity.import_key(wallet, json.dumps(vector["verificationMethod"]["privateKeyJwk"]).encode())
    assert identity.list_identities(wallet) == []
