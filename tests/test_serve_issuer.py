"""`lerwallet serve --issuer IDENTITY`: POST /credentials/issue, driven through the real Starlette
app in-process (no socket) with identities from a real wallet, and once as a real process.

The contract the W3C vc-api-issuer-test-suite checks (tests/10-issuer.js, tests/assertions.js):
201 `{verifiableCredential}` with `id`, `type` containing VerifiableCredential, `issuer`,
`credentialSubject` and an object `proof`; 400 for every malformed request or credential."""

from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
import sys
import time
import warnings
from datetime import datetime, timedelta, timezone

import pytest
from typer.testing import CliRunner

from lerwallet.serve import ServeConfig, create_app
from lerwallet.store import Wallet
from lerwallet.verify import Options, verify_bytes

with warnings.catch_warnings():  # Starlette >= 1.0 prefers the httpx2 fork; httpx works the same
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

PASS = "wallet passphrase for tests"
V1 = "https://www.w3.org/2018/credentials/v1"
V2 = "https://www.w3.org/ns/credentials/v2"
TOKEN = b"s3cret-issuer-token-for-tests-0123"


@pytest.fixture
def signers(isolated_home):
    """Two identities in a real wallet: Ed25519 did:key and P-256 did:key; their Signers."""
    from lerwallet import identity
    from lerwallet.issue import signer_for

    with Wallet.create(isolated_home, PASS.encode()) as w:
        identity.create(w, name="ed")
        identity.create(w, key_type="p256", name="p256")
        return {"ed": signer_for(w, "ed"), "p256": signer_for(w, "p256")}


def client_for(signer, token: bytes | None = None) -> TestClient:
    return TestClient(create_app(ServeConfig(extra={"signer": signer, "token": token})))


def suite_request(signer) -> dict:
    """The request the W3C issuer suite builds (tests/validVC.json, a VC 1.1 degree; its issuer set
    to the implementation's DID, an issuanceDate)."""
    return {"credential": {
        "@context": [V1, "https://www.w3.org/2018/credentials/examples/v1"],
        "type": ["VerifiableCredential", "UniversityDegreeCredential"],
        "issuer": signer.did,
        "issuanceDate": "2024-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:key:z6MktKwz7Ge1Yxzr4JHavN33wiwa8y81QdcMRLXQsrH9T53b",
                              "degree": {"type": "BachelorDegree", "name": "Bachelor of Science and Arts"}},
    }, "options": {}}


