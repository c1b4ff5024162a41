"""The crypto module: round trips, tamper detection, and the single-door rule."""

from __future__ import annotations

import pathlib
import re

import pytest

from lerwallet import crypto


@pytest.mark.parametrize("key_type", crypto.KEY_TYPES)
def test_sign_verify_round_trip_and_tamper(key_type):
    private = crypto.generate_private_key(key_type)
    public = crypto.public_key_of(key_type, private)
    sig = crypto.sign(key_type, private, b"hello")
    assert crypto.verify(key_type, public, b"hello", sig)
    assert not crypto.verify(key_type, public, b"hellO", sig)
    bad = bytes([sig[0] ^ 1]) + sig[1:]
    assert not crypto.verify(key_type, public, b"hello", bad)
    assert not crypto.verify(key_type, public, b"hello", sig[:-1])


@pytest.mark.parametrize("key_type", ["p256", "p384"])
def test_ec_point_round_trip(key_type):
    public = crypto.public_key_of(key_type, crypto.generate_private_key(key_type))
    x, y = crypto.ec_public_xy(key_type, public)
    assert crypto.ec_public_from_xy(key_type, x, y) == public
    with pytest.raises(crypto.BadKey):
        crypto.ec_public_from_xy(key_type, x, bytes(len(y)))


def test_bad_public_key_is_badkey():
    with pytest.raises(crypto.BadKey):
        crypto.verify("ed25519", b"short", b"x", bytes(64))
    with pytest.raises(crypto.BadKey):
        crypto.verify("p256", b"\x02" + b"\xff" * 32, b"x", bytes(64))
    with pytest.raises(crypto.BadKey):
        crypto.generate_private_key("rsa")


def test_seal_open_binds_aad_and_detects_tamper():
    key = crypto.generate_data_key()
    blob = crypto.seal(key, b"secret", b"record-1")
    assert crypto.open_sealed(key, blob, b"record-1") == b"secret"
    with pytest.raises(crypto.SealError):
        crypto.open_sealed(key, blob, b"record-2")
    with pytest.raises(crypto.SealError):
        crypto.open_sealed(key, blob[:-1] + bytes([blob[-1] ^ 1]), b"record-1")
    with pytest.raises(crypto.SealError):
        crypto.open_sealed(crypto.generate_data_key(), blob, b"record-1")
    assert crypto.seal(key, b"secret", b"a") != crypto.seal(key, b"secret", b"a")  # fresh nonces


def test_sealed_opener_matches_open_sealed_for_many_blobs():
    key = crypto.generate_data_key()
    blobs = [(crypto.seal(key, f"secret {i}".encode(), f"record-{i}".encode()), f"record-{i}".encode()) for i in range(5)]
    opener = crypto.sealed_opener(key)
    assert [opener(b, aad) for b, aad in blobs] == [f"secret {i}".encode() for i in range(5)]
    blob, aad = blobs[0]
    for bad_blob, bad_aad in ((blob, b"record-1"), (blob[:-1] + bytes([blob[-1] ^ 1]), aad), (blob[:20], aad), (b"", aad)):
        with pytest.raises(crypto.SealError):
            opener(bad_blob, bad_aad)
    with pytest.raises(crypto.SealError):
        crypto.sealed_opener(crypto.generate_data_key())(blob, aad)
    with pytest.raises(crypto.SealError):
        crypto.sealed_opener(key[:16])(blob, aad)  # a short key is refused like open_sealed does


def test_kdf_is_deterministic_and_salted():
    params = crypto.KdfParams.unsafe_fast_for_tests()
    a = crypto.derive_key(b"pw", b"s" * 16, params)
    assert a == crypto.derive_key(b"pw", b"s" * 16, params)
    assert a != crypto.derive_key(b"pw", b"t" * 16, params)
    assert a != crypto.derive_key(b"pW", b"s" * 16, params)
    assert crypto.KdfParams.from_dict(params.to_dict()) == params
    with pytest.raises(crypto.CryptoError):
        crypto.KdfParams.from_dict({"algorithm": "md5", "memory_kib": 64, "iterations": 1, "lanes": 1})


@pytest.mark.parametrize("key_type", crypto.KEY_TYPES)
def test_pkcs8_round_trip(key_type):
    private = crypto.generate_private_key(key_type)
    pem = crypto.private_to_pkcs8(key_type, private, password=b"pw")
    assert b"ENCRYPTED" in pem
    assert crypto.private_from_pkcs8(pem, password=b"pw") == (key_type, private)
    with pytest.raises(crypto.BadKey):
        crypto.private_from_pkcs8(pem, password=b"wrong")
    plain = crypto.private_to_pkcs8(key_type, private, password=None)
    assert crypto.private_from_pkcs8(plain) == (key_type, private)


def test_pkcs8_export_uses_pbes2_with_600k_pbkdf2_rounds(tmp_path):
    # review 4: BestAvailableEncryption gave PBKDF2 with 2,048 rounds
    import base64
    import shutil
    import subprocess

    private = crypto.generate_private_key("p256")
    pem = crypto.private_to_pkcs8("p256", private, password=b"pw")
    der = base64.b64decode(b"".join(pem.strip().split(b"\n")[1:-1]))
    assert der.startswith(b"\x30")
    assert bytes.fromhex("06092a864886f70d01050d") in der  # PBES2
    assert bytes.fromhex("06092a864886f70d01050c") in der  # PBKDF2
    assert bytes.fromhex("06082a864886f70d0209") in der  # hmacWithSHA256
    assert bytes.fromhex("060960864801650304012a") in der  # aes256-CBC
    assert bytes.fromhex("02030927c0") in der  # iterationCount INTEGER 600000
    assert crypto.PKCS8_PBKDF2_ROUNDS == 600_000
    if shutil.which("openssl"):  # an independent reader
        path = tmp_path / "k.pem"
        path.write_bytes(pem)
        out = subprocess.run(["openssl", "pkey", "-in", str(path), "-passin", "pass:pw", "-outform", "DER"],
                             capture_output=True, check=True).stdout
        assert crypto.private_from_pkcs8(out) == ("p256", private)


def test_nothing_else_imports_hazmat():
    """All cryptography goes through lerwallet.crypto (style rule 2)."""
    src = pathlib.Path(crypto.__file__).parent
    offenders = [
        str(p.relative_to(src))
        for p in src.rglob("*.py")
        if p.name != "crypto.py" and re.search(r"cryptography\.hazmat|from cryptography", p.read_text())
    ]
    assert offenders == []
