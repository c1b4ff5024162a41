"""The learner's identities: DIDs whose private keys live only inside the encrypted store.

An identity is one sealed record of kind "identity" (a random record id, so the DID itself never
appears in the store's plaintext). It holds the DID, a label, the method, and its keys: the
current signing key with its private part, plus, for did:web after `rotate`, retired public
keys kept in the DID document so earlier presentations still verify. The default holder is
the setting record "default_holder".

Everything this module returns (`Identity`, `PublicKey`, documents, exports with
`public_export`) is public data; the only ways out for private bytes are `signing_key` (for
the presentation signer) and `private_key` (for an explicit `did export --private`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Iterable

from lerwallet.errors import LerwalletError, NotFoundError, UsageError
from lerwallet.utc import iso

METHODS = ("key", "jwk", "web")
KEY_TYPES = ("ed25519", "p256")
KIND = "identity"
SETTING_KIND = "setting"
DEFAULT_SETTING = "default_holder"
RECORD_VERSION = 1
MAX_KEY_FILE = 64 * 1024
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}\Z")

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _stamp(clock: Clock) -> str:
    return iso(clock())


@dataclass(frozen=True)
class PublicKey:
    """One verification method of an identity: public data only."""

    id: str  # the full verification method id, e.g. did:key:z6Mk...#z6Mk...
    key_type: str
    public_multibase: str  # Multikey
    created: str
    current: bool  # the key the wallet signs with; retired keys only verify old presentations

    def to_dict(self) -> dict:
        return {"id": self.id, "key_type": self.key_type, "publicKeyMultibase": self.public_multibase,
                "created": self.created, "current": self.current}


@dataclass(frozen=True)
class Identity:
    """What listings show: never any private key material."""

    record_id: str
    name: str
    did: str
    method: str
    created: str
    keys: tuple[PublicKey, ...]
    domain: str = ""  # did:web only: HOST[:PORT][/path]
    default: bool = False
    seq: int = 0  # creation order within the wallet (timestamps have one-second resolution)

    @property
    def current_key(self) -> PublicKey:
        return next(k for k in self.keys if k.current)

    @property
    def key_type(self) -> str:
        return self.current_key.key_type

    @property
    def verification_method(self) -> str:
        return self.current_key.id

    def to_dict(self) -> dict:
        data = {"name": self.name, "did": self.did, "method": self.method, "key_type": self.key_type,
                "created": self.created, "default": self.default,
                "verification_method": self.verification_method,
                "keys": [k.to_dict() for k in self.keys]}
        if self.domain:
            from lerwallet.keys.dids import did_web_url

            data["domain"] = self.domain
            data["document_url"] = did_web_url(self.did)
        return data


# --- records ---------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    from lerwallet.identity.keyfile import b64url_encode

    return b64url_encode(data)


def _unb64(text: str) -> bytes:
    from lerwallet.identity.keyfile import b64url_decode

    return b64url_decode(text, "stored key")


def _usable(data) -> bool:
    """A record this module can read: opened, and shaped as `create` writes it."""
    return (isinstance(data, dict) and all(isinstance(data.get(k), str) for k in ("name", "did", "method", "current"))
            and isinstance(data.get("keys"), list) and all(isinstance(k, dict) for k in data["keys"])
            and any(k.get("id") == data["current"] for k in data["keys"]))


def _records(wallet) -> list[tuple[str, dict]]:
    """The readable identity records. A damaged one is skipped here (one bad record must not
    block every identity); `damaged` lists them so the CLI can say so."""
    return [(e.id, e.data) for e in wallet.entries(KIND) if e.error is None and _usable(e.data)]


def damaged(wallet) -> list[str]:
    """Record ids of identity records that fail their integrity check or do not parse."""
    return [e.id for e in wallet.entries(KIND) if e.error is not None or not _usable(e.data)]


def _default_record_id(wallet) -> str | None:
    from lerwallet.errors import IntegrityError

    if not wallet.has(SETTING_KIND, DEFAULT_SETTING):
        return None
    try:
        value = wallet.get(SETTING_KIND, DEFAULT_SETTING).get("identity")
    except (IntegrityError, AttributeError):
        return None  # a damaged setting: as if none was chosen
    return value if isinstance(value, str) else None


def _view(record_id: str, data: dict, default_id: str | None) -> Identity:
    keys = tuple(
        PublicKey(id=k["id"], key_type=k["key_type"], public_multibase=k["public"], created=k["created"],
                  current=k["id"] == data["current"])
        for k in data["keys"]
    )
    return Identity(record_id=record_id, name=data["name"], did=data["did"], method=data["method"],
                    created=data["created"], keys=keys, domain=data.get("domain", ""),
                    default=record_id == default_id, seq=int(data.get("seq", 0)))


def list_identities(wallet) -> list[Identity]:
    """Every identity, oldest first."""
    default_id = _default_record_id(wallet)
    views = [_view(rid, data, default_id) for rid, data in _records(wallet)]
    return sorted(views, key=lambda i: (i.seq, i.created, i.name))


def find(wallet, ref: str) -> Identity:
    """The identity named `ref`, or whose DID (or verification method id) is `ref`."""
    return _view(*_find_record(wallet, ref), _default_record_id(wallet))


def _find_record(wallet, ref: str) -> tuple[str, dict]:
    ref = (ref or "").strip()
    if not ref:
        raise UsageError("give an identity's name or DID")
    records = _records(wallet)
    for rid, data in records:
        if data["name"] == ref or data["did"] == ref:
            return rid, data
    for rid, data in records:
        if any(k["id"] == ref for k in data["keys"]):
            return rid, data
    raise NotFoundError(f"no identity {ref!r} in this wallet", hint="see them with: lerwallet did list")


def _by_id(wallet, record_id: str) -> Identity:
    return _view(record_id, wallet.get(KIND, record_id), _default_record_id(wallet))


def default_holder(wallet) -> Identity:
    """The identity presentations are signed with unless another is named."""
    default_id = _default_record_id(wallet)
    if default_id is None or not wallet.has(KIND, default_id):
        raise NotFoundError("this wallet has no default identity",
                            hint="create one with: lerwallet did create, then: lerwallet did use NAME")
    if default_id in damaged(wallet):
        from lerwallet.errors import IntegrityError

        raise IntegrityError(f"the default identity (record {default_id}) failed its integrity check",
                             hint=f"remove it with: lerwallet did delete {default_id}, then: lerwallet did use NAME")
    return _view(default_id, wallet.get(KIND, default_id), default_id)


def signing_key(wallet, identity: Identity | str) -> tuple[str, bytes, str]:
    """(key_type, raw private key, verification method id) of the identity's current key."""
    rid, data = _find_record(wallet, identity.did if isinstance(identity, Identity) else identity)
    key = next(k for k in data["keys"] if k["id"] == data["current"])
    return key["key_type"], _unb64(key["private"]), key["id"]


