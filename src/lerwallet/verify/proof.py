"""Stage 3: proof. Every embedded Data Integrity proof, or the JOSE / SD-JWT signature; the
issuer's key is resolved through the injected resolver; the signer must be the issuer.

Proof-set rule (W3C Data Integrity proof sets, Open Badges 3.0 "valid if one proof
verifies"): the credential is authentic when at least one acceptable proof verifies: the
expected purpose (checked by the suite) and a key controlled by the issuer (the holder, for a
presentation). Every other proof is reported: the ones that failed in a `proof.other` warning
(also when one of them claims to be the issuer's), all of them in the details. Without an
acceptable proof, a failing proof that claims to be the issuer's decides (fail), then one that
could not be checked here (unknown), then any failure.
"""

from __future__ import annotations

from lerwallet.verify.options import Options
from lerwallet.verify.report import FAIL, PASS, UNKNOWN, WARN, Check
from lerwallet.verify.state import CredentialState, id_of

# Codes that mean "could not check here" whatever the outcome says: a suite, context or key
# type this build does not know. Anything else is inconclusive only when its outcome is
# `unknown` (a did:web document offline), or when the method's DID could not be resolved here
# (see `inconclusive`); a verification method absent from a document that did resolve is a
# failure (`verification_method_unresolvable`, outcome fail).
INCONCLUSIVE_CODES = {
    "unknown_proof_type",
    "unknown_cryptosuite",
    "unknown_context",
    "unsupported_method",
    "unsupported_key_type",
}
# Codes that mean "this proof format is not one lerwallet implements": never checkable here, so
# the reason says to treat the credential as unverified, and import refuses it (a forger can
# rename the suite of a forged proof; a renamed suite must not buy a place in the wallet).
UNSUPPORTED_PROOF_CODES = {"unknown_proof_type", "unknown_cryptosuite"}
UNSUPPORTED_NOTE = "proof format not supported; treat as unverified"
# Resolver error codes that mean "this verifier cannot resolve it here", not "it is not there".
_CANNOT_RESOLVE_HERE = {"offline", "network", "unsupported_method", "unsupported_key_type"}


def inconclusive(result, resolver=None) -> bool:
    """True when a proof result means "could not be checked here", not "checked and wrong"."""
    if result.outcome == UNKNOWN or result.code in INCONCLUSIVE_CODES:
        return True
    if result.code != "verification_method_unresolvable" or resolver is None or not result.verification_method:
        return False
    try:  # Data Integrity results carry the code only: ask the resolver why (failure path only)
        resolver.dereference(result.verification_method)
    except Exception as exc:
        return getattr(exc, "code", None) in _CANNOT_RESOLVE_HERE
    return False


def run(state: CredentialState, opts: Options, *, purpose: str = "assertionMethod") -> list[Check]:
    if state.securing == "ob2":
        state.proof_outcome = UNKNOWN
        return [Check("proof", UNKNOWN, "Open Badges 2.0 assertions are not supported by this verifier", "unsupported_format")]
    if state.securing in ("jwt", "sd-jwt"):
        return _jose(state, opts, purpose)
    return _data_integrity(state, opts, purpose)


def _data_integrity(state: CredentialState, opts: Options, purpose: str) -> list[Check]:
    doc = state.unverified
    if "proof" not in doc and "self_asserted" in state.extra:
        return _self_asserted(state, state.extra["self_asserted"])
    if "proof" not in doc:
        state.proof_outcome = FAIL
        return [Check("proof", FAIL, "no proof: this is not a verifiable credential (it has no digital signature)", "no_proof")]
    try:
        from lerwallet.proofs import verify_proofs
    except ImportError:
        state.proof_outcome = UNKNOWN
        return [Check("proof", UNKNOWN, "proof suites are not available in this build", "unsupported_suite")]
    results = verify_proofs(
        doc, resolver=opts.get_resolver(), loader=opts.get_loader(), purpose=purpose,
        challenge=opts.challenge if purpose == "authentication" else None,
        domain=opts.domain if purpose == "authentication" else None, now=opts.now(),
        # A presentation may carry one proof per identity of the holder (a proof set): `_judge`
        # accepts the holder's own proof and keeps the others as co-signers for holder binding.
        bind_controller=purpose != "authentication",
    )
    return _judge(state, results, expected_signer=_expected_signer(state, purpose), resolver=opts.get_resolver())


