"""bbs-2023 in the learner's wallet: `import` keeps the issuer's base credential (checked in full
as the holder's copy), `present --disclose` derives a fresh BBS proof from it, and `verify`
(the employer) accepts the presentation; a base credential itself is never shared."""

from __future__ import annotations

import base64
import copy
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lerwallet.cli.app import app

INTEROP = Path(__file__).parent / "interop" / "bbs"
PW = "bbs wallet pass"


def run(*args):
    result = CliRunner().invoke(app, list(args), env={"LERWALLET_PASSPHRASE": PW}, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def _base() -> dict:
    return json.loads((INTEROP / "js-base.json").read_text("utf-8"))


@pytest.fixture
def wallet(isolated_home, tmp_path):
    assert run("init").exit_code == 0
    (tmp_path / "base.json").write_text(json.dumps(_base()))
    imported = run("import", str(tmp_path / "base.json"))
    assert imported.exit_code == 0, imported.output
    [row] = json.loads(run("list", "--json").stdout)
    assert row["status"] == "verified"
    return {"id": row["id"], "tmp": tmp_path}


def _header(credential: dict) -> int:
    return base64.urlsafe_b64decode(credential["proof"]["proofValue"][1:5] + "==")[2]


def test_present_disclose_derives_a_bbs_proof_the_employer_verifies(wallet):
    out = wallet["tmp"] / "vp.json"
    r = run("present", wallet["id"][:8], "--disclose", "/credentialSubject/achievement/description",
            "--domain", "acme.example", "--challenge", "c-1", "--out", str(out))
    assert r.exit_code == 0, r.output
    assert "the issuer requires /issuer, /validFrom, /credentialSubject/achievement/name to be shown" in r.stderr
    [shared] = json.loads(out.read_text())["verifiableCredential"]
    assert _header(shared) == 0x03  # a derived proof; the base is never shared
    achievement = shared["credentialSubject"]["achievement"]
    assert achievement["description"] == "Statistics and Python." and "criteria" not in achievement
    assert "result" not in shared["credentialSubject"]
    report = json.loads(run("verify", str(out), "--challenge", "c-1", "--domain", "acme.example", "--json").stdout)
    assert report["verdict"] == "valid"
    [credential] = report["inputs"][0]["credentials"]
    assert [c["outcome"] for c in credential["checks"] if c["id"] == "proof"] == ["pass"]


def test_without_disclose_every_field_is_derived_and_each_proof_is_fresh(wallet):
    shared = []
    for n in (1, 2):
        out = wallet["tmp"] / f"vp{n}.json"
        assert run("present", wallet["id"][:8], "--domain", "acme.example", "--out", str(out)).exit_code == 0
        [credential] = json.loads(out.read_text())["verifiableCredential"]
        assert _header(credential) == 0x03
        shared.append(credential)
    base = _base()
    assert {k: v for k, v in shared[0].items() if k != "proof"} == {k: v for k, v in base.items() if k != "proof"}
    assert shared[0]["proof"]["proofValue"] != shared[1]["proof"]["proofValue"]  # unlinkable
    for n in (1, 2):
        assert json.loads(run("verify", str(wallet["tmp"] / f"vp{n}.json"), "--json").stdout)["verdict"] == "valid"


def test_recheck_keeps_the_base_credential_verified(wallet):
    r = run("recheck", wallet["id"][:8])
    assert r.exit_code == 0, r.output
    assert json.loads(run("list", "--json").stdout)[0]["status"] == "verified"


def test_verify_still_refuses_a_base_credential_for_an_employer(wallet):
    r = run("verify", str(wallet["tmp"] / "base.json"))
    assert r.exit_code == 1 and "base proof" in r.output


@pytest.mark.parametrize("change, reason", [
    (lambda d: d["credentialSubject"]["achievement"].__setitem__("description", "Statistics, Python and R."),
     "BBS signature does not match"),
    (lambda d: d["credentialSubject"]["achievement"].__setitem__("name", "Data Science"), "header does not match"),
    (lambda d: d["proof"].__setitem__("verificationMethod", json.loads(
        (INTEROP / "tampered-wrong-key.json").read_text())["proof"]["verificationMethod"]),
     "another key than its verification method"),
])
def test_import_refuses_a_changed_base_credential(isolated_home, tmp_path, change, reason):
    assert run("init").exit_code == 0
    doc = copy.deepcopy(_base())
    change(doc)
    (tmp_path / "x.json").write_text(json.dumps(doc))
    r = run("import", str(tmp_path / "x.json"))
    assert r.exit_code == 1 and reason in " ".join(r.output.split())
    assert json.loads(run("list", "--json").stdout) == []
