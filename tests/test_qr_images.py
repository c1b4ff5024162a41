"""QR images written by lerwallet are decoded by a real decoder (zxing-cpp) and the decoded
presentation verifies; `verify` reads QR images, series in any order, folders and the text form.
Keys and signatures are real (tests.verify_helpers)."""

from __future__ import annotations

import io
import json
import random
import struct
import time
import zlib

import pytest
import zxingcpp
from PIL import Image
from typer.testing import CliRunner

from lerwallet.cli.app import app
from lerwallet.formats import read_inputs
from lerwallet.qr import payload, render, svgraster
from lerwallet.verify import Options, verify_inputs
from tests.verify_helpers import Party, badge, presentation

CHALLENGE, DOMAIN = "c-8f3a", "jobs.example.com"
QR = zxingcpp.BarcodeFormat.QRCode  # only QR symbols: random modules can look like a 1D barcode


@pytest.fixture(scope="module")
def parties():
    return Party(), Party()


@pytest.fixture(scope="module")
def vp_bytes(parties):
    issuer, holder = parties
    creds = [issuer.sign(badge(issuer, subject=holder.did, name=f"Skill {i}", id=f"urn:uuid:{i:08d}-0000-4000-8000-000000000000"))
             for i in range(3)]
    return json.dumps(presentation(holder, creds, challenge=CHALLENGE, domain=DOMAIN)).encode()


def _series(data: bytes, parts: int, mode: str = "auto") -> payload.Encoded:
    for version in range(40, 0, -1):
        enc = payload.encode(data, max_parts=parts, max_version=version, mode=mode)
        if enc.parts == parts:
            return enc
    raise AssertionError("no layout")


def _zxing_png(data: bytes) -> list[bytes]:
    # one copy of each symbol: zxing may report a symbol twice (found again rotated or downscaled)
    return list(dict.fromkeys(bytes(r.bytes) for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(data)), formats=QR)))


def _verify(args, **kw):
    return CliRunner().invoke(app, ["verify", *map(str, args), "--challenge", CHALLENGE, "--domain", DOMAIN, *kw.get("extra", [])],
                              input=kw.get("input"))


def test_every_writer_decodes_with_zxing(vp_bytes, tmp_path):
    enc = _series(vp_bytes, 2)
    for kind in ("png", "svg"):
        files = render.write(enc, str(tmp_path / f"vp.{kind}"))
        assert [f.rsplit("/", 1)[1] for f in files] == [f"vp-1-of-2.{kind}", f"vp-2-of-2.{kind}"]
        assert all((tmp_path / f.rsplit("/", 1)[1]).stat().st_mode & 0o777 == 0o600 for f in files)
        contents = []
        for f in files:
            data = open(f, "rb").read()
            if kind == "png":
                contents += _zxing_png(data)
            else:
                buf, w, h = svgraster.rasterize(data)
                contents += list(dict.fromkeys(bytes(r.bytes) for r in zxingcpp.read_barcodes(memoryview(buf).cast("B", (h, w)), formats=QR)))
        assert contents == [c.content for c in enc.codes]
        assert payload.assemble([payload.parse(c) for c in contents]) == vp_bytes


def test_terminal_rendering_decodes(vp_bytes):
    """The half-block text, drawn back into pixels cell by cell, is a QR code zxing reads."""
    enc = payload.encode(vp_bytes)
    (text,) = render.write(enc, "-")
    lines = text.splitlines()
    width = len(lines[0])
    scale = 4
    rows = []
    for line in lines:
        top = [ch in "\u2588\u2580" for ch in line]  # light module drawn in the upper half
        bottom = [ch in "\u2588\u2584" for ch in line]
        rows += [top, bottom]
    pixels = bytearray()
    for row in rows:
        line = b"".join((b"\xff" if light else b"\x00") * scale for light in row)
        pixels += line * scale
    h = len(rows) * scale
    found = zxingcpp.read_barcodes(memoryview(pixels).cast("B", (h, width * scale)), formats=QR, try_invert=True)
    assert list(dict.fromkeys(bytes(r.bytes) for r in found)) == [enc.codes[0].content]


