#!/usr/bin/env bash
# Status mechanisms and the employer's batch report: an SD-JWT VC revoked through an IETF Token
# Status List, a badge revoked through a Bitstring Status List, one that deviates from the OB 3.0
# schema (a conformance warning, not a failure), all in one folder: summary table first.
set -euo pipefail
PY="$(dirname "$(command -v lerwallet)")/python"
mkdir -p "$DEMO_WORK/batch" "$DEMO_WORK/lists"

echo "== an issuer signs three credentials and publishes two status lists (library calls)"
"$PY" - "$DEMO_WORK" <<'PYEOF'
import copy, json, sys
from lerwallet import crypto
from lerwallet.keys import did_key_from_public
from lerwallet.proofs import sign
from lerwallet.proofs.jose import sign_compact
from lerwallet.proofs.sdjwt import create_sd_jwt
from lerwallet.verify import bitstring

work = sys.argv[1]
key = crypto.generate_private_key("ed25519")
did = did_key_from_public("ed25519", crypto.public_key_of("ed25519", key))
vm = f"{did}#{did.split(':')[-1]}"
signed = lambda doc: sign(copy.deepcopy(doc), suite="eddsa-rdfc-2022", key_type="ed25519", private_key=key, verification_method=vm)
V2, OB3 = "https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
url = "https://status.example.edu/lists/1"
bits = bytearray(16 * 1024)
bits[0] |= 0x80 >> 5  # index 5 revoked
open(f"{work}/lists/bitstring.json", "w").write(json.dumps(signed({
    "@context": [V2], "id": url, "type": ["VerifiableCredential", "BitstringStatusListCredential"], "issuer": did,
    "validFrom": "2026-01-01T00:00:00Z",
    "credentialSubject": {"id": url + "#list", "type": "BitstringStatusList", "statusPurpose": "revocation",
                          "encodedList": bitstring.encode(bytes(bits))}})))

def badge(name, index, achievement_type="Certificate"):
    return {"@context": [V2, OB3], "id": f"urn:uuid:00000000-0000-4000-8000-00000000000{index}",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": {"id": did, "type": ["Profile"], "name": "Example College"}, "validFrom": "2026-01-01T00:00:00Z",
            "name": name, "credentialStatus": {"id": f"{url}#{index}", "type": "BitstringStatusListEntry",
                                               "statusPurpose": "revocation", "statusListIndex": str(index), "statusListCredential": url},
            "credentialSubject": {"id": "did:example:ada", "type": ["AchievementSubject"], "achievement": {
                "id": f"https://example.edu/achievements/{index}", "type": ["Achievement"], "name": name,
                "achievementType": achievement_type, "criteria": {"narrative": "Did the work."}, "description": name}}}

open(f"{work}/batch/welding-certificate-issued-to-ada-lovelace.json", "w").write(json.dumps(signed(badge("Welding", 4))))
open(f"{work}/batch/first-aid-revoked.json", "w").write(json.dumps(signed(badge("First Aid", 5))))
open(f"{work}/batch/apprenticeship-nonconforming.json", "w").write(
    json.dumps(signed(badge("Apprenticeship", 6, achievement_type="Apprenticeship Certificate"))))  # not in the enumeration, no "ext:"
p256 = crypto.generate_private_key("p256")
iss = did_key_from_public("p256", crypto.public_key_of("p256", p256))
kid = f"{iss}#{iss[8:]}"
token_url = "https://status.example.gov/tokens/3"
open(f"{work}/batch/driving-licence.sd-jwt", "w").write(create_sd_jwt(
    {"iss": iss, "vct": "https://credentials.example/licence", "iat": 1767225600, "category": "B",
     "status": {"status_list": {"idx": 42, "uri": token_url}}}, ["/category"], key_type="p256", private_key=p256, kid=kid))
data = bytearray(128)
data[42 // 4] |= 2 << ((42 % 4) * 2)  # 2 bits per entry: index 42 SUSPENDED (0x02)
open(f"{work}/lists/token.jwt", "w").write(sign_compact({"typ": "statuslist+jwt", "kid": kid}, {
    "iss": iss, "sub": token_url, "iat": 1767225600, "ttl": 43200,
    "status_list": {"bits": 2, "lst": bitstring.encode_token_list(bytes(data))}}, key_type="p256", private_key=p256))
PYEOF

echo "\$ lerwallet verify batch/ --status-cache lists/ --at 2026-06-01"
COLUMNS=110 lerwallet verify "$DEMO_WORK/batch" --status-cache "$DEMO_WORK/lists" --at 2026-06-01 || echo "(exit $?: one revoked, one suspended, as expected)"
echo "\$ lerwallet verify batch/apprenticeship-nonconforming.json --status-cache lists/ --strict | grep Verdict"
COLUMNS=110 lerwallet verify "$DEMO_WORK/batch/apprenticeship-nonconforming.json" --status-cache "$DEMO_WORK/lists" --strict \
  | grep "Verdict" || echo "(exit $?: --strict turns the conformance warning into a failure)"
