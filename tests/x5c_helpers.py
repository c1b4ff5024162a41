"""Certificates for the x5c tests (SD-JWT VC and VC-JWT issuers): a root CA, an issuing CA and a
leaf, made here with cryptography. CA keys are P-256 (cryptography's path validation refuses
Ed25519-signed certificates); the leaf is P-256 or Ed25519."""

from __future__ import annotations

import base64
import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.x509.oid import NameOID

from lerwallet import crypto

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)


def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def cert(key, subject, issuer_key, issuer, *, ca, san=None, path_len=None, days=(-30, 365), crl_url=None):
    builder = (x509.CertificateBuilder().subject_name(name(subject)).issuer_name(name(issuer))
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(NOW + dt.timedelta(days=days[0])).not_valid_after(NOW + dt.timedelta(days=days[1]))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=path_len), critical=True)
               .add_extension(x509.KeyUsage(not ca, False, False, False, False, ca, ca, False, False), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False))
    if san:
        builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
    if crl_url:
        point = x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    return builder.sign(issuer_key, None if isinstance(issuer_key, ed25519.Ed25519PrivateKey) else hashes.SHA256())


class Pki:
    """Root CA -> issuing CA -> leaf named `leaf_cn` with subject alternative names `san`; the
    leaf key is `key_type` (p256 or ed25519), its raw private bytes in `leaf_private`."""

    def __init__(self, *, san, leaf_cn, key_type="p256", leaf_days=(-30, 365), root_key=None, leaf_crl=None,
                 inter_crl=None):
        self.key_type = key_type
        self.root_key = root_key or ec.generate_private_key(ec.SECP256R1())
        self.root = cert(self.root_key, "Test Root CA", self.root_key, "Test Root CA", ca=True)
        inter_key = self.inter_key = ec.generate_private_key(ec.SECP256R1())
        self.inter = cert(inter_key, "Test Issuing CA", self.root_key, "Test Root CA", ca=True, path_len=0,
                          crl_url=inter_crl)
        self.leaf_private = crypto.generate_private_key(key_type)
        if key_type == "ed25519":
            leaf_key = ed25519.Ed25519PrivateKey.from_private_bytes(self.leaf_private)
        else:
            leaf_key = ec.derive_private_key(int.from_bytes(self.leaf_private, "big"), ec.SECP256R1())
        self.leaf = cert(leaf_key, leaf_cn, inter_key, "Test Issuing CA", ca=False, san=list(san) or None,
                         days=leaf_days, crl_url=leaf_crl)

    def x5c(self, *certs):
        certs = certs or (self.leaf, self.inter)
        return [base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode() for c in certs]

    def anchor_der(self):
        return self.root.public_bytes(serialization.Encoding.DER)

    def crl(self, *, revoked=(), issuer="inter", days=(-1, 7), key=None, encoding=serialization.Encoding.DER):
        """A CRL of the issuing CA ("inter", covering the leaf) or of the root ("root", covering
        the issuing CA), current from NOW + days[0] to NOW + days[1]; `revoked` is a list of
        (certificate, revocation time); `key` signs it instead of the CA's own key (a forgery)."""
        ca_key = self.inter_key if issuer == "inter" else self.root_key
        builder = (x509.CertificateRevocationListBuilder().issuer_name(name("Test Issuing CA" if issuer == "inter" else "Test Root CA"))
                   .last_update(NOW + dt.timedelta(days=days[0])).next_update(NOW + dt.timedelta(days=days[1])))
        for certificate, when in revoked:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(certificate.serial_number).revocation_date(when).build())
        return builder.sign(key or ca_key, hashes.SHA256()).public_bytes(encoding)

    def anchor_pem(self, path):
        path.write_bytes(self.root.public_bytes(serialization.Encoding.PEM))
        return path


def verify_cli(path, token: str, *args: str):
    """`lerwallet verify --json` of `token`, written to `path`, judged at 2026-06-01 (inside the
    certificates' validity): the CliRunner result."""
    from typer.testing import CliRunner

    from lerwallet.cli.app import app

    path.write_text(token)
    return CliRunner().invoke(app, ["verify", "--json", "--at", "2026-06-01T00:00:00Z", str(path), *args])


def proof_check(result) -> dict:
    """The `proof` check of the one credential in a `verify --json` result, with its problem code
    (the last part of `problem.type`, "" when it passed) as `code`."""
    import json

    cred = json.loads(result.stdout)["inputs"][0]["credentials"][0]
    check = {c["id"]: c for c in cred["checks"]}["proof"]
    return dict(check, code=check.get("problem", {}).get("type", "").rsplit(":", 1)[-1])
