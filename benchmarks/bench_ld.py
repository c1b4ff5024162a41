"""Canonicalization speed: pyld (reference) vs the fast path, warm medians, plus cold start.

Run: .venv/bin/python benchmarks/bench_ld.py [runs]
"""

from __future__ import annotations

import copy
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
V2 = "https://www.w3.org/ns/credentials/v2"
OB = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def badge(alignments: int) -> dict:
    align = [{"type": ["Alignment"], "targetName": f"Skill {i}", "targetUrl": f"https://skills.example.org/{i}",
              "targetDescription": "A competency the learner demonstrated in assessed project work.",
              "targetFramework": "Example Framework", "targetCode": f"S{i:03d}"} for i in range(alignments)]
    return {
        "@context": [V2, OB], "id": "urn:uuid:4a2b1f04-6c0e-4b5e-9a57-1c3c2b1f0a11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"], "name": "Teamwork",
        "issuer": {"id": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", "type": ["Profile"],
                   "name": "Example University", "url": "https://example.edu"},
        "validFrom": "2024-03-01T00:00:00Z",
        "credentialSubject": {
            "id": "did:example:learner", "type": ["AchievementSubject"],
            "achievement": {"id": "https://example.edu/achievements/teamwork", "type": ["Achievement"],
                            "name": "Teamwork", "description": "Collaborates effectively within a group.",
                            "criteria": {"narrative": "Completed three team projects with peer review."},
                            "image": {"id": "https://example.edu/teamwork.png", "type": "Image"},
                            "alignment": align}},
    }


PROOF = {"@context": [V2, OB], "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
         "created": "2024-03-01T00:00:00Z", "proofPurpose": "assertionMethod",
         "verificationMethod": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}


def median_ms(fn, runs: int) -> float:
    fn()
    fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


COLD = """
import json, sys, time
t = time.perf_counter()
import lerwallet.ld as ld
t_import = time.perf_counter()
ld.canonize(json.loads(sys.argv[1]), engine=sys.argv[2])
print(json.dumps([(t_import - t) * 1000, (time.perf_counter() - t) * 1000]))
"""


def cold(engine: str, doc: dict, runs: int = 5) -> tuple[float, float]:
    out = [json.loads(subprocess.run([sys.executable, "-c", COLD, json.dumps(doc), engine], capture_output=True,
                                     text=True, check=True, cwd=ROOT).stdout) for _ in range(runs)]
    return statistics.median(o[0] for o in out), statistics.median(o[1] for o in out)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    sys.path.insert(0, str(ROOT / "src"))
    from lerwallet.ld import canonize

    print(f"lerwallet.ld canonicalization, median of {runs} warm runs (ms)")
    for name, doc in (("badge, 1 alignment", badge(1)), ("badge, 50 alignments", badge(50))):
        size = len(json.dumps(doc))
        res = {eng: median_ms(lambda e=eng: canonize(copy.deepcopy(doc), engine=e), runs) for eng in ("pyld", "fast")}
        print(f"  {name:<22} {size:>6} B  pyld {res['pyld']:6.2f}  fast {res['fast']:6.2f}  "
              f"fast/pyld {res['fast'] / res['pyld']:.2f}")
    proof = {eng: median_ms(lambda e=eng: canonize(PROOF, engine=e), runs) for eng in ("pyld", "fast")}
    doc1 = {eng: median_ms(lambda e=eng: canonize(badge(1), engine=e), runs) for eng in ("pyld", "fast")}
    for eng in ("pyld", "fast"):
        print(f"  document + proof options ({eng}): {doc1[eng] + proof[eng]:.2f} ms (budget 3.5 ms)")
    print("cold: new process, import lerwallet.ld, first canonize of the 1-alignment badge (median of 5)")
    for eng in ("auto", "pyld"):
        imp, total = cold(eng, badge(1))
        print(f"  engine={eng:<5} import {imp:6.1f} ms  import+first canonize {total:6.1f} ms")


if __name__ == "__main__":
    main()
