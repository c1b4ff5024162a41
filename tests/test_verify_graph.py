"""[review2 1] The signature covers the RDF graph, not the JSON spelling: a judged field moved to a
full IRI, a compact IRI, an alias term or a value object must not escape the date, status and
proof-expiry checks. Real keys, real signatures, real canonicalization."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone

import pytest

from lerwallet.proofs.suites import Canonical, by_name
from lerwallet.verify import Options, verify_bytes
from tests.verify_helpers import V2, Party, badge

V1 = "https://www.w3.org/2018/credentials/v1"
CRED = "https://www.w3.org/2018/credentials#"
XSD_DT = "http://www.w3.org/2001/XMLSchema#dateTime"
AT = datetime(2024, 6, 1, tzinfo=timezone.utc)
STATUS = {"id": "https://issuer.example/status/1#7", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
          "statusListIndex": "7", "statusListCredential": "https://issuer.example/status/1"}


@pytest.fixture(scope="module")
def issuer():
    return Party()


def _verify(doc, **opts):
    [report] = verify_bytes(json.dumps(doc).encode(), Options(at=AT, **opts))
    return report


def _checks(report) -> dict:
    return {c.id: c for c in report.credentials[0].checks}


def _expired_v2(issuer, **extra):
    doc = {"@context": [V2], "id": "urn:uuid:1234", "type": ["VerifiableCredential"], "issuer": issuer.did,
           "validFrom": "2020-01-01T00:00:00Z", "validUntil": "2021-01-01T00:00:00Z",
           "credentialSubject": {"id": "did:example:alice", "name": "Alice"}, **extra}
    return issuer.sign(doc)


def _moved(doc, name, key, *, context=None, value_object=True):
    out = copy.deepcopy(doc)
    value = out.pop(name)
    out[key] = {"@value": value, "@type": XSD_DT} if value_object else value
    if context is not None:
        out["@context"] = out["@context"] + [context]
    return out


def test_baseline_expired_credential_is_invalid(issuer):
    checks = _checks(_verify(_expired_v2(issuer)))
    assert checks["proof"].outcome == "pass" and checks["expiration"].code == "expired"
    assert "structure.graph" not in checks


@pytest.mark.parametrize("variant", ["full_iri", "compact_iri", "alias_term", "alias_term_protected_override"])
def test_hidden_valid_until_fails(issuer, variant):
    doc = _expired_v2(issuer)
    if variant == "full_iri":
        tampered = _moved(doc, "validUntil", CRED + "validUntil")
    elif variant == "compact_iri":
        tampered = _moved(doc, "validUntil", "cred:validUntil", context={"cred": CRED})
    elif variant == "alias_term":
        tampered = _moved(doc, "validUntil", "expiresOn", value_object=False,
                          context={"expiresOn": {"@id": CRED + "validUntil", "@type": XSD_DT}})
    else:  # the prefix defined as a term, value object with its own type
        tampered = _moved(doc, "validUntil", "vc:validUntil", context={"vc": {"@id": CRED, "@prefix": True}})
    report = _verify(tampered)
    checks = _checks(report)
    assert checks["proof"].outcome == "pass"  # same graph: the signature still verifies
    assert (checks["structure.graph"].outcome, checks["structure.graph"].code) == ("fail", "hidden_field")
    assert "validUntil" in checks["structure.graph"].reason
    assert checks["expiration"].outcome == "skipped"
    assert report.verdict == "invalid"


def test_value_object_under_the_plain_term_fails(issuer):
    tampered = _moved(_expired_v2(issuer), "validUntil", "validUntil")
    report = _verify(tampered)
    assert report.verdict == "invalid"
    assert all(c.outcome != "pass" or c.id != "expiration" for c in report.credentials[0].checks)


def test_hidden_credential_status_fails(issuer):
    doc = _expired_v2(issuer, credentialStatus=STATUS)
    tampered = copy.deepcopy(doc)
    tampered[CRED + "credentialStatus"] = tampered.pop("credentialStatus")
    checks = _checks(_verify(tampered))
    assert checks["proof"].outcome == "pass"
    assert checks["structure.graph"].code == "hidden_field" and "credentialStatus" in checks["structure.graph"].reason
    assert checks["status"].outcome == "skipped"


def test_hidden_status_index_fails(issuer):
    doc = _expired_v2(issuer, credentialStatus=STATUS)
    tampered = copy.deepcopy(doc)
    entry = tampered["credentialStatus"]
    entry["https://www.w3.org/ns/credentials/status#statusListIndex"] = entry.pop("statusListIndex")
    checks = _checks(_verify(tampered))
    assert checks["proof"].outcome == "pass"
    assert checks["structure.graph"].code == "hidden_field" and "statusListIndex" in checks["structure.graph"].reason


def test_vc11_ed25519signature2020_hidden_expiration_date(issuer):
    doc = {"@context": [V1], "id": "urn:uuid:5678", "type": ["VerifiableCredential"], "issuer": issuer.did,
           "issuanceDate": "2020-01-01T00:00:00Z", "expirationDate": "2021-01-01T00:00:00Z",
           "credentialSubject": {"id": "did:example:alice"}}
    from lerwallet.proofs import sign

    signed = sign(doc, suite="Ed25519Signature2020", key_type="ed25519", private_key=issuer.private,
                  verification_method=issuer.vm)
    assert _checks(_verify(signed))["expiration"].code == "expired"
    checks = _checks(_verify(_moved(signed, "expirationDate", CRED + "expirationDate")))
    assert checks["proof"].outcome == "pass"
    assert checks["structure.graph"].code == "hidden_field" and "expirationDate" in checks["structure.graph"].reason


def test_open_badge_hidden_valid_until(issuer):
    signed = issuer.sign(badge(issuer, validUntil="2024-03-01T00:00:00Z"))
    assert _checks(_verify(signed))["expiration"].code == "expired"
    checks = _checks(_verify(_moved(signed, "validUntil", CRED + "validUntil")))
    assert checks["proof"].outcome == "pass" and checks["structure.graph"].code == "hidden_field"


def test_ordinary_alias_free_credentials_are_unaffected(issuer):
    for doc in (issuer.sign(badge(issuer)), _expired_v2(issuer, credentialStatus=STATUS)):
        assert "structure.graph" not in _checks(_verify(doc))


def _sign_vp(holder: Party, doc: dict, extra: dict) -> dict:
    suite = by_name("eddsa-rdfc-2022")
    proof = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "2022-01-01T00:00:00Z",
             "verificationMethod": holder.vm, "proofPurpose": "authentication", **extra}
    proof["proofValue"] = suite.sign_value(Canonical(doc, None), proof, "ed25519", holder.private)
    return dict(doc, proof=proof)


def test_presentation_proof_expires_renamed_fails():
    holder = Party()
    vp = {"@context": [V2], "type": ["VerifiablePresentation"], "holder": holder.did}
    signed = _sign_vp(holder, vp, {"challenge": "abc", "domain": "jobs.example", "expires": "2022-01-02T00:00:00Z"})
    report = _verify(signed, challenge="abc", domain="jobs.example")
    assert {c.id: c for c in report.presentation_checks}["presentation.proof"].code == "proof_expired"
    tampered = copy.deepcopy(signed)
    tampered["proof"]["https://w3id.org/security#expiration"] = {"@value": tampered["proof"].pop("expires"), "@type": XSD_DT}
    checks = {c.id: c for c in _verify(tampered, challenge="abc", domain="jobs.example").presentation_checks}
    assert (checks["presentation.proof"].outcome, checks["presentation.proof"].code) == ("fail", "unknown_proof_option")


def test_presentation_proof_option_value_object_fails():
    holder = Party()
    vp = {"@context": [V2], "type": ["VerifiablePresentation"], "holder": holder.did}
    signed = _sign_vp(holder, vp, {"challenge": "abc", "expires": "2022-01-02T00:00:00Z"})
    tampered = copy.deepcopy(signed)
    tampered["proof"]["expires"] = {"@value": tampered["proof"]["expires"], "@type": XSD_DT}
    checks = {c.id: c for c in _verify(tampered, challenge="abc").presentation_checks}
    assert checks["presentation.proof"].code == "unknown_proof_option"


def test_presentation_holder_renamed_fails():
    holder = Party()
    vp = {"@context": [V2], "type": ["VerifiablePresentation"], "holder": holder.did}
    signed = holder.sign(vp, purpose="authentication", challenge="abc")
    assert "presentation.graph" not in {c.id for c in _verify(signed, challenge="abc").presentation_checks}
    tampered = copy.deepcopy(signed)
    tampered[CRED + "holder"] = {"@id": tampered.pop("holder")}
    checks = {c.id: c for c in _verify(tampered, challenge="abc").presentation_checks}
    assert checks["presentation.graph"].code == "hidden_field" and "holder" in checks["presentation.graph"].reason
    assert checks["presentation.challenge"].outcome == "skipped"
