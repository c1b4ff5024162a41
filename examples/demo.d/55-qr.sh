#!/usr/bin/env bash
# QR codes: the learner presents two badges as QR images (PNG, and SVG with stronger error
# correction), the employer verifies the images, a series read in another order, a series with a
# part missing (unreadable, exit 2, not a forgery), the codes drawn on the terminal, and a QR code
# of the DCC Learner Credential Wallet (VP1-, CBOR-LD) read by verify.
set -euo pipefail
[ -e "$LERWALLET_HOME/wallet.db" ] || lerwallet init  # an earlier step may have made the wallet

ids=$(lerwallet list --issuer "demo community" --json | python3 -c 'import json,sys; print(" ".join(r["id"][:8] for r in json.load(sys.stdin)))')
if [ -z "$ids" ]; then  # run alone: a (DEMO ONLY) college issues two badges to the learner's DID
    me=$(lerwallet did list --json | python3 -c 'import json,sys; print(next(i["did"] for i in json.load(sys.stdin) if i["default"]))')
    python - "$me" "$DEMO_WORK" <<'PY'
import hashlib, json, sys
from lerwallet import crypto
from lerwallet.keys import did_key_from_public
from lerwallet.proofs import sign
me, work = sys.argv[1], sys.argv[2]
key = hashlib.sha256(b"lerwallet demo DEMO ONLY college issuer").digest()
did = did_key_from_public("ed25519", crypto.public_key_of("ed25519", key))
for n, name in enumerate(["Python Programming", "Data Analysis with SQL"], 1):
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
           "id": f"urn:uuid:d3e0c0de-0000-4000-8000-00000000010{n}", "type": ["VerifiableCredential", "OpenBadgeCredential"],
           "name": name, "issuer": {"id": did, "type": ["Profile"], "name": "Demo Community College"},
           "validFrom": "2026-06-01T00:00:00Z",
           "credentialSubject": {"id": me, "type": ["AchievementSubject"], "achievement": {
               "id": f"https://college.example/achievements/{n}", "type": ["Achievement"], "name": name,
               "criteria": {"narrative": "Passed the course project."}}}}
    json.dump(sign(doc, suite="eddsa-rdfc-2022", key_type="ed25519", private_key=key,
                   verification_method=f"{did}#{did.split(':')[-1]}"), open(f"{work}/qr-course-{n}.json", "w"))
PY
    lerwallet import "$DEMO_WORK/qr-course-1.json" "$DEMO_WORK/qr-course-2.json" > /dev/null
    ids=$(lerwallet list --issuer "demo community" --json | python3 -c 'import json,sys; print(" ".join(r["id"][:8] for r in json.load(sys.stdin)))')
fi
Q="$DEMO_WORK/qr"
mkdir -p "$Q"

echo "== lerwallet present $ids --challenge 5e1d77aa --domain jobs.example.com --qr application.png --yes"
lerwallet present $ids --challenge 5e1d77aa --domain jobs.example.com --qr "$Q/application.png" --yes
ls "$Q"

echo "== the employer scans the image(s): lerwallet verify application*.png --challenge 5e1d77aa --domain jobs.example.com"
lerwallet verify "$Q"/application*.png --challenge 5e1d77aa --domain jobs.example.com --json \
  | python3 -c 'import json,sys; r=json.load(sys.stdin); i=r["inputs"][0]; print("verdict:", r["verdict"], "| from", i["source"], "| credentials:", len(i["credentials"]))'

echo "== the same as SVG with error correction H, at most 4 codes (a series would be NAME-1-of-N.svg)"
lerwallet present $ids --challenge 5e1d77aa --domain jobs.example.com --qr "$Q/strong.svg" --qr-ecc H --qr-max-parts 4 --yes --json \
  | python3 -c 'import json,sys; o=[o for o in json.load(sys.stdin)["outputs"] if o["form"]=="qr"][0]; print("parts:", o["parts"], "versions:", o["versions"], "ecc:", o["ecc"], "files:", [f.rsplit("/",1)[1] for f in o["files"]])'
echo "== verify the SVG images in reverse order"
lerwallet verify $(ls -r "$Q"/strong*.svg) --challenge 5e1d77aa --domain jobs.example.com > /dev/null && echo "verified (exit 0)"

echo "== a 3-part series with one part lost: unreadable (exit 2), not a forgery"
python - "$Q" <<'PY'
import sys
from lerwallet.formats import read_inputs
from lerwallet.qr import payload, render
q = sys.argv[1]
(env,) = read_inputs([f"{q}/application.png"])
data = env.raw
for version in range(40, 0, -1):  # force a series of 3 out of this small presentation (demo only)
    enc = payload.encode(data, max_parts=3, max_version=version)
    if enc.parts == 3:
        break
print("wrote", ", ".join(p.rsplit("/", 1)[1] for p in render.write(enc, f"{q}/series.png")))
PY
lerwallet verify "$Q/series-3-of-3.png" "$Q/series-1-of-3.png" --challenge 5e1d77aa --domain jobs.example.com || echo "(exit $?)"

echo "== and drawn on the terminal: lerwallet present ${ids%% *} --qr - (first 6 lines shown)"
lerwallet present ${ids%% *} --challenge 5e1d77aa --domain jobs.example.com --qr - --yes > "$Q/terminal.txt" 2>/dev/null
head -6 "$Q/terminal.txt"

echo "== an employer scans a DCC Learner Credential Wallet QR code (VP1-B..., CBOR-LD; fixture made with the wallet's own encoder)"
V="$(cd "$(dirname "$0")/../.." && pwd)/tests/interop/vpqr"
python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["eddsa-rdfc-2022-vc11-signed-vp"]["lcw-vpqr2-base32"]["payload"])' "$V/vpqr-cases.json" > "$Q/lcw.txt"
cut -c1-72 "$Q/lcw.txt"
lerwallet verify "$Q/lcw.txt" --challenge vpqr-demo-challenge-1 --domain jobs.example.com --json \
  | python3 -c 'import json,sys; r=json.load(sys.stdin); i=r["inputs"][0]; print("verdict:", r["verdict"], "|", i["kind"], "from", i["source"])'
