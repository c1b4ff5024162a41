#!/usr/bin/env bash
# Data Integrity proofs: the signed examples (eddsa-rdfc-2022 on VC 2.0, Ed25519Signature2020 on
# VC 1.1) verify; one changed word breaks the signature; each proof's outcome is in --json.
set -euo pipefail
C="$DEMO_EXAMPLES/credentials"
proofs() {  # print suite / outcome / code of every proof from `lerwallet verify --json`
  python3 -c '
import json, sys
for inp in json.load(sys.stdin)["inputs"]:
    for cred in inp["credentials"]:
        for check in cred["checks"]:
            for p in (check.get("details") or {}).get("proofs", []):
                print("  %-22s %-5s %-18s %s" % (p["suite"], p["outcome"], p["code"] or "-", p["reason"]))'
}
echo "\$ lerwallet verify examples/credentials/*.json --json   (per-proof results)"
lerwallet verify "$C"/*.json --json | proofs

echo "== change one word in the signed badge: the signature no longer matches"
sed 's/First Aid at Work/First Aid at Play/' "$C/ob3-first-aid.json" > "$DEMO_WORK/tampered.json"
lerwallet verify "$DEMO_WORK/tampered.json" --json | proofs || true
lerwallet verify "$DEMO_WORK/tampered.json" >/dev/null 2>&1 || echo "(exit $?: invalid)"
