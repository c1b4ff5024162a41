#!/usr/bin/env bash
# VC-JWT and SD-JWT: an issuer signs both (library calls), the employer verifies with the CLI.
set -euo pipefail
PY="$(dirname "$(command -v lerwallet)")/python"

echo "== an issuer (did:key, P-256) signs a vc+jwt and an SD-JWT VC with hidden claims"
"$PY" - "$DEMO_WORK" <<'PYEOF'
import sys
from lerwallet import crypto
from lerwallet.keys import did_key_from_public
from lerwallet.proofs.jose import sign_jwt
from lerwallet.proofs.sdjwt import create_sd_jwt, holder_jwk_for, present

work = sys.argv[1]
key = crypto.generate_private_key("p256")
did = did_key_from_public("p256", crypto.public_key_of("p256", key))
kid = f"{did}#{did[8:]}"
vc = {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:uuid:7d1c0f7e-4a55-4d7e-9d7c-1f6c2a0b9e01",
      "type": ["VerifiableCredential"], "issuer": did, "validFrom": "2025-06-01T00:00:00Z",
      "name": "Data Analysis Certificate", "credentialSubject": {"id": "did:example:learner", "name": "Ada"}}
open(f"{work}/cert.jwt", "w").write(sign_jwt(vc, key_type="p256", private_key=key, kid=kid))
holder = crypto.generate_private_key("ed25519")
sd = create_sd_jwt({"iss": did, "vct": "https://credentials.example/degree", "given_name": "Ada",
                    "birthdate": "2001-02-03", "degree": "BSc Mathematics"},
                   ["/given_name", "/birthdate", "/degree"], key_type="p256", private_key=key, kid=kid,
                   holder_jwk=holder_jwk_for("ed25519", holder))
shown = present(sd, ["/degree"], holder_key=("ed25519", holder), aud="https://employer.example", nonce="8f3a")
open(f"{work}/degree.sd-jwt", "w").write(shown)
print("issuer:", did)
PYEOF
cut -c1-72 "$DEMO_WORK/cert.jwt"; echo "..."

echo "== lerwallet verify cert.jwt"
lerwallet verify "$DEMO_WORK/cert.jwt" || echo "(exit $?)"

echo "== SD-JWT: the learner disclosed only the degree; the employer checks digests and key binding"
lerwallet verify "$DEMO_WORK/degree.sd-jwt" --challenge 8f3a --domain https://employer.example || echo "(exit $?)"
echo "== the same SD-JWT replayed with another challenge is refused"
lerwallet verify "$DEMO_WORK/degree.sd-jwt" --challenge replayed --domain https://employer.example --json \
    | "$PY" -c 'import json,sys; r=json.load(sys.stdin); c={x["id"]: x for x in r["inputs"][0]["credentials"][0]["checks"]}; print("verdict:", r["verdict"], "| proof:", c["proof"]["outcome"], "-", c["proof"]["reason"])' \
    || true

echo "== a tampered token is caught"
sed 's/[A-Za-z0-9_-]\{4\}$/AAAA/' "$DEMO_WORK/cert.jwt" > "$DEMO_WORK/tampered.jwt"
lerwallet verify "$DEMO_WORK/tampered.jwt" || echo "(exit $?)"
