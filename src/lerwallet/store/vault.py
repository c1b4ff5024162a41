"""The encrypted wallet: one SQLite file, a passphrase-wrapped data key, one sealed blob per record.

Envelope encryption: a random 256-bit data key seals every record with AES-256-GCM; the data key
itself is sealed ("wrapped") with a key derived from the passphrase by Argon2id. Unlocking runs
the KDF exactly once; changing the passphrase re-wraps the data key and touches no record.
Each record's associated data names its kind and id, so a blob moved to another row fails to
open. Nothing identifying is stored in plaintext; see docs/store-format.md for the format.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import threading
import zlib
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Callable, Iterator

from lerwallet import crypto
from lerwallet.structs import Struct
from lerwallet.errors import (
    InputError,
    IntegrityError,
    LerwalletError,
    NotFoundError,
    UsageError,
    WalletLockedError,
)

DB_NAME = "wallet.db"
FORMAT_VERSION = 4  # PRAGMA user_version; a reader rejects anything newer
APPLICATION_ID = 0x4C455257  # "LERW": PRAGMA application_id, tells our file from other SQLite files
SALT_SIZE = 16
BUSY_TIMEOUT_MS = 30_000
_KEYSLOT_LABEL = "lerwallet-keyslot-v1"
_RECORD_LABEL_V1 = "lerwallet-record-v1"
_RECORD_LABEL = "lerwallet-record-v2"
_MANIFEST_LABEL_V2 = "lerwallet-manifest-v2"
_ROOT_LABEL = "lerwallet-manifest-v3"
_BUCKET_LABEL_V3 = "lerwallet-manifest-bucket-v3"
_BUCKET_LABEL = "lerwallet-manifest-bucket-v4"
_LISTING_LABEL = "lerwallet-listing-v4"
# The manifest is split, per kind, into FANOUT buckets by CRC-32 of the record id: a write
# re-seals the few buckets it touched and the small root, not one entry per record.
FANOUT = 64
# Kinds whose manifest buckets also carry a copy of each record's data (minus the members named
# here): `list` reads a few buckets instead of opening 10,000 records (docs/store-format.md).
# Whatever else the record holds, summary fields included, is carried as it is.
LISTED: dict[str, frozenset[str]] = {"credential": frozenset({"id", "digest", "content_digest", "size"})}
# Format 4: a LISTED kind's bucket also carries, per record, a compact listing row (what plain
# `lerwallet list` prints, its default-order key) and the SHA-256 of the record's sealed row, in a
# layout `list` reads without decoding the full copies (docs/store-format.md "Listing rows").
# The rows are made by `lerwallet.store.credentials.listing_row`; a new LISTING_LAYOUT means rows
# of another layout are re-derived from the copies (on write) and not used for listing meanwhile.
LISTING_LAYOUT = 1
LISTING_COLUMNS = ("title", "issuer", "kind", "issued", "valid_until", "status", "self_attested", "clr")
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
    # Version 2: rollback detection. Each record carries a version (bound into its AAD); the
    # sealed manifest lists the version of every (kind, id) and is rewritten in the same
    # transaction as the records. Existing records are re-sealed by `_upgrade_records`.
    2: """
    ALTER TABLE records ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE manifest (
        slot        INTEGER PRIMARY KEY CHECK (slot = 1),
        generation  INTEGER NOT NULL,  -- +1 per write transaction, also inside the AAD
        sealed      BLOB NOT NULL      -- seal(data key, JSON manifest, AAD = manifest AAD)
    );
    """,
    # Version 3: the manifest in buckets (the `manifest` row becomes their root) and the listing
    # copies of LISTED kinds inside them; a covering index for reading versions without the
    # sealed blobs. Filled from the version 2 manifest by `_split_manifest`.
    3: """
    CREATE TABLE manifest_bucket (
        kind    TEXT NOT NULL,
        bucket  INTEGER NOT NULL,       -- crc32(utf8(id)) % FANOUT
        version INTEGER NOT NULL,       -- the generation that wrote it, also inside the AAD
        sealed  BLOB NOT NULL,          -- seal(data key, JSON bucket, AAD = bucket AAD)
        PRIMARY KEY (kind, bucket)
    ) WITHOUT ROWID;
    CREATE INDEX records_version ON records (kind, version);
    """,
    # Version 4: a bucket of a LISTED kind keeps its full listing copies in their own sealed
    # value (`listing`), so that `list` reads only the compact rows and digests in `sealed`.
    # Every bucket is re-sealed by `_compact_listing` (new layout, new label).
    4: """
    ALTER TABLE manifest_bucket ADD COLUMN listing BLOB;
    """,
}


# A sealed value as stored: a blob, or None when the column holds anything else (text that may
# not even be UTF-8, a number): such a row is damaged, and must not crash the reader.
_SEALED = "CASE typeof(sealed) WHEN 'blob' THEN sealed END"


def _field(value: str) -> bytes:
    data = value.encode("utf-8")
    return len(data).to_bytes(2, "big") + data


def keyslot_aad(kdf_json: str, salt: bytes) -> bytes:
    """Binds the wrapped key to its KDF parameters and salt (length-prefixed fields)."""
    return _KEYSLOT_LABEL.encode() + _field(kdf_json) + _field(salt.hex())


def record_aad(kind: str, record_id: str, version: int) -> bytes:
    """Binds a sealed record to its row and its version. Length-prefixed fields: unambiguous
    for any kind and id; the version is 8 bytes big-endian."""
    return _RECORD_LABEL.encode() + _field(kind) + _field(record_id) + version.to_bytes(8, "big")


def record_aad_v1(kind: str, record_id: str) -> bytes:
    """Format 1's record AAD (no version), read only to upgrade a version 1 wallet."""
    return _RECORD_LABEL_V1.encode() + _field(kind) + _field(record_id)


def manifest_aad_v2(generation: int) -> bytes:
    """Format 2's single manifest, read only to migrate a version 2 wallet."""
    return _MANIFEST_LABEL_V2.encode() + generation.to_bytes(8, "big")


def root_aad(generation: int) -> bytes:
    return _ROOT_LABEL.encode() + generation.to_bytes(8, "big")


def bucket_aad(kind: str, bucket: int, version: int) -> bytes:
    return _BUCKET_LABEL.encode() + _field(kind) + bucket.to_bytes(2, "big") + version.to_bytes(8, "big")


def bucket_aad_v3(kind: str, bucket: int, version: int) -> bytes:
    """Format 3's bucket, read only to migrate a version 3 wallet."""
    return _BUCKET_LABEL_V3.encode() + _field(kind) + bucket.to_bytes(2, "big") + version.to_bytes(8, "big")


def listing_aad(kind: str, bucket: int, version: int) -> bytes:
    """The full listing copies of a bucket (format 4), sealed apart from its compact part."""
    return _LISTING_LABEL.encode() + _field(kind) + bucket.to_bytes(2, "big") + version.to_bytes(8, "big")


def sealed_digest(sealed: bytes) -> bytes:
    """What a listing row keeps of its record's sealed row: SHA-256 of the stored bytes.
    `list` compares it with the row as stored, so a row altered in place is not listed as sound."""
    return hashlib.sha256(sealed).digest()


_DIGEST_SIZE = 32


def _listed_ids(head: dict) -> list[str]:
    """A LISTED bucket's ids with a listing row, in row order: those of `versions`, in its order,
    but the `unlisted` ones (entries whose record did not open when the rows were made)."""
    versions, unlisted = head["versions"], head["unlisted"]
    return [i for i in versions if i not in unlisted] if unlisted else list(versions)


def _split_digests(text: str) -> list[bytes]:
    """The digests of a bucket's head: one hex string, 32 bytes per listed record."""
    data = bytes.fromhex(text)
    return [data[i:i + _DIGEST_SIZE] for i in range(0, len(data), _DIGEST_SIZE)]


