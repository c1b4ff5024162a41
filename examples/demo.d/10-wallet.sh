#!/usr/bin/env bash
# The wallet: create it, import credentials (each one verified first, offline), see their status,
# refuse a tampered one, keep an unsigned self-made record, recheck, show, delete.
set -euo pipefail

echo "== lerwallet init   (passphrase from LERWALLET_PASSPHRASE; never an argument)"
lerwallet init

echo "== lerwallet status   (no passphrase needed; nothing secret)"
lerwallet status

echo "== lerwallet import: the signed examples are verified (offline) before they are stored"
lerwallet import "$DEMO_EXAMPLES"/credentials/

echo "== importing the same file again is detected, not duplicated"
lerwallet import "$DEMO_EXAMPLES/credentials/ob3-first-aid.json"

echo "== a tampered copy (one word changed): refused, exit 1, nothing stored"
python3 - "$DEMO_EXAMPLES/credentials/ob3-first-aid.json" "$DEMO_WORK/tampered.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["credentialSubject"]["achievement"]["name"] = "Brain Surgery"
json.dump(doc, open(sys.argv[2], "w"), indent=2)
PY
lerwallet import "$DEMO_WORK/tampered.json" || echo "(exit $?)"

echo "== an unsigned, self-made record: kept, marked unsigned (not forged, not authentic either)"
lerwallet import "$DEMO_EXAMPLES/unsigned/ob3-first-aid.json"

echo "== a file that is not a credential: one clear line, exit 2, nothing stored"
echo '{"hello": "world"}' > "$DEMO_WORK/not-a-credential.json"
lerwallet import "$DEMO_WORK/not-a-credential.json" || echo "(exit $?)"

echo "== lerwallet list   (STATUS: what verification said at import)"
lerwallet list

first=$(lerwallet list --json | python3 -c 'import json,sys; print(next(r["id"] for r in json.load(sys.stdin) if r["title"] == "First Aid at Work" and r["status"] == "verified"))')
echo "== lerwallet show ${first:0:6}   (any unique prefix of the id; every check and why)"
lerwallet show "${first:0:6}"

echo "== lerwallet show ${first:0:6} --raw  is the original, byte for byte"
lerwallet show "${first:0:6}" --raw | cmp - "$DEMO_EXAMPLES/credentials/ob3-first-aid.json" && echo "identical to ob3-first-aid.json"

echo "== lerwallet recheck   (the same pipeline again, on the stored originals)"
lerwallet recheck

echo "== a wrong passphrase: exit 3"
LERWALLET_PASSPHRASE=wrong lerwallet list || echo "(exit $?)"

echo "== nothing readable on disk: grep for the title in the wallet folder"
title="Community Volunteer"
if grep -rqaF "$title" "$LERWALLET_HOME"; then echo "FOUND (bug)"; exit 1; else echo "'$title' appears nowhere in $LERWALLET_HOME"; fi

echo "== lerwallet passwd  (re-wraps the data key; no record re-encrypted)"
LERWALLET_NEW_PASSPHRASE="$LERWALLET_PASSPHRASE" lerwallet passwd
