"""Verify every proof on a document; one `ProofResult` per proof, never an exception.

Order of checks per proof (cheap and structural first):
  shape -> suite -> purpose, challenge, domain, expiry -> verification method (resolve,
  key type, authorized for the purpose) -> proofValue -> canonicalization and signature
  -> the key's controller is the issuer (or holder).
A verification method that cannot be fetched offline (did:web, https controller document)
gives outcome "unknown" (nothing failed, something could not be checked). The document is
never mutated; proofs in a set are each checked against the document
without any proof (W3C Data Integrity "proof sets").
"""

from __future__ import annotations

from datetime import datetime, timezone

from lerwallet.proofs.result import FAIL, PASS, UNKNOWN, ProofResult
from lerwallet.proofs.suites import DATA_INTEGRITY_PROOF, Canonical, SuiteFailure, lookup

_HOLDER_PURPOSES = ("authentication",)


def verify_proofs(
    doc: dict,
    *,
    resolver,
    loader=None,
    purpose: str = "assertionMethod",
    challenge: str | None = None,
    domain: str | None = None,
    now: datetime | None = None,
    bind_controller: bool = True,
) -> list[ProofResult]:
    """Check each proof in `doc["proof"]`. `resolver` dereferences verification methods.

    `bind_controller` (default on, as vc.js's issuance purpose does) also requires the key's
    controller to be the document's issuer (or holder, for `authentication`); spec test
    vectors whose issuer is unrelated to the key turn it off.

    `loader=None` means the bundled contexts only (and enables the cached fast path for
    proof options). A missing proof gives one failing result with code `no_proof`.
    """
    if not isinstance(doc, dict):
        return [ProofResult("", FAIL, "document is not a JSON object", "malformed_proof")]
    raw = doc.get("proof")
    if raw is None or raw == []:
        return [ProofResult("", FAIL, "no proof", "no_proof")]
    proofs = raw if isinstance(raw, list) else [raw]
    unsecured = {k: v for k, v in doc.items() if k != "proof"}  # shallow: nothing below is mutated
    now = now or datetime.now(timezone.utc)
    forms: dict[tuple, Canonical] = {(): Canonical(unsecured, loader)}
    results = []
    for proof in proofs:
        try:
            canonical = _canonical_for(proof, proofs, unsecured, loader, forms)
        except SuiteFailure as failure:
            results.append(ProofResult(_suite_name(proof), FAIL, failure.reason, failure.code))
            continue
        results.append(_verify_one(proof, canonical, resolver, purpose, challenge, domain, now, bind_controller))
    return results


def _canonical_for(proof, proofs, unsecured, loader, forms) -> Canonical:
    """Proof sets sign the document alone; a proof chain (`previousProof`) also signs the
    proofs it names, which are put back under `proof` (W3C Data Integrity, section 4.4)."""
    previous = proof.get("previousProof") if isinstance(proof, dict) else None
    if previous is None:
        return forms[()]
    wanted = tuple(previous) if isinstance(previous, list) else (previous,)
    if wanted not in forms:
        by_id = {p.get("id"): p for p in proofs if isinstance(p, dict) and isinstance(p.get("id"), str)}
        missing = [w for w in wanted if not isinstance(w, str) or w not in by_id]
        if missing:
            raise SuiteFailure("malformed_proof", f"previousProof {missing[0]!r} is not in the proof set")
        chained = dict(unsecured)
        chained["proof"] = by_id[wanted[0]] if len(wanted) == 1 else [by_id[w] for w in wanted]
        forms[wanted] = Canonical(chained, loader)
    return forms[wanted]


def _verify_one(proof, canonical, resolver, purpose, challenge, domain, now, bind) -> ProofResult:
    if not isinstance(proof, dict):
        return ProofResult("", FAIL, "proof is not a JSON object", "malformed_proof")
    info = {
        "verification_method": _vm_id(proof.get("verificationMethod")) or "",
        "purpose": proof.get("proofPurpose") if isinstance(proof.get("proofPurpose"), str) else "",
        "created": proof.get("created") if isinstance(proof.get("created"), str) else "",
        "controller": "",
    }
    suite_name = _suite_name(proof)
    try:
        _check(proof, canonical, resolver, purpose, challenge, domain, now, bind, info)
    except SuiteFailure as failure:
        outcome = UNKNOWN if getattr(failure, "inconclusive", False) else FAIL
        return ProofResult(suite_name, outcome, failure.reason, failure.code, **info)
    return ProofResult(suite_name, PASS, "signature verified", "", **info)


