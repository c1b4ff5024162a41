"""A forged credential with no or an unknown cryptosuite: malformed or unsupported, and import refuses it.

(Regression tests from verification review review2b; each fails on the code before its fix.)"""

from __future__ import annotations

import json

import pytest

from lerwallet.store.importer import examine
from lerwallet.verify import Options
from tests.verify_regression_helpers import AT, _forged, _proof_check, issuer, signed  # noqa: F401 - fixtures (signed needs issuer)


# --- 1: a forged credential with no / an unknown cryptosuite -------------------------------------

@pytest.mark.parametrize("cryptosuite", [None, 7, ["eddsa-rdfc-2022"]])
def test_missing_or_non_string_cryptosuite_is_malformed(signed, cryptosuite):
    report, check = _proof_check(_forged(signed, cryptosuite=cryptosuite))
    assert (check.outcome, check.code) == ("fail", "malformed_proof")
    assert report.verdict == "invalid"


def test_missing_proof_type_is_malformed(signed):
    report, check = _proof_check(_forged(signed, type=None))
    # The structure stage names it first (every proof MUST have a type); the proof stage is skipped.
    structure = report.credentials[0].check("structure")
    assert (structure.outcome, structure.code, check.outcome) == ("fail", "malformed_proof", "skipped")


@pytest.mark.parametrize("proof", [{"cryptosuite": "eddsa-rdfc-2099"}, {"type": "Ed25519Signature2099", "cryptosuite": None}])
def test_unknown_suite_says_treat_as_unverified_and_import_refuses(signed, proof):
    doc = _forged(signed, **proof)
    report, check = _proof_check(doc)
    assert check.outcome == "unknown" and check.code in ("unknown_cryptosuite", "unknown_proof_type")
    assert "proof format not supported; treat as unverified" in check.reason
    [found] = examine(json.dumps(doc).encode(), "f.json", Options(at=AT)).found
    assert found.refused and "not supported" in found.reason
