"""`lerwallet serve --verifier`: the VC-API endpoint contract, driven through the real Starlette
app in-process (Starlette's TestClient: no socket), with credentials signed here.

The contract (docs/serve.md): verified -> 200 {verified: true, checks, warnings, errors: []};
not verified -> 400 with the same body (w3c-ccg/vc-api-verifier-test-suite, tests/helpers.js
`testBadRequestError`: "Expected status code 400 Bad Request"); a request lerwallet cannot
process -> 422; too large -> 413; not JSON -> 415; busy or too slow -> 503.
"""

from __future__ import annotations

import copy
import json
import logging
import warnings
from datetime import datetime, timezone

import pytest

from lerwallet.serve import ServeConfig, create_app
from tests.verify_helpers import Party, badge, presentation

with warnings.catch_warnings():  # Starlette >= 1.0 prefers the httpx2 fork; httpx works the same
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


@pytest.fixture(scope="module")
def issuer():
    return Party()


@pytest.fixture(scope="module")
def holder():
    return Party()


@pytest.fixture(scope="module")
def signed(issuer, holder):
    return issuer.sign(badge(issuer, subject=holder.did, name="Welding"))


@pytest.fixture()
def client():
    with TestClient(create_app(ServeConfig(verifier=True))) as c:
        yield c


def _summary(response) -> dict:
    return {k: v for k, v in response.json().items() if k != "lerwallet"}


# --- POST /credentials/verify ------------------------------------------------------------------


def test_a_signed_badge_verifies_200(client, signed):
    r = client.post("/credentials/verify", json={"verifiableCredential": signed, "options": {}})
    assert r.status_code == 200, _summary(r)
    body = r.json()
    assert body["verified"] is True
    assert body["errors"] == [] and body["problemDetails"] == []
    assert {"structure", "proof", "valid-from", "expiration", "status"} <= set(body["checks"])
    # no trust file configured: a warning, not an error (as `lerwallet verify` without --strict)
    assert [w for w in body["warnings"] if w.startswith("issuer.trust:")]
    report = body["lerwallet"]
    assert report["schemaVersion"] == 1 and report["verdict"] == "valid" and report["exitCode"] == 0
    [cred] = report["inputs"][0]["credentials"]
    assert cred["verdict"] == "valid"
    assert r.headers["content-type"].startswith("application/json")


def test_a_forged_badge_is_400_with_the_same_body_shape(client, signed):
    forged = copy.deepcopy(signed)
    forged["name"] = "Welding Master"
    r = client.post("/credentials/verify", json={"verifiableCredential": forged})
    assert r.status_code == 400
    body = r.json()
    assert body["verified"] is False
    assert set(body) == {"verified", "checks", "warnings", "errors", "problemDetails", "lerwallet"}
    assert body["errors"] == ["proof: eddsa-rdfc-2022: signature does not match the document"]
    assert body["problemDetails"][0]["type"] == "urn:lerwallet:problem:invalid_signature"
    assert body["lerwallet"]["verdict"] == "invalid"


@pytest.mark.parametrize("mutation, check", [
    (lambda d: d.pop("@context"), "structure"),
    (lambda d: d.pop("type"), "structure"),
    (lambda d: d.pop("issuer"), "structure"),
    (lambda d: d.pop("credentialSubject"), "structure"),
    (lambda d: d.pop("proof"), "proof"),
    (lambda d: d["proof"].pop("type"), "structure"),  # an untyped proof entry breaks the data model first
    (lambda d: d["proof"].pop("verificationMethod"), "proof"),
    (lambda d: d["proof"].pop("created"), "proof"),
    (lambda d: d["proof"].pop("proofValue"), "proof"),
    (lambda d: d["proof"].pop("proofPurpose"), "proof"),
    (lambda d: d.__setitem__("@context", "string"), "structure"),
    (lambda d: d.__setitem__("@context", [10]), "structure"),
    (lambda d: d.__setitem__("type", 10), "structure"),
    (lambda d: d.__setitem__("type", [True]), "structure"),
    (lambda d: d.__setitem__("issuer", []), "structure"),
    (lambda d: d.__setitem__("credentialSubject", "string"), "structure"),
    (lambda d: d.__setitem__("proof", "string"), "structure"),
    (lambda d: d.__setitem__("proof", []), "proof"),
])
def test_the_verifier_suite_negative_cases_answer_400(client, signed, mutation, check):
    """The cases of w3c-ccg/vc-api-verifier-test-suite tests/10-vc-di.js, on a badge signed here."""
    doc = copy.deepcopy(signed)
    mutation(doc)
    r = client.post("/credentials/verify", json={"verifiableCredential": doc, "options": {"checks": ["proof"]}})
    assert r.status_code == 400, _summary(r)
    body = r.json()
    assert body["verified"] is False and body["errors"]
    failed = [c["id"] for i in body["lerwallet"]["inputs"] for cr in i["credentials"] for c in cr["checks"]
              if c["outcome"] in ("fail", "unknown")]
    assert failed[:1] == [check], failed


