"""ecdsa-sd-2023: verify a derived (selectively disclosed) proof. Base proofs and deriving live
in `lerwallet.proofs.ecdsa_sd_derive` (they need pyld; verifying does not).

W3C vc-di-ecdsa, "ecdsa-sd-2023" (createVerifyData / parseDerivedProofValue):
  - proofValue is "u" + base64url(0xd9 0x5d 0x01 || CBOR [baseSignature, publicKey,
    signatures, compressedLabelMap, mandatoryIndexes]);
  - the disclosed document is canonicalized (RDFC-1.0) and its blank nodes relabelled with
    the issuer's HMAC-derived labels from the label map, then the N-Quads are sorted;
  - the issuer's base signature covers sha256(proof config) || publicKey || sha256(mandatory
    N-Quads); each non-mandatory N-Quad carries its own signature by the ephemeral publicKey.
A base proof (header 0xd9 0x5d 0x00) is the issuer's copy for the holder: it carries the HMAC
key that links every copy derived from it, so it is never shared as it is. A verifier refuses
it (`sd_base_proof`, as the reference verifier does); the wallet's own `import`/`recheck` (and
the issuer's self-check) check it in full by `ecdsa_sd_derive.verify_base` instead, inside
`lerwallet.proofs.holder_copy.holder_copies()`.
"""

from __future__ import annotations

import hashlib
import re

from lerwallet import crypto
from lerwallet.proofs.encoding import MalformedValue, decode_proof_value, encode_base64url
from lerwallet.proofs.suites import DATA_INTEGRITY_PROOF, Canonical, SuiteFailure, _data_integrity_contexts

DERIVED_HEADER = b"\xd9\x5d\x01"
BASE_HEADER = b"\xd9\x5d\x00"
P256_MULTICODEC = b"\x80\x24"
_BLANK = re.compile(r"_:(c14n[0-9]+)")


class EcdsaSd2023:
    name = "ecdsa-sd-2023"
    proof_type = DATA_INTEGRITY_PROOF
    cryptosuite = "ecdsa-sd-2023"
    key_types = ("p256",)

    def required_contexts(self, contexts: list) -> list[str]:
        return _data_integrity_contexts(contexts)

    def verify(self, canonical: Canonical, proof: dict, key_type: str, public_key: bytes) -> None:
        if is_base_value(proof.get("proofValue")):
            from lerwallet.proofs.holder_copy import is_holder_copy, refusal

            if not is_holder_copy():
                raise refusal(self.cryptosuite)
            from lerwallet.proofs.ecdsa_sd_derive import verify_base

            return verify_base(canonical, proof, key_type, public_key)
        base_sig, ephemeral, signatures, label_map, mandatory_idx = parse_derived(proof.get("proofValue"))
        proof_hash, mandatory_hash, optional = disclosed_verify_data(canonical, proof, label_map, mandatory_idx)
        if len(signatures) != len(optional):
            raise SuiteFailure(
                "invalid_signature",
                f"{len(signatures)} statement signatures for {len(optional)} disclosed statements",
            )
        try:
            base_ok = crypto.verify(key_type, public_key, proof_hash + ephemeral + mandatory_hash, base_sig)
            statement_key = ephemeral[len(P256_MULTICODEC):]
            statements_ok = all(
                crypto.verify("p256", statement_key, q.encode("utf-8"), s) for q, s in zip(optional, signatures)
            )
        except crypto.BadKey as exc:
            raise MalformedValue(f"bad key in the derived proof: {exc}") from None
        if not base_ok:
            raise SuiteFailure("invalid_signature", "issuer signature does not match the disclosed mandatory data")
        if not statements_ok:
            raise SuiteFailure("invalid_signature", "a disclosed statement does not match its signature")


