"""`lerwallet import --email` and `recheck --email` (issue #11): an Open Badges 2.0 recipient
identity (`sha256$`/`md5$` of the address and its `salt`, or none) is checked against the
learner's addresses at import, the outcome is stored, and `recheck` checks it again against the
same addresses unless told others. Without --email the badge is stored as verified (it is
authentic, as `verify` says) with the recipient check `skipped` and a hint naming --email.

Every badge is made here: a fresh RSA issuer (tests/ob2_helpers.py), its documents in a
--ob2-cache folder, signed (RS256 JWS) assertions with test-made recipient hashes."""

from __future__ import annotations

import hashlib
import json

import pytest
from typer.testing import CliRunner

from lerwallet.cli.app import app
from tests.ob2_helpers import EMAIL, Issuer, sha256_identity

ENV = {"LERWALLET_PASSPHRASE": "email tests"}
OTHER = "eve@example.org"


def run(*args):
    result = CliRunner().invoke(app, list(args), env=ENV, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


@pytest.fixture(scope="module")
def issuer():
    return Issuer()


@pytest.fixture
def cache(issuer, tmp_path):
    return issuer.cache(tmp_path / "cache")


@pytest.fixture
def wallet(isolated_home):
    assert run("init").exit_code == 0
    return isolated_home


def badge(issuer, tmp_path, number: int, recipient: dict, name: str = "badge.jwt"):
    path = tmp_path / name
    path.write_text(issuer.sign(issuer.assertion(number, signed=True, recipient=recipient)))
    return path


SALTED = {"type": "email", "hashed": True, "salt": "pepper", "identity": sha256_identity(EMAIL, "pepper")}
UNSALTED_MD5 = {"type": "email", "hashed": True, "identity": "md5$" + hashlib.md5(EMAIL.encode()).hexdigest()}


def stored_checks(record_id: str) -> dict:
    shown = json.loads(run("show", record_id, "--json").stdout)
    return {c["id"]: c for c in shown["checks"]}


@pytest.mark.parametrize("recipient", [SALTED, UNSALTED_MD5], ids=["sha256-salted", "md5-unsalted"])
def test_import_with_the_right_email_stores_the_recipient_check(wallet, issuer, cache, tmp_path, recipient):
    path = badge(issuer, tmp_path, 1, recipient)
    r = run("import", str(path), "--ob2-cache", str(cache), "--email", EMAIL, "--json")
    assert r.exit_code == 0, r.stderr
    [row] = json.loads(r.stdout)
    assert row["stored"] and row["status"] == "verified"
    check = stored_checks(row["id"])["badge.recipient"]
    assert check["outcome"] == "pass" and check["reason"].startswith(f"awarded to {EMAIL} (hashed identity matches)")
    assert "stored without checking their recipient" not in r.stderr


def test_one_of_several_addresses_is_enough(wallet, issuer, cache, tmp_path):
    path = badge(issuer, tmp_path, 2, SALTED)
    r = run("import", str(path), "--ob2-cache", str(cache), "--email", OTHER, "--email", EMAIL.upper(), "--json")
    assert r.exit_code == 0, r.stderr
    [row] = json.loads(r.stdout)
    assert stored_checks(row["id"])["badge.recipient"]["reason"] == f"awarded to {EMAIL.upper()} (hashed identity matches)"


def test_a_badge_awarded_to_someone_else_is_refused_and_nothing_is_stored(wallet, issuer, cache, tmp_path):
    path = badge(issuer, tmp_path, 3, SALTED)
    r = run("import", str(path), "--ob2-cache", str(cache), "--email", OTHER)
    assert r.exit_code == 1
    assert f"not imported: check badge.recipient failed: the badge was not awarded to {OTHER}" in r.stderr
    assert json.loads(run("list", "--json").stdout) == []
    kept = run("import", str(path), "--ob2-cache", str(cache), "--email", OTHER, "--allow-invalid", "--json")
    assert kept.exit_code == 0  # stored on request, as any invalid credential (docs/wallet.md)
    [row] = json.loads(kept.stdout)
    assert row["stored"] and row["status"] == "invalid"
    assert stored_checks(row["id"])["badge.recipient"]["outcome"] == "fail"


def test_without_email_the_badge_is_verified_the_recipient_skipped_with_a_hint(wallet, issuer, cache, tmp_path):
    path = badge(issuer, tmp_path, 4, SALTED)
    r = run("import", str(path), "--ob2-cache", str(cache), "--json")
    assert r.exit_code == 0, r.stderr
    [row] = json.loads(r.stdout)
    assert row["status"] == "verified"  # authentic, as `verify` without --email says
    check = stored_checks(row["id"])["badge.recipient"]
    assert (check["outcome"], check["code"]) == ("skipped", "no_email_given")
    assert "1 Open Badges 2.0 badge(s) stored without checking their recipient" in r.stderr
    assert f"lerwallet: hint: check that they were awarded to you with: lerwallet recheck {row['id'][:10]} --email ADDR" in r.stderr
    again = run("import", str(path), "--ob2-cache", str(cache))  # a duplicate: nothing new to say
    assert again.exit_code == 0 and "without checking their recipient" not in again.stderr


def test_recheck_with_email_and_recheck_remembering_the_addresses(wallet, issuer, cache, tmp_path):
    path = badge(issuer, tmp_path, 5, SALTED)
    [row] = json.loads(run("import", str(path), "--ob2-cache", str(cache), "--json").stdout)
    r = run("recheck", row["id"], "--ob2-cache", str(cache), "--email", EMAIL, "--json")
    assert r.exit_code == 0, r.stderr
    assert stored_checks(row["id"])["badge.recipient"]["outcome"] == "pass"
    # Without --email, the addresses given last are checked again (the check is not forgotten).
    r = run("recheck", row["id"], "--ob2-cache", str(cache), "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)[0]["status"] == "verified"
    assert stored_checks(row["id"])["badge.recipient"]["reason"].startswith(f"awarded to {EMAIL}")
    r = run("recheck", row["id"], "--ob2-cache", str(cache), "--email", OTHER, "--json")
    assert r.exit_code == 1
    [after] = json.loads(r.stdout)
    assert after["status"] == "invalid" and after["reason"] == f"check badge.recipient failed: the badge was not awarded to {OTHER}"


def test_import_email_remembered_by_recheck(wallet, issuer, cache, tmp_path):
    path = badge(issuer, tmp_path, 6, SALTED)
    [row] = json.loads(run("import", str(path), "--ob2-cache", str(cache), "--email", EMAIL, "--json").stdout)
    r = run("recheck", row["id"], "--ob2-cache", str(cache), "--json")
    assert r.exit_code == 0
    assert stored_checks(row["id"])["badge.recipient"]["outcome"] == "pass"


@pytest.mark.parametrize("bad", ["not-an-address", "two words@example.org"])
def test_a_malformed_email_is_a_usage_error_before_anything_is_read(wallet, issuer, cache, tmp_path, bad):
    path = badge(issuer, tmp_path, 7, SALTED)
    r = run("import", str(path), "--ob2-cache", str(cache), "--email", bad)
    assert r.exit_code == 2
    assert r.stderr.startswith(f"lerwallet: error: --email {bad!r} is not an email address")
    assert json.loads(run("list", "--json").stdout) == []


def test_ob2_endorsements_are_said_to_be_unchecked(issuer, cache, tmp_path):
    from lerwallet.verify import Options, verify_bytes

    endorsement = {"type": "Endorsement", "id": "https://endorser.example/e/1", "claim": {"id": issuer.badge_id},
                   "issuedOn": "2024-01-01T00:00:00Z", "verification": {"type": "HostedBadge"}}
    token = issuer.sign(issuer.assertion(8, signed=True, endorsement=[endorsement, dict(endorsement, id="x:2")]))
    [report] = verify_bytes(token.encode(), Options(ob2_cache=cache))
    [cred] = report.credentials
    note = next(c for c in cred.checks if c.id == "endorsements")
    assert (note.outcome, note.code) == ("skipped", "ob2_endorsements_unchecked")
    assert note.reason.startswith("2 Open Badges 2.0 endorsement(s) not checked")
    plain = verify_bytes(issuer.sign(issuer.assertion(9, signed=True)).encode(), Options(ob2_cache=cache))
    assert all(c.id != "endorsements" for c in plain[0].credentials[0].checks)
