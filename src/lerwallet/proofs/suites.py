"""The proof suites lerwallet knows, registered the same way, looked up by (type, cryptosuite).

A suite turns (unsecured document, proof configuration) into the bytes that are signed,
and knows which key types and proofValue encoding it uses. Everything else (purpose,
resolution, controller checks) is shared by `lerwallet.proofs.verify`.
"""

from __future__ import annotations

import hashlib
import json
from typing import Callable, Protocol

from lerwallet import crypto
from lerwallet.structs import Frozen

DATA_INTEGRITY_PROOF = "DataIntegrityProof"
CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
DATA_INTEGRITY_V1 = "https://w3id.org/security/data-integrity/v1"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
ED25519_2020_V1 = "https://w3id.org/security/suites/ed25519-2020/v1"


class SuiteFailure(Exception):
    """A named reason a proof does not verify (turned into a ProofResult, never escapes)."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def _check_signature(key_type: str, public_key: bytes, data: bytes, signature: bytes,
                     legacy_data: Callable[[], bytes | None] | None = None) -> None:
    """The signature over `data` verifies under the key; SuiteFailure naming why when not.

    `legacy_data`, if given, is asked only after the signature failed: the same signed data
    with canonical N-Quads in rdf-canonize 3's spelling (`lerwallet.ld.nquads`), or None when
    no statement is spelled differently. One more check over it, never more."""
    try:
        ok = crypto.verify(key_type, public_key, data, signature)
    except crypto.BadKey as exc:
        raise SuiteFailure("key_type_mismatch", f"verification key is not a valid {key_type} key: {exc}") from None
    if not ok and legacy_data is not None:
        alternative = legacy_data()
        ok = alternative is not None and crypto.verify(key_type, public_key, alternative, signature)
    if not ok:
        raise SuiteFailure("invalid_signature", "signature does not match the document")


def _legacy(parts: Callable[[Canonical], tuple[Canonical, str, str]], canonical: Canonical,
            config_nquads: str, hash_name: str) -> bytes | None:
    """The signed data (hash of the proof configuration's canonical N-Quads, then the
    document's) with both canonicalized in rdf-canonize 3's spelling (jsonld.js 8, the
    reference stack's first generation), or None:
    - when neither RDFC-1.0 text holds a character the two spellings write differently (then
      the bytes are the same, and a second check could not change the verdict);
    - when an IRI holds a backslash: rdf-canonize 3 writes IRIs as they are, so an id holding
      the six characters `\u003C` comes out as RDFC-1.0 writes an id holding `<`, the same
      bytes for two graphs (`nquads.legacy_ambiguous`). A signature is never accepted over
      text that also spells another graph.
    `parts(canonical)` gives (the document as signed, proof configuration N-Quads, hash)."""
    from lerwallet.ld import nquads
    from lerwallet.ld.errors import LDError

    texts = (config_nquads, canonical.nquads(hash_name))
    if not any(nquads.differs(t) for t in texts) or any(nquads.legacy_ambiguous(t) for t in texts):
        return None
    with nquads.legacy():
        try:
            document, config_text, hash_name = parts(Canonical(canonical.unsecured, canonical.loader))
            return hashlib.new(hash_name, config_text.encode("utf-8")).digest() + document.digest(hash_name)
        except LDError:
            return None  # e.g. N-Quads that do not read back for another RDFC-1.0 hash


class Canonical:
    """Lazily computed canonical forms of one unsecured document, shared by its proofs.

    RDFC-1.0 is parameterised by its internal hash: ecdsa-rdfc-2019 with P-384 uses
    SHA-384, which changes blank-node labels (the W3C P-384 "employ" vector has three).
    """

    def __init__(self, unsecured: dict, loader) -> None:
        self.unsecured = unsecured
        self.loader = loader
        self._nquads: dict[str, str] = {}
        self._hashes: dict[str, bytes] = {}

    def nquads(self, rdfc_hash: str = "sha256") -> str:
        if rdfc_hash not in self._nquads:
            if rdfc_hash == "sha256":
                from lerwallet.ld import canonize

                self._nquads[rdfc_hash] = canonize(self.unsecured, self.loader)
            else:
                self._nquads[rdfc_hash] = relabel(self.nquads("sha256"), rdfc_hash)
        return self._nquads[rdfc_hash]

    def digest(self, hash_name: str) -> bytes:
        """hash_name(canonical N-Quads made with the same hash inside RDFC-1.0)."""
        if hash_name not in self._hashes:
            data = self.nquads(hash_name).encode("utf-8")
            self._hashes[hash_name] = hashlib.new(hash_name, data).digest()
        return self._hashes[hash_name]


def relabel(nquads: str, rdfc_hash: str) -> str:
    """Re-run RDFC-1.0 with another internal hash over already canonical N-Quads.

    Without blank nodes the labels cannot change. Otherwise pyld's URDNA2015 runs again with
    `rdfc_hash` inside, under the same work limit as the first canonicalization
    (`canonicalization_limit`: a poison graph costs milliseconds here too, issue #10). It must
    first reproduce the SHA-256 input byte for byte, so the round trip through N-Quads is
    known to be exact for this document.
    """
    if "_:" not in nquads:
        return nquads
    from lerwallet.ld import _pyld
    from lerwallet.ld.errors import CanonicalizationLimit, LDError

    try:
        if _pyld.urdna2015_nquads(nquads, "sha256") != nquads:
            raise LDError(f"cannot canonicalize this document with RDFC-1.0/{rdfc_hash}")
        return _pyld.urdna2015_nquads(nquads, rdfc_hash)
    except CanonicalizationLimit:
        raise
    except (SyntaxError, ValueError) as exc:
        raise LDError(f"cannot canonicalize with RDFC-1.0/{rdfc_hash}: {exc}") from None


class Suite(Protocol):
    name: str
    proof_type: str
    cryptosuite: str | None
    key_types: tuple[str, ...]

    def verify(self, canonical: Canonical, proof: dict, key_type: str, public_key: bytes) -> None:
        """Return if the proof verifies; raise `SuiteFailure` otherwise."""

    def required_contexts(self, contexts: list) -> list[str]:
        """Context URLs signing must add to a document that has `contexts`."""


def _no_contexts(contexts: list) -> list[str]:
    return []


class RdfcSuite(Frozen):
    """Sign/verify over hash(canonical proof config) || hash(canonical document) (RDFC-1.0).

    Shared by eddsa-rdfc-2022, ecdsa-rdfc-2019 and Ed25519Signature2020: they differ only in
    naming, key types, the hash for P-384 and which context a signer must add.
    """

    FIELDS = ("name", "proof_type", "cryptosuite", "key_types", "context_rule")

    def __init__(self, name: str, proof_type: str, cryptosuite: str | None, key_types: tuple[str, ...],
                 context_rule: Callable[[list], list[str]] = _no_contexts) -> None:
        self._set(name=name, proof_type=proof_type, cryptosuite=cryptosuite, key_types=key_types, context_rule=context_rule)

    def required_contexts(self, contexts: list) -> list[str]:
        return self.context_rule(contexts)

    @staticmethod
    def hash_name(key_type: str) -> str:
        return "sha384" if key_type == "p384" else "sha256"

    # Members of the proof left out of the signed proof configuration.
    unsigned_members = ("proofValue",)

    def verify_data(self, canonical: Canonical, proof: dict, key_type: str) -> bytes:
        return self._verify_data(canonical, proof, key_type)[0]

    def _verify_data(self, canonical: Canonical, proof: dict, key_type: str) -> tuple[bytes, Callable[[], bytes | None]]:
        """(the signed data, a function giving it in rdf-canonize 3's spelling or None: see _legacy)."""
        document, config_nquads, hash_name = self._parts(canonical, proof, key_type)
        data = hashlib.new(hash_name, config_nquads.encode("utf-8")).digest() + document.digest(hash_name)

        def legacy() -> bytes | None:
            return _legacy(lambda c: self._parts(c, proof, key_type), document, config_nquads, hash_name)

        return data, legacy

    def _parts(self, canonical: Canonical, proof: dict, key_type: str) -> tuple[Canonical, str, str]:
        """(the document as the proof covers it, the proof configuration's N-Quads, the hash)."""
        from lerwallet.proofs.config import canonize_proof_config

        config = {k: v for k, v in proof.items() if k not in self.unsigned_members}
        if "@context" in proof:
            canonical = _with_proof_context(canonical, proof["@context"])
        else:
            config["@context"] = canonical.unsecured.get("@context")
        return canonical, canonize_proof_config(config, canonical.loader), self.hash_name(key_type)

    def verify(self, canonical: Canonical, proof: dict, key_type: str, public_key: bytes) -> None:
        from lerwallet.proofs.encoding import decode_proof_value

        signature = decode_proof_value(proof.get("proofValue"), "z")
        expected = 96 if key_type == "p384" else 64
        if len(signature) != expected:
            from lerwallet.proofs.encoding import MalformedValue

            raise MalformedValue(f"proofValue decodes to {len(signature)} bytes, want {expected}")
        data, legacy = self._verify_data(canonical, proof, key_type)
        _check_signature(key_type, public_key, data, signature, legacy)

    def sign_value(self, canonical: Canonical, proof: dict, key_type: str, private_key: bytes) -> str:
        from lerwallet.proofs.encoding import encode_base58btc

        return encode_base58btc(crypto.sign(key_type, private_key, self.verify_data(canonical, proof, key_type)))


class JcsSuite(Frozen):
    """eddsa-jcs-2022 (vc-di-eddsa) and ecdsa-jcs-2019 (vc-di-ecdsa): sign/verify over
    hash(JCS(proof configuration)) || hash(JCS(document)), RFC 8785 instead of RDFC-1.0.

    The signer copies the document's `@context` into the proof; the proof configuration is
    the proof without `proofValue`, exactly as it stands (as @digitalbazaar's jcs
    cryptosuites verify it). A proof `@context` must be a prefix of the document's, and the
    document is then hashed with the proof's `@context` (the Verify Proof algorithm).
    SHA-384 for P-384 keys, SHA-256 otherwise. The signature covers the JSON itself, so no
    context is loaded to check it.
    """

    FIELDS = ("name", "proof_type", "cryptosuite", "key_types")
    proof_takes_document_context = True

    def __init__(self, name: str, proof_type: str, cryptosuite: str, key_types: tuple[str, ...]) -> None:
        self._set(name=name, proof_type=proof_type, cryptosuite=cryptosuite, key_types=key_types)

    def required_contexts(self, contexts: list) -> list[str]:
        return _data_integrity_contexts(contexts)

    def verify_data(self, canonical: Canonical, proof: dict, key_type: str) -> bytes:
        from lerwallet.proofs.encoding import MalformedValue
        from lerwallet.proofs.jcs import JcsError, canonicalize

        document = canonical.unsecured
        if "@context" in proof:
            document = _with_proof_context(canonical, proof["@context"]).unsecured
        config = {k: v for k, v in proof.items() if k != "proofValue"}
        hash_name = RdfcSuite.hash_name(key_type)
        try:
            config_bytes, document_bytes = canonicalize(config), canonicalize(document)
        except JcsError as exc:
            raise MalformedValue(str(exc)) from None
        return hashlib.new(hash_name, config_bytes).digest() + hashlib.new(hash_name, document_bytes).digest()

    def _verify_data(self, canonical: Canonical, proof: dict, key_type: str) -> tuple[bytes, None]:
        return self.verify_data(canonical, proof, key_type), None  # JSON: one spelling only

    def verify(self, canonical: Canonical, proof: dict, key_type: str, public_key: bytes) -> None:
        RdfcSuite.verify(self, canonical, proof, key_type, public_key)  # same proofValue rules

    def sign_value(self, canonical: Canonical, proof: dict, key_type: str, private_key: bytes) -> str:
        return RdfcSuite.sign_value(self, canonical, proof, key_type, private_key)


class Ed25519Signature2018Suite(RdfcSuite):
    """Ed25519Signature2018 (verify only): the RDFC-1.0 verify data of jsonld-signatures
    (SHA-256 of the canonical proof options, without `jws`, `signatureValue` and
    `proofValue`, then of the canonical document) signed as a detached JWS with
    `{"alg":"EdDSA","b64":false,"crit":["b64"]}` (RFC 7797): the signing input is
    ASCII(BASE64URL(header)) || "." || verify data, the payload part of `jws` is empty.
    """

    unsigned_members = ("proofValue", "jws", "signatureValue")

    def verify(self, canonical: Canonical, proof: dict, key_type: str, public_key: bytes) -> None:
        from lerwallet.proofs.encoding import MalformedValue

        _check_2018_contexts(canonical.unsecured.get("@context"))
        if "proofValue" in proof:
            raise MalformedValue("an Ed25519Signature2018 proof carries its signature in jws, not proofValue")
        encoded_header, signature = _detached_jws(proof.get("jws"))
        prefix = encoded_header.encode("ascii") + b"."
        data, legacy = self._verify_data(canonical, proof, key_type)

        def legacy_jws() -> bytes | None:
            alternative = legacy()
            return None if alternative is None else prefix + alternative

        _check_signature(key_type, public_key, prefix + data, signature, legacy_jws)

    def sign_value(self, canonical, proof, key_type, private_key):  # pragma: no cover - verify only
        raise SuiteFailure("unsupported", "Ed25519Signature2018 is verify-only in lerwallet")


_ED2018_COMPATIBLE = (
    "https://www.w3.org/2018/credentials/v1", "https://w3id.org/security/v2",
    "https://w3id.org/security/suites/ed25519-2018/v1", ED25519_2020_V1,
)


def _check_2018_contexts(context) -> None:
    """The document must name a context that defines Ed25519Signature2018, as the reference
    suite requires (it ignores the proof otherwise); the 2018 suite context next to
    credentials/v1 or security/v2 redefines protected terms, which it also refuses."""
    urls = context if isinstance(context, list) else [context]
    urls = [u for u in urls if isinstance(u, str)]
    suite = "https://w3id.org/security/suites/ed25519-2018/v1"
    if suite in urls and (_ED2018_COMPATIBLE[0] in urls or _ED2018_COMPATIBLE[1] in urls):
        raise SuiteFailure("suite_context_conflict", "the ed25519-2018/v1 context cannot be combined with "
                           "credentials/v1 or security/v2 (both define Ed25519Signature2018)")
    if not any(u in urls for u in _ED2018_COMPATIBLE):
        raise SuiteFailure("suite_context_missing", "the document's @context does not define Ed25519Signature2018 "
                           "(credentials/v1, security/v2 or the ed25519-2018/v1 suite context is needed)")


_JWS_HEADER_2018 = {"alg": "EdDSA", "b64": False, "crit": ["b64"]}


def _detached_jws(jws) -> tuple[str, bytes]:
    """Split a detached JWS `header..signature`; the header must be exactly the 2018 one."""
    import base64

    from lerwallet.jsonutil import loads_untrusted
    from lerwallet.proofs.encoding import MalformedValue

    if not isinstance(jws, str) or len(jws) > 1024:
        raise MalformedValue("an Ed25519Signature2018 proof needs a jws (a detached JWS string)")
    parts = jws.split(".")
    if len(parts) != 3 or parts[1] != "":
        raise MalformedValue("jws is not a detached JWS (header..signature, with an empty payload)")

    def b64url(text: str, what: str) -> bytes:
        if not text or any(c not in _B64URL for c in text) or len(text) % 4 == 1:
            raise MalformedValue(f"jws {what} is not unpadded base64url")
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

    try:
        header = loads_untrusted(b64url(parts[0], "header"))
    except MalformedValue:
        raise
    except Exception:
        raise MalformedValue("jws header is not JSON") from None
    if header != _JWS_HEADER_2018 or [type(header.get("b64"))] != [bool]:
        raise MalformedValue('jws header must be exactly {"alg":"EdDSA","b64":false,"crit":["b64"]} '
                             "(a detached, unencoded-payload Ed25519 JWS)")
    signature = b64url(parts[2], "signature")
    if len(signature) != 64:
        raise MalformedValue(f"jws signature decodes to {len(signature)} bytes, want 64")
    return parts[0], signature


_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _with_proof_context(canonical: Canonical, proof_context) -> Canonical:
    """The document as a proof that carries its own @context covers it.

    W3C Data Integrity (vc-di-eddsa / vc-di-ecdsa "Verify Proof", step 4): the secured
    document's @context must start with the proof's @context entries, in order; the
    unsecured document is then processed with the proof's @context, and so is the proof
    configuration (jsonld-signatures canonizes `{"@context": document's, ...proof}`, so the
    proof's own @context wins there too).
    """
    proof_list = proof_context if isinstance(proof_context, list) else [proof_context]
    doc_context = canonical.unsecured.get("@context")
    doc_list = doc_context if isinstance(doc_context, list) else [doc_context]
    if not proof_list or len(proof_list) > len(doc_list) or any(
        json.dumps(p, sort_keys=True) != json.dumps(d, sort_keys=True) for p, d in zip(proof_list, doc_list)
    ):
        raise SuiteFailure(
            "proof_context_mismatch", "the document's @context does not start with the proof's @context"
        )
    if proof_list == doc_list:
        return canonical
    return Canonical(dict(canonical.unsecured, **{"@context": proof_context}), canonical.loader)


def _data_integrity_contexts(contexts: list) -> list[str]:
    """VC 2.0 defines DataIntegrityProof; a VC 1.1 document needs the data-integrity context."""
    if CREDENTIALS_V2 in contexts or DATA_INTEGRITY_V2 in contexts or DATA_INTEGRITY_V1 in contexts:
        return []
    return [DATA_INTEGRITY_V2]


def _ed25519_2020_contexts(contexts: list) -> list[str]:
    """The reference signer always adds the suite context, for VC 1.1 and 2.0 alike."""
    return [] if ED25519_2020_V1 in contexts else [ED25519_2020_V1]


EDDSA_RDFC_2022 = RdfcSuite(
    "eddsa-rdfc-2022", DATA_INTEGRITY_PROOF, "eddsa-rdfc-2022", ("ed25519",), _data_integrity_contexts
)
ECDSA_RDFC_2019 = RdfcSuite(
    "ecdsa-rdfc-2019", DATA_INTEGRITY_PROOF, "ecdsa-rdfc-2019", ("p256", "p384"), _data_integrity_contexts
)
ED25519_SIGNATURE_2020 = RdfcSuite(
    "Ed25519Signature2020", "Ed25519Signature2020", None, ("ed25519",), _ed25519_2020_contexts
)
EDDSA_JCS_2022 = JcsSuite("eddsa-jcs-2022", DATA_INTEGRITY_PROOF, "eddsa-jcs-2022", ("ed25519",))
ECDSA_JCS_2019 = JcsSuite("ecdsa-jcs-2019", DATA_INTEGRITY_PROOF, "ecdsa-jcs-2019", ("p256", "p384"))
ED25519_SIGNATURE_2018 = Ed25519Signature2018Suite(
    "Ed25519Signature2018", "Ed25519Signature2018", None, ("ed25519",)
)


def _ecdsa_sd_2023():
    from lerwallet.proofs.ecdsa_sd import ECDSA_SD_2023

    return ECDSA_SD_2023


def _bbs_2023():
    from lerwallet.proofs.bbs2023 import BBS_2023

    return BBS_2023


_REGISTRY: dict[tuple[str, str | None], object] = {
    (DATA_INTEGRITY_PROOF, "eddsa-rdfc-2022"): EDDSA_RDFC_2022,
    (DATA_INTEGRITY_PROOF, "ecdsa-rdfc-2019"): ECDSA_RDFC_2019,
    ("Ed25519Signature2020", None): ED25519_SIGNATURE_2020,
    ("Ed25519Signature2018", None): ED25519_SIGNATURE_2018,
    (DATA_INTEGRITY_PROOF, "ecdsa-sd-2023"): _ecdsa_sd_2023,
    (DATA_INTEGRITY_PROOF, "bbs-2023"): _bbs_2023,
    (DATA_INTEGRITY_PROOF, "eddsa-jcs-2022"): EDDSA_JCS_2022,
    (DATA_INTEGRITY_PROOF, "ecdsa-jcs-2019"): ECDSA_JCS_2019,
}
SIGNING_SUITES = ("eddsa-rdfc-2022", "ecdsa-rdfc-2019", "Ed25519Signature2020", "eddsa-jcs-2022", "ecdsa-jcs-2019")


def lookup(proof_type: str, cryptosuite: str | None) -> Suite | None:
    entry = _REGISTRY.get((proof_type, cryptosuite if proof_type == DATA_INTEGRITY_PROOF else None))
    if entry is not None and not isinstance(entry, (RdfcSuite, JcsSuite)) and callable(entry):
        entry = entry()  # lazily imported suite module
    return entry  # type: ignore[return-value]


def by_name(name: str) -> Suite | None:
    if name in ("Ed25519Signature2020", "Ed25519Signature2018"):
        return lookup(name, None)
    return lookup(DATA_INTEGRITY_PROOF, name)
