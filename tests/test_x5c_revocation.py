"""Revocation of x5c certificate chains (SD-JWT VC and VC-JWT issuers) against the CRLs the
employer supplies (`--crl FILE`, repeatable, or `crls` in a trust file), issue #10.

The rule (docs/verify.md, "X.509 issuers"): each certificate below the trust anchor is looked
up in the CRLs its issuer signed. Listed as revoked at the time asked: fail
(`certificate_revoked`). On no current CRL of its issuer although it names a CRL distribution
point: unknown (`certificate_revocation_unknown`, naming the URL and --crl). A certificate that
names no distribution point needs no CRL. Certificates and CRLs are made here.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from lerwallet import crypto
from lerwallet.proofs.jose import sign_compact, verify_jwt
from lerwallet.proofs.sdjwt import create_sd_jwt, verify_sd_jwt
from tests import x5c_helpers
from tests.x5c_helpers import NOW

ISS = "https://registrar.example.edu"
V2 = "https://www.w3.org/ns/credentials/v2"
LEAF_CRL = "http://crl.example.edu/issuing-ca.crl"
INTER_CRL = "http://crl.example.edu/root.crl"


def _pki(**kw):
    return x5c_helpers.Pki(san=[x509.UniformResourceIdentifier(ISS)], leaf_cn="Registrar", **kw)


@pytest.fixture(scope="module")
def pki():
    return _pki(leaf_crl=LEAF_CRL)


def _vc_jwt(pki, private=None):
    payload = {"@context": [V2], "type": ["VerifiableCredential"], "issuer": ISS, "validFrom": "2026-01-01T00:00:00Z",
               "credentialSubject": {"id": "did:example:ada", "name": "Ada Lovelace"}}
    return sign_compact({"typ": "vc+jwt", "cty": "vc", "x5c": pki.x5c()}, payload, key_type="p256",
                        private_key=private or pki.leaf_private)


def _proof(pki, crls, *, token=None, at=NOW):
    return verify_jwt(token or _vc_jwt(pki), resolver=None, trust_anchors=[pki.anchor_der()], crls=crls, now=at).proof


def test_a_leaf_naming_a_crl_with_none_given_is_inconclusive_naming_the_url(pki):
    proof = _proof(pki, [])
    assert (proof.outcome, proof.code) == ("unknown", "certificate_revocation_unknown")
    assert LEAF_CRL in proof.reason and "--crl" in proof.reason and "CN=Registrar" in proof.reason


def test_a_current_crl_that_does_not_list_the_leaf_passes(pki):
    proof = _proof(pki, [pki.crl()])
    assert (proof.outcome, proof.code) == ("pass", ""), proof.reason
    # the reason says what was checked: the chain, and the CRL for the leaf
    assert "the chain validates to a trust anchor given" in proof.reason
    assert "not revoked (current CRLs checked for" in proof.reason and "CN=Registrar" in proof.reason


def test_a_revoked_leaf_fails(pki):
    when = NOW - dt.timedelta(days=3)
    proof = _proof(pki, [pki.crl(revoked=[(pki.leaf, when)])])
    assert (proof.outcome, proof.code) == ("fail", "certificate_revoked")
    assert f"{pki.leaf.serial_number:x}" in proof.reason and when.strftime("%Y-%m-%d") in proof.reason


def test_revoked_only_after_the_time_asked_is_not_revoked_then(pki):
    crl = pki.crl(revoked=[(pki.leaf, NOW + dt.timedelta(days=2))], days=(-1, 7))
    assert _proof(pki, [crl]).outcome == "pass"
    later = NOW + dt.timedelta(days=3)
    assert _proof(pki, [crl], at=later).code == "certificate_revoked"


def test_a_stale_crl_is_inconclusive_not_a_pass(pki):
    proof = _proof(pki, [pki.crl(days=(-30, -5))])
    assert (proof.outcome, proof.code) == ("unknown", "certificate_revocation_unknown")
    assert "not current" in proof.reason


def test_a_stale_crl_that_lists_the_leaf_still_revokes_it(pki):
    proof = _proof(pki, [pki.crl(revoked=[(pki.leaf, NOW - dt.timedelta(days=20))], days=(-30, -5))])
    assert proof.code == "certificate_revoked"


def test_a_forged_crl_is_ignored_either_way(pki):
    forger = ec.generate_private_key(ec.SECP256R1())
    # A forged "revoked" does not revoke, and a forged "all clear" vouches for nothing.
    assert _proof(pki, [pki.crl(revoked=[(pki.leaf, NOW - dt.timedelta(days=1))], key=forger)]).code == \
        "certificate_revocation_unknown"
    assert _proof(pki, [pki.crl(key=forger)]).code == "certificate_revocation_unknown"


def test_another_cas_crl_does_not_cover_the_leaf(pki):
    other = _pki(leaf_crl=LEAF_CRL)
    assert _proof(pki, [other.crl()]).code == "certificate_revocation_unknown"


def test_an_intermediate_naming_a_crl_needs_the_roots_crl_too():
    pki = _pki(leaf_crl=LEAF_CRL, inter_crl=INTER_CRL)
    proof = _proof(pki, [pki.crl()])
    assert proof.code == "certificate_revocation_unknown"
    assert INTER_CRL in proof.reason and "CN=Test Issuing CA" in proof.reason and LEAF_CRL not in proof.reason
    assert _proof(pki, [pki.crl(), pki.crl(issuer="root")]).outcome == "pass"
    revoked_ca = pki.crl(issuer="root", revoked=[(pki.inter, NOW - dt.timedelta(days=1))])
    proof = _proof(pki, [pki.crl(), revoked_ca])
    assert proof.code == "certificate_revoked" and "CN=Test Issuing CA" in proof.reason


def test_certificates_naming_no_crl_need_none():
    pki = _pki()
    assert _proof(pki, []).outcome == "pass"


def test_a_forgery_is_invalid_not_inconclusive(pki):
    other = crypto.generate_private_key("p256")
    proof = _proof(pki, [], token=_vc_jwt(pki, private=other))
    assert (proof.outcome, proof.code) == ("fail", "invalid_signature")


def test_without_an_anchor_crls_change_nothing(pki):
    proof = verify_jwt(_vc_jwt(pki), resolver=None, trust_anchors=[], crls=[pki.crl()], now=NOW).proof
    assert proof.code == "untrusted_certificate_chain"


def test_sd_jwt_vc_issuers_follow_the_same_rule(pki):
    claims = {"iss": ISS, "vct": "urn:eudi:pid:1", "iat": 1780000000, "given_name": "Ada"}
    token = create_sd_jwt(claims, ["/given_name"], key_type="p256", private_key=pki.leaf_private,
                          extra_header={"x5c": pki.x5c()})

    def proof(crls):
        return verify_sd_jwt(token, trust_anchors=[pki.anchor_der()], crls=crls, now=NOW).proof

    assert proof([]).code == "certificate_revocation_unknown"
    assert proof([pki.crl()]).outcome == "pass"
    assert proof([pki.crl(revoked=[(pki.leaf, NOW - dt.timedelta(days=1))])]).code == "certificate_revoked"


# --- the command line and the trust file ---------------------------------------------------------


def _cli(tmp_path, pki, *args):
    return x5c_helpers.verify_cli(tmp_path / "degree.jwt", _vc_jwt(pki),
                                  "--trust-anchor", str(pki.anchor_pem(tmp_path / "root.pem")), *args)


_proof_check = x5c_helpers.proof_check


@pytest.mark.parametrize("encoding", [serialization.Encoding.DER, serialization.Encoding.PEM])
def test_cli_crl_flag(tmp_path, pki, encoding):
    crl = tmp_path / "issuing-ca.crl"
    result = _cli(tmp_path, pki)
    assert (result.exit_code, _proof_check(result)["code"]) == (4, "certificate_revocation_unknown")
    crl.write_bytes(pki.crl(encoding=encoding))
    result = _cli(tmp_path, pki, "--crl", str(crl))
    assert (result.exit_code, _proof_check(result)["outcome"]) == (0, "pass"), result.stdout
    crl.write_bytes(pki.crl(revoked=[(pki.leaf, NOW - dt.timedelta(days=1))], encoding=encoding))
    result = _cli(tmp_path, pki, "--crl", str(crl))
    assert (result.exit_code, _proof_check(result)["code"]) == (1, "certificate_revoked")


def test_cli_pem_file_with_both_crls(tmp_path):
    pki = _pki(leaf_crl=LEAF_CRL, inter_crl=INTER_CRL)
    both = tmp_path / "crls.pem"
    both.write_bytes(pki.crl(encoding=serialization.Encoding.PEM) + pki.crl(issuer="root", encoding=serialization.Encoding.PEM))
    result = _cli(tmp_path, pki, "--crl", str(both))
    assert (result.exit_code, _proof_check(result)["outcome"]) == (0, "pass"), result.stdout


def test_cli_crls_in_a_trust_file(tmp_path, pki):
    (tmp_path / "issuing-ca.crl").write_bytes(pki.crl(revoked=[(pki.leaf, NOW - dt.timedelta(days=1))]))
    trust = tmp_path / "trust.json"
    trust.write_text(json.dumps({"name": "employer", "crls": ["issuing-ca.crl"]}))
    result = _cli(tmp_path, pki, "--trust", str(trust))
    assert (result.exit_code, _proof_check(result)["code"]) == (1, "certificate_revoked")


def test_a_trust_file_with_crls_keeps_its_own_name_for_its_allow_and_deny_lists(tmp_path, pki):
    """The CRL file names are not the list's name (a loop over them once reused the variable
    that held it, so the allow list was called "issuing-ca.crl")."""
    from lerwallet.verify import trust as trust_lib

    (tmp_path / "issuing-ca.crl").write_bytes(pki.crl())
    trust = tmp_path / "trust.json"
    trust.write_text(json.dumps({"name": "employer", "crls": ["issuing-ca.crl"],
                                 "allow": ["did:example:issuer"], "deny": ["did:example:bad"]}))
    store = trust_lib.load([trust])
    assert [r.name for r in store.registries] == ["employer"]
    assert store.deny["did:example:bad"]["list"] == "employer"
    assert len(store.crls) == 1


@pytest.mark.parametrize("content,why", [(b"", "not a CRL"), (b"-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n", "does not parse"),
                                         (None, "cannot read CRL")])
def test_cli_bad_crl_file_is_a_usage_error(tmp_path, pki, content, why):
    bad = tmp_path / "bad.crl"
    if content is not None:
        bad.write_bytes(content)
    result = _cli(tmp_path, pki, "--crl", str(bad))
    assert result.exit_code == 2
    assert why in result.output


@pytest.mark.parametrize("key", ["crls", "trust_anchors"])
def test_a_bad_file_named_in_a_trust_file_gets_a_hint_naming_the_trust_file(tmp_path, pki, key):
    (tmp_path / "bad.file").write_bytes(b"")
    trust = tmp_path / "trust.json"
    trust.write_text(json.dumps({"name": "employer", key: ["bad.file"]}))
    result = _cli(tmp_path, pki, "--trust", str(trust))
    assert result.exit_code == 2
    hint = [line for line in result.output.splitlines() if "hint:" in line]
    assert hint and f'"{key}" in the trust file {trust}' in hint[0]
    assert "--crl" not in result.output and "--trust-anchor" not in result.output


def test_cli_crls_in_a_trust_file_must_be_a_list(tmp_path, pki):
    trust = tmp_path / "trust.json"
    trust.write_text(json.dumps({"name": "employer", "crls": "issuing-ca.crl"}))
    result = _cli(tmp_path, pki, "--trust", str(trust))
    assert result.exit_code == 2 and "crls" in result.output


def test_serve_takes_crls_like_verify(tmp_path, pki):
    from lerwallet.serve.config import build

    (tmp_path / "issuing-ca.crl").write_bytes(pki.crl())
    conf = tmp_path / "serve.toml"
    conf.write_text('verifier = true\ncrl = ["issuing-ca.crl"]\n')
    [der] = build(None, {}, config_file=conf).options.crls
    assert x509.load_der_x509_crl(der).issuer == pki.inter.subject
    assert len(build(None, {"verifier": True, "crl": [tmp_path / "issuing-ca.crl"]}).options.crls) == 1
    (tmp_path / "bad.crl").write_bytes(b"not a crl")
    from lerwallet.errors import InputError

    with pytest.raises(InputError, match="not a CRL"):
        build(None, {"verifier": True, "crl": [tmp_path / "bad.crl"]})
