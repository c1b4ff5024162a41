#!/usr/bin/env bash
# CLR 2.0: one transcript, every course inside it a credential of its own (each verified on its
# own, each listed, found and shown); then finding things: filters, search, sort.
set -euo pipefail
# A wallet of its own (the main demo wallet already holds the examples folder, this CLR included).
export LERWALLET_HOME="$DEMO_WORK/clr-wallet"
lerwallet init

echo "== one course imported on its own first (as a learner might have it from before)"
python3 - "$DEMO_EXAMPLES/credentials/clr-transcript.json" "$DEMO_WORK/course-alone.json" <<'PY'
import json, sys
clr = json.load(open(sys.argv[1]))
json.dump(clr["credentialSubject"]["verifiableCredential"][0], open(sys.argv[2], "w"), indent=2)
PY
lerwallet import "$DEMO_WORK/course-alone.json"

echo "== import a CLR 2.0 transcript: the CLR and each of its three courses, each verified on its own"
echo "   (the course already here is linked to the CLR, not stored twice)"
lerwallet import "$DEMO_EXAMPLES/credentials/clr-transcript.json"

echo "== the courses inside it, listed on their own (IN CLR names the transcript)"
lerwallet list --kind AchievementCredential --issuer northfield

echo "== a filtered, sorted list: issued in 2024, searched, A to Z"
lerwallet list --since 2024-01-01 --until 2024-12-31 --search "northfield" --sort title
lerwallet list --skill statistics --json

echo "== deleting a course alone is refused (it is part of the CLR; exit 2)"
course=$(lerwallet list --skill statistics --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
lerwallet delete "$course" --yes || echo "(exit $?)"

echo "== no match says which filters matched nothing (exit 0)"
lerwallet list --search "underwater basket weaving"

echo "== show the CLR: its courses, achievements and associations"
clr=$(lerwallet list --kind ClrCredential --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
lerwallet show "$clr"

echo "== recheck the CLR: it and each course inside it, each on its own"
lerwallet recheck "$clr"

echo "== another course imported on its own, after the CLR: stored once, and now the learner's own too"
python3 - "$DEMO_EXAMPLES/credentials/clr-transcript.json" "$DEMO_WORK/course-two.json" <<'PY'
import json, sys
clr = json.load(open(sys.argv[1]))
json.dump(clr["credentialSubject"]["verifiableCredential"][1], open(sys.argv[2], "w"), indent=2)
PY
lerwallet import "$DEMO_WORK/course-two.json"

echo "== deleting the CLR takes the course only it held; the two the learner imported on their own stay"
lerwallet delete "$clr" --yes
lerwallet list
