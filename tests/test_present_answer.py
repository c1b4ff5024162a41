"""--request / --disclose end to end at the library level: a real wallet, real credentials,
match -> select -> plan -> apply_disclosures -> build -> self-check."""

from __future__ import annotations

import json

import pytest

from lerwallet import crypto, identity
from lerwallet import present as lib
from lerwallet.keys import Resolver, did_key_from_public
from lerwallet.keys.jwk import public_to_jwk
from lerwallet.present.answer import apply_disclosures, match_wallet
from lerwallet.present.disclose import DisclosureError
from lerwallet.present.request import parse_request
from lerwallet.proofs.ecdsa_sd_derive import create_base_proof
from lerwallet.proofs.sdjwt import create_sd_jwt, verify_sd_jwt

from present_helpers import OB3, V2, Issuer, add, badge, new_wallet

DOMAIN, NONCE = "x509_san_dns:jobs.example", "n-0S6_WzA2Mj"


class P256Issuer:
    def __init__(self):
        self.private = crypto.generate_private_key("p256")
        self.public = crypto.public_key_of("p256", self.private)
        self.did = did_key_from_public("p256", self.public)
        self.vm = f"{self.did}#{self.did.split(':')[2]}"


@pytest.fixture
def wallet(tmp_path):
    w = new_wallet(tmp_path / "w", key_type="p256")
    yield w
    w.close()


def me(w):
    return identity.list_identities(w)[0]


def stock(w):
    """An eddsa badge, an SD-JWT VC and an ecdsa-sd-2023 base badge, all issued to the wallet's identity."""
    holder = me(w)
    ids = {"badge": add(w, badge(Issuer(), holder.did, name="Teamwork"))}
    issuer = P256Issuer()
    key_type, private, _ = identity.signing_key(w, holder)
    token = create_sd_jwt({"iss": issuer.did, "iat": 1700000000, "vct": "https://credentials.example/degree",
                           "given_name": "Ada", "family_name": "Lovelace", "degree": "MSc Computing"},
                          ["/given_name", "/family_name", "/degree"], key_type="p256", private_key=issuer.private,
                          kid=issuer.vm, holder_jwk=public_to_jwk("p256", crypto.public_key_of("p256", private)))
    ids["sdjwt"] = add(w, token, "degree.sd-jwt")
    doc = {"@context": [V2, OB3], "id": "urn:uuid:1b4e28ba-2fa1-41d2-883f-0016d3cca427",
           "type": ["VerifiableCredential", "OpenBadgeCredential"], "name": "Welding",
           "issuer": {"id": issuer.did, "type": ["Profile"], "name": "Trade School"}, "validFrom": "2024-01-01T00:00:00Z",
           "credentialSubject": {"id": holder.did, "type": ["AchievementSubject"], "achievement": {
               "id": "https://trade.example/a/weld", "type": ["Achievement"], "name": "Welding",
               "criteria": {"narrative": "Welded"}, "description": "MIG and TIG"}}}
    base = create_base_proof(doc, private_key=issuer.private, verification_method=issuer.vm,
                             mandatory_pointers=["/issuer", "/credentialSubject/id", "/credentialSubject/achievement/name"])
    ids["base"] = add(w, base, "welding.json")
    return ids


def make(w, ids, *, domain=DOMAIN, challenge=NONCE, paths=None, requested=None):
    chosen = lib.select(w, ids)
    p = lib.plan(w, chosen, lib.PresentOptions(challenge=challenge, domain=domain))
    plans = apply_disclosures(w, p, paths=paths, requested=requested)
    vp = lib.build(w, p)
    lib.self_check(vp)
    return vp, p, plans


def embedded_sd_jwt(vp):
    [env] = [c for c in vp.document["verifiableCredential"] if c.get("type") == "EnvelopedVerifiableCredential"]
    return env["id"].split(",", 1)[1]


def test_stored_credentials_are_imported_as_verified(wallet):
    from lerwallet.store import credentials

    ids = stock(wallet)
    statuses = {r.id: r.status for r in credentials.list_credentials(wallet)}
    assert [statuses[ids[k]] for k in ("badge", "sdjwt", "base")] == ["verified"] * 3


