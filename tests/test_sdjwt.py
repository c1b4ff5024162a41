"""SD-JWT: sd-jwt-python's test cases reproduced, plus key binding and must-reject cases."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from lerwallet import crypto
from lerwallet.keys import Resolver, did_key_from_public
from lerwallet.keys.jwk import public_to_jwk
from lerwallet.keys.multibase import b64url_decode, b64url_encode
from lerwallet.proofs.jose import decode_compact, sign_compact
from lerwallet.proofs.sdjwt import create_sd_jwt, holder_jwk_for, present, verify_sd_jwt

CASES = Path(__file__).parent / "vectors" / "jose" / "sd-jwt-python"
SETTINGS = json.loads((CASES / "tests-settings.json").read_text())
NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _private_from_jwk(jwk):
    return b64url_decode(jwk["d"])


ISSUER_JWK = SETTINGS["key_settings"]["issuer_keys"][0]
HOLDER_JWK = SETTINGS["key_settings"]["holder_key"]
ISSUER_PUBLIC_JWK = {k: ISSUER_JWK[k] for k in ("kty", "crv", "x", "y")}
HOLDER_PUBLIC_JWK = {k: HOLDER_JWK[k] for k in ("kty", "crv", "x", "y")}


def _unmark(value, path=(), paths=None):
    """Turn the converted `!sd` markers into plain claims plus a list of disclosable paths."""
    if isinstance(value, dict):
        if set(value) == {"!sd"}:
            paths.append(path)
            return _unmark(value["!sd"], path, paths)
        out = {}
        for key, item in value.items():
            name = key[4:] if key.startswith("!sd ") else key
            if key.startswith("!sd "):
                paths.append(path + (name,))
            out[name] = _unmark(item, path + (name,), paths)
        return out
    if isinstance(value, list):
        return [_unmark(item, path + (i,), paths) for i, item in enumerate(value)]
    return value


def _mirror(selection):
    """sd-jwt-python's YAML writes None for 'not this one' and also uses the string 'None'."""
    if isinstance(selection, dict):
        return {k: _mirror(v) for k, v in selection.items()}
    if isinstance(selection, list):
        return [_mirror(v) for v in selection]
    return None if selection == "None" else selection


def _issue(case, *, holder=True):
    paths = []
    claims = _unmark(case["user_claims"], (), paths)
    claims = {"iss": SETTINGS["identifiers"]["issuer"], "iat": SETTINGS["iat"], "exp": SETTINGS["exp"], **claims}
    return create_sd_jwt(
        claims, paths, key_type="p256", private_key=_private_from_jwk(ISSUER_JWK),
        holder_jwk=HOLDER_PUBLIC_JWK if holder and "cnf" not in claims else None, decoys=2 if case.get("add_decoy_claims") else 0,
        extra_header=case.get("extra_header_parameters"),
    )


TEST_CASES = sorted(p.stem for p in CASES.glob("tests-*.json") if p.stem != "tests-settings")


@pytest.mark.parametrize("name", TEST_CASES)
def test_sd_jwt_python_expected_claims(name):
    case = json.loads((CASES / f"{name}.json").read_text())
    issued = _issue(case)
    kb = case.get("key_binding", False)
    aud, nonce = SETTINGS["identifiers"]["verifier"], SETTINGS["key_binding_nonce"]
    shown = present(issued, _mirror(case["holder_disclosed_claims"]),
                    holder_key=("p256", _private_from_jwk(HOLDER_JWK)) if kb else None,
                    aud=aud if kb else None, nonce=nonce if kb else None, now=NOW)
    result = verify_sd_jwt(shown, issuer_jwk=ISSUER_PUBLIC_JWK, audience=aud if kb else None,
                           nonce=nonce if kb else None, now=NOW)
    assert result.proof.outcome == "pass", result.proof
    assert (result.key_binding is not None) == kb
    got = {k: v for k, v in result.document.items() if k not in ("iss", "iat", "exp", "cnf")}
    assert got == case["expect_verified_user_claims"]


