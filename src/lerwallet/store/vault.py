"""The encrypted wallet: one SQLite file, a passphrase-wrapped data key, one sealed blob per record.

Envelope encryption: a random 256-bit data key seals every record with AES-256-GCM; the data key
itself is sealed ("wrapped") with a key derived from the passphrase by Argon2id. Unlocking runs
the KDF exactly once; changing the passphrase re-wraps the data key and touches no record.
Each record's associated data names its kind and id, so a blob moved to another row fails to
open. Nothing identifying is stored in plaintext; see docs/store-format.md for the format.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from lerwallet import crypto
from lerwallet.errors import (
    InputError,
    IntegrityError,
    LerwalletError,
    NotFoundError,
    UsageError,
    WalletLockedError,
)

DB_NAME = "wallet.db"
FORMAT_VERSION = 1  # PRAGMA user_version; a reader rejects anything newer
APPLICATION_ID = 0x4C455257  # "LERW": PRAGMA application_id, tells our file from other SQLite files
SALT_SIZE = 16
BUSY_TIMEOUT_MS = 30_000
_KEYSLOT_LABEL = "lerwallet-keyslot-v1"
_RECORD_LABEL = "lerwallet-record-v1"
_MAX_NAME = 200  # kinds and ids are short handles, never content

# Migrations from version N-1 to N, applied in order inside one transaction.
_MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE keyslot (
        slot     INTEGER PRIMARY KEY CHECK (slot = 1),
        kdf      TEXT NOT NULL,   -- JSON KdfParams
        salt     BLOB NOT NULL,   -- 16 random bytes
        wrapped  BLOB NOT NULL    -- seal(KEK, data key, AAD = keyslot AAD)
    );
    CREATE TABLE records (
        kind    TEXT NOT NULL,
        id      TEXT NOT NULL,    -- random or keyed handle, never content
        sealed  BLOB NOT NULL,    -- seal(data key, JSON, AAD = record AAD)
        PRIMARY KEY (kind, id)
    ) WITHOUT ROWID;
    """,
}


def _field(value: str) -> bytes:
    data = value.encode("utf-8")
    return len(data).to_bytes(2, "big") + data


def keyslot_aad(kdf_json: str, salt: bytes) -> bytes:
    """Binds the wrapped key to its KDF parameters and salt (length-prefixed fields)."""
    return _KEYSLOT_LABEL.encode() + _field(kdf_json) + _field(salt.hex())


def record_aad(kind: str, record_id: str) -> bytes:
    """Binds a sealed record to its row. Length-prefixed fields: unambiguous for any kind and id."""
    return _RECORD_LABEL.encode() + _field(kind) + _field(record_id)


def new_id() -> str:
    """A fresh random record id: 128 bits as 32 lowercase hex digits."""
    return crypto.random_bytes(16).hex()


@dataclass
class Entry:
    """One record as read by `Wallet.entries`: `data` when it opened, `error` when it did not."""

    id: str
    data: dict | None
    error: IntegrityError | None = None


def _check_name(what: str, value: str) -> None:
    if not isinstance(value, str) or not value or len(value) > _MAX_NAME:
        raise UsageError(f"bad record {what}: {value!r}")
    if any(ord(c) < 0x20 for c in value):
        raise UsageError(f"bad record {what}: control characters")


def _db_path(home: Path) -> Path:
    return Path(home) / DB_NAME


def _loose_mode_warnings(home: Path) -> list[str]:
    warnings = []
    for path, wanted in [(home, 0o700)] + [
        (p, 0o600) for p in sorted(home.glob(DB_NAME + "*")) if p.is_file()
    ]:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except OSError:
            continue
        if mode & 0o077:
            warnings.append(
                f"{path} is accessible to other users (mode {mode:o}, expected {wanted:o}); "
                f"fix with: chmod {wanted:o} {path}"
            )
    return warnings


