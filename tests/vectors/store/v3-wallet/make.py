"""Made the format-3 wallet in this folder, with lerwallet at commit 054443b (store format 3),
before format 4 existed. Kept so tests/test_store_migration.py can check that a wallet written
by that code migrates to the current format and lists identically. Re-running it with a newer
lerwallet makes a newer-format wallet: it is a record of how the file was made, not a generator.

    python tests/vectors/store/v3-wallet/make.py tests/vectors/store/v3-wallet

Test-only key derivation (`KdfParams.unsafe_fast_for_tests`) and the passphrase below: the
wallet holds nothing secret, only the example credentials and a throwaway identity. Besides
what the format-2 fixture holds, one credential was edited into a newer version (`superseded_by`,
hidden from `list`) and one was deleted, so the buckets hold every case a listing has.
"""

import json
import sys
from pathlib import Path

from lerwallet import crypto, identity
from lerwallet.store import Wallet, credentials

PASSPHRASE = b"v3 wallet fixture passphrase"
REPO = Path(__file__).resolve().parents[4]


def main(out: Path) -> None:
    home = out / "home"
    sources = sorted((REPO / "examples" / "credentials").glob("*.json")) + sorted(
        (REPO / "tests" / "vectors" / "store").glob("*.json"))
    with Wallet.create(home, PASSPHRASE, kdf=crypto.KdfParams.unsafe_fast_for_tests()) as w:
        identity.create(w, method="key", key_type="ed25519", name="main", make_default=True)
        records = [credentials.import_credential(w, f.read_bytes(), source=f.name) for f in sources]
        credentials.set_verification(w, records[0].id, status="verified", reason="", checked_at="2026-11-29T09:00:00Z",
                                     checks=[{"id": "proof", "outcome": "pass", "reason": ""}])
        # A record marked as replaced by a newer one (what `lerwallet edit` writes), and a deletion.
        data = w.get("credential", records[1].id)
        data["summary"]["superseded_by"] = records[2].id
        w.put("credential", records[1].id, data)
        credentials.delete_credential(w, records[-1].id)
        w.put("setting", "example", {"v": 1})
        listed = [r.to_dict() for r in credentials.list_credentials(w)]
        rows = [r.listing() for r in credentials.list_credentials(w)]
    (out / "expected-list.json").write_text(json.dumps(listed, indent=1, sort_keys=True) + "\n")
    (out / "expected-list-rows.json").write_text(json.dumps(rows, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