def bucket_of(record_id: str) -> int:
    """The manifest bucket of an id: CRC-32 (as zlib and PNG compute it) of its UTF-8 bytes, mod FANOUT."""
    return zlib.crc32(record_id.encode("utf-8", "surrogatepass")) % FANOUT


class _Bucket:
    """One manifest bucket as read: the version of every (kind, id) in it and, for a LISTED
    kind, per record its listing copy (`copies`), the digest of its sealed row (`digests`) and
    its compact listing row (`rows`: key, JSON text, LISTING_COLUMNS values, superseded), the
    three with the same ids. Those are parsed when first used (`get` needs only `versions`,
    `list_credentials` the copies and digests, only a write or `check` the rows).
    `version` None: not written yet."""

    __slots__ = ("version", "versions", "_listed", "_pending", "_rows", "_rows_pending")

    def __init__(self, version: int | None, versions: dict[str, int] | None = None, listed: bool = False,
                 pending: tuple | None = None):
        self.version = version
        self.versions = {} if versions is None else versions
        fresh = listed and pending is None
        self._listed: tuple[dict, dict] | None = ({}, {}) if fresh else None
        self._rows: dict | None = {} if fresh else None
        self._pending = pending  # (kind, head, lines, listing plaintext, where): parsed by `_parse`
        self._rows_pending: tuple | None = None

    @property
    def is_listed(self) -> bool:
        return self._listed is not None or self._pending is not None

    def _parse(self) -> tuple[dict, dict]:
        if self._pending is not None:
            kind, head, lines, listing, where = self._pending
            try:
                self._listed, listed = _parse_listed(head, listing)
            except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
                raise _manifest_damaged(f"{where} failed its integrity check") from None
            self._rows_pending = (kind, head, lines, listed, where)
            self._pending = None
        if self._listed is None:
            raise LerwalletError("this record kind has no listing copies")
        return self._listed

    @property
    def copies(self) -> dict[str, dict]:
        return self._parse()[0]

    @property
    def digests(self) -> dict[str, bytes]:
        return self._parse()[1]

    @property
    def rows(self) -> dict[str, tuple]:
        copies = self._parse()[0]
        if self._rows_pending is not None:
            kind, head, lines, listed, where = self._rows_pending
            try:
                self._rows = _parse_rows(kind, head, lines, listed, copies)
            except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
                raise _manifest_damaged(f"{where} failed its integrity check") from None
            self._rows_pending = None
        return self._rows

    def set_listed(self, record_id: str, copy: dict, digest: bytes, row: tuple) -> None:
        copies, digests = self._parse()
        rows = self.rows
        copies[record_id], digests[record_id], rows[record_id] = copy, digest, row

    def drop_listed(self, record_id: str) -> None:
        if self.is_listed:
            for part in (*self._parse(), self.rows):
                part.pop(record_id, None)

    def copy(self) -> "_Bucket":
        out = _Bucket(self.version, dict(self.versions))
        if self.is_listed:
            copies, digests = self._parse()
            out._listed, out._rows = (dict(copies), dict(digests)), dict(self.rows)
        return out


def _parse_listed(head: dict, listing: bytes) -> tuple[tuple[dict, dict], list[str]]:
    """A LISTED bucket's ({id: listing copy}, {id: digest}) and its listed ids in row order (see
    `_Bucket`). ValueError when they do not fit together (the bucket then counts as damaged)."""
    copies = json.loads(listing)
    listed, digests = _listed_ids(head), _split_digests(head["digests"])
    if not (isinstance(copies, dict) and len(listed) == len(digests) == len(copies) and set(listed) == copies.keys()):
        raise ValueError("listing parts disagree")
    return (copies, dict(zip(listed, digests))), listed


def _parse_rows(kind: str, head: dict, lines: list[bytes], listed: list[str], copies: dict) -> dict[str, tuple]:
    """A LISTED bucket's {id: listing row}. Rows of another layout are made again from the
    copies, with `listing_row`, so that the next write stores the current layout."""
    if head.get("layout") != LISTING_LAYOUT:
        make, known = _row_maker(kind), {}
        return {i: make(i, copies[i], known) for i in listed}
    keys, columns = head["keys"], json.loads(lines[-1])
    superseded = set(head["superseded"])
    texts = [t.decode("utf-8") for t in lines[1:-1]]
    if not (isinstance(keys, list) and len(keys) == len(listed) == len(texts) and isinstance(columns, dict)
            and all(len(columns[c]) == len(listed) for c in LISTING_COLUMNS)):
        raise ValueError("listing rows disagree")
    values = zip(*(columns[c] for c in LISTING_COLUMNS))
    return {i: (k, t, v, i in superseded) for i, k, t, v in zip(listed, keys, texts, values)}


def _row_maker(kind: str) -> Callable[..., tuple]:
    """The compact listing row of a LISTED kind's record: (key, JSON text, LISTING_COLUMNS
    values, superseded). Defined with the credential API (`credentials.listing_row`)."""
    from lerwallet.store import credentials

    if kind != credentials.KIND:
        raise LerwalletError(f"no listing rows for records of kind {kind}")
    return credentials.listing_row


class ListingTable(Struct):
    """The compact listing rows of every record of a LISTED kind, as `Wallet.listing_table`
    reads them for `lerwallet list`: parallel lists over the records (`ids`, default-order
    `keys`, the `list --json` object `texts` as UTF-8 bytes), the superseded ids, and the
    LISTING_COLUMNS values, decoded only when `columns` is called (the terminal table)."""

    FIELDS = ("ids", "keys", "texts", "superseded", "column_lines")

    def __init__(self, ids: list[str] | None = None, keys: list[str] | None = None, texts: list[bytes] | None = None,
                 superseded: set[str] | None = None, column_lines: list[bytes] | None = None) -> None:
        self.ids = [] if ids is None else ids
        self.keys = [] if keys is None else keys
        self.texts = [] if texts is None else texts
        self.superseded = set() if superseded is None else superseded
        self.column_lines = [] if column_lines is None else column_lines

    def columns(self) -> dict[str, list]:
        out: dict[str, list] = {c: [] for c in LISTING_COLUMNS}
        for line in self.column_lines:
            part = json.loads(line)
            for name, values in out.items():
                values.extend(part[name])
        return out


def listing_of(kind: str, data: dict) -> dict | None:
    """The listing copy a LISTED kind's manifest bucket keeps of a record's data (None for other kinds)."""
    left_out = LISTED.get(kind)
    if left_out is None or not isinstance(data, dict):
        return None
    return {k: v for k, v in data.items() if k not in left_out}


def _listing_copy(kind: str, plaintext: bytes) -> dict | None:
    """`listing_of` the data as sealed (parsed back: the copy shares nothing with the caller's dict)."""
    return listing_of(kind, json.loads(plaintext)) if kind in LISTED else None


def new_id() -> str:
    """A fresh random record id: 128 bits as 32 lowercase hex digits."""
    return crypto.random_bytes(16).hex()


class Entry(Struct):
    """One record as read by `Wallet.entries`: `data` when it opened, `error` when it did not."""

    FIELDS = ("id", "data", "error")

    def __init__(self, id: str, data: dict | None, error: IntegrityError | None = None) -> None:  # noqa: A002
        self.id = id
        self.data = data
        self.error = error


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
    # A damaged file can hold text that is not UTF-8 (an id, a kind): decode it visibly wrong
    # rather than raise, so that record fails its integrity check like any other damage.
    conn.text_factory = _lenient_text
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA secure_delete = ON")  # freed pages are zeroed, not left behind
    return conn


COMMITS_NAME = "wallet.commits"
_COMMITS_LABEL = "lerwallet-commits-v1"


def _note_commit(home: Path, generation: int | None) -> None:
    """Record, outside the database file, the manifest generation being committed. Written
    before COMMIT: a reader that later finds the database more than one generation behind
    knows committed writes were lost (a damaged WAL frame, or wallet.db replaced by an older
    copy). Only a number; losing this file only turns the detector off."""
    if generation is None:
        return
    path = Path(home) / COMMITS_NAME
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(f"{_COMMITS_LABEL} {generation}\n")
    except OSError:
        pass  # a read-only or full disk fails the commit itself soon enough; this is a detector


