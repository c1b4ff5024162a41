"""bbs-2023: verify a derived (selectively disclosed) BBS proof, what a verifier receives.
(The holder's side, base proofs and deriving, is `lerwallet.proofs.bbs2023_derive`.)

W3C "Data Integrity BBS Cryptosuites v1.0" (vc-di-bbs), section 3 "bbs-2023":
  - parseDerivedProofValue: proofValue is "u" + base64url(0xd9 0x5d 0x03 || CBOR [bbsProof,
    compressedLabelMap, mandatoryIndexes, selectiveIndexes, presentationHeader]); the label
    map maps integers k -> v, read as blank-node labels "c14n<k>" -> "b<v>";
  - createVerifyData: proofHash = SHA-256 of the canonical proof configuration; the disclosed
    document is canonicalized (RDFC-1.0), relabelled with the label map and sorted; the N-Quads
    at mandatoryIndexes give mandatoryHash, the others are the disclosed BBS messages (UTF-8);
    this part is shared with ecdsa-sd-2023 (`ecdsa_sd.disclosed_verify_data`);
  - verifyDerivedProof: BBS ProofVerify(PK, bbsProof, header = proofHash || mandatoryHash,
    ph = presentationHeader, disclosed messages, selectiveIndexes) with the issuer's
    BLS12-381 G2 key (`lerwallet.proofs.bbs`, draft-irtf-cfrg-bbs-signatures 3.5.4).

Only the baseline feature is verified. The other proofValue headers are named and refused in
plain words: 0x02 (a base proof: the issuer's copy for the holder, derived before sharing, code
`sd_base_proof` as for ecdsa-sd-2023; the wallet's own `import`/`recheck` check it in full
instead, under `lerwallet.proofs.holder_copy.holder_copies()`),
0x05/0x07/0x09 (derived proofs with anonymous holder binding, pseudonyms, or both, which need
the BBS blind-signature and pseudonym drafts this build does not implement).

Hostile input is bounded before any curve work: the proofValue at most `MAX_PROOF_VALUE_CHARS`,
at most `bbs.MAX_MESSAGES` messages (so at most that many generators, made once per process),
at most as many mandatory indexes and label-map entries, a presentation header of at most
`MAX_PRESENTATION_HEADER` bytes.
"""

from __future__ import annotations

from lerwallet.proofs.encoding import MalformedValue, decode_proof_value
from lerwallet.proofs.holder_copy import is_holder_copy, refusal
from lerwallet.proofs.suites import DATA_INTEGRITY_PROOF, Canonical, SuiteFailure, _data_integrity_contexts

SUITE = "bbs-2023"
KEY_TYPE = "bls12381g2"
HEADER_PREFIX = b"\xd9\x5d"
BASELINE_BASE = 0x02
BASELINE_DERIVED = 0x03
_FEATURES = {
    0x04: ("base", "anonymous holder binding"), 0x05: ("derived", "anonymous holder binding"),
    0x06: ("base", "pseudonyms"), 0x07: ("derived", "pseudonyms"),
    0x08: ("base", "holder-bound pseudonyms"), 0x09: ("derived", "holder-bound pseudonyms"),
}
MAX_MESSAGES = 1024  # the same cap as bbs.MAX_MESSAGES (that module is loaded only after parsing)
MAX_PROOF_VALUE_CHARS = 64 * 1024  # a 1024-message proof is 33 KB; base64url adds a third
MAX_PRESENTATION_HEADER = 4096


class Bbs2023:
    name = SUITE
    proof_type = DATA_INTEGRITY_PROOF
    cryptosuite = SUITE
    key_types = (KEY_TYPE,)

    def required_contexts(self, contexts: list) -> list[str]:
        return _data_integrity_contexts(contexts)

    def verify(self, canonical: Canonical, proof: dict, key_type: str, public_key: bytes) -> None:
        from lerwallet.proofs.ecdsa_sd import disclosed_verify_data

        if is_holder_copy() and _raw(proof.get("proofValue"))[2] == BASELINE_BASE:
            from lerwallet.proofs.bbs2023_derive import check_base

            return check_base(canonical.unsecured, proof, canonical.loader, issuer_key=public_key)
        derived = parse_derived(proof.get("proofValue"))
        proof_hash, mandatory_hash, non_mandatory = disclosed_verify_data(
            canonical, proof, derived.label_map, derived.mandatory_indexes)
        if len(non_mandatory) != len(derived.selective_indexes):
            raise SuiteFailure("invalid_signature", f"{len(non_mandatory)} disclosed statements but the proof names "
                               f"{len(derived.selective_indexes)}: statements were added or removed")
        # The reference places message i at selectiveIndexes[i]; sorting the pairs does the same.
        pairs = sorted(zip(derived.selective_indexes, non_mandatory))
        from lerwallet.proofs import bbs

        try:
            ok = bbs.proof_verify(public_key, derived.bbs_proof, proof_hash + mandatory_hash,
                                  derived.presentation_header, [q.encode("utf-8") for _, q in pairs],
                                  [i for i, _ in pairs])
        except bbs.BbsError as exc:
            raise MalformedValue(f"bbs-2023 proof: {exc}") from None
        if not ok:
            raise SuiteFailure("invalid_signature", "the BBS proof does not match the disclosed statements, the "
                               "presentation header or the issuer's key")


