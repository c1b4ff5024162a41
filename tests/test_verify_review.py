"""Regression tests for the verification review (findings 3-11): each builds its hostile input
here with real keys and real signatures, and fails on the code before the fix."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone

import pytest

from lerwallet.proofs import sign
from lerwallet.verify import Options, verify_bytes, verify_inputs
from tests.verify_helpers import Party, badge, presentation, write

AT = datetime(2026, 11, 28, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def issuer():
    return Party()


@pytest.fixture(scope="module")
def holder():
    return Party()


def _verify(doc, **opts) -> "object":
    data = doc.encode() if isinstance(doc, str) else json.dumps(doc).encode()
    [report] = verify_bytes(data, Options(at=AT, **opts))
    return report


def _signed_with_vm(party: Party, doc: dict, vm: str) -> dict:
    return sign(copy.deepcopy(doc), suite="eddsa-rdfc-2022", key_type="ed25519", private_key=party.private,
                verification_method=vm)


# --- 8: a verification method absent from a resolved document is a failure ----------------

def test_vm_missing_from_resolved_did_document_fails(issuer):
    doc = _signed_with_vm(issuer, badge(issuer), f"{issuer.did}#nope")
    report = _verify(doc)
    check = report.credentials[0].check("proof")
    assert check.outcome == "fail" and check.code == "verification_method_unresolvable"
    assert report.verdict == "invalid"


def test_unsupported_did_method_stays_inconclusive(issuer):
    doc = badge(issuer)
    doc["issuer"]["id"] = "did:example:university"
    doc = _signed_with_vm(issuer, doc, "did:example:university#key-1")
    report = _verify(doc)
    assert report.credentials[0].check("proof").outcome == "unknown" and report.verdict == "inconclusive"


# --- 4: --challenge / --domain on a bare credential -------------------------------------------

@pytest.mark.parametrize("flags", [{"challenge": "abc"}, {"domain": "jobs.example"}, {"challenge": "abc", "domain": "jobs.example"}])
def test_challenge_or_domain_on_bare_credential_fails(issuer, holder, flags):
    report = _verify(issuer.sign(badge(issuer, subject=holder.did)), **flags)
    cred = report.credentials[0]
    for name in ("challenge", "domain"):
        check = cred.check(f"presentation.{name}")
        if name in flags:
            assert check.outcome == "fail" and check.code == "presentation_expected"
            assert "signed presentation" in check.reason and "was expected" in check.reason
        else:
            assert check is None
    assert report.verdict == "invalid"


def test_challenge_on_bare_vc_jwt_fails(issuer):
    from lerwallet.proofs.jose import sign_jwt

    token = sign_jwt(badge(issuer), key_type="ed25519", private_key=issuer.private, kid=issuer.vm)
    assert _verify(token).verdict == "valid"
    report = _verify(token, challenge="abc")
    assert report.credentials[0].check("presentation.challenge").outcome == "fail" and report.verdict == "invalid"


def test_challenge_on_presentation_still_checked_there(issuer, holder):
    vp = presentation(holder, [issuer.sign(badge(issuer, subject=holder.did))], challenge="abc", domain="jobs.example")
    report = _verify(vp, challenge="abc", domain="jobs.example")
    assert report.verdict == "valid"
    assert report.credentials[0].check("presentation.challenge") is None


# --- 9: proof sets: one acceptable proof is enough, the others are listed -------------------

def _ids(cred) -> dict:
    return {c.id: c for c in cred.checks}


def test_issuer_proof_plus_cosigner_proof_passes_with_cosigner_listed(issuer):
    cosigner = Party()
    doc = cosigner.sign(issuer.sign(badge(issuer)))  # a proof set: issuer's, then a co-signer's
    cred = _verify(doc).credentials[0]
    assert cred.check("proof").outcome == "pass" and cred.verdict == "valid"
    other = cred.check("proof.other")  # the co-signer is not the issuer: listed, not believed
    assert other.outcome == "warn" and cosigner.did in other.reason


def test_issuer_proof_plus_broken_foreign_proof_passes_with_warning(issuer):
    attacker = Party()
    doc = attacker.sign(issuer.sign(badge(issuer)))
    doc["proof"][1]["proofValue"] = doc["proof"][1]["proofValue"][:-4] + "AAAA"  # a co-signer proof that fails
    cred = _verify(doc).credentials[0]
    assert cred.check("proof").outcome == "pass"
    other = cred.check("proof.other")
    assert other.outcome == "warn" and other.code == "other_proof_invalid" and attacker.did in other.reason
    assert cred.check("proof").details["warnings"] and cred.verdict == "valid"


def test_issuer_proof_plus_authentication_proof_passes_with_warning(issuer):
    doc = issuer.sign(issuer.sign(badge(issuer)), purpose="authentication")
    cred = _verify(doc).credentials[0]
    assert cred.check("proof").outcome == "pass" and cred.check("proof.other").outcome == "warn"
    assert "authentication" in cred.check("proof.other").reason


def test_failing_issuer_proof_beside_passing_issuer_proof_is_listed(issuer):
    doc = issuer.sign(issuer.sign(badge(issuer)))
    doc["proof"][0]["proofValue"] = doc["proof"][0]["proofValue"][:-4] + "AAAA"
    cred = _verify(doc).credentials[0]
    assert cred.check("proof").outcome == "pass" and cred.check("proof.other").outcome == "warn"


def test_no_acceptable_proof_still_fails(issuer):
    attacker = Party()
    only_foreign = attacker.sign(badge(issuer))
    assert _verify(only_foreign).credentials[0].check("proof").code == "controller_mismatch"
    tampered = attacker.sign(issuer.sign(badge(issuer)))
    tampered["name"] = "Brain surgery"
    assert _verify(tampered).credentials[0].check("proof").outcome == "fail"


def test_presentation_proof_ids_keep_their_prefix(issuer, holder):
    vp = presentation(holder, [issuer.sign(badge(issuer, subject=holder.did))])
    vp = Party().sign(vp, purpose="authentication")
    vp["proof"][1]["proofValue"] = vp["proof"][1]["proofValue"][:-4] + "AAAA"
    report = _verify(vp)
    ids = {c.id: c.outcome for c in report.presentation_checks}
    assert ids["presentation.proof"] == "pass" and ids["presentation.proof.other"] == "warn"


# --- 3: holder binding through cnf --------------------------------------------------------------

def _bound_vc(issuer: Party, bound_to: Party, cnf: dict | None = None) -> str:
    from lerwallet.keys.jwk import public_to_jwk
    from lerwallet.proofs.jose import sign_compact

    cnf = cnf if cnf is not None else {"jwk": public_to_jwk("ed25519", bound_to.public)}
    payload = {"iss": issuer.did, "sub": bound_to.did, "cnf": cnf, "vc": badge(issuer, subject=bound_to.did)}
    return sign_compact({"alg": "EdDSA", "typ": "JWT", "kid": issuer.vm}, payload, key_type="ed25519",
                        private_key=issuer.private)


def _enveloped(token: str) -> dict:
    """VC 2.0: a presentation carries a JWT credential as an EnvelopedVerifiableCredential, never a string."""
    return {"@context": "https://www.w3.org/ns/credentials/v2", "id": f"data:application/vc+jwt,{token}",
            "type": "EnvelopedVerifiableCredential"}


def _jwt_vp(signer: Party, creds: list) -> str:
    from lerwallet.proofs.jose import sign_jwt

    vp = {"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiablePresentation"],
          "holder": signer.did, "verifiableCredential": creds}
    return sign_jwt(vp, key_type="ed25519", private_key=signer.private, kid=signer.vm, style="vc11",
                    audience="jobs.example", nonce="abc")


@pytest.mark.parametrize("envelope", ["jwt", "ldp"])
def test_credential_bound_to_victim_key_presented_by_attacker_fails(issuer, envelope):
    victim, attacker = Party(), Party()
    vc = _bound_vc(issuer, victim)
    vp = _jwt_vp(attacker, [vc]) if envelope == "jwt" else presentation(attacker, [_enveloped(vc)], challenge="abc", domain="jobs.example")
    report = _verify(vp, challenge="abc", domain="jobs.example")
    check = report.credentials[0].check("holder.binding")
    assert check.outcome == "fail" and check.code == "holder_key_mismatch" and "bound to another key" in check.reason
    assert report.verdict == "invalid"


@pytest.mark.parametrize("envelope", ["jwt", "ldp"])
def test_credential_bound_to_presenter_key_passes(issuer, envelope):
    owner = Party()
    vc = _bound_vc(issuer, owner)
    vp = _jwt_vp(owner, [vc]) if envelope == "jwt" else presentation(owner, [_enveloped(vc)], challenge="abc", domain="jobs.example")
    report = _verify(vp, challenge="abc", domain="jobs.example")
    assert report.credentials[0].check("holder.binding").outcome == "pass" and report.verdict == "valid"


def test_cnf_kid_and_jkt(issuer):
    from lerwallet.keys.jwk import public_to_jwk, thumbprint

    owner, other = Party(), Party()
    for cnf, expected in (({"kid": owner.vm}, "pass"), ({"kid": other.vm}, "fail"),
                          ({"jkt": thumbprint(public_to_jwk("ed25519", owner.public))}, "pass"),
                          ({"jkt": thumbprint(public_to_jwk("ed25519", other.public))}, "fail"),
                          ({"jku": "https://keys.example/jwks"}, "unknown")):
        report = _verify(_jwt_vp(owner, [_bound_vc(issuer, owner, cnf)]), challenge="abc", domain="jobs.example")
        assert report.credentials[0].check("holder.binding").outcome == expected, cnf


def test_unbound_credential_keeps_subject_comparison(issuer, holder):
    other = Party()
    vp = presentation(other, [issuer.sign(badge(issuer, subject=holder.did))])
    check = _verify(vp).credentials[0].check("holder.binding")
    assert check.outcome == "warn" and check.code == "holder_not_subject"


# --- 6: JWT nbf/exp and the document dates must all hold ------------------------------------

def _vc_jwt(issuer: Party, claims: dict, **doc_dates) -> str:
    from lerwallet.proofs.jose import sign_compact

    doc = badge(issuer, **doc_dates)
    return sign_compact({"alg": "EdDSA", "typ": "vc+jwt", "cty": "vc", "kid": issuer.vm}, dict(doc, **claims),
                        key_type="ed25519", private_key=issuer.private)


PAST, FUTURE = int(datetime(2025, 6, 1, tzinfo=timezone.utc).timestamp()), int(datetime(2027, 6, 1, tzinfo=timezone.utc).timestamp())


@pytest.mark.parametrize("claims,dates,failing", [
    ({"exp": PAST}, {"validUntil": "2030-01-01T00:00:00Z"}, "expiration"),
    ({"nbf": FUTURE}, {}, "valid-from"),  # the badge has validFrom 2024
    ({"exp": FUTURE}, {"validUntil": "2025-01-01T00:00:00Z"}, "expiration"),
    ({"nbf": PAST}, {"validFrom": "2027-01-01T00:00:00Z"}, "valid-from"),
])
def test_jwt_claims_and_document_dates_both_bind(issuer, claims, dates, failing):
    cred = _verify(_vc_jwt(issuer, claims, **dates)).credentials[0]
    assert cred.check("proof").outcome == "pass"
    assert cred.check(failing).outcome == "fail" and cred.verdict == "invalid"


def test_jwt_within_both_windows_is_valid(issuer):
    cred = _verify(_vc_jwt(issuer, {"nbf": PAST, "exp": FUTURE}, validUntil="2030-01-01T00:00:00Z")).credentials[0]
    assert cred.check("valid-from").outcome == "pass" and cred.check("expiration").outcome == "pass"
    assert "2027-06-01" in cred.check("expiration").reason  # the earliest end is reported


# --- 5: status entries, list issuers, cache shadowing ------------------------------------------

LIST_URL = "https://status.example.edu/lists/1"


def _status_list(signer: Party, *, revoked=(), purpose="revocation", size=1, issuer_did=None) -> dict:
    from lerwallet.verify.bitstring import encode

    bits = bytearray(16 * 1024)
    for index in revoked:
        for b in range(index * size, index * size + size):
            bits[b // 8] |= 0x80 >> (b % 8)  # every bit of the entry set: value 2**size - 1
    return signer.sign({
        "@context": ["https://www.w3.org/ns/credentials/v2"], "id": LIST_URL,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"], "issuer": issuer_did or signer.did,
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {"id": LIST_URL + "#list", "type": "BitstringStatusList", "statusPurpose": purpose,
                              "encodedList": encode(bytes(bits))},
    })


def _with_status(issuer: Party, **entry) -> dict:
    status = {"id": LIST_URL + "#5", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
              "statusListIndex": "5", "statusListCredential": LIST_URL}
    status.update(entry)
    status = {k: v for k, v in status.items() if v is not None}
    return issuer.sign(badge(issuer, credentialStatus=status))


def _cache(tmp_path, *lists, name="lists"):
    folder = tmp_path / name
    folder.mkdir()
    for i, doc in enumerate(lists):
        write(folder / f"list{i}.json", doc)
    return folder


def _status_checks(tmp_path, cred, cache) -> dict:
    [report] = verify_inputs([str(write(tmp_path / "c.json", cred))], Options(at=AT, status_cache=cache))
    return {c.id: c for c in report.credentials[0].checks if c.id.startswith("status")}


def test_revoked_bit_found_baseline(tmp_path, issuer):
    cache = _cache(tmp_path, _status_list(issuer, revoked=[5]))
    assert _status_checks(tmp_path, _with_status(issuer), cache)["status.revocation"].outcome == "fail"


@pytest.mark.parametrize("purpose", [None, "", "bogus", 7])
def test_missing_or_unknown_purpose_is_a_malformed_entry(tmp_path, issuer, purpose):
    cache = _cache(tmp_path, _status_list(issuer, revoked=[5]))
    checks = _status_checks(tmp_path, _with_status(issuer, statusPurpose=purpose), cache)
    assert [(c.outcome, c.code) for c in checks.values()] == [("unknown", "malformed_status_entry")]


@pytest.mark.parametrize("index", [True, False, -1, 5.0, "5.0", "-5", " 5", "٥", None, "9" * 40])
def test_bad_status_list_index_is_a_malformed_entry(tmp_path, issuer, index):
    cache = _cache(tmp_path, _status_list(issuer, revoked=[1, 5]))
    check = _status_checks(tmp_path, _with_status(issuer, statusListIndex=index), cache)["status.revocation"]
    assert (check.outcome, check.code) == ("unknown", "malformed_status_entry")


def test_integer_index_and_out_of_range_index(tmp_path, issuer):
    cache = _cache(tmp_path, _status_list(issuer, revoked=[5]))
    assert _status_checks(tmp_path, _with_status(issuer, statusListIndex=5), cache)["status.revocation"].outcome == "fail"
    far = _status_checks(tmp_path, _with_status(issuer, statusListIndex="999999999"), cache)["status.revocation"]
    assert (far.outcome, far.code) == ("unknown", "status_index_out_of_range")


def test_list_signed_by_someone_else_is_not_believed(tmp_path, issuer):
    other = Party()
    cache = _cache(tmp_path, _status_list(other))  # a clean list with the right id, by another issuer
    checks = _status_checks(tmp_path, _with_status(issuer), cache)
    assert checks["status.revocation"].outcome == "unknown" and checks["status.revocation"].code == "status_list_issuer_differs"
    assert checks["status.list-issuer"].outcome == "unknown"


def test_duplicate_ids_in_cache_are_ambiguous_unless_urls_json_names_one(tmp_path, issuer):
    real, planted = _status_list(issuer, revoked=[5]), _status_list(issuer)
    cache = _cache(tmp_path, planted, real)  # list0.json (clean) would have shadowed list1.json
    check = _status_checks(tmp_path, _with_status(issuer), cache)["status.revocation"]
    assert (check.outcome, check.code) == ("unknown", "status_list_ambiguous")
    named = _cache(tmp_path, planted, real, name="named")
    write(named / "urls.json", {LIST_URL: "list1.json"})
    assert _status_checks(tmp_path, _with_status(issuer), named)["status.revocation"].outcome == "fail"


def test_identical_copies_are_not_ambiguous(tmp_path, issuer):
    doc = _status_list(issuer, revoked=[5])
    cache = _cache(tmp_path, doc, doc)
    assert _status_checks(tmp_path, _with_status(issuer), cache)["status.revocation"].outcome == "fail"


def test_status_size_and_messages(tmp_path, issuer):
    messages = [{"status": "0x0", "message": "valid"}, {"status": "0x1", "message": "pending"},
                {"status": "0x2", "message": "revoked for fraud"}, {"status": "0x3", "message": "revoked"}]
    cache = _cache(tmp_path, _status_list(issuer, revoked=[5], size=2, purpose="message"))
    check = _status_checks(tmp_path, _with_status(issuer, statusPurpose="message", statusSize=2, statusMessage=messages),
                           cache)["status.message"]
    assert check.outcome == "pass" and "0x3" in check.reason and "revoked" in check.reason
    assert check.details["message"] == "revoked"
    incomplete = _with_status(issuer, statusPurpose="message", statusSize=2, statusMessage=messages[:2])
    assert _status_checks(tmp_path, incomplete, cache)["status.message"].code == "malformed_status_entry"
    for size in (0, -1, True, "x", 99):
        bad = _with_status(issuer, statusSize=size, statusMessage=messages)
        assert _status_checks(tmp_path, bad, cache)["status.revocation"].code == "malformed_status_entry", size


# --- 11: no terminal control from credential data --------------------------------------------

HOSTILE = "Team\x1b[2J\x1b]8;;https://evil.example\x07work\x9b31m\u202e\nVERIFIED"


def test_safe_text_makes_controls_visible():
    from lerwallet.cli.output import safe_text

    shown = safe_text(HOSTILE)
    assert not any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f or c == "\u202e" for c in shown)
    assert "\\x1b[2J" in shown and "\\x9b" in shown and "\\u202e" in shown and "work" in shown
    assert safe_text("a\nb", multiline=True) == "a\nb" and safe_text("a\nb") == "a b"
    assert safe_text("Ünïcödé — 日本") == "Ünïcödé — 日本"


def _no_controls(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text and "\u202e" not in text, repr(text)


def test_terminal_renderers_strip_controls(tmp_path, issuer):
    from typer.testing import CliRunner

    from lerwallet.cli.app import app

    doc = badge(issuer, name=HOSTILE)
    doc["issuer"]["name"] = HOSTILE
    path = write(tmp_path / "hostile.json", issuer.sign(doc))
    runner = CliRunner()
    env = {"LERWALLET_PASSPHRASE": "correct horse"}
    shown = runner.invoke(app, ["verify", str(path)])
    _no_controls(shown.stdout)
    assert "\\x1b[2J" in shown.stdout
    as_json = runner.invoke(app, ["verify", str(path), "--json"])
    assert json.loads(as_json.stdout)["inputs"][0]["credentials"][0]["summary"]["title"] == HOSTILE  # data kept as-is
    assert runner.invoke(app, ["init"], env=env).exit_code == 0
    imported = runner.invoke(app, ["import", str(path)], env=env)
    assert imported.exit_code == 0, imported.stderr
    _no_controls(imported.stdout + imported.stderr)
    listing = runner.invoke(app, ["list"], env=env)
    _no_controls(listing.stdout)
    assert "\\x1b" in listing.stdout
    record = json.loads(runner.invoke(app, ["list", "--json"], env=env).stdout)[0]["id"]
    show = runner.invoke(app, ["show", record], env=env)
    assert show.exit_code == 0
    _no_controls(show.stdout)
    assert "\\x1b" in show.stdout
    did = runner.invoke(app, ["did", "create", "--name", "x\x1b[2Jy"], env=env)
    if did.exit_code == 0:  # names may also be refused outright; either way nothing reaches the terminal raw
        _no_controls(runner.invoke(app, ["did", "list"], env=env).stdout)
    _no_controls(did.stdout + did.stderr)


# --- 10: SD-JWT issuer binding for https issuers; cnf without key binding -----------------------

HTTPS_ISS = "https://university.example/tenant"


def _sd(signer: Party, *, iss=HTTPS_ISS, kid=None, holder: Party | None = None) -> str:
    from lerwallet.proofs.sdjwt import create_sd_jwt, holder_jwk_for

    claims = {"iss": iss, "vct": "https://credentials.example/degree", "iat": 1748736000, "degree": "BSc"}
    return create_sd_jwt(claims, ["/degree"], key_type="ed25519", private_key=signer.private, kid=kid or signer.vm,
                         holder_jwk=holder_jwk_for("ed25519", holder.private) if holder else None)


def _metadata_server(iss: str, keys: list[dict], *, issuer: str | None = None):
    from lerwallet.proofs.sdjwt import metadata_url

    served = {metadata_url(iss): json.dumps({"issuer": issuer or iss, "jwks": {"keys": keys}}).encode()}
    asked = []

    def fetch(url: str) -> bytes:  # stands in for lerwallet.net.fetch_https: same contract
        asked.append(url)
        if url not in served:
            raise OSError(f"404 {url}")
        return served[url]

    return fetch, asked


def test_https_iss_with_foreign_did_kid_fails_in_the_library():
    from lerwallet.keys.jwk import public_to_jwk
    from lerwallet.keys.resolver import Resolver
    from lerwallet.proofs.sdjwt import verify_sd_jwt

    attacker = Party()
    token = _sd(attacker)
    result = verify_sd_jwt(token, resolver=Resolver())
    assert (result.proof.outcome, result.proof.code) == ("fail", "controller_mismatch")
    vouched = verify_sd_jwt(token, resolver=Resolver(), issuer_jwk=public_to_jwk("ed25519", attacker.public))
    assert vouched.proof.outcome == "pass"  # the caller vouched for the key


def test_https_iss_key_from_issuer_metadata():
    from lerwallet.keys.jwk import public_to_jwk
    from lerwallet.keys.resolver import Resolver
    from lerwallet.proofs.sdjwt import metadata_url, verify_sd_jwt

    assert metadata_url(HTTPS_ISS) == "https://university.example/.well-known/jwt-vc-issuer/tenant"
    issuer, attacker = Party(), Party()
    token = _sd(issuer, kid="key-1")
    jwk = dict(public_to_jwk("ed25519", issuer.public), kid="key-1")
    fetch, asked = _metadata_server(HTTPS_ISS, [jwk])
    assert verify_sd_jwt(token, resolver=Resolver(), fetch=fetch).proof.outcome == "pass" and len(asked) == 1
    offline = verify_sd_jwt(token, resolver=Resolver())
    assert offline.proof.outcome == "unknown" and "--online" in offline.proof.reason
    forged = _sd(attacker, kid="key-1")
    assert verify_sd_jwt(forged, resolver=Resolver(), fetch=fetch).proof.code == "invalid_signature"
    wrong_issuer, _ = _metadata_server(HTTPS_ISS, [jwk], issuer="https://other.example")
    assert verify_sd_jwt(token, resolver=Resolver(), fetch=wrong_issuer).proof.code == "controller_mismatch"
    no_key, _ = _metadata_server(HTTPS_ISS, [dict(jwk, kid="key-2")])
    assert verify_sd_jwt(token, resolver=Resolver(), fetch=no_key).proof.outcome == "fail"
    down = verify_sd_jwt(token, resolver=Resolver(), fetch=lambda url: (_ for _ in ()).throw(OSError("unreachable")))
    assert down.proof.outcome == "unknown"


def test_https_iss_verified_online_through_the_pipeline():
    from lerwallet.keys.jwk import public_to_jwk

    issuer = Party()
    fetch, _ = _metadata_server(HTTPS_ISS, [dict(public_to_jwk("ed25519", issuer.public), kid="k")])
    report = _verify(_sd(issuer, kid="k"), online=True, fetch=fetch)
    assert report.credentials[0].check("proof").outcome == "pass"


def test_standalone_sd_jwt_with_cnf_and_no_key_binding_warns(holder):
    from lerwallet.proofs.sdjwt import present

    issuer = Party()
    token = _sd(issuer, iss=issuer.did, holder=holder)
    check = _verify(token).credentials[0].check("holder.binding")
    assert (check.outcome, check.code) == ("warn", "holder_binding_not_proven")
    shown = present(token, ["/degree"], holder_key=("ed25519", holder.private), aud="jobs.example", nonce="abc", now=AT)
    bound = _verify(shown, challenge="abc", domain="jobs.example").credentials[0]
    assert bound.check("holder.binding").outcome == "pass" and bound.verdict == "valid"
    unbound = _verify(_sd(issuer, iss=issuer.did)).credentials[0]
    assert unbound.check("holder.binding") is None


# --- 7: hostile JSON is a result or a usage error, never a traceback ----------------------------

BIG_INT = "1" * 5000
DEEP = "[" * 200_000 + "]" * 200_000


@pytest.mark.parametrize("body", [
    '{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "n": NaN}',
    '{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "n": -Infinity}',
    '{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "n": ' + BIG_INT + "}",
    DEEP,
])
def test_hostile_credential_json_is_unreadable(tmp_path, body):
    from typer.testing import CliRunner

    from lerwallet.cli.app import app

    result = CliRunner().invoke(app, ["verify", str(write(tmp_path / "c.json", body))])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.stdout.count("UNREADABLE INPUT") == 1


@pytest.mark.parametrize("body", ['{"id": "%s", "n": %s}' % (LIST_URL, BIG_INT), DEEP, '{"id": "%s", "n": NaN}' % LIST_URL])
@pytest.mark.parametrize("named", [False, True])
def test_hostile_status_list_is_unknown(tmp_path, issuer, body, named):
    cache = tmp_path / "lists"
    cache.mkdir()
    (cache / "l.json").write_text(body)
    if named:
        write(cache / "urls.json", {LIST_URL: "l.json"})
    check = _status_checks(tmp_path, _with_status(issuer), cache)["status.revocation"]
    assert check.outcome == "unknown"


@pytest.mark.parametrize("body", ['{"allow": {"did:example:a": {"n": %s}}}' % BIG_INT, DEEP, '{"allow": NaN}'])
def test_hostile_trust_file_is_a_usage_error(tmp_path, issuer, body):
    from typer.testing import CliRunner

    from lerwallet.cli.app import app

    cred = write(tmp_path / "c.json", issuer.sign(badge(issuer)))
    result = CliRunner().invoke(app, ["verify", str(cred), "--trust", str(write(tmp_path / "t.json", body))])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.startswith("lerwallet: error: trust file") and len(result.stderr.splitlines()) <= 2


@pytest.mark.parametrize("body", ["[" * 20_000 + "]" * 20_000, '{"id": "did:web:deep.example", "n": %s}' % BIG_INT])
def test_hostile_did_web_cache_document(tmp_path, issuer, body):
    doc = badge(issuer)
    doc["issuer"]["id"] = "did:web:deep.example"
    doc = _signed_with_vm(issuer, doc, "did:web:deep.example#key-1")
    cache = tmp_path / "dids" / "deep.example" / ".well-known"
    cache.mkdir(parents=True)
    (cache / "did.json").write_text(body)
    check = _verify(doc, did_web_cache=tmp_path / "dids").credentials[0].check("proof")
    assert check.outcome == "fail" and "not valid JSON" in check.reason