def test_one_badge_presentation_fits_one_code_at_m(parties):
    issuer, holder = parties
    vp = json.dumps(presentation(holder, [issuer.sign(badge(issuer, subject=holder.did))], challenge=CHALLENGE)).encode()
    enc = payload.encode(vp, ecc="M")
    assert enc.parts == 1 and enc.ecc == "M"


@pytest.mark.parametrize("kind", ["png", "svg", "jpg"])
def test_verify_reads_a_series_in_any_order(vp_bytes, tmp_path, kind):
    enc = _series(vp_bytes, 3)
    files = render.write(enc, str(tmp_path / f"qr.{'png' if kind == 'jpg' else kind}"))
    if kind == "jpg":
        jpgs = []
        for f in files:
            path = f.replace(".png", ".jpg")
            Image.open(f).convert("L").save(path, quality=85)
            jpgs.append(path)
        files = jpgs
    random.Random(4).shuffle(files)
    result = _verify([*files, "--json"])
    data = json.loads(result.stdout)
    assert result.exit_code == 0, result.stdout
    (inp,) = data["inputs"]
    assert inp["kind"] == "presentation" and inp["verdict"] == "valid" and len(inp["credentials"]) == 3
    assert inp["source"].endswith("#qr") and inp["container"] == "qr"


def test_verify_reads_a_folder_and_the_text_form(vp_bytes, tmp_path):
    enc = _series(vp_bytes, 3)
    folder = tmp_path / "codes"
    folder.mkdir()
    render.write(enc, str(folder / "qr.png"))
    (folder / "README.md").write_text("not a credential")
    Image.new("L", (64, 64), 255).save(folder / "photo.png")  # a plain image: skipped in a folder
    result = _verify([folder])
    assert result.exit_code == 0, result.stdout
    assert "VERIFIED: 3 credential(s) in 1 input(s)" in " ".join(result.stdout.split())
    text = tmp_path / "qr.txt"
    series_text = _series(vp_bytes, 3, mode="alphanumeric").text()
    text.write_text(series_text)
    assert _verify([text]).exit_code == 0
    assert _verify(["-"], input=series_text).exit_code == 0


def test_missing_duplicate_and_foreign_parts_are_unreadable_not_forged(vp_bytes, tmp_path):
    enc = _series(vp_bytes, 3)
    files = render.write(enc, str(tmp_path / "qr.png"))
    result = _verify(files[:2])
    assert result.exit_code == 2
    assert "part(s) 3 of 3 missing" in " ".join(result.stdout.split()) and "UNREADABLE" in result.stdout
    result = _verify([*files, files[1]])
    assert result.exit_code == 2 and "appears twice" in result.stdout
    # a part from another series that claims the same set id (digest differs): foreign
    other = payload.encode(vp_bytes + b" ", max_parts=3, max_version=enc.max_version, set_id=enc.set_id)
    assert other.parts == 3
    stray = render.write(other, str(tmp_path / "other.png"))
    result = _verify([files[0], stray[1], files[2], "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["inputs"][0]["verdict"] == "unreadable" and "foreign" in result.stdout


def test_a_tampered_presentation_in_a_qr_is_a_forgery(vp_bytes, tmp_path):
    doc = json.loads(vp_bytes)
    doc["verifiableCredential"][1]["name"] = "Skill 9"  # signed content changed
    enc = _series(json.dumps(doc).encode(), 3)
    files = render.write(enc, str(tmp_path / "qr.svg"))
    result = _verify(files)
    assert result.exit_code == 1 and "NOT VERIFIED" in result.stdout


def test_wrong_challenge_in_a_qr_fails(vp_bytes, tmp_path):
    files = render.write(payload.encode(vp_bytes), str(tmp_path / "qr.png"))
    result = CliRunner().invoke(app, ["verify", *files, "--challenge", "other", "--domain", DOMAIN])
    assert result.exit_code == 1


def test_svg_from_the_qrcode_package_is_read(tmp_path, vp_bytes):
    import qrcode
    import qrcode.image.svg as svgimg

    enc = payload.encode(vp_bytes, mode="alphanumeric")
    for factory in (svgimg.SvgPathImage, svgimg.SvgImage):
        img = qrcode.make(enc.codes[0].content.decode(), image_factory=factory)
        path = tmp_path / f"{factory.__name__}.svg"
        path.write_bytes(img.to_string())
        assert _verify([path]).exit_code == 0


def test_image_errors_are_one_line_and_named(tmp_path):
    plain = tmp_path / "plain.png"
    Image.new("L", (64, 64), 255).save(plain)
    result = CliRunner().invoke(app, ["verify", str(plain), "--json"])
    assert result.exit_code == 2 and "without a baked Open Badges credential or a QR code" in result.stdout
    import qrcode

    other = tmp_path / "url.png"
    qrcode.make("https://example.com/").save(str(other))
    result = CliRunner().invoke(app, ["verify", str(other)])
    assert result.exit_code == 2 and "not a lerwallet presentation" in result.stdout
    curvy = tmp_path / "art.svg"
    curvy.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="4"/></svg>')
    result = CliRunner().invoke(app, ["verify", str(curvy)])
    assert result.exit_code == 2 and "not supported" in result.stdout


def test_qr_payload_holding_other_content_is_refused(tmp_path):
    for inner in (b"hello", b"\x89PNG\r\n\x1a\n"):
        text = tmp_path / "x.txt"
        text.write_text(payload.encode(inner).text())
        (env,) = read_inputs([str(text)])
        assert env.error is not None and env.error.code == "qr-bad-content"


# -- hostile input: bounded time and memory at the caps ---------------------------------------------

def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b""))


