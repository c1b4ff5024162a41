#!/usr/bin/env bash
# Identities: the DID made by `init`, a did:web identity to host, rotation, and a public key export.
set -euo pipefail
[ -e "$LERWALLET_HOME/wallet.db" ] || lerwallet init  # an earlier step may have made the wallet

echo "== lerwallet did list"
lerwallet did list

echo "== lerwallet did create --method web --domain learner.example/alice --name portfolio"
lerwallet did create --method web --domain learner.example/alice --name portfolio

echo "== lerwallet did export-web portfolio --out did.json  (host it at the URL below)"
lerwallet did export-web portfolio --out "$DEMO_WORK/did.json"
head -12 "$DEMO_WORK/did.json"

echo "== lerwallet did rotate portfolio  (the old key stays listed for earlier presentations)"
lerwallet did rotate portfolio --out "$DEMO_WORK/did.json" --force
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["verificationMethod"]), "keys listed")' "$DEMO_WORK/did.json"

echo "== lerwallet did export portfolio --public"
lerwallet did export portfolio --public

echo "== a bad domain is refused with a hint"
lerwallet did create --method web --domain https://learner.example || echo "(exit $?)"
