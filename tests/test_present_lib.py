"""The present library against a real wallet: selection, filters, holders and proof sets,
VP-JWT, unsigned bundles, the self-check, and the history."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from lerwallet import identity, present
from lerwallet.errors import NotFoundError, UsageError
from lerwallet.formats import decode_bytes
from lerwallet.present import history
from lerwallet.present.errors import NoMatchError, PresentError, RefusedCredentialError, SelfCheckError
from lerwallet.verify.options import Options
from lerwallet.verify.pipeline import verify_envelope

from present_helpers import Issuer, add, badge, new_wallet

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


@pytest.fixture
def w(tmp_path):
    wallet = new_wallet(tmp_path / "w")
    yield wallet
    wallet.close()


def _verify(data: bytes, **kw):
    env = decode_bytes(data, "vp")[0]
    return verify_envelope(env, Options(at=NOW + timedelta(minutes=1), **kw))


def test_filters_are_one_definition(w):
    me = identity.default_holder(w)
    iss = Issuer()
    a = add(w, badge(iss, me.did, name="Python basics", skill="Python", number=1))
    b = add(w, badge(iss, me.did, name="SQL", skill="SQL", number=2), "b.json")
    from lerwallet.store import credentials

    records = credentials.list_credentials(w)
    assert [r.id for r in present.filter_records(records, present.Filters(skill="python"))] == [a]
    # two credentials added in the same second list in either order: compare as sets
    assert sorted(r.id for r in present.filter_records(records, present.Filters(kind="openbadgecredential"))) == sorted([a, b])
    assert sorted(r.id for r in present.filter_records(records, present.Filters(issuer="college"))) == sorted([a, b])
    assert present.filter_records(records, present.Filters(issuer="university")) == []
    assert [r.id for r in present.filter_records(records, present.Filters(status="verified", skill="sql"))] == [b]
    with pytest.raises(UsageError):
        present.Filters(status="great")
    assert present.Filters(skill="Python", status="verified").describe() == "--skill Python --status verified"


def test_select_by_prefix_and_errors(w):
    me = identity.default_holder(w)
    iss = Issuer()
    a = add(w, badge(iss, me.did, number=1))
    chosen = present.select(w, [a[:6]])
    assert [c.id for c in chosen] == [a]
    assert chosen[0].owner.did == me.did
    assert chosen[0].disclosure.title == "Teamwork"
    assert "achievement.name" in chosen[0].disclosure.fields
    with pytest.raises(NotFoundError):
        present.select(w, ["ffffffffff"])
    with pytest.raises(NoMatchError):
        present.select(w, None, present.Filters(skill="Cobol"))
    with pytest.raises(UsageError):
        present.select(w, None, present.Filters())


def test_signed_vp_verifies_with_challenge_and_domain(w):
    me = identity.default_holder(w)
    iss = Issuer()
    ids = [add(w, badge(iss, me.did, number=1)), add(w, badge(iss, me.did, v1=True, number=2), "b.json")]
    chosen = present.select(w, ids)
    p = present.plan(w, chosen, present.PresentOptions(challenge="c-123", domain="employer.example", now=NOW,
                                                       expires=timedelta(days=7)))
    vp = present.build(w, p)
    present.self_check(vp)
    doc = json.loads(vp.data)
    assert doc["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    assert doc["holder"] == me.did
    assert doc["proof"]["proofPurpose"] == "authentication"
    assert doc["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert doc["proof"]["expires"] == "2026-01-09T03:04:05Z"
    # the credentials are embedded exactly as stored
    from lerwallet.store import credentials

    assert doc["verifiableCredential"] == [credentials.get_document(w, i) for i in ids]
    assert _verify(vp.data, challenge="c-123", domain="employer.example").verdict != "invalid"
    assert _verify(vp.data, challenge="other").verdict == "invalid"
    assert _verify(vp.data, domain="evil.example").verdict == "invalid"


def test_random_challenge_when_none_given(w):
    me = identity.default_holder(w)
    a = add(w, badge(Issuer(), me.did))
    p1 = present.plan(w, present.select(w, [a]), present.PresentOptions())
    p2 = present.plan(w, present.select(w, [a]), present.PresentOptions())
    assert p1.challenge_generated and p1.challenge and p1.challenge != p2.challenge
    vp = present.build(w, p1)
    assert json.loads(vp.data)["proof"]["challenge"] == p1.challenge


def test_p256_holder_signs_ecdsa(tmp_path):
    w = new_wallet(tmp_path / "p", key_type="p256")
    me = identity.default_holder(w)
    a = add(w, badge(Issuer(), me.did))
    vp = present.build(w, present.plan(w, present.select(w, [a]), present.PresentOptions(challenge="x", now=NOW)))
    present.self_check(vp)
    assert json.loads(vp.data)["proof"]["cryptosuite"] == "ecdsa-rdfc-2019"
    w.close()


def test_several_identities_make_a_proof_set(w):
    me = identity.default_holder(w)
    work = identity.create(w, name="work", key_type="p256")
    iss = Issuer()
    a = add(w, badge(iss, me.did, number=1))
    b = add(w, badge(iss, work.did, number=2), "b.json")
    p = present.plan(w, present.select(w, [b, a]), present.PresentOptions(challenge="c", domain="d", now=NOW))
    assert [s.identity.did for s in p.signers] == [me.did, work.did]  # the default identity holds
    assert p.warnings == []
    vp = present.build(w, p)
    present.self_check(vp)
    doc = json.loads(vp.data)
    assert doc["holder"] == me.did
    assert [x["verificationMethod"].split("#")[0] for x in doc["proof"]] == [me.did, work.did]
    report = _verify(vp.data, challenge="c", domain="d")
    assert [c.check("holder.binding").outcome for c in report.credentials] == ["pass", "pass"]
    # without the second identity's proof, its credential is not bound to the holder
    doc["proof"] = doc["proof"][0]
    report = _verify(json.dumps(doc).encode(), challenge="c", domain="d")
    assert [c.check("holder.binding").outcome for c in report.credentials] == ["fail", "pass"]  # issue #10
    # several identities cannot share one JWT signature
    with pytest.raises(PresentError):
        present.plan(w, present.select(w, [a, b]), present.PresentOptions(format="jwt"))


def test_holder_option_warns_when_not_subject(w):
    me = identity.default_holder(w)
    identity.create(w, name="work")
    a = add(w, badge(Issuer(), me.did))
    p = present.plan(w, present.select(w, [a]), present.PresentOptions(holder="work", challenge="c", now=NOW))
    assert p.holder != me.did and len(p.warnings) == 1 and "not to work" in p.warnings[0]
    vp = present.build(w, p)
    present.self_check(vp)  # authentic, with the binding warning a verifier will see too
    with pytest.raises(NotFoundError):
        present.plan(w, present.select(w, [a]), present.PresentOptions(holder="nobody"))


def test_vp_jwt(w):
    me = identity.default_holder(w)
    iss = Issuer()
    a = add(w, badge(iss, me.did, number=1))
    from lerwallet.proofs.jose import sign_jwt

    vc = dict(badge(iss, me.did, number=2))
    vc.pop("proof")
    token = sign_jwt(vc, key_type="ed25519", private_key=iss.private, kid=iss.vm)
    b = add(w, token, "b.jwt")
    p = present.plan(w, present.select(w, [a, b]), present.PresentOptions(format="jwt", challenge="n-1",
                                                                            domain="https://employer.example", now=NOW))
    vp = present.build(w, p)
    present.self_check(vp)
    from lerwallet.proofs.jose import decode_compact

    header, payload, _, _ = decode_compact(vp.data.decode().strip())
    assert header["typ"] == "vp+jwt" and header["kid"].startswith(me.did)
    assert payload["nonce"] == "n-1" and payload["aud"] == "https://employer.example"
    assert payload["verifiableCredential"][1] == {
        "@context": "https://www.w3.org/ns/credentials/v2", "type": "EnvelopedVerifiableCredential",
        "id": "data:application/vc+jwt," + token}
    assert _verify(vp.data, challenge="n-1", domain="https://employer.example").verdict != "invalid"
    assert _verify(vp.data, challenge="n-2").verdict == "invalid"


def test_unsigned_bundle(w):
    me = identity.default_holder(w)
    a = add(w, badge(Issuer(), me.did))
    p = present.plan(w, present.select(w, [a]), present.PresentOptions(unsigned=True))
    vp = present.build(w, p)
    present.self_check(vp)
    doc = json.loads(vp.data)
    assert "proof" not in doc and "holder" not in doc and p.warnings
    with pytest.raises(UsageError):
        present.PresentOptions(unsigned=True, challenge="x").check()


def test_invalid_refused_unless_allowed_and_self_check(w):
    me = identity.default_holder(w)
    iss = Issuer()
    doc = badge(iss, me.did)
    doc["name"] = "Forged"  # the signature no longer matches
    a = add(w, doc)
    chosen = present.select(w, [a])
    assert chosen[0].marks == ["invalid"]
    with pytest.raises(RefusedCredentialError):
        present.plan(w, chosen, present.PresentOptions())
    p = present.plan(w, chosen, present.PresentOptions(allow_invalid=True, challenge="c", now=NOW))
    present.self_check(present.build(w, p))  # tolerated: marked, the learner was told


def test_self_check_catches_a_broken_presentation(w):
    me = identity.default_holder(w)
    a = add(w, badge(Issuer(), me.did))
    p = present.plan(w, present.select(w, [a]), present.PresentOptions(challenge="c", now=NOW))
    vp = present.build(w, p)
    vp.data = vp.data.replace(b'"challenge": "c"', b'"challenge": "d"')
    with pytest.raises(SelfCheckError):
        present.self_check(vp)


def test_history_survives_credential_deletion(w):
    me = identity.default_holder(w)
    a = add(w, badge(Issuer(), me.did))
    p = present.plan(w, present.select(w, [a]), present.PresentOptions(challenge="c", domain="employer.example", now=NOW))
    vp = present.build(w, p)
    e = history.record(w, vp, outputs=[{"form": "file", "path": "vp.json"}])
    assert e.n == 1
    from lerwallet.store import credentials

    credentials.delete_credential(w, a)
    [entry] = history.entries(w)
    d = entry.to_dict()
    assert d["domain"] == "employer.example" and d["challenge"] == "c" and d["holders"] == [me.did]
    assert d["credentials"][0]["id"] == a and "achievement.name" in d["credentials"][0]["fields"]
    assert history.get(w, "1").data["format"] == "ldp"
    with pytest.raises(NotFoundError):
        history.get(w, 2)


def test_sd_jwt_cnf_names_the_owner(w):
    from lerwallet.keys.jwk import public_to_jwk
    from lerwallet.keys.multikey import decode_multikey
    from lerwallet.present.select import owner_of

    me = identity.default_holder(w)
    other = identity.create(w, name="other")
    jwk = public_to_jwk(*decode_multikey(other.current_key.public_multibase))
    assert owner_of([me, other], {"vct": "https://x.example/badge", "cnf": {"jwk": jwk}}).did == other.did
    assert owner_of([me, other], {"vct": "https://x.example/badge", "cnf": {"kid": other.verification_method}}).did == other.did
    assert owner_of([me, other], {"vct": "https://x.example/badge", "cnf": {"jwk": {"kty": "OKP"}}}) is None


def test_jwt_credential_in_a_data_integrity_vp(w):
    from lerwallet.proofs.jose import sign_jwt

    me = identity.default_holder(w)
    iss = Issuer()
    vc = dict(badge(iss, me.did))
    vc.pop("proof")
    token = sign_jwt(vc, key_type="ed25519", private_key=iss.private, kid=iss.vm, style="vc11")
    a = add(w, token, "a.jwt")
    [chosen] = present.select(w, [a])
    assert chosen.owner.did == me.did  # VC 1.1 JWT: the subject is the `sub` claim
    vp = present.build(w, present.plan(w, [chosen], present.PresentOptions(challenge="c", now=NOW)))
    report = present.self_check(vp)
    assert json.loads(vp.data)["verifiableCredential"][0]["id"] == "data:application/vc+jwt," + token
    assert report.credentials[0].check("holder.binding").outcome == "pass"


def test_holder_without_private_key_is_refused(w):
    me = identity.default_holder(w)
    a = add(w, badge(Issuer(), me.did))
    data = w.get("identity", me.record_id)
    for key in data["keys"]:
        key.pop("private")
    w.put("identity", me.record_id, data)
    with pytest.raises(PresentError, match="has no private key"):
        present.plan(w, present.select(w, [a]), present.PresentOptions())


def test_damaged_credential_is_refused(w):
    me = identity.default_holder(w)
    a = add(w, badge(Issuer(), me.did))
    w._live().execute("UPDATE records SET sealed = zeroblob(64) WHERE kind = 'credential-original' AND id = ?", (a,))
    w._live().commit()
    with pytest.raises(PresentError, match="damaged"):
        present.select(w, [a])


def test_make_writes_history_only_after_the_output(w, tmp_path):
    import shutil

    me = identity.default_holder(w)
    a = add(w, badge(Issuer(), me.did))
    folder = tmp_path / "out"
    folder.mkdir()
    target = present.FileOutput(folder / "vp.json")
    shutil.rmtree(folder)  # the output cannot be written any more
    from lerwallet.errors import InputError

    with pytest.raises(InputError, match="cannot write"):
        present.make(w, present.select(w, [a]), present.PresentOptions(challenge="c"), [target])
    assert history.entries(w) == []
    seen = []
    out = present.FileOutput(tmp_path / "vp.json")
    vp, entry = present.make(w, present.select(w, [a]), present.PresentOptions(challenge="c"), [out],
                             after_plan=lambda p: seen.append(("after_plan", p.challenge)),
                             confirm=lambda p: seen.append(("confirm", p.challenge)) or True)
    assert seen == [("after_plan", "c"), ("confirm", "c")]
    assert (tmp_path / "vp.json").read_bytes() == vp.data
    assert entry.data["outputs"] == [{"form": "file", "path": str((tmp_path / "vp.json").resolve())}]
    assert present.make(w, present.select(w, [a]), present.PresentOptions(), [present.FileOutput(tmp_path / "no.json")],
                        confirm=lambda p: False) is None
    assert not (tmp_path / "no.json").exists() and len(history.entries(w)) == 1


def test_a_credential_that_expired_since_import_is_not_presented(w):
    me = identity.default_holder(w)
    iss = Issuer()
    doc = badge(iss, me.did)
    doc.pop("proof")
    doc["validUntil"] = "2030-01-01T00:00:00Z"
    a = add(w, iss.sign(doc))
    [chosen] = present.select(w, [a])
    assert chosen.record.status == "verified" and chosen.marks == []
    later = datetime(2031, 1, 1, tzinfo=timezone.utc)
    vp = present.build(w, present.plan(w, [chosen], present.PresentOptions(challenge="c", now=later)))
    with pytest.raises(SelfCheckError, match="expiration"):
        present.self_check(vp)
