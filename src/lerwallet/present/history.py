"""The history of what was shared: one sealed record per presentation made.

Record kind `presentation-history`, a random id (docs/store-format.md). Written only after the
output was written; never deleted with a credential (an entry keeps the credential's id, title
and issuer as they were when it was shared).
"""

from __future__ import annotations

from dataclasses import dataclass

from lerwallet.errors import NotFoundError, UsageError
from lerwallet.utc import iso

KIND = "presentation-history"
RECORD_VERSION = 1


@dataclass
class Entry:
    n: int  # 1 = the first presentation this wallet made
    record_id: str
    data: dict  # the record as stored (see `entry_data`)
    error: str = ""  # set when the record failed its integrity check

    def to_dict(self) -> dict:
        if self.error:
            return {"n": self.n, "record": self.record_id, "error": self.error}
        return {"n": self.n, **{k: v for k, v in self.data.items() if k not in ("v", "seq")}}


def entry_data(presentation, *, outputs: list[dict]) -> dict:
    """What is remembered: when, for whom (domain/audience), challenge, holder DIDs, which
    credentials and which of their fields, and where the output went (`outputs`: [{"form":
    "file", "path": ...}, {"form": "stdout"}, ...])."""
    p = presentation.plan
    return {
        "made_at": iso(p.created),
        "recorded_at": iso(),
        "format": presentation.form,
        "domain": p.options.domain,
        "challenge": p.challenge,
        "challenge_generated": p.challenge_generated,
        "expires": iso(p.expires_at) if p.expires_at else None,
        "holders": [s.identity.did for s in p.signers],
        "credentials": [
            {"id": c.id, "title": c.record.title, "issuer": c.disclosure.issuer, "fields": list(c.disclosure.fields),
             "image": c.disclosure.image, "whole": c.disclosure.whole, "marks": list(c.marks)}
            for c in p.chosen
        ],
        "outputs": outputs,
        "size": len(presentation.data),
    }


def record(wallet, presentation, *, outputs: list[dict]) -> Entry:
    """Append one entry (one transaction). Call only after the output was written."""
    from lerwallet.store.vault import new_id

    data = entry_data(presentation, outputs=outputs)
    with wallet.transaction():
        seq = 1 + max((int(e.data.get("seq", 0)) for e in wallet.entries(KIND) if e.error is None and e.data), default=0)
        rid = new_id()
        wallet.put(KIND, rid, {"v": RECORD_VERSION, "seq": seq, **data})
    return Entry(seq, rid, {"v": RECORD_VERSION, "seq": seq, **data})


def entries(wallet) -> list[Entry]:
    """Every entry, oldest first. A damaged record is listed with `error` (after the others)."""
    good, bad = [], []
    for e in wallet.entries(KIND):
        if e.error is None and isinstance(e.data, dict) and isinstance(e.data.get("seq"), int):
            good.append(Entry(e.data["seq"], e.id, e.data))
        else:
            bad.append(e)
    good.sort(key=lambda x: x.n)
    last = good[-1].n if good else 0
    for i, e in enumerate(bad, 1):
        good.append(Entry(last + i, e.id, {}, e.error.message if e.error is not None else "unreadable record"))
    return good


def get(wallet, n: str | int) -> Entry:
    """Entry number `n` (as `lerwallet shared` numbers them)."""
    try:
        wanted = int(str(n).strip())
    except ValueError:
        raise UsageError(f"{n!r} is not an entry number", hint="see the numbers with: lerwallet shared") from None
    for entry in entries(wallet):
        if entry.n == wanted:
            return entry
    raise NotFoundError(f"no shared entry {wanted}", hint="see the list with: lerwallet shared")
