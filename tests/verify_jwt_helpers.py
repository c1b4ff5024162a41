"""Shared by the verify regression files on VC-JWT 1.1, SD-JWT key binding, dates, issuer
names, presentation domains and pyld's uuid: an issuer, verification at a fixed time, and
the checks of a report by id."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from lerwallet.verify import Options, verify_bytes
from tests.verify_helpers import Party


V1 = "https://www.w3.org/2018/credentials/v1"
AT = datetime(2024, 6, 1, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def issuer():
    return Party()


def _verify(data, **opts):
    data = data.encode() if isinstance(data, str) else json.dumps(data).encode()
    [report] = verify_bytes(data, Options(**{"at": AT, **opts}))
    return report


def _checks(report) -> dict:
    return {c.id: c for c in report.credentials[0].checks}
