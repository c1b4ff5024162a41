"""bbs-2023, the holder's side: BBS Verify and ProofGen against the draft's fixtures, base proofs
checked, disclosures derived and verified here and by the reference JavaScript stack
(tests/interop/bbs/README.md, lerwallet-verify-results.json)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from lerwallet.keys.resolver import Resolver
from lerwallet.proofs import bbs
from lerwallet.proofs.bbs2023 import parse_derived
from lerwallet.proofs.bbs2023_derive import derive, parse_base, verify_base
from lerwallet.proofs.ecdsa_sd_derive import DisclosureError
from lerwallet.proofs.suites import SuiteFailure
from lerwallet.proofs.verify import verify_proofs
from proofs_helpers import load
from test_proofs_bbs import DRAFT_HEADER, DRAFT_M1, DRAFT_PH, DRAFT_PK, DRAFT_PROOF

INTEROP = Path(__file__).parent / "interop" / "bbs"
# draft-irtf-cfrg-bbs-signatures 8.4.4.1 "Valid Single Message Signature"
DRAFT_SIGNATURE = bytes.fromhex(
    "84773160b824e194073a57493dac1a20b667af70cd2352d8af241c77658da5253aa8458317cca0eae615690d55b1f27164"
    "657dcafee1d5c1973947aa70e2cfbb4c892340be5969920d0916067b4565a0")
# 8.4.5.1: r1, r2, e~, r1~, r3~ (no undisclosed messages)
DRAFT_RANDOM = [0x60CA409F6B0563F687FC471C63D2819F446F39C23BB540925D9D4254AC58F337,
                0x2CEFF4982DE0C913090F75F081DF5EC594C310BB48C17CFDAAB5332A682EF811,
                0x6101C4404895F3DFF87AB39C34CB995AF07E7139E6B3847180FFDD1BC8C313CD,
                0x0DFCFFD97A6ECDEBEF3C9C114B99D7A030C998D938905F357DF62822DEE072E8,
                0x639E3417007D38E5D34BA8C511E836768DDC2669FDD3FAFF5C14AD27AC2B2DA1]
SELECTIVE = ["/credentialSubject/achievement/description", "/credentialSubject/result/1/value"]


def _json(name):
    return json.loads((INTEROP / name).read_text("utf-8"))


def test_draft_signature_verifies_and_a_changed_message_does_not():
    assert bbs.verify_signature(DRAFT_PK, DRAFT_SIGNATURE, DRAFT_HEADER, [DRAFT_M1]) is True
    assert bbs.verify_signature(DRAFT_PK, DRAFT_SIGNATURE, DRAFT_HEADER, [DRAFT_M1 + b"!"]) is False
    assert bbs.verify_signature(DRAFT_PK, DRAFT_SIGNATURE, DRAFT_HEADER + b"!", [DRAFT_M1]) is False
    with pytest.raises(bbs.BbsError):
        bbs.verify_signature(DRAFT_PK, DRAFT_SIGNATURE[:-1], DRAFT_HEADER, [DRAFT_M1])


def test_proof_gen_with_the_drafts_mocked_scalars_reproduces_its_proof():
    proof = bbs.proof_gen(DRAFT_PK, DRAFT_SIGNATURE, DRAFT_HEADER, DRAFT_PH, [DRAFT_M1], [0],
                          random_scalars=DRAFT_RANDOM)
    assert proof == DRAFT_PROOF


def test_fresh_proofs_verify_and_are_unlinkable():
    one = bbs.proof_gen(DRAFT_PK, DRAFT_SIGNATURE, DRAFT_HEADER, b"a", [DRAFT_M1], [])
    two = bbs.proof_gen(DRAFT_PK, DRAFT_SIGNATURE, DRAFT_HEADER, b"a", [DRAFT_M1], [])
    assert one != two
    assert bbs.proof_verify(DRAFT_PK, one, DRAFT_HEADER, b"a", [], []) is True
    assert bbs.proof_verify(DRAFT_PK, two, DRAFT_HEADER, b"b", [], []) is False


def test_base_proofs_of_the_reference_and_the_w3c_vectors_check_out():
    verify_base(_json("js-base.json"))
    verify_base(load("w3c-bbs/base-signed.json"))
    changed = _json("js-base.json")
    changed["credentialSubject"]["achievement"]["description"] = "Statistics, Python and R."
    with pytest.raises(SuiteFailure, match="BBS signature does not match"):
        verify_base(changed)
    mandatory = _json("js-base.json")
    mandatory["credentialSubject"]["achievement"]["name"] = "Data Science"
    with pytest.raises(SuiteFailure, match="header does not match"):
        verify_base(mandatory)


def test_deriving_from_the_w3c_base_gives_the_w3c_disclosure():
    """Everything but the (randomized) BBS proof: reveal document, label map, indexes."""
    ph = bytes([0x11, 0x33, 0x77, 0xAA])
    derived = derive(load("w3c-bbs/base-signed.json"), ["/credentialSubject/boards/0", "/credentialSubject/boards/1"],
                     presentation_header=ph).document
    vector = load("w3c-bbs/derived-reveal-untagged.json")
    assert {k: v for k, v in derived.items() if k != "proof"} == {k: v for k, v in vector.items() if k != "proof"}
    ours, theirs = parse_derived(derived["proof"]["proofValue"]), parse_derived(vector["proof"]["proofValue"])
    assert (ours.label_map, ours.mandatory_indexes, ours.selective_indexes, ours.presentation_header) == (
        theirs.label_map, theirs.mandatory_indexes, theirs.selective_indexes, theirs.presentation_header)
    assert [r.outcome for r in verify_proofs(derived, resolver=Resolver(), bind_controller=False)] == ["pass"]


def test_deriving_from_the_reference_base_matches_the_references_derivation():
    base = _json("js-base.json")
    before = copy.deepcopy(base)
    derived = derive(base, SELECTIVE, presentation_header=b"lerwallet nonce").document
    assert base == before
    reference = _json("js-derived.json")
    assert {k: v for k, v in derived.items() if k != "proof"} == {k: v for k, v in reference.items() if k != "proof"}
    ours, theirs = parse_derived(derived["proof"]["proofValue"]), parse_derived(reference["proof"]["proofValue"])
    assert (ours.label_map, ours.mandatory_indexes, ours.selective_indexes) == (
        theirs.label_map, theirs.mandatory_indexes, theirs.selective_indexes)
    assert [r.outcome for r in verify_proofs(derived, resolver=Resolver())] == ["pass"]
    tampered = copy.deepcopy(derived)
    tampered["credentialSubject"]["result"][0]["value"] = "A+"
    assert verify_proofs(tampered, resolver=Resolver())[0].code == "invalid_signature"


def test_the_reference_verified_what_lerwallet_derived():
    results = {r["file"]: r for r in _json("lerwallet-verify-results.json")}
    assert set(results) == {"lerwallet-derived.json", "lerwallet-derived-mandatory-only.json",
                            "lerwallet-derived-everything.json"}
    assert all(r["verified"] is True and r["tamperedVerified"] is False for r in results.values())
    for name in results:
        assert [r.outcome for r in verify_proofs(_json(name), resolver=Resolver())] == ["pass"], name


def test_nothing_to_disclose_and_bad_pointers_are_refused():
    base = _json("js-base.json")
    with pytest.raises(DisclosureError, match="names nothing"):
        derive(base, ["/credentialSubject/nothing"])
    pointers = parse_base(base["proof"]["proofValue"]).mandatory_pointers
    assert pointers == ["/issuer", "/validFrom", "/credentialSubject/achievement/name"]
    with pytest.raises(DisclosureError, match="no single bbs-2023 proof"):
        derive(_json("js-derived.json") | {"proof": []}, SELECTIVE)
