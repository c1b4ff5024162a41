"""Selective disclosure: SD-JWT --disclose with key binding, ecdsa-sd-2023 derivation, whole-only notices."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from lerwallet import crypto, identity
from lerwallet.errors import EXIT_USAGE
from lerwallet.keys.jwk import public_to_jwk
from lerwallet.present.disclose import (
    DisclosureError,
    derive_ecdsa_sd,
    disclose_sd_jwt,
    holder_key_for,
    method_of,
    parse_paths,
    plan_sd_jwt,
    plan_whole,
)
from lerwallet.proofs.sdjwt import create_sd_jwt, verify_sd_jwt
from lerwallet.store import Wallet

FAST = crypto.KdfParams.unsafe_fast_for_tests()
NOW = datetime(2026, 3, 1, tzinfo=timezone.utc)
ISSUER = crypto.generate_private_key("p256")
ISSUER_JWK = public_to_jwk("p256", crypto.public_key_of("p256", ISSUER))
CLAIMS = {"iss": "https://uni.example", "iat": 1700000000, "vct": "https://credentials.example/degree",
          "given_name": "Ada", "family_name": "Lovelace", "email": "ada@example.org",
          "degree": {"type": "MSc", "field": "Computing", "grade": "distinction"},
          "nationalities": ["GB", "FR"], "student_id": "S-123"}
DISCLOSABLE = ["/given_name", "/family_name", "/email", "/degree", "/degree/grade", "/nationalities/0", "/nationalities/1"]


def issue(holder_private, key_type="p256"):
    holder_jwk = public_to_jwk(key_type, crypto.public_key_of(key_type, holder_private))
    return create_sd_jwt(CLAIMS, DISCLOSABLE, key_type="p256", private_key=ISSUER, holder_jwk=holder_jwk)


def check(presented, **kw):
    return verify_sd_jwt(presented, issuer_jwk=ISSUER_JWK, now=NOW, **kw)


@pytest.mark.parametrize("key_type", ["p256", "ed25519"])
def test_sd_jwt_disclose_reveals_only_the_chosen_claims_with_key_binding(key_type):
    holder = crypto.generate_private_key(key_type)
    presented, plan = disclose_sd_jwt(issue(holder, key_type), ["/given_name", "/degree/field"], holder_key=(key_type, holder),
                                      audience="https://jobs.example", nonce="n-42", now=NOW)
    result = check(presented, audience="https://jobs.example", nonce="n-42")
    assert result.proof.outcome == "pass" and result.key_binding.outcome == "pass"
    doc = result.document
    assert doc["given_name"] == "Ada" and doc["degree"] == {"type": "MSc", "field": "Computing"}
    assert not {"family_name", "email"} & set(doc)
    assert doc["nationalities"] == [] and doc["student_id"] == "S-123"  # elements withheld; never-disclosable claims shown
    assert plan.withheld == ["/degree/grade", "/email", "/family_name", "/nationalities/0", "/nationalities/1"]
    assert "/degree/grade" not in plan.shown and "/given_name" in plan.shown
    # the key binding is over this nonce and audience only
    assert check(presented, audience="https://jobs.example", nonce="other").proof.code == "challenge_mismatch"
    assert check(presented, audience="https://evil.example", nonce="n-42").proof.code == "domain_mismatch"


def test_sd_jwt_array_element_and_whole_object_disclosure():
    holder = crypto.generate_private_key("p256")
    presented, _ = disclose_sd_jwt(issue(holder), ["/nationalities/1", "/degree"], holder_key=("p256", holder),
                                   audience="a", nonce="n", now=NOW)
    doc = check(presented, audience="a", nonce="n").document
    assert doc["nationalities"] == ["FR"]
    assert doc["degree"] == {"type": "MSc", "field": "Computing", "grade": "distinction"}


def test_sd_jwt_unknown_path_is_exit_2_and_names_the_known_ones():
    with pytest.raises(DisclosureError) as exc:
        plan_sd_jwt(issue(crypto.generate_private_key("p256")), ["/middle_name"])
    assert exc.value.exit_code == EXIT_USAGE
    assert exc.value.message == "unknown disclosure path /middle_name: this SD-JWT has no such claim"
    assert "/given_name" in exc.value.hint


def test_sd_jwt_claims_the_issuer_made_visible_are_said_to_be_always_shown():
    plan = plan_sd_jwt(issue(crypto.generate_private_key("p256")), ["/student_id"])
    assert plan.notice == "/student_id is always shown: the issuer did not make it selectively disclosable"


def test_holder_key_is_found_from_cnf_among_the_learners_keys(tmp_path):
    w = Wallet.create(tmp_path / "w", b"correct horse battery", kdf=FAST)
    try:
        me = identity.create(w, name="me", key_type="p256")
        key_type, private, _ = identity.signing_key(w, me)
        token = issue(private)
        assert holder_key_for(w, token) == ("p256", private)
        stranger = issue(crypto.generate_private_key("p256"))
        with pytest.raises(DisclosureError) as exc:
            holder_key_for(w, stranger)
        assert exc.value.message == "the holder key this SD-JWT is bound to (cnf) is not one of your identities' keys"
        unbound = create_sd_jwt(CLAIMS, DISCLOSABLE, key_type="p256", private_key=ISSUER)
        with pytest.raises(DisclosureError) as exc:
            holder_key_for(w, unbound)
        assert "names no holder key" in exc.value.message
    finally:
        w.close()


def test_parse_paths_accepts_pointers_and_dotted_paths():
    assert parse_paths("/given_name, credentialSubject.achievement.name,/a~1b") == [
        "/given_name", "/credentialSubject/achievement/name", "/a~1b"]
    with pytest.raises(DisclosureError):
        parse_paths(" , ")


def _base_badge():
    from lerwallet.keys.dids import did_key_from_public
    from lerwallet.proofs.ecdsa_sd_derive import create_base_proof

    private = crypto.generate_private_key("p256")
    did = did_key_from_public("p256", crypto.public_key_of("p256", private))
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
           "type": ["VerifiableCredential", "OpenBadgeCredential"], "name": "Welding",
           "issuer": {"id": did, "type": ["Profile"], "name": "College"}, "validFrom": "2024-01-01T00:00:00Z",
           "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
               "id": "https://c.example/a/1", "type": ["Achievement"], "name": "Welding",
               "criteria": {"narrative": "Welded"}, "description": "MIG and TIG"}}}
    return create_base_proof(doc, private_key=private, verification_method=f"{did}#{did.split(':')[2]}",
                             mandatory_pointers=["/issuer", "/credentialSubject/achievement/name"])


def test_ecdsa_sd_plan_and_derivation_agree():
    from lerwallet.keys import Resolver
    from lerwallet.proofs.verify import verify_proofs

    base = _base_badge()
    assert method_of("vc-json-ld", base, None) == "ecdsa-sd-2023"
    derived, plan = derive_ecdsa_sd(base, ["/validFrom"])
    assert verify_proofs(derived, resolver=Resolver())[0].outcome == "pass"
    assert "/name" in plan.withheld and "/credentialSubject/achievement/description" in plan.withheld
    assert "/validFrom" in plan.shown and "/issuer/name" in plan.shown
    assert plan.notice == "the issuer requires /issuer, /credentialSubject/achievement/name to be shown"
    assert "name" not in derived and derived["validFrom"] == "2024-01-01T00:00:00Z"
    with pytest.raises(DisclosureError) as exc:
        derive_ecdsa_sd(base, ["/credentialSubject/grade"])
    assert exc.value.message == "unknown disclosure path /credentialSubject/grade: this credential has no such claim"


def test_signed_json_ld_can_only_be_shared_whole_and_says_what_it_shows():
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "issuer": "did:x",
           "credentialSubject": {"id": "did:me", "name": "Ada", "grade": "A"},
           "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022"}}
    assert method_of("vc-json-ld", doc, None) == "whole"
    plan = plan_whole(doc, ["/credentialSubject/name"])
    assert plan.notice == ("this credential can only be shared whole (its eddsa-rdfc-2022 covers every field, so none "
                           "can be hidden); it will show its subject's id, name, grade")
    assert plan_whole(doc, None).notice == ""
    assert "its issuer's JWT signature" in plan_whole(doc, ["/x"], token=True).notice