def _noted_commit(home: Path) -> int | None:
    try:
        text = (Path(home) / COMMITS_NAME).read_text("ascii", errors="replace")
        label, number = text.split()
        return int(number) if label == _COMMITS_LABEL else None
    except (OSError, ValueError):
        return None


def _row_versions(conn: sqlite3.Connection, kind: str) -> dict[str, object]:
    """{id: version} of every row of `kind`, from the covering index (no sealed blob is read).
    Decoded as plain UTF-8 first (the lenient decoder is a Python call per value: 10 ms per
    10,000 rows); a damaged file's text that is not UTF-8 falls back to the lenient reading."""
    # A version that is not an integer (a damaged file) reads as None: it matches no manifest entry.
    query = "SELECT id, CASE typeof(version) WHEN 'integer' THEN version END FROM records WHERE kind = ?"
    conn.text_factory = str
    try:
        return dict(conn.execute(query, (kind,)).fetchall())
    except (sqlite3.OperationalError, UnicodeDecodeError):
        pass
    finally:
        conn.text_factory = _lenient_text
    return {_name(i): v for i, v in conn.execute(query, (kind,))}


def _row_digests(conn: sqlite3.Connection, kind: str) -> tuple[dict[str, object], dict[str, bytes | None]]:
    """({id: version}, {id: `sealed_digest` of the row}) of every row of `kind`: the stored
    bytes hashed, not decrypted (a value that is not a blob has digest None)."""
    query = f"SELECT id, CASE typeof(version) WHEN 'integer' THEN version END, {_SEALED} FROM records WHERE kind = ?"
    conn.text_factory = str
    try:
        rows = conn.execute(query, (kind,)).fetchall()
    except (sqlite3.OperationalError, UnicodeDecodeError):
        conn.text_factory = _lenient_text
        rows = [(_name(i), v, b) for i, v, b in conn.execute(query, (kind,))]
    finally:
        conn.text_factory = _lenient_text
    if not rows:
        return {}, {}
    ids, versions, blobs = zip(*rows)
    try:
        digests = _sha256_each(blobs)
    except TypeError:
        digests = [sealed_digest(b) if isinstance(b, bytes) else None for b in blobs]
    return dict(zip(ids, versions)), dict(zip(ids, digests))


def _sha256_each(blobs) -> list[bytes]:
    """`sealed_digest` of each blob. Copying one started hash is cheaper than a new one per
    blob (OpenSSL 3 looks the algorithm up for every new context): 10,000 rows of ~800 bytes
    take ~7 ms instead of ~11."""
    start = hashlib.sha256()
    out = []
    append = out.append
    for blob in blobs:
        h = start.copy()
        h.update(blob)
        append(h.digest())
    return out


def _lenient_text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def _name(value) -> str:
    """A kind or id as read from a row: text, whatever a damaged file put there (a blob, a
    number), so that it sorts, prints, and fails to open as the record it claims to be."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return repr(value)


def _is_busy(exc: sqlite3.DatabaseError) -> bool:
    """Another process holds the lock past the busy timeout: not damage."""
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause CPython's cyclic garbage collector while thousands of small dicts are decoded.

    Decoding creates only acyclic containers, yet each allocation burst triggers collections
    that rescan everything already decoded: for 10,000 records that is 20-150 ms of noise.
    """
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()



