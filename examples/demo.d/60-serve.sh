#!/usr/bin/env bash
# The verifier as a service (W3C VC-API): start `lerwallet serve --verifier` on a free loopback
# port, post a badge and a presentation to it as an employer's system would, then stop it.
set -euo pipefail
work="$DEMO_WORK/serve"
mkdir -p "$work"

echo "== a (DEMO ONLY) college badge, and the learner's presentation of it to an employer"
python - "$work" <<'PY'
import hashlib, json, sys
from lerwallet import crypto
from lerwallet.keys import did_key_from_public
from lerwallet.proofs import sign
work = sys.argv[1]
def party(label):
    key = hashlib.sha256(b"lerwallet demo DEMO ONLY " + label).digest()
    did = did_key_from_public("ed25519", crypto.public_key_of("ed25519", key))
    return key, did, f"{did}#{did.split(':')[-1]}"
ikey, idid, ivm = party(b"college issuer")
hkey, hdid, hvm = party(b"learner")
badge = {"@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
         "id": "urn:uuid:d3e0c0de-0000-4000-8000-000000000060", "type": ["VerifiableCredential", "OpenBadgeCredential"],
         "name": "Forklift Safety", "issuer": {"id": idid, "type": ["Profile"], "name": "Demo Community College"},
         "validFrom": "2026-06-01T00:00:00Z",
         "credentialSubject": {"id": hdid, "type": ["AchievementSubject"], "achievement": {
             "id": "https://college.example/achievements/forklift", "type": ["Achievement"], "name": "Forklift Safety",
             "criteria": {"narrative": "Passed the practical test."}}}}
badge = sign(badge, suite="eddsa-rdfc-2022", key_type="ed25519", private_key=ikey, verification_method=ivm)
vp = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"], "holder": hdid,
      "verifiableCredential": [badge]}
vp = sign(vp, suite="eddsa-rdfc-2022", key_type="ed25519", private_key=hkey, verification_method=hvm,
          purpose="authentication", challenge="8f3e1c", domain="jobs.example.com")
forged = json.loads(json.dumps(badge)); forged["name"] = "Forklift Instructor"
for name, doc in (("credential", {"verifiableCredential": badge}),
                  ("forged", {"verifiableCredential": forged}),
                  ("presentation", {"verifiablePresentation": vp, "options": {"challenge": "8f3e1c", "domain": "jobs.example.com"}}),
                  ("replayed", {"verifiablePresentation": vp, "options": {"challenge": "another-nonce", "domain": "jobs.example.com"}})):
    json.dump(doc, open(f"{work}/{name}.request.json", "w"))
PY

echo "\$ lerwallet serve --verifier --port 0 --json &     # loopback, plain HTTP, offline"
lerwallet serve --verifier --port 0 --json > "$work/started.json" 2> "$work/serve.log" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$work/started.json" ] && break; kill -0 "$pid" || { cat "$work/serve.log"; exit 1; }; sleep 0.1; done
url=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$work/started.json")

get() { python3 - "$1" <<'PY'
import sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=5) as r:
        print(r.status, r.read().decode())
except Exception as exc:
    print("down", exc); sys.exit(1)
PY
}
post() {  # POST a JSON file, print the status and the VC-API result without the full report
    python3 - "$1" "$2" <<'PY'
import json, sys, urllib.error, urllib.request
req = urllib.request.Request(sys.argv[1], data=open(sys.argv[2], "rb").read(), headers={"Content-Type": "application/json"})
try:
    r = urllib.request.urlopen(req, timeout=30)
except urllib.error.HTTPError as e:
    r = e
body = json.load(r)
print(r.status, json.dumps({k: body[k] for k in ("verified", "errors")}), "| lerwallet verdict:", body.get("lerwallet", {}).get("verdict"))
PY
}
for _ in $(seq 1 100); do get "$url/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
echo "\$ curl $url/healthz"
get "$url/healthz"
for name in credential forged; do
    echo "\$ curl -X POST $url/credentials/verify -H 'content-type: application/json' -d @$name.request.json"
    post "$url/credentials/verify" "$work/$name.request.json"
done
for name in presentation replayed; do
    echo "\$ curl -X POST $url/presentations/verify -H 'content-type: application/json' -d @$name.request.json"
    post "$url/presentations/verify" "$work/$name.request.json"
done

echo "== stop it (SIGTERM): requests in flight finish, exit 0"
kill -TERM "$pid"
wait "$pid"
echo "exit $?; its access log (no credential content):"
grep '^{' "$work/serve.log" | grep -v healthz
trap - EXIT