def _self_asserted(state: CredentialState, vp: dict) -> list[Check]:
    """VC 2.0 "Presentations Including Holder Claims": a credential with no proof of its own,
    secured only by the presentation's proof, is the holder's own claim. The presentation MUST
    name its holder, and the credential's issuer MUST be that holder."""
    holder, issuer = vp.get("holder") or "", state.issuer_id
    state.proof_outcome = FAIL
    if not vp.get("vp_proven"):
        return [Check("proof", FAIL, "no proof of its own, and the presentation's proof did not verify: nothing "
                      "secures this credential", "no_proof")]
    if not holder:
        return [Check("proof", FAIL, "no proof of its own: a self-asserted credential is secured by the presentation's "
                      "proof only when the presentation names its holder (VC 2.0, presentations including holder "
                      "claims), and this one names none", "self_asserted_no_holder")]
    if issuer != holder:
        return [Check("proof", FAIL, f"no proof of its own, and its issuer {issuer or '(none)'} is not the presentation's "
                      f"holder {holder}: only the holder's own claims are secured by the presentation's proof",
                      "self_asserted_issuer_mismatch")]
    state.proof_outcome = PASS
    state.signer = holder
    state.document = state.unverified
    return [Check("proof", PASS, f"self-asserted by the holder {holder}: secured by the presentation's proof "
                  "(no proof of its own)")]


def _expected_signer(state: CredentialState, purpose: str) -> str:
    if purpose == "authentication":
        return id_of(state.unverified.get("holder"))
    return state.issuer_id


def _judge(state: CredentialState, results: list, *, expected_signer: str, resolver=None) -> list[Check]:
    """The `proof` check (and `proof.other` when other proofs failed) for a set of results."""
    details: dict = {"proofs": [r.to_dict() for r in results]}
    passed = [r for r in results if r.outcome == PASS]
    good = [r for r in passed if not expected_signer or _controller(r) == expected_signer]
    unsure = [r for r in results if r.outcome != PASS and inconclusive(r, resolver)]
    failed = [r for r in results if r.outcome != PASS and r not in unsure]
    if good:
        state.proof_outcome = PASS
        state.signer = expected_signer or _controller(good[0])
        state.document = state.unverified
        state.extra["verification_methods"] = [r.verification_method for r in good if r.verification_method]
        suites = ", ".join(sorted({r.suite for r in good}))
        cosigners = sorted({_controller(r) for r in passed if r not in good})
        state.extra["cosigners"] = [(r.verification_method, _controller(r)) for r in passed
                                    if r not in good and r.verification_method]
        # Every identity whose proof verified (holder binding: any of them may be the subject's).
        state.extra["proven_controllers"] = sorted({_controller(r) for r in passed} - {""})
        also = f"; also signed by {', '.join(cosigners)}" if cosigners else ""
        checks = [Check("proof", PASS, f"signature valid ({suites}), signed by {state.signer}{also}", "", details)]
        if failed:
            details["warnings"] = [f"{r.suite or 'proof'} by {_controller(r) or '?'}: {r.reason}" for r in failed]
            checks.append(Check(
                "proof.other", WARN,
                f"{len(failed)} other proof(s) did not verify (an accepted proof did): " + "; ".join(details["warnings"]),
                "other_proof_invalid", {"proofs": [r.to_dict() for r in failed]},
            ))
        return checks
    claims_issuer = [r for r in failed if not expected_signer or _controller(r) == expected_signer]
    if claims_issuer or (failed and not unsure):
        state.proof_outcome = FAIL
        r = (claims_issuer or failed)[0]
        return [Check("proof", FAIL, f"{r.suite}: {r.reason}", r.code or "invalid_signature", details)]
    if unsure:
        state.proof_outcome = UNKNOWN
        r = unsure[0]
        note = f": {UNSUPPORTED_NOTE}" if r.code in UNSUPPORTED_PROOF_CODES else ""
        return [Check("proof", UNKNOWN, f"{r.suite or 'proof'}: {r.reason}{note}", r.code or "unverifiable", details)]
    if not passed:
        state.proof_outcome = UNKNOWN
        return [Check("proof", UNKNOWN, "no proof could be checked", "unverifiable", details)]
    state.proof_outcome = FAIL
    signers = ", ".join(sorted({_controller(r) for r in passed}))
    return [Check("proof", FAIL, f"signed by {signers}, which is not {expected_signer}", "controller_mismatch", details)]