def new_wallet_kdf() -> crypto.KdfParams:
    """The key derivation parameters of a new wallet, and the floor `passwd` raises to: today's
    defaults. There is no environment variable or option for weaker ones: the test suite
    replaces this function in-process (tests/conftest.py), out of the shipped command's reach."""
    return crypto.KdfParams.default()

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
        # The manifest root as last read: {kind: {bucket: version}}, the highest record version
        # given out, and the generation it was read at (None: read it again before use). Buckets
        # are read when first needed and kept while the root lists the same version for them;
        # `_dirty` holds the buckets changed by the open write transaction.
        self._root: dict[str, dict[int, int]] = {}
        self._buckets: dict[tuple[str, int], _Bucket] = {}
        self._counter = 0
        self._generation: int | None = None
        self._dirty: set[tuple[str, int]] = set()
        # One frame per open savepoint: the dirty buckets as they were before it first changed
        # them (None: not dirty then), to put back if the savepoint rolls back.
        self._frames: list[dict[tuple[str, int], _Bucket | None]] = []

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
        kdf = kdf or new_wallet_kdf()
        cls.check_new(home)
        warnings = _prepare_folder(home)
        _refuse_leftovers(home)
        (home / COMMITS_NAME).unlink(missing_ok=True)  # a failed init's, never a live wallet's
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
                _migrate(conn, 0, data_key)
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
        _note_commit(home, conn.execute("SELECT generation FROM manifest WHERE slot = 1").fetchone()[0])
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
            # The shape is checked before use: a hand-edited keyslot is a locked wallet, not a crash.
            if not (isinstance(kdf_json, str) and isinstance(salt, bytes) and isinstance(wrapped, bytes)
                    and len(salt) == SALT_SIZE):
                raise WalletLockedError()
            try:
                kdf = crypto.KdfParams.from_dict(json.loads(kdf_json))
            except (ValueError, crypto.CryptoError):
                raise WalletLockedError() from None
            _check_passphrase(passphrase)
            kek = crypto.derive_key(passphrase, salt, kdf)
            try:
                data_key = crypto.open_sealed(kek, wrapped, keyslot_aad(kdf_json, salt))
            except crypto.SealError:
                raise WalletLockedError() from None
            if len(data_key) != crypto.KEY_SIZE:
                raise WalletLockedError()
            if version < FORMAT_VERSION:
                # One transaction: a failure or a crash leaves the wallet at its old version.
                conn.execute("BEGIN IMMEDIATE")
                try:
                    _migrate(conn, _user_version(conn), data_key)
                    migrated = conn.execute("SELECT generation FROM manifest WHERE slot = 1").fetchone()[0]
                    _note_commit(home, migrated)
                    conn.execute("COMMIT")
                except BaseException:
                    with suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                    raise
            conn.execute("PRAGMA journal_mode = WAL")
            gap = _commit_gap(home, conn)
            if gap is not None:
                warnings.append(_loss_message(*gap))
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise _damaged(path, f"could not be read ({exc})") from None
        except UnicodeDecodeError:
            conn.close()
            raise _damaged(path, "could not be read (damaged text in the file)") from None
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
        """Group writes: all of them land, or none (nesting joins the outer transaction).
        The manifest is read fresh under the write lock and written back before COMMIT;
        after COMMIT the WAL is checkpointed into the database file (see `_after_commit`)."""
        with self._lock:
            if self._depth > 0:
                self._depth += 1
                try:
                    yield self
                finally:
                    self._depth -= 1
                return
            with self._damage_is_locked():
                conn = self._live()
                conn.execute("BEGIN IMMEDIATE")  # take the write lock now: no upgrade deadlock
                self._depth = 1
                try:
                    self._refresh_manifest()
                    yield self
                    if self._dirty:
                        self._write_manifest()
                        _note_commit(self.home, self._generation)
                    self._depth = 0
                    conn.execute("COMMIT")
                except BaseException:
                    self._depth = 0
                    self._forget_changes()
                    with suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                    raise
                self._after_commit()

    def _forget_changes(self) -> None:
        """After a rollback: the in-memory manifest may hold changes that never committed."""
        self._generation = None
        for key in self._dirty:
            self._buckets.pop(key, None)
        self._dirty = set()
        self._frames = []

    @contextmanager
    def savepoint(self) -> Iterator["Wallet"]:
        """Inside a write transaction: the writes of this block land together or are undone
        together (an exception), and the transaction goes on. Lets one transaction carry many
        inputs that must each be stored whole or not at all (import of a folder)."""
        with self._lock:
            if self._depth == 0:
                raise LerwalletError("a savepoint needs an open transaction")
            conn = self._live()
            name = f"lerwallet_{len(self._frames)}"
            conn.execute(f"SAVEPOINT {name}")
            self._frames.append({})
            counter, depth = self._counter, self._depth
            self._depth += 1
            try:
                yield self
            except BaseException:
                self._depth = depth
                frame = self._frames.pop()
                with self._damage_is_locked():
                    conn.execute(f"ROLLBACK TO {name}")
                    conn.execute(f"RELEASE {name}")
                for key, before in frame.items():
                    if before is None:
                        self._buckets.pop(key, None)
                        self._dirty.discard(key)
                    else:
                        self._buckets[key] = before
                self._counter = counter
                raise
            self._depth = depth
            frame = self._frames.pop()
            if self._frames:
                for key, before in frame.items():
                    self._frames[-1].setdefault(key, before)
            with self._damage_is_locked():
                conn.execute(f"RELEASE {name}")

    def _after_commit(self) -> None:
        """Move the committed pages from the WAL into the database file and empty the WAL, so
        committed records never live only in the WAL (where one damaged frame makes SQLite drop
        it and every later one, silently). Best effort: a reader elsewhere can hold it back;
        the commit counter (`_note_commit`) still detects a loss then."""
        conn = self._live()
        with suppress(sqlite3.Error):
            conn.execute("PRAGMA busy_timeout = 0")  # never wait for a reader: try, and move on
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            finally:
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    @contextmanager
    def _damage_is_locked(self) -> Iterator[None]:
        """SQLite's own errors on a damaged file (malformed pages, a mangled schema, text that
        is not UTF-8) as what they are: a damaged wallet, exit 3, never a crash."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            if _is_busy(exc):
                raise LerwalletError(f"the wallet is busy: another lerwallet holds it ({exc})",
                                     hint="try again when the other command has finished") from None
            raise _damaged(self.db_path, f"could not be read ({exc})") from None
        except UnicodeDecodeError:
            raise _damaged(self.db_path, "could not be read (damaged text in the file)") from None

    @contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction (outside a write): rows and manifest from one consistent state."""
        with self._lock:
            conn = self._live()
            if self._depth > 0:
                yield conn
                return
            with self._damage_is_locked():
                conn.execute("BEGIN")
                try:
                    self._refresh_manifest()
                    yield conn
                finally:
                    with suppress(sqlite3.Error):
                        conn.execute("COMMIT")

    def put(self, kind: str, record_id: str, data: dict) -> None:
        """Insert or replace one record, sealed with AAD(kind, id, version); the version is new
        and the manifest records it in the same transaction."""
        _check_name("kind", kind)
        _check_name("id", record_id)
        try:
            plaintext = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        except UnicodeEncodeError as exc:
            bad = exc.object[exc.start:exc.end].encode("unicode_escape").decode()
            raise InputError(f"record holds text that is not valid Unicode (a lone surrogate {bad})") from None
        except (TypeError, ValueError) as exc:
            raise UsageError(f"record is not JSON-serializable: {exc}") from None
        listing = _listing_copy(kind, plaintext)
        row = _row_maker(kind)(record_id, listing) if listing is not None else None
        with self.transaction():
            bucket = self._writable(kind, bucket_of(record_id))
            version = self._counter + 1
            sealed = crypto.seal(self._data_key(), plaintext, record_aad(kind, record_id, version))
            self._conn.execute(
                "INSERT OR REPLACE INTO records (kind, id, sealed, version) VALUES (?, ?, ?, ?)",
                (kind, record_id, sealed, version),
            )
            self._counter = version
            bucket.versions[record_id] = version
            if bucket.is_listed:
                if listing is None:
                    bucket.drop_listed(record_id)
                else:
                    bucket.set_listed(record_id, listing, sealed_digest(sealed), row)

    def get(self, kind: str, record_id: str) -> dict:
        with self._snapshot() as conn:
            row = conn.execute(
                f"SELECT {_SEALED}, version FROM records WHERE kind = ? AND id = ?", (kind, record_id)
            ).fetchone()
            expected = self._expected(kind, record_id)
        if row is None:
            if expected is not None:
                raise _removed(kind, record_id)
            raise NotFoundError(f"no {kind} with id {record_id}")
        return self._open_record(kind, record_id, row[0], row[1], expected)

    def has(self, kind: str, record_id: str) -> bool:
        """A row exists, or the manifest says one should (then `get` reports it removed)."""
        with self._snapshot() as conn:
            return self._expected(kind, record_id) is not None or conn.execute(
                "SELECT 1 FROM records WHERE kind = ? AND id = ?", (kind, record_id)
            ).fetchone() is not None

    def entries(self, kind: str) -> list[Entry]:
        """Every record of a kind, damaged ones included (with `error` set), in id order.
        Rows older than the manifest says, rows it does not list, and rows it lists that are
        gone are all damaged entries."""
        out = []
        opener = crypto.sealed_opener(self._data_key())  # one cipher setup for every record
        with self._snapshot() as conn, collector_paused():
            rows = conn.execute(f"SELECT id, {_SEALED}, version FROM records WHERE kind = ? ORDER BY id",
                                (kind,)).fetchall()
            listed, damaged = self._versions(kind)
            for record_id, sealed, version in rows:
                record_id = _name(record_id)
                bad_bucket = damaged.get(bucket_of(record_id))
                if bad_bucket is not None:
                    out.append(Entry(record_id, None, bad_bucket))
                    continue
                try:
                    data = self._open_record(kind, record_id, sealed, version, listed.pop(record_id, None), opener)
                    out.append(Entry(record_id, data))
                except IntegrityError as exc:
                    out.append(Entry(record_id, None, exc))
        if listed:
            out.extend(Entry(record_id, None, _removed(kind, record_id)) for record_id in listed)
            out.sort(key=lambda e: e.id)
        return out

    def list(self, kind: str) -> list[tuple[str, dict]]:
        """Every record of a kind, decrypted. IntegrityError names the first damaged one."""
        out = []
        for entry in self.entries(kind):
            if entry.error is not None:
                raise entry.error
            out.append((entry.id, entry.data))
        return out

    def file_problems(self) -> list[str]:
        """SQLite's own page-level check of the wallet file (`PRAGMA quick_check`): [] when
        sound. Sealed records catch altered contents; this catches a damaged file structure."""
        with self._lock:
            try:
                rows = [str(r[0]) for r in self._live().execute("PRAGMA quick_check").fetchall()]
            except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
                return [f"the database file could not be read ({exc})"]
        return [] if rows == ["ok"] else rows

    def commit_gap(self) -> tuple[int, int] | None:
        """(generation found, generation last committed) when committed writes are missing
        from the database file; None when nothing is known to be lost."""
        with self._lock, self._damage_is_locked():
            return _commit_gap(self.home, self._live())

    def accept_loss(self) -> None:
        """Take the database as it is now as the wallet's state (after deciding not to restore
        a backup): the commit counter is reset to the current generation."""
        with self._lock, self._damage_is_locked():
            row = self._live().execute("SELECT generation FROM manifest WHERE slot = 1").fetchone()
        _note_commit(self.home, row[0] if row and isinstance(row[0], int) else 0)

    def row_problems(self, kind: str) -> dict[str, str]:
        """Records of `kind` that are certainly damaged, found without decrypting anything:
        rows the manifest lists at another version or not at all, and listed rows that are gone.
        Cheap enough for `list` to look at the originals it does not open."""
        return self.row_report(kind)[1]

    def row_report(self, kind: str) -> tuple[set[str], dict[str, str]]:
        """(every id of `kind`, rows and manifest entries alike; {id: problem} for those
        `row_problems` names), in one read of the versions (a covering index, no blob)."""
        with self._snapshot() as conn:
            rows = _row_versions(conn, kind)
            listed, damaged = self._versions(kind)
        if not damaged and rows == listed:  # the usual case, compared in C
            return set(rows), {}
        ids = set(rows) | set(listed)
        problems = {}
        for record_id, version in rows.items():
            bad_bucket = damaged.get(bucket_of(record_id)) if damaged else None
            if bad_bucket is not None:
                problems[record_id] = bad_bucket.message
                continue
            expected = listed.pop(record_id, None)
            if expected is None or version != expected or not isinstance(version, int):
                problems[record_id] = f"{kind} {record_id} is not the one this wallet wrote (version {version!r}, expected {expected!r})"
        for record_id in listed:
            problems[record_id] = _removed(kind, record_id).message
        return ids, problems

    def listing(self, kind: str) -> list[Entry]:
        """Every record of a LISTED kind from the listing copies in its manifest buckets: a few
        decryptions instead of one per record, in no particular order. Damage is reported per
        record as in `entries`: a row gone, older or newer than the manifest says, not in it, in
        a bucket that does not open, or whose sealed bytes are not the ones its listing row names
        (altered in place: found by a digest, without decrypting the row)."""
        healthy, damaged = self.listing_data(kind)
        return [Entry(record_id, data) for record_id, data in healthy.items()] + damaged

    def listing_data(self, kind: str) -> tuple[dict[str, dict], list[Entry]]:
        """`listing` as ({id: listing copy} for the sound records, [Entry] for the damaged ones):
        no object per sound record (10,000 of them in a large wallet's `list`)."""
        if kind not in LISTED:
            raise UsageError(f"records of kind {kind} have no listing copies")
        healthy: dict[str, dict] = {}
        bad: list[Entry] = []
        listed: set[str] = set()
        with self._snapshot() as conn, collector_paused():
            rows, sealed = _row_digests(conn, kind)
            damaged = {}
            for n in self._bucket_numbers(kind):
                try:
                    bucket = self._bucket(kind, n)
                    versions, copies, digests = bucket.versions, bucket.copies, bucket.digests
                except IntegrityError as exc:
                    damaged[n] = exc
                    continue
                except (ValueError, KeyError, TypeError, AttributeError):
                    damaged[n] = _manifest_damaged(f"bucket {kind}/{n} failed its integrity check")
                    continue
                listed.update(versions)
                # The usual case, checked in C: every row at its listed version with the bytes
                # its listing row names, every copy there.
                if (versions.items() <= rows.items() and copies.keys() == versions.keys()
                        and digests.items() <= sealed.items()):
                    healthy.update(copies)
                    continue
                for record_id, expected in versions.items():
                    data = copies.get(record_id)
                    if record_id not in rows:
                        bad.append(Entry(record_id, None, _removed(kind, record_id)))
                    elif rows[record_id] == expected and isinstance(data, dict):
                        if digests.get(record_id) == sealed.get(record_id):
                            healthy[record_id] = data
                        else:
                            bad.append(Entry(record_id, None, _tampered(kind, record_id)))
                    else:
                        try:  # the same message `get` gives
                            self._open_record(kind, record_id, None, rows[record_id], expected)
                        except IntegrityError as exc:
                            bad.append(Entry(record_id, None, exc))
        for record_id in rows.keys() - listed:
            error = damaged.get(bucket_of(record_id))
            bad.append(Entry(record_id, None, error or _not_listed(kind, record_id)))
        return healthy, bad

    def listing_table(self, kind: str) -> ListingTable | None:
        """The compact listing rows of every record of a LISTED kind, in bucket order, when the
        whole kind is sound: every row at its listed version, its sealed bytes those its listing
        row names (SHA-256), every bucket opening with rows of the current layout. None as soon
        as anything is not: the caller then reads `listing_data`, which says what and where.
        One query for the rows, one for the buckets. The full listing copies are authenticated
        (decrypted) but not decoded: a bucket whose copies do not open is damage that `check` and
        the other readers of the listing report for every record in it, so `list` must see it too."""
        if kind not in LISTED:
            raise UsageError(f"records of kind {kind} have no listing rows")
        table = ListingTable()
        versions: dict[str, int] = {}
        digests: list[bytes] = []
        with self._snapshot() as conn, collector_paused():
            if self._dirty:
                return None
            rows, sealed = _row_digests(conn, kind)
            expected = self._root.get(kind, {})
            found = conn.execute("SELECT bucket, version, sealed, listing FROM manifest_bucket WHERE kind = ?",
                                 (kind,)).fetchall()
            if len(found) != len(expected):
                return None
            opener = crypto.sealed_opener(self._data_key())
            try:
                for n, version, blob, copies in found:
                    if expected.get(n) != version:
                        return None
                    opener(copies, listing_aad(kind, n, version))
                    lines = opener(blob, bucket_aad(kind, n, version)).split(b"\n")
                    head = json.loads(lines[0])
                    listed = _listed_ids(head)
                    if head["layout"] != LISTING_LAYOUT or len(lines) != len(listed) + 2:
                        return None
                    versions.update(head["versions"])
                    table.ids += listed
                    digests += _split_digests(head["digests"])
                    table.keys += head["keys"]
                    table.texts += lines[1:-1]
                    table.superseded.update(head["superseded"])
                    table.column_lines.append(lines[-1])
            except (crypto.SealError, ValueError, KeyError, TypeError, AttributeError):
                return None
        if versions != rows or dict(zip(table.ids, digests)) != sealed or len(table.ids) != len(sealed):
            return None
        if not len(table.keys) == len(table.ids):
            return None
        return table

    def stale_listings(self, kind: str, records: dict[str, dict]) -> list[str]:
        """Ids of records (opened by the caller: {id: data}) whose listing copy, listing row or
        digest in the manifest bucket is not what the record as stored gives: what `list` would
        show wrongly. `lerwallet check` reports them."""
        if kind not in LISTED:
            return []
        maker, known = _row_maker(kind), {}  # one parse per distinct issue date, not per record

        def make(record_id: str, copy: dict) -> tuple:
            return maker(record_id, copy, known)

        stale = []
        with self._snapshot() as conn:
            _rows, sealed = _row_digests(conn, kind)
            for n in self._bucket_numbers(kind):
                try:
                    bucket = self._bucket(kind, n)
                    copies, digests, made = bucket.copies, bucket.digests, bucket.rows
                except (IntegrityError, ValueError, KeyError, TypeError, AttributeError):
                    continue  # reported as a damaged bucket
                for record_id in bucket.versions:
                    data = records.get(record_id)
                    if data is None:
                        continue  # reported as a damaged record
                    copy = listing_of(kind, data)
                    if (copies.get(record_id) != copy or digests.get(record_id) != sealed.get(record_id)
                            or made.get(record_id) != make(record_id, copy)):
                        stale.append(record_id)
        return sorted(stale)

    def manifest_problems(self) -> list[tuple[str, int, str]]:
        """(kind, bucket, message) for every manifest bucket that does not open: what `check`
        reports besides the records inside them."""
        out = []
        with self._snapshot():
            for kind in sorted(self._root):
                for n in self._bucket_numbers(kind):
                    try:
                        self._bucket(kind, n)
                    except IntegrityError as exc:
                        out.append((kind, n, exc.message))
        return out

    def kinds(self) -> list[str]:
        """Every record kind in the wallet: those with rows and those the manifest lists."""
        with self._snapshot() as conn:
            rows = {_name(r[0]) for r in conn.execute("SELECT DISTINCT kind FROM records")}
            return sorted(rows | {kind for kind, buckets in self._root.items() if buckets})

    def ids(self, kind: str) -> list[str]:
        with self._snapshot() as conn:
            rows = {_name(r[0]) for r in conn.execute("SELECT id FROM records WHERE kind = ?", (kind,))}
            return sorted(rows | set(self._versions(kind)[0]))

    def delete(self, kind: str, record_id: str) -> None:
        """Remove a record and its manifest entry (also clears a record reported as removed)."""
        with self.transaction():
            cur = self._conn.execute("DELETE FROM records WHERE kind = ? AND id = ?", (kind, record_id))
            n = bucket_of(record_id)
            listed = record_id in self._bucket(kind, n).versions
            if cur.rowcount == 0 and not listed:
                raise NotFoundError(f"no {kind} with id {record_id}")
            if listed:
                bucket = self._writable(kind, n)
                bucket.versions.pop(record_id, None)
                bucket.drop_listed(record_id)

    def resolve_id(self, kind: str, prefix: str) -> str:
        """The one id of `kind` that equals or starts with `prefix`, like git's short hashes."""
        prefix = (prefix or "").strip()
        if not prefix:
            raise UsageError("empty id")
        if self.has(kind, prefix):
            return prefix
        rows = [i for i in self.ids(kind) if i.startswith(prefix)][:11]
        if not rows:
            raise NotFoundError(f"no {kind} with id {prefix}", hint="see the ids with: lerwallet list")
        if len(rows) > 1:
            shown = ", ".join(rows[:10]) + (", ..." if len(rows) > 10 else "")
            raise UsageError(
                f"id prefix {prefix} is ambiguous: it matches {shown}",
                hint="type more characters of the id",
            )
        return rows[0]

    # --- manifest ---------------------------------------------------------------------------

    def _refresh_manifest(self) -> None:
        """Re-read the manifest root when another connection changed it (its generation moved).
        Buckets are checked against the root when used (`_bucket`)."""
        row = self._live().execute("SELECT generation, sealed FROM manifest WHERE slot = 1").fetchone()
        if row is None:
            raise _manifest_damaged("is missing")
        generation, sealed = row
        if generation == self._generation:
            return
        if not isinstance(generation, int) or not isinstance(sealed, bytes):
            raise _manifest_damaged("is malformed")
        counter, root = _parse_root(self._data_key(), generation, sealed)
        self._root, self._counter, self._generation = root, counter, generation
        self._dirty = set()

    def _bucket_numbers(self, kind: str) -> list[int]:
        return sorted(set(self._root.get(kind, {})) | {n for k, n in self._dirty if k == kind})

    def _bucket(self, kind: str, n: int) -> _Bucket:
        """Manifest bucket `n` of `kind` as of the current root (read and opened when its
        version moved). IntegrityError when it does not open or is not the version the root
        names: every record in it is then unverifiable."""
        key = (kind, n)
        cached = self._buckets.get(key)
        if key in self._dirty:
            return cached
        version = self._root.get(kind, {}).get(n)
        if version is None:
            return _Bucket(None, {}, listed=kind in LISTED)
        if cached is not None and cached.version == version:
            return cached
        row = self._live().execute("SELECT version, sealed, listing FROM manifest_bucket WHERE kind = ? AND bucket = ?",
                                   (kind, n)).fetchone()
        where = f"bucket {kind}/{n}"
        if row is None:
            raise _manifest_damaged(f"{where} is missing")
        if row[0] != version or not isinstance(row[1], bytes):
            raise _manifest_damaged(f"{where} is not the one the manifest names (an older copy?)")
        pending = None
        try:
            lines = crypto.open_sealed(self._data_key(), row[1], bucket_aad(kind, n, version)).split(b"\n")
            head = json.loads(lines[0])
            versions = head["versions"]
            if not (isinstance(versions, dict) and all(isinstance(v, int) for v in versions.values())):
                raise ValueError
            if kind in LISTED:
                if not isinstance(row[2], bytes):
                    raise ValueError
                listing = crypto.open_sealed(self._data_key(), row[2], listing_aad(kind, n, version))
                pending = (kind, head, lines, listing, where)
        except (crypto.SealError, ValueError, KeyError, TypeError, AttributeError):
            raise _manifest_damaged(f"{where} failed its integrity check") from None
        bucket = self._buckets[key] = _Bucket(version, versions, pending=pending)
        return bucket

    def _writable(self, kind: str, n: int) -> _Bucket:
        """The bucket, to change inside the open write transaction (a copy: a rollback must not
        leave the change in the cache)."""
        key = (kind, n)
        if self._frames and key not in self._frames[-1]:
            self._frames[-1][key] = self._buckets[key].copy() if key in self._dirty else None
        if key not in self._dirty:
            self._buckets[key] = self._bucket(kind, n).copy()
            self._dirty.add(key)
        return self._buckets[key]

    def _expected(self, kind: str, record_id: str) -> int | None:
        """The version the manifest gives (kind, id); None when it is not listed."""
        return self._bucket(kind, bucket_of(record_id)).versions.get(record_id)

    def _versions(self, kind: str) -> tuple[dict[str, int], dict[int, IntegrityError]]:
        """({id: version} over every bucket of `kind` that opens, {bucket: error} for the others)."""
        versions: dict[str, int] = {}
        damaged: dict[int, IntegrityError] = {}
        for n in self._bucket_numbers(kind):
            try:
                versions.update(self._bucket(kind, n).versions)
            except IntegrityError as exc:
                damaged[n] = exc
        return versions, damaged

    def _write_manifest(self) -> None:
        """Seal the changed buckets (an emptied one is removed) and the root, at generation + 1."""
        generation = (self._generation or 0) + 1
        key_ = self._data_key()
        conn = self._live()
        for kind, n in sorted(self._dirty):
            bucket = self._buckets[(kind, n)]
            if not bucket.versions:
                conn.execute("DELETE FROM manifest_bucket WHERE kind = ? AND bucket = ?", (kind, n))
                self._root.get(kind, {}).pop(n, None)
                if not self._root.get(kind):
                    self._root.pop(kind, None)
                del self._buckets[(kind, n)]
                continue
            conn.execute("INSERT OR REPLACE INTO manifest_bucket (kind, bucket, version, sealed, listing) "
                         "VALUES (?, ?, ?, ?, ?)", (kind, n, generation, *_seal_bucket(key_, kind, n, generation, bucket)))
            bucket.version = generation
            self._root.setdefault(kind, {})[n] = generation
        conn.execute("UPDATE manifest SET generation = ?, sealed = ? WHERE slot = 1",
                     (generation, _seal_root(key_, generation, self._counter, self._root)))
        self._generation = generation
        self._dirty = set()

    def keyed_digest(self, purpose: str, data: bytes) -> str:
        """HMAC-SHA256 of `data` under a subkey of the data key: a duplicate detector that
        reveals nothing to someone without the passphrase (a plain hash would)."""
        subkey = crypto.hmac_sha256(self._data_key(), f"lerwallet-subkey-v1:{purpose}".encode())
        return crypto.hmac_sha256(subkey, data).hex()

    # --- keys and status ------------------------------------------------------------------

    def change_passphrase(self, new: bytes, *, kdf: crypto.KdfParams | None = None) -> None:
        """Re-wrap the data key under `new` (fresh salt). The KDF parameters are `kdf` when
        given, else the current ones raised to at least today's defaults (stronger ones are
        kept), so changing the passphrase upgrades a wallet made with weaker parameters.
        One KDF run, one row rewritten; no record is re-encrypted."""
        _check_passphrase(new)
        kdf = kdf or self._kdf.at_least(new_wallet_kdf())
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
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
            raise _damaged(path, f"could not be read ({exc})") from None
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

    def _open_record(self, kind: str, record_id: str, sealed, version, expected: int | None,
                     opener=None) -> dict:
        if expected is None or not isinstance(version, int) or version != expected:
            if isinstance(version, int) and expected is not None and version < expected:
                why = f"is an older copy (version {version}; the wallet expects {expected}): rolled back"
            else:
                why = "is not the one this wallet wrote (not in its manifest)"
            raise IntegrityError(
                f"{kind} {record_id} {why}",
                hint="the rest of the wallet is unaffected; delete this record or restore it from a backup",
            )
        try:
            if not isinstance(sealed, bytes):
                raise ValueError("sealed value is not a blob")
            aad = record_aad(kind, record_id, version)
            if opener is not None:
                plaintext = opener(sealed, aad)
            else:
                plaintext = crypto.open_sealed(self._data_key(), sealed, aad)
            data = json.loads(plaintext)
        except (crypto.SealError, ValueError):
            raise _tampered(kind, record_id) from None
        return data


