"""SD-JWT key binding JWTs are fresh for minutes, not for ever; judged claims sent as disclosures are refused.

(Regression tests from verification review review2; each fails on the code before its fix.)"""

from __future__ import annotations

import pytest

from lerwallet.proofs.jose import sign_compact
from tests.verify_jwt_helpers import KB_AT, _checks, _verify, issuer, sd_presented  # noqa: F401 - fixtures


# --- 4: an SD-JWT key binding JWT is fresh for minutes, not for ever ----------------------------

@pytest.mark.parametrize("minutes,outcome", [(1, "pass"), (9, "pass"), (11, "fail"), (60 * 24 * 365, "fail")])
def test_key_binding_jwt_age_is_bounded(sd_presented, minutes, outcome):
    from datetime import timedelta

    report = _verify(sd_presented, at=KB_AT + timedelta(minutes=minutes), challenge="n1", domain="https://employer.example")
    checks = _checks(report)
    assert checks["proof"].outcome == "pass", checks["proof"].reason  # the issuer's signature is valid (review2b 6)
    binding = checks["holder.binding"]
    assert binding.outcome == outcome, binding.reason
    if outcome == "fail":
        assert binding.code == "kb_stale" and "replay" in binding.reason
        assert report.verdict == "invalid"


def test_key_binding_max_age_is_a_library_option(sd_presented):
    from datetime import timedelta

    from lerwallet.proofs.sdjwt import verify_sd_jwt
    from lerwallet.keys.resolver import Resolver

    later = KB_AT + timedelta(hours=2)
    kwargs = {"resolver": Resolver(), "audience": "https://employer.example", "nonce": "n1", "now": later}
    assert verify_sd_jwt(sd_presented, **kwargs).proof.outcome == "fail"
    assert verify_sd_jwt(sd_presented, max_kb_age=3 * 3600, **kwargs).proof.outcome == "pass"
    report = _verify(sd_presented, at=later, challenge="n1", domain="https://employer.example", max_kb_age=3 * 3600)
    assert _checks(report)["holder.binding"].outcome == "pass"
    report = _verify(sd_presented, at=later, challenge="n1", domain="https://employer.example")
    assert _checks(report)["holder.binding"].code == "kb_stale"


def test_key_binding_without_audience_or_nonce_asked_is_a_warning(sd_presented):
    checks = _checks(_verify(sd_presented, at=KB_AT))
    assert (checks["holder.binding"].outcome, checks["holder.binding"].code) == ("warn", "kb_audience_not_checked")
    checks = _checks(_verify(sd_presented, at=KB_AT, challenge="n1", domain="https://employer.example"))
    assert checks["holder.binding"].outcome == "pass"


# --- 6: exp/nbf/cnf/status sent as disclosures are refused ------------------------------------

@pytest.mark.parametrize("name,value", [("exp", 1600000000), ("nbf", 4000000000), ("status", {"idx": 1}), ("cnf", {"kid": "x"})])
def test_judged_claim_sent_as_a_disclosure_fails(issuer, name, value):
    from lerwallet.proofs.sdjwt import _digest, _disclosure

    disclosure = _disclosure(["salt-1", name, value])
    payload = {"iss": issuer.did, "vct": "https://credentials.example/degree", "_sd": [_digest(disclosure)],
               "_sd_alg": "sha-256", "degree": "BSc"}
    jwt = sign_compact({"alg": "EdDSA", "typ": "dc+sd-jwt", "kid": issuer.vm}, payload, key_type="ed25519",
                       private_key=issuer.private)
    proof = _checks(_verify(jwt + "~" + disclosure + "~"))["proof"]
    assert (proof.outcome, proof.code) == ("fail", "invalid_disclosure")
    assert name in proof.reason


def test_ordinary_disclosure_still_verifies(issuer):
    from lerwallet.proofs.sdjwt import create_sd_jwt

    sd = create_sd_jwt({"iss": issuer.did, "vct": "https://credentials.example/degree", "degree": "BSc", "exp": 4000000000},
                       ["/degree"], key_type="ed25519", private_key=issuer.private, kid=issuer.vm)
    assert _checks(_verify(sd))["proof"].outcome == "pass"
