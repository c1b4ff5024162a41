#!/usr/bin/env bash
# Open Badges 2.0: a baked PNG (hosted assertion) and a signed JWS badge, verified by the OB 2.0
# rules with the issuer's documents from a cache folder (offline: inconclusive, never verified).
set -euo pipefail
[ -e "$LERWALLET_HOME/wallet.db" ] || lerwallet init  # an earlier step may have made the wallet
EX="$DEMO_EXAMPLES/ob2"

echo "== lerwallet verify badge.png  (offline, without the issuer's documents: inconclusive, exit 4)"
lerwallet verify "$EX/badge.png" || echo "(exit $?)"

echo "== lerwallet verify badge.png signed.jwt --ob2-cache docs/ --email nobody@example.org"
lerwallet verify "$EX/badge.png" "$EX/signed.jwt" --ob2-cache "$EX/docs" --email nobody@example.org --details

echo "== lerwallet import badge.png signed.jwt --ob2-cache docs/ --email nobody@example.org  (the recipient hash checked and stored)"
lerwallet import "$EX/badge.png" "$EX/signed.jwt" --ob2-cache "$EX/docs" --email nobody@example.org
lerwallet list --json | python3 -c 'import json,sys; [print(r["status"], r["title"], sep="  ") for r in json.load(sys.stdin)]'

echo "== the wrong recipient fails"
lerwallet verify "$EX/signed.jwt" --ob2-cache "$EX/docs" --email someone@example.org --json \
  | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["verdict"], [c["reason"] for c in r["inputs"][0]["credentials"][0]["checks"] if c["id"]=="badge.recipient"][0])' || true