def _prepare_folder(home: Path) -> list[str]:
    """Create `home` 0700. An existing folder open to others is tightened when it is ours and
    empty (nothing else can depend on its mode), otherwise left as it is with a warning."""
    try:
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = home.stat()
    except OSError as exc:
        raise InputError(f"cannot create wallet folder {home}: {exc.strerror}") from None
    mode = stat.S_IMODE(info.st_mode)
    if not mode & 0o077:
        return []
    if info.st_uid == os.getuid() and not any(home.iterdir()):
        try:
            os.chmod(home, 0o700)
            return []
        except OSError:
            pass
    return [f"{home} is accessible to other users (mode {mode:o}, expected 700); "
            f"fix with: chmod 700 {home}"]


_LEFTOVER_SUFFIXES = ("-wal", "-shm", "-journal")


def _refuse_leftovers(home: Path) -> None:
    """SQLite replays a `wallet.db-wal` (or rolls back a `-journal`) onto whatever file is named
    `wallet.db`, without checking that they belong together: a new wallet next to the leftovers
    of a deleted one would be built from a mix of both."""
    found = [home / (DB_NAME + s) for s in _LEFTOVER_SUFFIXES if (home / (DB_NAME + s)).exists()]
    if found:
        names = " ".join(str(p) for p in found)
        raise UsageError(
            f"{home} holds files left by an earlier wallet ({', '.join(p.name for p in found)}); "
            "SQLite would apply them to the new wallet",
            hint=f"if no wallet is in use there, move them away first: mkdir -p old && mv {names} old/",
        )


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                           check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA secure_delete = ON")  # freed pages are zeroed, not left behind
    return conn