def test_hostile_images_are_refused_within_bounds(tmp_path):
    start = time.monotonic()
    huge = tmp_path / "huge.png"
    huge.write_bytes(_png_header_only(60000, 60000))  # 3.6 gigapixels announced in a 1 KB file
    (env,) = read_inputs([str(huge)])
    assert env.error.code == "too-large"
    svg = tmp_path / "many.svg"
    runs = "".join(f"M{x} {y}h1v1h-1z" for y in range(0, 700) for x in range(0, 700, 2))
    svg.write_text(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 700 700"><path d="{runs}"/></svg>')
    (env,) = read_inputs([str(svg)])
    assert env.error.code == "not-baked" and "too many shapes" in env.error.message
    garbage = tmp_path / "noise.png"
    Image.frombytes("L", (2000, 2000), random.Random(1).randbytes(4_000_000)).save(garbage)
    (env,) = read_inputs([str(garbage)])
    assert env.error.code == "not-baked"
    assert time.monotonic() - start < 60  # generous: a hang or a blow-up fails, a slow machine does not


def test_hostile_text_at_the_caps_is_bounded(tmp_path):
    """64 parts of the longest line a code can hold, and a zip bomb spread over a series."""
    big = payload.encode(random.Random(2).randbytes(170_000), mode="alphanumeric", ecc="L", max_parts=64)
    assert 60 < big.parts <= 64
    text = tmp_path / "big.txt"
    text.write_text(big.text())
    (env,) = read_inputs([str(text)])
    assert env.error.code == "qr-bad-content"  # decoded whole (random bytes), within the caps
    bomb = zlib.compress(b"{" + b" " * (64 * 1024 * 1024), 9)  # 64 MiB behind about 64 KB
    parts = [p for p in _manual(bomb, 40)]
    text.write_text("\n".join(parts))
    (env,) = read_inputs([str(text)])
    assert env.error.code == "qr-too-large"


def _manual(compressed: bytes, count: int) -> list[str]:
    import hashlib

    from lerwallet.qr import base45

    digest = hashlib.sha256(compressed).hexdigest()[:32].upper()
    size = -(-len(compressed) // count)
    size += size % 2
    return [f"LW1-{i + 1}-{count}-BOMB0000-{digest}:" + base45.encode(compressed[i * size:(i + 1) * size])
            for i in range(count)]
