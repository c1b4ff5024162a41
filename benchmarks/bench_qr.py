"""QR presentations: payload size and number of codes, and whole-process speed.

Figures:
  - payload bytes and QR codes (error correction M) for a typical badge, 5 and 20 badges, each
    against the plain JSON size (signed presentations, distinct badges, no embedded images),
    and the one-badge case with an embedded 12 KB PNG as a data: URL (the usual reason a QR
    is impossible);
  - `lerwallet present` of 5 badges with `--qr vp.png` (build, sign, self-check, draw, write:
    the whole process, default KDF unlock included), against the same with `--out` only;
  - `lerwallet verify` of a 3-part QR set (PNG images) of the 5-badge presentation, against
    verifying the same presentation as a JSON file, both whole-process; and a one-badge
    presentation split into 3 codes against its JSON file (the cost of reading QR images alone).
Targets (issue 8): a one-badge presentation without embedded images in a single QR at error
correction M; 5 badges with QR images < 1 s; verifying a 3-part set < 300 ms.

Usage: python benchmarks/bench_qr.py [--runs N] [--quick] [--src DIR]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _common import BASELINE, add_common_args, bench_env, interleaved, lerwallet_cmd, row  # noqa: E402

from tests.verify_helpers import Party, presentation  # noqa: E402

PASSPHRASE = "benchmark passphrase"
V2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
SKILLS = ["Python", "SQL", "Teamwork", "Data analysis", "Public speaking", "Project management", "Statistics",
          "Technical writing", "Networking", "Cloud computing", "Accessibility", "Security basics"]


_SYLLABLES = "ba de ri to mu sa ke lo ni pe ra ve co du gi ha".split()
WORDS = ["".join(random.Random(i).choice(_SYLLABLES) for _ in range(1 + i % 4)) for i in range(400)]  # English-like spread


def typical_badge(issuer: Party, subject: str, n: int, rng: random.Random, image: str | None = None) -> dict:
    """An Open Badges 3.0 credential shaped like the ones colleges issue: a named issuer profile,
    an achievement with description, criteria and two skill alignments, an image link."""
    skill = SKILLS[n % len(SKILLS)]
    text = lambda k: " ".join(rng.choice(WORDS) for _ in range(k)).capitalize() + "."  # noqa: E731
    achievement = {
        "id": f"https://college.example.edu/achievements/{n:04d}-{skill.lower().replace(' ', '-')}",
        "type": ["Achievement"],
        "achievementType": "Competency",
        "name": f"{skill} level {1 + n % 3}",
        "description": text(30),
        "criteria": {"narrative": text(25)},
        "image": {"id": image or f"https://college.example.edu/badges/{n:04d}.png", "type": "Image"},
        "alignment": [
            {"type": ["Alignment"], "targetName": skill, "targetUrl": f"https://skills.example/{skill.lower().replace(' ', '-')}",
             "targetFramework": "Example Skills Framework"},
            {"type": ["Alignment"], "targetName": f"{skill} (ESCO)", "targetUrl": f"https://esco.example/skill/{rng.getrandbits(64):016x}"},
        ],
    }
    doc = {
        "@context": [V2, OB3],
        "id": f"urn:uuid:{rng.getrandbits(128):032x}"[:45],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer.did, "type": ["Profile"], "name": "Example Community College",
                   "url": "https://college.example.edu", "email": "registrar@college.example.edu"},
        "validFrom": f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}T09:00:00Z",
        "name": f"{skill} level {1 + n % 3}",
        "credentialSubject": {"id": subject, "type": ["AchievementSubject"], "achievement": achievement},
    }
    return issuer.sign(doc)


def sizes(issuer: Party, holder: Party, rng: random.Random) -> list[str]:
    from lerwallet.qr import payload

    failures = []
    creds = [typical_badge(issuer, holder.did, n, rng) for n in range(20)]
    png = "data:image/png;base64," + base64.b64encode(rng.randbytes(12_000)).decode()
    cases = [("1 badge", creds[:1]), ("5 badges", creds[:5]), ("20 badges", creds[:20]),
             ("1 badge, 12 KB data: image", [typical_badge(issuer, holder.did, 99, rng, image=png)])]
    print(f"{'presentation (signed, ECC M)':<30}{'JSON':>8}{'zlib':>8}{'ratio':>7}{'codes':>7}  versions (mode)")
    for label, chosen in cases:
        data = json.dumps(presentation(holder, chosen, challenge="c0ffee", domain="jobs.example.com")).encode()
        enc = payload.encode(data, ecc="M", max_parts=payload.MAX_PARTS)
        print(f"{label:<30}{len(data):>8}{enc.compressed_bytes:>8}{len(data) / enc.compressed_bytes:>6.1f}x{enc.parts:>7}  "
              f"{','.join(str(c.version) for c in enc.codes)} ({enc.mode})")
        if label == "1 badge" and enc.parts != 1:
            failures.append("one badge in one QR")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser()
    add_common_args(parser)
    args = parser.parse_args()
    runs = args.runs or (5 if args.quick else 11)
    rng = random.Random(8)
    issuer, holder = Party(), Party()
    failures = sizes(issuer, holder, rng)
    work = Path(tempfile.mkdtemp(prefix="bench-qr-"))
    env = bench_env(args.src, LERWALLET_HOME=str(work / "home"), LERWALLET_PASSPHRASE=PASSPHRASE)
    lw = lerwallet_cmd()
    try:
        subprocess.run(lw + ["init"], env=env, check=True, capture_output=True)
        did = json.loads(subprocess.run(lw + ["did", "list", "--json"], env=env, check=True, capture_output=True).stdout)[0]["did"]
        files = []
        for n in range(5):
            f = work / f"badge{n}.json"
            f.write_text(json.dumps(typical_badge(issuer, did, n, rng)))
            files.append(str(f))
        subprocess.run(lw + ["import", *files], env=env, check=True, capture_output=True)
        ids = [r["id"] for r in json.loads(subprocess.run(lw + ["list", "--json"], env=env, check=True, capture_output=True).stdout)]
        common = ["present", *ids, "--yes", "--challenge", "c0ffee", "--domain", "jobs.example.com", "--force"]
        # the 3-part set to verify
        vp_doc = presentation(holder, [typical_badge(issuer, holder.did, n, rng) for n in range(5)], challenge="c0ffee",
                              domain="jobs.example.com")
        vp_json = work / "vp.json"
        vp_json.write_text(json.dumps(vp_doc))
        from lerwallet.qr import payload, render

        for version in range(40, 0, -1):
            enc = payload.encode(vp_json.read_bytes(), max_parts=3, max_version=version)
            if enc.parts == 3:
                break
        three = render.write(enc, str(work / "set.png"))
        print(f"3-part set of the 5-badge VP: versions {[c.version for c in enc.codes]}, {enc.mode} mode")
        check = [*lw, "verify", *three, "--challenge", "c0ffee", "--domain", "jobs.example.com"]
        # the same for a one-badge presentation, split in 3 small codes: the QR overhead with little to verify
        vp1 = work / "vp1.json"
        vp1.write_text(json.dumps(presentation(holder, [typical_badge(issuer, holder.did, 7, rng)], challenge="c0ffee",
                                               domain="jobs.example.com")))
        for version in range(40, 0, -1):
            enc1 = payload.encode(vp1.read_bytes(), max_parts=3, max_version=version)
            if enc1.parts == 3:
                break
        three1 = render.write(enc1, str(work / "one.png"))
        proc = subprocess.run(check, env=env, capture_output=True)
        if proc.returncode != 0:
            raise SystemExit(f"the 3-part set did not verify: {proc.stdout.decode()[-400:]}")
        result = interleaved({
            "python -c pass": BASELINE,
            "present 5 badges --out": lw + common + ["--out", str(work / "out.json")],
            "present 5 badges --qr vp.png": lw + common + ["--qr", str(work / "qr.png")],
            "present 5 badges --out + --qr": lw + common + ["--out", str(work / "out2.json"), "--qr", str(work / "qr2.png")],
            "verify 5-badge VP (JSON file)": lw + ["verify", str(vp_json), "--challenge", "c0ffee", "--domain", "jobs.example.com"],
            "verify 3-part QR set (PNG)": check,
            "verify 1-badge VP (JSON file)": lw + ["verify", str(vp1), "--challenge", "c0ffee", "--domain", "jobs.example.com"],
            "verify 1-badge VP as 3 QR parts": lw + ["verify", *three1, "--challenge", "c0ffee", "--domain", "jobs.example.com"],
        }, env, runs)
        base = result["python -c pass"][0]
        limits = {"present 5 badges --qr vp.png": 1.0, "present 5 badges --out + --qr": 1.0, "verify 3-part QR set (PNG)": 0.300}
        for label, (median, best) in result.items():
            note = f"target < {limits[label] * 1000:.0f} ms" if label in limits else ""
            if label == "present 5 badges --qr vp.png":
                note += f"; {median / result['present 5 badges --out'][0]:.2f}x --out"
            if label == "verify 3-part QR set (PNG)":
                note += f"; {median / result['verify 5-badge VP (JSON file)'][0]:.2f}x the JSON file"
            if label == "verify 1-badge VP as 3 QR parts":
                note += f"+{(median - result['verify 1-badge VP (JSON file)'][0]) * 1000:.0f} ms over the JSON file"
            print(row(label, median, base, note, best))
            if label in limits and median >= limits[label]:
                failures.append(label)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("targets met" if not failures else f"targets MISSED: {', '.join(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    t0 = time.perf_counter()
    code = main()
    print(f"(bench took {time.perf_counter() - t0:.0f} s)")
    sys.exit(code)
