#!/usr/bin/env bash
# ecdsa-sd-2023 base credentials (issue #10), as for bbs-2023 (34-bbs.sh): an employer's verify
# refuses the issuer's base copy in plain words (its HMAC key links every derived copy; the
# reference verifier refuses it too, tests/interop/README.md), while the learner imports it and
# shares a derived proof that verifies.
set -euo pipefail
PY="$(dirname "$(command -v lerwallet)")/python"
proof() { "$PY" -c 'import json,sys; r=json.load(sys.stdin); c=r["inputs"][0]["credentials"][0]; p=[x for x in c["checks"] if x["id"]=="proof"][0]; print("  %-8s proof %-5s %s" % (c["verdict"], p["outcome"], p["reason"][:220]))'; }

export LERWALLET_HOME="$DEMO_WORK/ecdsa-sd-wallet"   # a wallet of its own, so the other steps' counts stay
lerwallet init >/dev/null 2>&1
echo "== a (DEMO ONLY) college issues an ecdsa-sd-2023 base credential to the learner's DID"
"$PY" - "$(lerwallet did list --json)" "$DEMO_WORK/sd-base.json" <<'PY'
import hashlib, json, sys
from lerwallet import crypto
from lerwallet.keys import did_key_from_public
from lerwallet.proofs.ecdsa_sd_derive import create_base_proof
me = next(i for i in json.loads(sys.argv[1]) if i["default"])
key = hashlib.sha256(b"lerwallet demo DEMO ONLY college p256 issuer").digest()
did = did_key_from_public("p256", crypto.public_key_of("p256", key))
badge = {"@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
         "id": "urn:uuid:5d2023ba-5e00-4000-8000-000000000036", "type": ["VerifiableCredential", "OpenBadgeCredential"],
         "name": "Data Analysis", "issuer": {"id": did, "type": ["Profile"], "name": "Demo College"},
         "validFrom": "2026-06-01T00:00:00Z",
         "credentialSubject": {"id": me["did"], "type": ["AchievementSubject"], "achievement": {
             "id": "https://college.example/achievements/data", "type": ["Achievement"], "name": "Data Analysis",
             "criteria": {"narrative": "Passed the exam."}, "description": "Statistics and Python."},
             "result": [{"type": ["Result"], "value": "grade A"}]}}
base = create_base_proof(badge, private_key=key, verification_method=f"{did}#{did.split(':')[-1]}",
                         mandatory_pointers=["/issuer", "/credentialSubject/id", "/credentialSubject/achievement/name"])
json.dump(base, open(sys.argv[2], "w"), indent=2)
PY

echo "== the base credential, sent to an employer as it is"
echo "\$ lerwallet verify sd-base.json"
lerwallet verify "$DEMO_WORK/sd-base.json" --json | proof || true

echo "== the learner's side: keep the base credential, share a derived copy"
echo "\$ lerwallet import sd-base.json      (the holder's copy: checked in full, kept)"
lerwallet import "$DEMO_WORK/sd-base.json"
ID="$(lerwallet list --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)[0]["id"][:10])')"
echo "\$ lerwallet present $ID --disclose /credentialSubject/achievement/description --domain acme.example --challenge c-36 --out sd-vp.json --yes"
lerwallet present "$ID" --disclose /credentialSubject/achievement/description --domain acme.example \
    --challenge c-36 --out "$DEMO_WORK/sd-vp.json" --yes 2>&1 | grep -v "^ " || true
echo "\$ lerwallet verify sd-vp.json --challenge c-36 --domain acme.example    (the derived proof: grade withheld)"
lerwallet verify "$DEMO_WORK/sd-vp.json" --challenge c-36 --domain acme.example --json | proof
