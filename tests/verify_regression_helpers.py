"""Shared by the verify regression files (folders, ob2, report rendering, stored SD-JWT, trust
files, unknown suites): one signing issuer and its badge, the CLI runner, a forged copy and its
proof check."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone

import pytest
from typer.testing import CliRunner

from lerwallet.cli.app import app
from lerwallet.verify import Options, verify_bytes
from tests.verify_helpers import Party, badge

AT = datetime(2024, 6, 1, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def issuer():
    return Party()


@pytest.fixture(scope="module")
def signed(issuer):
    return issuer.sign(badge(issuer, name="Welding"))


def cli(*args, env=None):
    result = CliRunner().invoke(app, list(args), env=env or {}, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def _forged(signed: dict, **proof) -> dict:
    doc = copy.deepcopy(signed)
    doc["name"] = "Welding Master (forged)"
    doc["credentialSubject"]["id"] = "did:example:mallory"
    for key, value in proof.items():
        if value is None:
            del doc["proof"][key]
        else:
            doc["proof"][key] = value
    return doc


def _proof_check(doc):
    [report] = verify_bytes(json.dumps(doc).encode(), Options(at=AT))
    return report, report.credentials[0].check("proof")
