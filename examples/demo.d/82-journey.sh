#!/usr/bin/env bash
# The learner's record as a whole. A (DEMO ONLY) university and food bank issue a degree and a
# volunteering badge; with the two experiences step 80 added (self-attested records, one edited),
# the wallet now shows: every skill it evidences, merged across credentials (ESCO's "Python
# (computer programming)" and the degree's "Python" are one skill: the same ESCO code); the
# journey in the terminal; and the journey map as a self-contained page.
set -euo pipefail
[ -e "$LERWALLET_HOME/wallet.db" ] || lerwallet init  # an earlier step may have made the wallet

me=$(lerwallet did list --json | python3 -c 'import json,sys; print(next(i["did"] for i in json.load(sys.stdin) if i["default"]))')
echo "== a (DEMO ONLY) university and food bank issue two credentials to the learner's DID"
python - "$me" "$DEMO_WORK" <<'PY'
import hashlib, json, sys
from lerwallet import crypto
from lerwallet.keys import did_key_from_public
from lerwallet.proofs import sign
me, work = sys.argv[1], sys.argv[2]
CTX = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
ESCO = "http://data.europa.eu/esco/skill/"


def issue(seed, filename, n, issuer_name, name, kind, date, start, end, alignment=(), tags=()):
    key = hashlib.sha256(seed).digest()
    did = did_key_from_public("ed25519", crypto.public_key_of("ed25519", key))
    achievement = {"id": f"https://demo.example/achievements/{n}", "type": ["Achievement"], "name": name,
                   "achievementType": kind, "criteria": {"narrative": f"{name}."}}
    if alignment:
        achievement["alignment"] = [{"type": ["Alignment"], "targetName": t, "targetUrl": ESCO + c if c else
                                     "https://skills.example/" + t.lower().replace(" ", "-"),
                                     **({"targetFramework": "ESCO", "targetCode": c} if c else {})} for t, c in alignment]
    if tags:
        achievement["tag"] = list(tags)
    doc = {"@context": CTX, "id": f"urn:uuid:d3e0c0de-0000-4000-8000-0000000001{n:02d}",
           "type": ["VerifiableCredential", "OpenBadgeCredential"], "name": name,
           "issuer": {"id": did, "type": ["Profile"], "name": issuer_name}, "validFrom": date,
           "credentialSubject": {"id": me, "type": ["AchievementSubject"], "achievement": achievement,
                                 "activityStartDate": start, "activityEndDate": end}}
    signed = sign(doc, suite="eddsa-rdfc-2022", key_type="ed25519", private_key=key,
                  verification_method=f"{did}#{did.split(':')[-1]}")
    json.dump(signed, open(f"{work}/{filename}", "w"), indent=2)


issue(b"lerwallet demo DEMO ONLY university", "degree.json", 1, "Demo University", "BSc Computer Science",
      "BachelorDegree", "2017-07-01T00:00:00Z", "2014-09-01T00:00:00Z", "2017-06-30T00:00:00Z",
      [("Python", "ccd0a1d9-afda-43d9-b901-96344886e14d"), ("Data modelling", "")])
issue(b"lerwallet demo DEMO ONLY food bank", "food-bank.json", 2, "Demo Food Bank", "Food bank volunteer",
      "CommunityService", "2024-05-01T00:00:00Z", "2023-03-01T00:00:00Z", "2024-04-30T00:00:00Z", tags=["Coaching", "Logistics"])
PY
lerwallet import "$DEMO_WORK/degree.json" "$DEMO_WORK/food-bank.json"

echo "== lerwallet skills   (one row per skill: ESCO 'Python' and 'Python (computer programming)' share a code)"
lerwallet skills
echo "== lerwallet skills --verified --json   (only issuer-attested, verified evidence)"
lerwallet skills --verified --json | python3 -c '
import json, sys
for s in json.load(sys.stdin):
    codes = "; ".join((c["framework"] + " " + c["code"]).strip() or c["url"] for c in s["codes"])
    print(s["name"] + ":", s["issuer_verified"], "verified; codes:", codes)'
echo "== lerwallet list --skill 'data modelling'   (the same skills pick credentials for list and present)"
lerwallet list --skill "data modelling"

echo "== lerwallet journey   (the superseded version of the edited record is left out, as in list)"
lerwallet journey
echo "== lerwallet journey --html journey.html --svg journey.svg"
lerwallet journey --html "$DEMO_WORK/journey.html" --svg "$DEMO_WORK/journey.svg"
python3 -c 'import sys; t=open(sys.argv[1]).read(); print("stations:", t.count("class=\"station\""), "| fetches nothing:", "default-src &#x27;none&#x27;" in t or "default-src '"'"'none'"'"'" in t)' "$DEMO_WORK/journey.html"