def _removed(kind: str, record_id: str) -> IntegrityError:
    return IntegrityError(
        f"{kind} {record_id} was removed from the wallet file outside lerwallet",
        hint="delete it to stop this warning, or restore the wallet from a backup",
    )


def _commit_gap(home: Path, conn: sqlite3.Connection) -> tuple[int, int] | None:
    noted = _noted_commit(home)
    row = conn.execute("SELECT generation FROM manifest WHERE slot = 1").fetchone()
    found = row[0] if row is not None and isinstance(row[0], int) else None
    # One behind is a write whose COMMIT never happened (a crash between noting and committing).
    if noted is None or found is None or found >= noted - 1:
        return None
    return found, noted


def _loss_message(found: int, noted: int) -> str:
    return (f"committed changes are missing from the wallet file: it is at write {found}, but write {noted} was "
            f"committed (a damaged wallet.db-wal, or wallet.db replaced by an older copy); run lerwallet check, "
            f"then restore a backup or accept the wallet as it is with lerwallet check --accept-loss")


def _tampered(kind: str, record_id: str) -> IntegrityError:
    """What `_open_record` says of a row that does not open: also said of a row whose bytes are
    not the ones its listing row names (the same damage, found without decrypting)."""
    return IntegrityError(
        f"{kind} {record_id} failed its integrity check (damaged or tampered)",
        hint="the rest of the wallet is unaffected; delete this record or restore it from a backup",
    )


