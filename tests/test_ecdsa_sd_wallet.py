"""ecdsa-sd-2023 base credentials, as for bbs-2023 (tests/test_bbs_wallet.py): an employer's
`verify` and `serve --verifier` refuse the issuer's base copy in plain words (`sd_base_proof`,
as the reference verifier does), the learner's `import`/`recheck` keep it after checking it in
full as the holder's copy, and `present --disclose` derives a proof the employer verifies."""

from __future__ import annotations

import base64
import copy
import json
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lerwallet import crypto
from lerwallet.cli.app import app
from lerwallet.keys.dids import did_key_from_public
from lerwallet.proofs.ecdsa_sd_derive import create_base_proof

INTEROP = Path(__file__).parent / "interop" / "ecdsa-sd"
PW = "ecdsa-sd wallet pass"
MANDATORY = ["/issuer", "/validFrom", "/credentialSubject/achievement/name"]
REASON = ("this is an ecdsa-sd-2023 base proof, the issuer's copy for the holder: the holder must derive a proof "
          "(choosing what to disclose) before sharing it (with lerwallet: import it, then present --disclose, "
          "or export it for a copy that shows every field)")


def run(*args):
    result = CliRunner().invoke(app, list(args), env={"LERWALLET_PASSPHRASE": PW}, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


@pytest.fixture(scope="module")
def issuer():
    private = crypto.generate_private_key("p256")
    did = did_key_from_public("p256", crypto.public_key_of("p256", private))
    return private, did, f"{did}#{did.split(':')[2]}"


@pytest.fixture(scope="module")
def base(issuer) -> dict:
    """A base credential from a fresh P-256 issuer (an email-style subject: no DID to bind)."""
    private, did, vm = issuer
    doc = {
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:0c5b6a3e-7d4e-4a51-9a5e-5d2023000001",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Data Analysis",
        "issuer": {"id": did, "type": ["Profile"], "name": "Northside College"},
        "validFrom": "2024-06-01T00:00:00Z",
        "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
            "id": "https://northside.example/a/data", "type": ["Achievement"], "name": "Data Analysis",
            "description": "Statistics and Python.", "criteria": {"narrative": "Passed the exam."}},
            "result": [{"type": ["Result"], "value": "A"}, {"type": ["Result"], "value": "distinction"}]},
    }
    return create_base_proof(doc, private_key=private, verification_method=vm, mandatory_pointers=MANDATORY)


def _header(credential: dict) -> bytes:
    return base64.urlsafe_b64decode(credential["proof"]["proofValue"][1:5] + "==")[:3]


def _proof_check(report: dict) -> dict:
    [credential] = report["inputs"][0]["credentials"]
    [check] = [c for c in credential["checks"] if c["id"] == "proof"]
    return check


@pytest.fixture
def wallet(isolated_home, tmp_path, base):
    assert run("init").exit_code == 0
    (tmp_path / "base.json").write_text(json.dumps(base))
    imported = run("import", str(tmp_path / "base.json"))
    assert imported.exit_code == 0, imported.output
    [row] = json.loads(run("list", "--json").stdout)
    assert row["status"] == "verified"
    return {"id": row["id"], "tmp": tmp_path}


@pytest.mark.parametrize("source", ["ours", "lerwallet-base.json", "js-base.json"])
def test_verify_refuses_a_base_credential_in_plain_words(tmp_path, base, source):
    doc = base if source == "ours" else json.loads((INTEROP / source).read_text("utf-8"))
    assert _header(doc) == b"\xd9\x5d\x00"
    (tmp_path / "base.json").write_text(json.dumps(doc))
    r = run("verify", str(tmp_path / "base.json"), "--json")
    assert r.exit_code == 1
    report = json.loads(r.stdout)
    assert report["verdict"] == "invalid"
    check = _proof_check(report)
    assert (check["outcome"], check["problem"]["type"]) == ("fail", "urn:lerwallet:problem:sd_base_proof")
    assert [(p["suite"], p["code"], p["reason"]) for p in check["details"]["proofs"]] == [
        ("ecdsa-sd-2023", "sd_base_proof", REASON)]
    plain = run("verify", str(tmp_path / "base.json"))
    assert plain.exit_code == 1
    assert "the holder must derive a proof (choosing what to disclose) before sharing it" in " ".join(
        plain.output.replace("│", " ").split())


