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


def test_a_key_only_the_jwt_header_names_gets_a_hint_that_can_help(tmp_path):
    from lerwallet.keys.multibase import b64url_encode
    from lerwallet.proofs.jose import sign_compact

    issuer = Party()
    doc = badge(issuer)
    doc["issuer"] = {"id": "did:example:college", "type": ["Profile"], "name": "Example College"}
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(issuer.public)}
    token = sign_compact({"alg": "EdDSA", "typ": "vc+jwt", "jwk": jwk}, doc, key_type="ed25519", private_key=issuer.private)
    path = tmp_path / "header-key.jwt"
    path.write_text(token)
    env = {"LERWALLET_PASSPHRASE": "header key passphrase"}
    assert CliRunner().invoke(app, ["init"], env=env).exit_code == 0
    result = CliRunner().invoke(app, ["import", str(path)], env=env)
    assert result.exit_code == 0
    assert "imported as inconclusive: proof:" in result.stderr and "nothing binds that key to the issuer" in result.stderr
    hint = [line for line in result.stderr.splitlines() if line.startswith("lerwallet: hint:")]
    assert hint == ["lerwallet: hint: only the token's own header names its key, which proves nothing about who issued "
                    "it: ask the issuer for a copy signed with a key their DID lists (a JWT with a kid)"]
