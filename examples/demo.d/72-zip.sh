#!/usr/bin/env bash
# A platform's .zip export: every member read as a file in a folder (by content), each source
# shown as archive.zip!path; hostile archives (../ names, bombs, deep nesting) refused whole.
set -euo pipefail

echo "== a .zip export of the examples (a zip inside it too), imported into a fresh wallet"
python3 - "$DEMO_EXAMPLES/credentials" "$DEMO_WORK" <<'PY'
import io, sys, zipfile
from pathlib import Path
src, work = Path(sys.argv[1]), Path(sys.argv[2])
inner = io.BytesIO()
with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as z:
    z.write(src / "ob3-volunteer-vc11.json", "volunteer.json")
with zipfile.ZipFile(work / "export.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.write(src / "ob3-first-aid.json", "badges/first-aid.json")
    z.writestr("older/export-2024.zip", inner.getvalue())
    z.writestr("README.txt", "My learning record export\n")
with zipfile.ZipFile(work / "evil.zip", "w") as z:
    z.write(src / "ob3-first-aid.json", "first-aid.json")
    z.writestr("../../.bashrc", "echo owned\n")
PY
lerwallet --home "$DEMO_WORK/zip-wallet" init
lerwallet --home "$DEMO_WORK/zip-wallet" import "$DEMO_WORK/export.zip"

echo "== a member named ../../.bashrc: the whole archive is refused, nothing stored (exit 2)"
lerwallet --home "$DEMO_WORK/zip-wallet" import "$DEMO_WORK/evil.zip" || echo "(exit $?)"
lerwallet --home "$DEMO_WORK/zip-wallet" list

echo "== verify reads the same archive (no wallet needed)"
lerwallet verify "$DEMO_WORK/export.zip" | tail -3
