"""eddsa-jcs-2022 / ecdsa-jcs-2019 both ways with the reference JS stack (tests/interop/jcs)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from lerwallet.keys.resolver import Resolver
from lerwallet.proofs import any_passed, verify_proofs

HERE = Path(__file__).parent / "interop" / "jcs"
VERDICTS = json.loads((HERE / "verdicts.json").read_text("utf-8"))
JS = sorted((HERE / "js-signed").glob("*.json"))
OURS = sorted((HERE / "lerwallet-signed").glob("*.json"))


def _load(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))


def test_both_sides_cover_three_keys_and_two_generations():
    names = {f"{s}-{g}" for s in ("eddsa-jcs-2022-ed25519", "ecdsa-jcs-2019-p256", "ecdsa-jcs-2019-p384")
             for g in ("vc11", "vc20")}
    assert {p.stem for p in JS} == names == {p.stem for p in OURS}


def test_reference_verified_ours_and_its_own_and_rejected_every_tampered_copy():
    assert len(VERDICTS) == 24
    for v in VERDICTS:
        assert v["verified"] is (v["variant"] == "original"), v


@pytest.mark.parametrize("path", JS, ids=lambda p: p.stem)
def test_js_signed_verify_here_and_tampering_fails(path):
    doc = _load(path)
    assert [r.outcome for r in verify_proofs(doc, resolver=Resolver())] == ["pass"]
    tampered = copy.deepcopy(doc)
    tampered["credentialSubject"]["achievement"]["creditsAvailable"] = 25
    assert verify_proofs(tampered, resolver=Resolver())[0].code == "invalid_signature"


@pytest.mark.parametrize("generation", ["vc11", "vc20"])
def test_ed25519_signers_agree_exactly(generation):
    # Ed25519 is deterministic: the same key, document and options give the same proofValue
    ours = _load(HERE / "lerwallet-signed" / f"eddsa-jcs-2022-ed25519-{generation}.json")
    theirs = _load(HERE / "js-signed" / f"eddsa-jcs-2022-ed25519-{generation}.json")
    assert ours == theirs


def test_the_python_generator_still_produces_the_checked_in_ed25519_files(tmp_path, monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_lerwallet_jcs", HERE / "make_lerwallet_jcs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUT", tmp_path)
    module.main()
    for generation in ("vc11", "vc20"):
        name = f"eddsa-jcs-2022-ed25519-{generation}.json"
        assert (tmp_path / name).read_bytes() == (HERE / "lerwallet-signed" / name).read_bytes()
    for path in tmp_path.glob("ecdsa-*.json"):  # randomized, but must verify
        assert any_passed(verify_proofs(_load(path), resolver=Resolver()))
