"""Sign a credential as one of the learner's identities: the one signer `lerwallet add` and
`edit` use, reusable by anything that issues an OB 3.0 AchievementCredential from the wallet.

    from lerwallet.record.sign import resolve_identity, sign_credential
    who = resolve_identity(wallet, "main")          # None: the default holder
    signed = sign_credential(wallet, doc, who)       # eddsa-rdfc-2022 (Ed25519) / ecdsa-rdfc-2019 (P-256)

The document is validated before signing (`lerwallet.proofs.prepare`: the VC data model rules,
the issuer is the signing identity, safe-mode canonicalization), so whatever comes out verifies
in lerwallet's own pipeline; `verify_options` gives the offline options that can check it
(a did:web identity's document as the wallet would publish it).
"""

from __future__ import annotations

from lerwallet.errors import NotFoundError

def resolve_identity(wallet, ref: str | None = None):
    """The identity named `ref` (name or DID), else the default holder; a one-line error with a
    hint when the wallet has none."""
    from lerwallet import identity

    if ref:
        return identity.find(wallet, ref)
    try:
        return identity.default_holder(wallet)
    except NotFoundError:
        if not identity.list_identities(wallet):
            raise NotFoundError("this wallet has no identity to sign your records with",
                                hint="create one with: lerwallet did create --name main, then: lerwallet did use main") from None
        raise


def sign_credential(wallet, doc: dict, who, *, created: str | None = None) -> dict:
    """`doc` signed by identity `who` (an `Identity`) with its current key, by the one issuing
    signer (`lerwallet.issue`): eddsa-rdfc-2022 for Ed25519, ecdsa-rdfc-2019 for P-256. `doc`'s
    issuer must be `who`'s DID. Raises `UsageError` when the identity holds no private key in this
    wallet or the document is not signable."""
    from lerwallet import issue

    return issue.sign_credential(doc, issue.signer_for(wallet, who.did), created=created)


def verify_options(who):
    """Offline verification options that can check what `who` signed (did:web: its document as
    the wallet would publish it, so no network is needed)."""
    from lerwallet import identity
    from lerwallet.keys.resolver import Resolver
    from lerwallet.verify.options import Options

    documents = {who.did: identity.document(who)} if who.method == "web" else None
    return Options(resolver=Resolver(documents=documents))


def own_documents(wallet) -> dict:
    """The DID documents of the wallet's did:web identities, as the wallet would publish them."""
    from lerwallet import identity

    return {i.did: identity.document(i) for i in identity.list_identities(wallet) if i.method == "web"}


def knowing_own_documents(wallet, opts):
    """`opts` (offline) made able to check what the wallet's own did:web identities signed
    without the network: their documents are the wallet's own. Online, the published ones decide."""
    from lerwallet.keys.resolver import Resolver

    documents = own_documents(wallet)
    if documents and not opts.online:
        opts.resolver = Resolver(did_web_cache=opts.did_web_cache, documents=documents)
    return opts
