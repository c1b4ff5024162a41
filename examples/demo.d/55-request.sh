#!/usr/bin/env bash
# Answering a verifier's request: a DCQL request (OpenID4VP) and a VPR are matched against the
# wallet, each credential is said to match or not and why; an SD-JWT reveals only the requested
# claim; an ecdsa-sd-2023 badge is derived to hide fields; a plain signed badge is shared whole.
set -euo pipefail
[ -e "$LERWALLET_HOME/wallet.db" ] || lerwallet init

me_json=$(lerwallet did list --json)
echo "== a (DEMO ONLY) university issues an SD-JWT degree bound to the learner's key, and an ecdsa-sd-2023 badge"
python - "$me_json" "$DEMO_WORK" <<'PY'
import hashlib, json, sys
from lerwallet import crypto
from lerwallet.keys import did_key_from_public
from lerwallet.keys.jwk import public_to_jwk
from lerwallet.keys.multikey import decode_multikey
from lerwallet.proofs.ecdsa_sd_derive import create_base_proof
from lerwallet.proofs.sdjwt import create_sd_jwt
me = next(i for i in json.loads(sys.argv[1]) if i["default"])
work = sys.argv[2]
key = hashlib.sha256(b"lerwallet demo DEMO ONLY university p256 issuer").digest()
did = did_key_from_public("p256", crypto.public_key_of("p256", key))
vm = f"{did}#{did.split(':')[-1]}"
holder_jwk = public_to_jwk(*decode_multikey(me["keys"][-1]["publicKeyMultibase"]))
token = create_sd_jwt({"iss": did, "iat": 1780000000, "vct": "https://credentials.example/degree", "given_name": "Ada",
                       "family_name": "Lovelace", "birthdate": "2001-02-03", "degree": "MSc Computing"},
                      ["/given_name", "/family_name", "/birthdate", "/degree"], key_type="p256", private_key=key, kid=vm,
                      holder_jwk=holder_jwk)
open(f"{work}/degree.sd-jwt", "w").write(token)
badge = {"@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
         "id": "urn:uuid:d3e0c0de-0000-4000-8000-0000000005d1", "type": ["VerifiableCredential", "OpenBadgeCredential"],
         "name": "Welding (MIG and TIG)", "issuer": {"id": did, "type": ["Profile"], "name": "Demo University"},
         "validFrom": "2026-06-01T00:00:00Z",
         "credentialSubject": {"id": me["did"], "type": ["AchievementSubject"], "achievement": {
             "id": "https://university.example/achievements/welding", "type": ["Achievement"], "name": "Welding",
             "criteria": {"narrative": "Passed the practical exam."}, "description": "MIG and TIG welding"},
             "result": [{"type": ["Result"], "value": "grade B"}]}}
base = create_base_proof(badge, private_key=key, verification_method=vm,
                         mandatory_pointers=["/issuer", "/credentialSubject/id", "/credentialSubject/achievement/name"])
json.dump(base, open(f"{work}/welding.json", "w"), indent=2)
from lerwallet.proofs import sign
ed = hashlib.sha256(b"lerwallet demo DEMO ONLY university ed25519 issuer").digest()
ed_did = did_key_from_public("ed25519", crypto.public_key_of("ed25519", ed))
first_aid = dict(badge, id="urn:uuid:d3e0c0de-0000-4000-8000-0000000005d2", name="First Aid",
                 issuer={"id": ed_did, "type": ["Profile"], "name": "Demo University"},
                 credentialSubject={"id": me["did"], "type": ["AchievementSubject"], "achievement": {
                     "id": "https://university.example/achievements/first-aid", "type": ["Achievement"],
                     "name": "First Aid", "criteria": {"narrative": "Passed the course."}}})
json.dump(sign(first_aid, suite="eddsa-rdfc-2022", key_type="ed25519", private_key=ed,
               verification_method=f"{ed_did}#{ed_did.split(':')[-1]}"), open(f"{work}/first-aid.json", "w"), indent=2)
json.dump({"client_id": "x509_san_dns:jobs.example.com", "nonce": "n-0S6_WzA2Mj", "response_type": "vp_token",
           "dcql_query": {"credentials": [{"id": "degree", "format": "dc+sd-jwt",
                                           "meta": {"vct_values": ["https://credentials.example/degree"]},
                                           "claims": [{"path": ["degree"]}]}]}},
          open(f"{work}/dcql-request.json", "w"), indent=2)
json.dump({"query": [{"type": "DIDAuthentication"}, {"type": "QueryByExample", "credentialQuery": {
               "reason": "We hire for a role that needs a university degree credential",
               "example": {"type": "UniversityDegreeCredential"}}}],
           "challenge": "2f7d1c", "domain": "jobs.example.com"}, open(f"{work}/vpr-request.json", "w"), indent=2)
PY
lerwallet import "$DEMO_WORK/degree.sd-jwt" "$DEMO_WORK/welding.json" "$DEMO_WORK/first-aid.json"

echo "== the employer's OpenID4VP request (DCQL) asks for the degree claim only"
cat "$DEMO_WORK/dcql-request.json"
lerwallet present --request "$DEMO_WORK/dcql-request.json" --out "$DEMO_WORK/answer.json" --yes

echo "== the employer verifies with their nonce and client id: only 'degree' is disclosed"
lerwallet verify "$DEMO_WORK/answer.json" --challenge n-0S6_WzA2Mj --domain x509_san_dns:jobs.example.com --json \
  | python3 -c 'import json,sys; r=json.load(sys.stdin); c=r["inputs"][0]["credentials"][0]; print("verdict:", r["verdict"], "| claims seen:", c["summary"].get("description"))'

echo "== a VPR asking for a credential the learner does not have: every credential is explained, exit 1"
lerwallet present --request "$DEMO_WORK/vpr-request.json" --out "$DEMO_WORK/none.json" --yes || echo "(exit $?)"

welding=$(lerwallet list --kind OpenBadgeCredential --json | python3 -c 'import json,sys; print(next(r["id"][:8] for r in json.load(sys.stdin) if r["title"].startswith("Welding")))')
echo "== ecdsa-sd-2023: show the achievement description, hide the grade and the badge name (issuer-mandatory fields stay)"
lerwallet present "$welding" --disclose credentialSubject.achievement.description --domain jobs.example.com \
  --challenge 5be1 --out "$DEMO_WORK/welding-vp.json" --yes
python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["verifiableCredential"][0]; print("disclosed:", sorted(c), "| subject:", json.dumps(c["credentialSubject"]))' "$DEMO_WORK/welding-vp.json"
lerwallet verify "$DEMO_WORK/welding-vp.json" --challenge 5be1 --domain jobs.example.com

first_aid=$(lerwallet list --json | python3 -c 'import json,sys; print(next(r["id"][:8] for r in json.load(sys.stdin) if r["title"] == "First Aid"))')
echo "== a badge signed with eddsa-rdfc-2022 cannot hide a field: lerwallet says so plainly and shares it whole"
lerwallet present "$first_aid" --disclose credentialSubject.achievement.name --domain jobs.example.com \
  --challenge 5be1 --out "$DEMO_WORK/whole.json" --yes
