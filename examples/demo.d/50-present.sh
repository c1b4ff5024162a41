#!/usr/bin/env bash
# Sharing: two badges issued to the learner's DID are presented to an employer as one signed
# file (their challenge and domain), the employer verifies it, and the wallet remembers it.
set -euo pipefail
[ -e "$LERWALLET_HOME/wallet.db" ] || lerwallet init  # an earlier step may have made the wallet

me=$(lerwallet did list --json | python3 -c 'import json,sys; print(next(i["did"] for i in json.load(sys.stdin) if i["default"]))')
echo "== a (DEMO ONLY) college issues two badges to the learner's DID: $me"
python - "$me" "$DEMO_WORK" <<'PY'
import hashlib, json, sys
from lerwallet import crypto
from lerwallet.keys import did_key_from_public
from lerwallet.proofs import sign
me, work = sys.argv[1], sys.argv[2]
key = hashlib.sha256(b"lerwallet demo DEMO ONLY college issuer").digest()
did = did_key_from_public("ed25519", crypto.public_key_of("ed25519", key))
for n, (name, skill) in enumerate([("Python Programming", "Python"), ("Data Analysis with SQL", "SQL")], 1):
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
           "id": f"urn:uuid:d3e0c0de-0000-4000-8000-00000000000{n}", "type": ["VerifiableCredential", "OpenBadgeCredential"],
           "name": name, "issuer": {"id": did, "type": ["Profile"], "name": "Demo Community College"},
           "validFrom": "2026-06-01T00:00:00Z",
           "credentialSubject": {"id": me, "type": ["AchievementSubject"], "achievement": {
               "id": f"https://college.example/achievements/{n}", "type": ["Achievement"], "name": name,
               "criteria": {"narrative": "Passed the course project."},
               "alignment": [{"type": ["Alignment"], "targetName": skill, "targetUrl": f"https://skills.example/{skill.lower()}"}]}}}
    signed = sign(doc, suite="eddsa-rdfc-2022", key_type="ed25519", private_key=key,
                  verification_method=f"{did}#{did.split(':')[-1]}")
    json.dump(signed, open(f"{work}/course-{n}.json", "w"), indent=2)
PY
lerwallet import "$DEMO_WORK/course-1.json" "$DEMO_WORK/course-2.json"

echo "== lerwallet list --skill python   (the same filter words work for present)"
lerwallet list --skill python

ids=$(lerwallet list --issuer "demo community" --json | python3 -c 'import json,sys; print(" ".join(r["id"][:8] for r in json.load(sys.stdin)))')
echo "== the employer sends a challenge and their domain; the learner presents both badges"
echo "   lerwallet present $ids --domain jobs.example.com --challenge 7f3a9c21 --out application.json --yes"
lerwallet present $ids --domain jobs.example.com --challenge 7f3a9c21 --expires 7d --out "$DEMO_WORK/application.json" --yes
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); p=d["proof"]; print("holder", d["holder"]); print("proof", p["cryptosuite"], p["proofPurpose"], "challenge", p["challenge"], "domain", p["domain"], "expires", p["expires"])' "$DEMO_WORK/application.json"

echo "== the employer verifies it with the challenge they sent"
lerwallet verify "$DEMO_WORK/application.json" --challenge 7f3a9c21 --domain jobs.example.com --json \
  | python3 -c 'import json,sys; r=json.load(sys.stdin); i=r["inputs"][0]; print("verdict:", r["verdict"], "| holder:", i["holder"]); [print(" ", c["summary"].get("title"), "->", c["verdict"], "| holder.binding:", next(k["outcome"] for k in c["checks"] if k["id"] == "holder.binding")) for c in i["credentials"]]'

echo "== replayed to another employer (other challenge): invalid, exit 1"
lerwallet verify "$DEMO_WORK/application.json" --challenge 11112222 --domain jobs.example.com > /dev/null || echo "(exit $?)"

echo "== a VP-JWT of one badge, to stdout"
lerwallet present "${ids%% *}" --format jwt --domain jobs.example.com --challenge 7f3a9c21 --out - --yes 2>/dev/null | cut -c1-72

echo "== lerwallet shared   (the encrypted history of what was shared)"
lerwallet shared
lerwallet shared show 1
