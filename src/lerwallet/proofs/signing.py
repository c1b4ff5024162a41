"""Add a proof to a document (a new dict; the input is left untouched)."""

from __future__ import annotations

import copy

from lerwallet.errors import UsageError
from lerwallet.ld.errors import LDError
from lerwallet.proofs.suites import DATA_INTEGRITY_PROOF, SIGNING_SUITES, Canonical, by_name
from lerwallet.utc import iso


def sign(
    doc: dict,
    *,
    suite: str,
    key_type: str,
    private_key: bytes,
    verification_method: str,
    purpose: str = "assertionMethod",
    created: str | None = None,
    challenge: str | None = None,
    domain: str | None = None,
    loader=None,
    proof_id: str | None = None,
    previous_proof: str | list[str] | None = None,
    expires: str | None = None,
    unsafe_unchecked: bool = False,
) -> dict:
    """Return a copy of `doc` with one more proof (a proof set if it already had one).

    Adds the context the suite needs, as the reference implementation does:
    Ed25519Signature2020 adds https://w3id.org/security/suites/ed25519-2020/v1; a
    DataIntegrityProof on a VC 1.1 document adds https://w3id.org/security/data-integrity/v2.
    `created` defaults to now (UTC, whole seconds); `expires` (an XML Schema dateTime) ends the
    proof's validity (Data Integrity `expires`). `proof_id` and `previous_proof` build
    proof chains (W3C Data Integrity 2.1). Misuse raises `UsageError`.

    The document is validated first (`lerwallet.proofs.prepare`): a document lerwallet's own
    verifier would reject raises `NotSignable` (a `UsageError`) naming the check.
    `unsafe_unchecked=True` skips that (tests that need malformed signed documents only).
    """
    impl = by_name(suite)
    if impl is None or suite not in SIGNING_SUITES:
        raise UsageError(f"cannot sign with {suite!r}", hint=f"signing suites: {', '.join(SIGNING_SUITES)}")
    if key_type not in impl.key_types:
        raise UsageError(f"{suite} signs with {'/'.join(impl.key_types)} keys, not {key_type}")
    if suite == "ecdsa-rdfc-2019" and key_type != "p256":
        raise UsageError("ecdsa-rdfc-2019 signing is supported for P-256 keys only")
    if not unsafe_unchecked:
        from lerwallet.proofs.prepare import check_before_signing

        check_before_signing(doc, verification_method=verification_method, purpose=purpose)
    if not isinstance(doc, dict) or "@context" not in doc:
        raise UsageError("only a JSON-LD document with an @context can carry a Data Integrity proof",
                         hint="the first @context must be https://www.w3.org/ns/credentials/v2")

    out = copy.deepcopy(doc)
    contexts = out["@context"] if isinstance(out["@context"], list) else [out["@context"]]
    extra = impl.required_contexts(contexts)
    if extra:
        out["@context"] = contexts + extra

    proof: dict = {"type": impl.proof_type}
    if proof_id is not None:
        proof["id"] = proof_id
    if impl.proof_type == DATA_INTEGRITY_PROOF:
        proof["cryptosuite"] = impl.cryptosuite
    proof["created"] = created or iso()
    proof["verificationMethod"] = verification_method
    proof["proofPurpose"] = purpose
    if challenge is not None:
        proof["challenge"] = challenge
    if domain is not None:
        proof["domain"] = domain
    if expires is not None:
        proof["expires"] = expires
    if previous_proof is not None:
        proof["previousProof"] = previous_proof
    if getattr(impl, "proof_takes_document_context", False):
        # *-jcs-* signers copy the document's @context into the proof (vc-di-eddsa/ecdsa Add Proof)
        proof["@context"] = copy.deepcopy(out["@context"])

    existing = out.pop("proof", None)
    chained = out
    if previous_proof is not None:
        wanted = previous_proof if isinstance(previous_proof, list) else [previous_proof]
        by_id = {p.get("id"): p for p in (existing if isinstance(existing, list) else [existing] if existing else [])}
        if any(w not in by_id for w in wanted):
            raise UsageError("previous_proof names a proof the document does not have")
        chained = dict(out, proof=by_id[wanted[0]] if len(wanted) == 1 else [by_id[w] for w in wanted])
    canonical = Canonical(chained, loader)
    try:
        proof["proofValue"] = impl.sign_value(canonical, proof, key_type, private_key)
    except LDError as exc:
        if unsafe_unchecked:
            raise
        from lerwallet.proofs.prepare import refuse_ld_error

        raise refuse_ld_error(exc) from None
    if existing is None:
        out["proof"] = proof
    else:
        out["proof"] = (existing if isinstance(existing, list) else [existing]) + [proof]
    return out
