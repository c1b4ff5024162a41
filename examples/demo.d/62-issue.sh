#!/usr/bin/env bash
# Issuing: a small organisation signs Open Badges 3.0 credentials with a did:web identity, keeps a
# Bitstring Status List in its wallet, revokes one badge, and a verifier sees revoked vs valid.
set -euo pipefail
[ -e "$LERWALLET_HOME/wallet.db" ] || lerwallet init  # an earlier step may have made the wallet
W="$DEMO_WORK/issue"; mkdir -p "$W/site" "$W/didcache/garden.example/.well-known"

echo "== lerwallet did create --method web --domain garden.example --name garden"
lerwallet did create --method web --domain garden.example --name garden
lerwallet did export-web garden --out "$W/site/did.json"
cp "$W/site/did.json" "$W/didcache/garden.example/.well-known/did.json"   # what a verifier fetches

echo "== lerwallet status-list create badges --identity garden"
lerwallet status-list create badges --identity garden

echo "== lerwallet issue --to DID ... --status badges --out ada.json"
lerwallet issue --identity garden --issuer-name "Riverside Community Garden" \
  --to did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK \
  --achievement "$DEMO_EXAMPLES/issue/volunteer-achievement.json" --status badges --out "$W/ada.json"

echo "== lerwallet issue --to EMAIL (stored hashed) ... --baked bob.png"
lerwallet issue --identity garden --issuer-name "Riverside Community Garden" --to bob@example.org \
  --achievement "$DEMO_EXAMPLES/issue/volunteer-achievement.json" --status badges --baked "$W/bob.png" --json

echo "== lerwallet status-list revoke badges ada.json; publish the list beside did.json"
lerwallet status-list revoke badges "$W/ada.json"
lerwallet status-list publish badges --out "$W/site/badges.json"
lerwallet status-list list

echo "== lerwallet verify ada.json  (revoked: exit 1)"
lerwallet verify "$W/ada.json" --status-cache "$W/site" --did-cache "$W/didcache" && echo "unexpected: verified" && exit 1 || echo "(exit $?)"

echo "== lerwallet verify bob.png --email bob@example.org  (valid: exit 0)"
lerwallet verify "$W/bob.png" --status-cache "$W/site" --did-cache "$W/didcache" --email bob@example.org
