"""Interoperability with an independent implementation (the @digitalbazaar JS stack).

js-signed/: issued by the JS stack (tests/interop/make_js_fixtures.mjs); every one must
verify, and every change to a signed value must make it fail.
lerwallet-signed/: issued by lerwallet (make_lerwallet_signed.py) and verified by the JS
stack (verify_lerwallet.mjs, verdicts in js-verify-results.json).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lerwallet.keys.resolver import Resolver
from lerwallet.proofs import any_passed, verify_proofs

INTEROP = Path(__file__).parent / "interop"
JS_SIGNED = sorted(p for p in (INTEROP / "js-signed").glob("*.json") if not p.name.startswith("js-"))
OURS = sorted(p for p in (INTEROP / "lerwallet-signed").glob("*.json") if not p.name.startswith("js-"))


def _verify(doc):
    return verify_proofs(doc, resolver=Resolver())


def test_fixture_sets_cover_all_suites_and_both_generations():
    names = {p.stem for p in JS_SIGNED}
    assert names == {f"{s}-{g}" for s in ("eddsa-rdfc-2022", "Ed25519Signature2020", "ecdsa-rdfc-2019")
                     for g in ("vc11", "vc20")}
    assert {p.stem for p in OURS} == names


@pytest.mark.parametrize("path", JS_SIGNED, ids=lambda p: p.stem)
def test_js_signed_credentials_verify(path):
    results = _verify(json.loads(path.read_text("utf-8")))
    assert [r.outcome for r in results] == ["pass"], results


def test_js_stack_verified_its_own_fixtures():
    verdicts = json.loads((INTEROP / "js-signed" / "js-verify-own.json").read_text("utf-8"))
    assert len(verdicts) == len(JS_SIGNED) and all(v["verified"] for v in verdicts)


def _leaves(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _leaves(value, path + (i,))
    else:
        yield path, node


def _tampered(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return value + 1
    return value + "x" if value else "x"


@pytest.mark.parametrize("path", JS_SIGNED, ids=lambda p: p.stem)
def test_every_tampering_of_a_signed_field_fails(path):
    original = json.loads(path.read_text("utf-8"))
    body = {k: v for k, v in original.items() if k != "proof"}
    leaves = list(_leaves(body))
    assert len(leaves) > 15
    for leaf, value in leaves:
        doc = json.loads(path.read_text("utf-8"))
        node = doc
        for key in leaf[:-1]:
            node = node[key]
        node[leaf[-1]] = _tampered(value)
        results = _verify(doc)
        assert not any_passed(results), f"tampering {leaf} still verifies"
        assert results[0].code in ("invalid_signature", "unknown_context", "safe_mode", "controller_mismatch"), (
            leaf, results[0])


@pytest.mark.parametrize("path", JS_SIGNED[:2], ids=lambda p: p.stem)
def test_adding_or_removing_a_field_fails(path):
    doc = json.loads(path.read_text("utf-8"))
    doc["credentialSubject"]["achievement"]["achievementType"] = "Certificate"
    assert not any_passed(_verify(doc))
    doc = json.loads(path.read_text("utf-8"))
    del doc["credentialSubject"]["achievement"]["description"]
    assert not any_passed(_verify(doc))


@pytest.mark.parametrize("path", JS_SIGNED, ids=lambda p: p.stem)
@pytest.mark.parametrize("before,after", [('"creditsAvailable": 3,', '"creditsAvailable": 3.0,'),
                                          ('"creditsEarned": 2.5', '"creditsEarned": 2.50'),
                                          ('"creditsAvailable": 3,', '"creditsAvailable": 3e0,')])
def test_typed_numbers_canonicalize_as_jsonld_js_does(path, before, after):
    """jsonld.js sees 3.0 and 3 as the same number; so must we (xsd:float terms in OB 3.0)."""
    text = path.read_text("utf-8")
    assert before in text
    assert any_passed(_verify(json.loads(text.replace(before, after))))


@pytest.mark.parametrize("path", OURS, ids=lambda p: p.stem)
def test_lerwallet_signed_credentials_verify_here(path):
    assert [r.outcome for r in _verify(json.loads(path.read_text("utf-8")))] == ["pass"]


def test_js_stack_verified_lerwallet_signed_credentials():
    verdicts = {v["file"]: v for v in json.loads((INTEROP / "lerwallet-signed" / "js-verify-results.json").read_text())}
    assert set(verdicts) == {p.name for p in OURS}
    assert all(v["verified"] and not v["tamperedVerified"] for v in verdicts.values()), verdicts


def test_lerwallet_signing_is_reproducible(tmp_path):
    """Re-running the generator gives the same Ed25519 files the JS stack verified."""
    script = (INTEROP / "make_lerwallet_signed.py").read_text("utf-8")
    copy = tmp_path / "make_lerwallet_signed.py"
    copy.write_text(script, "utf-8")
    subprocess.run([sys.executable, str(copy)], check=True, capture_output=True)
    for path in OURS:
        if path.name.startswith("ecdsa"):
            continue  # ECDSA signatures are randomized
        assert (tmp_path / "lerwallet-signed" / path.name).read_text() == path.read_text(), path.name
