"""ecdsa-sd-2023: base proofs and derived (selectively disclosed) proofs, against the W3C vectors."""

from __future__ import annotations

import copy
import json

import pytest

from lerwallet import crypto
from lerwallet.errors import UsageError
from lerwallet.keys import Resolver
from lerwallet.keys.dids import did_key_from_public
from lerwallet.proofs.cbor import decode, encode
from lerwallet.proofs.ecdsa_sd_derive import (
    DisclosureError,
    _canonicalize_and_group,
    create_base_proof,
    derive,
    is_base_credential,
    parse_base,
    select_json_ld,
)
from lerwallet.proofs.holder_copy import holder_copies
from lerwallet.proofs.verify import verify_proofs

from proofs_helpers import load, private_from_multibase

KEYS = load("w3c-ecdsa-sd/SDKeyMaterial.json")
HMAC_KEY = bytes.fromhex(KEYS["hmacKeyString"])


def _unsigned(case):
    doc = load(f"w3c-ecdsa-sd/{case}-base.json")
    del doc["proof"]  # prc-unsigned.json differs from what the published base proof signed (description)
    return doc


@pytest.mark.parametrize("case", ["employ", "prc"])
def test_deriving_from_the_w3c_base_reproduces_the_published_derived_credential(case):
    derived = derive(load(f"w3c-ecdsa-sd/{case}-base.json"), load(f"w3c-ecdsa-sd/{case}-selective.json"))
    assert derived.document == load(f"w3c-ecdsa-sd/{case}-derived.json")  # byte for byte after JSON parse
    assert derived.mandatory_pointers == load(f"w3c-ecdsa-sd/{case}-mandatory.json")


@pytest.mark.parametrize("case", ["employ", "prc"])
def test_base_transform_matches_the_published_mandatory_split(case):
    transform = load(f"w3c-ecdsa-sd/{case}-base-transform.json")
    _, _, groups = _canonicalize_and_group(_unsigned(case), HMAC_KEY, {"mandatory": transform["mandatoryPointers"]}, None)
    mandatory, non_mandatory, _ = groups["mandatory"]
    assert mandatory == dict(transform["mandatory"]["value"])
    assert non_mandatory == dict(transform["nonMandatory"]["value"])


def test_base_proof_value_parses_and_reencodes_identically():
    proof_value = load("w3c-ecdsa-sd/employ-base.json")["proof"]["proofValue"]
    base = parse_base(proof_value)
    assert base.hmac_key == HMAC_KEY and base.mandatory_pointers == ["/issuer"] and len(base.signatures) == 20
    from lerwallet.proofs.ecdsa_sd_derive import serialize_base

    assert serialize_base(base) == proof_value


@pytest.mark.parametrize("case", ["employ", "prc"])
def test_our_base_proof_with_the_w3c_keys_derives_to_a_credential_that_verifies(case):
    base_private = private_from_multibase(KEYS["baseKeyPair"]["secretKeyMultibase"])
    proof_private = private_from_multibase(KEYS["proofKeyPair"]["secretKeyMultibase"])
    published = load(f"w3c-ecdsa-sd/{case}-base.json")["proof"]
    signed = create_base_proof(_unsigned(case), private_key=base_private, verification_method=published["verificationMethod"],
                               mandatory_pointers=load(f"w3c-ecdsa-sd/{case}-mandatory.json"), created=published["created"],
                               hmac_key=HMAC_KEY, proof_private_key=proof_private, unsafe_unchecked=True)
    ours, theirs = parse_base(signed["proof"]["proofValue"]), parse_base(published["proofValue"])
    assert (ours.public_key, ours.hmac_key, ours.mandatory_pointers) == (theirs.public_key, theirs.hmac_key, theirs.mandatory_pointers)
    assert len(ours.signatures) == len(theirs.signatures)  # ECDSA is randomized: same count, own values
    assert {k: v for k, v in signed["proof"].items() if k != "proofValue"} == {k: v for k, v in published.items() if k != "proofValue"}
    derived = derive(signed, load(f"w3c-ecdsa-sd/{case}-selective.json")).document
    assert {k: v for k, v in derived.items() if k != "proof"} == {
        k: v for k, v in load(f"w3c-ecdsa-sd/{case}-derived.json").items() if k != "proof"}
    results = verify_proofs(derived, resolver=Resolver(), bind_controller=False)
    assert [(r.suite, r.outcome) for r in results] == [("ecdsa-sd-2023", "pass")]


