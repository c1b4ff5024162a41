"""Published test vectors: W3C vc-di-eddsa / vc-di-ecdsa and the 1EdTech OB 3.0 / CLR 2.0 vectors.

Ed25519 is deterministic, so signing the vector's unsigned document with the vector key and
proof options must give the exact published proofValue; ECDSA vectors are verified only.
"""

from __future__ import annotations

import copy

import pytest

from lerwallet.keys.resolver import Resolver
from lerwallet.proofs import any_passed, sign, verify_proofs
from proofs_helpers import VECTORS, controller_resolver, load, private_from_multibase

W3C_SIGNED = [
    "w3c-eddsa/eddsa-rdfc-2022-signed.json",
    "w3c-eddsa/eddsa-rdfc-2022-employ-signed.json",
    "w3c-eddsa/ed25519-2020-signed.json",
    "w3c-eddsa/proof-set-signed.json",
    "w3c-eddsa/proof-chain-signed.json",
    "w3c-ecdsa/ecdsa-rdfc-2019-p256-signed.json",
    "w3c-ecdsa/ecdsa-rdfc-2019-p256-employ-signed.json",
    "w3c-ecdsa/ecdsa-rdfc-2019-p384-signed.json",
    "w3c-ecdsa/ecdsa-rdfc-2019-p384-employ-signed.json",
]


@pytest.mark.parametrize("rel", W3C_SIGNED)
def test_w3c_signed_vectors_verify(rel):
    doc = load(rel)
    before = copy.deepcopy(doc)
    # The W3C vectors name an issuer unrelated to the signing key: check the proofs only.
    results = verify_proofs(doc, resolver=Resolver(), bind_controller=False)
    assert [r.outcome for r in results] == ["pass"] * len(results), results
    assert doc == before  # never mutates its input


@pytest.mark.parametrize("rel", W3C_SIGNED)
def test_w3c_vectors_fail_when_a_signed_value_changes(rel):
    doc = load(rel)
    doc["validFrom"] = "2001-01-01T00:00:00Z"
    results = verify_proofs(doc, resolver=Resolver(), bind_controller=False)
    assert [r.code for r in results] == ["invalid_signature"] * len(results)


def test_w3c_issuer_binding_is_on_by_default():
    results = verify_proofs(load("w3c-eddsa/eddsa-rdfc-2022-signed.json"), resolver=Resolver())
    assert results[0].code == "controller_mismatch"
    assert results[0].controller.startswith("did:key:z6Mkr")


def test_p384_uses_sha384_inside_rdfc():
    """The P-384 'employ' vector has blank nodes whose labels depend on RDFC's hash."""
    from lerwallet.proofs.suites import Canonical

    doc = load("w3c-ecdsa/ecdsa-rdfc-2019-p384-employ-signed.json")
    doc.pop("proof")
    expected = (VECTORS / "w3c-ecdsa/ecdsa-rdfc-2019-p384-employ-canon.txt").read_text("utf-8")
    canonical = Canonical(doc, None)
    assert canonical.nquads("sha384") == expected
    assert canonical.nquads("sha256") != expected


@pytest.mark.parametrize(
    "suite,signed_rel",
    [("eddsa-rdfc-2022", "w3c-eddsa/eddsa-rdfc-2022-signed.json"),
     ("Ed25519Signature2020", "w3c-eddsa/ed25519-2020-signed.json")],
)
def test_w3c_eddsa_sign_reproduces_vector_exactly(suite, signed_rel):
    keys = load("w3c-eddsa/keyPair.json")
    expected = load(signed_rel)
    signed = sign(
        load("w3c-eddsa/unsigned.json"),
        suite=suite,
        key_type="ed25519",
        private_key=private_from_multibase(keys["privateKeyMultibase"]),
        verification_method=expected["proof"]["verificationMethod"],
        created=expected["proof"]["created"],
        unsafe_unchecked=True,  # the W3C vector's https issuer is not its did:key signer (docs/verify.md)
    )
    assert signed["proof"]["proofValue"] == expected["proof"]["proofValue"]
    assert signed == expected  # including the @context the suite adds


