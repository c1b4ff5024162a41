"""Validate before signing: one step every signature lerwallet makes goes through.

`proofs.sign` (Data Integrity), `proofs.jose.sign_jwt` (VC-JWT / VP-JWT) and
`proofs.ecdsa_sd_derive.create_base_proof` call `check_before_signing` first, so self-attested
records, presentations (`present`) and anything issued through the library are checked by the
same rules as `verify`'s structure stage (`lerwallet.vcdm`):

  - the VC Data Model rules (contexts and their order, types, ids, issuer/holder, subject,
    dates, typed entries, language value objects, related resources, proof types);
  - the signer is the document's issuer (a credential) or holder (a presentation that names
    one): the controller of the verification method, its DID without the fragment. A proof
    added to a document that already carries one (a proof set or chain) is a co-signature;
  - safe mode: the document is canonicalized in safe mode while signing; a safe-mode or
    JSON-LD error is refused with the same codes (`jsonld_safe_mode`, `jsonld_invalid`).

Refusals raise `NotSignable` (a `UsageError`: exit 2) naming the check and its code. The VC
1.1 Data Integrity context is added by the signer (`suites.required_contexts`), not refused.
Tests that need a malformed signed document on purpose pass `unsafe_unchecked=True`.
"""

from __future__ import annotations

from lerwallet.errors import UsageError


class NotSignable(UsageError):
    """lerwallet's own verifier would reject this document: it is not signed."""

    def __init__(self, code: str, reason: str, *, check: str = "structure") -> None:
        super().__init__(f"not signed: {reason} ({check}: {code})",
                         hint="fix the document first; `lerwallet verify` names the same check")
        self.code = code
        self.check = check
        self.reason = reason


def signer_of(verification_method: str) -> str:
    """The controller a verification method id names: the DID (or URL) before the fragment."""
    return verification_method.split("#", 1)[0]


def is_presentation(doc: dict, purpose: str = "") -> bool:
    from lerwallet.jsonutil import types_of

    return "VerifiablePresentation" in types_of(doc) or (purpose == "authentication" and "VerifiableCredential" not in types_of(doc))


def check_before_signing(doc: object, *, verification_method: str, purpose: str = "assertionMethod",
                         securing: str = "ldp") -> None:
    """Raise `NotSignable` unless `doc` is a credential or presentation lerwallet's verifier
    would accept from this signer (structure rules and signer binding; safe mode is checked
    while canonicalizing, see `refuse_ld_error`)."""
    from lerwallet import vcdm
    from lerwallet.jsonutil import id_of

    if not isinstance(doc, dict):
        raise NotSignable("not_an_object", "only a JSON object can be signed")
    signer = signer_of(verification_method)
    cosigning = "proof" in doc
    if is_presentation(doc, purpose):
        problems = vcdm.presentation_problems(doc, securing=securing)
        holder = id_of(doc.get("holder"))
        if not problems and holder and holder != signer and not cosigning:
            problems.append(("holder_not_signer", f"the presentation's holder {holder} is not the signing identity {signer}"))
        if not problems:
            problems += _self_asserted_problems(doc, holder)
        check = "presentation.structure"
    else:
        problems = vcdm.credential_problems(doc, securing=securing)
        issuer = id_of(doc.get("issuer"))
        if not problems and issuer != signer and not cosigning:
            problems.append(("issuer_not_signer", f"the issuer {issuer} is not the signing identity {signer}: "
                             "a verifier would reject the proof (controller_mismatch)"))
        check = "structure"
        if not problems and "relatedResource" in doc:
            problem = vcdm.related_resource_digests(doc)[2]
            if problem:
                raise NotSignable(*problem, check="related-resource")
    if problems:
        code, reason = problems[0]
        raise NotSignable(code, reason, check=check)


def _self_asserted_problems(doc: dict, holder: str) -> list[tuple[str, str]]:
    """A credential without a proof of its own is secured by the presentation's proof only as
    the holder's own claim (VC 2.0, presentations including holder claims): the verifier
    refuses it otherwise (`proof`: self_asserted_no_holder / self_asserted_issuer_mismatch)."""
    from lerwallet import vcdm
    from lerwallet.jsonutil import as_list, id_of

    for i, entry in enumerate(as_list(doc.get("verifiableCredential"))):
        if not isinstance(entry, dict) or "proof" in entry or vcdm.is_envelope(entry):
            continue
        if not holder:
            return [("self_asserted_no_holder", f"verifiableCredential[{i}] has no proof of its own and the "
                     "presentation names no holder")]
        if id_of(entry.get("issuer")) != holder:
            return [("self_asserted_issuer_mismatch", f"verifiableCredential[{i}] has no proof of its own and its "
                     f"issuer is not the holder {holder}")]
    return []


def refuse_ld_error(exc: Exception) -> NotSignable:
    """The refusal for a JSON-LD error met while canonicalizing the document to sign."""
    from lerwallet.ld.errors import SafeModeError, UnknownContext

    if isinstance(exc, UnknownContext):
        return NotSignable("unknown_context", str(exc), check="context")
    if isinstance(exc, SafeModeError):
        return NotSignable("jsonld_safe_mode", f"{exc} (JSON-LD safe mode)")
    return NotSignable("jsonld_invalid", f"not valid JSON-LD: {exc}")
