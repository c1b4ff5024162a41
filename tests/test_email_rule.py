"""One rule for an email address (`lerwallet.verify.options.is_email`): `verify`, `import` and
`recheck --email`, `issue --to` and the résumé's `--email` accept and refuse the same addresses,
each refusal a usage error (exit 2) before anything is read. `verify --email` is repeatable as
`import`/`recheck` are: each address is tried, one match is enough.

The badges are made here: a fresh RSA Open Badges 2.0 issuer (tests/ob2_helpers.py), its
documents in a --ob2-cache folder, signed (RS256 JWS) assertions with test-made recipient hashes."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from lerwallet.cli.app import app
from lerwallet.errors import UsageError
from lerwallet.verify.options import checked_emails, is_email
from tests.ob2_helpers import EMAIL, Issuer, sha256_identity

ENV = {"LERWALLET_PASSPHRASE": "email rule tests"}
OTHER = "eve@example.org"
SALTED = {"type": "email", "hashed": True, "salt": "pepper", "identity": sha256_identity(EMAIL, "pepper")}
ACHIEVEMENT = {"id": "https://acme.example/a/1", "type": ["Achievement"], "name": "Volunteer",
               "description": "Forty hours.", "criteria": {"narrative": "Volunteer forty hours."}}


def run(*args):
    result = CliRunner().invoke(app, list(args), env=ENV, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


@pytest.fixture(scope="module")
def issuer():
    return Issuer()


@pytest.fixture
def badge(issuer, tmp_path):
    path = tmp_path / "badge.jwt"
    path.write_text(issuer.sign(issuer.assertion(1, signed=True, recipient=SALTED)))
    return {"path": path, "cache": issuer.cache(tmp_path / "cache")}


@pytest.mark.parametrize("text, ok", [
    ("ada@example.org", True),
    ("Ada.Lovelace+cv@Sub.Example.co.uk", True),
    ("o'brien@example.org", True),
    ("ada@localhost", False),  # no dotted domain: no mail system outside one machine delivers there
    ("ada@b", False),
    ("not-an-address", False),
    ("two words@example.org", False),
    ("ada@example.org ", False),  # the rule sees the address itself; `checked_emails` drops the spaces
    ("ada@@example.org", False),
    ("<ada@example.org>", False),
    ("ada@-example.org", False),
    ("a" * 65 + "@example.org", False),
    ("ada@" + "a" * 63 + "." + "b" * 63 + "." + "c" * 63 + "." + "d" * 62 + ".org", False),  # over 254
    ("", False),
    (None, False),
])
def test_is_email(text, ok):
    assert is_email(text) is ok


def test_checked_emails_strips_and_keeps_each_once():
    assert checked_emails([" ada@example.org", "ada@example.org", OTHER]) == ("ada@example.org", OTHER)
    assert checked_emails("ada@example.org") == ("ada@example.org",)
    assert checked_emails(()) == ()
    with pytest.raises(UsageError) as exc:
        checked_emails(["ada@example.org", "ada@localhost"])
    assert exc.value.message == "--email 'ada@localhost' is not an email address"


def test_verify_email_is_repeatable_one_match_is_enough(badge):
    common = [str(badge["path"]), "--ob2-cache", str(badge["cache"]), "--json"]
    r = run("verify", *common, "--email", OTHER, "--email", EMAIL.upper())
    assert r.exit_code == 0, r.stdout
    [credential] = json.loads(r.stdout)["inputs"][0]["credentials"]
    [check] = [c for c in credential["checks"] if c["id"] == "badge.recipient"]
    assert (check["outcome"], check["reason"]) == ("pass", f"awarded to {EMAIL.upper()} (hashed identity matches)")
    r = run("verify", *common, "--email", OTHER, "--email", "mallory@example.org")
    assert r.exit_code == 1
    [credential] = json.loads(r.stdout)["inputs"][0]["credentials"]
    [check] = [c for c in credential["checks"] if c["id"] == "badge.recipient"]
    assert (check["outcome"], check["reason"]) == (
        "fail", f"the badge was not awarded to {OTHER} or mallory@example.org")


def _wallet_with(badge) -> str:
    assert run("init").exit_code == 0
    r = run("import", str(badge["path"]), "--ob2-cache", str(badge["cache"]), "--json")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)[0]["id"]


def _commands(badge, tmp_path, record_id, address):
    ach = tmp_path / "achievement.json"
    ach.write_text(json.dumps(ACHIEVEMENT))
    return {
        "verify": ["verify", str(badge["path"]), "--ob2-cache", str(badge["cache"]), "--email", address],
        "import": ["import", str(badge["path"]), "--ob2-cache", str(badge["cache"]), "--email", address],
        "recheck": ["recheck", record_id, "--ob2-cache", str(badge["cache"]), "--email", address],
        "resume": ["export", "resume", "--format", "json", "--email", address, "--out", str(tmp_path / "r.json"),
                   "--force"],
        "issue": ["issue", "--to", address, "--achievement", str(ach), "--out", str(tmp_path / "b.json")],
    }


@pytest.mark.parametrize("address", ["ada@localhost", "two words@example.org", "not-an-address"])
def test_every_command_refuses_the_same_addresses(isolated_home, badge, tmp_path, address):
    record_id = _wallet_with(badge)
    for name, args in _commands(badge, tmp_path, record_id, address).items():
        r = run(*args)
        assert r.exit_code == 2, (name, r.output)
        first = r.stderr.splitlines()[0]
        expected = (f"lerwallet: error: {address!r} is neither a DID nor an email address" if name == "issue"
                    else f"lerwallet: error: --email {address!r} is not an email address")
        assert first == expected, name
    assert [x["id"] for x in json.loads(run("list", "--json").stdout)] == [record_id]  # nothing stored
    assert not (tmp_path / "r.json").exists() and not (tmp_path / "b.json").exists()


def test_every_command_accepts_the_same_addresses(isolated_home, badge, tmp_path):
    record_id = _wallet_with(badge)
    assert run("did", "create", "--name", "acme").exit_code == 0
    for name, args in _commands(badge, tmp_path, record_id, f" {EMAIL.upper()}").items():
        if name == "issue":
            args = [*args, "--identity", "acme"]
        r = run(*args)
        assert r.exit_code == 0, (name, r.output)
        if name != "issue":  # the badge's recipient is ada@example.org: every address check passes
            assert "is not an email address" not in r.stderr and "not awarded" not in r.output, name
