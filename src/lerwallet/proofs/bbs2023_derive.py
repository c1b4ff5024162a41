"""bbs-2023, the holder's side: check a base proof and derive a disclosure from it.

W3C vc-di-bbs, section 3 "bbs-2023" (parseBaseProofValue, createDisclosureData,
serializeDerivedProofValue), over the selective disclosure functions shared with ecdsa-sd-2023
(`lerwallet.proofs.ecdsa_sd_derive`: skolemize, select JSON-LD, canonicalize and group):

  base proof   "u" + base64url(0xd9 0x5d 0x02 || CBOR [bbsSignature, bbsHeader, publicKey,
               hmacKey, mandatoryPointers]); the issuer signed the non-mandatory N-Quads as BBS
               messages under bbsHeader = SHA-256(proof configuration) || SHA-256(mandatory
               N-Quads), with blank nodes relabelled "b<k>": k is the rank of
               HMAC-SHA256(hmacKey, c14n label) among all of them (the "shuffled" label map).
  derived      the holder reveals mandatory + chosen pointers, proves the BBS signature over the
               revealed non-mandatory messages (`bbs.proof_gen`, with a presentation header) and
               records the label map and indexes the verifier needs (`lerwallet.proofs.bbs2023`).

A base proof carries the HMAC key: a holder keeps it and never shares it as it is.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from lerwallet import crypto
from lerwallet.keys.multibase import b64url_encode
from lerwallet.proofs.bbs2023 import BASELINE_BASE, BASELINE_DERIVED, HEADER_PREFIX, SUITE, _raw
from lerwallet.proofs.encoding import MalformedValue


@dataclass
class BaseProof:
    bbs_signature: bytes
    bbs_header: bytes
    public_key: bytes
    hmac_key: bytes
    mandatory_pointers: list[str]


def parse_base(proof_value) -> BaseProof:
    """vc-di-bbs parseBaseProofValue (baseline feature)."""
    from lerwallet.proofs.cbor import CborError, decode

    raw = _raw(proof_value)
    if raw[2] != BASELINE_BASE:
        raise MalformedValue("not a bbs-2023 base proof (header 0xd9 0x5d 0x02)")
    try:
        value = decode(raw[3:], typed_bytes=True)
    except CborError as exc:
        raise MalformedValue(f"bbs-2023 base proof is not valid CBOR: {exc}") from None
    if not (isinstance(value, list) and len(value) == 5):
        raise MalformedValue("a bbs-2023 base proof is a CBOR array of five items")
    signature, header, public, hmac_key, pointers = value
    if not (isinstance(signature, bytes) and len(signature) == 80 and isinstance(header, bytes) and len(header) == 64
            and isinstance(public, bytes) and len(public) == 96 and isinstance(hmac_key, bytes)
            and len(hmac_key) == 32 and isinstance(pointers, list) and all(isinstance(p, str) for p in pointers)):
        raise MalformedValue("bbs-2023 base proof items have the wrong types or sizes")
    return BaseProof(signature, header, public, hmac_key, pointers)


def _shuffled_label_map(hmac_key: bytes):
    """createShuffledIdLabelMapFunction: HMAC each canonical label, then name each blank node
    "b<rank of its HMAC label>" so labels say nothing about the graph's shape."""
    def make(canonical_id_map: dict[str, str]) -> dict[str, str]:
        hmac_ids = {inp: "u" + b64url_encode(crypto.hmac_sha256(hmac_key, c14n.encode("utf-8")))
                    for inp, c14n in canonical_id_map.items()}
        ranked = sorted(hmac_ids.values())
        return {inp: f"b{ranked.index(h)}" for inp, h in hmac_ids.items()}
    return make


def _sd_proof(document: dict) -> dict:
    from lerwallet.proofs.ecdsa_sd_derive import DisclosureError

    proofs = document.get("proof")
    found = [p for p in (proofs if isinstance(proofs, list) else [proofs])
             if isinstance(p, dict) and p.get("cryptosuite") == SUITE]
    if len(found) != 1:
        raise DisclosureError("this credential has no single bbs-2023 proof to derive from")
    return found[0]


def _groups(unsecured: dict, base: BaseProof, groups: dict[str, list[str]], loader):
    from lerwallet.proofs.ecdsa_sd_derive import _canonicalize_and_group

    return _canonicalize_and_group(unsecured, base.hmac_key, groups, loader,
                                   label_map_fn=_shuffled_label_map(base.hmac_key))


def verify_base(document: dict, *, loader=None) -> None:
    """What the holder can check of a base proof in `document` (see `check_base`); the issuer
    key is the one the base proof carries (`check_base` with `issuer_key` also ties it to the
    verification method, as `import` does)."""
    check_base({k: v for k, v in document.items() if k != "proof"}, _sd_proof(document), loader)