def _check(proof, canonical, resolver, purpose, challenge, domain, now, bind, info) -> None:
    from lerwallet.ld.errors import CanonicalizationLimit, LDError, SafeModeError, UnknownContext
    from lerwallet.proofs.encoding import MalformedValue

    proof_type = proof.get("type")
    if not isinstance(proof_type, str):
        raise SuiteFailure("malformed_proof", "proof has no type")
    if proof_type == DATA_INTEGRITY_PROOF and not isinstance(proof.get("cryptosuite"), str):
        # W3C Data Integrity: cryptosuite MUST be present on a DataIntegrityProof. Without it
        # the proof is malformed (a failure), not "a suite this build does not know".
        raise SuiteFailure("malformed_proof", "DataIntegrityProof has no cryptosuite (a string is required)")
    suite = lookup(proof_type, proof.get("cryptosuite"))
    if suite is None:
        if proof_type == DATA_INTEGRITY_PROOF:
            raise SuiteFailure("unknown_cryptosuite", f"unsupported cryptosuite: {proof.get('cryptosuite')!r}")
        raise SuiteFailure("unknown_proof_type", f"unsupported proof type: {proof_type!r}")

    _check_options(proof)
    stated = proof.get("proofPurpose")
    if stated != purpose:
        raise SuiteFailure("purpose_mismatch", f"proofPurpose is {stated!r}, expected {purpose!r}")
    if challenge is not None and proof.get("challenge") != challenge:
        raise SuiteFailure("challenge_mismatch", "proof challenge does not match the expected challenge")
    if domain is not None:
        stated_domain = proof.get("domain")
        domains = stated_domain if isinstance(stated_domain, list) else [stated_domain]
        if domain not in domains:
            raise SuiteFailure("domain_mismatch", "proof domain does not match the expected domain")
    _check_expiry(proof.get("expires"), now)

    vm_id = info["verification_method"]
    if not vm_id:
        raise SuiteFailure("missing_verification_method", "proof has no verificationMethod")
    try:
        vm = resolver.dereference(vm_id)
    except Exception as exc:  # resolvers report failure by raising; any failure is "unresolvable"
        failure = SuiteFailure("verification_method_unresolvable", f"cannot resolve {vm_id}: {_line(exc)}")
        failure.inconclusive = getattr(exc, "code", None) == "offline"
        raise failure from None
    info["verification_method"] = getattr(vm, "id", None) or vm_id
    if vm.key_type not in suite.key_types or vm.public_key is None:
        raise SuiteFailure(
            "key_type_mismatch",
            f"{suite.name} needs a {'/'.join(suite.key_types)} key, {vm_id} is {vm.key_type}",
        )
    try:
        authorized = resolver.is_authorized(vm, purpose)
    except Exception as exc:
        raise SuiteFailure("verification_method_unresolvable", f"cannot check {vm_id}: {_line(exc)}") from None
    if not authorized:
        raise SuiteFailure(
            "verification_method_not_authorized",
            f"{vm_id} is not listed under {purpose} by its controller {vm.controller}",
        )
    info["controller"] = vm.controller or ""

    try:
        suite.verify(canonical, proof, vm.key_type, vm.public_key)
    except MalformedValue as exc:
        raise SuiteFailure("malformed_proof_value", str(exc)) from None
    except UnknownContext as exc:
        raise SuiteFailure("unknown_context", str(exc)) from None
    except SafeModeError as exc:
        raise SuiteFailure("safe_mode", str(exc)) from None
    except CanonicalizationLimit as exc:
        raise SuiteFailure("canonicalization_limit", str(exc)) from None
    except LDError as exc:
        raise SuiteFailure("jsonld_error", _line(exc)) from None
    if bind:  # after the signature: a forged issuer claim is then the precise reason
        _check_controller(canonical.unsecured, vm.controller, purpose)


# The proof options the checks below read, by their plain terms. The proof is signed as a
# graph too: `https://w3id.org/security#expiration` or an alias would carry the same expiry past
# `_check_expiry`, and a value object (`{"@value": ...}`) would read as no value. Any other key
# or shape fails rather than being signed but unjudged.
PROOF_OPTIONS = frozenset({
    "type", "cryptosuite", "created", "expires", "verificationMethod", "proofPurpose", "proofValue",
    "challenge", "domain", "nonce", "id", "previousProof", "@context", "jws",
})


def _check_options(proof: dict) -> None:
    unknown = sorted(k for k in proof if k not in PROOF_OPTIONS)
    if unknown:
        raise SuiteFailure("unknown_proof_option", f"proof option {unknown[0][:80]!r} is not one this verifier knows "
                           "(it could carry an expiry or a purpose these checks would not read)")
    for name, value in proof.items():
        values = value if isinstance(value, list) else [value]
        if name != "@context" and any(isinstance(v, dict) and "@value" in v for v in values):
            raise SuiteFailure("unknown_proof_option", f"proof option {name!r} is a JSON-LD value object, which "
                               "these checks cannot read; write it as a plain value")


def _check_controller(unsecured: dict, controller: str, purpose: str) -> None:
    """The key must belong to the issuer (credentials) or the holder (presentations)."""
    field = "holder" if purpose in _HOLDER_PURPOSES else "issuer"
    party = unsecured.get(field)
    party_id = party.get("id") if isinstance(party, dict) else party
    if party_id is None or not isinstance(party_id, str):
        return  # nothing to compare (e.g. an unsigned holder); structure checks report it
    if controller != party_id:
        raise SuiteFailure(
            "controller_mismatch", f"key controller {controller} is not the {field} {party_id}"
        )


def _check_expiry(expires, now: datetime) -> None:
    if expires is None:
        return
    try:
        when = datetime.fromisoformat(str(expires).replace("Z", "+00:00"))
    except ValueError:
        raise SuiteFailure("malformed_proof", f"proof expires is not a date-time: {expires!r}") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    if now > when:
        raise SuiteFailure("proof_expired", f"proof expired at {expires}")


def _suite_name(proof: dict) -> str:
    proof_type = proof.get("type")
    if proof_type == DATA_INTEGRITY_PROOF and isinstance(proof.get("cryptosuite"), str):
        return proof["cryptosuite"]
    return proof_type if isinstance(proof_type, str) else ""


def _vm_id(value) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def _line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]
