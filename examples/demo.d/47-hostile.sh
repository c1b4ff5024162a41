#!/usr/bin/env bash
# Hostile input costs little (issue #10): a duplicate JSON key, a "poison graph" of mutually linked
# blank nodes and a FIFO nobody writes to are each refused at once, never judged or hung on.
set -euo pipefail
V="$(cd "$(dirname "$0")/../.." && pwd)/tests/vectors/verify/dcc/credentials"
T="$(mktemp -d)"; trap 'rm -rf "$T"' EXIT
python3 - "$V/v2NoStatus.json" "$T" <<'PY'
import json, sys
src, out = sys.argv[1], sys.argv[2]
text = open(src, encoding="utf-8").read().lstrip()
open(f"{out}/duplicate-key.json", "w").write('{"name": "PhD in Physics", ' + text[1:])
doc = json.loads(text)
doc["@context"].append({"linked": "https://example.org/linked", "knows": "https://example.org/knows"})
doc["credentialSubject"]["linked"] = [{"id": f"_:n{i}", "knows": [{"id": f"_:n{j}"} for j in range(8) if j != i]} for i in range(8)]
open(f"{out}/poison-graph.json", "w").write(json.dumps(doc))
PY
echo "\$ lerwallet verify duplicate-key.json    # {\"name\": \"PhD in Physics\", ..., \"name\": \"...\"}"
lerwallet verify "$T/duplicate-key.json" || echo "(exit $?: malformed input, as expected)"
echo "\$ time lerwallet verify poison-graph.json  # 8 mutually linked blank nodes: 80 s before the work limit"
time (lerwallet verify "$T/poison-graph.json" --json | python3 -c 'import json,sys; d=json.load(sys.stdin); c=d["inputs"][0]["credentials"][0]; print("verdict:", d["verdict"], [x["id"] + ": " + x["problem"]["type"].rsplit(":", 1)[-1] for x in c["checks"] if x["outcome"] == "fail"])') || true
mkfifo "$T/fifo"
echo "\$ lerwallet verify fifo                  # nobody writes to it: refused, not waited on"
lerwallet verify "$T/fifo" || echo "(exit $?: not a regular file, as expected)"
