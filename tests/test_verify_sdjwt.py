"""`lerwallet verify` on SD-JWT VCs: structure by SD-JWT VC rules, digests, key binding, tamper."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from lerwallet import crypto
from lerwallet.cli.app import app
from lerwallet.keys import did_key_from_public
from lerwallet.proofs.sdjwt import create_sd_jwt, holder_jwk_for, present

AUD, NONCE = "https://employer.example", "n-8f3a"


@pytest.fixture(scope="module")
def issued():
    key = crypto.generate_private_key("p256")
    did = did_key_from_public("p256", crypto.public_key_of("p256", key))
    holder = crypto.generate_private_key("ed25519")
    claims = {"iss": did, "vct": "https://credentials.example/degree", "iat": 1748736000,
              "given_name": "Ada", "degree": "BSc Mathematics"}
    sd = create_sd_jwt(claims, ["/given_name", "/degree"], key_type="p256", private_key=key,
                       kid=f"{did}#{did[8:]}", holder_jwk=holder_jwk_for("ed25519", holder))
    shown = present(sd, ["/degree"], holder_key=("ed25519", holder), aud=AUD, nonce=NONCE)
    return did, sd, shown


def _verify(tmp_path, token, *args):
    path = tmp_path / "cred.sd-jwt"
    path.write_text(token)
    result = CliRunner().invoke(app, ["verify", "--json", str(path), *args])
    return result.exit_code, json.loads(result.stdout)


def _checks(report):
    cred = report["inputs"][0]["credentials"][0]
    return {c["id"]: c for c in cred["checks"]}


def test_presented_sd_jwt_vc_verifies_with_matching_challenge(tmp_path, issued):
    did, _, shown = issued
    code, report = _verify(tmp_path, shown, "--challenge", NONCE, "--domain", AUD)
    checks = _checks(report)
    assert checks["structure"]["outcome"] == "pass", checks["structure"]
    assert checks["proof"]["outcome"] == "pass", checks["proof"]
    assert code == 0  # an unknown issuer is only a warning
    assert did in json.dumps(report)
    summary = report["inputs"][0]["credentials"][0]["summary"]
    assert summary["description"] == "degree: BSc Mathematics"  # only what the holder disclosed


def test_replayed_nonce_fails(tmp_path, issued):
    _, _, shown = issued
    code, report = _verify(tmp_path, shown, "--challenge", "another", "--domain", AUD)
    assert code == 1
    assert _checks(report)["proof"]["outcome"] == "fail"


def test_tampered_disclosure_fails(tmp_path, issued):
    # A well-formed disclosure with another value (same salt, same claim name): readable, so the
    # only thing that can catch it is the digest the issuer signed.
    import base64

    _, sd, _ = issued
    jwt, first, *rest = sd.split("~")
    salt, name, _value = json.loads(base64.urlsafe_b64decode(first + "=" * (-len(first) % 4)))
    forged_disclosure = base64.urlsafe_b64encode(json.dumps([salt, name, "Grace"]).encode()).rstrip(b"=").decode()
    forged = "~".join([jwt, forged_disclosure, *rest])
    code, report = _verify(tmp_path, forged)
    assert code == 1
    assert _checks(report)["proof"]["outcome"] == "fail"


def test_sd_jwt_without_vct_is_malformed(tmp_path):
    key = crypto.generate_private_key("ed25519")
    did = did_key_from_public("ed25519", crypto.public_key_of("ed25519", key))
    sd = create_sd_jwt({"iss": did, "name": "x"}, ["/name"], key_type="ed25519", private_key=key,
                       kid=f"{did}#{did[8:]}")
    code, report = _verify(tmp_path, sd)
    assert code == 1
    assert _checks(report)["structure"]["problem"]["type"].endswith(":missing_type")
