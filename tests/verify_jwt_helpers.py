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


# An SD-JWT VC (one disclosable claim) presented with a key binding JWT made at KB_AT.
KB_AT = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def sd_presented():
    from lerwallet import crypto
    from lerwallet.proofs.sdjwt import create_sd_jwt, holder_jwk_for, present

    issuer_party, holder = Party(), crypto.generate_private_key("ed25519")
    claims = {"iss": issuer_party.did, "vct": "https://credentials.example/degree", "degree": "BSc"}
    sd = create_sd_jwt(claims, ["/degree"], key_type="ed25519", private_key=issuer_party.private, kid=issuer_party.vm,
                       holder_jwk=holder_jwk_for("ed25519", holder))
    return present(sd, ["/degree"], holder_key=("ed25519", holder), aud="https://employer.example", nonce="n1", now=KB_AT)
