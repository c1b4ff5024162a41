"""Backup files: every record of a wallet in one file, sealed under a backup passphrase.

    magic "LERWALLET-BACKUP" | uint16 version | uint32 header length | header JSON | sealed body

The header carries the KDF parameters, the salt and the backup key wrapped under the
passphrase-derived key; the body (the records as JSON, deflated) is sealed with the backup key,
with every byte before it as associated data. So a reader can tell "not a backup", "newer
format", "wrong passphrase" and "damaged" apart, and a flipped byte anywhere fails one of the
seals before anything is used. The normative description is docs/backup-format.md.

Restoring never trusts what a record *says* about the wallet it came from: the duplicate index
(`credential-digest`, keyed with the source wallet's data key) is not in a backup and is rebuilt
in the target, and every other record is re-sealed under the target wallet's key.
"""

from __future__ import annotations

import base64
import json
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from lerwallet import crypto
from lerwallet.errors import InputError, LerwalletError, UsageError, WalletLockedError
from lerwallet.utc import iso

MAGIC = b"LERWALLET-BACKUP"
FORMAT_VERSION = 1
_PREFIX = struct.Struct(">HI")  # version, header length
_KEY_LABEL = b"lerwallet-backup-key-v1"
_BODY_LABEL = b"lerwallet-backup-body-v1"
MAX_HEADER = 64 * 1024
MAX_FILE = 1024 * 1024 * 1024  # 1 GiB sealed
MAX_PAYLOAD = 2 * 1024 * 1024 * 1024  # 2 GiB once inflated: a bound, not an expected size

# Records rebuilt rather than copied: keyed with the source wallet's data key, meaningless elsewhere.
DERIVED_KINDS = ("credential-digest",)
_CREDENTIAL, _ORIGINAL, _CHECKS = "credential", "credential-original", "credential-checks"
_IMAGE = "credential-image"
_IDENTITY, _SETTING = "identity", "setting"


class BackupError(InputError):
    """The file is not a backup lerwallet can read (exit 2); nothing was changed."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint or "nothing was changed; name the file `lerwallet backup --out` wrote, "
                                                "or use another copy of the backup")


class BackupLockedError(WalletLockedError):
    """The backup key did not unwrap: wrong backup passphrase, or its header was altered (exit 3)."""

    def __init__(self) -> None:
        super().__init__("wrong backup passphrase, or the backup's header is damaged",
                         hint="the backup passphrase is the wallet's unless another was chosen; "
                              "set LERWALLET_BACKUP_PASSPHRASE or pass --backup-passphrase-file")


@dataclass
class Record:
    kind: str
    id: str
    data: dict


@dataclass
class Contents:
    """A backup, opened and authenticated."""

    created_at: str
    records: list[Record]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.records:
            out[r.kind] = out.get(r.kind, 0) + 1
        return dict(sorted(out.items()))


@dataclass
class Outcome:
    """What a backup or a restore did, for the CLI to render (`--json` as is)."""

    counts: dict[str, int] = field(default_factory=dict)
    skipped: list[dict] = field(default_factory=list)  # {kind, id, why}: duplicates, damaged records
    renamed: list[dict] = field(default_factory=list)  # identities renamed on merge
    path: str = ""

    def to_dict(self) -> dict:
        return {"path": self.path, "records": self.counts, "skipped": self.skipped, "renamed": self.renamed}


def _field(text: str) -> bytes:
    data = text.encode()
    return len(data).to_bytes(2, "big") + data


def _key_aad(version: int, kdf_json: str, salt_hex: str) -> bytes:
    return _KEY_LABEL + version.to_bytes(2, "big") + _field(kdf_json) + _field(salt_hex)


def _now() -> str:
    return iso()


# --- writing ---------------------------------------------------------------------------------

def collect(w) -> tuple[list[Record], list[dict]]:
    """Every record that opens (derived indexes left out), and the damaged ones as skipped."""
    records, damaged = [], []
    for kind in w.kinds():
        if kind in DERIVED_KINDS:
            continue
        for entry in w.entries(kind):
            if entry.error is not None:
                damaged.append({"kind": kind, "id": entry.id, "why": entry.error.message})
            else:
                records.append(Record(kind, entry.id, entry.data))
    return records, damaged


def seal_backup(records: list[Record], passphrase: bytes, *, kdf: crypto.KdfParams,
                created_at: str | None = None) -> bytes:
    """The bytes of a backup file holding `records`."""
    if not passphrase:
        raise UsageError("empty backup passphrase")
    created_at = created_at or _now()
    payload = json.dumps({"v": FORMAT_VERSION, "created_at": created_at,
                          "records": [{"kind": r.kind, "id": r.id, "data": r.data} for r in records]},
                         ensure_ascii=False, separators=(",", ":")).encode()
    salt = crypto.random_bytes(16)
    kdf_json = json.dumps(kdf.to_dict(), sort_keys=True)
    backup_key = crypto.generate_data_key()
    wrapped = crypto.seal(crypto.derive_key(passphrase, salt, kdf), backup_key,
                          _key_aad(FORMAT_VERSION, kdf_json, salt.hex()))
    header = json.dumps({"kdf": kdf.to_dict(), "salt": salt.hex(), "wrapped": base64.b64encode(wrapped).decode(),
                         "created_at": created_at, "compression": "deflate"}, sort_keys=True).encode()
    prefix = MAGIC + _PREFIX.pack(FORMAT_VERSION, len(header)) + header
    return prefix + crypto.seal(backup_key, zlib.compress(payload, 6), _BODY_LABEL + prefix)


def write_backup(w, path: Path | str, passphrase: bytes, *, kdf: crypto.KdfParams | None = None,
                 force: bool = False) -> Outcome:
    """Back up every readable record of `w` to `path` (atomically, mode 0600). Damaged records
    are left out and listed in `skipped`; the caller decides how loudly to say so."""
    from lerwallet.files import write_atomic

    records, damaged = collect(w)
    data = seal_backup(records, passphrase, kdf=kdf or w.kdf)
    write_atomic(path, data, force=force)
    return Outcome(counts=Contents("", records).counts(), skipped=damaged, path=str(path))


# --- reading ---------------------------------------------------------------------------------

def read_file(path: Path | str) -> bytes:
    """A backup file's bytes, refusing what cannot be one (folders, devices, oversize)."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            import os
            import stat

            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise BackupError(f"{path} is not a regular file")
            data = handle.read(MAX_FILE + 1)
    except FileNotFoundError:
        raise BackupError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise BackupError(f"{path} is a folder, not a backup file") from None
    except OSError as exc:
        raise BackupError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE:
        raise BackupError(f"{path} is larger than {MAX_FILE // 2**20} MiB: not a lerwallet backup")
    return data


