"""SD-JWT VC issuers identified by an x5c certificate chain (the EUDI wallets' issuers).

The chain is validated with cryptography's X.509 path validation against trust anchors the
employer supplies (--trust-anchor CERT.pem, or trust_anchors in a trust file); the leaf's key
must sign the SD-JWT. No anchor: inconclusive with a hint, never verified. The tests make their
own CA, intermediate and leaf certificates.
"""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from lerwallet import crypto
from lerwallet.proofs.sdjwt import create_sd_jwt, verify_sd_jwt
from tests import x5c_helpers
from tests.x5c_helpers import NOW

ISS = "https://pid-issuer.example.eu"


class Pki(x5c_helpers.Pki):
    def __init__(self, san=(x509.UniformResourceIdentifier(ISS),), leaf_days=(-30, 365)):
        super().__init__(san=san, leaf_cn="PID Issuer", leaf_days=leaf_days)

    def issue(self, claims=None, x5c=None, private=None):
        claims = claims or {"iss": ISS, "vct": "urn:eudi:pid:1", "iat": 1780000000, "given_name": "Ada",
                            "family_name": "Lovelace"}
        return create_sd_jwt(claims, ["/given_name", "/family_name"], key_type="p256",
                             private_key=private or self.leaf_private,
                             extra_header={"x5c": x5c if x5c is not None else self.x5c()})


@pytest.fixture(scope="module")
def pki():
    return Pki()


def _verify(token, anchors):
    return verify_sd_jwt(token, trust_anchors=anchors, now=NOW).proof


def test_chain_to_a_supplied_anchor_verifies(pki):
    proof = _verify(pki.issue(), [pki.anchor_der()])
    assert (proof.outcome, proof.code) == ("pass", ""), proof
    assert proof.controller == ISS and proof.verification_method == "x5c:CN=PID Issuer"


def test_no_anchor_is_inconclusive_with_a_hint_never_verified(pki):
    proof = _verify(pki.issue(), [])
    assert (proof.outcome, proof.code) == ("unknown", "untrusted_certificate_chain")
    assert "--trust-anchor" in proof.reason and "CN=PID Issuer" in proof.reason
    # without an anchor the signature is still checked: a forgery is invalid, not inconclusive
    other = crypto.generate_private_key("p256")
    assert _verify(pki.issue(private=other), []).code == "invalid_signature"


def test_another_anchor_fails(pki):
    stranger = Pki()
    proof = _verify(pki.issue(), [stranger.anchor_der()])
    assert (proof.outcome, proof.code) == ("fail", "certificate_chain_invalid")


def test_a_key_that_is_not_the_leafs_fails(pki):
    other = crypto.generate_private_key("p256")
    proof = _verify(pki.issue(private=other), [pki.anchor_der()])
    assert (proof.outcome, proof.code) == ("fail", "invalid_signature")
    assert "x5c leaf" in proof.reason


def test_tampered_payload_fails(pki):
    token = pki.issue()
    jwt, *rest = token.split("~")
    head, body, sig = jwt.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["vct"] = "urn:eudi:pid:2"
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    assert _verify("~".join([f"{head}.{body}.{sig}", *rest]), [pki.anchor_der()]).code == "invalid_signature"


def test_missing_intermediate_fails(pki):
    proof = _verify(pki.issue(x5c=pki.x5c(pki.leaf)), [pki.anchor_der()])
    assert (proof.outcome, proof.code) == ("fail", "certificate_chain_invalid")


def test_expired_leaf_fails():
    old = Pki(leaf_days=(-400, -1))
    proof = _verify(old.issue(), [old.anchor_der()])
    assert (proof.outcome, proof.code) == ("fail", "certificate_chain_invalid")