def _badge(issuer_did):
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:8a1c2a4e-1b7f-4f0e-9a55-0f6d7f1c2b10",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_did, "type": ["Profile"], "name": "Example University"},
        "validFrom": "2024-06-01T00:00:00Z",
        "name": "Data Analysis",
        "credentialSubject": {
            "id": "did:example:learner", "type": ["AchievementSubject"],
            "achievement": {"id": "https://uni.example/achievements/data", "type": ["Achievement"], "name": "Data Analysis",
                            "criteria": {"narrative": "Passed the exam"}, "description": "Statistics and Python"},
            "result": [{"type": ["Result"], "value": "A"}, {"type": ["Result"], "value": "distinction"}],
        },
    }


@pytest.fixture(scope="module")
def issued():
    private = crypto.generate_private_key("p256")
    did = did_key_from_public("p256", crypto.public_key_of("p256", private))
    vm = f"{did}#{did.split(':')[2]}"
    return create_base_proof(_badge(did), private_key=private, verification_method=vm,
                             mandatory_pointers=["/issuer", "/validFrom", "/credentialSubject/achievement/name"])


def test_a_verifier_refuses_a_base_credential_in_plain_words(issued):
    [result] = verify_proofs(issued, resolver=Resolver())
    assert (result.outcome, result.code) == ("fail", "sd_base_proof")
    assert result.reason == ("this is an ecdsa-sd-2023 base proof, the issuer's copy for the holder: the holder must "
                             "derive a proof (choosing what to disclose) before sharing it (with lerwallet: import it, "
                             "then present --disclose, or export it for a copy that shows every field)")


def test_base_credential_verifies_as_its_holder_checks_it_and_tampering_fails(issued):
    assert is_base_credential(issued)
    with holder_copies():
        assert [(r.suite, r.outcome) for r in verify_proofs(issued, resolver=Resolver())] == [("ecdsa-sd-2023", "pass")]
        _tampering_fails(issued)


def _tampering_fails(issued):
    for path, value in ((("name",), "Forged"), (("credentialSubject", "achievement", "name"), "Forged"),
                        (("validFrom",), "2020-01-01T00:00:00Z")):
        tampered = copy.deepcopy(issued)
        node = tampered
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value
        assert verify_proofs(tampered, resolver=Resolver())[0].code == "invalid_signature", path


@pytest.mark.parametrize("case", ["employ", "prc"])
def test_w3c_base_credentials_verify_as_the_holders_copy_and_are_refused_to_a_verifier(case):
    with holder_copies():
        results = verify_proofs(load(f"w3c-ecdsa-sd/{case}-base.json"), resolver=Resolver(), bind_controller=False)
    assert [(r.suite, r.outcome) for r in results] == [("ecdsa-sd-2023", "pass")]
    results = verify_proofs(load(f"w3c-ecdsa-sd/{case}-base.json"), resolver=Resolver(), bind_controller=False)
    assert [(r.suite, r.code) for r in results] == [("ecdsa-sd-2023", "sd_base_proof")]


def test_derived_badge_reveals_only_mandatory_and_chosen_fields_and_verifies(issued):
    derived = derive(issued, ["/credentialSubject/result/1/value"]).document
    subject = derived["credentialSubject"]
    assert subject == {"id": "did:example:learner", "type": ["AchievementSubject"],
                       "achievement": {"id": "https://uni.example/achievements/data", "type": ["Achievement"],
                                       "name": "Data Analysis"},
                       "result": [{"type": ["Result"], "value": "distinction"}]}
    assert "name" not in derived and "description" not in subject["achievement"]
    assert derived["validFrom"] == "2024-06-01T00:00:00Z"
    assert [(r.suite, r.outcome) for r in verify_proofs(derived, resolver=Resolver())] == [("ecdsa-sd-2023", "pass")]


