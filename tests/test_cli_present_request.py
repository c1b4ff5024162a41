"""`lerwallet present --request / --disclose / --pick` through the real CLI (and --pick in a real pty)."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lerwallet import crypto
from lerwallet.cli.app import app
from lerwallet.keys import did_key_from_public
from lerwallet.keys.jwk import public_to_jwk
from lerwallet.keys.multikey import decode_multikey
from lerwallet.proofs.ecdsa_sd_derive import create_base_proof
from lerwallet.proofs.sdjwt import create_sd_jwt

from present_helpers import OB3, V2, Issuer, badge

PW = "present pass"
CLIENT, NONCE = "x509_san_dns:jobs.example", "n-0S6_WzA2Mj"


def run(*args, input=None):
    result = CliRunner().invoke(app, list(args), env={"LERWALLET_PASSPHRASE": PW}, input=input, catch_exceptions=False)
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    return result


@pytest.fixture
def wallet(isolated_home, tmp_path):
    """An Ed25519 learner with an eddsa badge, an SD-JWT degree (cnf = their key) and an ecdsa-sd badge."""
    assert run("init").exit_code == 0
    me = json.loads(run("did", "list", "--json").stdout)[0]
    key = crypto.generate_private_key("p256")
    did = did_key_from_public("p256", crypto.public_key_of("p256", key))
    vm = f"{did}#{did.split(':')[2]}"
    holder_jwk = public_to_jwk(*decode_multikey(me["keys"][0]["publicKeyMultibase"]))
    (tmp_path / "degree.sd-jwt").write_text(create_sd_jwt(
        {"iss": did, "iat": 1780000000, "vct": "https://credentials.example/degree", "given_name": "Ada",
         "family_name": "Lovelace", "degree": "MSc Computing"}, ["/given_name", "/family_name", "/degree"],
        key_type="p256", private_key=key, kid=vm, holder_jwk=holder_jwk))
    base = create_base_proof({
        "@context": [V2, OB3], "id": "urn:uuid:1b4e28ba-2fa1-41d2-883f-0016d3cca427",
        "type": ["VerifiableCredential", "OpenBadgeCredential"], "name": "Welding",
        "issuer": {"id": did, "type": ["Profile"], "name": "Trade School"}, "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {"id": me["did"], "type": ["AchievementSubject"], "achievement": {
            "id": "https://trade.example/a/weld", "type": ["Achievement"], "name": "Welding",
            "criteria": {"narrative": "Welded"}, "description": "MIG and TIG"}}},
        private_key=key, verification_method=vm, mandatory_pointers=["/issuer", "/credentialSubject/achievement/name"])
    (tmp_path / "welding.json").write_text(json.dumps(base))
    (tmp_path / "teamwork.json").write_text(json.dumps(badge(Issuer(), me["did"], name="Teamwork")))
    assert run("import", *(str(tmp_path / f) for f in ("degree.sd-jwt", "welding.json", "teamwork.json"))).exit_code == 0
    ids = {r["title"]: r["id"] for r in json.loads(run("list", "--json").stdout)}
    return {"tmp": tmp_path, "ids": ids, "did": me["did"]}


def write_request(tmp: Path, doc) -> str:
    path = tmp / "request.json"
    path.write_text(json.dumps(doc) if not isinstance(doc, str) else doc)
    return str(path)


def dcql(claims=None, vct="https://credentials.example/degree"):
    query = {"id": "degree", "format": "dc+sd-jwt", "meta": {"vct_values": [vct]}}
    if claims:
        query["claims"] = [{"path": c} for c in claims]
    return {"client_id": CLIENT, "nonce": NONCE, "dcql_query": {"credentials": [query]}}


def verify_json(path, challenge, domain):
    r = run("verify", str(path), "--challenge", challenge, "--domain", domain, "--json")
    return r.exit_code, json.loads(r.stdout)


def test_dcql_request_is_answered_with_only_the_requested_claim(wallet):
    out = wallet["tmp"] / "vp.json"
    r = run("present", "--request", write_request(wallet["tmp"], dcql([["degree"]])), "--out", str(out), "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    assert f"matched  {wallet['ids']['degree'][:8]}  degree: format dc+sd-jwt" in r.stderr
    assert f"no       {wallet['ids']['Welding'][:8]}  Welding: format ldp_vc, the query wants dc+sd-jwt" in r.stderr
    summary = json.loads(r.stdout)
    assert summary["challenge"] == NONCE and summary["domain"] == CLIENT
    assert summary["request"]["selection"] == [{"credential": wallet["ids"]["degree"], "query": "degree", "disclose": ["/degree"]}]
    code, report = verify_json(out, NONCE, CLIENT)
    assert code == 0 and report["verdict"] == "valid"
    assert report["inputs"][0]["credentials"][0]["summary"]["description"] == "degree: MSc Computing"
    assert "Lovelace" not in out.read_text() and "Ada" not in out.read_text()
    entry = json.loads(run("shared", "--json").stdout)[-1]
    assert [c["fields"] for c in entry["credentials"]] == [["degree"]]


def test_request_with_nothing_matching_is_exit_1_with_the_explanation_and_nothing_written(wallet):
    vpr = {"query": [{"type": "QueryByExample", "credentialQuery": {"example": {"type": "UniversityDegreeCredential"}}}],
           "challenge": "c", "domain": "jobs.example"}
    out = wallet["tmp"] / "none.json"
    r = run("present", "--request", write_request(wallet["tmp"], vpr), "--out", str(out), "--yes", "--json")
    assert r.exit_code == 1
    assert "lerwallet: error: nothing answers the request: query q0.0 (type UniversityDegreeCredential) matched no credential" in r.stderr
    assert f"no       {wallet['ids']['Teamwork'][:8]}  Teamwork: types VerifiableCredential, OpenBadgeCredential; the query wants UniversityDegreeCredential" in r.stderr
    assert json.loads(r.stdout)["shared"] is False and json.loads(r.stdout)["request"]["satisfied"] is False
    assert not out.exists() and json.loads(run("shared", "--json").stdout) == []


@pytest.mark.parametrize("text", ["{not json", '{"query": []}', '{"dcql_query": {"credentials": [{"id": "a b", "format": "x"}]}}'])
def test_malformed_request_is_exit_2_before_the_wallet_is_opened(wallet, text):
    r = run("present", "--request", write_request(wallet["tmp"], text), "--out", str(wallet["tmp"] / "x.json"))
    assert r.exit_code == 2 and r.stderr.startswith("lerwallet: error: malformed request: ")
    assert "lerwallet: hint: " in r.stderr and not (wallet["tmp"] / "x.json").exists()


def test_request_and_explicit_challenge_must_agree(wallet):
    r = run("present", "--request", write_request(wallet["tmp"], dcql()), "--challenge", "other", "--out", "-")
    assert r.exit_code == 2 and "--challenge 'other' differs from the request's 'n-0S6_WzA2Mj'" in r.stderr


def test_disclose_on_sd_jwt_and_unknown_path(wallet):
    out = wallet["tmp"] / "vp.json"
    sd = wallet["ids"]["degree"][:8]
    r = run("present", sd, "--disclose", "given_name", "--domain", "jobs.example", "--challenge", "c-9", "--out", str(out), "--yes")
    assert r.exit_code == 0, r.stderr
    assert "subject fields: given_name" in r.stderr
    code, report = verify_json(out, "c-9", "jobs.example")
    assert code == 0 and report["inputs"][0]["credentials"][0]["summary"]["description"] == "given_name: Ada"
    r = run("present", sd, "--disclose", "/middle_name", "--domain", "jobs.example", "--out", str(wallet["tmp"] / "y.json"), "--yes")
    assert r.exit_code == 2
    assert "lerwallet: error: unknown disclosure path /middle_name: none of the chosen credentials has such a claim" in r.stderr
    assert not (wallet["tmp"] / "y.json").exists() and len(json.loads(run("shared", "--json").stdout)) == 1


def test_disclose_derives_ecdsa_sd_and_says_signed_json_ld_is_shared_whole(wallet):
    out = wallet["tmp"] / "vp.json"
    r = run("present", wallet["ids"]["Welding"][:8], wallet["ids"]["Teamwork"][:8],
            "--disclose", "credentialSubject.achievement.description", "--domain", "jobs.example", "--challenge", "c-1",
            "--out", str(out), "--yes")
    assert r.exit_code == 0, r.stderr
    assert "Teamwork): this credential can only be shared whole (its eddsa-rdfc-2022 covers every field" in r.stderr
    vp = json.loads(out.read_text())
    welding = next(c for c in vp["verifiableCredential"] if c["credentialSubject"]["achievement"]["name"] == "Welding")
    assert "name" not in welding and "criteria" not in welding["credentialSubject"]["achievement"]
    assert welding["credentialSubject"]["achievement"]["description"] == "MIG and TIG"
    code, report = verify_json(out, "c-1", "jobs.example")
    assert code == 0, report


def test_pick_without_a_terminal_is_refused_with_a_hint(wallet):
    r = run("present", "--pick", "--out", str(wallet["tmp"] / "p.json"))
    assert r.exit_code == 2
    assert "lerwallet: error: --pick needs a terminal, and there is none here" in r.stderr
    assert "lerwallet: hint: name the credentials instead" in r.stderr


def _pty_run(args, keys, env):
    master, slave = os.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "lerwallet", *args], stdin=slave, stdout=slave, stderr=slave,
                            env=env, close_fds=True, start_new_session=True)
    os.close(slave)
    out = b""

    def read_until(marker, timeout=60):
        # Reads on after the child exits, until the terminal is drained: a fast child can end
        # between two reads, and what it wrote last (the redrawn list) is still to be read.
        nonlocal out
        end = time.monotonic() + timeout
        while marker not in out and time.monotonic() < end:
            exited = proc.poll() is not None
            ready, _, _ = select.select([master], [], [], 0.2)
            if not ready:
                if exited:
                    return
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal and everything was read
                return
            if not chunk:
                return
            out += chunk

    try:
        read_until(b"q: cancel")
        for key in keys:
            os.write(master, key)
            time.sleep(0.1)
        read_until(b"history entry", 60)
        proc.wait(timeout=60)
        read_until(b"\0", 0.5)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    return proc.returncode, out.decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_pick_in_a_real_terminal_chooses_the_ticked_credentials(wallet, isolated_home):
    out = wallet["tmp"] / "picked.json"
    env = dict(os.environ, LERWALLET_HOME=str(isolated_home), LERWALLET_PASSPHRASE=PW, NO_COLOR="1")
    # the list is every credential, in import order; tick the second and third, confirm, --yes skips the question
    code, text = _pty_run(["present", "--pick", "--kind", "OpenBadgeCredential", "--domain", "jobs.example",
                           "--challenge", "c-2", "--out", str(out), "--yes"], [b" ", b"j", b" ", b"\r"], env)
    assert code == 0, text
    assert "Choose what to share" in text and "[x]" in text
    vp = json.loads(out.read_text())
    assert sorted(c["credentialSubject"]["achievement"]["name"] for c in vp["verifiableCredential"]) == ["Teamwork", "Welding"]


def test_format_sd_jwt_writes_the_compact_sd_jwt_with_key_binding(wallet):
    out = wallet["tmp"] / "degree.txt"
    r = run("present", wallet["ids"]["degree"][:8], "--format", "sd-jwt", "--disclose", "/degree",
            "--domain", CLIENT, "--challenge", NONCE, "--out", str(out), "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    token = out.read_text().strip()
    assert token.count("~") == 2 and not token.endswith("~")  # issuer JWT ~ one disclosure ~ KB-JWT
    assert json.loads(r.stdout)["format"] == "sd-jwt"
    code, report = verify_json(out, NONCE, CLIENT)
    assert code == 0 and report["verdict"] == "valid"
    checks = {c["id"]: c["outcome"] for c in report["inputs"][0]["credentials"][0]["checks"]}
    assert checks["holder.binding"] == "pass"
    code, _ = verify_json(out, "replayed", CLIENT)
    assert code == 1
    assert json.loads(run("shared", "--json").stdout)[-1]["format"] == "sd-jwt"


def test_format_sd_jwt_refusals(wallet):
    r = run("present", wallet["ids"]["Welding"][:8], "--format", "sd-jwt", "--domain", "d", "--out", "-", "--yes")
    assert r.exit_code == 2 and "--format sd-jwt presents exactly one SD-JWT VC" in r.stderr
    r = run("present", wallet["ids"]["degree"][:8], "--format", "sd-jwt", "--out", "-", "--yes")
    assert r.exit_code == 2 and "--format sd-jwt needs --domain" in r.stderr


def test_format_sd_jwt_without_disclose_discloses_everything_but_is_key_bound(wallet):
    r = run("present", wallet["ids"]["degree"][:8], "--format", "sd-jwt", "--domain", CLIENT, "--challenge", NONCE,
            "--out", "-", "--yes")
    assert r.exit_code == 0, r.stderr
    from lerwallet.proofs.sdjwt import verify_sd_jwt
    from lerwallet.keys import Resolver

    result = verify_sd_jwt(r.stdout.strip(), resolver=Resolver(), audience=CLIENT, nonce=NONCE)
    assert result.proof.outcome == "pass" and result.document["family_name"] == "Lovelace"


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_request_with_pick_offers_only_the_matching_credentials_pre_ticked(wallet, isolated_home):
    out = wallet["tmp"] / "picked.json"
    request = write_request(wallet["tmp"], {"query": [{"type": "QueryByExample", "credentialQuery": {
        "example": {"type": "OpenBadgeCredential"}}}], "challenge": "c-3", "domain": "jobs.example"})
    env = dict(os.environ, LERWALLET_HOME=str(isolated_home), LERWALLET_PASSPHRASE=PW, NO_COLOR="1")
    code, text = _pty_run(["present", "--request", request, "--pick", "--out", str(out), "--yes"], [b"a", b"\r"], env)
    assert code == 0, text
    assert "answers q0.0" in text and "degree" not in text.split("Choose what to share", 1)[1].split("You are about", 1)[0]
    vp = json.loads(out.read_text())
    assert sorted(c["credentialSubject"]["achievement"]["name"] for c in vp["verifiableCredential"]) == ["Teamwork", "Welding"]


def test_request_accepted_did_methods_and_suites_are_warned_about(wallet):
    vpr = {"query": [{"type": "DIDAuthentication", "acceptedMethods": [{"method": "web"}],
                      "acceptedCryptosuites": [{"cryptosuite": "ecdsa-rdfc-2019"}]},
                     {"type": "QueryByExample", "credentialQuery": {"example": {"type": "OpenBadgeCredential"}}}],
           "challenge": "c-4", "domain": "jobs.example"}
    r = run("present", "--request", write_request(wallet["tmp"], vpr), "--out", str(wallet["tmp"] / "w.json"), "--yes")
    assert r.exit_code == 0, r.stderr
    assert "the verifier accepts holders with DID method web; main is did:key (choose another with --holder)" in r.stderr
    assert "the verifier accepts the cryptosuites ecdsa-rdfc-2019; main signs with eddsa-rdfc-2022" in r.stderr
