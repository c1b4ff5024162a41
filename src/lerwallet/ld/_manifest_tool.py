"""Maintainer tool: check (default) or rewrite the sha256 fields of contexts/manifest.json.

    python -m lerwallet.ld._manifest_tool          # exit 1 if any file differs from its hash
    python -m lerwallet.ld._manifest_tool --write  # record the current hashes

Provenance fields (`source`, `npm`) are edited by hand; see docs/jsonld.md.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys

from lerwallet.ld.loader import CONTEXTS_DIR


def main(argv: list[str]) -> int:
    path = os.path.join(CONTEXTS_DIR, "manifest.json")
    with open(path, encoding="utf-8") as fh:
        manifest = json.load(fh)
    bad = 0
    for url, entry in manifest.items():
        with open(os.path.join(CONTEXTS_DIR, entry["file"]), "rb") as fh:
            digest = hashlib.sha256(fh.read()).hexdigest()
        if digest != entry.get("sha256"):
            bad += 1
            print(f"{url}: {entry['file']} sha256 {digest} (manifest: {entry.get('sha256')})")
            entry["sha256"] = digest
    if "--write" in argv:
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(manifest, fh, indent=2, sort_keys=True)
            fh.write("\n")
        return 0
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
