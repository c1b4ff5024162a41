"""Make self-attested records with lerwallet's record library, for the JS stack to verify
(verify_records.mjs writes records/js-verify-results.json).

A real wallet (in a temporary folder) holds two identities made from fixed DEMO-ONLY keys: an
Ed25519 did:key and a P-256 did:key. For each record kind, one record is built (`record.build`)
and signed (`record.sign.sign_credential`, the signer `lerwallet add` uses) with fixed ids and
times, so the Ed25519 files are byte-identical on every run (tests/test_record_interop.py
re-runs this and compares); the P-256 record (ecdsa-rdfc-2019) has a randomized signature.
`record-added-via-wallet.json` goes the whole `lerwallet add` way (`record.records.add`: random
ids, the verify pipeline, the store, an evidence file) and is read back from the wallet.

Run from the repo root: .venv/bin/python tests/interop/make_lerwallet_records.py
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path

from lerwallet import identity
from lerwallet.record import build as b
from lerwallet.record.sign import sign_credential
from lerwallet.store import Wallet

HERE = Path(__file__).parent
OUT = HERE / "records"
ISSUED = "2026-11-01T09:00:00Z"
EVIDENCE_BYTES = b"DEMO ONLY evidence file for the lerwallet record interop fixtures\n"
ESCO_PYTHON = "ccd0a1d9-afda-43d9-b901-96344886e14d"


def _seed(label: str) -> bytes:
    return hashlib.sha256(f"lerwallet record interop DEMO ONLY {label}".encode()).digest()


def _evidence_file() -> b.Evidence:
    return b.Evidence(name="reference-letter.txt", sha256=hashlib.sha256(EVIDENCE_BYTES).hexdigest(),
                      size=len(EVIDENCE_BYTES), media_type="text/plain")


def _records() -> list[tuple[str, str, b.RecordInput]]:
    """(file, identity name, record) for every case."""
    rich = b.RecordInput(
        kind="work", title="Data engineer", org="Acme GmbH (DEMO ONLY)", start="2021-03-01", end="2023-12-31",
        role="Team lead", location="Berlin, Germany", description="Built and ran the data platform.",
        skills=["Data modelling", "SQL"],
        alignments=[b.parse_skill_code(f"esco:{ESCO_PYTHON}=Python (computer programming)"),
                    b.parse_skill_code("onet:15-1252.00=Software Developers")],
        url="https://acme.example/platform",
        evidence=[_evidence_file(), b.Evidence(url="https://github.com/acme-demo/platform")])
    out = [("record-work-ed25519.json", "ed", rich)]
    for kind in b.KINDS:
        if kind == "work":
            continue
        out.append((f"record-{kind}-ed25519.json", "ed",
                    b.RecordInput(kind=kind, title=f"A DEMO ONLY {kind} record", org="Example organisation",
                                  start="2020-01-01", skills=[f"{kind} skill"])))
    out.append(("record-publication-p256.json", "p256", b.RecordInput(
        kind="publication", title="Skills-based hiring with LERs (DEMO ONLY)", org="Journal of Examples",
        start="2024-02-01", url="https://doi.org/10.5555/demo.2024",
        alignments=[b.Alignment(name="Technical writing", framework="Example framework", code="W1",
                                url="https://example.org/skills/W1"),
                    b.parse_skill_code("lightcast:KS1200364C9C1LK3V5Q1=Communication")])))
    return out


def build_all(out: Path) -> list[str]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "wallet"
        with Wallet.create(home, b"record interop DEMO ONLY passphrase") as w:
            ids = {"ed": identity.create(w, method="key", key_type="ed25519", name="ed", private=_seed("ed25519"),
                                         make_default=True),
                   "p256": identity.create(w, method="key", key_type="p256", name="p256", private=_seed("p256"))}
            for n, (name, who, rec) in enumerate(_records(), 1):
                rec = b.validate(rec)
                doc = b.build(rec, ids[who].did, issued=ISSUED,
                              credential_id=f"urn:uuid:7ec0d000-0000-4000-8000-{n:012d}",
                              achievement_id=f"urn:uuid:7ec0d000-0000-4000-8001-{n:012d}",
                              org_id=f"urn:uuid:7ec0d000-0000-4000-8002-{n:012d}")
                signed = sign_credential(w, doc, ids[who], created=ISSUED)
                (out / name).write_text(json.dumps(signed, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
                written.append(name)
            # The whole `lerwallet add` path: verify pipeline, store, evidence file, read back.
            from lerwallet.record.records import EvidenceFile, add
            from lerwallet.store import credentials

            evidence = _evidence_file()
            rec = b.validate(b.RecordInput(kind="education", title="MSc Data Science (DEMO ONLY)", org="Example University",
                                           start="2015-09", end="2017-07", skills=["Statistics"], evidence=[evidence]))
            stored = add(w, rec, files=[EvidenceFile(evidence, EVIDENCE_BYTES)], identity="ed")
            assert stored.status == "verified", stored.reason
            (out / "record-added-via-wallet.json").write_bytes(credentials.get_original(w, stored.id))
            written.append("record-added-via-wallet.json")
    return written


if __name__ == "__main__":
    names = build_all(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
    print(f"wrote {len(names)} records into {sys.argv[1] if len(sys.argv) > 1 else OUT}")