def test_serve_verifier_refuses_a_base_credential(base):
    from lerwallet.serve import ServeConfig, create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    with TestClient(create_app(ServeConfig(verifier=True))) as client:
        r = client.post("/credentials/verify", json={"verifiableCredential": base})
    assert r.status_code == 400
    body = r.json()
    assert body["verified"] is False
    assert [e for e in body["errors"] if e.startswith("proof:")] == [f"proof: ecdsa-sd-2023: {REASON}"]


def test_import_keeps_the_base_credential_as_the_holders_copy(wallet, base):
    r = run("show", wallet["id"][:8], "--json")
    assert r.exit_code == 0, r.output
    shown = json.loads(r.stdout)
    assert json.dumps(shown).count("sd_base_proof") == 0
    r = run("recheck", wallet["id"][:8])
    assert r.exit_code == 0, r.output
    assert json.loads(run("list", "--json").stdout)[0]["status"] == "verified"


def test_present_disclose_derives_a_proof_the_employer_verifies(wallet):
    out = wallet["tmp"] / "vp.json"
    r = run("present", wallet["id"][:8], "--disclose", "/credentialSubject/achievement/description",
            "--domain", "acme.example", "--challenge", "c-1", "--out", str(out))
    assert r.exit_code == 0, r.output
    [shared] = json.loads(out.read_text())["verifiableCredential"]
    assert _header(shared) == b"\xd9\x5d\x01"  # derived; the base (with its HMAC key) is never shared
    achievement = shared["credentialSubject"]["achievement"]
    assert achievement["description"] == "Statistics and Python." and "criteria" not in achievement
    assert "result" not in shared["credentialSubject"]
    report = json.loads(run("verify", str(out), "--challenge", "c-1", "--domain", "acme.example", "--json").stdout)
    assert report["verdict"] == "valid"
    assert _proof_check(report)["outcome"] == "pass"


@pytest.mark.parametrize("change, reason", [
    (lambda d: d["credentialSubject"]["achievement"].__setitem__("description", "Statistics, Python and R."),
     "a statement does not match its signature"),
    (lambda d: d["credentialSubject"]["achievement"].__setitem__("name", "Data Science"),
     "issuer signature does not match the mandatory data"),
])
def test_import_refuses_a_changed_base_credential(isolated_home, tmp_path, base, change, reason):
    assert run("init").exit_code == 0
    doc = copy.deepcopy(base)
    change(doc)
    (tmp_path / "x.json").write_text(json.dumps(doc))
    r = run("import", str(tmp_path / "x.json"))
    assert r.exit_code == 1 and reason in " ".join(r.output.split())
    assert json.loads(run("list", "--json").stdout) == []


def test_import_refuses_a_base_credential_signed_by_another_key(isolated_home, tmp_path, base):
    other = crypto.generate_private_key("p256")
    did = did_key_from_public("p256", crypto.public_key_of("p256", other))
    doc = copy.deepcopy(base)
    doc["proof"]["verificationMethod"] = f"{did}#{did.split(':')[2]}"
    doc["issuer"]["id"] = did
    assert run("init").exit_code == 0
    (tmp_path / "x.json").write_text(json.dumps(doc))
    r = run("import", str(tmp_path / "x.json"))
    assert r.exit_code == 1 and "issuer signature does not match the mandatory data" in " ".join(r.output.split())


def _sd_proofs(value, out):
    if isinstance(value, dict):
        if isinstance(value.get("proof"), dict) and value["proof"].get("cryptosuite") == "ecdsa-sd-2023":
            out.append(value)
        for v in value.values():
            _sd_proofs(v, out)
    elif isinstance(value, list):
        for v in value:
            _sd_proofs(v, out)
    return out


def test_a_resume_carries_a_derived_copy_never_the_base(wallet, base):
    out = wallet["tmp"] / "resume.json"
    r = run("export", "resume", "--format", "ler-rs", "--name", "Ada Lovelace", "--out", str(out))
    assert r.exit_code == 0, r.output
    [shared] = _sd_proofs(json.loads(out.read_text()), [])
    assert _header(shared) == b"\xd9\x5d\x01"  # derived: the base proof's HMAC key stays in the wallet
    assert {k: v for k, v in shared.items() if k != "proof"} == {k: v for k, v in base.items() if k != "proof"}
    (wallet["tmp"] / "shared.json").write_text(json.dumps(shared))
    report = json.loads(run("verify", str(wallet["tmp"] / "shared.json"), "--json").stdout)
    assert report["verdict"] == "valid" and _proof_check(report)["outcome"] == "pass"
    html = run("export", "resume", "--format", "html", "--out", str(wallet["tmp"] / "resume.html"))
    assert html.exit_code == 0, html.output
