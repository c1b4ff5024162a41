"""Issuers identified by an `x5c` certificate chain in a JWS header (SD-JWT VC and VC-JWT).

One rule for both token formats (`lerwallet.proofs.sdjwt`, `lerwallet.proofs.jose`):
  * RFC 7515 section 4.1.6: `x5c` is a list of base64 (not base64url) DER certificates, leaf
    first, then the intermediates.
  * The chain is validated by `lerwallet.crypto.verify_certificate_chain` (cryptography's
    RFC 5280 path validation) up to one of the trust anchors the verifier supplies, at `now`.
  * The issuer is bound to the leaf the way the SD-JWT VC draft's X.509 key validation binds
    it: an https issuer must be named by the leaf's subject alternative names (the URI itself,
    or its host as a DNS name), any other issuer (a DID, a urn) by a URI subject alternative
    name; otherwise the signature proves nothing about that issuer.
  * No anchor: the leaf's key still checks the signature, but the outcome is `unknown`
    (`untrusted_certificate_chain`, with the `--trust-anchor` hint), never pass.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from urllib.parse import urlsplit

from lerwallet import crypto
from lerwallet.proofs.result import FAIL, UNKNOWN, ProofResult

TRUST_ANCHOR_HINT = "verify with --trust-anchor CA.pem, or list it under trust_anchors in a --trust file"
CRL_HINT = "give the issuing CA's CRL with --crl FILE (downloaded from the URL named), or list it under crls in a --trust file"


def chain_of(header: dict, error) -> list[bytes]:
    """The DER certificates of `header["x5c"]`; `error(code, message)` is raised when malformed."""
    x5c = header.get("x5c")
    if not isinstance(x5c, list) or not x5c or not all(isinstance(c, str) and c for c in x5c):
        raise error("malformed_proof", "x5c must be a non-empty list of base64 DER certificates")
    if len(x5c) > crypto.MAX_CHAIN_CERTIFICATES:
        raise error("malformed_proof", f"x5c holds {len(x5c)} certificates (at most {crypto.MAX_CHAIN_CERTIFICATES})")
    try:
        return [base64.b64decode(c, validate=True) for c in x5c]
    except (binascii.Error, ValueError):
        raise error("malformed_proof", "an x5c entry is not base64 (RFC 7515 section 4.1.6)") from None


def x5c_issuer(header: dict, iss: str, anchors, now: datetime, purpose: str, *, suite: str, error, crls=None):
    """(key tuple or failing ProofResult, pending ProofResult or None, note) for an `x5c` issuer.

    `iss` is the issuer the token claims (JWT `iss`, or the credential's issuer id). The key
    tuple is (key_type, public, jwk=None, verification method id, controller); the pending
    result, when not None, replaces a passing signature check (no anchor: unknown; a chain
    whose revocation could not be checked against the `crls` given: unknown). `note` is what
    a passing check adds to its reason: that the chain validated to an anchor given, and which
    certificates a current CRL showed not revoked.
    """
    chain = chain_of(header, error)
    try:
        leaf = (crypto.verify_certificate_chain(chain, list(anchors), at=now, crls=list(crls or []))
                if anchors else crypto.read_certificate(chain[0]))
    except crypto.CertificateRevoked as exc:
        return ProofResult(suite, FAIL, str(exc), "certificate_revoked", "x5c", iss, purpose), None, ""
    except crypto.CertificateError as exc:
        return ProofResult(suite, FAIL, str(exc), "certificate_chain_invalid", "x5c", iss, purpose), None, ""
    vm_id = f"x5c:{leaf.subject}"
    if iss.startswith("https://"):
        host = (urlsplit(iss).hostname or "").lower()
        if iss not in leaf.uris and host not in [d.lower() for d in leaf.dns_names]:
            return ProofResult(suite, FAIL, f"the x5c leaf certificate ({leaf.subject}) names neither {iss} nor "
                               f"{host} in its subject alternative names", "controller_mismatch", vm_id, iss, purpose), None, ""
    elif iss and iss not in leaf.uris:
        # any other issuer (a DID, a urn): it must be a uniformResourceIdentifier SAN of the leaf,
        # or the certificate vouches for a key, not for this issuer
        return ProofResult(suite, FAIL, f"the x5c leaf certificate ({leaf.subject}) does not name {iss} in its "
                           "subject alternative names", "controller_mismatch", vm_id, iss, purpose), None, ""
    controller = iss or leaf.subject
    key = (leaf.key_type, leaf.public, None, vm_id, controller)
    if anchors and leaf.revocation_unknown:
        return key, ProofResult(
            suite, UNKNOWN, "the x5c chain validates, but whether it was revoked could not be checked: "
            + "; ".join(leaf.revocation_unknown) + f" ({CRL_HINT})", "certificate_revocation_unknown", vm_id,
            controller, purpose), ""
    if anchors:
        checked = (f"; not revoked (current CRLs checked for {', '.join(leaf.revocation_checked)})"
                   if leaf.revocation_checked else "")
        return key, None, "; the chain validates to a trust anchor given" + checked
    return key, ProofResult(
        suite, UNKNOWN, f"the issuer is identified by an X.509 certificate chain (x5c, leaf {leaf.subject}); the "
        "signature matches the leaf's key, but no trust anchor was given to validate the chain "
        f"({TRUST_ANCHOR_HINT})",
        "untrusted_certificate_chain", vm_id, controller, purpose), ""