def _controller(result) -> str:
    if result.controller:
        return result.controller
    return (result.verification_method or "").split("#", 1)[0]


def _jose(state: CredentialState, opts: Options, purpose: str) -> list[Check]:
    try:
        if state.securing == "sd-jwt":
            from lerwallet.proofs import sdjwt as module

            verify = getattr(module, "verify_sd_jwt", None) or getattr(module, "verify")
        else:
            from lerwallet.proofs.jose import verify_jwt as verify
    except (ImportError, AttributeError):
        state.proof_outcome = UNKNOWN
        return [Check("proof", UNKNOWN, f"{state.securing} verification is not available in this build", "unsupported_suite")]
    kwargs = {"resolver": opts.get_resolver(), "purpose": purpose, "now": opts.now()}
    if purpose == "authentication" or state.securing == "sd-jwt":
        # An SD-JWT is presented by its holder: --domain/--challenge bind its key binding JWT.
        kwargs.update(audience=opts.domain, nonce=opts.challenge)
    kwargs["trust_anchors"] = opts.trust_anchors  # x5c issuers (SD-JWT VC and VC-JWT): --trust-anchor / trust_anchors
    if getattr(opts, "crls", None):
        kwargs["crls"] = opts.crls  # and their chains' revocation: --crl / crls
    if state.securing == "sd-jwt":
        kwargs["fetch"] = opts.get_fetch()  # https issuers' metadata, only --online
        # The key binding JWT's age is not the issuer's signature: the `sd-jwt.key-binding` stage
        # judges it (presentation.sd_jwt_binding, `Options.max_kb_age`; import keeps None).
        kwargs["max_kb_age"] = float("inf")
    try:
        result = verify(state.token, **kwargs)
    except Exception as exc:  # a library error for a bad token is a result, not a crash
        code = getattr(exc, "code", "") or "invalid_signature"
        outcome = UNKNOWN if code in INCONCLUSIVE_CODES or code in ("offline", "network") else FAIL
        state.proof_outcome = outcome
        return [Check("proof", outcome, f"{state.securing}: {getattr(exc, 'message', None) or exc}", code)]
    proof = getattr(result, "proof", None)
    state.extra["key_binding"] = getattr(result, "key_binding", None)
    results = proof if isinstance(proof, list) else [proof] if proof is not None else []
    check = _judge(state, results, expected_signer="")[0] if results else Check("proof", FAIL, "no signature result", "invalid_signature")
    if check.outcome == PASS:
        document = getattr(result, "document", None)
        state.document = document if isinstance(document, dict) else state.unverified
        state.jwt_payload = getattr(result, "payload", None)
        iss = (state.jwt_payload or {}).get("iss")
        expected = _expected_signer(state, purpose) or iss or ""
        if expected and state.signer and expected != state.signer:
            state.proof_outcome = FAIL
            return [Check("proof", FAIL, f"signed by {state.signer}, which is not {expected}", "controller_mismatch", check.details)]
    return [check]
