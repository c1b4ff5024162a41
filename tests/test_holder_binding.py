"""Holder binding (issue #10): when a credential's subject is a DID, the presentation must prove
control of it (its holder proof, or one verified proof of a proof set, is made by that DID);
otherwise `holder.binding` fails and the verdict is invalid, with or without --challenge. A
subject without a DID gets a plain warning. Real keys and signatures, no mocks."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone

import pytest

from lerwallet.proofs import sign
from lerwallet.proofs.jose import sign_jwt
from lerwallet.verify import Options, verify_bytes
from tests.verify_helpers import V2, Party, badge, presentation

AT = datetime(2026, 11, 28, tzinfo=timezone.utc)


def _verify(doc, **opts):
    data = doc.encode() if isinstance(doc, str) else json.dumps(doc).encode()
    [report] = verify_bytes(data, Options(at=AT, **opts))
    return report


def _add_proof(vp: dict, party: Party, **kw) -> dict:
    """One more `authentication` proof on the presentation: a proof set."""
    return sign(copy.deepcopy(vp), suite="eddsa-rdfc-2022", key_type="ed25519", private_key=party.private,
                verification_method=party.vm, purpose="authentication", **kw)


@pytest.fixture(scope="module")
def issuer():
    return Party()


@pytest.fixture(scope="module")
def ada():
    return Party()


@pytest.fixture(scope="module")
def adas_badge(issuer, ada):
    return issuer.sign(badge(issuer, subject=ada.did, name="First Aid"))


def test_stranger_presenting_adas_credential_fails_even_with_a_challenge(adas_badge):
    stranger = Party()
    vp = presentation(stranger, [adas_badge], challenge="c-1", domain="jobs.example")
    report = _verify(vp, challenge="c-1", domain="jobs.example")
    check = report.credentials[0].check("holder.binding")
    assert (check.outcome, check.code) == ("fail", "holder_not_subject")
    assert ada_did_in(check.reason, adas_badge)
    assert report.credentials[0].check("proof").outcome == "pass"  # the credential itself is authentic
    assert report.verdict == "invalid"


def ada_did_in(reason: str, cred: dict) -> bool:
    return cred["credentialSubject"]["id"] in reason


def test_ada_presenting_her_own_credential_passes(ada, adas_badge):
    report = _verify(presentation(ada, [adas_badge], challenge="c-1"), challenge="c-1")
    assert report.credentials[0].check("holder.binding").outcome == "pass"
    assert report.verdict == "valid"


def test_stranger_claiming_adas_did_as_holder_fails_the_presentation_proof(ada, adas_badge):
    stranger = Party()
    vp = {"@context": [V2], "type": ["VerifiablePresentation"], "holder": ada.did, "verifiableCredential": [adas_badge]}
    signed = stranger.sign(vp, purpose="authentication")
    report = _verify(signed)
    assert report.verdict == "invalid"
    assert report.credentials[0].check("holder.binding").outcome == "skipped"


def test_proof_set_binds_each_credential_to_its_own_identity(issuer, ada):
    work = Party()  # Ada's second identity
    at_work = issuer.sign(badge(issuer, subject=work.did, name="Forklift"))
    vp = {"@context": [V2], "type": ["VerifiablePresentation"], "holder": ada.did,
          "verifiableCredential": [issuer.sign(badge(issuer, subject=ada.did)), at_work]}
    both = _add_proof(_add_proof(vp, ada, challenge="c"), work, challenge="c")
    assert len(both["proof"]) == 2
    report = _verify(both, challenge="c")
    assert [c.check("holder.binding").outcome for c in report.credentials] == ["pass", "pass"]
    assert report.verdict == "valid"
    # The second identity's proof tampered: it no longer verifies, so its credential is unbound.
    broken = copy.deepcopy(both)
    broken["proof"][1]["proofValue"] = broken["proof"][0]["proofValue"]
    report = _verify(broken, challenge="c")
    assert [c.check("holder.binding").outcome for c in report.credentials] == ["pass", "fail"]
    assert report.verdict == "invalid"


def test_proof_set_without_a_holder_binds_through_any_valid_proof(issuer, ada):
    work = Party()
    vp = {"@context": [V2], "type": ["VerifiablePresentation"],
          "verifiableCredential": [issuer.sign(badge(issuer, subject=ada.did)),
                                   issuer.sign(badge(issuer, subject=work.did, name="Forklift"))]}
    both = _add_proof(_add_proof(vp, ada), work)
    report = _verify(both)
    assert [c.check("holder.binding").outcome for c in report.credentials] == ["pass", "pass"]


def test_subject_without_a_did_is_a_plain_warning(issuer, ada):
    doc = badge(issuer, subject="did:example:placeholder")
    subject = doc["credentialSubject"]
    del subject["id"]
    subject["identifier"] = [{"type": "IdentityObject", "identityHash": "ada@example.org", "identityType": "emailAddress",
                              "hashed": False}]
    report = _verify(presentation(ada, [issuer.sign(doc)]))
    check = report.credentials[0].check("holder.binding")
    assert (check.outcome, check.code) == ("warn", "holder_not_bound")
    assert "not bound to the subject" in check.reason
    assert report.verdict == "valid"


def test_non_did_subject_id_is_a_plain_warning(issuer, ada):
    report = _verify(presentation(ada, [issuer.sign(badge(issuer, subject="mailto:ada@example.org"))]))
    assert report.credentials[0].check("holder.binding").code == "holder_not_bound"


def test_vp_jwt_by_a_stranger_fails(issuer, adas_badge):
    stranger = Party()
    vp = {"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiablePresentation"],
          "holder": stranger.did, "verifiableCredential": [adas_badge]}
    token = sign_jwt(vp, key_type="ed25519", private_key=stranger.private, kid=stranger.vm, style="vc11",
                     audience="jobs.example", nonce="n")
    report = _verify(token, challenge="n", domain="jobs.example")
    assert report.credentials[0].check("holder.binding").outcome == "fail"
    assert report.verdict == "invalid"
