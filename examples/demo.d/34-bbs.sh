#!/usr/bin/env bash
# bbs-2023 (issue #10): an employer verifies a BBS selectively disclosed badge offline. The files
# were made by the reference JavaScript stack (tests/interop/bbs/README.md): the issuer's base
# proof, the holder's derived disclosure, and tampered copies. Then the learner's side: import
# the base credential and present a derived, unlinkable copy.
set -euo pipefail
PY="$(dirname "$(command -v lerwallet)")/python"
BBS="$DEMO_EXAMPLES/../tests/interop/bbs"
verdict() { "$PY" -c 'import json,sys; r=json.load(sys.stdin); c=r["inputs"][0]["credentials"][0]; p=[x for x in c["checks"] if x["id"]=="proof"][0]; print("  %-8s proof %-5s %s" % (c["verdict"], p["outcome"], p["reason"][:200]))'; }

echo "== what the holder shared: mandatory fields + the description and one result, bound to a nonce"
echo "\$ lerwallet verify js-derived.json"
lerwallet verify "$BBS/js-derived.json" --json | verdict || true
echo "== the issuer's base proof, sent as it is (it must be derived first)"
echo "\$ lerwallet verify js-base.json"
lerwallet verify "$BBS/js-base.json" --json | verdict || true
for f in tampered-disclosed-value tampered-presentation-header tampered-missing-statement; do
    echo "\$ lerwallet verify $f.json"
    lerwallet verify "$BBS/$f.json" --json | verdict || true
done

echo "== the learner's side: keep the issuer's base credential, share a fresh derived proof"
export LERWALLET_HOME="$DEMO_WORK/bbs-wallet"   # a wallet of its own, so the other steps' counts stay
lerwallet init >/dev/null 2>&1
echo "\$ lerwallet import js-base.json      (the holder's copy: checked in full, kept)"
lerwallet import "$BBS/js-base.json"
ID="$(lerwallet list --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)[0]["id"][:10])')"
echo "\$ lerwallet present $ID --disclose /credentialSubject/achievement/description --domain acme.example --challenge c-34 --out bbs-vp.json --yes"
lerwallet present "$ID" --disclose /credentialSubject/achievement/description --domain acme.example \
    --challenge c-34 --out "$DEMO_WORK/bbs-vp.json" --yes 2>&1 | grep -v "^ " || true
echo "\$ lerwallet verify bbs-vp.json --challenge c-34 --domain acme.example"
lerwallet verify "$DEMO_WORK/bbs-vp.json" --challenge c-34 --domain acme.example --json \
    | "$PY" -c 'import json,sys; r=json.load(sys.stdin); c=r["inputs"][0]["credentials"][0]; print("  presentation %s; credential %s; description shown: %s" % (r["verdict"], c["verdict"], c["summary"].get("description")))'