def open_backup(data: bytes, passphrase: bytes) -> Contents:
    """Check the header, unwrap the key (one KDF run), authenticate and parse the body.
    Every check happens before anything is returned; nothing partial is ever used."""
    if not data.startswith(MAGIC):
        raise BackupError("not a lerwallet backup (wrong file type)")
    if len(data) < len(MAGIC) + _PREFIX.size:
        raise BackupError("the backup is truncated (incomplete header)")
    version, header_len = _PREFIX.unpack_from(data, len(MAGIC))
    if version > FORMAT_VERSION:
        raise BackupError(f"backup format version {version} is newer than this lerwallet supports "
                          f"({FORMAT_VERSION})", hint="restore it with a newer lerwallet")
    if version < 1:
        raise BackupError("the backup is damaged (format version 0)")
    start = len(MAGIC) + _PREFIX.size
    if header_len > MAX_HEADER or start + header_len > len(data):
        raise BackupError("the backup is truncated or damaged (header length)")
    prefix, sealed = data[:start + header_len], data[start + header_len:]
    try:
        header = json.loads(prefix[start:].decode("utf-8"))
        kdf = crypto.KdfParams.from_dict(header["kdf"])  # ranges checked before the KDF runs
        salt_hex, wrapped = header["salt"], base64.b64decode(header["wrapped"], validate=True)
        salt = bytes.fromhex(salt_hex)
        if not isinstance(salt_hex, str) or len(salt) != 16:
            raise ValueError
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, crypto.CryptoError):
        raise BackupError("the backup is damaged (unreadable header)") from None
    if not passphrase:
        raise UsageError("empty backup passphrase")
    kek = crypto.derive_key(passphrase, salt, kdf)
    try:
        backup_key = crypto.open_sealed(kek, wrapped, _key_aad(version, json.dumps(kdf.to_dict(), sort_keys=True), salt_hex))
    except crypto.SealError:
        raise BackupLockedError() from None
    try:
        compressed = crypto.open_sealed(backup_key, sealed, _BODY_LABEL + prefix)
    except crypto.SealError:
        raise BackupError("the backup is damaged or truncated: its contents do not authenticate",
                          hint="nothing was changed; use another copy of the backup") from None
    return _parse_payload(_inflate(compressed))