def disclosed_verify_data(canonical: Canonical, proof: dict, label_map: dict[str, str],
                          mandatory_indexes: list[int]) -> tuple[bytes, bytes, list[str]]:
    """The verifier's side of a derived selective-disclosure proof, shared by ecdsa-sd-2023 and
    bbs-2023 (W3C vc-di-ecdsa / vc-di-bbs "createVerifyData"): (proofHash, mandatoryHash, the
    non-mandatory N-Quads in order).

    proofHash is SHA-256 of the canonical proof configuration (the proof without proofValue,
    with the document's @context); the disclosed document's canonical N-Quads get the issuer's
    blank-node labels from `label_map` and are sorted; those at `mandatory_indexes` are hashed
    together (mandatoryHash), the others are the statements each suite checks its own way.
    """
    from lerwallet.proofs.config import canonize_proof_config

    config = {k: v for k, v in proof.items() if k != "proofValue"}
    config["@context"] = canonical.unsecured.get("@context")
    proof_hash = hashlib.sha256(canonize_proof_config(config, canonical.loader).encode("utf-8")).digest()
    nquads = relabel_sorted(canonical.nquads("sha256"), label_map)
    if any(i >= len(nquads) for i in mandatory_indexes):
        raise MalformedValue("mandatory index out of range")
    wanted = set(mandatory_indexes)
    mandatory = [q for i, q in enumerate(nquads) if i in wanted]
    optional = [q for i, q in enumerate(nquads) if i not in wanted]
    return proof_hash, hashlib.sha256("".join(mandatory).encode("utf-8")).digest(), optional


def is_base_value(proof_value) -> bool:
    try:
        return decode_proof_value(proof_value, "u").startswith(BASE_HEADER)
    except MalformedValue:
        return False


def parse_derived(proof_value) -> tuple[bytes, bytes, list[bytes], dict[str, str], list[int]]:
    """(baseSignature, publicKey multikey bytes, signatures, labelMap c14nN -> uLabel, mandatoryIndexes)."""
    from lerwallet.proofs.cbor import CborError, decode

    raw = decode_proof_value(proof_value, "u")
    if raw.startswith(BASE_HEADER):
        raise MalformedValue("this is an ecdsa-sd-2023 base proof: the holder must derive a proof to disclose")
    if not raw.startswith(DERIVED_HEADER):
        raise MalformedValue("not an ecdsa-sd-2023 derived proof (bad CBOR header)")
    try:
        value = decode(raw[len(DERIVED_HEADER):])
    except CborError as exc:
        raise MalformedValue(f"derived proof is not valid CBOR: {exc}") from None
    if not (isinstance(value, list) and len(value) == 5):
        raise MalformedValue("derived proof must be a CBOR array of five items")
    base_sig, public, signatures, compressed, mandatory = value
    if not (isinstance(base_sig, bytes) and len(base_sig) == 64):
        raise MalformedValue("derived proof baseSignature must be 64 bytes")
    if not (isinstance(public, bytes) and len(public) == 35 and public.startswith(P256_MULTICODEC)):
        raise MalformedValue("derived proof publicKey must be a P-256 multikey (35 bytes)")
    if not (isinstance(signatures, list) and all(isinstance(s, bytes) and len(s) == 64 for s in signatures)):
        raise MalformedValue("derived proof signatures must be 64-byte strings")
    if not (isinstance(compressed, dict) and all(
        isinstance(k, int) and k >= 0 and isinstance(v, bytes) for k, v in compressed.items()
    )):
        raise MalformedValue("derived proof label map must map integers to bytes")
    if not (isinstance(mandatory, list) and all(isinstance(i, int) and i >= 0 for i in mandatory)):
        raise MalformedValue("derived proof mandatoryIndexes must be non-negative integers")
    label_map = {f"c14n{k}": encode_base64url(v) for k, v in compressed.items()}
    return base_sig, public, signatures, label_map, mandatory


def relabel_sorted(nquads: str, label_map: dict[str, str]) -> list[str]:
    """Replace canonical blank-node labels with the issuer's labels; sorted N-Quad lines."""

    def swap(match: re.Match) -> str:
        label = label_map.get(match.group(1))
        if label is None:
            raise MalformedValue(f"the document has a blank node (_:{match.group(1)}) that the proof's label map "
                                 "does not name: it holds statements the proof does not cover")
        return "_:" + label

    lines = [_BLANK.sub(swap, line) + "\n" for line in nquads.splitlines()]
    return sorted(lines)


ECDSA_SD_2023 = EcdsaSd2023()
