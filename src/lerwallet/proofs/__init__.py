"""Data Integrity proofs: verify every proof on a document, or add one.

Public API (the verifier and the presenter code against it):
  - `verify_proofs(doc, *, resolver, loader=None, purpose="assertionMethod", challenge=None,
     domain=None, now=None, bind_controller=True) -> list[ProofResult]`   never raises for
     bad input; bind_controller requires the key's controller to be the issuer/holder
  - `sign(doc, *, suite, key_type, private_key, verification_method, ...) -> dict`
  - `ProofResult` (suite, outcome, reason, code, verification_method, controller, purpose,
     created) and `any_passed(results)` (Open Badges 3.0: one good proof is enough)
Suites: eddsa-rdfc-2022, ecdsa-rdfc-2019 (P-256/P-384), Ed25519Signature2020 (sign and
verify), ecdsa-sd-2023 (verify derived proofs), Ed25519Signature2018 (verify). See docs/proofs.md.
"""

from __future__ import annotations

from lerwallet.proofs.result import ProofResult, any_passed

__all__ = ["ProofResult", "any_passed", "sign", "verify_proofs"]


def verify_proofs(doc, *, resolver, loader=None, purpose="assertionMethod", challenge=None,
                  domain=None, now=None, bind_controller=True):
    from lerwallet.proofs.verify import verify_proofs as _verify

    return _verify(
        doc, resolver=resolver, loader=loader, purpose=purpose, challenge=challenge,
        domain=domain, now=now, bind_controller=bind_controller,
    )


def sign(doc, *, suite, key_type, private_key, verification_method, purpose="assertionMethod",
         created=None, challenge=None, domain=None, loader=None, proof_id=None, previous_proof=None,
         expires=None, unsafe_unchecked=False):
    from lerwallet.proofs.signing import sign as _sign

    return _sign(
        doc, suite=suite, key_type=key_type, private_key=private_key,
        verification_method=verification_method, purpose=purpose, created=created,
        challenge=challenge, domain=domain, loader=loader, proof_id=proof_id,
        previous_proof=previous_proof, expires=expires, unsafe_unchecked=unsafe_unchecked,
    )


verify_proofs.__doc__ = "Check each proof on `doc`; see lerwallet.proofs.verify.verify_proofs."
sign.__doc__ = "Return a copy of `doc` with a new proof; see lerwallet.proofs.signing.sign."