def key_for_public(wallet, key_type: str, public: bytes) -> tuple[str, bytes, str] | None:
    """(key_type, raw private key, verification method id) of the learner's key, current or
    retired, whose public key is `public` (an SD-JWT's `cnf` key); None when it is not theirs."""
    from lerwallet.keys.multikey import decode_multikey

    for _, data in _records(wallet):
        for key in data["keys"]:
            try:
                if key.get("private") and decode_multikey(key["public"]) == (key_type, public):
                    return key["key_type"], _unb64(key["private"]), key["id"]
            except Exception:  # noqa: BLE001 - an odd stored key is not this one
                continue
    return None


private_key = signing_key  # the name `did export --private` reads best with


# --- creating --------------------------------------------------------------------------------


def check_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise UsageError(
            f"invalid identity name {name!r}",
            hint="use 1-64 letters, digits and . _ @ + - (starting with a letter or digit)",
        )
    return name


def _check_choice(value: str, allowed: Iterable[str], what: str, flag: str) -> str:
    allowed = tuple(allowed)
    if value not in allowed:
        raise UsageError(f"unknown {what} {value!r}", hint=f"{flag} is one of: {', '.join(allowed)}")
    return value


def validate_create(*, method: str, key_type: str, name: str | None, domain: str | None) -> None:
    """Every check `create` makes that needs no wallet: run it before asking for a passphrase."""
    _check_choice(method, METHODS, "DID method", "--method")
    _check_choice(key_type, KEY_TYPES, "key type", "--key-type")
    if method == "web" and not domain:
        raise UsageError("did:web needs a domain", hint="add --domain HOST[/path], e.g. --domain learner.example")
    if method != "web" and domain:
        raise UsageError("--domain only applies to --method web")
    if name is not None:
        check_name(name)
    if method == "web":
        from lerwallet.identity.webhost import parse_domain

        parse_domain(domain)


