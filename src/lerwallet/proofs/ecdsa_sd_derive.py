"""ecdsa-sd-2023: create base proofs (issuers, tests) and derive disclosure proofs (holders).

W3C vc-di-ecdsa, section 3.4 "ecdsa-sd-2023" and the selective disclosure functions of
Data Integrity ("skolemize", "select JSON-LD", "canonicalize and group"):

  base proof   the issuer canonicalizes the document, relabels its blank nodes with
               "u" + base64url(HMAC-SHA256(hmacKey, c14nLabel)), sorts the N-Quads, and splits
               them into the mandatory ones (selected by `mandatoryPointers`) and the rest; each
               other N-Quad is signed by a fresh proof-scoped P-256 key, and the issuer key signs
               sha256(proof config) || proof-scoped public key || sha256(mandatory N-Quads).
               proofValue = "u" + base64url(0xd9 0x5d 0x00 || CBOR [baseSignature, publicKey,
               hmacKey, signatures, mandatoryPointers]).
  derived      the holder selects mandatory + chosen pointers (the "reveal document"), keeps
               the signatures of the revealed non-mandatory N-Quads, maps the reveal document's
               canonical labels to the HMAC labels, and records which revealed N-Quads are
               mandatory: CBOR [baseSignature, publicKey, signatures, labelMap, mandatoryIndexes]
               under header 0xd9 0x5d 0x01. `lerwallet.proofs.ecdsa_sd` verifies that.

A base proof holds the HMAC key: whoever has it can link every derived presentation, so a base
credential is the holder's private material, never sent as it is.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

from lerwallet import crypto
from lerwallet.errors import UsageError
from lerwallet.keys.multibase import b64url_decode, b64url_encode
from lerwallet.proofs.cbor import CborError, decode, encode
from lerwallet.proofs.ecdsa_sd import BASE_HEADER, DERIVED_HEADER, P256_MULTICODEC
from lerwallet.proofs.encoding import MalformedValue, decode_proof_value
from lerwallet.utc import iso

SUITE = "ecdsa-sd-2023"
_SKOLEM = "urn:custom-scheme:"
_SKOLEM_IRI = re.compile(r"<urn:custom-scheme:([^>]+)>")
_BLANK = re.compile(r"_:([^\s]+)")


class DisclosureError(UsageError):
    """A pointer that names nothing in the credential, or a proof that cannot be derived from."""


@dataclass
class BaseProof:
    base_signature: bytes
    public_key: bytes  # proof-scoped key, P-256 multikey bytes (0x80 0x24 + compressed point)
    hmac_key: bytes
    signatures: list[bytes]
    mandatory_pointers: list[str]


def parse_base(proof_value) -> BaseProof:
    raw = decode_proof_value(proof_value, "u")
    if raw.startswith(DERIVED_HEADER):
        raise MalformedValue("this is already a derived ecdsa-sd-2023 proof: only a base proof can be derived from")
    if not raw.startswith(BASE_HEADER):
        raise MalformedValue("not an ecdsa-sd-2023 base proof (bad CBOR header)")
    try:
        value = decode(raw[len(BASE_HEADER):])
    except CborError as exc:
        raise MalformedValue(f"base proof is not valid CBOR: {exc}") from None
    if not (isinstance(value, list) and len(value) == 5):
        raise MalformedValue("base proof must be a CBOR array of five items")
    sig, public, hmac_key, signatures, pointers = value
    if not (isinstance(sig, bytes) and len(sig) == 64 and isinstance(public, bytes) and len(public) == 35
            and public.startswith(P256_MULTICODEC) and isinstance(hmac_key, bytes) and len(hmac_key) == 32
            and isinstance(signatures, list) and all(isinstance(s, bytes) and len(s) == 64 for s in signatures)
            and isinstance(pointers, list) and all(isinstance(p, str) for p in pointers)):
        raise MalformedValue("base proof items have the wrong types or sizes")
    return BaseProof(sig, public, hmac_key, signatures, pointers)


def serialize_base(proof: BaseProof) -> str:
    body = encode([proof.base_signature, proof.public_key, proof.hmac_key, proof.signatures, proof.mandatory_pointers])
    return "u" + b64url_encode(BASE_HEADER + body)


def serialize_derived(base_signature: bytes, public_key: bytes, signatures: list[bytes], label_map: dict[str, str],
                      mandatory_indexes: list[int]) -> str:
    compressed = {}
    for c14n, label in label_map.items():
        if not (c14n.startswith("c14n") and c14n[4:].isdigit() and label.startswith("u")):
            raise MalformedValue(f"label map entry {c14n} -> {label} is not c14nN -> u<base64url>")
        compressed[int(c14n[4:])] = b64url_decode(label[1:])
    body = encode([base_signature, public_key, signatures, compressed, mandatory_indexes])
    return "u" + b64url_encode(DERIVED_HEADER + body)


# --- JSON-LD plumbing (pyld: the reference engine, which also gives the canonical id map) --------


def _processor_and_options(loader):
    from lerwallet.ld import _pyld
    from lerwallet.ld.canon import _options
    from lerwallet.ld.loader import offline_loader

    return _pyld.processor_class()(safe=True), _options(loader or offline_loader(), True)


def _run(call):
    from lerwallet.ld.canon import _run_pyld

    return _run_pyld(call)


def _skolemize_expanded(nodes, random: str, counter: list[int]):
    out = []
    for element in nodes:
        if not isinstance(element, dict) or "@value" in element:
            out.append(element)
            continue
        node = {}
        for name, value in element.items():
            node[name] = (_skolemize_expanded(value, random, counter) if isinstance(value, list)
                          else _skolemize_expanded([value], random, counter)[0])
        if "@list" not in node and "@set" not in node:
            if "@id" not in node:
                node["@id"] = f"{_SKOLEM}_{random}_{counter[0]}"
                counter[0] += 1
            elif isinstance(node["@id"], str) and node["@id"].startswith("_:"):
                node["@id"] = _SKOLEM + node["@id"][2:]
        out.append(node)
    return out


def _to_deskolemized_nquads(doc, loader) -> list[str]:
    """The statements of `doc`, skolem IRIs back to blank nodes, written as canonical N-Quads
    write them (`lerwallet.ld.nquads`, RDFC-1.0's escaping): they are matched line for line
    against the canonical form, so pyld's own writer (another escaping for control characters)
    would make a base proof with such a character unusable."""
    from lerwallet.ld import nquads

    processor, options = _processor_and_options(loader)
    dataset = _run(lambda: processor.to_rdf(copy.deepcopy(doc), options))
    lines = sorted(nquads.serialize_nquad(triple, None if graph == "@default" else graph)
                   for graph, triples in dataset.items() for triple in triples)
    return [_SKOLEM_IRI.sub(lambda m: "_:" + m.group(1), line) for line in dict.fromkeys(lines)]


def _canonicalize_with_map(nquads: list[str]) -> tuple[list[str], dict[str, str]]:
    """RDFC-1.0 over N-Quads: (canonical lines, input label -> c14n label, both without '_:')."""
    from lerwallet.ld import _pyld
    from lerwallet.ld import nquads as _nquads

    algo = _pyld.bounded_urdna2015()()  # the RDFC-1.0 work limit: a poison graph fails fast
    # Neutral labels first: pyld would keep an input label that looks canonical ("_:c14n5").
    # lerwallet's reader: pyld's undoes only its own escapes, not RDFC-1.0's (`\u0007`).
    try:
        parsed = _nquads.parse("".join(nquads))
    except ValueError as exc:
        raise DisclosureError(f"the credential's statements do not read back: {exc}") from None
    dataset, names = _pyld.neutral_labels(parsed)
    text = algo.main(dataset, {"format": "application/n-quads"})
    original = {new: old for old, new in names.items()}
    mapping = {original[k][2:]: v[2:] for k, v in algo.canonical_issuer.existing.items()}
    return [line + "\n" for line in text.splitlines() if line], mapping


def _relabel(lines: list[str], label_map: dict[str, str]) -> list[str]:
    def swap(m: re.Match) -> str:
        return "_:" + label_map[m.group(1)]

    return [_BLANK.sub(swap, line) for line in lines]


def _hmac_label_map(hmac_key: bytes, canonical_id_map: dict[str, str]) -> dict[str, str]:
    return {inp: "u" + b64url_encode(crypto.hmac_sha256(hmac_key, c14n.encode("utf-8")))
            for inp, c14n in canonical_id_map.items()}


# --- JSON Pointer selection (Data Integrity "selectJsonLd") ---------------------------------------


def parse_pointer(pointer: str) -> list[str]:
    if not isinstance(pointer, str) or (pointer and not pointer.startswith("/")):
        raise DisclosureError(f"{pointer!r} is not a JSON Pointer", hint="pointers look like /credentialSubject/name")
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]] if pointer else []


def _initial_selection(source: dict) -> dict:
    selection = {}
    if isinstance(source.get("id"), str) and not source["id"].startswith("_:"):
        selection["id"] = source["id"]
    if "type" in source:
        selection["type"] = source["type"]
    return selection


class _Hole:
    pass


_HOLE = _Hole()


def _step(container, key: str):
    if isinstance(container, list):
        if not key.isdigit() or int(key) >= len(container):
            return _HOLE, None
        return container[int(key)], int(key)
    if isinstance(container, dict) and key in container:
        return container[key], key
    return _HOLE, None


def select_json_ld(document: dict, pointers: list[str]) -> dict | None:
    """The smallest document holding what `pointers` name, with every id and type on the way."""
    if not pointers:
        return None
    arrays: list[list] = []
    selection = {"@context": copy.deepcopy(document.get("@context")), **_initial_selection(document)}
    for pointer in pointers:
        paths = parse_pointer(pointer)
        if not paths:
            raise DisclosureError("the empty pointer selects the whole document; name fields instead")
        value, selected_parent, selected_value = document, None, selection
        key = None
        for path in paths:
            selected_parent = selected_value
            value, key = _step(value, path)
            if value is _HOLE:
                raise DisclosureError(f"{pointer} names nothing in this credential",
                                      hint="list its fields with: lerwallet show ID --json")
            if isinstance(selected_parent, list):
                while len(selected_parent) <= key:
                    selected_parent.append(_HOLE)
                selected_value = selected_parent[key]
            else:
                selected_value = selected_parent.get(key, _HOLE)
            if selected_value is _HOLE:
                if isinstance(value, list):
                    selected_value = []
                    arrays.append(selected_value)
                else:
                    selected_value = _initial_selection(value) if isinstance(value, dict) else value
                selected_parent[key] = selected_value
        if isinstance(value, dict):
            merged = dict(selected_value) if isinstance(selected_value, dict) else {}
            merged.update(copy.deepcopy(value))
            selected_value = merged
        else:
            selected_value = copy.deepcopy(value)
        selected_parent[key] = selected_value
    for array in arrays:
        array[:] = [item for item in array if item is not _HOLE]
    return selection


# --- canonicalize and group -------------------------------------------------------------------


def _canonicalize_and_group(document: dict, hmac_key: bytes, groups: dict[str, list[str]], loader,
                            label_map_fn=None):
    """(sorted HMAC-labelled N-Quads, input label -> HMAC label, {group: (matching, non-matching,
    the group's deskolemized N-Quads)}), matching / non-matching as {index: N-Quad}.

    `label_map_fn(canonical id map) -> input label -> new label` replaces the blank-node labels;
    the default is ecdsa-sd-2023's "u" + base64url(HMAC) labels, bbs-2023 passes its shuffled
    "b<rank>" labels (`bbs2023_derive`)."""
    from lerwallet.ld import expand

    processor, options = _processor_and_options(loader)
    expanded = expand(document, loader)
    skolemized = _skolemize_expanded(expanded, b64url_encode(crypto.random_bytes(12)).replace("-", "x").replace("_", "y"), [0])
    compact = _run(lambda: processor.compact(copy.deepcopy(skolemized), {"@context": document.get("@context")}, options))
    compact["@context"] = copy.deepcopy(document.get("@context"))
    canonical, id_map = _canonicalize_with_map(_to_deskolemized_nquads(skolemized, loader))
    label_map = label_map_fn(id_map) if label_map_fn else _hmac_label_map(hmac_key, id_map)
    c14n_to_new = {c14n: label_map[inp] for inp, c14n in id_map.items()}
    nquads = sorted(_relabel(canonical, c14n_to_new))
    out = {}
    for name, pointers in groups.items():
        selected = select_json_ld(compact, pointers)
        desk = _to_deskolemized_nquads(selected, loader) if selected is not None else []
        try:
            chosen = set(_relabel(desk, label_map))
        except KeyError:
            raise DisclosureError("the selection does not line up with the credential's graph") from None
        matching = {i: q for i, q in enumerate(nquads) if q in chosen}
        non_matching = {i: q for i, q in enumerate(nquads) if q not in chosen}
        out[name] = (matching, non_matching, desk)
    return nquads, label_map, out


def _proof_hash(proof_config: dict, context, loader) -> bytes:
    from lerwallet.proofs.config import canonize_proof_config

    config = {k: v for k, v in proof_config.items() if k != "proofValue"}
    config["@context"] = context
    return crypto.sha256(canonize_proof_config(config, loader).encode("utf-8"))


def create_base_proof(document: dict, *, private_key: bytes, verification_method: str,
                      mandatory_pointers: list[str], created: str | None = None, loader=None,
                      hmac_key: bytes | None = None, proof_private_key: bytes | None = None,
                      unsafe_unchecked: bool = False) -> dict:
    """A copy of `document` with an ecdsa-sd-2023 base proof by a P-256 issuer key.

    `hmac_key` and `proof_private_key` default to fresh random ones (tests pass the W3C vectors')."""
    if not isinstance(document, dict) or "@context" not in document:
        raise UsageError("only a JSON-LD document with an @context can carry a Data Integrity proof")
    if not unsafe_unchecked:
        from lerwallet.proofs.prepare import check_before_signing

        check_before_signing(document, verification_method=verification_method)
    from lerwallet.proofs.suites import _data_integrity_contexts

    doc = copy.deepcopy(document)
    doc.pop("proof", None)
    contexts = doc["@context"] if isinstance(doc["@context"], list) else [doc["@context"]]
    extra = _data_integrity_contexts(contexts)
    if extra:
        doc["@context"] = contexts + extra
    proof = {"type": "DataIntegrityProof", "cryptosuite": SUITE,
             "created": created or iso(),
             "verificationMethod": verification_method, "proofPurpose": "assertionMethod"}
    hmac_key = hmac_key or crypto.random_bytes(32)
    proof_private_key = proof_private_key or crypto.generate_private_key("p256")
    nquads, _, groups = _canonicalize_and_group(doc, hmac_key, {"mandatory": list(mandatory_pointers)}, loader)
    mandatory, non_mandatory, _ = groups["mandatory"]
    proof_public = P256_MULTICODEC + crypto.public_key_of("p256", proof_private_key)
    signatures = [crypto.sign("p256", proof_private_key, q.encode("utf-8")) for q in non_mandatory.values()]
    mandatory_hash = crypto.sha256("".join(mandatory.values()).encode("utf-8"))
    to_sign = _proof_hash(proof, doc["@context"], loader) + proof_public + mandatory_hash
    base_signature = crypto.sign("p256", private_key, to_sign)
    proof["proofValue"] = serialize_base(BaseProof(base_signature, proof_public, hmac_key, signatures,
                                                   list(mandatory_pointers)))
    doc["proof"] = proof
    return doc


def verify_base(canonical, proof: dict, key_type: str, public_key: bytes) -> None:
    """Check a base proof as its holder can (W3C vc-di-ecdsa: the issuer signed the mandatory
    N-Quads and the proof-scoped key; that key signed every other N-Quad). `SuiteFailure` if not.

    A base credential is the learner's own copy: it verifies so it can be imported, and it is
    never shared as it is (present derives from it)."""
    from lerwallet.proofs.suites import SuiteFailure

    if key_type != "p256":
        raise SuiteFailure("key_type_mismatch", f"ecdsa-sd-2023 is signed with P-256 keys, not {key_type}")
    base = parse_base(proof.get("proofValue"))
    try:
        _, _, groups = _canonicalize_and_group(canonical.unsecured, base.hmac_key,
                                               {"mandatory": base.mandatory_pointers}, canonical.loader)
    except DisclosureError as exc:
        raise SuiteFailure("invalid_signature", f"the base proof's mandatory pointers do not fit the document: {exc.message}") from None
    mandatory, non_mandatory, _ = groups["mandatory"]
    if len(base.signatures) != len(non_mandatory):
        raise SuiteFailure("invalid_signature", f"{len(base.signatures)} statement signatures for "
                           f"{len(non_mandatory)} statements: the document was changed")
    to_sign = (_proof_hash(proof, canonical.unsecured.get("@context"), canonical.loader) + base.public_key
               + crypto.sha256("".join(mandatory.values()).encode("utf-8")))
    try:
        if not crypto.verify("p256", public_key, to_sign, base.base_signature):
            raise SuiteFailure("invalid_signature", "issuer signature does not match the mandatory data")
        statement_key = base.public_key[len(P256_MULTICODEC):]
        if not all(crypto.verify("p256", statement_key, q.encode("utf-8"), sig)
                   for q, sig in zip(non_mandatory.values(), base.signatures)):
            raise SuiteFailure("invalid_signature", "a statement does not match its signature")
    except crypto.BadKey as exc:
        raise MalformedValue(f"bad key in the base proof: {exc}") from None


@dataclass
class Derived:
    document: dict  # the reveal document with its derived proof
    mandatory_pointers: list[str]
    revealed_statements: int
    withheld_statements: int


def _sd_proof(document: dict) -> dict:
    proofs = document.get("proof")
    proofs = proofs if isinstance(proofs, list) else [proofs]
    found = [p for p in proofs if isinstance(p, dict) and p.get("cryptosuite") == SUITE]
    if len(found) != 1:
        raise DisclosureError("this credential has no single ecdsa-sd-2023 proof to derive from")
    return found[0]


def derive(document: dict, selective_pointers: list[str], *, loader=None) -> Derived:
    """The reveal document (mandatory + `selective_pointers`) with a derived proof."""
    proof = _sd_proof(document)
    base = parse_base(proof.get("proofValue"))
    for pointer in selective_pointers:
        parse_pointer(pointer)
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    combined = base.mandatory_pointers + [p for p in selective_pointers if p not in base.mandatory_pointers]
    if not combined:
        raise DisclosureError("nothing to disclose: the credential has no mandatory fields and none was chosen",
                              hint="name fields with --disclose /credentialSubject/...")
    nquads, label_map, groups = _canonicalize_and_group(
        unsecured, base.hmac_key,
        {"mandatory": base.mandatory_pointers, "selective": list(selective_pointers), "combined": combined}, loader)
    mandatory_match, mandatory_non_match, _ = groups["mandatory"]
    selective_match = groups["selective"][0]
    combined_match, _, combined_desk = groups["combined"]
    if len(base.signatures) != len(mandatory_non_match):
        raise DisclosureError("the base proof does not fit this credential (statement count differs): "
                              "it was changed after it was issued")
    combined_indexes = list(combined_match)
    mandatory_indexes = [combined_indexes.index(i) for i in mandatory_match]
    non_mandatory_indexes = list(mandatory_non_match)
    signatures = [s for s, i in zip(base.signatures, non_mandatory_indexes) if i in selective_match]
    reveal = select_json_ld(unsecured, combined)
    _, reveal_id_map = _canonicalize_with_map(combined_desk)
    verifier_label_map = {c14n: label_map[inp] for inp, c14n in reveal_id_map.items()}
    derived_proof = {k: v for k, v in proof.items() if k != "proofValue"}
    derived_proof["proofValue"] = serialize_derived(base.base_signature, base.public_key, signatures,
                                                    verifier_label_map, mandatory_indexes)
    reveal["proof"] = derived_proof
    return Derived(reveal, list(base.mandatory_pointers), len(combined_match), len(nquads) - len(combined_match))


def is_base_credential(document) -> bool:
    """Whether the credential carries an ecdsa-sd-2023 base proof (one a holder derives from)."""
    from lerwallet.proofs.holder_copy import carries_base_proof

    return carries_base_proof(document, SUITE, lambda value: decode_proof_value(value, "u").startswith(BASE_HEADER))
