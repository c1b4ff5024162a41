"""Bitstring Status Lists an organisation keeps in its wallet and publishes (W3C Recommendation
"Bitstring Status List v1.0", 2025-05-15).

A list is one sealed record of kind `status-list` under a random id (so the store's plaintext
says nothing about it): `{v, name, did, purpose, size, url, created, updated, allocated, bits}`,
where `allocated` (indexes given to credentials) and `bits` (the status bits) are bitmaps, bit 0
the most significant bit of the first byte, stored zlib-compressed and base64url-encoded.

- `create`: `size` entries (at least 131,072, the Recommendation's minimum "to ensure an adequate
  amount of herd privacy", section 2.1; a multiple of 8), one `statusPurpose` (revocation or
  suspension), the URL the list credential will be served from.
- `allocate`: a uniformly random free index. Section 2.1 (`statusListIndex`): implementations
  SHOULD assign indexes randomly so that the recency of the assignment or the size of the group
  cannot be inferred from the position; section 6.5 (Decoy Values) advises the same. Sequential
  indexes would tell anyone who sees two credentials which was issued first and how many came
  between.
  Returns the `BitstringStatusListEntry` to put in the credential.
- `set_status`: revocation lists only set bits (revocation "is not reversible", section 2.1);
  suspension lists set and clear them. Only an allocated index can change: a typo cannot revoke a
  credential nobody holds.
- `publish`: the `BitstringStatusListCredential` (VC 2.0, `encodedList` = multibase base64url of
  the GZIP-compressed bitstring), signed by the list's identity.

Every change is one wallet transaction: a failure leaves the list as it was.
"""

from __future__ import annotations

import base64
import re
import zlib
from dataclasses import dataclass

from lerwallet.errors import NotFoundError, UsageError
from lerwallet.utc import iso

KIND = "status-list"
RECORD_VERSION = 1
MIN_SIZE = 131_072  # Bitstring Status List 2.1: at least 16 KB uncompressed
DEFAULT_SIZE = MIN_SIZE
MAX_SIZE = 16 * 1024 * 1024  # 2 MiB of bits: well under what verifiers accept (16 MiB decompressed)
PURPOSES = ("revocation", "suspension")
V2 = "https://www.w3.org/ns/credentials/v2"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")


@dataclass(frozen=True)
class StatusList:
    """What `status-list list` shows: public facts about a list (no bits)."""

    record_id: str
    name: str
    did: str
    purpose: str
    size: int
    url: str
    created: str
    updated: str
    allocated: int  # indexes given to credentials
    set: int  # entries whose bit is 1 (revoked or suspended)

    def to_dict(self) -> dict:
        return {"name": self.name, "issuer": self.did, "purpose": self.purpose, "size": self.size, "url": self.url,
                "created": self.created, "updated": self.updated, "allocated": self.allocated,
                "free": self.size - self.allocated, self.purpose_word: self.set}

    @property
    def purpose_word(self) -> str:
        return "revoked" if self.purpose == "revocation" else "suspended"


# --- bitmaps --------------------------------------------------------------------------------------


def _pack(bits: bytearray) -> str:
    return base64.urlsafe_b64encode(zlib.compress(bytes(bits), 9)).decode("ascii")