def test_leaf_must_name_the_https_issuer():
    dns = Pki(san=(x509.DNSName("pid-issuer.example.eu"),))
    assert _verify(dns.issue(), [dns.anchor_der()]).outcome == "pass"
    wrong = Pki(san=(x509.DNSName("other.example"),))
    proof = _verify(wrong.issue(), [wrong.anchor_der()])
    assert (proof.outcome, proof.code) == ("fail", "controller_mismatch")
    bare = Pki(san=())
    assert _verify(bare.issue(), [bare.anchor_der()]).code == "controller_mismatch"


@pytest.mark.parametrize("x5c", [[], "MIIB", [""], ["not base64!"], ["AAAA"], [1]])
def test_malformed_x5c(pki, x5c):
    proof = _verify(pki.issue(x5c=x5c), [pki.anchor_der()])
    assert proof.outcome == "fail" and proof.code in ("malformed_proof", "certificate_chain_invalid"), proof
    assert proof.code == ("certificate_chain_invalid" if x5c == ["AAAA"] else "malformed_proof")


def test_crypto_chain_validation_directly(pki):
    der = [c.public_bytes(serialization.Encoding.DER) for c in (pki.leaf, pki.inter)]
    leaf = crypto.verify_certificate_chain(der, [pki.anchor_der()], at=NOW)
    assert leaf.key_type == "p256" and leaf.public == crypto.public_key_of("p256", pki.leaf_private)
    assert leaf.uris == (ISS,)
    with pytest.raises(crypto.CertificateError):
        crypto.verify_certificate_chain(der, [pki.anchor_der()], at=NOW + dt.timedelta(days=400))
    with pytest.raises(crypto.CertificateError):
        crypto.verify_certificate_chain(der, [], at=NOW)


# --- CLI ---------------------------------------------------------------------------------------


def _cli(tmp_path, token, *args):
    result = x5c_helpers.verify_cli(tmp_path / "pid.sd-jwt", token, *args)
    return result.exit_code, result


_proof_check = x5c_helpers.proof_check


def test_cli_trust_anchor_flag(tmp_path, pki):
    token = pki.issue()
    code, result = _cli(tmp_path, token, "--trust-anchor", str(pki.anchor_pem(tmp_path / "root.pem")))
    assert _proof_check(result)["outcome"] == "pass", result.stdout
    assert code in (0, 4)  # an issuer in no trust list is only a warning
    code, result = _cli(tmp_path, token)
    assert code == 4 and _proof_check(result)["outcome"] == "unknown"
    check = _proof_check(result)
    assert "--trust-anchor" in check["reason"] and check["problem"]["title"] == "untrusted certificate chain"


def test_cli_trust_file_anchors(tmp_path, pki):
    pki.anchor_pem(tmp_path / "root.pem")
    trust = tmp_path / "trust.json"
    trust.write_text(json.dumps({"trust_anchors": ["root.pem"]}))
    code, result = _cli(tmp_path, pki.issue(), "--trust", str(trust))
    assert _proof_check(result)["outcome"] == "pass", result.stdout


def test_cli_bad_anchor_file_is_a_usage_error(tmp_path, pki):
    bad = tmp_path / "bad.pem"
    bad.write_text("not a certificate")
    code, result = _cli(tmp_path, pki.issue(), "--trust-anchor", str(bad))
    assert code == 2 and "trust anchor" in result.stderr
    code, result = _cli(tmp_path, pki.issue(), "--trust-anchor", str(tmp_path / "missing.pem"))
    assert code == 2 and "cannot read trust anchor" in result.stderr


def test_a_did_issuer_must_be_a_uri_san_of_the_leaf():
    did = "did:web:pid-issuer.example.eu"
    claims = {"iss": did, "vct": "urn:eudi:pid:1", "iat": 1780000000, "given_name": "Ada", "family_name": "Lovelace"}
    named = Pki(san=(x509.UniformResourceIdentifier(did),))
    assert _verify(named.issue(claims), [named.anchor_der()]).outcome == "pass"
    other = Pki()
    proof = _verify(other.issue(claims), [other.anchor_der()])
    assert (proof.outcome, proof.code) == ("fail", "controller_mismatch")