def v2_badge(signer) -> dict:
    return {
        "@context": [V2, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": signer.did, "type": ["Profile"], "name": "Riverside Community Garden"},
        "validFrom": "2024-01-01T00:00:00Z",
        "name": "Community Garden Volunteer",
        "credentialSubject": {"id": "did:example:ada", "type": ["AchievementSubject"], "achievement": {
            "id": "https://garden.example/a/1", "type": ["Achievement"], "name": "Community Garden Volunteer",
            "description": "Forty hours.", "criteria": {"narrative": "Forty hours in one season."}}},
    }


def _verified(vc: dict) -> dict:
    [report] = verify_bytes(json.dumps(vc).encode(), Options(), expect="object")
    [cred] = report.credentials
    checks = {c.id: c.outcome for c in cred.checks}
    assert checks["proof"] == "pass", [(c.id, c.reason) for c in cred.checks]
    return checks


def _shaped_like_the_suite_wants(vc: dict) -> None:
    """tests/assertions.js shouldBeIssuedVc."""
    assert isinstance(vc, dict) and "@context" in vc and "VerifiableCredential" in vc["type"]
    assert isinstance(vc["id"], str) and isinstance(vc["credentialSubject"], dict)
    assert isinstance(vc["issuer"], (str, dict)) and isinstance(vc["proof"], dict)


def test_the_suite_request_is_issued_201_vc11_gets_the_data_integrity_context(signers):
    with client_for(signers["ed"]) as c:
        r = c.post("/credentials/issue", json=suite_request(signers["ed"]))
    assert r.status_code == 201, r.json()
    vc = r.json()["verifiableCredential"]
    _shaped_like_the_suite_wants(vc)
    assert vc["id"].startswith("urn:uuid:")
    assert vc["@context"][-1] == "https://w3id.org/security/data-integrity/v2"
    assert vc["proof"]["cryptosuite"] == "eddsa-rdfc-2022" and vc["proof"]["verificationMethod"].startswith(signers["ed"].did)
    _verified(vc)


def test_vc2_ed25519_and_p256(signers):
    for name, suite in (("ed", "eddsa-rdfc-2022"), ("p256", "ecdsa-rdfc-2019")):
        with client_for(signers[name]) as c:
            r = c.post("/credentials/issue", json={"credential": v2_badge(signers[name])})
        assert r.status_code == 201, r.json()
        vc = r.json()["verifiableCredential"]
        assert vc["proof"]["cryptosuite"] == suite and vc["@context"][:1] == [V2]
        assert _verified(vc)["schema"] == "pass"


def test_ecdsa_sd_2023_base_proof_with_mandatory_pointers_derives_and_verifies(signers):
    from lerwallet.proofs.ecdsa_sd_derive import derive, is_base_credential

    pointers = ["/issuer", "/credentialSubject/achievement/name"]
    with client_for(signers["p256"]) as c:
        r = c.post("/credentials/issue", json={"credential": v2_badge(signers["p256"]),
                                               "options": {"mandatoryPointers": pointers}})
    assert r.status_code == 201, r.json()
    base = r.json()["verifiableCredential"]
    assert base["proof"]["cryptosuite"] == "ecdsa-sd-2023" and is_base_credential(base)
    # the issuer's copy for the holder: an employer's verifier refuses it, the holder's wallet checks it in full
    [report] = verify_bytes(json.dumps(base).encode(), Options(), expect="object")
    [proof] = [c for c in report.credentials[0].checks if c.id == "proof"]
    assert (proof.outcome, proof.code) == ("fail", "sd_base_proof"), proof
    from lerwallet.proofs.holder_copy import holder_copies

    with holder_copies():
        _verified(base)
    derived = derive(base, ["/credentialSubject/achievement/description"]).document
    assert derived["credentialSubject"]["achievement"]["name"] == "Community Garden Volunteer"  # mandatory
    assert "criteria" not in derived["credentialSubject"]["achievement"]  # not disclosed
    _verified(derived)


@pytest.mark.parametrize("options, status, text", [
    ({"mandatoryPointers": ["/issuer"]}, 400, "signs eddsa-rdfc-2022, not ecdsa-sd-2023"),
    ({"mandatoryPointers": "issuer"}, 400, "must be a list of JSON Pointers"),
    ({"cryptosuite": "bbs-2023"}, 400, "not bbs-2023"),
    ("fast", 400, "options must be a JSON object"),
])
def test_bad_options(signers, options, status, text):
    with client_for(signers["ed"]) as c:
        r = c.post("/credentials/issue", json={"credential": v2_badge(signers["ed"]), "options": options})
    assert r.status_code == status and text in r.json()["errors"][0]


def _suite_variants(signer):
    """Every invalid-input case of w3c-ccg/vc-api-issuer-test-suite tests/10-issuer.js."""
    def body(change):
        b = suite_request(signer)
        change(b)
        return b

    yield "no credential", body(lambda b: b.update(verifiableCredential=b.pop("credential")))
    yield "no @context", body(lambda b: b["credential"].pop("@context"))
    for bad in (4, False, None, []):
        yield f"@context {bad!r}", body(lambda b, bad=bad: b["credential"].update({"@context": bad}))
    yield "no type", body(lambda b: b["credential"].pop("type"))
    for bad in (4, None, True, []):
        yield f"type {bad!r}", body(lambda b, bad=bad: b["credential"].update(type=bad))
    yield "no issuer", body(lambda b: b["credential"].pop("issuer"))
    for bad in (None, True, 4, []):
        yield f"issuer {bad!r}", body(lambda b, bad=bad: b["credential"].update(issuer=bad))
    yield "no credentialSubject", body(lambda b: b["credential"].pop("credentialSubject"))
    for bad in (None, True, 4, [], "did:example:1234"):
        yield f"credentialSubject {bad!r}", body(lambda b, bad=bad: b["credential"].update(credentialSubject=bad))


def test_every_invalid_input_of_the_w3c_issuer_suite_is_400(signers):
    cases = list(_suite_variants(signers["ed"]))
    assert len(cases) == 22
    with client_for(signers["ed"]) as c:
        for name, body in cases:
            r = c.post("/credentials/issue", json=body)
            assert r.status_code == 400, (name, r.status_code, r.json())
            assert r.json()["errors"], name


def test_expiration_date_is_allowed_201(signers):
    body = suite_request(signers["ed"])
    later = datetime.now(timezone.utc) + timedelta(days=365)
    body["credential"]["expirationDate"] = later.strftime("%Y-%m-%dT%H:%M:%SZ")
    with client_for(signers["ed"]) as c:
        r = c.post("/credentials/issue", json=body)
    assert r.status_code == 201, r.json()
    _verified(r.json()["verifiableCredential"])


@pytest.mark.parametrize("change, code", [
    (lambda cr: cr.update(favouriteColour="green"), "jsonld-safe-mode"),  # VC 1.1 has no @vocab: undefined
    (lambda cr: cr.update(issuer="did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"), "wrong-issuer"),
    (lambda cr: cr.update(proof={"type": "DataIntegrityProof"}), "bad-request"),
    (lambda cr: cr.update({"@context": [V1, "https://example.org/unknown-context/v1"]}), "unknown-context"),
    (lambda cr: cr.update(issuanceDate="yesterday"), None),
])
def test_what_lerwallet_would_not_verify_is_refused_400(signers, change, code):
    body = suite_request(signers["ed"])
    change(body["credential"])
    with client_for(signers["ed"]) as c:
        r = c.post("/credentials/issue", json=body)
    assert r.status_code == 400, r.json()
    if code is not None:
        assert r.json()["problemDetails"][0]["type"] == "urn:lerwallet:problem:" + code, r.json()


def test_vc2_structure_errors_are_400(signers):
    doc = v2_badge(signers["ed"])
    doc["validFrom"] = "not a date"
    with client_for(signers["ed"]) as c:
        r = c.post("/credentials/issue", json={"credential": doc})
        assert r.status_code == 400
        doc = v2_badge(signers["ed"])
        doc["type"] = ["OpenBadgeCredential"]  # VerifiableCredential missing
        r = c.post("/credentials/issue", json={"credential": doc})
        assert r.status_code == 400


def test_bearer_token_constant_time_401_without_it(signers):
    body = {"credential": v2_badge(signers["ed"])}
    with client_for(signers["ed"], TOKEN) as c:
        r = c.post("/credentials/issue", json=body)
        assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
        r = c.post("/credentials/issue", json=body, headers={"Authorization": "Bearer wrong-token"})
        assert r.status_code == 401
        r = c.post("/credentials/issue", json=body, headers={"Authorization": "Basic " + TOKEN.decode()})
        assert r.status_code == 401
        r = c.post("/credentials/issue", json=body, headers={"Authorization": "Bearer " + TOKEN.decode()})
        assert r.status_code == 201
        assert c.get("/healthz").json()["roles"] == ["issuer"]


def test_the_issuer_route_exists_only_when_asked_for(signers):
    with TestClient(create_app(ServeConfig(verifier=True))) as c:
        r = c.post("/credentials/issue", json={"credential": v2_badge(signers["ed"])})
        assert r.status_code == 404


def test_the_request_is_not_changed_in_place_and_answers_are_json(signers):
    body = {"credential": v2_badge(signers["ed"])}
    before = copy.deepcopy(body)
    with client_for(signers["ed"]) as c:
        r = c.post("/credentials/issue", content=b"{not json", headers={"content-type": "application/json"})
        assert r.status_code in (400, 422) and r.json()["errors"]
        r = c.post("/credentials/issue", json=body)
    assert r.status_code == 201 and body == before


# --- the command -----------------------------------------------------------------------------------


def _cli(*args, env=None):
    result = CliRunner().invoke(__import__("lerwallet.cli.app", fromlist=["app"]).app, list(args), env=env)
    assert "Traceback" not in result.output
    return result


def test_serve_issuer_usage_errors(tmp_path, signers):
    token = tmp_path / "token.txt"
    token.write_text("short\n")
    cert, key = tmp_path / "c.pem", tmp_path / "k.pem"
    cert.write_text("x")
    key.write_text("x")
    r = _cli("serve", "--verifier", "--token-file", str(token))
    assert r.exit_code == 2 and "--token-file protects the issuer role" in r.stderr
    r = _cli("serve", "--issuer", "ed", "--host", "0.0.0.0", "--tls-cert", str(cert), "--tls-key", str(key))
    assert r.exit_code == 2 and "without --token-file" in r.stderr
    r = _cli("serve", "--issuer", "ed", "--token-file", str(token), env={"LERWALLET_PASSPHRASE": PASS})
    assert r.exit_code == 2 and "does not hold a usable token" in r.stderr
    r = _cli("serve", "--issuer", "nobody", env={"LERWALLET_PASSPHRASE": PASS})
    assert r.exit_code == 2 and "no identity 'nobody'" in r.stderr


@pytest.mark.network
def test_serve_issuer_process_issues_and_stops_on_sigterm(tmp_path, signers, isolated_home):
    import httpx

    token = tmp_path / "token.txt"
    token.write_text(TOKEN.decode() + "\n")
    env = dict(os.environ, LERWALLET_PASSPHRASE=PASS, LERWALLET_HOME=str(isolated_home))
    proc = subprocess.Popen([sys.executable, "-m", "lerwallet", "serve", "--issuer", "ed", "--verifier", "--token-file",
                             str(token), "--port", "0", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    try:
        line = proc.stdout.readline()
        assert line, proc.stderr.read()
        started = json.loads(line)
        assert started["roles"] == ["verifier", "issuer"] and started["issuer"] == signers["ed"].did
        assert started["issuerToken"] is True and TOKEN.decode() not in line
        url = started["url"]
        with httpx.Client(timeout=30) as client:
            for _ in range(100):
                try:
                    if client.get(url + "/healthz").status_code == 200:
                        break
                except Exception:
                    time.sleep(0.05)
            r = client.post(url + "/credentials/issue", json={"credential": v2_badge(signers["ed"])},
                            headers={"Authorization": "Bearer " + TOKEN.decode()})
            assert r.status_code == 201, r.text
            vc = r.json()["verifiableCredential"]
            r = client.post(url + "/credentials/verify", json={"verifiableCredential": vc})
            assert r.status_code == 200 and r.json()["verified"] is True
            assert client.post(url + "/credentials/issue", json={"credential": v2_badge(signers["ed"])}).status_code == 401
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        finally:
            if proc.poll() is None:
                proc.kill()
    stderr = proc.stderr.read()
    assert proc.returncode == 0, stderr
    assert TOKEN.decode() not in stderr and "Traceback" not in stderr


def test_the_config_file_names_the_issuer_and_its_token_file(tmp_path):
    from lerwallet.serve.config import build, read_token

    (tmp_path / "token.txt").write_text(TOKEN.decode() + "\n")
    conf = tmp_path / "serve.toml"
    conf.write_text('issuer = "garden"\ntoken-file = "token.txt"\n')
    cfg = build(None, {}, config_file=conf)
    assert cfg.verifier is False and cfg.extra == {"issuer": "garden", "token-file": tmp_path / "token.txt"}
    assert read_token(cfg.extra["token-file"]) == TOKEN
    conf.write_text('issuer = 7\n')
    with pytest.raises(Exception, match="issuer must be a str"):
        build(None, {}, config_file=conf)
