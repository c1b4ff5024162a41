"""Error messages describe the actual problem (issue 9, "what a new user hits")."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from lerwallet.cli.app import app
from lerwallet.proofs.jose import sign_jwt

from verify_helpers import Party, badge


def run(*args):
    return CliRunner().invoke(app, list(args))


def test_an_unknown_option_is_named_without_a_far_fetched_suggestion(tmp_path):
    result = run("verify", str(tmp_path / "x.json"), "--bogus")
    assert result.exit_code == 2
    assert result.stderr == "lerwallet: error: no such option: --bogus\nlerwallet: hint: see: lerwallet verify --help\n"


def test_a_likely_typo_gets_the_option_it_resembles(tmp_path):
    result = run("verify", str(tmp_path / "x.json"), "--jsno")
    assert result.exit_code == 2
    assert result.stderr.startswith("lerwallet: error: no such option: --jsno (did you mean --json?)\n")


def test_enveloped_credentials_are_read_not_reported_as_bad_json(tmp_path):
    issuer = Party()
    token = sign_jwt(badge(issuer), key_type="ed25519", private_key=issuer.private, kid=issuer.vm)
    signed = issuer.sign(badge(issuer))
    for name, url in (("jwt", "data:application/vc+jwt," + token),
                      ("json", "data:application/vc+ld+json," + json.dumps(signed))):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps({"@context": ["https://www.w3.org/ns/credentials/v2"],
                                    "type": "EnvelopedVerifiableCredential", "id": url}))
        result = run("verify", str(path), "--json")
        report = json.loads(result.stdout)
        assert report["verdict"] == "valid", (name, result.stdout)
        assert "invalid JSON" not in result.stdout + result.stderr