class Derived:
    __slots__ = ("bbs_proof", "label_map", "mandatory_indexes", "selective_indexes", "presentation_header")

    def __init__(self, bbs_proof, label_map, mandatory_indexes, selective_indexes, presentation_header):
        self.bbs_proof = bbs_proof
        self.label_map = label_map
        self.mandatory_indexes = mandatory_indexes
        self.selective_indexes = selective_indexes
        self.presentation_header = presentation_header


def _raw(proof_value) -> bytes:
    if isinstance(proof_value, str) and len(proof_value) > MAX_PROOF_VALUE_CHARS:
        raise MalformedValue(f"bbs-2023 proofValue is {len(proof_value)} characters; at most "
                             f"{MAX_PROOF_VALUE_CHARS} are accepted")
    raw = decode_proof_value(proof_value, "u")
    if len(raw) < 3 or raw[:2] != HEADER_PREFIX:
        raise MalformedValue("not a bbs-2023 proofValue (it must start with the CBOR tag 0xd9 0x5d)")
    return raw


def parse_derived(proof_value) -> Derived:
    """vc-di-bbs parseDerivedProofValue for the baseline feature, with the caps above."""
    from lerwallet.proofs.cbor import CborError, decode

    raw = _raw(proof_value)
    mode = raw[2]
    if mode == BASELINE_BASE:
        raise refusal(SUITE)
    if mode in _FEATURES:
        kind, feature = _FEATURES[mode]
        if kind == "base":
            raise refusal(SUITE, feature)
        raise SuiteFailure("unsupported_feature", f"this bbs-2023 proof uses {feature}, which lerwallet does not "
                           "verify (only plain selective disclosure is supported)")
    if mode != BASELINE_DERIVED:
        raise MalformedValue(f"unknown bbs-2023 proofValue header 0xd9 0x5d 0x{mode:02x}")
    try:
        value = decode(raw[3:], typed_bytes=True)
    except CborError as exc:
        raise MalformedValue(f"bbs-2023 derived proof is not valid CBOR: {exc}") from None
    if not (isinstance(value, list) and len(value) == 5):
        raise MalformedValue("a bbs-2023 derived proof is a CBOR array of five items")
    bbs_proof, compressed, mandatory, selective, presentation_header = value
    if not isinstance(bbs_proof, bytes):
        raise MalformedValue("bbsProof must be a byte string")
    if not (isinstance(compressed, dict) and len(compressed) <= MAX_MESSAGES and all(
            _index(k) and _index(v) for k, v in compressed.items())):
        raise MalformedValue(f"the label map must map at most {MAX_MESSAGES} integers to integers")
    for name, indexes in (("mandatoryIndexes", mandatory), ("selectiveIndexes", selective)):
        if not (isinstance(indexes, list) and len(indexes) <= MAX_MESSAGES and all(_index(i) for i in indexes)):
            raise MalformedValue(f"{name} must be at most {MAX_MESSAGES} non-negative integers")
    if len(set(selective)) != len(selective):
        raise MalformedValue("selectiveIndexes repeats an index")
    if not (isinstance(presentation_header, bytes) and len(presentation_header) <= MAX_PRESENTATION_HEADER):
        raise MalformedValue(f"presentationHeader must be a byte string of at most {MAX_PRESENTATION_HEADER} bytes")
    label_map = {f"c14n{k}": f"b{v}" for k, v in compressed.items()}
    return Derived(bbs_proof, label_map, mandatory, selective, presentation_header)


def _index(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 1 << 32


BBS_2023 = Bbs2023()
