#!/usr/bin/env bash
# The résumé: the learner writes their records as an HR Open LER-RS document (each credential
# inside, validated against the LER-RS schema), a printable HTML page whose QR code is a signed
# presentation of the verified entries (the employer scans it with lerwallet verify), and JSON
# Resume. Self-attested records (`lerwallet add`, issued by the learner's own DID) are labelled.
set -euo pipefail
[ -e "$LERWALLET_HOME/wallet.db" ] || lerwallet init  # an earlier step may have made the wallet
R="$DEMO_WORK/resume"
mkdir -p "$R"

if [ -z "$(lerwallet list --issuer "demo community" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)) or "")')" ]; then
    # run alone: a (DEMO ONLY) college issues a badge to the learner's DID
    me=$(lerwallet did list --json | python3 -c 'import json,sys; print(next(i["did"] for i in json.load(sys.stdin) if i["default"]))')
    python - "$me" "$R" <<'PY'
import hashlib, json, sys
from lerwallet import crypto
from lerwallet.keys import did_key_from_public
from lerwallet.proofs import sign
me, out = sys.argv[1], sys.argv[2]
key = hashlib.sha256(b"lerwallet demo DEMO ONLY college issuer").digest()
did = did_key_from_public("ed25519", crypto.public_key_of("ed25519", key))
doc = {"@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
       "id": "urn:uuid:d3e0c0de-0000-4000-8000-000000000185", "type": ["VerifiableCredential", "OpenBadgeCredential"],
       "name": "Python Programming", "issuer": {"id": did, "type": ["Profile"], "name": "Demo Community College"},
       "validFrom": "2026-06-01T00:00:00Z",
       "credentialSubject": {"id": me, "type": ["AchievementSubject"], "achievement": {
           "id": "https://college.example/achievements/185", "type": ["Achievement"], "name": "Python Programming",
           "criteria": {"narrative": "Passed the course project."},
           "alignment": [{"type": ["Alignment"], "targetName": "Python", "targetUrl": "https://skills.example/python"}]}}}
json.dump(sign(doc, suite="eddsa-rdfc-2022", key_type="ed25519", private_key=key,
               verification_method=f"{did}#{did.split(':')[-1]}"), open(f"{out}/course.json", "w"))
PY
    lerwallet import "$R/course.json" > /dev/null
fi
self=$(lerwallet list --json | python3 -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if r.get("self_attested")))')
if [ "$self" = "0" ] && lerwallet add --help > /dev/null 2>&1; then
    echo "== lerwallet add work --title 'Data analyst' --org 'Acme Corp' --from 2024-02-01 --to 2025-06-30 --skill Python"
    lerwallet add work --title "Data analyst" --org "Acme Corp" --from 2024-02-01 --to 2025-06-30 --role Analyst \
        --skill Python > /dev/null
fi

echo "== lerwallet export resume ID... --format ler-rs --name 'Demo Learner' --out resume-ler-rs.json"
ids=$(lerwallet list --json | python3 -c '
import json, sys
rows = json.load(sys.stdin)
college = [r["id"][:10] for r in rows if "Demo Community" in (r.get("issuer") or "")][:3]
own = [r["id"][:10] for r in rows if r.get("self_attested")][:2]
print(" ".join(college + own))')
lerwallet export resume $ids --format ler-rs --name "Demo Learner" --email learner@example.com --out "$R/resume-ler-rs.json" --json \
  | python3 -c 'import json,sys; s=json.load(sys.stdin); print("sections:", s["sections"], "| verified:", s["verified"], "| self-attested:", s["self_attested"], "| bytes:", s["bytes"])'
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print("type:", d["type"])
for section in ("employmentHistories", "educationAndLearnings", "certifications"):
    for e in d.get(section, []):
        vc = e["verifications"][0]["otherW3CVerifiableCredential"]
        print("  %s: %r carries its credential, issued by %s..." % (section, vc.get("name"), vc["issuer"]["id"][:24]))' "$R/resume-ler-rs.json"

echo "== the employer verifies the LER-RS file itself: lerwallet verify resume-ler-rs.json"
lerwallet verify "$R/resume-ler-rs.json" --json \
  | python3 -c 'import json,sys; r=json.load(sys.stdin); print("verdict:", r["verdict"], "|", len(r["inputs"]), "credentials, e.g.", r["inputs"][0]["source"].split("#", 1)[1])' \
  || echo "(exit $?)"

echo "== the printable page: lerwallet export resume ... --format html --paper a4 --out resume.html"
lerwallet export resume $ids --format html --paper a4 --name "Demo Learner" --headline "Data analyst" \
    --link https://learner.example/resume --out "$R/resume.html"
python3 - "$R" <<'PY'
import re, sys
page = open(f"{sys.argv[1]}/resume.html", encoding="utf-8").read()
svg = re.search(r"<svg .*?</svg>", page, re.S)
print("page:", len(page), "bytes; marks:", page.count("VERIFIED<"), "verified,", page.count(">SELF-ATTESTED<"), "self-attested;",
      "external resources:", len(re.findall(r"\b(?:src|href)\s*=|url\(", page)))
if svg:
    open(f"{sys.argv[1]}/qr.svg", "w").write(svg.group(0))
PY
if [ -e "$R/qr.svg" ]; then
    echo "== the employer scans the page's QR code: lerwallet verify qr.svg"
    lerwallet verify "$R/qr.svg" --json \
      | python3 -c 'import json,sys; r=json.load(sys.stdin); i=r["inputs"][0]; print("verdict:", r["verdict"], "|", i["kind"], "with", len(i["credentials"]), "credential(s)")' \
      || echo "(exit $?)"
fi

echo "== JSON Resume: lerwallet export resume ... --format json --out resume.json"
lerwallet export resume $ids --format json --name "Demo Learner" --out "$R/resume.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print({k: len(v) for k, v in d.items() if isinstance(v, list)})' "$R/resume.json"

echo "== nothing matches: exit 1, nothing written"
lerwallet export resume --skill no-such-skill --out "$R/none.json" || echo "(exit $?)"
test ! -e "$R/none.json"