def test_dcql_request_answered_with_only_the_requested_sd_jwt_claims(wallet):
    ids = stock(wallet)
    req = parse_request({"client_id": DOMAIN, "nonce": NONCE, "dcql_query": {"credentials": [
        {"id": "degree", "format": "dc+sd-jwt", "meta": {"vct_values": ["https://credentials.example/degree"]},
         "claims": [{"path": ["degree"]}]}]}})
    report = match_wallet(wallet, req).require()
    [sel] = report.selection()
    assert (sel.candidate_id, sel.disclose) == (ids["sdjwt"], ["/degree"])
    assert dict(report.results[0].rejected)[ids["badge"]] == "format ldp_vc, the query wants dc+sd-jwt"
    vp, p, [plan] = make(wallet, [sel.candidate_id], domain=req.domain, challenge=req.challenge,
                         requested={sel.candidate_id: sel.disclose})
    assert plan.withheld == ["/family_name", "/given_name"]
    shown = verify_sd_jwt(embedded_sd_jwt(vp), resolver=Resolver(), audience=DOMAIN, nonce=NONCE)
    assert shown.proof.outcome == "pass" and shown.key_binding.outcome == "pass"
    assert shown.document["degree"] == "MSc Computing" and "given_name" not in shown.document
    assert p.chosen[0].disclosure.fields == ["degree"] and not p.chosen[0].disclosure.whole


def test_vpr_request_matches_the_json_ld_badges(wallet):
    ids = stock(wallet)
    req = parse_request({"query": [{"type": "DIDAuthentication"}, {"type": "QueryByExample", "credentialQuery": {
        "reason": "Show a badge", "example": {"type": "OpenBadgeCredential"}}}], "challenge": "c1", "domain": "jobs.example"})
    report = match_wallet(wallet, req)
    assert sorted(c for c, _ in report.results[0].matched) == sorted([ids["badge"], ids["base"]])
    assert "VPR QueryByExample asks for W3C credentials" in dict(report.results[0].rejected)[ids["sdjwt"]]


def test_disclose_derives_the_ecdsa_sd_badge_and_says_the_eddsa_badge_is_whole(wallet):
    ids = stock(wallet)
    vp, p, plans = make(wallet, [ids["badge"], ids["base"]], paths=["/credentialSubject/achievement/description"])
    derived = next(c for c in vp.document["verifiableCredential"] if c.get("name") != "Teamwork")
    assert "name" not in derived and derived["credentialSubject"]["achievement"]["description"] == "MIG and TIG"
    assert "criteria" not in derived["credentialSubject"]["achievement"]
    assert plans[0].method == "whole" and plans[1].method == "ecdsa-sd-2023"
    notice = next(w for w in p.warnings if "can only be shared whole" in w)
    assert notice.startswith(f"{ids['badge'][:10]} (Teamwork): this credential can only be shared whole (its eddsa-rdfc-2022")
    assert notice.endswith("it will show its subject's id, achievement.id, achievement.name, achievement.criteria.narrative, "
                           "achievement.description")


def test_a_base_credential_is_never_shared_as_it_is(wallet):
    ids = stock(wallet)
    vp, _, [plan] = make(wallet, [ids["base"]])
    [cred] = vp.document["verifiableCredential"]
    from lerwallet.proofs.ecdsa_sd import is_base_value

    assert not is_base_value(cred["proof"]["proofValue"]) and cred["name"] == "Welding"
    assert plan.withheld == []


def test_unknown_disclosure_path_is_exit_2_and_nothing_is_built(wallet):
    ids = stock(wallet)
    chosen = lib.select(wallet, [ids["sdjwt"]])
    p = lib.plan(wallet, chosen, lib.PresentOptions(challenge=NONCE, domain=DOMAIN))
    with pytest.raises(DisclosureError) as exc:
        apply_disclosures(wallet, p, paths=["/nickname"])
    assert exc.value.exit_code == 2
    assert exc.value.message == "unknown disclosure path /nickname: none of the chosen credentials has such a claim"


def test_sd_jwt_disclosure_needs_a_domain_for_its_key_binding(wallet):
    ids = stock(wallet)
    p = lib.plan(wallet, lib.select(wallet, [ids["sdjwt"]]), lib.PresentOptions(challenge=NONCE))
    with pytest.raises(DisclosureError) as exc:
        apply_disclosures(wallet, p, paths=["/degree"])
    assert exc.value.hint == "add --domain VERIFIER (the verifier's domain or client id)"
    assert json.dumps(p.chosen[0].embed).count("~") >= 1  # unchanged


def test_a_badge_baked_into_an_svg_is_matched_like_its_json(wallet):
    holder = me(wallet)
    signed = badge(Issuer(), holder.did, name="Baked", number=7)
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">'
           b"<openbadges:credential><![CDATA[" + json.dumps(signed).encode() + b"]]></openbadges:credential>"
           b'<circle cx="5" cy="5" r="4"/></svg>')
    from lerwallet.store import importer

    [stored] = importer.store(wallet, importer.examine(svg, "baked.svg"), allow_invalid=False)
    req = parse_request({"query": {"type": "QueryByExample", "credentialQuery": {"example": {
        "type": "OpenBadgeCredential", "credentialSubject": {"achievement": {"name": "Baked"}}}}}})
    report = match_wallet(wallet, req)
    assert [c for c, _ in report.results[0].matched] == [stored.record.id]