def test_an_expired_badge_is_400_and_at_judges_it_as_of_then(client, issuer, holder):
    doc = issuer.sign(badge(issuer, subject=holder.did, validUntil="2024-12-31T00:00:00Z"))
    r = client.post("/credentials/verify", json={"verifiableCredential": doc})
    assert r.status_code == 400
    assert [e for e in r.json()["errors"] if e.startswith("expiration:")]
    r = client.post("/credentials/verify", json={"verifiableCredential": doc, "options": {"at": "2024-06-01"}})
    assert r.status_code == 200, _summary(r)
    assert r.json()["lerwallet"]["checkedAt"] == "2024-06-01T00:00:00Z"


def test_a_vc_jwt_as_a_string_and_as_an_enveloped_credential(client, issuer, holder):
    from lerwallet.proofs.jose import sign_jwt

    doc = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
           "issuer": issuer.did, "validFrom": "2024-01-01T00:00:00Z", "credentialSubject": {"id": holder.did}}
    token = sign_jwt(doc, key_type="ed25519", private_key=issuer.private, kid=issuer.vm)
    r = client.post("/credentials/verify", json={"verifiableCredential": token})
    assert r.status_code == 200, _summary(r)
    assert r.json()["lerwallet"]["inputs"][0]["credentials"][0]["format"] == "jwt"
    enveloped = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "EnvelopedVerifiableCredential",
                 "id": f"data:application/vc+jwt,{token}"}
    r = client.post("/credentials/verify", json={"verifiableCredential": enveloped})
    assert r.status_code == 200, _summary(r)
    head, payload, sig = token.split(".")
    tampered = ".".join([head, payload, ("A" if sig[0] != "A" else "B") + sig[1:]])
    r = client.post("/credentials/verify", json={"verifiableCredential": tampered})
    assert r.status_code == 400 and r.json()["verified"] is False


# --- POST /presentations/verify ----------------------------------------------------------------


def test_a_presentation_with_challenge_and_domain(client, holder, signed):
    vp = presentation(holder, [signed], challenge="8f3e1c", domain="jobs.example.com")
    ok = {"challenge": "8f3e1c", "domain": "jobs.example.com"}
    r = client.post("/presentations/verify", json={"verifiablePresentation": vp, "options": ok})
    assert r.status_code == 200, _summary(r)
    body = r.json()
    assert body["verified"] is True and body["errors"] == []
    assert {"presentation.proof", "presentation.challenge", "presentation.domain", "proof", "holder.binding"} <= set(body["checks"])
    for options, code in (({"challenge": "replayed", "domain": "jobs.example.com"}, "challenge_mismatch"),
                          ({"challenge": "8f3e1c", "domain": "evil.example"}, "domain_mismatch")):
        r = client.post("/presentations/verify", json={"verifiablePresentation": vp, "options": options})
        assert r.status_code == 400, _summary(r)
        assert [p["type"] for p in r.json()["problemDetails"]][:1] == [f"urn:lerwallet:problem:{code}"], _summary(r)


def test_a_presentation_of_a_forged_credential_names_it(client, holder, signed):
    forged = copy.deepcopy(signed)
    forged["credentialSubject"]["achievement"]["name"] = "Rocket science"
    vp = presentation(holder, [forged], challenge="c1", domain="d.example")
    r = client.post("/presentations/verify", json={"verifiablePresentation": vp, "options": {"challenge": "c1", "domain": "d.example"}})
    assert r.status_code == 400
    assert "verifiableCredential[0] proof: eddsa-rdfc-2022: signature does not match the document" in r.json()["errors"]


def test_a_stranger_presenting_someone_elses_badge_is_400(client, signed):
    stranger = Party()
    vp = presentation(stranger, [signed], challenge="c1")
    r = client.post("/presentations/verify", json={"verifiablePresentation": vp, "options": {"challenge": "c1"}})
    assert r.status_code == 400
    assert any(e.startswith("verifiableCredential[0] holder.binding:") for e in r.json()["errors"])


def test_a_vp_jwt_string_answers_its_nonce(client, holder, signed):
    from lerwallet.proofs.jose import sign_jwt

    vp = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"], "holder": holder.did,
          "verifiableCredential": [signed]}
    token = sign_jwt(vp, key_type="ed25519", private_key=holder.private, kid=holder.vm, nonce="n1")
    r = client.post("/presentations/verify", json={"verifiablePresentation": token, "options": {"challenge": "n1"}})
    assert r.status_code == 200, _summary(r)
    assert r.json()["lerwallet"]["inputs"][0]["container"] == "jwt"
    r = client.post("/presentations/verify", json={"verifiablePresentation": token, "options": {"challenge": "n2"}})
    assert r.status_code == 400 and r.json()["errors"] == ["presentation.proof: vc-jwt: JWT nonce 'n1' is not 'n2'"]