def _did_and_vm(method: str, key_type: str, public: bytes, domain: str | None) -> tuple[str, str, str]:
    """(did, verification method id, normalized domain) for a new identity."""
    from lerwallet.keys import dids
    from lerwallet.keys.multikey import encode_multikey

    multikey = encode_multikey(key_type, public)
    if method == "key":
        did = dids.did_key_from_public(key_type, public)
        return did, f"{did}#{multikey}", ""
    if method == "jwk":
        did = dids.did_jwk_from_public(key_type, public)
        return did, f"{did}#0", ""
    from lerwallet.identity.webhost import parse_domain

    location = parse_domain(domain or "")
    return location.did, f"{location.did}#{multikey}", location.domain


def _auto_name(taken: set[str], method: str) -> str:
    n = 1
    while f"{method}-{n}" in taken:
        n += 1
    return f"{method}-{n}"


def create(wallet, *, method: str = "key", key_type: str = "ed25519", name: str | None = None,
           domain: str | None = None, private: bytes | None = None, make_default: bool | None = None,
           clock: Clock = _utc_now) -> Identity:
    """Make a new identity (a fresh key, or `private` for an imported one) and store it.

    All checks happen before the write: unknown method or key type, a bad or missing domain,
    a taken name, or a DID already in the wallet leave the store unchanged. The first identity
    becomes the default holder unless `make_default=False`.
    """
    from lerwallet import crypto
    from lerwallet.store.vault import new_id

    validate_create(method=method, key_type=key_type, name=name, domain=domain)
    if private is None:
        private = crypto.generate_private_key(key_type)
    public = crypto.public_key_of(key_type, private)
    did, vm_id, norm_domain = _did_and_vm(method, key_type, public, domain)
    from lerwallet.keys.multikey import encode_multikey

    with wallet.transaction():
        records = _records(wallet)
        taken = {data["name"] for _, data in records}
        for _, data in records:
            if data["did"] == did:
                raise UsageError(f"{did} is already in this wallet as {data['name']!r}")
        if name is None:
            name = _auto_name(taken, method)
        elif name in taken:
            raise UsageError(f"an identity named {name!r} already exists", hint="choose another --name")
        now = _stamp(clock)
        record = {
            "v": RECORD_VERSION, "name": name, "did": did, "method": method, "created": now,
            "seq": 1 + max((int(data.get("seq", 0)) for _, data in records), default=0),
            "current": vm_id,
            "keys": [{"id": vm_id, "key_type": key_type, "public": encode_multikey(key_type, public),
                      "private": _b64(private), "created": now}],
        }
        if norm_domain:
            record["domain"] = norm_domain
        record_id = new_id()
        wallet.put(KIND, record_id, record)
        if make_default or (make_default is None and _default_record_id(wallet) is None):
            wallet.put(SETTING_KIND, DEFAULT_SETTING, {"identity": record_id})
    return _by_id(wallet, record_id)


def import_key(wallet, data: bytes, *, method: str = "key", name: str | None = None,
               domain: str | None = None, passphrase: Callable[[], bytes] | None = None,
               clock: Clock = _utc_now) -> Identity:
    """An identity for an existing Ed25519 or P-256 private key (JWK or PKCS#8 bytes)."""
    from lerwallet.identity.keyfile import read_private_key

    _check_choice(method, METHODS, "DID method", "--method")
    key_type, private = read_private_key(data, passphrase)
    return create(wallet, method=method, key_type=key_type, name=name, domain=domain, private=private,
                  clock=clock)


# --- changing --------------------------------------------------------------------------------


def use(wallet, ref: str) -> Identity:
    """Make `ref` the default holder."""
    with wallet.transaction():
        rid, _ = _find_record(wallet, ref)
        wallet.put(SETTING_KIND, DEFAULT_SETTING, {"identity": rid})
    return _by_id(wallet, rid)


def rename(wallet, ref: str, new_name: str) -> Identity:
    check_name(new_name)
    with wallet.transaction():
        rid, data = _find_record(wallet, ref)
        if any(d["name"] == new_name and r != rid for r, d in _records(wallet)):
            raise UsageError(f"an identity named {new_name!r} already exists")
        data["name"] = new_name
        wallet.put(KIND, rid, data)
    return _by_id(wallet, rid)


def check_deletable(wallet, identity: Identity) -> None:
    """`UsageError` when `identity` is the default holder (asked before any confirmation)."""
    if identity.record_id == _default_record_id(wallet):
        raise UsageError(
            f"{identity.name!r} is the default identity; it cannot be deleted",
            hint="make another the default first: lerwallet did use NAME",
        )