def _not_listed(kind: str, record_id: str) -> IntegrityError:
    return IntegrityError(
        f"{kind} {record_id} is not the one this wallet wrote (not in its manifest)",
        hint="the rest of the wallet is unaffected; delete this record or restore it from a backup",
    )


def _seal_bucket(key: bytes, kind: str, n: int, version: int, bucket: _Bucket) -> tuple[bytes, bytes | None]:
    """(sealed, listing) of a bucket: its head line ({"versions"}; for a LISTED kind also the ids
    without a listing row, the digests, default-order keys and the superseded ones), then for a LISTED
    kind one line per listed record (its `list --json` object) and a line of LISTING_COLUMNS
    values; and, apart, the full listing copies (None for other kinds)."""
    head: dict = {"versions": bucket.versions}
    if not bucket.is_listed:
        body = json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode()
        return crypto.seal(key, body, bucket_aad(kind, n, version)), None
    copies, digests, rows = bucket.copies, bucket.digests, bucket.rows
    listed = [i for i in bucket.versions if i in rows]  # the order `_listed_ids` reads back
    head.update(layout=LISTING_LAYOUT, unlisted=[i for i in bucket.versions if i not in rows],
                digests=b"".join(digests[i] for i in listed).hex(),
                keys=[rows[i][0] for i in listed], superseded=[i for i in listed if rows[i][3]])
    columns = dict(zip(LISTING_COLUMNS, map(list, zip(*(rows[i][2] for i in listed))))) if listed else {
        c: [] for c in LISTING_COLUMNS}
    lines = [json.dumps(head, ensure_ascii=False, separators=(",", ":"))]
    lines += (rows[i][1] for i in listed)
    lines.append(json.dumps(columns, ensure_ascii=False, separators=(",", ":")))
    body = "\n".join(lines).encode()
    listing = json.dumps({i: copies[i] for i in listed}, ensure_ascii=False, separators=(",", ":")).encode()
    return crypto.seal(key, body, bucket_aad(kind, n, version)), crypto.seal(key, listing, listing_aad(kind, n, version))


