#!/usr/bin/env bash
# The learner's record as a whole: every skill the wallet evidences, merged across credentials
# (the same skill from two frameworks once, with both codes), and the same names picking
# credentials for list and present.
set -euo pipefail
[ -e "$LERWALLET_HOME/wallet.db" ] || lerwallet init  # an earlier step may have made the wallet

echo "== lerwallet skills"
lerwallet skills
echo "== lerwallet skills --verified --json   (first skill)"
lerwallet skills --verified --json | python3 -c 'import json,sys; s=json.load(sys.stdin); print(json.dumps(s[0], indent=2)[:600] if s else "none")'
