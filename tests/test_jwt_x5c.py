"""VC-JWT issuers identified by an x5c certificate chain: the SD-JWT VC rule, the same code.

The chain is validated by the one validator (lerwallet.proofs.x5c -> crypto.verify_certificate_chain)
against the employer's trust anchors; the leaf's key must verify the JWS; an https issuer must
be named by the leaf's subject alternative names. No anchor: inconclusive with a hint, never
verified. The tests make their own CA, intermediate and leaf certificates (P-256 and Ed25519
leaves; the CA keys are P-256, as cryptography's path validation refuses Ed25519-signed
certificates, see test_an_ed25519_ca_is_refused).
"""

from __future__ import annotations

import base64
import json

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ed25519

from lerwallet import crypto
from lerwallet.proofs.jose import sign_compact, verify_jwt
from tests import x5c_helpers
from tests.x5c_helpers import NOW

ISS = "https://registrar.example.edu"
V1 = "https://www.w3.org/2018/credentials/v1"
V1_EXAMPLES = "https://www.w3.org/2018/credentials/examples/v1"
V2 = "https://www.w3.org/ns/credentials/v2"


class Pki(x5c_helpers.Pki):
    """Root CA -> issuing CA -> leaf "Registrar"; the leaf key is `key_type` (p256 or ed25519)."""

    def __init__(self, key_type="p256", san=(x509.UniformResourceIdentifier(ISS),), leaf_days=(-30, 365), root_key=None):
        super().__init__(san=san, leaf_cn="Registrar", key_type=key_type, leaf_days=leaf_days, root_key=root_key)

    def issue(self, style="jose-cose", *, private=None, x5c=None, issuer=ISS):
        """A VC-JWT signed by the leaf: `vc+jwt` (VC-JOSE-COSE) or VC 1.1 (`vc` claim)."""
        if style == "jose-cose":
            header = {"typ": "vc+jwt", "cty": "vc"}
            payload = {"@context": [V2], "type": ["VerifiableCredential"], "issuer": issuer,
                       "validFrom": "2026-01-01T00:00:00Z",
                       "credentialSubject": {"id": "did:example:ada", "name": "Ada Lovelace"}}
        else:
            header = {"typ": "JWT"}
            payload = {"iss": issuer, "sub": "did:example:ada", "nbf": 1767225600, "iat": 1767225600,
                       "vc": {"@context": [V1, V1_EXAMPLES], "type": ["VerifiableCredential"],
                              "credentialSubject": {"degree": {"type": "BachelorDegree", "name": "BSc Mathematics"}}}}
        header["x5c"] = x5c if x5c is not None else self.x5c()
        return sign_compact(header, payload, key_type=self.key_type, private_key=private or self.leaf_private)


@pytest.fixture(scope="module", params=["p256", "ed25519"])
def pki(request):
    return Pki(request.param)


def _verify(token, anchors):
    return verify_jwt(token, resolver=None, trust_anchors=anchors, now=NOW).proof


def _tamper(token):
    head, body, sig = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["credentialSubject"] = {"id": "did:example:mallory", "name": "Mallory"}
    return f"{head}.{base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b'=').decode()}.{sig}"


@pytest.mark.parametrize("style", ["jose-cose", "vc11"])
def test_chain_to_a_supplied_anchor_verifies(pki, style):
    proof = _verify(pki.issue(style), [pki.anchor_der()])
    assert (proof.outcome, proof.code) == ("pass", ""), proof
    assert proof.suite == "vc-jwt" and proof.controller == ISS and proof.verification_method == "x5c:CN=Registrar"


@pytest.mark.parametrize("style", ["jose-cose", "vc11"])
def test_no_anchor_is_inconclusive_with_a_hint_never_verified(pki, style):
    proof = _verify(pki.issue(style), [])
    assert (proof.outcome, proof.code) == ("unknown", "untrusted_certificate_chain")
    assert "--trust-anchor" in proof.reason and "CN=Registrar" in proof.reason
    # without an anchor the signature is still checked: a forgery fails, it is not inconclusive
    other = crypto.generate_private_key(pki.key_type)
    assert (_verify(pki.issue(style, private=other), []).code) == "invalid_signature"


def test_another_anchor_fails(pki):
    proof = _verify(pki.issue(), [Pki().anchor_der()])
    assert (proof.outcome, proof.code) == ("fail", "certificate_chain_invalid")


def test_a_key_that_is_not_the_leafs_fails(pki):
    other = crypto.generate_private_key(pki.key_type)
    proof = _verify(pki.issue(private=other), [pki.anchor_der()])
    assert (proof.outcome, proof.code) == ("fail", "invalid_signature")
    assert "x5c leaf" in proof.reason


@pytest.mark.parametrize("style", ["jose-cose", "vc11"])
def test_tampered_payload_fails(pki, style):
    proof = _verify(_tamper(pki.issue(style)), [pki.anchor_der()])
    assert (proof.outcome, proof.code) == ("fail", "invalid_signature")


def test_missing_intermediate_fails(pki):
    proof = _verify(pki.issue(x5c=pki.x5c(pki.leaf)), [pki.anchor_der()])
    assert (proof.outcome, proof.code) == ("fail", "certificate_chain_invalid")


@pytest.mark.parametrize("key_type", ["p256", "ed25519"])
def test_expired_leaf_fails(key_type):
    old = Pki(key_type, leaf_days=(-400, -1))
    proof = _verify(old.issue(), [old.anchor_der()])
    assert (proof.outcome, proof.code) == ("fail", "certificate_chain_invalid")
    assert "does not validate" in proof.reason