def _unpack(text: str, size: int) -> bytearray:
    raw = zlib.decompress(base64.urlsafe_b64decode(text.encode("ascii")), bufsize=size // 8)
    if len(raw) != size // 8:
        raise ValueError("bitmap size does not match the list size")
    return bytearray(raw)


def _get(bits: bytearray, index: int) -> int:
    return (bits[index // 8] >> (7 - index % 8)) & 1


def _put(bits: bytearray, index: int, value: int) -> None:
    mask = 1 << (7 - index % 8)
    bits[index // 8] = (bits[index // 8] | mask) if value else (bits[index // 8] & ~mask)


def _count(bits: bytearray) -> int:
    return int.from_bytes(bytes(bits), "big").bit_count()


def encoded_list(bits: bytes) -> str:
    """`encodedList`: multibase base64url (`u`, no padding) of the GZIP-compressed bitstring
    (Bitstring Status List 3.1, Generate Algorithm); mtime 0 so the same bits give the same text."""
    import gzip

    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), 9, mtime=0)).decode("ascii").rstrip("=")


# --- records --------------------------------------------------------------------------------------


def check_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise UsageError(f"invalid status list name {str(name)[:80]!r}",
                         hint="use 1-64 letters, digits and . _ - (starting with a letter or digit)")
    return name


def _records(wallet) -> list[tuple[str, dict]]:
    return [(e.id, e.data) for e in wallet.entries(KIND) if e.error is None and isinstance(e.data, dict)]


def _find(wallet, name: str) -> tuple[str, dict]:
    for rid, data in _records(wallet):
        if data.get("name") == name:
            return rid, data
    raise NotFoundError(f"no status list {name!r} in this wallet",
                        hint="see them with: lerwallet status-list list; create one with: lerwallet status-list create NAME --identity ID")


def _view(rid: str, data: dict) -> StatusList:
    size = int(data["size"])
    return StatusList(rid, data["name"], data["did"], data["purpose"], size, data["url"], data["created"],
                      data["updated"], _count(_unpack(data["allocated"], size)), _count(_unpack(data["bits"], size)))


def list_all(wallet) -> list[StatusList]:
    return sorted((_view(rid, data) for rid, data in _records(wallet)), key=lambda s: s.name)


def get(wallet, name: str) -> StatusList:
    return _view(*_find(wallet, name))


def default_url(did: str, name: str) -> str:
    """Where a did:web organisation serves the list: beside its DID document
    (`https://HOST/PATH/did.json` -> `https://HOST/PATH/status/NAME.json`; a root did:web's
    document sits in /.well-known/, the list at `https://HOST/status/NAME.json`)."""
    from lerwallet.keys.dids import did_web_url

    base = did_web_url(did).rsplit("/", 1)[0]
    if base.endswith("/.well-known"):
        base = base[: -len("/.well-known")]
    return f"{base}/status/{name}.json"


def _check_url(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme != "https" or not parts.hostname or parts.fragment or parts.username or any(c.isspace() for c in url):
        raise UsageError(f"--url {str(url)[:80]!r} is not an https URL",
                         hint="the address verifiers fetch the list from, e.g. --url https://example.org/status/badges.json")
    return url


def validate_create(name: str, *, size: int, purpose: str, url: str | None) -> None:
    """The checks that need no wallet (run before the passphrase is asked for)."""
    check_name(name)
    if purpose not in PURPOSES:
        raise UsageError(f"unknown status purpose {purpose!r}", hint=f"--purpose is one of: {', '.join(PURPOSES)}")
    if isinstance(size, bool) or not isinstance(size, int) or size < MIN_SIZE or size > MAX_SIZE or size % 8:
        raise UsageError(f"--size {size} is not a list size lerwallet makes",
                         hint=f"a multiple of 8 from {MIN_SIZE:,} (the Recommendation's minimum, for herd privacy) to {MAX_SIZE:,}")
    if url is not None:
        _check_url(url)


def create(wallet, name: str, *, identity_ref: str, size: int = DEFAULT_SIZE, purpose: str = "revocation",
           url: str | None = None) -> StatusList:
    """A new empty list for the identity `identity_ref` (it must be able to sign). `url` defaults,
    for a did:web identity, to `default_url`; other identities must name it."""
    from lerwallet.issue import signer_for
    from lerwallet.store.vault import new_id

    validate_create(name, size=size, purpose=purpose, url=url)
    signer = signer_for(wallet, identity_ref)
    if url is None:
        if signer.method != "web":
            raise UsageError(f"identity {signer.name!r} is a did:{signer.method}: say where the list will be served",
                             hint="add --url https://HOST/PATH/NAME.json (a did:web identity gets one beside its did.json)")
        url = default_url(signer.did, name)
    now = iso()
    empty = _pack(bytearray(size // 8))
    with wallet.transaction():
        if any(data.get("name") == name for _, data in _records(wallet)):
            raise UsageError(f"a status list named {name!r} already exists", hint="choose another name")
        if any(data.get("url") == url for _, data in _records(wallet)):
            raise UsageError(f"another status list is already served from {url}", hint="choose another --url")
        rid = new_id()
        record = {"v": RECORD_VERSION, "name": name, "did": signer.did, "purpose": purpose, "size": size, "url": url,
                  "created": now, "updated": now, "allocated": empty, "bits": empty}
        wallet.put(KIND, rid, record)
    return _view(rid, record)


def _random_below(n: int) -> int:
    """A uniform random integer in [0, n) from the system's CSPRNG (rejection sampling)."""
    from lerwallet import crypto

    limit = (1 << 64) // n * n
    while True:
        value = int.from_bytes(crypto.random_bytes(8), "big")
        if value < limit:
            return value % n


def _free_index(allocated: bytearray, size: int) -> int:
    for _ in range(64):  # a list mostly free: a few draws; uniform over the free indexes either way
        index = _random_below(size)
        if not _get(allocated, index):
            return index
    free = [i for i in range(size) if not _get(allocated, i)]
    if not free:
        raise ListFull()
    return free[_random_below(len(free))]


class ListFull(UsageError):
    def __init__(self, name: str = "", size: int = 0) -> None:
        super().__init__(f"status list {name!r} is full (all {size:,} entries are allocated)",
                         hint="create another list: lerwallet status-list create NAME --identity ID")


def entry(url: str, purpose: str, index: int) -> dict:
    """A `BitstringStatusListEntry` (Bitstring Status List 2.1) for `index` of the list at `url`."""
    return {"id": f"{url}#{index}", "type": "BitstringStatusListEntry", "statusPurpose": purpose,
            "statusListIndex": str(index), "statusListCredential": url}


def allocate(wallet, name: str) -> tuple[int, dict, "Allocation"]:
    """Choose a random free index of list `name`. Call inside the caller's `wallet.transaction()`
    and `commit()` the returned Allocation there: the index is taken in the same transaction
    as whatever uses it, so a failure allocates nothing."""
    rid, data = _find(wallet, name)
    size = int(data["size"])
    allocated = _unpack(data["allocated"], size)
    try:
        index = _free_index(allocated, size)
    except ListFull:
        raise ListFull(name, size) from None
    return index, entry(data["url"], data["purpose"], index), Allocation(wallet, rid, data, allocated, index)


@dataclass
class Allocation:
    wallet: object
    record_id: str
    data: dict
    allocated: bytearray
    index: int

    @property
    def did(self) -> str:
        return self.data["did"]

    def commit(self) -> None:
        _put(self.allocated, self.index, 1)
        self.wallet.put(KIND, self.record_id, dict(self.data, allocated=_pack(self.allocated), updated=iso()))


ACTIONS = {"revoke": ("revocation", 1), "suspend": ("suspension", 1), "unsuspend": ("suspension", 0)}


def set_status(wallet, name: str, index: int, action: str) -> tuple[StatusList, bool]:
    """Revoke, suspend or unsuspend entry `index` of list `name`. Returns (list, changed):
    `changed` is False when the bit already had that value. UsageError for an action the list's
    purpose does not allow, an index out of range or never allocated."""
    if action not in ACTIONS:
        raise UsageError(f"unknown action {action!r}")
    purpose, value = ACTIONS[action]
    with wallet.transaction():
        rid, data = _find(wallet, name)
        size = int(data["size"])
        if data["purpose"] != purpose:
            if data["purpose"] == "revocation":
                hint = "a revocation list can only revoke, and revocation is permanent (Bitstring Status List 2.1)"
            else:
                hint = "a suspension list suspends and unsuspends: lerwallet status-list suspend|unsuspend NAME INDEX"
            raise UsageError(f"status list {name!r} is a {data['purpose']} list: it cannot {action}", hint=hint)
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < size:
            raise UsageError(f"index {index} is out of range for status list {name!r} (0 to {size - 1})",
                             hint="the index is the credential's credentialStatus.statusListIndex")
        allocated = _unpack(data["allocated"], size)
        if not _get(allocated, index):
            raise UsageError(f"index {index} of status list {name!r} was never given to a credential",
                             hint="the index is the credential's credentialStatus.statusListIndex")
        bits = _unpack(data["bits"], size)
        changed = _get(bits, index) != value
        if changed:
            _put(bits, index, value)
            data = dict(data, bits=_pack(bits), updated=iso())
            wallet.put(KIND, rid, data)
    return _view(rid, data), changed


def status_of(wallet, name: str, index: int) -> int:
    rid, data = _find(wallet, name)
    size = int(data["size"])
    if not 0 <= index < size:
        raise UsageError(f"index {index} is out of range for status list {name!r} (0 to {size - 1})")
    return _get(_unpack(data["bits"], size), index)


def index_from_credential(doc: dict, name: str, url: str) -> int:
    """The statusListIndex a credential holds for the list served at `url`."""
    from lerwallet.verify.state import as_list

    for item in as_list(doc.get("credentialStatus")) if isinstance(doc, dict) else []:
        if isinstance(item, dict) and item.get("statusListCredential") == url:
            text = item.get("statusListIndex")
            if isinstance(text, str) and text.isdigit():
                return int(text)
    raise UsageError(f"the credential has no entry in status list {name!r} ({url})")


def credential(wallet, name: str, *, valid_from: str | None = None, valid_until: str | None = None,
               ttl: int | None = None) -> tuple[dict, "object"]:
    """(unsigned BitstringStatusListCredential, signer) for list `name` as it stands."""
    from lerwallet.issue import signer_for

    rid, data = _find(wallet, name)
    size = int(data["size"])
    signer = signer_for(wallet, data["did"])
    subject = {"id": data["url"] + "#list", "type": "BitstringStatusList", "statusPurpose": data["purpose"],
               "encodedList": encoded_list(_unpack(data["bits"], size))}
    if ttl is not None:
        subject["ttl"] = ttl
    doc = {"@context": [V2], "id": data["url"], "type": ["VerifiableCredential", "BitstringStatusListCredential"],
           "issuer": data["did"], "validFrom": valid_from or iso(), "credentialSubject": subject}
    if valid_until is not None:
        doc["validUntil"] = valid_until
    return doc, signer


def publish(wallet, name: str, *, valid_until: str | None = None, ttl: int | None = None) -> dict:
    """The signed BitstringStatusListCredential for list `name`, checked by the verify pipeline."""
    from lerwallet.issue import self_check, sign_credential

    doc, signer = credential(wallet, name, valid_until=valid_until, ttl=ttl)
    signed = sign_credential(doc, signer)
    self_check(signed, signer, skip=())
    return signed
