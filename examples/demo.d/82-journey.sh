#!/usr/bin/env bash
# The learner's record as a whole: a (DEMO ONLY) university and food bank issue a degree and a
# volunteering badge, the learner adds a job they hold no credential for (a self-attested record
# signed with their own DID), then: every skill the wallet evidences, merged across credentials;
# the journey in the terminal; and the journey map as a self-contained page.
set -euo pipefail
[ -e "$LERWALLET_HOME/wallet.db" ] || lerwallet init  # an earlier step may have made the wallet

me=$(lerwallet did list --json | python3 -c 'import json,sys; print(next(i["did"] for i in json.load(sys.stdin) if i["default"]))')
echo "== a (DEMO ONLY) university and food bank issue two credentials; the learner records a job"
python - "$me" "$DEMO_WORK" <<'PY'
import copy, hashlib, json, os, sys
from lerwallet import crypto, identity
from lerwallet.keys import did_key_from_public
from lerwallet.proofs import sign
from lerwallet.store import Wallet
me, work = sys.argv[1], sys.argv[2]
CTX = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]

def align(name, framework="", code=""):
    a = {"type": ["Alignment"], "targetName": name, "targetUrl": f"https://skills.example/{name.lower().replace(' ', '-')}"}
    if framework:
        a.update(targetFramework=framework, targetCode=code)
    return a

def doc(n, issuer_did, issuer_name, subject, name, kind, date, start=None, end=None, alignment=(), tags=()):
    ach = {"id": f"https://demo.example/achievements/{n}", "type": ["Achievement"], "name": name, "achievementType": kind,
           "criteria": {"narrative": f"{name}."}}
    if alignment:
        ach["alignment"] = list(alignment)
    if tags:
        ach["tag"] = list(tags)
    subj = {"id": subject, "type": ["AchievementSubject"], "achievement": ach}
    if start:
        subj["activityStartDate"] = start
    if end:
        subj["activityEndDate"] = end
    return {"@context": CTX, "id": f"urn:uuid:d3e0c0de-0000-4000-8000-0000000001{n:02d}",
            "type": ["VerifiableCredential", "OpenBadgeCredential"], "name": name,
            "issuer": {"id": issuer_did, "type": ["Profile"], "name": issuer_name}, "validFrom": date, "credentialSubject": subj}

def issue(seed, name, d, n):
    key = hashlib.sha256(seed).digest()
    did = did_key_from_public("ed25519", crypto.public_key_of("ed25519", key))
    d = d(did)
    signed = sign(d, suite="eddsa-rdfc-2022", key_type="ed25519", private_key=key, verification_method=f"{did}#{did.split(':')[-1]}")
    json.dump(signed, open(f"{work}/{name}.json", "w"), indent=2)

issue(b"lerwallet demo DEMO ONLY university", "degree", lambda did: doc(1, did, "Demo University", me, "BSc Computer Science",
      "BachelorDegree", "2019-07-01T00:00:00Z", "2016-09-01", "2019-06-30",
      [align("Python", "ESCO", "ccd0a1d9"), align("Algorithms"), align("Problem-solving", "ESCO", "dc06de9f")]), 1)
issue(b"lerwallet demo DEMO ONLY food bank", "volunteer", lambda did: doc(2, did, "Demo Food Bank", me, "Food bank volunteer",
      "CommunityService", "2022-05-01T00:00:00Z", "2021-03-01", "2022-04-30", tags=["Teamwork", "Logistics"]), 2)
# The job nobody issued a credential for: a record the learner signs about themselves (what
# `lerwallet add work ...` makes), with their own DID as issuer and subject.
with Wallet.open(os.environ["LERWALLET_HOME"], os.environ["LERWALLET_PASSPHRASE"].encode()) as w:
    holder = identity.default_holder(w)
    key_type, private, vm = identity.signing_key(w, holder)
job = doc(3, holder.did, "Me", holder.did, "Junior developer at Acme", "ext:WorkExperience", "2024-01-05T00:00:00Z",
          "2019-09-01", "2023-12-31", [align("Python", "Lightcast Open Skills", "KS125LS6N7WP4S6SFTCK")], ["Teamwork", "problem solving"])
json.dump(sign(copy.deepcopy(job), suite="eddsa-rdfc-2022", key_type=key_type, private_key=private, verification_method=vm),
          open(f"{work}/job.json", "w"), indent=2)
PY
lerwallet import "$DEMO_WORK/degree.json" "$DEMO_WORK/volunteer.json" "$DEMO_WORK/job.json"

echo "== lerwallet skills   (Python from ESCO and Lightcast is one skill; 'problem solving' = 'Problem-solving')"
lerwallet skills
echo "== lerwallet skills --verified --json   (only issuer-attested, verified evidence; first skill)"
lerwallet skills --verified --json | python3 -c 'import json,sys; s=json.load(sys.stdin)[0]; print(s["name"], s["issuer_verified"], "verified,", s["self_attested"], "self-attested;", [(c["framework"] + " " + c["code"]).strip() or c["url"] for c in s["codes"]])'
echo "== lerwallet list --skill 'problem solving'   (the same skills pick credentials for list and present)"
lerwallet list --skill "problem solving"

echo "== lerwallet journey"
lerwallet journey
echo "== lerwallet journey --html journey.html --svg journey.svg"
lerwallet journey --html "$DEMO_WORK/journey.html" --svg "$DEMO_WORK/journey.svg"
python3 -c 'import sys; t=open(sys.argv[1]).read(); print("self-contained:", "http" not in t.split("<body>")[0].replace("http-equiv", ""), "| stations:", t.count("class=\"station\""))' "$DEMO_WORK/journey.html"