def test_leaf_must_name_the_https_issuer():
    dns = Pki(san=(x509.DNSName("registrar.example.edu"),))
    assert _verify(dns.issue(), [dns.anchor_der()]).outcome == "pass"
    wrong = Pki(san=(x509.DNSName("other.example"),))
    proof = _verify(wrong.issue(), [wrong.anchor_der()])
    assert (proof.outcome, proof.code) == ("fail", "controller_mismatch")
    bare = Pki(san=())
    assert _verify(bare.issue("vc11"), [bare.anchor_der()]).code == "controller_mismatch"
    # the issuer is the credential's, whatever the JWT style: a leaf naming registrar.example.edu
    # does not vouch for a credential from another https issuer
    other_issuer = dns.issue(issuer="https://diploma-mill.example")
    assert _verify(other_issuer, [dns.anchor_der()]).code == "controller_mismatch"


@pytest.mark.parametrize("x5c", [[], "MIIB", [""], ["not base64!"], [1]])
def test_malformed_x5c(x5c):
    pki = Pki()
    proof = _verify(pki.issue(x5c=x5c), [pki.anchor_der()])
    assert (proof.outcome, proof.code) == ("fail", "malformed_proof")
    assert _verify(pki.issue(x5c=["AAAA"]), [pki.anchor_der()]).code == "certificate_chain_invalid"


def test_an_ed25519_ca_is_refused():
    """cryptography's path validation (web PKI algorithm set) does not accept Ed25519-signed
    certificates: such a chain fails rather than passing unchecked."""
    pki = Pki("ed25519", root_key=ed25519.Ed25519PrivateKey.generate())
    # leaf (Ed25519) <- issuing CA (P-256, its certificate signed by the Ed25519 root) <- root
    proof = _verify(pki.issue(), [pki.anchor_der()])
    assert (proof.outcome, proof.code) == ("fail", "certificate_chain_invalid")
    assert "Forbidden public key algorithm" in proof.reason, proof.reason


# --- CLI ---------------------------------------------------------------------------------------


def _cli(tmp_path, token, *args):
    result = x5c_helpers.verify_cli(tmp_path / "degree.jwt", token, *args)
    return result.exit_code, result


_proof_check = x5c_helpers.proof_check


@pytest.mark.parametrize("style", ["jose-cose", "vc11"])
def test_cli_trust_anchor_flag(tmp_path, pki, style):
    token = pki.issue(style)
    anchor = str(pki.anchor_pem(tmp_path / "root.pem"))
    code, result = _cli(tmp_path, token, "--trust-anchor", anchor)
    check = _proof_check(result)
    assert check["outcome"] == "pass" and check["reason"].endswith(f"signed by {ISS}"), result.stdout
    assert code in (0, 4)  # an issuer in no trust list is only a warning (the SD-JWT VC rule too)
    code, result = _cli(tmp_path, token)
    check = _proof_check(result)
    assert code == 4 and check["outcome"] == "unknown", result.stdout
    assert "--trust-anchor" in check["reason"] and check["problem"]["title"] == "untrusted certificate chain"


def test_cli_failures(tmp_path, pki):
    anchor = str(pki.anchor_pem(tmp_path / "root.pem"))
    stranger = str(Pki().anchor_pem(tmp_path / "stranger.pem"))
    cases = [(pki.issue(), ["--trust-anchor", stranger], "certificate_chain_invalid"),
             (_tamper(pki.issue()), ["--trust-anchor", anchor], "invalid_signature"),
             (pki.issue(private=crypto.generate_private_key(pki.key_type)), ["--trust-anchor", anchor], "invalid_signature")]
    old = Pki(pki.key_type, leaf_days=(-400, -1))
    cases.append((old.issue(), ["--trust-anchor", str(old.anchor_pem(tmp_path / "old.pem"))], "certificate_chain_invalid"))
    for token, args, wanted in cases:
        code, result = _cli(tmp_path, token, *args)
        check = _proof_check(result)
        assert (code, check["outcome"]) == (1, "fail"), result.stdout
        assert check["problem"]["type"] == f"urn:lerwallet:problem:{wanted}", check


def test_cli_trust_file_anchors(tmp_path):
    pki = Pki()
    pki.anchor_pem(tmp_path / "root.pem")
    trust = tmp_path / "trust.json"
    trust.write_text(json.dumps({"trust_anchors": ["root.pem"]}))
    code, result = _cli(tmp_path, pki.issue("vc11"), "--trust", str(trust))
    assert _proof_check(result)["outcome"] == "pass", result.stdout


def test_x5c_decides_over_a_kid():
    """As in SD-JWT VC: a header with both names its key by the certificate chain."""
    pki = Pki()
    token = pki.issue()
    head, body, _ = token.split(".")
    header = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    both = sign_compact(dict(header, kid="did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"),
                        payload, key_type="p256", private_key=pki.leaf_private)
    proof = _verify(both, [pki.anchor_der()])
    assert (proof.outcome, proof.verification_method) == ("pass", "x5c:CN=Registrar"), proof


@pytest.mark.parametrize("style", ["jose-cose", "vc11"])
def test_a_did_issuer_must_be_a_uri_san_of_the_leaf(style):
    """A non-https issuer (here a DID) is bound only by a uniformResourceIdentifier SAN: a valid
    chain for one leaf does not let any DID claim to be the issuer."""
    did = "did:web:registrar.example.edu"
    named = Pki(san=(x509.UniformResourceIdentifier(did),))
    assert _verify(named.issue(style, issuer=did), [named.anchor_der()]).outcome == "pass"
    other = Pki()  # names https://registrar.example.edu, not the DID
    proof = _verify(other.issue(style, issuer=did), [other.anchor_der()])
    assert (proof.outcome, proof.code) == ("fail", "controller_mismatch"), proof
    assert did in proof.reason