def test_derived_badge_tampered_or_with_an_extra_field_fails(issued):
    derived = derive(issued, ["/name"]).document
    tampered = copy.deepcopy(derived)
    tampered["name"] = "Brain Surgery"
    assert verify_proofs(tampered, resolver=Resolver())[0].code == "invalid_signature"
    added = copy.deepcopy(derived)
    added["credentialSubject"]["achievement"]["description"] = "Statistics and Python"  # true, but not signed as shown
    assert verify_proofs(added, resolver=Resolver())[0].outcome == "fail"


def test_only_mandatory_fields_when_nothing_is_chosen(issued):
    derived = derive(issued, []).document
    assert set(derived) == {"@context", "id", "type", "issuer", "validFrom", "credentialSubject", "proof"}
    assert verify_proofs(derived, resolver=Resolver())[0].outcome == "pass"


def test_unknown_pointer_is_a_usage_error_naming_it(issued):
    with pytest.raises(DisclosureError) as exc:
        derive(issued, ["/credentialSubject/nickname"])
    assert isinstance(exc.value, UsageError) and exc.value.exit_code == 2
    assert exc.value.message == "/credentialSubject/nickname names nothing in this credential"
    with pytest.raises(DisclosureError):
        derive(issued, ["credentialSubject"])


def test_deriving_from_a_derived_proof_is_refused():
    from lerwallet.proofs.encoding import MalformedValue

    with pytest.raises(MalformedValue):
        derive(load("w3c-ecdsa-sd/employ-derived.json"), ["/validFrom"])


def test_select_json_ld_keeps_ids_and_types_on_the_path_and_compacts_arrays():
    doc = {"@context": "x", "id": "urn:a", "type": "T", "list": [{"type": "I", "v": 1}, {"type": "I", "v": 2}, 3],
           "o": {"id": "_:b0", "type": "O", "p": 1, "q": 2}}
    assert select_json_ld(doc, ["/list/1/v", "/o/q"]) == {
        "@context": "x", "id": "urn:a", "type": "T", "list": [{"type": "I", "v": 2}], "o": {"type": "O", "q": 2}}
    assert select_json_ld(doc, []) is None


def test_cbor_encode_is_deterministic_and_round_trips():
    value = [b"\x01" * 64, {10: b"x", 2: b"y", 300: b"z"}, [0, 23, 24, 255, 256, 65536, 2**32], "t\u00e9xt"]
    data = encode(value)
    assert decode(data) == value
    assert data[67:69] == b"\xa3\x02"  # map keys sorted by their encoding
    with pytest.raises(ValueError):
        encode(True)
    assert json.dumps(decode(encode({"a": 1})))


def test_a_poison_graph_in_a_base_credential_fails_fast_under_the_work_limit(issued):
    import time

    from hostile import poison_credential

    start = time.perf_counter()
    with holder_copies():
        result = verify_proofs(poison_credential(issued), resolver=Resolver())[0]
    assert result.code == "canonicalization_limit"
    assert time.perf_counter() - start < 5
    from lerwallet.present.disclose import DisclosureError as PresentDisclosureError, derive_ecdsa_sd

    with pytest.raises(PresentDisclosureError) as exc:
        derive_ecdsa_sd(poison_credential(issued), ["/name"])
    assert exc.value.exit_code == 2 and exc.value.message.startswith("cannot derive from this credential: canonicalization limit")


@pytest.mark.parametrize("label", ["_:c14n0", "_:c14n1", "_:c14n7", "_:b0"])
def test_base_transform_does_not_depend_on_the_documents_blank_node_labels(label):
    # Labels carry no data. pyld's URDNA2015 left input labels that look canonical ("_:c14n1")
    # as they were, so naming the subject "_:c14n1" merged it with the credential node.
    transform = load("w3c-ecdsa-sd/employ-base-transform.json")
    doc = _unsigned("employ")
    doc["credentialSubject"]["id"] = label
    _, _, groups = _canonicalize_and_group(doc, HMAC_KEY, {"mandatory": transform["mandatoryPointers"]}, None)
    mandatory, non_mandatory, _ = groups["mandatory"]
    assert mandatory == dict(transform["mandatory"]["value"])
    assert non_mandatory == dict(transform["nonMandatory"]["value"])
