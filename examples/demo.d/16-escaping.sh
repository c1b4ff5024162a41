#!/usr/bin/env bash
# Control characters in a badge (a tab pasted from a spreadsheet, a stray BEL or DEL): the
# canonical N-Quads spell them as RDFC-1.0 says (\t, \u0007, \u007F); badges signed by the
# reference stack's first generation (jsonld.js 8, which wrote them as they are) and by today's
# (rdf-canonize 5) both verify, though each of those refuses the other's (docs/jsonld.md).
set -euo pipefail
PY="$(dirname "$(command -v lerwallet)")/python"
ESC="$DEMO_EXAMPLES/../tests/interop/escape"
verdict() { "$PY" -c 'import json,sys; r=json.load(sys.stdin); c=r["inputs"][0]["credentials"][0]; p=[x for x in c["checks"] if x["id"]=="proof"][0]; print("  %-8s proof %-4s %s" % (c["verdict"], p["outcome"], p["reason"][:90]))'; }

"$PY" - "$ESC/js-signed-rdfc5/eddsa-rdfc-2022-v2.json" <<'PYEOF'
import json, sys
from lerwallet.ld import canonize, nquads
doc = json.load(open(sys.argv[1]))
doc.pop("proof")
def name_line():
    return next(l for l in canonize(doc).splitlines() if "schema.org/name" in l and "Tabs" in l).split(" ", 2)[2]
print("%-38s %r" % ("the name (Python repr):", doc["name"]))
print("%-38s %r" % ("N-Quads, RDFC-1.0 (rdf-canonize 5):", name_line()))
with nquads.legacy():
    print("%-38s %r" % ("N-Quads, rdf-canonize 3 (jsonld.js 8):", name_line()))
PYEOF
for gen in rdfc3 rdfc5; do
    echo "\$ lerwallet verify js-signed-$gen/eddsa-rdfc-2022-v2.json   (signed by the $gen generation)"
    lerwallet verify "$ESC/js-signed-$gen/eddsa-rdfc-2022-v2.json" --json | verdict || true
done
sed 's/Tabs\\tand/Tabs and/' "$ESC/js-signed-rdfc3/eddsa-rdfc-2022-v2.json" > "$DEMO_WORK/escape-tampered.json"
echo "\$ lerwallet verify escape-tampered.json   (the tab in the name made a space)"
lerwallet verify "$DEMO_WORK/escape-tampered.json" --json | verdict || true
