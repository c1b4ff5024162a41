"""Ed25519Signature2018 (verify only) against the reference stack and real JFF plugfest badges.

tests/interop/ed25519-2018/: js-signed/ issued by @digitalbazaar/ed25519-signature-2018,
real-world/ copied from w3c-ccg/vc-ed; verdicts.json holds the reference verdict on each file
and on a tampered copy (see the README there). lerwallet must give the same verdict on every
one, and fail on every malformed variant.
"""

from __future__ import annotations

import base64
import copy
import json
from pathlib import Path

import pytest

from lerwallet.keys.resolver import Resolver
from lerwallet.proofs import any_passed, verify_proofs

HERE = Path(__file__).parent / "interop" / "ed25519-2018"
VERDICTS = json.loads((HERE / "verdicts.json").read_text("utf-8"))
FILES = sorted({v["file"] for v in VERDICTS})


def _load(rel: str) -> dict:
    return json.loads((HERE / rel).read_text("utf-8"))


def _verify(doc):
    if "VerifiablePresentation" in doc.get("type", []):
        return verify_proofs(doc, resolver=Resolver(), purpose="authentication", challenge=doc["proof"]["challenge"])
    return verify_proofs(doc, resolver=Resolver())


def _tamper(doc: dict) -> dict:  # the same change verdicts.json records for the reference
    t = copy.deepcopy(doc)
    if "VerifiablePresentation" in t["type"]:
        t["verifiableCredential"][0]["credentialSubject"]["degree"]["name"] = "Tampered Degree"
        return t
    subject = t["credentialSubject"][0] if isinstance(t["credentialSubject"], list) else t["credentialSubject"]
    if "achievement" in subject:
        subject["achievement"]["name"] += " (tampered)"
    else:
        subject["alumniOf"] = "Tampered University"
    return t


def test_fixture_set_covers_issued_and_real_world_credentials():
    assert {f.split("/")[0] for f in FILES} == {"js-signed", "real-world"}
    assert len(FILES) == 8
    assert sum(1 for v in VERDICTS if v["verified"]) == 6  # 2 issued, plugfest 1 and 3, credo's VC and VP


@pytest.mark.parametrize("rel", FILES)
def test_same_verdict_as_the_reference(rel):
    expected = {v["variant"]: v["verified"] for v in VERDICTS if v["file"] == rel}
    doc = _load(rel)
    assert any_passed(_verify(doc)) is expected["original"]
    assert any_passed(_verify(_tamper(doc))) is expected["tampered"] is False


def test_credo_bad_signed_fixture_fails_as_upstream_and_the_reference_say():
    [result] = _verify(_load("real-world/credo-ld-document-bad-signed.json"))
    assert (result.outcome, result.code) == ("fail", "invalid_signature")


def test_credo_presentation_needs_its_challenge():
    vp = _load("real-world/credo-vp-document-signed.json")
    results = verify_proofs(vp, resolver=Resolver(), purpose="authentication", challenge="another")
    assert results[0].code == "challenge_mismatch"
    vp["proof"]["challenge"] = "another"
    assert _verify(vp)[0].code == "invalid_signature"


def test_plugfest_2_badge_fails_as_the_reference_says():
    # Signed in October 2022 against the OB 3.0 context.json of that time; the context at
    # that URL has changed since, so the reference and lerwallet both fail it today.
    [result] = _verify(_load("real-world/jff-plugfest-2-signed-badge.json"))
    assert (result.outcome, result.code) == ("fail", "invalid_signature")


@pytest.mark.parametrize("rel", ["js-signed/ob303-vc11.json", "real-world/jff-plugfest-3-signed-badge.json"])
def test_every_leaf_change_fails(rel):
    original = _load(rel)
    assert any_passed(_verify(original))

    def leaves(node, path=()):
        if isinstance(node, dict):
            for k, v in node.items():
                yield from leaves(v, path + (k,))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield from leaves(v, path + (i,))
        else:
            yield path, node

    body = {k: v for k, v in original.items() if k != "proof"}
    for path, value in leaves(body):
        doc = copy.deepcopy(original)
        node = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value + "x" if isinstance(value, str) else value
        assert not any_passed(_verify(doc)), f"changing {path} still verifies"
    for option, value in (("created", "2023-09-26T16:13:43.463Z"), ("proofPurpose", "authentication")):
        doc = copy.deepcopy(original)
        doc["proof"][option] = value
        assert not any_passed(_verify(doc)), option


def _b64(obj) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).rstrip(b"=").decode()


def _with_jws(jws: str) -> dict:
    doc = _load("real-world/jff-plugfest-3-signed-badge.json")
    doc["proof"]["jws"] = jws
    return doc


SIGNATURE = _load("real-world/jff-plugfest-3-signed-badge.json")["proof"]["jws"].split(".")[2]


