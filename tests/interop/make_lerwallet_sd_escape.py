"""ecdsa-sd-2023 with control characters, the lerwallet side (see tests/interop/README.md).

Writes into tests/interop/ecdsa-sd-escape/:
  lerwallet-base.json                   lerwallet issues the badge of make_lerwallet_sd.py with a tab,
                                        U+0001, U+0007, DEL, a quote and a backslash in its texts
  lerwallet-derived.json                derived by lerwallet from lerwallet-base.json
  lerwallet-derived-from-js-base.json   derived by lerwallet from js-base.json (made by sd_escape.mjs make)
Run from the repository root: .venv/bin/python tests/interop/make_lerwallet_sd_escape.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from lerwallet import crypto  # noqa: E402
from lerwallet.keys.dids import did_key_from_public  # noqa: E402
from lerwallet.keys.multibase import b58decode  # noqa: E402
from lerwallet.proofs.ecdsa_sd_derive import create_base_proof, derive  # noqa: E402
from tests.interop.make_lerwallet_sd import MANDATORY, SELECTIVE, badge  # noqa: E402

HERE = Path(__file__).parent / "ecdsa-sd-escape"
NAME = "Welding\tLevel\u0001 2"  # mandatory: in the base signature
DESCRIPTION = 'Tab\there, bell\u0007, DEL\u007f, quote " and \\ backslash'  # selectively disclosed


def texts(doc: dict) -> dict:
    doc["credentialSubject"]["achievement"]["name"] = NAME
    doc["credentialSubject"]["achievement"]["description"] = DESCRIPTION
    return doc


def write(name: str, doc: dict) -> None:
    (HERE / name).write_text(json.dumps(doc, indent=2) + "\n")


def main() -> None:
    private = b58decode("42twTcNeSYcnqg1FLuSFs2bsGH3ZqbRHFmvS9XMsYhjxvHN")[2:]  # W3C vc-di-ecdsa test key
    did = did_key_from_public("p256", crypto.public_key_of("p256", private))
    base = create_base_proof(texts(badge(did)), private_key=private, verification_method=f"{did}#{did.split(':')[2]}",
                             mandatory_pointers=MANDATORY, created="2024-06-01T08:00:00Z")
    write("lerwallet-base.json", base)
    write("lerwallet-derived.json", derive(base, SELECTIVE).document)
    js_base = HERE / "js-base.json"
    if js_base.exists():
        write("lerwallet-derived-from-js-base.json", derive(json.loads(js_base.read_text()), SELECTIVE).document)


if __name__ == "__main__":
    main()
