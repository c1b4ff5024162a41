"""Build DIDs and DID documents: did:key, did:jwk (generated from the identifier) and did:web.

did:key follows the CCG did:key method (v0.7 "Document Creation Algorithm"): the verification
method id is `<did>#<multibase value>`, the key is listed under authentication,
assertionMethod, capabilityInvocation and capabilityDelegation; no keyAgreement key is derived.
did:jwk follows the did:jwk method spec: one method `<did>#0`, relationships by the JWK `use`.
did:web follows the did:web method spec: `did:web:host[%3Aport][:path...]`.
"""

from __future__ import annotations

import ipaddress
import json
import re
from urllib.parse import unquote

from lerwallet.keys.jwk import JwkError, jwk_to_public, public_to_jwk
from lerwallet.keys.multibase import MultibaseError, b64url_decode, b64url_encode
from lerwallet.keys.multikey import MultikeyError, decode_multikey, encode_multikey

DID_CONTEXT = "https://www.w3.org/ns/did/v1"
KEY_FORMAT_CONTEXTS = {
    "Multikey": "https://w3id.org/security/multikey/v1",
    "Ed25519VerificationKey2020": "https://w3id.org/security/suites/ed25519-2020/v1",
    "JsonWebKey2020": "https://w3id.org/security/suites/jws-2020/v1",
}
RELATIONSHIPS = ("authentication", "assertionMethod", "capabilityInvocation", "capabilityDelegation",
                 "keyAgreement")
_SIGNING_RELATIONSHIPS = RELATIONSHIPS[:4]


class DidError(ValueError):
    """A DID that is not well formed for its method, or names an unsupported key."""


# --- did:key ---------------------------------------------------------------------------------


def did_key_from_public(key_type: str, public: bytes) -> str:
    try:
        return "did:key:" + encode_multikey(key_type, public)
    except MultikeyError as exc:
        raise DidError(str(exc)) from None


def parse_did_key(did: str) -> tuple[str, bytes]:
    """(key_type, raw public key) named by a did:key. Rejects query, path and fragment parts."""
    if not isinstance(did, str) or not did.startswith("did:key:"):
        raise DidError("not a did:key")
    value = did[len("did:key:"):]
    if not value or any(c in value for c in ":/?#"):
        raise DidError("did:key must be 'did:key:' followed by one multibase value")
    try:
        return decode_multikey(value)
    except MultikeyError as exc:
        raise DidError(f"bad did:key: {exc}") from None


def did_key_document(did: str, *, key_format: str = "Multikey") -> dict:
    """The DID document a did:key resolves to.

    `key_format` "Multikey" (default, VC 2.0 era), "Ed25519VerificationKey2020" (for
    Ed25519Signature2020 proofs, Ed25519 only) or "JsonWebKey2020".
    """
    key_type, public = parse_did_key(did)
    value = did[len("did:key:"):]
    if key_format not in KEY_FORMAT_CONTEXTS:
        raise DidError(f"unsupported did:key publicKeyFormat {key_format!r}")
    vm = {"id": f"{did}#{value}", "type": key_format, "controller": did}
    if key_format == "JsonWebKey2020":
        vm["publicKeyJwk"] = public_to_jwk(key_type, public)
    else:
        if key_format == "Ed25519VerificationKey2020" and key_type != "ed25519":
            raise DidError("Ed25519VerificationKey2020 needs an Ed25519 did:key")
        vm["publicKeyMultibase"] = value
    doc = {"@context": [DID_CONTEXT, KEY_FORMAT_CONTEXTS[key_format]], "id": did,
           "verificationMethod": [vm]}
    for rel in _SIGNING_RELATIONSHIPS:
        doc[rel] = [vm["id"]]
    return doc


# --- did:jwk ---------------------------------------------------------------------------------


def did_jwk_from_public(key_type: str, public: bytes) -> str:
    """did:jwk of a public key; the JWK is serialized compactly with sorted members."""
    jwk = public_to_jwk(key_type, public)
    return "did:jwk:" + b64url_encode(json.dumps(jwk, separators=(",", ":"), sort_keys=True).encode())


