#!/usr/bin/env bash
# The learner's record: two experiences nobody issued a credential for, added as self-attested
# records (OB 3.0 AchievementCredentials signed by the learner's own DID), one with a skill code
# and an evidence file; listed, shown, checked by `verify` as an employer would, and the
# evidence file written back out of the wallet.
set -euo pipefail
[ -e "$LERWALLET_HOME/wallet.db" ] || lerwallet init  # an earlier step may have made the wallet

printf 'Reference: the learner led the data platform team (DEMO ONLY).\n' > "$DEMO_WORK/reference-letter.txt"
echo "== lerwallet add work ... --skill-code esco:...=Python --evidence reference-letter.txt"
lerwallet add work --title "Data engineer" --org "Acme GmbH" --from 2021-03 --to 2023-12 \
    --role "Team lead" --location "Berlin" --skill "Data modelling" \
    --skill-code "esco:ccd0a1d9-afda-43d9-b901-96344886e14d=Python (computer programming)" \
    --evidence "$DEMO_WORK/reference-letter.txt"
echo "== lerwallet add volunteer ..."
lerwallet add volunteer --title "Youth football coach" --org "City Youth FC" --from 2019 --to 2022-06 --skill Coaching
echo "== lerwallet list (self-attested records say so in the ISSUER column)"
lerwallet list
id=$(lerwallet list --json | python3 -c 'import json,sys; print(next(r["id"] for r in json.load(sys.stdin) if r["title"] == "Data engineer"))')
echo "== lerwallet show ${id:0:10}"
lerwallet show "$id"
echo "== an employer verifies the record: self-attested by the holder, not an unknown issuer"
lerwallet show "$id" --raw > "$DEMO_WORK/record.json"
lerwallet verify "$DEMO_WORK/record.json" --json | python3 -c '
import json, sys
c = json.load(sys.stdin)["inputs"][0]["credentials"][0]
trust = next(x for x in c["checks"] if x["id"] == "issuer.trust")
print("verdict:", c["verdict"], "| self_attested:", c["self_attested"], "|", trust["reason"][:60] + "...")'
echo "== lerwallet edit ${id:0:10} --to 2024-06 (a new signed version; the old one kept, superseded)"
lerwallet edit "$id" --to 2024-06
lerwallet list --all
new=$(lerwallet list --json | python3 -c 'import json,sys; print(next(r["id"] for r in json.load(sys.stdin) if r["title"] == "Data engineer"))')
echo "== lerwallet show ${new:0:10} --evidence-out (the evidence file, back out of the wallet)"
lerwallet show "$new" --evidence-out "$DEMO_WORK/evidence"
cmp "$DEMO_WORK/evidence/reference-letter.txt" "$DEMO_WORK/reference-letter.txt" && echo "evidence file: identical"