def _inflate(compressed: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        payload = inflater.decompress(compressed, MAX_PAYLOAD)
    except zlib.error:
        raise BackupError("the backup is damaged (its contents do not decompress)") from None
    if inflater.unconsumed_tail or not inflater.eof:
        raise BackupError("the backup's contents are larger than lerwallet restores, or incomplete")
    return payload


def _parse_payload(payload: bytes) -> Contents:
    try:
        doc = json.loads(payload)
        records = [Record(r["kind"], r["id"], r["data"]) for r in doc["records"]]
        if not all(isinstance(r.kind, str) and isinstance(r.id, str) and isinstance(r.data, dict) for r in records):
            raise TypeError
        created_at = str(doc.get("created_at", ""))
    except (ValueError, KeyError, TypeError):
        raise BackupError("the backup is damaged (malformed contents)") from None
    return Contents(created_at, records)


# --- restoring -------------------------------------------------------------------------------

def restore_new(home: Path, passphrase: bytes, contents: Contents, *, kdf: crypto.KdfParams | None = None) -> Outcome:
    """A new wallet in `home` holding the backup's records; it appears complete or not at all."""
    from lerwallet.store.vault import Wallet

    result = Outcome(path=str(home))

    def fill(w) -> None:
        _restore(w, contents, result, merge=False)

    Wallet.create(home, passphrase, kdf=kdf, setup=fill).close()
    return result


def restore_into(w, contents: Contents, *, replace: bool) -> Outcome:
    """Into an existing wallet, in one transaction: `replace` empties it first; otherwise the
    backup's records are merged in (duplicates skipped and reported)."""
    result = Outcome(path=str(w.home))
    with w.transaction():
        if replace:
            for kind in w.kinds():
                for record_id in w.ids(kind):
                    w.delete(kind, record_id)
        _restore(w, contents, result, merge=not replace)
    return result


def _restore(w, contents: Contents, result: Outcome, *, merge: bool) -> None:
    from lerwallet.store import credentials

    by_kind: dict[str, list[Record]] = {}
    for r in contents.records:
        by_kind.setdefault(r.kind, []).append(r)
    originals = {r.id: r.data for r in by_kind.get(_ORIGINAL, [])}
    checks = {r.id: r.data for r in by_kind.get(_CHECKS, [])}
    images = {r.id: r.data for r in by_kind.get(_IMAGE, [])}
    identity_ids = _restore_identities(w, by_kind.get(_IDENTITY, []), result, merge)
    restored: list[tuple[dict, str, bool]] = []
    for r in by_kind.get(_CREDENTIAL, []):
        original = originals.get(r.id)
        if original is None:
            result.skipped.append({"kind": _CREDENTIAL, "id": r.id, "why": "its original is not in the backup"})
            continue
        try:
            raw = base64.b64decode(original["bytes"], validate=True)
        except (KeyError, TypeError, ValueError):
            result.skipped.append({"kind": _CREDENTIAL, "id": r.id, "why": "its original is malformed"})
            continue
        here, duplicate = credentials.restore_credential(w, r.id, r.data, raw, checks.get(r.id), images.get(r.id))
        restored.append(({**r.data, "id": r.id}, here, duplicate))
        if duplicate:
            result.skipped.append({"kind": _CREDENTIAL, "id": r.id, "why": f"already in the wallet as {here}"})
        else:
            _count(result, _CREDENTIAL)
    credentials.relink_restored(w, restored)  # CLR references follow the records to their ids here
    for r in by_kind.get(_SETTING, []):
        if merge and w.has(_SETTING, r.id):
            result.skipped.append({"kind": _SETTING, "id": r.id, "why": "the wallet's own setting is kept"})
            continue
        data = dict(r.data)
        if "identity" in data:  # the default holder: follow a merged identity to its record here
            if data["identity"] not in identity_ids:
                result.skipped.append({"kind": _SETTING, "id": r.id, "why": "names an identity not in the backup"})
                continue
            data["identity"] = identity_ids[data["identity"]]
        w.put(_SETTING, r.id, data)
        _count(result, _SETTING)
    handled = {_CREDENTIAL, _ORIGINAL, _CHECKS, _IMAGE, _IDENTITY, _SETTING, *DERIVED_KINDS}
    for kind, records in sorted(by_kind.items()):
        if kind in handled:
            continue
        for r in records:  # history and any other kind: random ids, copied as they are
            if merge and w.has(kind, r.id):
                result.skipped.append({"kind": kind, "id": r.id, "why": "already in the wallet"})
                continue
            w.put(kind, r.id, r.data)
            _count(result, kind)


def _restore_identities(w, records: list[Record], result: Outcome, merge: bool) -> dict[str, str]:
    """Identities by DID: one already here is kept (and the backup's id maps to it); a name
    already taken by another DID gets a suffix. Returns backup record id -> record id here."""
    existing = {}
    names = set()
    if merge:
        for entry in w.entries(_IDENTITY):
            if entry.error is None and isinstance(entry.data, dict):
                existing[entry.data.get("did")] = entry.id
                names.add(entry.data.get("name"))
    mapping: dict[str, str] = {}
    for r in records:
        did, name = r.data.get("did"), r.data.get("name")
        if did in existing:
            mapping[r.id] = existing[did]
            result.skipped.append({"kind": _IDENTITY, "id": r.id, "why": f"{did} is already in the wallet"})
            continue
        data = dict(r.data)
        if name in names:
            n = 2
            while f"{name}-{n}" in names:
                n += 1
            data["name"] = f"{name}-{n}"
            result.renamed.append({"did": did, "from": name, "to": data["name"]})
        names.add(data["name"])
        from lerwallet.store.vault import new_id

        rid = new_id() if merge and w.has(_IDENTITY, r.id) else r.id
        existing[did] = rid
        mapping[r.id] = rid
        w.put(_IDENTITY, rid, data)
        _count(result, _IDENTITY)
    return mapping


def _count(result: Outcome, kind: str) -> None:
    result.counts[kind] = result.counts.get(kind, 0) + 1


__all__ = ["BackupError", "BackupLockedError", "Contents", "LerwalletError", "Outcome", "open_backup",
           "read_file", "restore_into", "restore_new", "seal_backup", "write_backup"]
