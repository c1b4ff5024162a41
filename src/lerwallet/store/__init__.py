"""The encrypted wallet store. `Wallet` is the record vault; `credentials` is the API on top.

    from lerwallet.store import Wallet
    with Wallet.open(home, passphrase) as w:
        w.put("setting", "default_holder", {"did": "did:key:..."})

Record ids are stored in plaintext (the kind too): use `new_id()` or a keyed digest
(`Wallet.keyed_digest`), never content such as a name or a DID. See docs/store-format.md.
"""

from lerwallet.store.vault import FORMAT_VERSION, Entry, Wallet, new_id

__all__ = ["FORMAT_VERSION", "Entry", "Wallet", "new_id"]
