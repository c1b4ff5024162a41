"""DCC Learner Credential Wallet QR codes (`VP1-...`): CBOR-LD decoded here must give back,
exactly, the presentation the reference JavaScript encoders were given, and verify.

Fixtures: tests/interop/vpqr/ (inputs signed by lerwallet with DEMO-ONLY keys, encoded by
@digitalcredentials/vpqr 2.2.1 as the DCC wallet does and by @digitalbazaar/vpqr 6.0.0; see its
README.md). No JavaScript runs here.
"""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import cbor2
import pytest
import zxingcpp
from PIL import Image
from typer.testing import CliRunner

from lerwallet.cli.app import app
from lerwallet.formats import read_inputs
from lerwallet.ld.loader import offline_loader
from lerwallet.qr import base45, cborld, vpqr

HERE = Path(__file__).parent / "interop" / "vpqr"
CASES = json.loads((HERE / "vpqr-cases.json").read_text())
ENCODED = [(name, enc) for name, encs in sorted(CASES.items()) for enc, r in sorted(encs.items()) if "payload" in r]
CHALLENGE, DOMAIN = "vpqr-demo-challenge-1", "jobs.example.com"


def _input(name: str) -> dict:
    return json.loads((HERE / "inputs" / f"{name}.json").read_text())


def test_fixtures_cover_both_wallet_formats():
    encoders = {enc for _, enc in ENCODED}
    assert {"lcw-vpqr2-base32", "vpqr6-cborld1-base45", "vpqr6-cborld1-base32", "vpqr6-legacy-base45"} <= encoders
    assert len(ENCODED) >= 20
    tags = {cbor2.loads(bytes.fromhex(CASES[n][e]["cborldHex"])).tag for n, e in ENCODED}
    assert tags == {0x0501, 0xCB1D}  # legacy-singleton and CBOR-LD 1.0


@pytest.mark.parametrize("name,enc", ENCODED, ids=[f"{n}-{e}" for n, e in ENCODED])
def test_decodes_exactly_what_was_encoded(name, enc):
    payload = CASES[name][enc]["payload"].encode()
    assert vpqr.cborld_bytes(payload).hex() == CASES[name][enc]["cborldHex"]
    assert vpqr.decode(payload) == _input(name) == CASES[name][enc]["decoded"]


def test_inputs_are_reproducible(tmp_path):
    """The generator is deterministic (Ed25519, fixed seeds and dates): same bytes as checked in."""
    import runpy

    runpy.run_path(str(HERE / "make_inputs.py"))["main"](tmp_path)
    for path in sorted((HERE / "inputs").glob("*.json")):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_the_js_encoder_rejects_vc20_presentations():
    """Recorded finding: @digitalbazaar/vpqr 6 (cborld 8) throws on every VC 2.0 presentation,
    in every format; the older encoder of the DCC wallet (cborld 4) encodes them."""
    for name, encs in CASES.items():
        for enc, r in encs.items():
            if "vc20" in name and enc.startswith("vpqr6"):
                assert "error" in r and "@import" in r["error"], (name, enc)
            else:
                assert "payload" in r, (name, enc)


def _runner(*args, input=None):
    return CliRunner().invoke(app, ["verify", *map(str, args)], input=input)


def test_verify_reads_dcc_text_and_images(tmp_path):
    import qrcode

    signed = [(n, e) for n, e in ENCODED if "signed-vp" in n and "unsigned" not in n]
    text = tmp_path / "codes.txt"
    text.write_text("\n".join(CASES[n][e]["payload"] for n, e in signed) + "\n")
    result = _runner(text, "--challenge", CHALLENGE, "--domain", DOMAIN, "--json")
    data = json.loads(result.stdout)
    assert result.exit_code == 0, result.stdout
    assert len(data["inputs"]) == len(signed) and all(i["kind"] == "presentation" for i in data["inputs"])
    # an image of one code, drawn in alphanumeric mode as the wallet shows it, read by zxing-cpp
    name, enc = next((n, e) for n, e in signed if e == "lcw-vpqr2-base32")
    payload = CASES[name][enc]["payload"]
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_L)
    qr.add_data(qrcode.util.QRData(payload.encode(), mode=qrcode.util.MODE_ALPHA_NUM, check_data=False))
    image = tmp_path / "lcw.png"
    qr.make_image().save(str(image))
    assert zxingcpp.read_barcodes(Image.open(image), formats=zxingcpp.BarcodeFormat.QRCode)[0].text == payload
    result = _runner(image, "--challenge", CHALLENGE, "--domain", DOMAIN)
    assert result.exit_code == 0, result.stdout
    assert _runner(image, "--challenge", "another", "--domain", DOMAIN).exit_code == 1
    # stdin
    assert _runner("-", "--challenge", CHALLENGE, "--domain", DOMAIN, input=payload + "\n").exit_code == 0


def test_a_changed_value_is_a_forgery_not_unreadable(tmp_path):
    name, enc = "eddsa-rdfc-2022-vc11-signed-vp", "vpqr6-cborld1-base45"
    raw = bytearray(bytes.fromhex(CASES[name][enc]["cborldHex"]))
    at = raw.find("Teamwork".encode())
    raw[at] = ord("D")  # "Deamwork": still valid CBOR-LD, another document
    text = tmp_path / "forged.txt"
    text.write_text("VP1-R" + base45.encode(bytes(raw)) + "\n")
    result = _runner(text, "--challenge", CHALLENGE, "--domain", DOMAIN)
    assert result.exit_code == 1 and "NOT VERIFIED" in result.stdout


@pytest.mark.parametrize("text,code", [
    (b"VP1-Xabc", "dcc-unsupported"),
    (b"VP1-R:::", "dcc-unreadable"),
    (b"VP1-B" + b"A" * 9, "dcc-unreadable"),
    (b"VP1-B" + base64.b32encode(b"\xa1\x00\x00").rstrip(b"="), "dcc-bad-cborld"),  # CBOR, no tag
    (b"VP1-R" + base45.encode(cbor2.dumps(cbor2.CBORTag(0xCB1D, [100, {}]))).encode(), "dcc-unsupported"),
    (b"VP1-R" + base45.encode(cbor2.dumps(cbor2.CBORTag(0x0501, {1: [17], 9999: "x"}))).encode(), "dcc-unknown-term"),
    (b"VP1-R" + base45.encode(cbor2.dumps(cbor2.CBORTag(0x0501, {0: "https://unknown.example/ctx"}))).encode(),
     "dcc-unknown-context"),
    (b"VP1-R" + base45.encode(cbor2.dumps(cbor2.CBORTag(0x0501, {0: 15}))).encode(), "dcc-bad-cborld"),
    (b"VP1-R" + base45.encode(b"\xd9\x05\x01" + b"\x81" * 3000 + b"\x00").encode(), "dcc-bad-cborld"),  # deep nesting
])
def test_bad_dcc_payloads_are_unreadable(tmp_path, text, code):
    path = tmp_path / "bad.txt"
    path.write_bytes(text + b"\n")
    start = time.monotonic()
    (env,) = read_inputs([str(path)])
    assert env.error is not None and env.error.code == code, env.error and env.error.message
    assert time.monotonic() - start < 10
    result = _runner(path)
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_uncompressed_and_registry_zero_pass_through():
    doc = {"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiablePresentation"]}
    for tagged in (cbor2.CBORTag(0x0500, doc), cbor2.CBORTag(0xCB1D, [0, doc])):
        assert cborld.decode(cbor2.dumps(tagged), offline_loader()) == doc
