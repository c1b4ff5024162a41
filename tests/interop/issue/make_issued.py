"""Issue the interop badges with `lerwallet issue`'s library, for the JS stack to verify
(verify_issued.mjs). A real wallet in a temporary folder; identities from DEMO-ONLY keys.

Run from the repo root: .venv/bin/python tests/interop/issue/make_issued.py
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

from lerwallet import crypto, identity
from lerwallet import issue as lib
from lerwallet.issue import statuslist
from lerwallet.keys.multibase import b58decode
from lerwallet.store import Wallet
from lerwallet.store import vault

HERE = Path(__file__).parent
URL = "https://status.example.org/interop/badges.json"
LEARNER = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
ACHIEVEMENT = {
    "id": "https://garden.example/achievements/volunteer-2026",
    "type": ["Achievement"],
    "name": "Community Garden Volunteer",
    "description": "Volunteered at least forty hours at the Riverside community garden in one season.",
    "criteria": {"narrative": "Forty hours of volunteering in one growing season."},
}


def main() -> None:
    vault.new_wallet_kdf = crypto.KdfParams.unsafe_fast_for_tests  # a throw-away wallet
    ed_seed = hashlib.sha256(b"lerwallet issue interop DEMO ONLY ed25519 issuer").digest()
    p256 = b58decode("42twTcNeSYcnqg1FLuSFs2bsGH3ZqbRHFmvS9XMsYhjxvHN")[2:]  # the W3C vc-di-ecdsa test key
    with tempfile.TemporaryDirectory() as tmp, Wallet.create(Path(tmp) / "w", b"interop only") as w:
        identity.create(w, name="garden", private=ed_seed)
        identity.create(w, key_type="p256", name="club", private=p256)
        statuslist.create(w, "badges", identity_ref="garden", url=URL)
        out = {
            "badge-did-ed25519.json": lib.issue_ob3(w, identity="garden", to=LEARNER, achievement=ACHIEVEMENT,
                                                    status_list="badges", issuer_name="Riverside Community Garden"),
            "badge-revoked-ed25519.json": lib.issue_ob3(w, identity="garden", to="ada@example.org",
                                                        achievement=ACHIEVEMENT, status_list="badges"),
            "badge-email-p256.json": lib.issue_ob3(w, identity="club", to="bob@example.org", achievement=ACHIEVEMENT,
                                                   issuer_name="Riverside Chess Club", valid_until="2036-01-01T00:00:00Z"),
        }
        statuslist.set_status(w, "badges", out["badge-revoked-ed25519.json"].status_index, "revoke")
        files = {name: issued.credential for name, issued in out.items()}
        files["list-badges.json"] = statuslist.publish(w, "badges")
    for name, doc in files.items():
        (HERE / name).write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    cases = {
        "badge-did-ed25519.json": {"revoked": False, "email": None},
        "badge-revoked-ed25519.json": {"revoked": True, "email": "ada@example.org"},
        "badge-email-p256.json": {"revoked": None, "email": "bob@example.org"},
    }
    (HERE / "cases.json").write_text(json.dumps(cases, indent=2) + "\n", encoding="utf-8")
    print("wrote", ", ".join(sorted(files)))


if __name__ == "__main__":
    main()