def _seal_bucket_v3(key: bytes, kind: str, n: int, version: int, versions: dict[str, int],
                    listing: dict[str, dict] | None) -> bytes:
    """A format 3 bucket, written only by the migration from format 2 (then made format 4)."""
    body: dict = {"versions": versions}
    if listing is not None:
        body["listing"] = listing
    return crypto.seal(key, json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode(),
                       bucket_aad_v3(kind, n, version))


def _seal_root(key: bytes, generation: int, counter: int, root: dict[str, dict[int, int]]) -> bytes:
    body = {"counter": counter, "fanout": FANOUT,
            "buckets": {kind: {str(n): v for n, v in sorted(numbers.items())} for kind, numbers in sorted(root.items())}}
    return crypto.seal(key, json.dumps(body, separators=(",", ":")).encode(), root_aad(generation))


def _manifest_damaged(what: str) -> IntegrityError:
    return IntegrityError(
        f"the wallet's record manifest {what}; records cannot be checked for rollback",
        hint="the wallet file was altered outside lerwallet: restore it from a backup",
    )


def _check_passphrase(passphrase: bytes) -> None:
    if not isinstance(passphrase, (bytes, bytearray)):
        raise UsageError("passphrase must be bytes")
    if not passphrase:
        raise UsageError("empty passphrase")


def _stats(home: Path, conn: sqlite3.Connection, kdf: crypto.KdfParams) -> dict:
    counts = dict(conn.execute("SELECT kind, count(*) FROM records GROUP BY kind"))
    # The database and its write-ahead log hold the data; the -shm file is SQLite's shared-memory
    # index, created by whichever connection is open (this one too), not the wallet's size.
    files = [home / DB_NAME, home / (DB_NAME + "-wal")]
    default = crypto.KdfParams.default()
    return {
        "home": str(home),
        "database": str(_db_path(home)),
        "format_version": _user_version(conn),
        "records": counts,
        "kdf": kdf.to_dict(),
        "kdf_weak": kdf.weaker_than(default),
        "bytes_on_disk": sum(p.stat().st_size for p in files if p.is_file()),
    }


def _user_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def _damaged(path: Path, why: str) -> WalletLockedError:
    """The wallet file itself is unreadable (truncated, overwritten, emptied): exit 3 like any
    damaged wallet, named as such since no passphrase is involved yet."""
    return WalletLockedError(f"damaged wallet: {path} {why}",
                             hint="nothing was changed; restore the folder from a backup (lerwallet path shows it)")


def _check_header(conn: sqlite3.Connection, path: Path) -> int:
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = _user_version(conn)
    except (sqlite3.DatabaseError, UnicodeDecodeError):
        raise _damaged(path, "is not a lerwallet wallet (not a readable SQLite file)") from None
    if app_id != APPLICATION_ID:
        raise _damaged(path, "is not a lerwallet wallet (empty, truncated or another program's file)")
    try:  # fields SQLite reads only with the pages they concern: a wallet never sets them otherwise
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError:
        header = b""
    if len(header) < 100 or header[20] != 0 or header[21:24] != b"\x40\x20\x20":
        raise _damaged(path, "has a damaged SQLite header (reserved bytes or payload fractions altered)")
    if version > FORMAT_VERSION:
        raise InputError(
            f"wallet format version {version} is newer than this lerwallet supports ({FORMAT_VERSION})",
            hint="upgrade lerwallet to open this wallet",
        )
    if version < 1:
        raise _damaged(path, "is not a lerwallet wallet (no format version)")
    return version


def _migrate(conn: sqlite3.Connection, current: int, data_key: bytes) -> None:
    """Bring the schema from `current` to FORMAT_VERSION; caller holds a write transaction."""
    for version in range(current + 1, FORMAT_VERSION + 1):
        for statement in _MIGRATIONS[version].split(";"):
            if statement.strip():
                conn.execute(statement)
        if version == 2:
            _upgrade_records(conn, data_key)
        if version == 3:
            _split_manifest(conn, data_key)
        if version == 4:
            _compact_listing(conn, data_key)
        conn.execute(f"PRAGMA user_version = {version}")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def _upgrade_records(conn: sqlite3.Connection, data_key: bytes) -> None:
    """Format 1 to 2: re-seal every record with a version in its AAD and write the manifest.
    A record that no longer opened under format 1 is left as it was (version 0, not in the
    manifest), so it is still reported as damaged and can still be deleted."""
    opener = crypto.sealed_opener(data_key)
    manifest: dict[str, dict[str, int]] = {}
    counter = 0
    for kind, record_id, sealed in conn.execute("SELECT kind, id, sealed FROM records ORDER BY kind, id").fetchall():
        try:
            plaintext = opener(sealed if isinstance(sealed, bytes) else b"", record_aad_v1(kind, record_id))
        except crypto.SealError:
            continue
        counter += 1
        conn.execute("UPDATE records SET sealed = ?, version = ? WHERE kind = ? AND id = ?",
                     (crypto.seal(data_key, plaintext, record_aad(kind, record_id, counter)), counter, kind, record_id))
        manifest.setdefault(kind, {})[record_id] = counter
    body = json.dumps({"counter": counter, "records": manifest}, separators=(",", ":")).encode()
    conn.execute("INSERT INTO manifest (slot, generation, sealed) VALUES (1, 1, ?)",
                 (crypto.seal(data_key, body, manifest_aad_v2(1)),))


