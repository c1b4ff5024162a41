"""bbs-2023 derived proofs (W3C vc-di-bbs) on BBS ProofVerify (draft-irtf-cfrg-bbs-signatures,
BLS12-381-SHA-256): the draft's own fixtures, the W3C vectors, fixtures made by the reference
JavaScript stack (tests/interop/bbs/README.md) with the reference's verdicts, tampered copies,
and hostile input at the caps."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from lerwallet.cli.app import app
from lerwallet.keys.multibase import b64url_decode, b64url_encode
from lerwallet.keys.resolver import Resolver
from lerwallet.proofs import bbs, bbs2023
from lerwallet.proofs.cbor import decode, encode
from lerwallet.proofs.verify import verify_proofs
from proofs_helpers import load

INTEROP = Path(__file__).parent / "interop" / "bbs"
W3C = Path(__file__).parent / "vectors" / "proofs" / "w3c-bbs"

# --- BBS core: draft-irtf-cfrg-bbs-signatures section 8.4 (BLS12-381-SHA-256 test vectors) -------

DRAFT_PK = bytes.fromhex(
    "a820f230f6ae38503b86c70dc50b61c58a77e45c39ab25c0652bbaa8fa136f2851bd4781c9dcde39fc9d1d52c9e60268"
    "061e7d7632171d91aa8d460acee0e96f1e7c4cfb12d3ff9ab5d5dc91c277db75c845d649ef3c4f63aebc364cd55ded0c")
DRAFT_HEADER = bytes.fromhex("11223344556677889900aabbccddeeff")
DRAFT_PH = bytes.fromhex("bed231d880675ed101ead304512e043ade9958dd0241ea70b4b3957fba941501")
DRAFT_M1 = bytes.fromhex("9872ad089e452c7b6e283dfac2a80d58e8d0ff71cc4d5e310a1debdda4a45f02")
# 8.4.5.1 "Valid Single Message Proof"
DRAFT_PROOF = bytes.fromhex(
    "94916292a7a6bade28456c601d3af33fcf39278d6594b467e128a3f83686a104ef2b2fcf72df0215eeaf69262ffe8194"
    "a19fab31a82ddbe06908985abc4c9825788b8a1610942d12b7f5debbea8985296361206dbace7af0cc834c80f33e0aad"
    "aeea5597befbb651827b5eed5a66f1a959bb46cfd5ca1a817a14475960f69b32c54db7587b5ee3ab665fbd37b506830a"
    "49f21d592f5e634f47cee05a025a2f8f94e73a6c15f02301d1178a92873b6e8634bafe4983c3e15a663d64080678dbf2"
    "9417519b78af042be2b3e1c4d08b8d520ffab008cbaaca5671a15b22c239b38e940cfeaa5e72104576a9ec4a6fad78c5"
    "32381aeaa6fb56409cef56ee5c140d455feeb04426193c57086c9b6d397d9418")


def test_generators_and_message_scalars_match_the_draft():
    q1, *h = bbs.create_generators(11)  # 8.4.3: Q_1, H_1..H_10
    assert q1.to_compressed_bytes().hex() == ("a9ec65b70a7fbe40c874c9eb041c2cb0a7af36ccec1bea48fa2ba4c2eb67ef7f"
                                              "9ecb17ed27d38d27cdeddff44c8137be")
    assert h[9].to_compressed_bytes().hex() == ("a1f229540474f4d6f1134761b92b788128c7ac8dc9b0c52d594931326796730"
                                                "32ac7db3fb3d79b46b13c1c41ee495bca")
    # 8.4.2 msg_scalar_1
    assert bbs.messages_to_scalars([DRAFT_M1]) == [
        0x1CB5BB86114B34DC438A911617655A1DB595ABAFAC92F47C5001799CF624B430]


def test_draft_single_message_proof_verifies_and_every_input_matters():
    assert bbs.proof_verify(DRAFT_PK, DRAFT_PROOF, DRAFT_HEADER, DRAFT_PH, [DRAFT_M1], [0]) is True
    assert bbs.proof_verify(DRAFT_PK, DRAFT_PROOF, DRAFT_HEADER, DRAFT_PH + b"!", [DRAFT_M1], [0]) is False
    assert bbs.proof_verify(DRAFT_PK, DRAFT_PROOF, DRAFT_HEADER[:-1], DRAFT_PH, [DRAFT_M1], [0]) is False
    assert bbs.proof_verify(DRAFT_PK, DRAFT_PROOF, DRAFT_HEADER, DRAFT_PH, [DRAFT_M1[:-1]], [0]) is False
    flipped = bytearray(DRAFT_PROOF)
    flipped[-5] ^= 1  # the challenge
    assert bbs.proof_verify(DRAFT_PK, bytes(flipped), DRAFT_HEADER, DRAFT_PH, [DRAFT_M1], [0]) is False


@pytest.mark.parametrize("proof, why", [
    (DRAFT_PROOF[:-1], r"32\*U bytes"),
    (bytes(48) + DRAFT_PROOF[48:], "compressed BLS12-381 G1 point"),
    (bytes([0xC0]) + bytes(47) + DRAFT_PROOF[48:], "identity"),
    (DRAFT_PROOF[:-32] + bytes(32), "zero or not below the group order"),
    (DRAFT_PROOF[:-32] + b"\xff" * 32, "zero or not below the group order"),
])
def test_malformed_proofs_are_errors_not_verdicts(proof, why):
    with pytest.raises(bbs.BbsError, match=why):
        bbs.proof_verify(DRAFT_PK, proof, DRAFT_HEADER, DRAFT_PH, [DRAFT_M1], [0])


def test_malformed_public_keys_are_refused():
    for key in (DRAFT_PK[:-1], bytes([0xC0]) + bytes(95), b"\x80" + bytes(95)):
        with pytest.raises(bbs.BbsError):
            bbs.public_key_point(key)


def test_disclosed_indexes_must_fit_the_proof():
    with pytest.raises(bbs.BbsError, match="outside"):
        bbs.proof_verify(DRAFT_PK, DRAFT_PROOF, DRAFT_HEADER, DRAFT_PH, [DRAFT_M1], [1])
    with pytest.raises(bbs.BbsError, match="differ in number"):
        bbs.proof_verify(DRAFT_PK, DRAFT_PROOF, DRAFT_HEADER, DRAFT_PH, [], [0])


# --- W3C vc-di-bbs vectors ---------------------------------------------------------------------


def _verify(doc, **kw):
    return verify_proofs(doc, resolver=Resolver(), **kw)


def test_w3c_vectors_get_the_reference_verdict():
    """The W3C vectors name an issuer unrelated to the key: proofs only, as the reference checks them."""
    reference = {r["file"]: r["verified"] for r in json.loads((W3C / "js-verify-results.json").read_text())}
    assert reference == {"derived-reveal.json": False, "derived-reveal-untagged.json": True,
                         "prc-derived-reveal.json": True, "base-signed.json": False}
    for name, verified in reference.items():
        [result] = _verify(load(f"w3c-bbs/{name}"), bind_controller=False)
        assert (result.outcome == "pass") is verified, (name, result)
    # the one the reference rejects is rejected for the same reason (its BBS proof does not verify)
    assert _verify(load("w3c-bbs/derived-reveal.json"), bind_controller=False)[0].code == "invalid_signature"
    assert _verify(load("w3c-bbs/base-signed.json"), bind_controller=False)[0].code == "sd_base_proof"


def test_w3c_prc_proof_value_parses_to_the_published_parts():
    doc = load("w3c-bbs/prc-derived-reveal.json")
    parts = load("w3c-bbs/prc-verify-derived-proof-value.json")
    derived = bbs2023.parse_derived(doc["proof"]["proofValue"])
    assert derived.bbs_proof.hex() == parts["bbsProof"]
    assert derived.label_map == dict(parts["labelMap"])
    assert derived.mandatory_indexes == parts["mandatoryIndexes"]
    assert derived.selective_indexes == parts["adjSelectedIndexes"]
    assert derived.presentation_header == bytes([0x11, 0x33, 0x77, 0xAA])


def test_tag_64_byte_strings_are_read_as_bytes():
    """Some encoders wrap Uint8Arrays in CBOR tag 64 (RFC 8746); the reference decoder reads them."""
    derived = bbs2023.parse_derived(load("w3c-bbs/derived-reveal.json")["proof"]["proofValue"])
    assert derived.presentation_header == bytes([0x11, 0x33, 0x77, 0xAA]) and len(derived.bbs_proof) == 528
    from lerwallet.proofs.cbor import CborError

    with pytest.raises(CborError):
        decode(bytes([0xD8, 0x40, 0x01]), typed_bytes=True)  # tag 64 around an integer
    with pytest.raises(CborError):
        decode(bytes([0xD8, 0x40, 0x41, 0x00]))  # tags stay refused for the other suites


def test_w3c_vector_fails_when_a_disclosed_value_changes_or_a_statement_goes():
    doc = load("w3c-bbs/prc-derived-reveal.json")
    doc["credentialSubject"]["birthCountry"] = "Utopia"
    assert _verify(doc, bind_controller=False)[0].code == "invalid_signature"
    doc = load("w3c-bbs/prc-derived-reveal.json")
    del doc["credentialSubject"]["birthCountry"]
    assert _verify(doc, bind_controller=False)[0].code == "invalid_signature"


# --- the reference JavaScript stack's fixtures (tests/interop/bbs) -----------------------------

REFERENCE = {r["file"]: r for r in json.loads((INTEROP / "js-verify-results.json").read_text())}
EXPECTED_CODES = {
    "js-base.json": "sd_base_proof",
    "tampered-disclosed-value.json": "invalid_signature",
    "tampered-mandatory-value.json": "invalid_signature",
    "tampered-presentation-header.json": "invalid_signature",
    "tampered-wrong-key.json": "invalid_signature",
    "tampered-truncated-proof-value.json": "malformed_proof_value",
    "tampered-extra-statement.json": "malformed_proof_value",
    "tampered-missing-statement.json": "invalid_signature",
}


def test_fixture_set_is_complete():
    files = {p.name for p in INTEROP.glob("*.json") if not p.name.startswith("lerwallet-")} - {"js-verify-results.json"}
    assert files == set(REFERENCE)
    assert [f for f, r in REFERENCE.items() if r["verified"]] == [
        "js-derived.json", "js-derived-no-header.json", "js-derived-mandatory-only.json",
        "js-derived-everything.json"]
    assert set(EXPECTED_CODES) == {f for f, r in REFERENCE.items() if not r["verified"]}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_same_verdict_as_the_reference(name):
    doc = json.loads((INTEROP / name).read_text())
    [result] = _verify(doc)  # issuer binding on: the fixtures' issuer is the key's DID
    assert result.suite == "bbs-2023"
    if REFERENCE[name]["verified"]:
        assert (result.outcome, result.code) == ("pass", ""), result
    else:
        assert (result.outcome, result.code) == ("fail", EXPECTED_CODES[name]), result


def test_each_failure_says_why_in_plain_words():
    reasons = {name: _verify(json.loads((INTEROP / name).read_text()))[0].reason for name in EXPECTED_CODES}
    assert "base proof" in reasons["js-base.json"] and "must derive" in reasons["js-base.json"]
    assert "presentation header" in reasons["tampered-presentation-header.json"]
    assert "statements were added or removed" in reasons["tampered-missing-statement.json"]
    assert "statements the proof does not cover" in reasons["tampered-extra-statement.json"]


def _derived():
    return json.loads((INTEROP / "js-derived.json").read_text())


def _rewrite(doc, change):
    """Decode the derived proofValue, let `change` edit the five CBOR items, encode it again."""
    raw = b64url_decode(doc["proof"]["proofValue"][1:])
    items = decode(raw[3:])
    change(items)
    doc["proof"]["proofValue"] = "u" + b64url_encode(raw[:3] + encode(items))
    return doc


def test_reencoding_unchanged_keeps_it_valid():
    assert _verify(_rewrite(_derived(), lambda items: None))[0].outcome == "pass"


@pytest.mark.parametrize("change, code", [
    (lambda i: i.__setitem__(4, b"another nonce"), "invalid_signature"),
    (lambda i: i.__setitem__(4, b""), "invalid_signature"),
    (lambda i: i.__setitem__(3, list(reversed(i[3]))), "invalid_signature"),  # statement i goes to index i
    (lambda i: i.__setitem__(3, [i[3][0]] * len(i[3])), "malformed_proof_value"),
    (lambda i: i.__setitem__(3, [x + 1 for x in i[3]]), "invalid_signature"),
    (lambda i: i.__setitem__(2, i[2][:-1]), "invalid_signature"),
    (lambda i: i.__setitem__(2, i[2] + [999]), "malformed_proof_value"),
    (lambda i: i.__setitem__(1, {}), "malformed_proof_value"),
    (lambda i: i.__setitem__(0, i[0][:-32]), "invalid_signature"),
    (lambda i: i.__setitem__(0, i[0][:100]), "malformed_proof_value"),
    (lambda i: i.pop(), "malformed_proof_value"),
])
def test_edited_proof_values(change, code):
    [result] = _verify(_rewrite(_derived(), change))
    assert (result.code or result.outcome) == code, result


@pytest.mark.parametrize("mode, code, words", [
    (0x02, "sd_base_proof", "base proof"),
    (0x04, "sd_base_proof", "anonymous holder binding"),
    (0x05, "unsupported_feature", "anonymous holder binding"),
    (0x06, "sd_base_proof", "pseudonyms"),
    (0x07, "unsupported_feature", "pseudonyms"),
    (0x09, "unsupported_feature", "holder-bound pseudonyms"),
    (0x0A, "malformed_proof_value", "unknown bbs-2023 proofValue header"),
])
def test_other_proof_value_headers_are_named(mode, code, words):
    doc = _derived()
    raw = b64url_decode(doc["proof"]["proofValue"][1:])
    doc["proof"]["proofValue"] = "u" + b64url_encode(raw[:2] + bytes([mode]) + raw[3:])
    [result] = _verify(doc)
    assert (result.outcome, result.code) == ("fail", code) and words in result.reason


def test_a_key_of_another_type_is_refused_by_name():
    doc = _derived()
    doc["proof"]["verificationMethod"] = ("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#"
                                          "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")
    [result] = _verify(doc)
    assert result.code == "key_type_mismatch" and "bls12381g2" in result.reason


def test_the_issuer_must_be_the_keys_controller():
    doc = _derived()
    doc["issuer"]["id"] = "did:example:someone-else"
    # the issuer is a mandatory statement: changing it breaks the proof first
    assert _verify(doc)[0].code == "invalid_signature"
    wrong = json.loads((INTEROP / "tampered-wrong-key.json").read_text())
    assert _verify(wrong)[0].code == "invalid_signature"


def test_a_bls_did_key_that_is_not_a_curve_point_is_unresolvable():
    from lerwallet.keys.multikey import MultikeyError, decode_multikey, encode_multikey, varint
    from lerwallet.keys.multibase import encode_base58btc

    vm = _derived()["proof"]["verificationMethod"]
    key_type, public = decode_multikey(vm.split("#")[1])
    assert key_type == "bls12381g2" and len(public) == 96
    assert encode_multikey("bls12381g2", public) == vm.split("#")[1]
    with pytest.raises(MultikeyError, match="G2"):
        decode_multikey(encode_base58btc(varint(0xEB) + b"\xa0" + bytes(95)))


# --- hostile input: caps, and cost at the caps ------------------------------------------------


def _fake_proof(messages: int, disclosed: list[int]) -> bytes:
    """A well-formed proof (valid points, in-range scalars) over `messages` messages that cannot verify."""
    point = DRAFT_PROOF[:48]
    scalar = (5).to_bytes(32, "big")
    return point * 3 + scalar * (3 + messages - len(disclosed) + 1)


def test_at_the_message_cap_a_crafted_proof_costs_little():
    disclosed = [0]
    proof = _fake_proof(bbs.MAX_MESSAGES, disclosed)
    start = time.perf_counter()
    assert bbs.proof_verify(DRAFT_PK, proof, b"", b"", [b"m"], disclosed) is False
    assert time.perf_counter() - start < 10  # about 0.5 s once per process (the generators), then ms


def test_over_the_message_cap_is_refused_before_any_curve_work():
    proof = _fake_proof(bbs.MAX_MESSAGES + 1, [0])
    start = time.perf_counter()
    with pytest.raises(bbs.BbsError, match="at most 1024"):
        bbs.proof_verify(DRAFT_PK, proof, b"", b"", [b"m"], [0])
    assert time.perf_counter() - start < 0.5


@pytest.mark.parametrize("change, words", [
    (lambda i: i.__setitem__(2, list(range(bbs2023.MAX_MESSAGES + 1))), "mandatoryIndexes must be at most 1024"),
    (lambda i: i.__setitem__(3, list(range(bbs2023.MAX_MESSAGES + 1))), "selectiveIndexes must be at most 1024"),
    (lambda i: i.__setitem__(1, {k: k for k in range(bbs2023.MAX_MESSAGES + 1)}), "label map must map at most"),
    (lambda i: i.__setitem__(4, bytes(bbs2023.MAX_PRESENTATION_HEADER + 1)), "at most 4096 bytes"),
    (lambda i: i.__setitem__(3, [2**40]), "selectiveIndexes must be"),
])
def test_caps_on_the_parts_of_a_proof_value(change, words):
    [result] = _verify(_rewrite(_derived(), change))
    assert result.code == "malformed_proof_value" and words in result.reason, result


def test_presentation_header_at_the_cap_is_read():
    doc = _rewrite(_derived(), lambda i: i.__setitem__(4, bytes(bbs2023.MAX_PRESENTATION_HEADER)))
    assert _verify(doc)[0].code == "invalid_signature"  # read in full, and bound into the proof


def test_an_oversized_proof_value_is_refused_unread():
    doc = _derived()
    doc["proof"]["proofValue"] = "u" + "A" * bbs2023.MAX_PROOF_VALUE_CHARS
    start = time.perf_counter()
    [result] = _verify(doc)
    assert result.code == "malformed_proof_value" and "at most 65536" in result.reason
    assert time.perf_counter() - start < 1


# --- the command line, and start-up ------------------------------------------------------------


def test_cli_verifies_a_derived_credential_and_explains_a_base_one():
    runner = CliRunner()
    good = runner.invoke(app, ["verify", str(INTEROP / "js-derived.json"), "--json"])
    assert good.exit_code == 0, good.output
    report = json.loads(good.output)
    assert report["verdict"] == "valid"
    base = runner.invoke(app, ["verify", str(INTEROP / "js-base.json")])
    assert base.exit_code == 1
    assert "base proof" in base.output and "must derive" in " ".join(base.output.split())


def test_the_bls_library_is_not_loaded_for_other_credentials():
    code = ("import sys, json; from lerwallet.keys.resolver import Resolver; from lerwallet.proofs import verify_proofs;"
            "doc = json.load(open(sys.argv[1])); verify_proofs(doc, resolver=Resolver(), bind_controller=False);"
            "print('py_arkworks_bls12381' in sys.modules)")
    other = Path(__file__).parent / "vectors" / "proofs" / "w3c-eddsa" / "eddsa-rdfc-2022-signed.json"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    out = subprocess.run([sys.executable, "-c", code, str(other)], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "False"
    out = subprocess.run([sys.executable, "-c", code, str(INTEROP / "js-derived.json")], capture_output=True,
                         text=True, env=env, check=True)
    assert out.stdout.strip() == "True"


def test_input_is_not_mutated():
    doc = _derived()
    before = copy.deepcopy(doc)
    _verify(doc)
    assert doc == before


def test_w3c_key_material_is_the_vectors_did_key():
    from lerwallet.keys.multikey import encode_multikey

    public = bytes.fromhex(load("w3c-bbs/BBSKeyMaterial.json")["publicKeyHex"])
    vm = load("w3c-bbs/prc-derived-reveal.json")["proof"]["verificationMethod"]
    assert "did:key:" + encode_multikey("bls12381g2", public) == vm.split("#")[0]


def test_a_proof_value_at_the_size_cap_is_read():
    doc = _derived()
    value = doc["proof"]["proofValue"]
    doc["proof"]["proofValue"] = value + "A" * (bbs2023.MAX_PROOF_VALUE_CHARS - len(value))
    [result] = _verify(doc)
    assert result.code == "malformed_proof_value" and "at most" not in result.reason  # decoded, then refused


def test_generators_made_in_threads_are_the_same_points():
    """`serve` verifies in threads: the generator chain grows under a lock, never interleaved."""
    from concurrent.futures import ThreadPoolExecutor

    expected = [g.to_compressed_bytes() for g in bbs.create_generators(64)]
    saved = list(bbs._CHAIN)
    bbs._CHAIN.clear()
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            runs = list(pool.map(lambda n: [g.to_compressed_bytes() for g in bbs.create_generators(n)],
                                 [64, 20, 64, 40, 64, 10, 64, 33]))
    finally:
        bbs._CHAIN[:] = saved
    for run in runs:
        assert run == expected[:len(run)]


def test_a_schema_field_the_holder_withheld_is_explained():
    """The derived badge leaves out achievement.criteria, which the OB 3.0 schema requires."""
    report = json.loads(CliRunner().invoke(app, ["verify", str(INTEROP / "js-derived.json"), "--json"]).output)
    [credential] = report["inputs"][0]["credentials"]
    [schema] = [c for c in credential["checks"] if c["id"] == "schema"]
    assert schema["outcome"] == "warn" and "'criteria' is a required property" in schema["reason"]
    assert "selectively disclosed: fields the schema requires may have been withheld by the holder" in schema["reason"]
    everything = json.loads(CliRunner().invoke(app, ["verify", str(INTEROP / "js-derived-everything.json"),
                                                     "--json"]).output)
    [schema] = [c for c in everything["inputs"][0]["credentials"][0]["checks"] if c["id"] == "schema"]
    assert schema["outcome"] == "pass"


def test_a_holder_signed_presentation_carrying_a_bbs_credential(tmp_path):
    from verify_helpers import Party, presentation

    vp = presentation(Party(), [_derived()], challenge="nonce-1", domain="employer.example")
    (tmp_path / "vp.json").write_text(json.dumps(vp))
    result = CliRunner().invoke(app, ["verify", str(tmp_path / "vp.json"), "--challenge", "nonce-1",
                                      "--domain", "employer.example", "--json"])
    assert result.exit_code == 0, result.output
    [credential] = json.loads(result.output)["inputs"][0]["credentials"]
    checks = {c["id"]: c for c in credential["checks"]}
    assert credential["verdict"] == "valid" and checks["proof"]["outcome"] == "pass"
    assert "bbs-2023" in checks["proof"]["reason"]
    # a BBS badge usually names no subject (unlinkability): the holder binding is a plain warning
    assert checks["holder.binding"]["outcome"] == "warn"
    tampered = presentation(Party(), [json.loads((INTEROP / "tampered-disclosed-value.json").read_text())])
    (tmp_path / "bad.json").write_text(json.dumps(tampered))
    assert CliRunner().invoke(app, ["verify", str(tmp_path / "bad.json")]).exit_code == 1


def test_the_verifier_service_checks_bbs_in_its_threads():
    import warnings

    from lerwallet.serve import ServeConfig, create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    with TestClient(create_app(ServeConfig(verifier=True, threads=2))) as client:
        ok = client.post("/credentials/verify", json={"verifiableCredential": _derived()})
        bad = client.post("/credentials/verify", json={
            "verifiableCredential": json.loads((INTEROP / "js-base.json").read_text())})
    assert ok.status_code == 200 and ok.json()["verified"] is True
    assert bad.status_code == 400 and "base proof" in bad.json()["errors"][0]


_RAW_DERIVED = b64url_decode(json.loads((INTEROP / "js-derived.json").read_text())["proof"]["proofValue"][1:])


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_mutated_proof_values_fail_by_name_never_crash(data):
    """Byte flips, cuts and insertions anywhere in the derived proofValue: a failing result with a
    known code, never an exception and never a pass."""
    raw = bytearray(_RAW_DERIVED)
    kind = data.draw(st.sampled_from(["flip", "cut", "insert"]))
    at = data.draw(st.integers(min_value=0, max_value=len(raw) - 1))
    if kind == "flip":
        raw[at] ^= data.draw(st.integers(min_value=1, max_value=255))
    elif kind == "cut":
        del raw[at:at + data.draw(st.integers(min_value=1, max_value=64))]
    else:
        raw[at:at] = data.draw(st.binary(min_size=1, max_size=16))
    doc = _derived()
    doc["proof"]["proofValue"] = "u" + b64url_encode(bytes(raw))
    [result] = _verify(doc)
    assert result.outcome == "fail"
    assert result.code in {"invalid_signature", "malformed_proof_value", "sd_base_proof", "unsupported_feature"}