def parse_did_jwk(did: str) -> dict:
    """The public JWK embedded in a did:jwk (validated as a supported public key)."""
    if not isinstance(did, str) or not did.startswith("did:jwk:"):
        raise DidError("not a did:jwk")
    value = did[len("did:jwk:"):]
    try:
        jwk = json.loads(b64url_decode(value).decode("utf-8"))
    except (MultibaseError, UnicodeDecodeError, ValueError) as exc:
        raise DidError(f"bad did:jwk: {exc}") from None
    if not isinstance(jwk, dict):
        raise DidError("bad did:jwk: not a JSON object")
    try:
        jwk_to_public(jwk)
    except JwkError as exc:
        raise DidError(f"bad did:jwk: {exc}") from None
    return jwk


def did_jwk_document(did: str) -> dict:
    jwk = parse_did_jwk(did)
    vm_id = did + "#0"
    doc = {"@context": [DID_CONTEXT, KEY_FORMAT_CONTEXTS["JsonWebKey2020"]], "id": did,
           "verificationMethod": [{"id": vm_id, "type": "JsonWebKey2020", "controller": did,
                                   "publicKeyJwk": jwk}]}
    use = jwk.get("use")
    rels = {"sig": _SIGNING_RELATIONSHIPS, "enc": ("keyAgreement",)}.get(use, RELATIONSHIPS)
    for rel in rels:
        doc[rel] = [vm_id]
    return doc


# --- did:web ---------------------------------------------------------------------------------

_HOST_RE = re.compile(r"(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*")
_SEGMENT_RE = re.compile(r"([A-Za-z0-9._~!$&'()*+,;=@-]|%[0-9A-Fa-f]{2})+")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def parse_did_web(did: str) -> tuple[str, int | None, list[str]]:
    """(host, port, path segments) of a did:web; raises `DidError` on anything unusual."""
    if not isinstance(did, str) or not did.startswith("did:web:"):
        raise DidError("not a did:web")
    parts = did[len("did:web:"):].split(":")
    authority, path = unquote(parts[0]), parts[1:]
    host, sep, port_text = authority.partition(":")
    if "%" in host or not _HOST_RE.fullmatch(host):
        raise DidError(f"did:web host {host!r} is not a valid domain name")
    if _is_ip(host):
        raise DidError("did:web must name a domain, not an IP address")
    port = None
    if sep:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise DidError(f"did:web port {port_text!r} is not valid")
        port = int(port_text)
    for seg in path:
        if not _SEGMENT_RE.fullmatch(seg) or unquote(seg) in (".", ".."):
            raise DidError(f"did:web path segment {seg!r} is not valid")
    return host.lower(), port, path


def did_web_url(did: str) -> str:
    """https URL of the DID document: /.well-known/did.json, or /<path>/did.json."""
    host, port, path = parse_did_web(did)
    authority = host if port is None else f"{host}:{port}"
    suffix = "/".join(path) + "/did.json" if path else ".well-known/did.json"
    return f"https://{authority}/{suffix}"


def did_web_document(did: str, keys: list[tuple[str, bytes]], *, key_format: str = "Multikey") -> dict:
    """The DID document a learner hosts for `did` (a did:web) with `keys` [(key_type, public)].

    Each key becomes `<did>#<multikey>` (or `#key-N` for JsonWebKey2020) listed under
    authentication and assertionMethod.
    """
    parse_did_web(did)
    if not keys:
        raise DidError("a did:web document needs at least one key")
    if key_format not in KEY_FORMAT_CONTEXTS:
        raise DidError(f"unsupported key format {key_format!r}")
    methods = []
    for i, (key_type, public) in enumerate(keys, 1):
        multikey = encode_multikey(key_type, public)
        if key_format == "JsonWebKey2020":
            methods.append({"id": f"{did}#key-{i}", "type": key_format, "controller": did,
                            "publicKeyJwk": public_to_jwk(key_type, public)})
        else:
            if key_format == "Ed25519VerificationKey2020" and key_type != "ed25519":
                raise DidError("Ed25519VerificationKey2020 needs Ed25519 keys")
            methods.append({"id": f"{did}#{multikey}", "type": key_format, "controller": did,
                            "publicKeyMultibase": multikey})
    ids = [m["id"] for m in methods]
    return {"@context": [DID_CONTEXT, KEY_FORMAT_CONTEXTS[key_format]], "id": did,
            "verificationMethod": methods, "authentication": list(ids),
            "assertionMethod": list(ids)}