def _split_manifest(conn: sqlite3.Connection, data_key: bytes) -> None:
    """Format 2 to 3: the single manifest becomes buckets under a root, at the next generation,
    and each record of a LISTED kind that opens at its listed version gets its listing copy.
    Records are not re-sealed (their AAD is unchanged). A record that does not open keeps its
    manifest entry without a copy, so it stays reported as damaged. A format 2 manifest that does
    not open stops the migration: the wallet stays at version 2, as damaged as it was."""
    row = conn.execute("SELECT generation, sealed FROM manifest WHERE slot = 1").fetchone()
    try:
        generation, sealed = row
        data = json.loads(crypto.open_sealed(data_key, sealed, manifest_aad_v2(generation)))
        counter, records = data["counter"], data["records"]
        if not isinstance(counter, int) or not all(
                isinstance(ids, dict) and all(isinstance(v, int) for v in ids.values()) for ids in records.values()):
            raise ValueError
    except (crypto.SealError, ValueError, KeyError, TypeError, AttributeError):
        raise _manifest_damaged("failed its integrity check") from None
    buckets: dict[tuple[str, int], tuple[dict[str, int], dict[str, dict] | None]] = {}
    for kind, ids in records.items():
        for record_id, version in ids.items():
            key = (kind, bucket_of(record_id))
            bucket = buckets.setdefault(key, ({}, {} if kind in LISTED else None))
            bucket[0][record_id] = version
    opener = crypto.sealed_opener(data_key)
    for kind in LISTED:
        listed = records.get(kind, {})
        for record_id, sealed, version in conn.execute(
                f"SELECT id, {_SEALED}, version FROM records WHERE kind = ?", (kind,)).fetchall():
            record_id = _name(record_id)
            if listed.get(record_id) != version or not isinstance(sealed, bytes):
                continue
            try:
                copy = _listing_copy(kind, opener(sealed, record_aad(kind, record_id, version)))
            except (crypto.SealError, ValueError):
                continue
            if copy is not None:
                buckets[(kind, bucket_of(record_id))][1][record_id] = copy
    generation += 1
    root: dict[str, dict[int, int]] = {}
    for (kind, n), (versions, listing) in sorted(buckets.items()):
        conn.execute("INSERT INTO manifest_bucket (kind, bucket, version, sealed) VALUES (?, ?, ?, ?)",
                     (kind, n, generation, _seal_bucket_v3(data_key, kind, n, generation, versions, listing)))
        root.setdefault(kind, {})[n] = generation
    conn.execute("UPDATE manifest SET generation = ?, sealed = ? WHERE slot = 1",
                 (generation, _seal_root(data_key, generation, counter, root)))


def _open_root(conn: sqlite3.Connection, data_key: bytes) -> tuple[int, int, dict[str, dict[int, int]]]:
    """(generation, counter, {kind: {bucket: version}}) of the manifest root; IntegrityError
    when it is missing or does not open."""
    row = conn.execute("SELECT generation, sealed FROM manifest WHERE slot = 1").fetchone()
    try:
        generation, sealed = row
    except (ValueError, TypeError):
        raise _manifest_damaged("failed its integrity check") from None
    counter, root = _parse_root(data_key, generation, sealed)
    return generation, counter, root


def _parse_root(data_key: bytes, generation: int, sealed: bytes) -> tuple[int, dict[str, dict[int, int]]]:
    """(counter, {kind: {bucket: version}}) of a sealed manifest root of `generation`;
    IntegrityError when it does not open or is not a root of this fan-out."""
    try:
        data = json.loads(crypto.open_sealed(data_key, sealed, root_aad(generation)))
        counter, buckets = data["counter"], data["buckets"]
        root = {kind: {int(n): v for n, v in numbers.items()} for kind, numbers in buckets.items()}
        if data["fanout"] != FANOUT or not isinstance(counter, int) or not all(
                isinstance(kind, str) and all(0 <= n < FANOUT and isinstance(v, int) for n, v in numbers.items())
                for kind, numbers in root.items()):
            raise ValueError
    except (crypto.SealError, ValueError, KeyError, TypeError, AttributeError):
        raise _manifest_damaged("failed its integrity check") from None
    return counter, root


def _compact_listing(conn: sqlite3.Connection, data_key: bytes) -> None:
    """Format 3 to 4: every bucket re-sealed under the format 4 label at the next generation;
    a LISTED kind's bucket gets, for each record that opens at its listed version, a listing
    copy, digest and listing row made from the record itself (not from the format 3 copy), the
    copies sealed apart. Records are not re-sealed. A record that does not open keeps its
    manifest entry without a listing row (still reported as damaged); a bucket that does not
    open is left as it was, and stays reported as damaged (its records with it). A root that
    does not open stops the migration: the wallet stays at version 3, as damaged as it was."""
    generation, counter, root = _open_root(conn, data_key)
    generation += 1
    opener = crypto.sealed_opener(data_key)
    new_root: dict[str, dict[int, int]] = {}
    known: dict = {}  # issue dates parsed once each
    for kind, numbers in sorted(root.items()):
        rows: dict[str, tuple] = {}
        if kind in LISTED:
            maker = _row_maker(kind)

            def make(record_id: str, copy: dict, maker=maker) -> tuple:
                return maker(record_id, copy, known)
            rows = {_name(i): (b, v) for i, b, v in conn.execute(
                f"SELECT id, {_SEALED}, version FROM records WHERE kind = ?", (kind,)).fetchall()}
        for n, version in sorted(numbers.items()):
            new_root.setdefault(kind, {})[n] = version
            found = conn.execute("SELECT version, sealed FROM manifest_bucket WHERE kind = ? AND bucket = ?",
                                 (kind, n)).fetchone()
            try:
                if found is None or found[0] != version:
                    raise ValueError
                versions = json.loads(opener(found[1], bucket_aad_v3(kind, n, version)))["versions"]
                if not (isinstance(versions, dict) and all(isinstance(v, int) for v in versions.values())):
                    raise ValueError
            except (crypto.SealError, ValueError, KeyError, TypeError, AttributeError):
                continue  # damaged before, damaged after: the root keeps naming the old copy
            bucket = _Bucket(None, versions, listed=kind in LISTED)
            for record_id, expected in versions.items() if kind in LISTED else ():
                sealed, stored = rows.get(record_id, (None, None))
                if stored != expected or not isinstance(sealed, bytes):
                    continue
                try:
                    copy = _listing_copy(kind, opener(sealed, record_aad(kind, record_id, expected)))
                except (crypto.SealError, ValueError):
                    continue
                if copy is not None:
                    bucket.set_listed(record_id, copy, sealed_digest(sealed), make(record_id, copy))
            conn.execute("UPDATE manifest_bucket SET version = ?, sealed = ?, listing = ? WHERE kind = ? AND bucket = ?",
                         (generation, *_seal_bucket(data_key, kind, n, generation, bucket), kind, n))
            new_root[kind][n] = generation
    conn.execute("UPDATE manifest SET generation = ?, sealed = ? WHERE slot = 1",
                 (generation, _seal_root(data_key, generation, counter, new_root)))