def test_each_endpoint_refuses_the_other_kind_422(client, holder, signed):
    vp = presentation(holder, [signed])
    r = client.post("/credentials/verify", json={"verifiableCredential": vp})
    assert (r.status_code, r.json()["problemDetails"][0]["type"]) == (422, "urn:lerwallet:problem:wrong-endpoint")
    r = client.post("/presentations/verify", json={"verifiablePresentation": signed})
    assert r.status_code == 422 and "post it to /credentials/verify" in r.json()["errors"][0]


# --- malformed requests, caps ------------------------------------------------------------------


@pytest.mark.parametrize("body, message", [
    (b"[1, 2]", "request body must be a JSON object, not an array"),
    (b"{\"verifiableCredential\": ", "request body is not JSON lerwallet accepts"),
    (b"{}", "the request has no verifiableCredential"),
    (b"{\"verifiableCredential\": 42}", "verifiableCredential must be a JSON object (or a compact JWT string), not a number"),
    (b"{\"verifiableCredential\": \"hello\"}", "verifiableCredential is a string but not a compact JWT or SD-JWT"),
    (b"{\"verifiableCredential\": {}, \"options\": []}", "options must be a JSON object"),
    (b"{\"verifiableCredential\": {}, \"options\": {\"challenge\": 5}}", "options.challenge must be a string"),
    (b"{\"verifiableCredential\": {}, \"options\": {\"at\": \"yesterday\"}}", "options.at 'yesterday' is not an ISO 8601"),
    (b"{\"verifiableCredential\": {}, \"options\": {\"checks\": \"proof\"}}", "options.checks must be a list of strings"),
    (b"{\"a\": 1, \"a\": 2}", "request body is not JSON lerwallet accepts"),
])
def test_malformed_requests_are_422(client, body, message):
    r = client.post("/credentials/verify", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    out = r.json()
    assert out["verified"] is False and out["errors"][0].startswith(message), out["errors"]


def test_too_large_is_413_before_reading_it_all(client):
    from lerwallet.formats import limits

    big = b"{\"verifiableCredential\": \"" + b"a" * (limits.MAX_INPUT_BYTES + 10) + b"\"}"
    r = client.post("/credentials/verify", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and "larger than 8 MiB" in r.json()["errors"][0]

    def chunks():  # no Content-Length: counted while it streams
        yield b"{\"verifiableCredential\": \""
        for _ in range(9):
            yield b"a" * (1024 * 1024)
        yield b"\"}"

    r = client.post("/credentials/verify", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_other_media_types_are_415_and_other_routes_json_404_405(client, signed):
    r = client.post("/credentials/verify", content=json.dumps({"verifiableCredential": signed}), headers={"content-type": "text/plain"})
    assert r.status_code == 415
    r = client.post("/credentials/verify", content=json.dumps({"verifiableCredential": signed}),
                    headers={"content-type": "application/ld+json"})
    assert r.status_code == 200
    assert client.get("/credentials/verify").status_code == 405
    r = client.get("/credentials/issue")
    assert r.status_code == 404 and r.json()["errors"] == ["no such endpoint: /credentials/issue"]


def test_unknown_options_are_warnings_not_errors(client, signed):
    r = client.post("/credentials/verify", json={"verifiableCredential": signed, "options": {"checks": ["proof"], "foo": 1}})
    assert r.status_code == 200
    warnings_ = r.json()["warnings"]
    assert "options.foo: not supported; ignored" in warnings_


def test_healthz(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json()["status"] == "ok" and r.json()["roles"] == ["verifier"]


def test_without_a_role_nothing_but_healthz():
    with TestClient(create_app(ServeConfig())) as c:
        assert c.get("/healthz").json()["roles"] == []
        assert c.post("/credentials/verify", json={}).status_code == 404


# --- process-wide configuration: trust, strict, offline -----------------------------------------


def test_the_process_wide_trust_file_and_strict_apply_to_every_request(tmp_path, issuer, signed):
    from lerwallet.verify.options import prepare

    registry = tmp_path / "trust.json"
    registry.write_text(json.dumps({"name": "Employer list", "allow": [issuer.did]}))
    opts = prepare(None, trust=[registry], strict=True)
    with TestClient(create_app(ServeConfig(verifier=True, options=opts))) as c:
        r = c.post("/credentials/verify", json={"verifiableCredential": signed})
        assert r.status_code == 200, _summary(r)
        assert not [w for w in r.json()["warnings"] if w.startswith("issuer.trust")]
        other = Party()
        r = c.post("/credentials/verify", json={"verifiableCredential": other.sign(badge(other))})
        assert r.status_code == 400  # unknown issuer: a warning, a failure under strict
        assert [e for e in r.json()["errors"] if e.startswith("issuer.trust:")]


def test_a_status_list_offline_is_inconclusive_so_400(client, issuer, holder):
    doc = badge(issuer, subject=holder.did, credentialStatus={
        "id": "https://status.example/list#5", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
        "statusListIndex": "5", "statusListCredential": "https://status.example/list"})
    r = client.post("/credentials/verify", json={"verifiableCredential": issuer.sign(doc)})
    assert r.status_code == 400
    body = r.json()
    assert body["lerwallet"]["verdict"] == "inconclusive"
    assert [e for e in body["errors"] if e.startswith("status.revocation:")], body["errors"]


# --- concurrency, timeouts, access log ----------------------------------------------------------


def test_concurrent_requests_each_get_their_own_verdict(signed, holder):
    import concurrent.futures

    forged = copy.deepcopy(signed)
    forged["name"] = "x"
    with TestClient(create_app(ServeConfig(verifier=True, max_concurrency=4, threads=2))) as c:
        def post(i):
            doc = signed if i % 2 == 0 else forged
            return i, c.post("/credentials/verify", json={"verifiableCredential": doc}).status_code

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            results = dict(pool.map(post, range(24)))
    assert results == {i: 200 if i % 2 == 0 else 400 for i in range(24)}


def test_a_request_over_the_timeout_is_503_and_frees_its_slot_only_when_done(monkeypatch, signed):
    import threading

    from lerwallet import verify as verify_mod

    release = threading.Event()
    real = verify_mod.verify_bytes

    def slow(*args, **kwargs):
        release.wait(5)
        return real(*args, **kwargs)

    monkeypatch.setattr(verify_mod, "verify_bytes", slow)
    app = create_app(ServeConfig(verifier=True, max_concurrency=1, threads=1, timeout=0.3))
    with TestClient(app) as c:
        r = c.post("/credentials/verify", json={"verifiableCredential": signed})
        assert r.status_code == 503 and r.json()["problemDetails"][0]["type"] == "urn:lerwallet:problem:timeout"
        assert r.headers["retry-after"] == "1"
        # the abandoned verification still holds the only slot: the next request waits, then 503 busy
        r = c.post("/credentials/verify", json={"verifiableCredential": signed})
        assert r.status_code == 503 and r.json()["problemDetails"][0]["type"] == "urn:lerwallet:problem:busy"
        release.set()
        monkeypatch.setattr(verify_mod, "verify_bytes", real)
        for _ in range(50):
            if app.state.gate.running == 0:
                break
            import time

            time.sleep(0.05)
        r = c.post("/credentials/verify", json={"verifiableCredential": signed})
        assert r.status_code == 200


def test_the_access_log_is_json_and_never_holds_credential_content(client, signed, caplog):
    caplog.set_level(logging.INFO, logger="lerwallet.serve.access")
    secret = copy.deepcopy(signed)
    secret["credentialSubject"]["achievement"]["name"] = "SECRET-ACHIEVEMENT"
    r = client.post("/credentials/verify?token=SECRET-QUERY", json={"verifiableCredential": secret, "options": {"challenge": "SECRET-CHALLENGE"}},
                    headers={"authorization": "Bearer SECRET-TOKEN"})
    assert r.status_code == 400
    client.get("/healthz")
    lines = [rec.getMessage() for rec in caplog.records if rec.name == "lerwallet.serve.access"]
    assert len(lines) == 2
    entries = [json.loads(line) for line in lines]
    assert entries[0]["method"] == "POST" and entries[0]["path"] == "/credentials/verify" and entries[0]["status"] == 400
    assert entries[0]["verdict"] == "invalid" and entries[0]["bytesIn"] > 1000 and entries[0]["id"] == r.headers["x-request-id"]
    assert entries[1]["path"] == "/healthz" and "verdict" not in entries[1]
    text = "\n".join(lines)
    for secret_text in ("SECRET", signed["issuer"]["id"], "Welding"):
        assert secret_text not in text


def test_verifying_opens_no_socket_offline(client, signed, network_attempts):
    """The suite-wide guard refuses every socket; a did:web issuer offline is unknown, not fetched."""
    doc = copy.deepcopy(signed)
    doc["issuer"]["id"] = "did:web:issuer.example"
    r = client.post("/credentials/verify", json={"verifiableCredential": doc})
    assert r.status_code == 400 and network_attempts == []