@pytest.mark.parametrize(("jws", "why"), [
    (_b64({"alg": "EdDSA", "b64": True, "crit": ["b64"]}) + ".." + SIGNATURE, "b64 true"),
    (_b64({"alg": "EdDSA"}) + ".." + SIGNATURE, "no b64"),
    (_b64({"alg": "ES256", "b64": False, "crit": ["b64"]}) + ".." + SIGNATURE, "another alg"),
    # the reference accepts a header with extra members (its check is skipped then); we do not
    (_b64({"alg": "EdDSA", "b64": False, "crit": ["b64"], "kid": "x"}) + ".." + SIGNATURE, "extra member"),
    (_b64({"alg": "EdDSA", "b64": 0, "crit": ["b64"]}) + ".." + SIGNATURE, "b64 is a number"),
    ("eyJhbGciOiJFZERTQSIsImNyaXQiOlsiYjY0Il0sImI2NCI6ZmFsc2V9.e30." + SIGNATURE, "attached payload"),
    ("eyJhbGciOiJFZERTQSIsImNyaXQiOlsiYjY0Il0sImI2NCI6ZmFsc2V9.." + SIGNATURE[:-4], "short signature"),
    ("eyJhbGciOiJFZERTQSIsImNyaXQiOlsiYjY0Il0sImI2NCI6ZmFsc2V9..", "no signature"),
    ("not a jws", "not a jws"),
    ("%%%..%%%", "not base64url"),
])
def test_malformed_jws_is_refused(jws, why):
    [result] = _verify(_with_jws(jws))
    assert (result.outcome, result.code) == ("fail", "malformed_proof_value"), why


def test_missing_jws_and_proof_value_instead_are_refused():
    doc = _load("real-world/jff-plugfest-3-signed-badge.json")
    del doc["proof"]["jws"]
    assert _verify(doc)[0].code == "malformed_proof_value"
    doc["proof"]["proofValue"] = "z" + "1" * 80
    assert _verify(doc)[0].code == "malformed_proof_value"


def test_the_signature_of_another_badge_does_not_verify():
    doc = _load("real-world/jff-plugfest-3-signed-badge.json")
    doc["proof"]["jws"] = _load("real-world/jff-plugfest-1-ex-1.json")["proof"]["jws"]
    assert _verify(doc)[0].code == "invalid_signature"


def test_document_without_a_context_defining_the_suite_is_refused():
    doc = _load("js-signed/ob303-vc11.json")
    doc["@context"] = doc["@context"][1:]
    [result] = _verify(doc)
    assert (result.outcome, result.code) == ("fail", "suite_context_missing")
    doc["@context"] = ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/security/suites/ed25519-2018/v1"]
    assert _verify(doc)[0].code == "suite_context_conflict"


def test_a_key_of_another_type_is_refused():
    doc = _load("real-world/jff-plugfest-3-signed-badge.json")
    p256 = "did:key:zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP"
    doc["issuer"]["id"] = p256
    doc["proof"]["verificationMethod"] = f"{p256}#zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP"
    assert _verify(doc)[0].code == "key_type_mismatch"


def test_offline_without_the_bundled_context_names_it():
    doc = _load("real-world/jff-plugfest-1-ex-1.json")
    doc["@context"][1] = "https://kayaelle.github.io/vc-ed/plugfest-1-2022/jff-vc-edu-plugfest-1-context.json"
    [result] = _verify(doc)
    assert result.code == "unknown_context" and "kayaelle.github.io" in result.reason and "--online" in result.reason


def test_cannot_sign_with_the_2018_suite():
    from lerwallet.errors import UsageError
    from lerwallet.proofs import sign

    with pytest.raises(UsageError):
        sign(_load("js-signed/examples-vc11.json"), suite="Ed25519Signature2018", key_type="ed25519",
             private_key=b"\1" * 32, verification_method="did:key:z6Mk#z6Mk")


@pytest.mark.parametrize("rel", FILES)
def test_the_whole_verdict_is_the_references_not_only_the_proof(rel):
    # An authentic badge must read VERIFIED to an employer, not fail a later check: the plugfest 1
    # and 3 badges did (structure.graph did not recognise their `achievement` IRIs, issue #10 audit).
    from lerwallet.verify import Options, verify_bytes

    expected = {v["variant"]: v["verified"] for v in VERDICTS if v["file"] == rel}["original"]
    doc = _load(rel)
    challenge = doc["proof"].get("challenge") if "VerifiablePresentation" in doc.get("type", []) else None
    [report] = verify_bytes(json.dumps(doc).encode(), Options(challenge=challenge))
    failed = [f"{c.id}: {c.reason}" for c in report.all_checks() if c.outcome in ("fail", "unknown")]
    assert (report.verdict == "valid") is expected, failed
