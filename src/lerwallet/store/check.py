"""`lerwallet check`: open and authenticate every record of a wallet, and say which did not.

The same reading a restore does: a wallet (or a backup) is only as good as the records in it
that still open under their own kind, id and version, and agree with the sealed manifest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lerwallet.errors import IntegrityError
from lerwallet.store.vault import LISTED

_CREDENTIAL = "credential"
_ORIGINAL = "credential-original"


@dataclass
class Finding:
    """One damaged thing: a record (kind, id), the manifest, or the file itself."""

    kind: str
    id: str
    message: str

    def to_dict(self) -> dict:
        return {"kind": self.kind, "id": self.id, "message": self.message}


@dataclass
class CheckResult:
    counts: dict[str, int] = field(default_factory=dict)  # records that opened, per kind
    damaged: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.damaged

    def to_dict(self) -> dict:
        return {"ok": self.ok, "records": self.counts, "damaged": [f.to_dict() for f in self.damaged]}


def check_wallet(w) -> CheckResult:
    """Every record decrypted and authenticated, the manifest checked against the rows, the
    SQLite file structure checked, and each credential's original present. Never raises for
    damage: damage is the result."""
    result = CheckResult()
    for problem in w.file_problems():
        result.damaged.append(Finding("file", "", f"wallet file structure: {problem}"))
    gap = w.commit_gap()
    if gap is not None:
        result.damaged.append(Finding("file", "", f"committed changes are missing: the wallet file is at write {gap[0]}, "
                                                  f"write {gap[1]} was committed (a damaged WAL, or an older copy of wallet.db)"))
    try:
        kinds = w.kinds()
    except IntegrityError as exc:  # the manifest itself: nothing can be checked against it
        result.damaged.append(Finding("manifest", "", exc.message))
        return result
    for kind, bucket, message in w.manifest_problems():
        result.damaged.append(Finding("manifest", f"{kind}/{bucket}", message))
    opened: dict[str, set[str]] = {}
    for kind in kinds:
        entries = w.entries(kind)
        for entry in entries:
            if entry.error is not None:
                result.damaged.append(Finding(kind, entry.id, entry.error.message))
            else:
                opened.setdefault(kind, set()).add(entry.id)
        result.counts[kind] = len(opened.get(kind, ()))
        if kind in LISTED:  # what `list` shows must be what the records say
            records = {e.id: e.data for e in entries if e.error is None}
            for record_id in w.stale_listings(kind, records):
                result.damaged.append(Finding(kind, record_id, f"{kind} {record_id}: its listing copy differs from "
                                                               "the record (lerwallet list would show stale data)"))
    originals = opened.get(_ORIGINAL, set())
    for record_id in sorted(opened.get(_CREDENTIAL, set()) - originals):
        if not any(f.kind == _ORIGINAL and f.id == record_id for f in result.damaged):
            result.damaged.append(Finding(_ORIGINAL, record_id, f"credential {record_id} has no stored original"))
    return result
