"""Keys and identifiers: multibase/Multikey/JWK codecs, did:key, did:jwk, did:web, and the
`Resolver` that turns a verification method URL into a checked public key."""

from lerwallet.keys.dids import (
    DidError,
    did_jwk_document,
    did_jwk_from_public,
    did_key_document,
    did_key_from_public,
    did_web_document,
    did_web_url,
)
from lerwallet.keys.jwk import JwkError, jwk_to_public, public_to_jwk
from lerwallet.keys.multibase import MultibaseError, b64url_decode, b64url_encode, decode_multibase, encode_base58btc
from lerwallet.keys.multikey import MultikeyError, decode_multikey, encode_multikey
from lerwallet.keys.resolver import ResolutionError, Resolver, VerificationMethod

__all__ = [
    "DidError", "JwkError", "MultibaseError", "MultikeyError", "ResolutionError", "Resolver",
    "VerificationMethod", "b64url_decode", "b64url_encode", "decode_multibase", "decode_multikey",
    "did_jwk_document", "did_jwk_from_public", "did_key_document", "did_key_from_public",
    "did_web_document", "did_web_url", "encode_base58btc", "encode_multikey", "jwk_to_public",
    "public_to_jwk",
]
