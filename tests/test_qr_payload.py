"""The QR payload codec (docs/qr-format.md): base45, the LW1 grammar, series, caps, vectors."""

from __future__ import annotations

import hashlib
import os
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from lerwallet.qr import base45, payload
from lerwallet.qr.payload import QrError

VECTORS = Path(__file__).parent / "vectors" / "qr"


# -- base45 (RFC 9285) ---------------------------------------------------------------------------

@pytest.mark.parametrize("raw,text", [
    (b"AB", "BB8"), (b"Hello!!", "%69 VD92EX0"), (b"base-45", "UJCLQE7W581"), (b"ietf!", "QED8WEX0"),
    (b"", ""), (b"\x00", "00"), (b"\xff", "U5"), (b"\xff\xff", "FGW"),
])
def test_base45_rfc9285_examples(raw, text):
    assert base45.encode(raw) == text
    assert base45.decode(text) == raw


@given(st.binary(max_size=300))
def test_base45_round_trip(data):
    text = base45.encode(data)
    assert set(text) <= set(base45.ALPHABET) and len(text) == 3 * (len(data) // 2) + 2 * (len(data) % 2)
    assert base45.decode(text) == data


@pytest.mark.parametrize("text,why", [
    ("GGW", "exceeds 65535"), (":::", "exceeds 65535"), ("0", "dangling"), ("BB8A", "dangling"),
    ("bb8", "not in the base45 alphabet"), ("B_8", "not in the base45 alphabet"), ("::", "exceeds 255"),
    ("V5", "exceeds 255"),
])
def test_base45_rejects(text, why):
    with pytest.raises(base45.Base45Error, match=why):
        base45.decode(text)


# -- encode / parse / assemble ------------------------------------------------------------------

@settings(max_examples=40, deadline=None)
@given(st.binary(min_size=1, max_size=6000), st.sampled_from(["auto", "alphanumeric", "byte"]),
       st.sampled_from(payload.ECC_LEVELS), st.integers(min_value=1, max_value=40))
def test_round_trip_any_layout(data, mode, ecc, max_version):
    try:
        enc = payload.encode(data, mode=mode, ecc=ecc, max_parts=payload.MAX_PARTS, max_version=max_version)
    except QrError as exc:
        assert exc.code == "too-many-parts" and max_version < 20
        return
    for code in enc.codes:
        # every code fits the version it claims, and no smaller one
        assert payload.smallest_version(code.mode, len(code.content), ecc) == code.version <= max_version
    parsed = [payload.parse(c.content) for c in reversed(enc.codes)]
    assert payload.assemble(parsed) == data
    assert all(p.count == enc.parts for p in parsed)


def test_auto_takes_the_smaller_code():
    data = os.urandom(1500)  # incompressible: the code size is the payload size
    auto = payload.encode(data)
    alnum = payload.encode(data, mode="alphanumeric")
    byte = payload.encode(data, mode="byte")
    best = min((alnum.parts, alnum.max_version, 0), (byte.parts, byte.max_version, 1))
    assert (auto.parts, auto.max_version) == best[:2]
    assert auto.mode == ("alphanumeric" if best[2] == 0 else "byte")
    # a tie goes to base45 (text a phone shows as text)
    small = payload.encode(b"{}")
    assert small.mode == "alphanumeric" and small.codes[0].content.startswith(b"LW1:")


def test_series_layout_and_text_form():
    data = os.urandom(5000)
    enc = payload.encode(data, mode="alphanumeric", max_parts=8)
    assert enc.parts == 3 and len(set(c.content.split(b":")[0].split(b"-")[3] for c in enc.codes)) == 1
    assert [c.index for c in enc.codes] == [1, 2, 3]
    assert enc.digest == hashlib.sha256(zlib.compress(data, 9)).hexdigest()[:32].upper()
    assert payload.decode_text(enc.text().encode()) == [data]
    with pytest.raises(ValueError):
        payload.encode(data, mode="byte").text()


def test_too_many_parts_hints():
    data = os.urandom(5000)
    with pytest.raises(QrError) as exc:
        payload.encode(data, max_parts=2)
    assert exc.value.code == "too-many-parts" and "more than the 2 allowed" in exc.value.message
    assert "--disclose" in exc.value.hint and "--out FILE" in exc.value.hint


def test_data_url_images_are_named_as_the_reason():
    import base64
    import json

    image = "data:image/png;base64," + base64.b64encode(os.urandom(9000)).decode()
    doc = json.dumps({"verifiableCredential": [{"image": {"id": image}}]}).encode()
    with pytest.raises(QrError) as exc:
        payload.encode(doc, max_parts=1)
    assert "data: URLs" in exc.value.message and "data:image/png" in exc.value.message
    assert "--out FILE" in exc.value.hint
    # inside a JWT too
    seg = base64.urlsafe_b64encode(doc).rstrip(b"=")
    assert payload.data_urls(b"eyJhbGciOiJFZERTQSJ9." + seg + b".c2ln")[0][0].startswith("data:image/png")
    assert payload.data_urls(b'{"image": "data:image/png;base64,AAAA"}') == []  # a tiny one is not the problem


@pytest.mark.parametrize("kw", [dict(ecc="X"), dict(max_parts=0), dict(max_parts=65), dict(mode="kanji"),
                                dict(set_id="lower123"), dict(max_version=41)])
def test_encode_refuses_bad_options(kw):
    with pytest.raises(ValueError):
        payload.encode(b"{}", **kw)


def test_series_from_several_sets_are_grouped():
    a, b = os.urandom(4000), os.urandom(4000)
    ea = payload.encode(a, mode="alphanumeric", max_version=30)
    eb = payload.encode(b, mode="alphanumeric", max_version=30)
    assert ea.parts > 1 and eb.parts > 1
    mixed = [payload.parse(c.content) for pair in zip(ea.codes, eb.codes) for c in pair]
    groups = payload.group(mixed)
    assert sorted(payload.assemble(g) for g in groups) == sorted([a, b])


def test_inflate_is_bounded():
    bomb = zlib.compress(b"\0" * (payload.MAX_DECOMPRESSED * 4), 9)  # about 16 KB that would inflate to 16 MiB
    with pytest.raises(QrError) as exc:
        payload.inflate(bomb)
    assert exc.value.code == "too-large"
    assert payload.inflate(zlib.compress(b"x" * payload.MAX_DECOMPRESSED)) == b"x" * payload.MAX_DECOMPRESSED
    with pytest.raises(QrError, match="too-large|more than"):
        payload.inflate(zlib.compress(b"x" * 101), max_bytes=100)


# -- vectors --------------------------------------------------------------------------------------

def _vector(path: Path) -> tuple[dict, list[bytes]]:
    head, _, body = path.read_text().partition("---\n")
    meta = dict(line.split(": ", 1) for line in head.splitlines())
    codes = [bytes.fromhex(line[4:]) if line.startswith("hex:") else line.encode() for line in body.splitlines()]
    return meta, codes


CASES = sorted(VECTORS.glob("*.txt"))


def test_vectors_exist():
    assert len(CASES) >= 25
    assert {_vector(p)[0]["expect"] for p in CASES} == {"success", "reject"}


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_vector(path):
    meta, codes = _vector(path)
    if meta["expect"] == "success":
        parts = [payload.parse(c) for c in codes]
        (out,) = [payload.assemble(g) for g in payload.group(parts)]
        assert hashlib.sha256(out).hexdigest() == meta["sha256"]
        return
    with pytest.raises(QrError) as exc:
        parts = [payload.parse(c) for c in codes]
        for g in payload.group(parts):
            payload.assemble(g)
    assert exc.value.code == meta["code"], exc.value.message
