"""Regression tests for the verification review (findings 3-11): each builds its hostile input
here with real keys and real signatures, and fails on the code before the fix."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone

import pytest

from lerwallet.proofs import sign
from lerwallet.verify import Options, verify_bytes, verify_inputs
from tests.verify_helpers import Party, badge, presentation, write

AT = datetime(2026, 11, 28, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def issuer():
    return Party()


@pytest.fixture(scope="module")
def holder():
    return Party()


def _verify(doc, **opts) -> "object":
    data = doc.encode() if isinstance(doc, str) else json.dumps(doc).encode()
    [report] = verify_bytes(data, Options(at=AT, **opts))
    return report


def _signed_with_vm(party: Party, doc: dict, vm: str) -> dict:
    return sign(copy.deepcopy(doc), suite="eddsa-rdfc-2022", key_type="ed25519", private_key=party.private,
                verification_method=vm)


# --- 8: a verification method absent from a resolved document is a failure ----------------

def test_vm_missing_from_resolved_did_document_fails(issuer):
    doc = _signed_with_vm(issuer, badge(issuer), f"{issuer.did}#nope")
    report = _verify(doc)
    check = report.credentials[0].check("proof")
    assert check.outcome == "fail" and check.code == "verification_method_unresolvable"
    assert report.verdict == "invalid"


def test_unsupported_did_method_stays_inconclusive(issuer):
    doc = badge(issuer)
    doc["issuer"]["id"] = "did:example:university"
    doc = _signed_with_vm(issuer, doc, "did:example:university#key-1")
    report = _verify(doc)
    assert report.credentials[0].check("proof").outcome == "unknown" and report.verdict == "inconclusive"