def find_damaged(wallet, ref: str) -> str | None:
    """The damaged identity record whose id is, or uniquely starts with, `ref` (6+ characters)."""
    ref = (ref or "").strip()
    matches = [rid for rid in damaged(wallet) if rid.startswith(ref)] if len(ref) >= 6 else []
    return matches[0] if len(matches) == 1 else None


def delete_damaged(wallet, record_id: str) -> None:
    """Delete a damaged identity record: the only way to clear a record that no longer opens
    (it has no readable name or DID). The default-holder setting is cleared with it."""
    if record_id not in damaged(wallet):
        raise NotFoundError(f"no damaged identity record {record_id}")
    with wallet.transaction():
        if _default_record_id(wallet) == record_id:
            wallet.delete(SETTING_KIND, DEFAULT_SETTING)
        wallet.delete(KIND, record_id)


def delete(wallet, ref: str) -> Identity:
    """Destroy an identity and its private keys. Refused while it is the default holder."""
    with wallet.transaction():
        rid, data = _find_record(wallet, ref)
        view = _view(rid, data, _default_record_id(wallet))
        check_deletable(wallet, view)
        wallet.delete(KIND, rid)
    return view


def rotate(wallet, ref: str, *, key_type: str | None = None, clock: Clock = _utc_now) -> Identity:
    """did:web only: a new current key; the old public key stays listed, its private key is destroyed.

    Keeping the old public key in the DID document lets verifiers check presentations signed
    before the rotation. The old private key is dropped: a rotated-out key must not sign again.
    """
    from lerwallet import crypto
    from lerwallet.keys.multikey import encode_multikey

    with wallet.transaction():
        rid, data = _find_record(wallet, ref)
        if data["method"] != "web":
            raise UsageError(
                f"did:{data['method']} identities cannot rotate: the DID is the key",
                hint="create a new identity instead: lerwallet did create",
            )
        old = next(k for k in data["keys"] if k["id"] == data["current"])
        key_type = _check_choice(key_type or old["key_type"], KEY_TYPES, "key type", "--key-type")
        private = crypto.generate_private_key(key_type)
        multikey = encode_multikey(key_type, crypto.public_key_of(key_type, private))
        vm_id = f"{data['did']}#{multikey}"
        for key in data["keys"]:
            key.pop("private", None)
        data["keys"].append({"id": vm_id, "key_type": key_type, "public": multikey,
                             "private": _b64(private), "created": _stamp(clock)})
        data["current"] = vm_id
        wallet.put(KIND, rid, data)
    return _by_id(wallet, rid)


def remove_key(wallet, ref: str, key_id: str) -> Identity:
    """Stop listing a retired did:web key (presentations it signed stop verifying)."""
    with wallet.transaction():
        rid, data = _find_record(wallet, ref)
        if data["method"] != "web":
            raise UsageError(f"did:{data['method']} identities have exactly one key")
        if key_id.startswith("#"):  # the documented '#fragment' form
            wanted = data["did"] + key_id
        elif "#" in key_id:
            wanted = key_id
        else:
            wanted = f"{data['did']}#{key_id}"
        key = next((k for k in data["keys"] if k["id"] == wanted), None)
        if key is None:
            raise NotFoundError(f"{data['name']!r} has no key {key_id!r}",
                                hint=f"see its keys with: lerwallet did show {data['name']}")
        if key["id"] == data["current"]:
            raise UsageError("that is the current signing key; it cannot be removed",
                             hint=f"rotate first: lerwallet did rotate {data['name']}")
        data["keys"].remove(key)
        wallet.put(KIND, rid, data)
    return _by_id(wallet, rid)


# --- reading ---------------------------------------------------------------------------------


def document(identity: Identity) -> dict:
    """The DID document, built locally: from the DID itself (key, jwk) or the stored keys (web)."""
    from lerwallet.keys import dids
    from lerwallet.keys.multikey import decode_multikey

    if identity.method == "key":
        return dids.did_key_document(identity.did)
    if identity.method == "jwk":
        return dids.did_jwk_document(identity.did)
    keys = [decode_multikey(k.public_multibase) for k in identity.keys]
    return dids.did_web_document(identity.did, keys)


def public_export(identity: Identity) -> dict:
    """The current public key as JWK and Multikey, with the DID and verification method."""
    from lerwallet.keys.jwk import public_to_jwk
    from lerwallet.keys.multikey import decode_multikey

    key = identity.current_key
    key_type, public = decode_multikey(key.public_multibase)
    return {"name": identity.name, "did": identity.did, "verification_method": key.id,
            "key_type": key_type, "publicKeyMultibase": key.public_multibase,
            "publicKeyJwk": public_to_jwk(key_type, public)}


