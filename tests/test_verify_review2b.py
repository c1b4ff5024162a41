"""Second UX/robustness review (review2b): each test fails before its fix. Real keys and signatures."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone

import pytest
from typer.testing import CliRunner

from lerwallet.cli.app import app
from lerwallet.store.importer import examine
from lerwallet.verify import Options, verify_bytes
from tests.verify_helpers import Party, badge, write

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


# --- 1: a forged credential with no / an unknown cryptosuite -------------------------------------

@pytest.mark.parametrize("cryptosuite", [None, 7, ["eddsa-rdfc-2022"]])
def test_missing_or_non_string_cryptosuite_is_malformed(signed, cryptosuite):
    report, check = _proof_check(_forged(signed, cryptosuite=cryptosuite))
    assert (check.outcome, check.code) == ("fail", "malformed_proof")
    assert report.verdict == "invalid"


def test_missing_proof_type_is_malformed(signed):
    report, check = _proof_check(_forged(signed, type=None))
    # The structure stage names it first (every proof MUST have a type); the proof stage is skipped.
    structure = report.credentials[0].check("structure")
    assert (structure.outcome, structure.code, check.outcome) == ("fail", "malformed_proof", "skipped")


@pytest.mark.parametrize("proof", [{"cryptosuite": "eddsa-rdfc-2099"}, {"type": "Ed25519Signature2099", "cryptosuite": None}])
def test_unknown_suite_says_treat_as_unverified_and_import_refuses(signed, proof):
    doc = _forged(signed, **proof)
    report, check = _proof_check(doc)
    assert check.outcome == "unknown" and check.code in ("unknown_cryptosuite", "unknown_proof_type")
    assert "proof format not supported; treat as unverified" in check.reason
    [found] = examine(json.dumps(doc).encode(), "f.json", Options(at=AT)).found
    assert found.refused and "not supported" in found.reason


# --- 2: a folder with no credentials is not "VERIFIED" -------------------------------------------

@pytest.mark.parametrize("strict", [[], ["--strict"]])
def test_folder_without_credentials_is_unreadable(tmp_path, strict):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "certificate.pdf").write_bytes(b"%PDF-1.7")
    result = cli("verify", str(tmp_path / "app"), *strict)
    assert result.exit_code == 2
    assert "lerwallet: error: no credentials found in" in result.stderr
    assert "VERIFIED" not in result.output
    as_json = json.loads(cli("verify", str(tmp_path / "app"), "--json").stdout)
    assert (as_json["verdict"], as_json["exitCode"], as_json["error"]) == ("unreadable", 2, "no credentials found")


def test_overall_of_nothing_is_unreadable():
    from lerwallet.verify import overall

    assert overall([]) == ("unreadable", 2)


# --- 3: a malformed trust file is a usage error, never silently ignored --------------------------

@pytest.mark.parametrize("body", [
    {"name": "hr", "deny": "did:key:z6Mkx"}, {"name": "hr", "allow": 3}, {"deny": [1, 2]},
    {"registries": {"file": "r.json"}}, {"registries": [42]}, {"registries": [{"name": "no file"}]}, [7],
])
def test_malformed_trust_file_is_a_usage_error(tmp_path, signed, body):
    cred = write(tmp_path / "c.json", signed)
    result = cli("verify", str(cred), "--trust", str(write(tmp_path / "t.json", json.dumps(body))))
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("lerwallet: error: trust file"), result.stderr


def test_deny_as_a_list_of_ids_denies(tmp_path, issuer, signed):
    cred = write(tmp_path / "c.json", signed)
    trust = write(tmp_path / "deny2.json", json.dumps({"name": "hr", "deny": [issuer.did]}))
    result = cli("verify", str(cred), "--trust", str(trust), "--json")
    assert result.exit_code == 1
    [check] = [c for c in json.loads(result.stdout)["inputs"][0]["credentials"][0]["checks"] if c["id"] == "issuer.trust"]
    assert check["outcome"] == "fail" and check["problem"]["type"].endswith("issuer_denied")
    allow = write(tmp_path / "allow.json", json.dumps({"name": "hr", "allow": [issuer.did]}))
    assert cli("verify", str(cred), "--trust", str(allow), "--strict").exit_code == 0


# --- 4: devices and FIFOs are read up to the cap, not without limit ------------------------------

def test_unbounded_device_is_too_large_not_read_whole():
    import resource

    from lerwallet.formats import limits, read_inputs

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    [env] = read_inputs(["/dev/zero"])
    assert env.error is not None and env.error.code == "not-a-file"  # issue #10: refused, never read
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 4 * limits.MAX_INPUT_BYTES // 1024  # a few caps at most, not gigabytes


def test_unbounded_trust_file_is_a_usage_error(tmp_path, signed):
    result = cli("verify", str(write(tmp_path / "c.json", signed)), "--trust", "/dev/zero")
    assert result.exit_code == 2 and "not a regular file" in result.stderr


# --- 6: a stored SD-JWT with a key binding JWT stays verified; staleness is holder.binding ---------

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


def test_stored_sd_jwt_with_key_binding_stays_verified(sd_presented):
    from datetime import timedelta

    for later in (timedelta(minutes=1), timedelta(hours=1), timedelta(days=400)):
        [found] = examine(sd_presented.encode(), "d.sd-jwt", Options(at=KB_AT + later)).found
        assert found.status == "verified", (later, found.reason)


def test_stale_key_binding_is_holder_binding_not_proof(sd_presented):
    from datetime import timedelta

    [report] = verify_bytes(sd_presented.encode(), Options(at=KB_AT + timedelta(hours=1)))
    checks = {c.id: c for c in report.credentials[0].checks}
    assert checks["proof"].outcome == "pass"
    # nothing asked (no --challenge/--domain): a warning, like an unchecked audience
    assert (checks["holder.binding"].outcome, checks["holder.binding"].code) == ("warn", "kb_stale")


# --- 5: an Open Badges 2.0 assertion is unsupported (inconclusive), not invalid ------------------

OB2 = json.dumps({
    "@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "https://example.org/assertions/1",
    "recipient": {"type": "email", "hashed": False, "identity": "alice@example.org"},
    "badge": "https://example.org/badges/1", "verification": {"type": "hosted"}, "issuedOn": "2016-12-31T23:59:59Z",
})


def test_ob2_assertion_is_unsupported_not_invalid(tmp_path):
    [report] = verify_bytes(OB2.encode(), Options(at=AT))
    cred = report.credentials[0]
    assert cred.format == "ob2" and cred.verdict == "inconclusive"
    assert not [c for c in cred.checks if c.outcome == "fail"]
    assert cred.check("proof").code == "unsupported_format"
    assert cli("verify", str(write(tmp_path / "ob2.json", OB2))).exit_code == 4
    [found] = examine(OB2.encode(), "ob2.json", Options(at=AT)).found
    assert found.status == "inconclusive" and not found.refused


# --- 8: the verdict leads each panel; counts in the last line; HTML summary, options, dates -------

def test_terminal_verdict_first_and_counts(tmp_path, signed):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / ("a-very-long-file-name-" * 6 + ".json"), signed)
    write(folder / "bad.json", _forged(signed))
    result = cli("verify", str(folder), "--details", env={"COLUMNS": "80"})  # the panels after the summary table
    assert result.exit_code == 1
    tops = [line for line in result.stdout.splitlines() if line.startswith("╭")]
    assert [t.split()[1:3] for t in tops] == [["VERIFIED", "Welding"], ["NOT", "VERIFIED"]]
    last = " ".join(result.stdout.split("\n")[-4:]).split()
    assert "1 valid / 1 invalid / 0 inconclusive;" in " ".join(last)


def test_html_summary_options_and_judged_as_of(tmp_path, signed, issuer):
    cred = write(tmp_path / "c.json", signed)
    trust = write(tmp_path / "t.json", json.dumps({"allow": [issuer.did]}))
    html = tmp_path / "r.html"
    result = cli("verify", str(cred), "--at", "2030-01-01T00:00:00Z", "--trust", str(trust), "--challenge", "n-42",
                 "--html", str(html))
    page = html.read_text()
    assert result.exit_code == 1  # --challenge on a bare credential fails (presentation_expected)
    assert "exit code" not in page
    assert page.index('id="summary"') < page.index("<h2>Details</h2>")
    assert "Judged as of 2030-01-01T00:00:00Z (--at), run at " in page and "Checked at 2030" not in page
    assert "n-42" in page and str(trust) in page and "0 valid / 1 invalid / 0 inconclusive" in page
    as_json = json.loads(cli("verify", str(cred), "--at", "2030-01-01T00:00:00Z", "--json").stdout)
    assert as_json["checkedAt"] == "2030-01-01T00:00:00Z" and as_json["runAt"] < "2030"
    assert as_json["credentialCounts"] == {"valid": 1, "invalid": 0, "inconclusive": 0, "unreadable": 0}


# --- 9: folders: non-credential JSON skipped; subfolders only with --recursive (as for import) -----

def test_folder_skips_non_credential_json_and_recurses_only_when_asked(tmp_path, signed):
    folder = tmp_path / "app"
    (folder / "sub").mkdir(parents=True)
    write(folder / "package.json", json.dumps({"name": "not a credential"}))
    (folder / "README.txt").write_text("hello")
    write(folder / "sub" / "c.json", signed)
    result = cli("verify", str(folder), "--json")
    assert result.exit_code == 2 and json.loads(result.stdout)["error"] == "no credentials found"
    assert "subfolders need --recursive" in cli("verify", str(folder)).stderr
    for flag in ("--recursive", "-r"):
        as_json = json.loads(cli("verify", str(folder), flag, "--json").stdout)
        assert [i["source"] for i in as_json["inputs"]] == [str(folder / "sub" / "c.json")]
        assert as_json["verdict"] == "valid"
    # named explicitly, the same non-credential file is unreadable
    assert cli("verify", str(folder / "package.json")).exit_code == 2


def test_fast_path_takes_recursive():
    from lerwallet.cli.fastpath import parse_verify

    assert parse_verify(["app", "--recursive"])["recursive"] is True
    assert parse_verify(["app", "-r"])["recursive"] is True