def check_base(unsecured: dict, proof: dict, loader=None, *, issuer_key: bytes | None = None) -> None:
    """The bbsHeader is this document's (proof configuration and mandatory statements), and the
    BBS signature covers its other statements under the issuer key (draft 3.5.2 Verify); the key
    in the base proof must be `issuer_key`, the verification method's, when given.
    `SuiteFailure` when not."""
    from lerwallet.proofs import bbs
    from lerwallet.proofs.ecdsa_sd_derive import DisclosureError, _proof_hash
    from lerwallet.proofs.suites import SuiteFailure

    base = parse_base(proof.get("proofValue"))
    if issuer_key is not None and bytes(issuer_key) != base.public_key:
        raise SuiteFailure("invalid_signature", "the base proof carries another key than its verification method")
    try:
        _, _, groups = _groups(unsecured, base, {"mandatory": base.mandatory_pointers}, loader)
    except DisclosureError as exc:
        raise SuiteFailure("invalid_signature", f"the base proof's mandatory pointers do not fit: {exc.message}") from None
    mandatory, non_mandatory, _ = groups["mandatory"]
    header = (_proof_hash(proof, unsecured.get("@context"), loader)
              + crypto.sha256("".join(mandatory.values()).encode("utf-8")))
    if header != base.bbs_header:
        raise SuiteFailure("invalid_signature", "the base proof's header does not match the proof options and "
                           "mandatory statements: the document was changed")
    try:
        ok = bbs.verify_signature(base.public_key, base.bbs_signature, header,
                                  [q.encode("utf-8") for q in non_mandatory.values()])
    except bbs.BbsError as exc:
        raise MalformedValue(f"bbs-2023 base proof: {exc}") from None
    if not ok:
        raise SuiteFailure("invalid_signature", "the issuer's BBS signature does not match the statements")


def is_base_credential(document) -> bool:
    """Whether the credential carries a bbs-2023 base proof (one its holder derives from)."""
    from lerwallet.proofs.holder_copy import carries_base_proof

    return carries_base_proof(document, SUITE, lambda value: _raw(value)[2] == BASELINE_BASE)


def serialize_derived(bbs_proof: bytes, label_map: dict[str, str], mandatory_indexes: list[int],
                      selective_indexes: list[int], presentation_header: bytes) -> str:
    """serializeDerivedProofValue (baseline): the label map compressed to integers."""
    from lerwallet.proofs.cbor import encode

    compressed = {int(c14n[4:]): int(label[1:]) for c14n, label in label_map.items()}
    body = encode([bbs_proof, compressed, mandatory_indexes, selective_indexes, presentation_header])
    return "u" + b64url_encode(HEADER_PREFIX + bytes([BASELINE_DERIVED]) + body)


@dataclass
class Derived:
    document: dict  # the reveal document with its derived proof
    mandatory_pointers: list[str]
    revealed_statements: int
    withheld_statements: int


def derive(document: dict, selective_pointers: list[str], *, presentation_header: bytes = b"",
           loader=None) -> Derived:
    """createDisclosureData + the derived proof: the reveal document (mandatory +
    `selective_pointers`) with a fresh, unlinkable BBS proof bound to `presentation_header`."""
    from lerwallet.proofs import bbs
    from lerwallet.proofs.ecdsa_sd_derive import DisclosureError, _canonicalize_with_map, parse_pointer, select_json_ld

    proof = _sd_proof(document)
    base = parse_base(proof.get("proofValue"))
    for pointer in selective_pointers:
        parse_pointer(pointer)
    combined = base.mandatory_pointers + [p for p in selective_pointers if p not in base.mandatory_pointers]
    if not combined:
        raise DisclosureError("nothing to disclose: the credential has no mandatory fields and none was chosen",
                              hint="name fields with --disclose /credentialSubject/...")
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    nquads, label_map, groups = _groups(
        unsecured, base, {"mandatory": base.mandatory_pointers, "selective": list(selective_pointers),
                          "combined": combined}, loader)
    mandatory_match, mandatory_non_match, _ = groups["mandatory"]
    selective_match = groups["selective"][0]
    combined_match, _, combined_desk = groups["combined"]
    combined_indexes = list(combined_match)
    mandatory_indexes = [combined_indexes.index(i) for i in mandatory_match]
    non_mandatory = list(mandatory_non_match)
    selective_indexes = [k for k, i in enumerate(non_mandatory) if i in selective_match]
    messages = [q.encode("utf-8") for q in mandatory_non_match.values()]
    try:
        bbs_proof = bbs.proof_gen(base.public_key, base.bbs_signature, base.bbs_header, presentation_header,
                                  messages, selective_indexes)
    except bbs.BbsError as exc:
        raise DisclosureError(f"cannot derive from this base proof: {exc}") from None
    reveal = select_json_ld(unsecured, combined)
    _, reveal_id_map = _canonicalize_with_map(combined_desk)
    verifier_label_map = {c14n: label_map[inp] for inp, c14n in reveal_id_map.items()}
    derived_proof = {k: copy.deepcopy(v) for k, v in proof.items() if k not in ("proofValue", "@context")}
    derived_proof["proofValue"] = serialize_derived(bbs_proof, verifier_label_map, mandatory_indexes,
                                                    selective_indexes, presentation_header)
    reveal["proof"] = derived_proof
    return Derived(reveal, list(base.mandatory_pointers), len(combined_match), len(nquads) - len(combined_match))
