"""Multibase, Multikey and JWK codecs: round trips and must-reject inputs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lerwallet import crypto
from lerwallet.keys.jwk import JwkError, jwk_to_public, public_to_jwk, rsa_numbers, thumbprint
from lerwallet.keys.multibase import (
    MultibaseError,
    b58decode,
    b58encode,
    b64url_decode,
    b64url_encode,
    decode_multibase,
    encode_base58btc,
    encode_base64url,
)
from lerwallet.keys.multikey import MultikeyError, decode_multikey, encode_multikey, varint

KEY_TYPES = ("ed25519", "p256", "p384")


def _public(key_type: str) -> bytes:
    return crypto.public_key_of(key_type, crypto.generate_private_key(key_type))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=80))
def test_multibase_round_trips(data):
    assert decode_multibase(encode_base58btc(data)) == data
    assert decode_multibase(encode_base64url(data)) == data
    assert b64url_decode(b64url_encode(data)) == data


def test_base58_known_values_and_leading_zeros():
    # Bitcoin base58 reference values
    assert b58encode(b"hello world") == "StV1DL6CwTryKyV"
    assert b58encode(b"\0\0\x01") == "112"
    assert b58decode("112") == b"\0\0\x01"
    assert decode_multibase("z") == b""


@pytest.mark.parametrize("bad", ["z0OIl", "zabc+", "z abc", "", "fdeadbeef", "mAAAA", "Zabc", "uAA=="])
def test_decode_multibase_rejects(bad):
    with pytest.raises(MultibaseError):
        decode_multibase(bad)


@pytest.mark.parametrize("bad", ["AA==", "A", "AB", "AA\n", "AA+/", "A A", "é"])
def test_b64url_is_strict(bad):
    # "AB": non-zero trailing bits (canonical form of b"\0" is "AA"); "A": impossible length
    with pytest.raises(MultibaseError):
        b64url_decode(bad)


def test_multibase_error_is_a_value_error():
    with pytest.raises(ValueError):
        decode_multibase("x123")


@pytest.mark.parametrize("key_type", KEY_TYPES)
def test_multikey_round_trip_and_prefixes(key_type):
    public = _public(key_type)
    text = encode_multikey(key_type, public)
    assert text.startswith({"ed25519": "z6Mk", "p256": "zDn", "p384": "z82"}[key_type])
    assert decode_multikey(text) == (key_type, public)
    assert encode_multikey(*decode_multikey(text)) == text


def test_multicodec_varints():
    assert varint(0xED) == b"\xed\x01"
    assert varint(0x1200) == b"\x80\x24"
    assert varint(0x1201) == b"\x81\x24"


@pytest.mark.parametrize("key_type", KEY_TYPES)
def test_multikey_rejects_wrong_lengths(key_type):
    public = _public(key_type)
    for bad in (public[:-1], public + b"\0", b""):
        with pytest.raises(MultikeyError):
            encode_multikey(key_type, bad)
        with pytest.raises(MultikeyError):
            decode_multikey(encode_base58btc(varint({"ed25519": 0xED, "p256": 0x1200, "p384": 0x1201}[key_type]) + bad))


def test_multikey_rejects_unsupported_and_noncanonical():
    public = _public("ed25519")
    with pytest.raises(MultikeyError, match="x25519"):
        decode_multikey(encode_base58btc(varint(0xEC) + public))
    with pytest.raises(MultikeyError, match="secp256k1"):
        decode_multikey(encode_base58btc(varint(0xE7) + b"\x02" + public))
    with pytest.raises(MultikeyError, match="non-minimal"):
        decode_multikey(encode_base58btc(b"\xed\x81\x00" + public))
    with pytest.raises(MultikeyError, match="base58btc"):
        decode_multikey(encode_base64url(varint(0xED) + public))
    with pytest.raises(MultikeyError):
        decode_multikey("z")
    with pytest.raises(MultikeyError):
        encode_multikey("rsa", public)


def test_multikey_rejects_uncompressed_and_off_curve_points():
    public = _public("p256")
    x, y = crypto.ec_public_xy("p256", public)
    with pytest.raises(MultikeyError):  # uncompressed (65 bytes) is not the canonical Multikey
        decode_multikey(encode_base58btc(varint(0x1200) + b"\x04" + x + y))
    with pytest.raises(MultikeyError, match="compressed"):
        encode_multikey("p256", b"\x05" + public[1:])
    # smallest x with no y on P-256: x^3 - 3x + b is a non-residue (Euler's criterion)
    p = 2**256 - 2**224 + 2**192 + 2**96 - 1
    b = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B
    x = next(x for x in range(1, 100) if pow((x**3 - 3 * x + b) % p, (p - 1) // 2, p) == p - 1)
    off_curve = b"\x02" + x.to_bytes(32, "big")
    with pytest.raises(MultikeyError, match="curve"):
        encode_multikey("p256", off_curve)
    with pytest.raises(MultikeyError):  # a P-256 key under the P-384 codec
        decode_multikey(encode_base58btc(varint(0x1201) + public))


@pytest.mark.parametrize("key_type", KEY_TYPES)
def test_jwk_round_trip(key_type):
    public = _public(key_type)
    jwk = public_to_jwk(key_type, public)
    assert jwk["kty"] == ("OKP" if key_type == "ed25519" else "EC")
    assert jwk_to_public(jwk) == (key_type, public)
    assert public_to_jwk(*jwk_to_public(jwk)) == jwk


def test_jwk_rfc8037_and_rfc7638_vectors():
    # RFC 8037 Appendix A.2 public key and A.3 thumbprint
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
    key_type, public = jwk_to_public(jwk)
    assert key_type == "ed25519" and public.hex().startswith("d75a980182b10ab7")
    assert thumbprint(jwk) == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
    # RFC 8037 A.1 private seed gives that public key through lerwallet.crypto
    seed = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    assert crypto.public_key_of("ed25519", seed) == public


@pytest.mark.parametrize(
    "jwk, message",
    [
        ({"kty": "OKP", "crv": "X25519", "x": "AA"}, "curve"),
        ({"kty": "OKP", "crv": "Ed25519", "x": "AA"}, "32 bytes"),
        ({"kty": "OKP", "crv": "Ed25519"}, "missing"),
        ({"kty": "EC", "crv": "secp256k1", "x": "AA", "y": "AA"}, "curve"),
        ({"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"}, "32 bytes"),
        ({"kty": "oct", "k": "AA"}, "private"),
        ({"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", "d": "AA"}, "private"),
        ({"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo="}, "padding"),
        ({"kty": "XYZ"}, "unsupported"),
        ("not a dict", "object"),
    ],
)
def test_jwk_rejects(jwk, message):
    with pytest.raises(JwkError, match=message):
        jwk_to_public(jwk)


def test_jwk_rejects_point_not_on_curve():
    public = _public("p256")
    jwk = public_to_jwk("p256", public)
    jwk["y"] = b64url_encode((1).to_bytes(32, "big"))
    with pytest.raises(JwkError):
        jwk_to_public(jwk)


def test_rsa_jwk_is_verify_only_numbers():
    n = b"\xc5" + b"\x01" * 255
    jwk = {"kty": "RSA", "n": b64url_encode(n), "e": "AQAB"}
    assert jwk_to_public(jwk) == ("rsa", n)
    assert rsa_numbers(jwk) == (n, b"\x01\x00\x01")
    with pytest.raises(JwkError):
        rsa_numbers({"kty": "RSA", "n": b64url_encode(b"\0" + n), "e": "AQAB"})


def test_base58_length_is_capped_before_decoding():
    # review 1: an unbounded digit loop took 61 s on a 600,000-character proofValue
    from lerwallet.keys.multibase import MAX_B58_CHARS

    with pytest.raises(MultibaseError, match="too long"):
        decode_multibase("z" + "2" * (MAX_B58_CHARS + 1))
    with pytest.raises(MultibaseError, match="too long"):
        b58decode("2" * 50, max_chars=49)
    with pytest.raises(MultikeyError, match="too long"):
        decode_multikey("z" + "2" * 5000)


def test_base58_large_values_round_trip_exactly():
    import os

    # 8 KiB is far past any key or signature, and past any shortcut through floats or machine
    # words; base58 is quadratic, so the 100 KB case lives in the slow test below.
    for data in (os.urandom(8192), b"\0\0" + os.urandom(4097), b"\xff" * 65, b"\0" * 70):
        assert b58decode(b58encode(data)) == data
    assert b58decode("1" * 100) == b"\0" * 100
    with pytest.raises(MultibaseError, match="invalid base58btc character '0'"):
        b58decode("2" * 200 + "0")


@pytest.mark.slow
def test_base58_100kb_round_trips_exactly():
    import os

    data = os.urandom(100_000)
    assert b58decode(b58encode(data)) == data


def test_did_key_with_huge_multibase_is_refused_quickly():
    from lerwallet.keys.dids import DidError, parse_did_key

    with pytest.raises(DidError, match="too long"):
        parse_did_key("did:key:z" + "2" * 600_000)
