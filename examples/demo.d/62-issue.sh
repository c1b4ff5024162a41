#!/usr/bin/env bash
# Issuing: a small organisation signs Open Badges 3.0 credentials with a did:web identity, keeps a
# Bitstring Status List in its wallet, revokes one badge, and a verifier sees revoked vs valid.
set -euo pipefail
[ -e "$LERWALLET_HOME/wallet.db" ] || lerwallet init  # an earlier step may have made the wallet
W="$DEMO_WORK/issue"; mkdir -p "$W/site" "$W/didcache/garden.example/.well-known"

echo "== lerwallet did create --method web --domain garden.example --name garden"
lerwallet did create --method web --domain garden.example --name garden
lerwallet did export-web garden --out "$W/site/did.json"
cp "$W/site/did.json" "$W/didcache/garden.example/.well-known/did.json"   # what a verifier fetches

echo "== lerwallet status-list create badges --identity garden"
lerwallet status-list create badges --identity garden

echo "== lerwallet issue --to DID ... --status badges --out ada.json"
lerwallet issue --identity garden --issuer-name "Riverside Community Garden" \
  --to did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK \
  --achievement "$DEMO_EXAMPLES/issue/volunteer-achievement.json" --status badges --out "$W/ada.json"

echo "== lerwallet issue --to EMAIL (stored hashed) ... --baked bob.png"
lerwallet issue --identity garden --issuer-name "Riverside Community Garden" --to bob@example.org \
  --achievement "$DEMO_EXAMPLES/issue/volunteer-achievement.json" --status badges --baked "$W/bob.png" --json

echo "== lerwallet status-list revoke badges ada.json; publish the list beside did.json"
lerwallet status-list revoke badges "$W/ada.json"
lerwallet status-list publish badges --out "$W/site/badges.json"
lerwallet status-list list

echo "== lerwallet verify ada.json  (revoked: exit 1)"
lerwallet verify "$W/ada.json" --status-cache "$W/site" --did-cache "$W/didcache" && echo "unexpected: verified" && exit 1 || echo "(exit $?)"

echo "== lerwallet verify bob.png --email bob@school.example --email bob@example.org  (each tried, one matches: valid, exit 0)"
lerwallet verify "$W/bob.png" --status-cache "$W/site" --did-cache "$W/didcache" --email bob@school.example --email bob@example.org

echo "== lerwallet verify bob.png --email bob@localhost  (not an email address by the one rule: exit 2, nothing read)"
lerwallet verify "$W/bob.png" --email bob@localhost || echo "(exit $?)"

echo "== lerwallet serve --issuer garden --token-file TOKEN --port 0 &   (POST /credentials/issue, W3C VC-API)"
python3 -c 'import secrets; print(secrets.token_urlsafe(32))' > "$W/token.txt"
lerwallet serve --issuer garden --token-file "$W/token.txt" --port 0 --json > "$W/started.json" 2> "$W/serve.log" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do [ -s "$W/started.json" ] && break; kill -0 "$pid" || { cat "$W/serve.log"; exit 1; }; sleep 0.1; done
python3 - "$W" "$DEMO_EXAMPLES/issue/volunteer-achievement.json" <<'PY'
import json, sys, time, urllib.error, urllib.request
work, achievement = sys.argv[1], json.load(open(sys.argv[2]))
started = json.load(open(f"{work}/started.json"))
token = open(f"{work}/token.txt").read().strip()
credential = {"@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
              "type": ["VerifiableCredential", "OpenBadgeCredential"], "issuer": {"id": started["issuer"], "type": ["Profile"]},
              "validFrom": "2026-06-01T00:00:00Z", "name": achievement["name"],
              "credentialSubject": {"id": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
                                    "type": ["AchievementSubject"], "achievement": achievement}}
def post(headers):
    req = urllib.request.Request(started["url"] + "/credentials/issue", data=json.dumps({"credential": credential}).encode(),
                                 headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)
for _ in range(100):
    try:
        urllib.request.urlopen(started["url"] + "/healthz", timeout=2); break
    except Exception:
        time.sleep(0.1)
status, body = post({})
print("without the token:", status, body["errors"][0])
status, body = post({"Authorization": "Bearer " + token})
vc = body["verifiableCredential"]
print("with the token:", status, vc["id"], vc["proof"]["cryptosuite"], "by", vc["issuer"]["id"])
json.dump(vc, open(f"{work}/from-service.json", "w"), indent=2)
PY
kill -TERM "$pid"; wait "$pid" && echo "(serve stopped: exit 0)"
trap - EXIT
lerwallet verify "$W/from-service.json" --did-cache "$W/didcache"
