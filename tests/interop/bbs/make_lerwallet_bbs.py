"""lerwallet derives bbs-2023 disclosures from the reference stack's base credential
(tests/interop/bbs/js-base.json); verify_lerwallet_bbs.mjs then has the reference verify them
(README.md here). BBS proofs are randomized: a re-run writes new proof values.

Run from the repository root: .venv/bin/python tests/interop/bbs/make_lerwallet_bbs.py
"""

from __future__ import annotations

import json
from pathlib import Path

from lerwallet.proofs.bbs2023_derive import derive

HERE = Path(__file__).parent
CASES = {
    "lerwallet-derived.json": (["/credentialSubject/achievement/description", "/credentialSubject/result/1/value"],
                               b"lerwallet derived: employer nonce 7"),
    "lerwallet-derived-mandatory-only.json": ([], b""),
    "lerwallet-derived-everything.json": (["/id", "/type", "/name", "/credentialSubject"], b"whole badge"),
}


def main() -> None:
    base = json.loads((HERE / "js-base.json").read_text("utf-8"))
    for name, (pointers, header) in CASES.items():
        derived = derive(base, pointers, presentation_header=header)
        (HERE / name).write_text(json.dumps(derived.document, indent=2) + "\n", "utf-8")
        print(f"wrote {name}: {derived.revealed_statements} statements shown, {derived.withheld_statements} withheld")


if __name__ == "__main__":
    main()