def encode_private(key_type: str, private: bytes, *, key_format: str, password: bytes | None) -> bytes:
    """Private key file bytes: PKCS#8 PEM (encrypted unless `password` is None) or a JWK.

    `password=None` means unencrypted and is never a default: callers spell it out.
    """
    import json

    from lerwallet import crypto
    from lerwallet.identity.keyfile import private_jwk

    if key_format == "pem":
        return crypto.private_to_pkcs8(key_type, private, password=password)
    if key_format == "jwk" and password is None:
        return (json.dumps(private_jwk(key_type, private), indent=2) + "\n").encode("ascii")
    raise UsageError(f"cannot write a {'encrypted ' if password else ''}{key_format} private key")


def private_export(identity: Identity, verification_method: str, key_type: str, private: bytes, *,
                   key_format: str, password: bytes | None) -> dict:
    """`did export --private --json`: the key file's content with what it belongs to, so a
    script gets one JSON object whatever the format (`pem` holds PKCS#8 PEM text, `jwk` the
    private JWK)."""
    import json

    encoded = encode_private(key_type, private, key_format=key_format, password=password)
    out = {"name": identity.name, "did": identity.did, "verification_method": verification_method,
           "key_type": key_type, "format": "pkcs8-pem" if key_format == "pem" else "jwk",
           "encrypted": password is not None}
    if key_format == "pem":
        out["pem"] = encoded.decode("ascii")
    else:
        out["jwk"] = json.loads(encoded)
    return out


def read_private_key(data: bytes, passphrase: Callable[[], bytes] | None = None) -> tuple[str, bytes]:
    """(key_type, private) from JWK or PKCS#8 bytes; see `keyfile.read_private_key`."""
    from lerwallet.identity.keyfile import read_private_key as _read

    return _read(data, passphrase)


def subject_ids(doc: dict) -> set[str]:
    """Every id a credential is about: credentialSubject ids (VC) and `sub` (VC-JWT claims)."""
    out: set[str] = set()
    if not isinstance(doc, dict):
        return out
    vc = doc.get("vc") if isinstance(doc.get("vc"), dict) else doc
    subjects = vc.get("credentialSubject")
    for subject in subjects if isinstance(subjects, list) else [subjects]:
        if isinstance(subject, dict) and isinstance(subject.get("id"), str):
            out.add(subject["id"])
    if isinstance(doc.get("sub"), str):
        out.add(doc["sub"])
    return out


def owner_of(identities: Iterable[Identity], doc: dict) -> Identity | None:
    """The learner's identity a credential was issued to, if any.

    A subject id matches a DID exactly, or a DID URL of it (`did#fragment`, `did?query`).
    """
    ids = subject_ids(doc)
    for identity in identities:
        if any(is_mine(identity, sid) for sid in ids):
            return identity
    return None


def belongs_to(doc: dict, identity: Identity) -> bool:
    return owner_of([identity], doc) is not None


def is_mine(identity: Identity, subject_id: str) -> bool:
    """Whether a credential subject id names this identity (its DID, or a DID URL of it)."""
    did = identity.did
    return isinstance(subject_id, str) and (
        subject_id == did or subject_id.startswith(did + "#") or subject_id.startswith(did + "?")
    )


def credentials_of(identity: Identity, records: Iterable) -> list:
    """The stored credential records (with a `summary`) whose subject is this identity.

    Reads the summary's subject id, so `list --did` decrypts no credential originals.
    """
    def subjects(record) -> list:
        summary = getattr(record, "summary", None) or {}
        ids = summary.get("subject_ids")  # every credentialSubject; older records: the first only
        return ids if isinstance(ids, list) else [summary.get("subject_id", "")]

    return [r for r in records if any(is_mine(identity, sid) for sid in subjects(r))]


__all__ = [
    "Identity", "PublicKey", "METHODS", "KEY_TYPES", "LerwalletError",
    "list_identities", "find", "default_holder", "damaged", "find_damaged", "delete_damaged", "signing_key", "private_key",
    "create", "import_key", "use", "rename", "delete", "rotate", "remove_key",
    "document", "public_export", "encode_private", "read_private_key", "validate_create",
    "check_name", "check_deletable", "subject_ids", "owner_of", "belongs_to", "is_mine", "credentials_of",
]