@pytest.mark.parametrize("name", sorted(p.stem for p in CASES.glob("examples-*.json") if p.stem != "examples-settings"))
def test_sd_jwt_python_examples_issue_present_verify(name):
    case = json.loads((CASES / f"{name}.json").read_text())
    issued = _issue(case)
    full = verify_sd_jwt(issued, issuer_jwk=ISSUER_PUBLIC_JWK, now=NOW)
    assert full.proof.outcome == "pass", full.proof
    registered = ("iss", "iat", "exp", "cnf")
    expected = {k: v for k, v in _unmark(case["user_claims"], (), []).items() if k not in registered}
    assert {k: v for k, v in full.document.items() if k not in registered} == expected
    shown = verify_sd_jwt(present(issued, _mirror(case["holder_disclosed_claims"])), issuer_jwk=ISSUER_PUBLIC_JWK)
    assert shown.proof.outcome == "pass" and len(shown.disclosed) <= len(full.disclosed)


# --- own tokens: DID issuers, paths, key binding, tampering ------------------------------------------


class Party:
    def __init__(self, key_type="ed25519"):
        self.key_type = key_type
        self.private = crypto.generate_private_key(key_type)
        self.public = crypto.public_key_of(key_type, self.private)
        self.did = did_key_from_public(key_type, self.public)


def _credential(issuer, holder):
    claims = {"iss": issuer.did, "vct": "https://credentials.example/degree", "iat": 1767225600,
              "given_name": "Ada", "family_name": "Lovelace",
              "degree": {"name": "BSc Mathematics", "grade": "First"}, "skills": ["algebra", "analysis", "logic"]}
    return create_sd_jwt(claims, ["/given_name", "/family_name", "/degree/grade", "/degree", "/skills/1"],
                         key_type=issuer.key_type, private_key=issuer.private,
                         kid=f"{issuer.did}#{issuer.did[8:]}",
                         holder_jwk=holder_jwk_for(holder.key_type, holder.private))


@pytest.mark.parametrize("key_type", ["ed25519", "p256", "p384"])
def test_did_issuer_and_key_binding(key_type):
    issuer, holder = Party(key_type), Party("p256")
    issued = _credential(issuer, holder)
    shown = present(issued, ["/degree/name", "/skills/1"], holder_key=("p256", holder.private),
                    aud="https://employer.example", nonce="n-1", now=NOW)
    result = verify_sd_jwt(shown, resolver=Resolver(), audience="https://employer.example", nonce="n-1", now=NOW)
    assert result.proof.outcome == "pass", result.proof
    assert result.proof.controller == issuer.did and result.key_binding.outcome == "pass"
    assert result.document["degree"] == {"name": "BSc Mathematics"}  # grade stays hidden
    assert result.document["skills"] == ["algebra", "analysis", "logic"]
    assert "given_name" not in result.document
    assert sorted(result.disclosed) == ["/degree", "/skills/1"]
    for aud, nonce, code in (("https://other.example", "n-1", "domain_mismatch"),
                             ("https://employer.example", "n-2", "challenge_mismatch")):
        bad = verify_sd_jwt(shown, resolver=Resolver(), audience=aud, nonce=nonce, now=NOW)
        assert (bad.proof.outcome, bad.proof.code) == ("fail", code)


def test_hidden_array_element_is_removed():
    issuer, holder = Party(), Party()
    result = verify_sd_jwt(present(_credential(issuer, holder), ["/given_name"]), resolver=Resolver())
    assert result.proof.outcome == "pass"
    assert result.document["skills"] == ["algebra", "logic"] and "degree" not in result.document


def test_key_binding_required_when_audience_given():
    issuer, holder = Party(), Party()
    shown = present(_credential(issuer, holder), ["/given_name"])
    assert verify_sd_jwt(shown, resolver=Resolver(), audience="https://employer.example").proof.outcome == "fail"


