"""@direction (language value objects with a base direction) round-trips with the reference stack.

Fixtures: tests/interop/direction/ (README.md there says how they were made). The reference
(@digitalbazaar/vc with the rdfc cryptosuites) canonicalizes with JSON-LD rdfDirection
"i18n-datatype"; lerwallet does the same, byte for byte.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from lerwallet.ld import canonize
from lerwallet.verify import Options, verify_bytes

HERE = Path(__file__).parent / "interop" / "direction"
AT = datetime(2024, 6, 1, tzinfo=timezone.utc)
JS_SIGNED = sorted((HERE / "js-signed").glob("*.json"))
CANONICAL = sorted((HERE / "js-canonical").glob("*.unsigned.json"))
OURS = sorted(p for p in (HERE / "lerwallet-signed").glob("*.json") if not p.name.startswith("js-"))


def _report(doc: dict):
    [report] = verify_bytes(json.dumps(doc, ensure_ascii=False).encode("utf-8"), Options(at=AT), expect="object")
    return report


def test_fixtures_are_there():
    assert len(JS_SIGNED) == 6 and len(CANONICAL) == 6 and len(OURS) == 2


@pytest.mark.parametrize("path", CANONICAL, ids=lambda p: p.name)
@pytest.mark.parametrize("engine", ["auto", "pyld"])
def test_canonical_form_is_byte_identical_to_jsonld_js(path, engine):
    doc = json.loads(path.read_text("utf-8"))
    expected = path.with_name(path.name.replace(".unsigned.json", ".nq")).read_text("utf-8")
    assert "^^<https://www.w3.org/ns/i18n#" in expected
    assert canonize(doc, engine=engine) == expected


@pytest.mark.parametrize("path", JS_SIGNED, ids=lambda p: p.name)
def test_js_signed_credentials_with_direction_verify(path):
    report = _report(json.loads(path.read_text("utf-8")))
    assert report.verdict == "valid", [(c.id, c.outcome, c.code, c.reason) for c in report.all_checks()]


@pytest.mark.parametrize("path", JS_SIGNED, ids=lambda p: p.name)
def test_changing_a_direction_breaks_the_signature(path):
    doc = json.loads(path.read_text("utf-8"))
    text = json.dumps(doc, ensure_ascii=False)
    flipped = text.replace('"@direction": "rtl"', '"@direction": "RTL-"', 1).replace('"@direction": "ltr"', '"@direction": "rtl"', 1)
    flipped = json.loads(flipped.replace('"@direction": "RTL-"', '"@direction": "ltr"'))
    assert flipped != doc
    report = _report(flipped)
    assert report.verdict == "invalid" and report.credentials[0].check("proof").code == "invalid_signature"


def test_the_js_stack_verified_lerwallets_credentials_and_refused_flipped_directions():
    results = json.loads((HERE / "lerwallet-signed" / "js-verify-results.json").read_text())
    assert {name for name in results if "flipped" not in name} == {p.name for p in OURS}
    for name, verdict in results.items():
        assert verdict["verified"] is ("flipped" not in name), name
    own = json.loads((HERE / "js-verify-own.json").read_text())
    assert sorted(own) == [p.name for p in JS_SIGNED] and all(v["verified"] for v in own.values())


@pytest.mark.parametrize("path", OURS, ids=lambda p: p.name)
def test_lerwallet_signed_direction_credentials_verify_here(path):
    doc = json.loads(path.read_text("utf-8"))
    assert _report(doc).verdict == "valid"
    assert doc["name"]["@direction"] == "rtl"


def test_lerwallet_signing_is_reproducible(tmp_path):
    """The Ed25519 fixture is deterministic: re-running the generator gives the same bytes."""
    script = HERE / "make_lerwallet_signed.py"
    before = (HERE / "lerwallet-signed" / "direction-eddsa-rdfc-2022.json").read_bytes()
    copy_dir = tmp_path / "direction"
    copy_dir.mkdir()
    (copy_dir / script.name).write_text(script.read_text())
    subprocess.run([sys.executable, str(copy_dir / script.name)], check=True, capture_output=True)
    assert (copy_dir / "lerwallet-signed" / "direction-eddsa-rdfc-2022.json").read_bytes() == before


def test_direction_still_needs_a_valid_value_in_safe_mode():
    doc = json.loads(CANONICAL[0].read_text("utf-8"))
    bad = copy.deepcopy(doc)
    bad["name"] = {"@value": "x", "@direction": "up"}
    from lerwallet.ld.errors import LDError

    with pytest.raises(LDError):
        canonize(bad)


def test_https_issuer_with_a_did_key_method_fails_controller_binding_here_and_in_the_reference():
    """docs/verify.md, "Controller binding": the W3C vector names an https issuer and signs with
    an unrelated did:key; @digitalbazaar/vc refuses it (recorded), and so does lerwallet."""
    recorded = json.loads((HERE.parent / "controller-binding-result.json").read_text())
    assert recorded["verified"] is False
    assert recorded["message"] == "Credential issuer must match the verification method controller."
    doc = json.loads((HERE.parents[2] / recorded["input"]).read_text())
    assert doc["issuer"].startswith("https://") and doc["proof"]["verificationMethod"].startswith("did:key:")
    report = _report(doc)
    proof = report.credentials[0].check("proof")
    assert (proof.outcome, proof.code) == ("fail", "controller_mismatch") and report.verdict == "invalid"
