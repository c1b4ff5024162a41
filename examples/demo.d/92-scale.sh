#!/usr/bin/env bash
# Speed at scale (issue 11): a folder of 300 records imported as a few write transactions (each
# file still whole or not at all; a progress bar shows on a terminal, never in a pipe or with
# --json), store format 4 (sealed listing rows: `list` opens 64 buckets, not 300 records, and
# still sees a record altered in place by the digest each row keeps), then `check` opens every
# record.
set -euo pipefail
W="$DEMO_WORK/scale-wallet"

echo "== 300 unsigned records in a folder (made here), imported into a fresh wallet"
python3 - "$DEMO_WORK/many" <<'PY'
import json, sys
from pathlib import Path
out = Path(sys.argv[1])
out.mkdir()
for i in range(300):
    (out / f"record-{i:03d}.json").write_text(json.dumps({
        "@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
        "id": f"urn:uuid:7d3c0000-0000-4000-8000-{i:012d}", "issuer": "did:example:demo-college",
        "name": f"Workshop {i}", "validFrom": f"2024-{1 + i % 12:02d}-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner"}}))
PY
lerwallet --home "$W" init
lerwallet --home "$W" import "$DEMO_WORK/many" --json > "$DEMO_WORK/imported.json" 2> "$DEMO_WORK/import-warnings.txt"
echo "($(wc -l < "$DEMO_WORK/import-warnings.txt") warning lines on stderr: each one says it was stored as unsigned)"
python3 -c 'import json, sys; rows = json.load(open(sys.argv[1])); print(sum(r["stored"] for r in rows), "stored; statuses:", sorted({r["status"] for r in rows}))' "$DEMO_WORK/imported.json"

echo "== the store format and the listing (newest issued first)"
lerwallet --home "$W" status | grep -i "format"
lerwallet --home "$W" list > "$DEMO_WORK/list.txt"
head -4 "$DEMO_WORK/list.txt"
echo "... $(($(wc -l < "$DEMO_WORK/list.txt") - 1)) rows"

echo "== check opens every record and the listing copies agree with them"
lerwallet --home "$W" check

echo "== one byte of one stored record flipped behind lerwallet's back: list names it too (exit 1)"
python3 - "$W/wallet.db" <<'PY'
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
rid, sealed = conn.execute("SELECT id, sealed FROM records WHERE kind = 'credential' ORDER BY id LIMIT 1").fetchone()
flipped = bytearray(sealed)
flipped[len(flipped) // 2] ^= 1
conn.execute("UPDATE records SET sealed = ? WHERE kind = 'credential' AND id = ?", (bytes(flipped), rid))
conn.commit()
PY
code=0
lerwallet --home "$W" list > "$DEMO_WORK/list-damaged.txt" 2> "$DEMO_WORK/list-damaged-warnings.txt" || code=$?
echo "list: exit $code; $(grep -c damaged "$DEMO_WORK/list-damaged.txt") row marked damaged"
cat "$DEMO_WORK/list-damaged-warnings.txt"
test "$code" = 1