def test_w3c_proof_set_signing_matches_vector():
    """Sign the two proofs of the published proof set with the published keys."""
    keys = load("w3c-eddsa/multiKeyPairs.json")
    published = load("w3c-eddsa/proof-set-signed.json")
    doc = {k: v for k, v in published.items() if k != "proof"}
    for i, proof in enumerate(published["proof"], start=1):
        doc = sign(
            doc,
            suite="eddsa-rdfc-2022",
            key_type="ed25519",
            private_key=private_from_multibase(keys[f"keyPair{i}"]["privateKeyMultibase"]),
            verification_method=proof["verificationMethod"],
            created=proof["created"],
            proof_id=proof["id"],
            unsafe_unchecked=True,  # https issuer, did:key signers: the W3C vectors (docs/verify.md)
        )
    assert doc == published


def test_w3c_proof_chain_signing_matches_vector():
    keys = load("w3c-eddsa/multiKeyPairs.json")
    published = load("w3c-eddsa/proof-chain-signed.json")
    doc = {k: v for k, v in published.items() if k != "proof"}
    for i, proof in enumerate(published["proof"], start=1):
        doc = sign(
            doc,
            suite="eddsa-rdfc-2022",
            key_type="ed25519",
            private_key=private_from_multibase(keys[f"keyPair{i}"]["privateKeyMultibase"]),
            verification_method=proof["verificationMethod"],
            created=proof["created"],
            proof_id=proof.get("id"),
            previous_proof=proof.get("previousProof"),
            unsafe_unchecked=True,  # https issuer, did:key signers: the W3C vectors (docs/verify.md)
        )
    assert doc == published


def test_proof_chain_with_a_missing_previous_proof_fails_by_name():
    doc = load("w3c-eddsa/proof-chain-signed.json")
    doc["proof"][3]["previousProof"] = "urn:uuid:not-there"
    results = verify_proofs(doc, resolver=Resolver(), bind_controller=False)
    assert [r.code for r in results] == ["", "", "", "malformed_proof"]


def _onetech(name: str):
    values = load(f"1edtech/{name}/expected-values.json")
    controller = values["verificationMethod"].split("#")[0]
    resolver = controller_resolver(controller, values["verificationMethod"], values["publicKeyMultibase"])
    return values, resolver


@pytest.mark.parametrize("name", ["obv3p0", "clrv2p0"])
def test_1edtech_vector_verifies_with_injected_controller_document(name):
    values, resolver = _onetech(name)
    results = verify_proofs(load(f"1edtech/{name}/credential-signed.json"), resolver=resolver)
    assert any_passed(results) and results[0].suite == "eddsa-rdfc-2022", results
    assert results[0].controller == "https://example.edu/issuers/565049"


@pytest.mark.parametrize("name", ["obv3p0", "clrv2p0"])
def test_1edtech_vector_sign_reproduces_proof_value(name):
    values, _ = _onetech(name)
    proof = load(f"1edtech/{name}/proof.json")
    signed = sign(
        load(f"1edtech/{name}/credential-unsigned.json"),
        suite="eddsa-rdfc-2022",
        key_type="ed25519",
        private_key=bytes.fromhex(values["privateKeyHex"])[:32],
        verification_method=values["verificationMethod"],
        created=proof["created"],
    )
    prefix = "ob" if name == "obv3p0" else "clr"
    assert signed["proof"]["proofValue"] == values[f"{prefix}-proof-value"]
    published = load(f"1edtech/{name}/credential-signed.json")
    if isinstance(published["proof"], list):  # the CLR vector wraps its one proof in a list
        published["proof"] = published["proof"][0]
    assert signed == published


@pytest.mark.parametrize("name", ["obv3p0", "clrv2p0"])
def test_1edtech_vector_without_the_controller_document_is_unresolvable(name):
    results = verify_proofs(load(f"1edtech/{name}/credential-signed.json"), resolver=Resolver())
    assert results[0].code == "verification_method_unresolvable"
    assert results[0].outcome == "unknown"  # an https controller document, offline


# --- ecdsa-sd-2023 (derived proofs) -------------------------------------------------------------


