#!/usr/bin/env bash
# JSON-LD: offline canonicalization of an OB3 badge, and safe mode refusing an undefined type.
set -euo pipefail
cat > "$DEMO_WORK/ld-badge.json" <<'JSON'
{"@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
 "id": "urn:uuid:0b9f6a8e-1c57-4c55-9a4e-3f4c7c1a0d21", "type": ["VerifiableCredential", "OpenBadgeCredential"],
 "name": "Teamwork", "issuer": {"id": "did:example:university", "type": ["Profile"], "name": "Example University"},
 "validFrom": "2024-03-01T00:00:00Z",
 "credentialSubject": {"type": ["AchievementSubject"], "achievement": {"id": "https://example.edu/a/teamwork",
   "type": ["Achievement"], "name": "Teamwork", "criteria": {"narrative": "Three team projects."}}},
 "credentialSchema": {"id": "https://example.edu/schema.json", "type": "1EdTechJsonSchemaValidator2019"}}
JSON
python - "$DEMO_WORK/ld-badge.json" <<'PY'
import json, sys
from lerwallet.ld import canonize, SafeModeError
doc = json.load(open(sys.argv[1]))
try:
    canonize(doc)
except SafeModeError as exc:
    print("refused:", exc)
del doc["credentialSchema"]
nquads = canonize(doc)
print(f"canonical N-Quads ({len(nquads.splitlines())} quads, offline, bundled contexts):")
print("\n".join(nquads.splitlines()[:4]))
PY
