#!/usr/bin/env bash
# Export, backup and restore: one encrypted file with every record, checked, restored into a new wallet.
set -euo pipefail

echo "== lerwallet export: the originals, byte for byte, and one badge re-baked into a PNG"
lerwallet export --all --out "$DEMO_WORK/exported"
first=$(lerwallet list --json | python3 -c "import json, sys; print(next(r['id'] for r in json.load(sys.stdin) if r['kind'] == 'OpenBadgeCredential' and r['title'] != 'Welding (MIG and TIG)'))")
lerwallet export "$first" --baked "$DEMO_WORK/badge.png"
lerwallet verify "$DEMO_WORK/badge.png"

echo "== 55-request's ecdsa-sd-2023 badge is a base credential (the holder's copy, its HMAC key links every"
echo "   derived copy; verifiers refuse it): it leaves as a derived copy showing every field, which verifies"
welding=$(lerwallet list --json | python3 -c "import json, sys; print(next(r['id'] for r in json.load(sys.stdin) if r['title'] == 'Welding (MIG and TIG)'))")
lerwallet export "$welding" --baked "$DEMO_WORK/welding.png"
lerwallet verify "$DEMO_WORK/welding.png"

echo "== lerwallet backup: credentials, identities (with private keys), history, settings; sealed"
lerwallet backup --out "$DEMO_WORK/wallet.backup"

echo "== lerwallet backup --verify: the whole file authenticates, nothing is restored"
lerwallet backup --verify "$DEMO_WORK/wallet.backup"

echo "== a damaged copy (one byte flipped) is refused with one line, exit 2"
python3 - "$DEMO_WORK/wallet.backup" "$DEMO_WORK/damaged.backup" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
data[len(data) // 2] ^= 0x01
open(sys.argv[2], "wb").write(bytes(data))
PY
lerwallet backup --verify "$DEMO_WORK/damaged.backup" || echo "(exit $?)"

echo "== restore into a new wallet elsewhere, and list what came back"
lerwallet --home "$DEMO_WORK/restored" restore "$DEMO_WORK/wallet.backup"
lerwallet --home "$DEMO_WORK/restored" list
lerwallet --home "$DEMO_WORK/restored" did list

echo "== restoring into the original with --merge: everything is already there"
lerwallet restore "$DEMO_WORK/wallet.backup" --merge

echo "== lerwallet check: every record decrypted and authenticated"
lerwallet check
