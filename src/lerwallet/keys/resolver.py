"""Resolve DIDs and dereference verification methods, offline by default.

did:key and did:jwk are computed from the identifier. did:web comes from (in order) documents
injected by the caller, a local cache folder the user supplies, or, only with `online=True`,
an https fetch through `lerwallet.net`. A non-DID verification method URL (a controller
document on the web, as some Open Badges issuers use) is served the same way.

Every answer is checked: the document id must be the DID asked for, a verification method's id
must belong to that document and its controller must be the document's subject, and the key
must decode to a supported key type. Failures raise `ResolutionError` with a stable `code`.

did:web cache folder layout (see docs/dids.md): either the https URL mirrored as a path,
`<cache>/<host>[%3A<port>]/.well-known/did.json` or `<cache>/<host>/<path...>/did.json`, or a
`dids.json` map in the folder `{"did:web:...": "relative/file.json"}`.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from lerwallet.errors import EXIT_INCONCLUSIVE, LerwalletError
from lerwallet.keys.dids import (
    RELATIONSHIPS,
    DidError,
    did_jwk_document,
    did_key_document,
    did_web_url,
)
from lerwallet.keys.jwk import JwkError, jwk_to_public
from lerwallet.keys.multibase import MultibaseError, b58decode
from lerwallet.keys.multikey import MultikeyError, check_public, decode_multikey
from lerwallet.structs import Frozen

MAX_DOCUMENT_BYTES = 256 * 1024
KEY_TYPES_BY_VM_TYPE = {
    "Multikey": None,  # any supported multicodec
    "Ed25519VerificationKey2020": "ed25519",
    "Ed25519VerificationKey2018": "ed25519",
    "JsonWebKey2020": None,
    "JsonWebKey": None,
}


class ResolutionError(LerwalletError):
    """A DID or verification method that could not be resolved, with a stable `code`:
    unsupported_method, invalid_did, not_found, offline, malformed, unsupported_key_type,
    id_mismatch, controller_mismatch, network."""

    def __init__(self, code: str, message: str, *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.code = code
        if code == "offline":
            self.exit_code = EXIT_INCONCLUSIVE


class VerificationMethod(Frozen):
    FIELDS = ("id", "type", "controller", "key_type", "public_key", "jwk")

    def __init__(self, id: str, type: str, controller: str, key_type: str, public_key: bytes | None,
                 jwk: dict | None) -> None:
        # key_type: "ed25519" | "p256" | "p384" | "rsa"; public_key: raw (EC compressed), RSA: the
        # modulus (see `jwk`); jwk: the publicKeyJwk when the method carried one
        self._set(id=id, type=type, controller=controller, key_type=key_type, public_key=public_key, jwk=jwk)

    @property
    def did(self) -> str:
        return self.id.split("#", 1)[0]


def _base(url: str) -> str:
    return url.split("#", 1)[0]


def _absolute(ref: str, base: str) -> str:
    return base + ref if ref.startswith("#") else ref


def parse_verification_method(obj: dict, *, base: str) -> VerificationMethod:
    """Validate one verification method object from a document whose id is `base`."""
    if not isinstance(obj, dict):
        raise ResolutionError("malformed", "verification method is not an object")
    vm_id, vm_type, controller = obj.get("id"), obj.get("type"), obj.get("controller")
    if not isinstance(vm_id, str) or not isinstance(vm_type, str) or not isinstance(controller, str):
        raise ResolutionError("malformed", "verification method needs string id, type and controller")
    vm_id = _absolute(vm_id, base)
    if vm_type not in KEY_TYPES_BY_VM_TYPE:
        raise ResolutionError("unsupported_key_type", f"unsupported verification method type {vm_type!r}")
    jwk = None
    try:
        if vm_type in ("JsonWebKey2020", "JsonWebKey"):
            jwk = obj.get("publicKeyJwk")
            key_type, public = jwk_to_public(jwk)
        elif vm_type == "Ed25519VerificationKey2018":
            value = obj.get("publicKeyBase58")
            if not isinstance(value, str):
                raise ResolutionError("malformed", f"{vm_type} needs publicKeyBase58")
            key_type, public = "ed25519", check_public("ed25519", b58decode(value))
        else:
            value = obj.get("publicKeyMultibase")
            if not isinstance(value, str):
                raise ResolutionError("malformed", f"{vm_type} needs publicKeyMultibase")
            key_type, public = decode_multikey(value)
    except (JwkError, MultikeyError, MultibaseError) as exc:
        raise ResolutionError("malformed", f"bad key in {vm_id}: {exc}") from None
    wanted = KEY_TYPES_BY_VM_TYPE[vm_type]
    if wanted and key_type != wanted:
        raise ResolutionError("malformed", f"{vm_type} must hold an {wanted} key, not {key_type}")
    return VerificationMethod(vm_id, vm_type, controller, key_type, public, jwk)


def _candidates(doc: dict):
    """Every embedded verification method object in a DID/controller document."""
    for section in ("verificationMethod", *RELATIONSHIPS):
        entries = doc.get(section)
        if isinstance(entries, dict):
            entries = [entries]
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict):
                yield entry


MAX_METHODS = 1024  # verification methods one resolver remembers


class Resolver:
    """DID resolution and verification-method dereferencing; offline unless `online=True`."""

    def __init__(self, *, online: bool = False, did_web_cache: Path | None = None,
                 documents: dict | None = None) -> None:
        self.online = online
        self.did_web_cache = Path(did_web_cache) if did_web_cache else None
        self.documents = dict(documents or {})
        self._cache: dict[str, dict] = {}
        self._methods: dict[str, VerificationMethod] = {}  # did:key methods, see `dereference`

    # -- DID documents -------------------------------------------------------------------------

    def resolve_did(self, did: str) -> dict:
        if not isinstance(did, str) or not did.startswith("did:"):
            raise ResolutionError("invalid_did", f"not a DID: {did!r}")
        did = _base(did)
        if did in self._cache:
            return self._cache[did]
        doc = self._resolve_uncached(did)
        if not isinstance(doc, dict):
            raise ResolutionError("malformed", f"DID document for {did} is not a JSON object")
        if doc.get("id") != did:
            raise ResolutionError("id_mismatch", f"DID document id {doc.get('id')!r} is not {did}")
        self._cache[did] = doc
        return doc

    def _resolve_uncached(self, did: str) -> dict:
        if did in self.documents:
            return self.documents[did]
        method = did.split(":", 2)[1] if did.count(":") >= 2 else ""
        try:
            if method == "key":
                return did_key_document(did)
            if method == "jwk":
                return did_jwk_document(did)
            if method == "web":
                return self._resolve_web(did)
        except DidError as exc:
            raise ResolutionError("invalid_did", str(exc)) from None
        raise ResolutionError("unsupported_method", f"unsupported DID method did:{method}",
                              hint="supported: did:key, did:jwk, did:web")

    def _resolve_web(self, did: str) -> dict:
        url = did_web_url(did)
        cached = self._from_cache(did, url)
        if cached is not None:
            return cached
        if not self.online:
            raise ResolutionError("offline", f"cannot resolve {did} offline",
                                  hint="pass --online, or supply a did:web cache folder")
        return self._fetch_json(url, what=did)

    def _from_cache(self, did: str, url: str) -> dict | None:
        if self.did_web_cache is None:
            return None
        root = self.did_web_cache.resolve()
        candidates = []
        index = root / "dids.json"
        if index.is_file():
            mapping = self._read_json(index, what=str(index))
            if isinstance(mapping, dict) and isinstance(mapping.get(did), str):
                candidates.append(root / mapping[did])
        parts = urlsplit(url)
        candidates.append(root / parts.netloc.replace(":", "%3A") / parts.path.lstrip("/"))
        for path in candidates:
            path = path.resolve()
            if root not in path.parents:
                raise ResolutionError("malformed", f"did:web cache entry for {did} leaves the cache folder")
            if path.is_file():
                return self._read_json(path, what=did)
        return None

    def _read_json(self, path: Path, *, what: str):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ResolutionError("not_found", f"cannot read {path}: {exc.strerror}") from None
        return self._parse_json(data, what=what)

    @staticmethod
    def _parse_json(data: bytes, *, what: str):
        if len(data) > MAX_DOCUMENT_BYTES:
            raise ResolutionError("malformed", f"document for {what} is too large")
        from lerwallet.jsonutil import loads_untrusted  # no NaN, no traceback on deep nesting or huge numbers

        try:
            return loads_untrusted(data)
        except (ValueError, UnicodeDecodeError):
            raise ResolutionError("malformed", f"document for {what} is not valid JSON") from None

    def _fetch_json(self, url: str, *, what: str):
        from lerwallet.net import NetError, fetch_https

        try:
            data = fetch_https(url, max_bytes=MAX_DOCUMENT_BYTES, timeout=10.0,
                               accept="application/did+json, application/json")
        except NetError as exc:
            code = "not_found" if exc.code == "http_status" else "network"
            raise ResolutionError(code, f"cannot resolve {what}: {exc.message}") from None
        return self._parse_json(data, what=what)

    # -- verification methods -------------------------------------------------------------------

    def dereference(self, vm_url: str) -> VerificationMethod:
        """The verification method named by `vm_url` (a DID URL or an https URL).

        A did:key method is a pure function of its URL, so it is remembered per resolver (a
        batch from one issuer names one key 200 times; parsing it again cost a tenth of the
        signature check); failures are not, nor methods of injected `documents`, and at most
        `MAX_METHODS` are kept."""
        vm = self._methods.get(vm_url) if isinstance(vm_url, str) else None
        if vm is None:
            vm = self._dereference(vm_url)
            if vm_url.startswith("did:key:") and _base(vm_url) not in self.documents and vm_url not in self.documents:
                if len(self._methods) >= MAX_METHODS:
                    self._methods.clear()
                self._methods[vm_url] = vm
        return vm

    def _dereference(self, vm_url: str) -> VerificationMethod:
        if not isinstance(vm_url, str) or not vm_url:
            raise ResolutionError("invalid_did", "verification method must be a non-empty string")
        base = _base(vm_url)
        if vm_url in self.documents and vm_url != base:  # an injected bare verification method
            return parse_verification_method(self.documents[vm_url], base=base)
        if base.startswith("did:"):
            doc = self.resolve_did(base)
            if vm_url == base:  # a bare did:key / did:jwk means its only key
                methods = doc.get("verificationMethod") or []
                if base.startswith(("did:key:", "did:jwk:")) and len(methods) == 1:
                    vm_url = _absolute(methods[0].get("id", ""), base)
                else:
                    raise ResolutionError("not_found", f"{vm_url} names no verification method")
        else:
            doc = self._controller_document(base)
        doc_id = doc.get("id", base)
        for entry in _candidates(doc):
            if isinstance(entry.get("id"), str) and _absolute(entry["id"], doc_id) == vm_url:
                vm = parse_verification_method(entry, base=doc_id)
                break
        else:
            raise ResolutionError("not_found", f"{vm_url} is not in the document for {doc_id}")
        if vm.did != doc_id:
            raise ResolutionError("id_mismatch", f"{vm.id} does not belong to {doc_id}")
        if _absolute(vm.controller, doc_id) != doc_id:
            raise ResolutionError("controller_mismatch",
                                  f"{vm.id} is controlled by {vm.controller}, not {doc_id}")
        return vm

    def _controller_document(self, url: str) -> dict:
        if url in self._cache:
            return self._cache[url]
        if url in self.documents:
            doc = self.documents[url]
        elif not url.startswith("https://"):
            raise ResolutionError("unsupported_method", f"cannot dereference {url!r}: not a DID or https URL")
        elif not self.online:
            raise ResolutionError("offline", f"cannot fetch {url} offline", hint="pass --online")
        else:
            doc = self._fetch_json(url, what=url)
        if not isinstance(doc, dict) or doc.get("id", url) != url:
            raise ResolutionError("id_mismatch", f"controller document at {url} has id {doc.get('id')!r}"
                                  if isinstance(doc, dict) else f"controller document at {url} is not an object")
        self._cache[url] = doc
        return doc

    def is_authorized(self, vm: VerificationMethod, purpose: str) -> bool:
        """True when the controller's document lists `vm` under `purpose` (by reference or embedded)."""
        controller = _base(vm.controller)
        try:
            doc = self.resolve_did(controller) if controller.startswith("did:") \
                else self._controller_document(controller)
        except ResolutionError:
            return False
        doc_id = doc.get("id", controller)
        entries = doc.get(purpose)
        if isinstance(entries, (str, dict)):
            entries = [entries]
        for entry in entries if isinstance(entries, list) else []:
            ref = entry.get("id") if isinstance(entry, dict) else entry
            if isinstance(ref, str) and _absolute(ref, doc_id) == vm.id:
                return True
        return False
