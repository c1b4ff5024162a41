#!/usr/bin/env bash
# The wallet: create it, import credentials (a duplicate and a bad file are reported), list, show, delete.
set -euo pipefail

echo "== lerwallet init   (passphrase from LERWALLET_PASSPHRASE; never an argument)"
lerwallet init

echo "== lerwallet status   (no passphrase needed; nothing secret)"
lerwallet status

# Signed examples when another step has generated them, else our unsigned OB 3.0 badge.
shopt -s nullglob
files=("$DEMO_EXAMPLES"/credentials/*.json)
[ ${#files[@]} -gt 0 ] || files=("$DEMO_EXAMPLES"/unsigned/*.json)
echo "== lerwallet import (${#files[@]} files)"
lerwallet import "${files[@]}"

echo "== importing the same file again is detected, not duplicated"
lerwallet import "${files[0]}"

echo "== a file that is not a credential: one clear line, exit 2, nothing stored"
echo '{"hello": "world"}' > "$DEMO_WORK/not-a-credential.json"
lerwallet import "$DEMO_WORK/not-a-credential.json" || echo "(exit $?)"

echo "== lerwallet list"
lerwallet list

first=$(lerwallet list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
echo "== lerwallet show ${first:0:6}   (any unique prefix of the id)"
lerwallet show "${first:0:6}"

echo "== lerwallet show ${first:0:6} --raw  is the original, byte for byte"
lerwallet show "${first:0:6}" --raw | cmp - "${files[0]}" && echo "identical to ${files[0]##*/}" || true

echo "== a wrong passphrase: exit 3"
LERWALLET_PASSPHRASE=wrong lerwallet list || echo "(exit $?)"

echo "== nothing readable on disk: grep for the title in the wallet folder"
title=$(lerwallet list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["title"])')
if grep -rqaF "$title" "$LERWALLET_HOME"; then echo "FOUND (bug)"; exit 1; else echo "'$title' appears nowhere in $LERWALLET_HOME"; fi

echo "== lerwallet passwd  (re-wraps the data key; no record re-encrypted)"
LERWALLET_NEW_PASSPHRASE="$LERWALLET_PASSPHRASE" lerwallet passwd
