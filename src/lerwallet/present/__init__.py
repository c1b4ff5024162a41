"""Presenting: choose stored credentials, build a Verifiable Presentation, sign it as their holder.

    select -> (derive: selective disclosure, by the request module) -> plan -> build -> self-check
    -> write -> history

Public API (the CLI, `--request`/`--pick` and selective disclosure code against it):
  - `Filters(skill, kind, issuer, status)`, `filter_records(records, filters)`: the one place the
    filter words of `list` and `present` are defined.
  - `select(wallet, ids, filters) -> list[Chosen]`: stored credentials, decoded, with the identity
    each was issued to (`Chosen.owner`) and what would be disclosed (`Chosen.disclosure`).
    A deriving step may replace `Chosen.embed` (what goes into `verifiableCredential`) and
    `Chosen.disclosure.fields` before building.
  - `plan(wallet, chosen, PresentOptions) -> Plan`: the signing identities, warnings, refusals.
  - `build(wallet, plan) -> Presentation`: the signed (or unsigned) presentation, as bytes.
  - `self_check(presentation) -> Report`: the verify pipeline's report; `SelfCheckError` when it
    would not verify.
  - `make(wallet, chosen, options, outputs, confirm=...)`: the whole flow; outputs are
    `FileOutput`, `StdoutOutput` (each: write(presentation) -> dict for the history, discard()).
  - `history.record(wallet, presentation, outputs=...)`, `history.entries(wallet)`.
See docs/present.md.
"""

from __future__ import annotations

from lerwallet.present.build import Plan, PresentOptions, Presentation, build, parse_duration, plan, self_check
from lerwallet.present.outputs import FileOutput, StdoutOutput, make
from lerwallet.present.errors import PresentError, SelfCheckError
from lerwallet.present.select import Chosen, Disclosure, Filters, filter_records, select

__all__ = [
    "Chosen", "Disclosure", "Filters", "Plan", "PresentOptions", "Presentation", "PresentError", "SelfCheckError",
    "FileOutput", "StdoutOutput", "build", "filter_records", "make", "parse_duration", "plan", "select", "self_check",
]
