#!/usr/bin/env bash
# W3C conformance: a credential with right-to-left names signed by the JavaScript reference stack
# verifies (@direction, rdfDirection i18n-datatype); a VC 2.0 -fail input of the W3C test suite is
# refused with a named check; and the signer refuses what its own verifier would reject.
set -euo pipefail
echo "\$ lerwallet verify js-direction-eddsa.json   (signed by @digitalbazaar/vc, name in Arabic, rtl)"
lerwallet verify "$DEMO_EXAMPLES/interop/js-direction-eddsa.json"
cat > "$DEMO_WORK/w3c-fail.json" <<'JSON'
{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
 "issuer": "did:example:issuer", "credentialSubject": {},
 "termsOfUse": {"id": "https://example.org/terms/1"}}
JSON
echo "\$ lerwallet verify w3c-fail.json --json   (empty subject, termsOfUse without type)"
set +e
lerwallet verify "$DEMO_WORK/w3c-fail.json" --json > "$DEMO_WORK/w3c-fail.out"
code=$?
set -e
python3 - "$DEMO_WORK/w3c-fail.out" "$code" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
check = report["inputs"][0]["credentials"][0]["checks"][0]
print(f"  exit {sys.argv[2]}: {check['id']} {check['outcome']} ({check['problem']['type']}): {check['reason']}")
PY
echo "\$ python: lerwallet.proofs.sign(...) of a credential naming another issuer"
python - <<'PY'
from lerwallet import crypto
from lerwallet.keys import did_key_from_public
from lerwallet.proofs import sign
from lerwallet.proofs.prepare import NotSignable
private = crypto.generate_private_key("ed25519")
did = did_key_from_public("ed25519", crypto.public_key_of("ed25519", private))
doc = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
       "issuer": "https://university.example/", "credentialSubject": {"id": "did:example:learner"}}
try:
    sign(doc, suite="eddsa-rdfc-2022", key_type="ed25519", private_key=private,
         verification_method=f"{did}#{did.split(':')[-1]}")
except NotSignable as exc:
    print("  refused:", exc.message)
PY
