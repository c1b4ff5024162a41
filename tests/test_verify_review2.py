"""Second security review, findings 2-7: each test fails before its fix. Real keys and signatures."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from lerwallet.proofs.jose import sign_compact
from lerwallet.verify import Options, verify_bytes
from tests.verify_helpers import Party

V1 = "https://www.w3.org/2018/credentials/v1"
AT = datetime(2024, 6, 1, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def issuer():
    return Party()


def _verify(data, **opts):
    data = data.encode() if isinstance(data, str) else json.dumps(data).encode()
    [report] = verify_bytes(data, Options(**{"at": AT, **opts}))
    return report


def _checks(report) -> dict:
    return {c.id: c for c in report.credentials[0].checks}


# --- 2: a VC-JWT 1.1 whose issuer is only in `iss` -------------------------------------------

def _jwt11(signer: Party, iss: str) -> str:
    payload = {"iss": iss, "sub": "did:example:alice", "jti": "urn:uuid:42", "nbf": 1700000000,
               "vc": {"@context": [V1], "type": ["VerifiableCredential"], "credentialSubject": {"name": "Alice"}}}
    return sign_compact({"alg": "EdDSA", "typ": "JWT", "kid": signer.vm}, payload, key_type="ed25519", private_key=signer.private)


def test_vc_jwt_11_with_issuer_only_in_iss_verifies(issuer):
    report = _verify(_jwt11(issuer, issuer.did))
    checks = _checks(report)
    assert checks["structure"].outcome == "pass", checks["structure"].reason
    assert checks["proof"].outcome == "pass"
    assert report.credentials[0].summary.get("issuer_id") == issuer.did
    assert report.verdict == "valid"  # warnings (an unknown issuer) do not change the verdict


def test_vc_jwt_11_iss_naming_someone_else_fails(issuer):
    checks = _checks(_verify(_jwt11(issuer, Party().did)))
    assert checks["structure"].outcome == "pass"
    assert checks["proof"].outcome == "fail"


def test_vc_jwt_11_without_iss_or_issuer_is_malformed(issuer):
    payload = {"vc": {"@context": [V1], "type": ["VerifiableCredential"], "credentialSubject": {"name": "Alice"}}}
    token = sign_compact({"alg": "EdDSA", "kid": issuer.vm}, payload, key_type="ed25519", private_key=issuer.private)
    assert _checks(_verify(token))["structure"].code == "invalid_issuer"


# --- 3: extreme dates are refused, never a crash ----------------------------------------------

@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-01:00",
                                   "9999-12-31T00:00:00Z", 253402300799])
def test_dates_at_the_ends_of_the_calendar_are_not_dates(value):
    from lerwallet.verify.dates import parse_datetime

    assert parse_datetime(value) is None
    assert parse_datetime("0001-01-03T00:00:00Z") is not None and parse_datetime("9999-12-29T00:00:00Z") is not None


@pytest.mark.parametrize("field,value", [("validUntil", "0001-01-01T00:00:00+01:00"), ("validFrom", "9999-12-31T23:59:59-01:00")])
def test_extreme_credential_dates_are_malformed_not_a_crash(issuer, field, value):
    from tests.verify_helpers import badge

    report = _verify(issuer.sign(badge(issuer, **{field: value})))
    assert (_checks(report)["structure"].outcome, _checks(report)["structure"].code) == ("fail", "invalid_date")
    assert report.verdict == "invalid"


def test_huge_clock_skew_is_clamped(issuer):
    from tests.verify_helpers import badge

    report = _verify(issuer.sign(badge(issuer, validUntil="2030-01-01T00:00:00Z")),
                     at=datetime(9999, 12, 29, tzinfo=timezone.utc), clock_skew=10**12)
    assert _checks(report)["expiration"].outcome == "pass"  # 31,000 years of skew: absurd, but no OverflowError


def test_cli_at_out_of_range_is_a_usage_error(tmp_path, issuer):
    from typer.testing import CliRunner

    from lerwallet.cli.app import app
    from tests.verify_helpers import badge

    path = tmp_path / "vc.json"
    path.write_text(json.dumps(issuer.sign(badge(issuer))))
    result = CliRunner().invoke(app, ["verify", "--at", "9999-12-31T23:59:59Z", str(path)])
    assert result.exit_code == 2, result.output
    assert "--at" in result.output and "Traceback" not in result.output


# --- 4: an SD-JWT key binding JWT is fresh for minutes, not for ever ----------------------------

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


@pytest.mark.parametrize("minutes,outcome", [(1, "pass"), (9, "pass"), (11, "fail"), (60 * 24 * 365, "fail")])
def test_key_binding_jwt_age_is_bounded(sd_presented, minutes, outcome):
    from datetime import timedelta

    report = _verify(sd_presented, at=KB_AT + timedelta(minutes=minutes), challenge="n1", domain="https://employer.example")
    checks = _checks(report)
    assert checks["proof"].outcome == "pass", checks["proof"].reason  # the issuer's signature is valid (review2b 6)
    binding = checks["holder.binding"]
    assert binding.outcome == outcome, binding.reason
    if outcome == "fail":
        assert binding.code == "kb_stale" and "replay" in binding.reason
        assert report.verdict == "invalid"


def test_key_binding_max_age_is_a_library_option(sd_presented):
    from datetime import timedelta

    from lerwallet.proofs.sdjwt import verify_sd_jwt
    from lerwallet.keys.resolver import Resolver

    later = KB_AT + timedelta(hours=2)
    kwargs = {"resolver": Resolver(), "audience": "https://employer.example", "nonce": "n1", "now": later}
    assert verify_sd_jwt(sd_presented, **kwargs).proof.outcome == "fail"
    assert verify_sd_jwt(sd_presented, max_kb_age=3 * 3600, **kwargs).proof.outcome == "pass"
    report = _verify(sd_presented, at=later, challenge="n1", domain="https://employer.example", max_kb_age=3 * 3600)
    assert _checks(report)["holder.binding"].outcome == "pass"
    report = _verify(sd_presented, at=later, challenge="n1", domain="https://employer.example")
    assert _checks(report)["holder.binding"].code == "kb_stale"


def test_key_binding_without_audience_or_nonce_asked_is_a_warning(sd_presented):
    checks = _checks(_verify(sd_presented, at=KB_AT))
    assert (checks["holder.binding"].outcome, checks["holder.binding"].code) == ("warn", "kb_audience_not_checked")
    checks = _checks(_verify(sd_presented, at=KB_AT, challenge="n1", domain="https://employer.example"))
    assert checks["holder.binding"].outcome == "pass"


# --- 6: exp/nbf/cnf/status sent as disclosures are refused ------------------------------------

@pytest.mark.parametrize("name,value", [("exp", 1600000000), ("nbf", 4000000000), ("status", {"idx": 1}), ("cnf", {"kid": "x"})])
def test_judged_claim_sent_as_a_disclosure_fails(issuer, name, value):
    from lerwallet.proofs.sdjwt import _digest, _disclosure

    disclosure = _disclosure(["salt-1", name, value])
    payload = {"iss": issuer.did, "vct": "https://credentials.example/degree", "_sd": [_digest(disclosure)],
               "_sd_alg": "sha-256", "degree": "BSc"}
    jwt = sign_compact({"alg": "EdDSA", "typ": "dc+sd-jwt", "kid": issuer.vm}, payload, key_type="ed25519",
                       private_key=issuer.private)
    proof = _checks(_verify(jwt + "~" + disclosure + "~"))["proof"]
    assert (proof.outcome, proof.code) == ("fail", "invalid_disclosure")
    assert name in proof.reason


def test_ordinary_disclosure_still_verifies(issuer):
    from lerwallet.proofs.sdjwt import create_sd_jwt

    sd = create_sd_jwt({"iss": issuer.did, "vct": "https://credentials.example/degree", "degree": "BSc", "exp": 4000000000},
                       ["/degree"], key_type="ed25519", private_key=issuer.private, kid=issuer.vm)
    assert _checks(_verify(sd))["proof"].outcome == "pass"


# --- 7: a presentation proof whose domain is a list -------------------------------------------

def test_presentation_domain_list_matches(issuer):
    from lerwallet.proofs.suites import Canonical, by_name

    holder = Party()
    vp = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"], "holder": holder.did}
    proof = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "2024-01-01T00:00:00Z",
             "verificationMethod": holder.vm, "proofPurpose": "authentication", "challenge": "c1",
             "domain": ["https://a.example", "https://jobs.example"]}
    proof["proofValue"] = by_name("eddsa-rdfc-2022").sign_value(Canonical(vp, None), proof, "ed25519", holder.private)
    report = _verify(dict(vp, proof=proof), challenge="c1", domain="https://jobs.example")
    checks = {c.id: c for c in report.presentation_checks}
    assert checks["presentation.proof"].outcome == "pass"
    assert checks["presentation.domain"].outcome == "pass", checks["presentation.domain"].reason
    other = {c.id: c for c in _verify(dict(vp, proof=proof), challenge="c1", domain="https://evil.example").presentation_checks}
    assert other["presentation.proof"].outcome == "fail"


# --- 8: pyld's uuid1 (libuuid -> uuidd socket) is not the stdlib one ---------------------------

def test_pyld_uuid1_is_replaced_after_lerwallet_loads_pyld():
    import sys
    import uuid

    from lerwallet.ld import _pyld

    mod = _pyld.jsonld()
    assert sys.modules["pyld.jsonld"] is mod
    assert mod.uuid is not uuid and mod.uuid.uuid1 is not uuid.uuid1
    assert mod.uuid.uuid1().version == 4


def test_inline_scoped_context_never_calls_uuid1(monkeypatch, issuer):
    import uuid

    from lerwallet.ld import canonize

    def boom(*_a, **_k):
        raise AssertionError("uuid.uuid1 called: libuuid would contact the uuidd daemon")

    doc = {"@context": ["https://www.w3.org/ns/credentials/v2",
                        {"Course": {"@id": "https://example.org/Course", "@context": {"hours": "https://example.org/hours"}}}],
           "type": ["VerifiableCredential"], "issuer": issuer.did, "validFrom": "2024-01-01T00:00:00Z",
           "credentialSubject": {"id": "did:example:alice", "type": "Course", "hours": "12"}}
    signed = issuer.sign(doc)
    monkeypatch.setattr(uuid, "uuid1", boom)
    assert "https://example.org/hours" in canonize(signed, engine="pyld")
    assert _checks(_verify(signed))["proof"].outcome == "pass"


# --- 5: names an issuer gives itself are not shown as verified ---------------------------------

def _endorsed_badge(issuer: Party, endorser: Party) -> dict:
    from tests.verify_helpers import OB3, V2, badge

    endorsement = endorser.sign({
        "@context": [V2, OB3], "id": "urn:uuid:0f1b2c3d-1111-2222-3333-444455556666",
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "issuer": {"id": endorser.did, "type": ["Profile"], "name": "Harvard University"},
        "validFrom": "2024-01-01T00:00:00Z", "name": "Endorsed",
        "credentialSubject": {"id": "https://example.edu/achievements/1", "type": ["EndorsementSubject"], "endorsementComment": "good"},
    })
    doc = badge(issuer)
    doc["issuer"]["name"] = "MIT"
    doc["credentialSubject"]["achievement"]["endorsement"] = [endorsement]
    return issuer.sign(doc)


def _trust(tmp_path, **names) -> list:
    path = tmp_path / "trust.json"
    path.write_text(json.dumps({"name": "State Registry", "allow": {did: {"name": name} for did, name in names.items()}}))
    return [path]


def test_self_asserted_issuer_name_is_marked(issuer):
    cred = _verify(_endorsed_badge(issuer, Party())).credentials[0]
    assert cred.summary["issuer_label"] == "MIT (self-asserted)"
    check = cred.check("endorsements")
    assert check.outcome == "warn" and "unknown issuers" in check.reason and "Harvard" not in check.reason


def test_registry_name_replaces_the_asserted_one(tmp_path, issuer):
    endorser = Party()
    trust = _trust(tmp_path, **{issuer.did: "Acme Bootcamp", endorser.did: "Real Accreditor"})
    cred = _verify(_endorsed_badge(issuer, endorser), trust_files=trust).credentials[0]
    assert cred.summary["issuer_label"] == "Acme Bootcamp (registry: State Registry)"
    check = cred.check("endorsements")
    assert check.outcome == "pass" and "Real Accreditor (registry: State Registry)" in check.reason
    assert "Harvard" not in check.reason


def test_terminal_and_html_show_the_label(tmp_path, issuer):
    from typer.testing import CliRunner

    from lerwallet.cli.app import app

    path = tmp_path / "vc.json"
    path.write_text(json.dumps(_endorsed_badge(issuer, Party())))
    html = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["verify", "--at", "2024-06-01T00:00:00Z", "--html", str(html), str(path)])
    assert "MIT (self-asserted)" in result.output
    assert "MIT (self-asserted)" in html.read_text()