class Wallet:
    """An unlocked wallet. Create with `Wallet.create`, open with `Wallet.open`; `close` when done."""

    def __init__(self, home: Path, conn: sqlite3.Connection, data_key: bytes, kdf: crypto.KdfParams,
                 warnings: list[str]):
        self.home = Path(home)
        self._conn = conn
        self._key: bytes | None = data_key
        self._kdf = kdf
        self._depth = 0
        self._lock = threading.RLock()
        self.warnings = warnings  # non-fatal findings at open (loose file modes); the CLI prints them

    # --- life cycle -----------------------------------------------------------------------

    @staticmethod
    def exists(home: Path) -> bool:
        return _db_path(Path(home)).is_file()

    @classmethod
    def check_new(cls, home: Path) -> None:
        """UsageError unless a wallet can be created in `home` (run before asking a passphrase)."""
        home = Path(home)
        if cls.exists(home):
            raise UsageError(
                f"a wallet already exists at {home}",
                hint="use it, or choose another folder with --home DIR",
            )
        _refuse_leftovers(home)

    @classmethod
    def create(cls, home: Path, passphrase: bytes, *, kdf: crypto.KdfParams | None = None,
               setup: Callable[["Wallet"], None] | None = None) -> "Wallet":
        """A new wallet in `home` (created 0700). Refuses to overwrite an existing one.

        `setup` runs on the new wallet before it is moved into place (init makes the first
        identity there), so the wallet appears complete or not at all.
        """
        home = Path(home)
        _check_passphrase(passphrase)
        kdf = kdf or crypto.KdfParams.default()
        cls.check_new(home)
        warnings = _prepare_folder(home)
        _refuse_leftovers(home)
        # Build the file under a temporary name, then link it into place: a crash mid-create
        # leaves no half wallet, and two concurrent `init`s cannot both win.
        tmp = home / f".{DB_NAME}.{crypto.random_bytes(6).hex()}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.close(fd)
            data_key = crypto.generate_data_key()
            conn = _connect(tmp)
            try:
                conn.execute("PRAGMA journal_mode = DELETE")
                conn.execute("BEGIN IMMEDIATE")
                _migrate(conn, 0)
                salt = crypto.random_bytes(SALT_SIZE)
                kdf_json = json.dumps(kdf.to_dict(), sort_keys=True)
                kek = crypto.derive_key(passphrase, salt, kdf)
                wrapped = crypto.seal(kek, data_key, keyslot_aad(kdf_json, salt))
                conn.execute("INSERT INTO keyslot (slot, kdf, salt, wrapped) VALUES (1, ?, ?, ?)",
                             (kdf_json, salt, wrapped))
                conn.execute("COMMIT")
                if setup is not None:
                    setup(cls(home, conn, data_key, kdf, []))
            finally:
                conn.close()
            _refuse_leftovers(home)  # appeared meanwhile: SQLite would replay them onto our file
            try:
                os.link(tmp, _db_path(home))
            except FileExistsError:
                raise UsageError(f"a wallet already exists at {home}") from None
        except OSError as exc:
            raise InputError(f"cannot create wallet in {home}: {exc.strerror or exc}") from None
        finally:
            tmp.unlink(missing_ok=True)
        conn = _connect(_db_path(home))
        conn.execute("PRAGMA journal_mode = WAL")
        return cls(home, conn, data_key, kdf, warnings)

    @classmethod
    def open(cls, home: Path, passphrase: bytes) -> "Wallet":
        """Unlock the wallet in `home`: exactly one KDF run. WalletLockedError on a wrong passphrase."""
        home = Path(home)
        path = _db_path(home)
        if not path.is_file():
            raise NotFoundError(f"no wallet at {home}", hint="create one with: lerwallet init")
        warnings = _loose_mode_warnings(home)
        try:
            conn = _connect(path)
        except sqlite3.Error as exc:
            raise InputError(f"cannot open wallet {path}: {exc}") from None
        try:
            version = _check_header(conn, path)
            row = conn.execute("SELECT kdf, salt, wrapped FROM keyslot WHERE slot = 1").fetchone()
            if row is None:
                raise WalletLockedError()
            kdf_json, salt, wrapped = row
            try:
                kdf = crypto.KdfParams.from_dict(json.loads(kdf_json))
            except (ValueError, crypto.CryptoError):
                raise WalletLockedError() from None
            _check_passphrase(passphrase)
            kek = crypto.derive_key(passphrase, bytes(salt), kdf)
            try:
                data_key = crypto.open_sealed(kek, bytes(wrapped), keyslot_aad(kdf_json, bytes(salt)))
            except crypto.SealError:
                raise WalletLockedError() from None
            if len(data_key) != crypto.KEY_SIZE:
                raise WalletLockedError()
            if version < FORMAT_VERSION:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    _migrate(conn, _user_version(conn))
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
            conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise WalletLockedError(hint=f"the wallet file could not be read: {exc}") from None
        except BaseException:
            conn.close()
            raise
        return cls(home, conn, data_key, kdf, warnings)

    def close(self) -> None:
        self._key = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> "Wallet":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def db_path(self) -> Path:
        return _db_path(self.home)

    @property
    def kdf(self) -> crypto.KdfParams:
        return self._kdf

    # --- records --------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator["Wallet"]:
        """Group writes: all of them land, or none (nesting joins the outer transaction)."""
        with self._lock:
            conn = self._live()
            if self._depth == 0:
                conn.execute("BEGIN IMMEDIATE")  # take the write lock now: no upgrade deadlock
            self._depth += 1
            try:
                yield self
            except BaseException:
                self._depth -= 1
                if self._depth == 0:
                    conn.execute("ROLLBACK")
                raise
            self._depth -= 1
            if self._depth == 0:
                conn.execute("COMMIT")

    def put(self, kind: str, record_id: str, data: dict) -> None:
        """Insert or replace one record, sealed with AAD(kind, id)."""
        _check_name("kind", kind)
        _check_name("id", record_id)
        try:
            plaintext = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        except UnicodeEncodeError as exc:
            bad = exc.object[exc.start:exc.end].encode("unicode_escape").decode()
            raise InputError(f"record holds text that is not valid Unicode (a lone surrogate {bad})") from None
        except (TypeError, ValueError) as exc:
            raise UsageError(f"record is not JSON-serializable: {exc}") from None
        sealed = crypto.seal(self._data_key(), plaintext, record_aad(kind, record_id))
        with self.transaction():
            self._conn.execute(
                "INSERT OR REPLACE INTO records (kind, id, sealed) VALUES (?, ?, ?)",
                (kind, record_id, sealed),
            )

    def get(self, kind: str, record_id: str) -> dict:
        row = self._live().execute(
            "SELECT sealed FROM records WHERE kind = ? AND id = ?", (kind, record_id)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no {kind} with id {record_id}")
        return self._open_record(kind, record_id, row[0])

    def has(self, kind: str, record_id: str) -> bool:
        return self._live().execute(
            "SELECT 1 FROM records WHERE kind = ? AND id = ?", (kind, record_id)
        ).fetchone() is not None

    def entries(self, kind: str) -> list[Entry]:
        """Every record of a kind, damaged ones included (with `error` set), in id order."""
        out = []
        opener = crypto.sealed_opener(self._data_key())  # one cipher setup for every record
        for record_id, sealed in self._live().execute(
            "SELECT id, sealed FROM records WHERE kind = ? ORDER BY id", (kind,)
        ):
            try:
                out.append(Entry(record_id, self._open_record(kind, record_id, sealed, opener)))
            except IntegrityError as exc:
                out.append(Entry(record_id, None, exc))
        return out

    def list(self, kind: str) -> list[tuple[str, dict]]:
        """Every record of a kind, decrypted. IntegrityError names the first damaged one."""
        out = []
        for entry in self.entries(kind):
            if entry.error is not None:
                raise entry.error
            out.append((entry.id, entry.data))
        return out

    def ids(self, kind: str) -> list[str]:
        return [r[0] for r in self._live().execute(
            "SELECT id FROM records WHERE kind = ? ORDER BY id", (kind,))]

    def delete(self, kind: str, record_id: str) -> None:
        with self.transaction():
            cur = self._conn.execute("DELETE FROM records WHERE kind = ? AND id = ?", (kind, record_id))
            if cur.rowcount == 0:
                raise NotFoundError(f"no {kind} with id {record_id}")

    def resolve_id(self, kind: str, prefix: str) -> str:
        """The one id of `kind` that equals or starts with `prefix`, like git's short hashes."""
        prefix = (prefix or "").strip()
        if not prefix:
            raise UsageError("empty id")
        if self.has(kind, prefix):
            return prefix
        rows = [r[0] for r in self._live().execute(
            "SELECT id FROM records WHERE kind = ? AND substr(id, 1, ?) = ? ORDER BY id LIMIT 11",
            (kind, len(prefix), prefix),
        )]
        if not rows:
            raise NotFoundError(f"no {kind} with id {prefix}", hint="see the ids with: lerwallet list")
        if len(rows) > 1:
            shown = ", ".join(rows[:10]) + (", ..." if len(rows) > 10 else "")
            raise UsageError(
                f"id prefix {prefix} is ambiguous: it matches {shown}",
                hint="type more characters of the id",
            )
        return rows[0]

    def keyed_digest(self, purpose: str, data: bytes) -> str:
        """HMAC-SHA256 of `data` under a subkey of the data key: a duplicate detector that
        reveals nothing to someone without the passphrase (a plain hash would)."""
        subkey = crypto.hmac_sha256(self._data_key(), f"lerwallet-subkey-v1:{purpose}".encode())
        return crypto.hmac_sha256(subkey, data).hex()

    # --- keys and status ------------------------------------------------------------------

    def change_passphrase(self, new: bytes, *, kdf: crypto.KdfParams | None = None) -> None:
        """Re-wrap the data key under `new` (fresh salt; same KDF parameters unless given).
        One KDF run, one row rewritten; no record is re-encrypted."""
        _check_passphrase(new)
        kdf = kdf or self._kdf
        salt = crypto.random_bytes(SALT_SIZE)
        kdf_json = json.dumps(kdf.to_dict(), sort_keys=True)
        kek = crypto.derive_key(new, salt, kdf)
        wrapped = crypto.seal(kek, self._data_key(), keyslot_aad(kdf_json, salt))
        with self.transaction():
            self._conn.execute("UPDATE keyslot SET kdf = ?, salt = ?, wrapped = ? WHERE slot = 1",
                               (kdf_json, salt, wrapped))
        self._kdf = kdf

    def stats(self) -> dict:
        """What `lerwallet status` shows: where, how many, which format and KDF. No secrets."""
        return _stats(self.home, self._live(), self._kdf)

    @staticmethod
    def inspect(home: Path) -> dict:
        """`stats` without unlocking: the format version, KDF parameters and record counts are
        not secret, so `lerwallet status` needs no passphrase. Also returns `warnings`."""
        home = Path(home)
        path = _db_path(home)
        if not path.is_file():
            raise NotFoundError(f"no wallet at {home}", hint="create one with: lerwallet init")
        warnings = _loose_mode_warnings(home)
        conn = _connect(path)
        try:
            _check_header(conn, path)
            row = conn.execute("SELECT kdf FROM keyslot WHERE slot = 1").fetchone()
            try:
                kdf = crypto.KdfParams.from_dict(json.loads(row[0]))
            except (TypeError, ValueError, crypto.CryptoError):
                raise WalletLockedError() from None
            return {**_stats(home, conn, kdf), "warnings": warnings}
        except sqlite3.DatabaseError as exc:
            raise InputError(f"cannot read wallet {path}: {exc}") from None
        finally:
            conn.close()

    # --- internals ------------------------------------------------------------------------

    def _live(self) -> sqlite3.Connection:
        if self._conn is None:
            raise LerwalletError("the wallet is closed")
        return self._conn

    def _data_key(self) -> bytes:
        if self._key is None:
            raise LerwalletError("the wallet is closed")
        return self._key

    def _open_record(self, kind: str, record_id: str, sealed: bytes, opener=None) -> dict:
        try:
            aad = record_aad(kind, record_id)
            if opener is not None:
                plaintext = opener(bytes(sealed), aad)
            else:
                plaintext = crypto.open_sealed(self._data_key(), bytes(sealed), aad)
            data = json.loads(plaintext)
        except (crypto.SealError, ValueError):
            raise IntegrityError(
                f"{kind} {record_id} failed its integrity check (damaged or tampered)",
                hint="the rest of the wallet is unaffected; delete this record or restore it from a backup",
            ) from None
        return data


def _check_passphrase(passphrase: bytes) -> None:
    if not isinstance(passphrase, (bytes, bytearray)):
        raise UsageError("passphrase must be bytes")
    if not passphrase:
        raise UsageError("empty passphrase")


def _stats(home: Path, conn: sqlite3.Connection, kdf: crypto.KdfParams) -> dict:
    counts = dict(conn.execute("SELECT kind, count(*) FROM records GROUP BY kind"))
    files = sorted(home.glob(DB_NAME + "*"))
    default = crypto.KdfParams.default()
    return {
        "home": str(home),
        "database": str(_db_path(home)),
        "format_version": _user_version(conn),
        "records": counts,
        "kdf": kdf.to_dict(),
        "kdf_weak": kdf.memory_kib < default.memory_kib or kdf.iterations < default.iterations,
        "bytes_on_disk": sum(p.stat().st_size for p in files if p.is_file()),
    }


def _user_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def _check_header(conn: sqlite3.Connection, path: Path) -> int:
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = _user_version(conn)
    except sqlite3.DatabaseError:
        raise InputError(f"{path} is not a lerwallet wallet (not a readable SQLite file)") from None
    if app_id != APPLICATION_ID:
        raise InputError(f"{path} is not a lerwallet wallet")
    if version > FORMAT_VERSION:
        raise InputError(
            f"wallet format version {version} is newer than this lerwallet supports ({FORMAT_VERSION})",
            hint="upgrade lerwallet to open this wallet",
        )
    if version < 1:
        raise InputError(f"{path} is not a lerwallet wallet (no format version)")
    return version


def _migrate(conn: sqlite3.Connection, current: int) -> None:
    """Bring the schema from `current` to FORMAT_VERSION; caller holds a write transaction."""
    for version in range(current + 1, FORMAT_VERSION + 1):
        for statement in _MIGRATIONS[version].split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {version}")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
