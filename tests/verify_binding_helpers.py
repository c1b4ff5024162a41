"""Shared by the verify regression files on binding, proof sets, JWT windows, status entries,
SD-JWT issuers, hostile JSON and terminal safety: an issuer and a holder, verification at a
fixed time, and signing with a chosen verification method."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone

import pytest

from lerwallet.proofs import sign
from lerwallet.verify import Options, verify_bytes
from tests.verify_helpers import Party


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
