#!/usr/bin/env bash
# CLR 2.0: one transcript, every course inside it a credential of its own (each verified on its
# own, each listed, found and shown); then finding things: filters, search, sort.
set -euo pipefail

echo "== import a CLR 2.0 transcript: the CLR and each of its three courses, each verified on its own"
lerwallet import "$DEMO_EXAMPLES/credentials/clr-transcript.json"

echo "== the courses inside it, listed on their own (IN CLR names the transcript)"
lerwallet list --kind AchievementCredential --issuer northfield

echo "== a filtered, sorted list: issued in 2024, searched, A to Z"
lerwallet list --since 2024-01-01 --until 2024-12-31 --search "northfield" --sort title
lerwallet list --skill statistics --json

echo "== no match says which filters matched nothing (exit 0)"
lerwallet list --search "underwater basket weaving"

echo "== show the CLR: its courses, achievements and associations"
clr=$(lerwallet list --kind ClrCredential --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
lerwallet show "$clr"