def test_key_binding_by_wrong_key_or_for_other_presentation_fails():
    issuer, holder, thief = Party(), Party(), Party()
    issued = _credential(issuer, holder)
    stolen = present(issued, ["/given_name"], holder_key=("ed25519", thief.private), aud="a", nonce="n")
    assert verify_sd_jwt(stolen, resolver=Resolver(), audience="a", nonce="n").proof.code == "invalid_signature"
    shown = present(issued, ["/given_name"], holder_key=("ed25519", holder.private), aud="a", nonce="n")
    kb = shown.rsplit("~", 1)[1]
    other = present(issued, ["/family_name"]) + kb  # KB-JWT replayed onto other disclosures
    result = verify_sd_jwt(other, resolver=Resolver(), audience="a", nonce="n")
    assert result.proof.code == "invalid_signature" and "sd_hash" in result.proof.reason


def test_tampering_is_detected():
    issuer, holder = Party(), Party()
    issued = _credential(issuer, holder)
    jwt, *disclosures = issued.split("~")
    # a disclosure the issuer never signed
    forged = b64url_encode(json.dumps(["salt", "given_name", "Eve"]).encode())
    r = verify_sd_jwt("~".join([jwt, forged, ""]), resolver=Resolver())
    assert (r.proof.outcome, r.proof.code) == ("fail", "invalid_disclosure")
    # the same disclosure twice
    r = verify_sd_jwt("~".join([jwt, disclosures[0], disclosures[0], ""]), resolver=Resolver())
    assert r.proof.code == "invalid_disclosure"
    # a changed issuer payload
    header, payload, _, _ = decode_compact(jwt)
    h, p, s = jwt.split(".")
    p2 = b64url_encode(json.dumps(dict(payload, given_name="Eve")).encode())
    assert verify_sd_jwt(f"{h}.{p2}.{s}~", resolver=Resolver()).proof.code == "invalid_signature"
    # garbage never raises
    for token in ("", "~", "a.b.c~", "x~y~", None, jwt + "~!!~"):
        assert verify_sd_jwt(token, resolver=Resolver()).proof.outcome == "fail"


def _resign(issuer, header, payload, disclosures):
    jwt = sign_compact(dict(header), payload, key_type=issuer.key_type, private_key=issuer.private)
    return "~".join([jwt, *disclosures, ""])


def test_issuer_signed_structural_attacks():
    issuer, holder = Party(), Party()
    issued = _credential(issuer, holder)
    jwt, *disclosures = issued.split("~")
    disclosures = disclosures[:-1]
    header, payload, _, _ = decode_compact(jwt)
    # duplicate digest inside the signed payload
    dup = dict(payload, _sd=payload["_sd"] + payload["_sd"][:1])
    assert verify_sd_jwt(_resign(issuer, header, dup, disclosures), resolver=Resolver()).proof.code == "invalid_disclosure"
    # disclosed name collides with a clear claim
    given = next(d for d in disclosures if json.loads(b64url_decode(d))[1:2] == ["given_name"])
    clash = dict(payload, given_name="Clear")
    assert verify_sd_jwt(_resign(issuer, header, clash, [given]), resolver=Resolver()).proof.code == "invalid_disclosure"
    # unsupported digest algorithm
    other = dict(payload, _sd_alg="sha-512")
    assert verify_sd_jwt(_resign(issuer, header, other, []), resolver=Resolver()).proof.code == "malformed_proof"


def test_https_issuer_without_key_is_unknown_offline():
    issuer = Party("p256")
    token = create_sd_jwt({"iss": "https://issuer.example", "name": "x"}, ["/name"], key_type="p256",
                          private_key=issuer.private)
    result = verify_sd_jwt(token, resolver=Resolver())
    assert result.proof.outcome == "unknown" and "online" in result.proof.reason
    assert verify_sd_jwt(token, issuer_jwk=public_to_jwk("p256", issuer.public)).proof.outcome == "pass"


def test_create_rejects_bad_paths():
    issuer = Party()
    for paths in (["/missing"], ["/iss"], ["/cnf"], ["no-slash"]):
        with pytest.raises(ValueError):
            create_sd_jwt({"iss": issuer.did, "a": 1}, paths, key_type="ed25519", private_key=issuer.private)