@pytest.mark.parametrize("case", ["employ", "prc"])
def test_w3c_ecdsa_sd_derived_vectors_verify(case):
    doc = load(f"w3c-ecdsa-sd/{case}-derived.json")
    results = verify_proofs(doc, resolver=Resolver(), bind_controller=False)
    assert [(r.suite, r.outcome) for r in results] == [("ecdsa-sd-2023", "pass")]


@pytest.mark.parametrize("case", ["employ", "prc"])
def test_w3c_ecdsa_sd_proof_value_parses_to_the_published_parts(case):
    from lerwallet.proofs.ecdsa_sd import parse_derived

    doc = load(f"w3c-ecdsa-sd/{case}-derived.json")
    parts = load(f"w3c-ecdsa-sd/{case}-derived-parts.json")
    base, public, signatures, label_map, mandatory = parse_derived(doc["proof"]["proofValue"])
    assert base.hex() == parts["baseSignature"]
    assert [s.hex() for s in signatures] == parts["signatures"]
    assert label_map == dict(parts["labelMap"])
    assert mandatory == parts["mandatoryIndexes"]


def test_w3c_ecdsa_sd_disclosed_value_change_fails():
    doc = load("w3c-ecdsa-sd/employ-derived.json")
    doc["credentialSubject"]["birthCountry"] = "Narnia"
    assert verify_proofs(doc, resolver=Resolver(), bind_controller=False)[0].code == "invalid_signature"


def test_w3c_ecdsa_sd_mandatory_value_change_fails():
    doc = load("w3c-ecdsa-sd/employ-derived.json")
    doc["validUntil"] = "2099-12-03T00:00:00Z"
    assert verify_proofs(doc, resolver=Resolver(), bind_controller=False)[0].code == "invalid_signature"


def test_w3c_ecdsa_sd_dropping_a_disclosed_statement_fails():
    doc = load("w3c-ecdsa-sd/employ-derived.json")
    del doc["credentialSubject"]["birthCountry"]
    result = verify_proofs(doc, resolver=Resolver(), bind_controller=False)[0]
    assert result.code == "invalid_signature" and "statement" in result.reason


def test_1edtech_ob30_derived_credential_verifies():
    doc = load("1edtech/ob30-sd/derivedcredential.json")
    vm = doc["proof"][0]["verificationMethod"]
    resolver = controller_resolver(vm.split("#")[0], vm, vm.split("#")[1])
    results = verify_proofs(doc, resolver=resolver)
    assert [(r.suite, r.outcome) for r in results] == [("ecdsa-sd-2023", "pass")]
    doc["credentialSubject"]["achievement"]["name"] = "Leadership"
    assert verify_proofs(doc, resolver=resolver)[0].code == "invalid_signature"


# --- 1EdTech validator samples ------------------------------------------------------------------


def _ob_simple_resolver():
    values = load("1edtech/obv3p0/expected-values.json")
    controller = "https://example.com/issuers/876543"
    return controller_resolver(controller, f"{controller}#{values['publicKeyMultibase']}", values["publicKeyMultibase"])


def test_1edtech_simple_is_valid_and_garbled_proof_value_is_not():
    resolver = _ob_simple_resolver()
    assert any_passed(verify_proofs(load("1edtech/simple.json"), resolver=resolver))
    doc = load("1edtech/simple-err-proof-value.json")
    vm = doc["proof"][0]["verificationMethod"]  # its own key, named in the fragment
    bad = verify_proofs(doc, resolver=controller_resolver(vm.split("#")[0], vm, vm.split("#")[1]))
    assert not any_passed(bad) and bad[0].code == "invalid_signature"


def test_1edtech_multiple_proofs_one_good_is_enough():
    results = verify_proofs(load("1edtech/simple-multiple-proofs.json"), resolver=_ob_simple_resolver())
    assert [(r.suite, r.outcome, r.code) for r in results] == [
        ("SomeProofType", "fail", "unknown_proof_type"),
        ("eddsa-rdfc-2022", "pass", ""),
    ]
    assert any_passed(results)


def test_1edtech_no_proof():
    results = verify_proofs(load("1edtech/simple-noproof.json"), resolver=Resolver())
    assert [(r.outcome, r.code, r.reason) for r in results] == [("fail", "no_proof", "no proof")]
    assert not any_passed(results)
