"""Digital Credentials Consortium fixtures (vc-test-fixtures, verifier-core): proof outcomes.

did:web issuers resolve from local DID documents (tests/vectors/proofs/dcc/did-web, a
did_web_cache folder with a dids.json map); nothing touches the network.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lerwallet.keys.resolver import Resolver
from lerwallet.proofs import any_passed, verify_proofs

DCC = Path(__file__).parent / "vectors" / "proofs" / "dcc"
EXPECTED = {k: v for k, v in json.loads((DCC / "expected.json").read_text()).items() if not k.startswith("_")}
FILES = sorted(p for p in DCC.rglob("*.json") if "did-web" not in p.parts and p.name != "expected.json")


def _resolver():
    return Resolver(did_web_cache=DCC / "did-web")


def _summary(results):
    return [r.code if r.outcome == "fail" else f"{r.outcome}:{r.code}" if r.outcome == "unknown" else "pass"
            for r in results]


def test_every_expectation_names_a_real_file():
    assert len(FILES) > 100
    assert set(EXPECTED) <= {p.relative_to(DCC).as_posix() for p in FILES}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(DCC).as_posix())
def test_dcc_fixture_proofs(path):
    rel = path.relative_to(DCC).as_posix()
    doc = json.loads(path.read_text("utf-8"))
    results = verify_proofs(doc, resolver=_resolver())
    expected = EXPECTED.get(rel)
    if expected is None:
        assert _summary(results) == ["pass"] * len(results) and any_passed(results)
    else:
        assert _summary(results) == expected
