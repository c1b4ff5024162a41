"""End-to-end verification of credentials and presentations signed here with real keys."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from typer.testing import CliRunner

from lerwallet.cli.app import app
from lerwallet.verify import Options, verify_bytes, verify_inputs
from lerwallet.verify.bitstring import encode
from tests.verify_helpers import V2, Party, badge, presentation, write

AT = datetime(2026, 11, 28, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def issuer():
    return Party()


@pytest.fixture(scope="module")
def holder():
    return Party()


@pytest.fixture(scope="module")
def signed(issuer, holder):
    return issuer.sign(badge(issuer, subject=holder.did))


def _cli(*args):
    result = CliRunner().invoke(app, ["verify", *args])
    return result


def test_valid_credential_exit_0(tmp_path, signed, issuer):
    trust = write(tmp_path / "trust.json", {"allow": {issuer.did: {"name": "Example College"}}, "name": "my list"})
    result = _cli(str(write(tmp_path / "c.json", signed)), "--trust", str(trust), "--json")
    data = json.loads(result.stdout)
    assert result.exit_code == 0, result.stdout
    checks = {c["id"]: c for c in data["inputs"][0]["credentials"][0]["checks"]}
    assert checks["issuer.trust"]["outcome"] == "pass" and "my list" in checks["issuer.trust"]["reason"]
    assert data["verdict"] == "valid" and data["schemaVersion"] == 1


def test_unknown_issuer_warns_and_strict_fails(tmp_path, signed):
    path = str(write(tmp_path / "c.json", signed))
    assert _cli(path).exit_code == 0
    assert _cli(path, "--strict").exit_code == 1


def test_denied_issuer_fails(tmp_path, signed, issuer):
    trust = write(tmp_path / "t.json", {"deny": {issuer.did: {"reason": "diploma mill"}}})
    result = _cli(str(write(tmp_path / "c.json", signed)), "--trust", str(trust))
    assert result.exit_code == 1 and "diploma mill" in result.stdout


def test_tampered_fails_and_later_stages_skipped(signed):
    doc = copy.deepcopy(signed)
    doc["credentialSubject"]["achievement"]["name"] = "Brain surgery"
    [report] = verify_bytes(json.dumps(doc).encode(), Options(at=AT))
    cred = report.credentials[0]
    assert cred.check("proof").outcome == "fail" and cred.check("expiration").outcome == "skipped"


def test_signer_must_be_issuer(issuer):
    other = Party()
    doc = other.sign(badge(issuer))  # issuer claims to be `issuer`, key belongs to `other`
    [report] = verify_bytes(json.dumps(doc).encode(), Options(at=AT))
    assert report.credentials[0].check("proof").outcome == "fail"


def test_presentation_challenge_domain(tmp_path, signed, holder):
    vp = presentation(holder, [signed], challenge="abc123", domain="jobs.example.com")
    path = str(write(tmp_path / "vp.json", vp))
    ok = verify_inputs([path], Options(at=AT, challenge="abc123", domain="jobs.example.com"))[0]
    assert ok.verdict == "valid", [c.to_dict() for c in ok.all_checks()]
    assert ok.credentials[0].check("holder.binding").outcome == "pass"
    bad = verify_inputs([path], Options(at=AT, challenge="other", domain="jobs.example.com"))[0]
    assert bad.verdict == "invalid"
    none = verify_inputs([path], Options(at=AT))[0]
    assert {c.id: c.outcome for c in none.presentation_checks}["presentation.challenge"] == "warn"


def test_presentation_without_challenge_warns_and_holder_mismatch_fails(tmp_path, issuer, holder):
    cred = issuer.sign(badge(issuer, subject="did:example:someone-else"))
    [report] = verify_inputs([str(write(tmp_path / "vp.json", presentation(holder, [cred])))], Options(at=AT))
    assert report.verdict == "invalid"  # issue #10: a DID subject must be proven by the presentation
    assert report.credentials[0].check("holder.binding").outcome == "fail"
    assert {c.id: c.outcome for c in report.presentation_checks}["presentation.challenge"] == "warn"


def _status_setup(tmp_path, issuer, revoked: bool, purpose="revocation"):
    url = "https://status.example.edu/lists/1"
    bits = bytearray(16 * 1024)
    if revoked:
        bits[5 // 8] |= 0x80 >> (5 % 8)
    status_list = issuer.sign({
        "@context": [V2], "id": url, "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.did, "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {"id": url + "#list", "type": "BitstringStatusList", "statusPurpose": purpose, "encodedList": encode(bytes(bits))},
    })
    cache = tmp_path / "lists"
    cache.mkdir()
    write(cache / "anything.json", status_list)
    cred = issuer.sign(badge(issuer, credentialStatus={
        "id": url + "#5", "type": "BitstringStatusListEntry", "statusPurpose": purpose,
        "statusListIndex": "5", "statusListCredential": url}))
    return cred, cache


@pytest.mark.parametrize("revoked,outcome,code", [(False, 0, "pass"), (True, 1, "fail")])
def test_status_via_cache_by_id(tmp_path, issuer, revoked, outcome, code):
    cred, cache = _status_setup(tmp_path, issuer, revoked)
    result = _cli(str(write(tmp_path / "c.json", cred)), "--status-cache", str(cache), "--json", "--at", "2026-11-28T00:00:00Z")
    data = json.loads(result.stdout)
    checks = {c["id"]: c for c in data["inputs"][0]["credentials"][0]["checks"]}
    assert result.exit_code == outcome and checks["status.revocation"]["outcome"] == code


def test_suspension(tmp_path, issuer):
    cred, cache = _status_setup(tmp_path, issuer, True, purpose="suspension")
    [report] = verify_inputs([str(write(tmp_path / "c.json", cred))], Options(at=AT, status_cache=cache))
    assert report.credentials[0].check("status.suspension").code == "suspended"


def test_offline_status_is_inconclusive_exit_4(tmp_path, issuer):
    cred, _ = _status_setup(tmp_path, issuer, False)
    assert _cli(str(write(tmp_path / "c.json", cred))).exit_code == 4


def test_no_socket_opened_offline(tmp_path, issuer, network_attempts):
    from lerwallet.proofs import sign

    doc = badge(issuer, credentialStatus={"id": "https://status.example.edu/lists/1#5", "type": "BitstringStatusListEntry",
                                          "statusPurpose": "revocation", "statusListIndex": "5",
                                          "statusListCredential": "https://status.example.edu/lists/1"})
    doc["issuer"]["id"] = "did:web:example.edu"  # its key and its status list would need a fetch
    cred = sign(doc, suite="eddsa-rdfc-2022", key_type="ed25519", private_key=issuer.private,
                verification_method="did:web:example.edu#key-1")
    result = _cli(str(write(tmp_path / "c.json", cred)), "--json")
    checks = {c["id"]: c["outcome"] for c in json.loads(result.stdout)["inputs"][0]["credentials"][0]["checks"]}
    assert network_attempts == [] and result.exit_code == 4  # inconclusive: nothing failed, the key is not here
    assert checks["proof"] == "unknown"


def test_email_hashed_identifier(issuer):
    from lerwallet.verify.badges import hash_identity

    doc = badge(issuer)
    del doc["credentialSubject"]["id"]
    doc["credentialSubject"]["identifier"] = [{"type": "IdentityObject", "identityType": "emailAddress", "hashed": True,
                                               "salt": "s4lt", "identityHash": hash_identity("ada@example.com", "s4lt")}]
    data = json.dumps(issuer.sign(doc)).encode()
    ok = verify_bytes(data, Options(at=AT, email="ada@example.com"))[0].credentials[0]
    assert ok.check("badge.recipient").outcome == "pass"
    bad = verify_bytes(data, Options(at=AT, email="eve@example.com"))[0].credentials[0]
    assert bad.check("badge.recipient").outcome == "fail"


def test_endorsement_verified_and_listed(issuer):
    endorser = Party()
    endorsement = endorser.sign({
        "@context": [V2, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:0f1b2c3d-1111-2222-3333-444455556666",
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "issuer": {"id": endorser.did, "type": ["Profile"], "name": "Accreditor"},
        "validFrom": "2024-01-01T00:00:00Z", "name": "Endorsed",
        "credentialSubject": {"id": "https://example.edu/achievements/1", "type": ["EndorsementSubject"], "endorsementComment": "good"},
    })
    doc = badge(issuer)
    doc["credentialSubject"]["achievement"]["endorsement"] = [endorsement]
    cred = verify_bytes(json.dumps(issuer.sign(doc)).encode(), Options(at=AT))[0].credentials[0]
    # [review2 5] a valid signature by an issuer no registry knows is not a verified endorsement
    check = cred.check("endorsements")
    assert (check.outcome, check.code) == ("warn", "endorsement_unknown_issuer") and cred.endorsements[0].verdict == "valid"
    assert "unknown issuers" in check.reason and "Accreditor" not in check.reason


def test_html_escapes_and_is_self_contained(tmp_path, issuer):
    from html.parser import HTMLParser

    cred = issuer.sign(badge(issuer, name="<script>alert(1)</script>"))
    out = tmp_path / "r.html"
    result = _cli(str(write(tmp_path / "c.json", cred)), "--html", str(out))
    assert result.exit_code == 0
    page = out.read_text()

    class Scan(HTMLParser):
        tags, refs, text = [], [], []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            self.refs += [v for k, v in attrs if k in ("src", "href") and v]

        def handle_data(self, data):
            self.text.append(data)

    scan = Scan()
    scan.feed(page)
    assert "script" not in scan.tags and scan.refs == [] and "link" not in scan.tags
    text = " ".join(scan.text)
    assert "<script>alert(1)</script>" in text  # shown as text, not markup
    assert "VERIFIED" in text
    for check_id in ("structure", "proof", "expiration", "status", "issuer.trust"):
        assert check_id in text


def test_html_renders_in_chromium(tmp_path, issuer):
    import shutil
    import subprocess

    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not browser:
        pytest.skip("no headless Chromium installed")
    out = tmp_path / "r.html"
    _cli(str(write(tmp_path / "c.json", issuer.sign(badge(issuer)))), "--html", str(out))
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([browser, *flags, "--dump-dom", out.as_uri()],
                         capture_output=True, text=True, timeout=60).stdout
    assert 'id="verdict"' in dom and "VERIFIED" in dom
    for check_id in ("structure", "proof", "expiration", "status", "issuer.trust"):
        assert check_id in dom  # every check is on the page the browser rendered
    shot = tmp_path / "r.png"
    subprocess.run([browser, *flags, "--window-size=1000,1400", f"--screenshot={shot}", out.as_uri()],
                   capture_output=True, timeout=60)
    assert shot.exists() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 5000


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_fuzz_mutating_a_signed_field_never_verifies(signed, data):
    doc = copy.deepcopy(signed)
    paths = [("name",), ("validFrom",), ("credentialSubject", "id"), ("credentialSubject", "achievement", "name"),
             ("issuer", "name"), ("credentialSubject", "achievement", "description")]
    path = data.draw(st.sampled_from(paths))
    node = doc
    for key in path[:-1]:
        node = node[key]
    new = data.draw(st.text(min_size=1, max_size=20))
    if node[path[-1]] == new:
        return
    node[path[-1]] = new
    [report] = verify_bytes(json.dumps(doc).encode(), Options(at=AT))
    assert report.verdict != "valid"


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=300).map(str.encode))
def test_fuzz_random_input_never_crashes(blob):
    reports = verify_bytes(blob, Options(at=AT))
    assert all(r.verdict in ("valid", "invalid", "inconclusive", "unreadable") for r in reports)
