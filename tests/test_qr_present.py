"""`lerwallet present --qr`: QR images of a real signed presentation, read back by zxing-cpp and
verified; too large a presentation is refused with the wallet unchanged."""

from __future__ import annotations

import base64
import json
import random

import pytest
import zxingcpp
from PIL import Image
from typer.testing import CliRunner

from lerwallet.cli.app import app
from lerwallet.qr import payload

from present_helpers import Issuer, badge

PW = "present pass"
CH, DOM = "7f3a9c21", "jobs.example.com"


def run(*args, input=None):
    result = CliRunner().invoke(app, list(map(str, args)), env={"LERWALLET_PASSPHRASE": PW}, input=input, catch_exceptions=False)
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    return result


@pytest.fixture
def wallet(isolated_home, tmp_path):
    """A wallet with three badges of its default identity, the third embedding a large image."""
    assert run("init").exit_code == 0
    did = json.loads(run("did", "list", "--json").stdout)[0]["did"]
    iss = Issuer()
    image = "data:image/png;base64," + base64.b64encode(random.Random(3).randbytes(30_000)).decode()
    files = []
    for i, (name, skill, img) in enumerate([("Python basics", "Python", None), ("SQL queries", "SQL", None),
                                            ("Portfolio", "Design", image)], 1):
        f = tmp_path / f"b{i}.json"
        f.write_text(json.dumps(badge(iss, did, name=name, skill=skill, number=i, image=img)))
        files.append(str(f))
    assert run("import", *files).exit_code == 0
    ids = [r["id"] for r in json.loads(run("list", "--json").stdout)]
    return {"did": did, "ids": ids, "tmp": tmp_path}


def _small_ids(wallet):
    ids = []
    for i in wallet["ids"]:
        shown = run("show", i, "--json").stdout
        if "data:image" not in shown:
            ids.append(i)
    return ids


def _history():
    return json.loads(run("shared", "--json").stdout)


def test_present_qr_png_decodes_and_verifies(wallet):
    ids = _small_ids(wallet)
    assert len(ids) == 2
    target = wallet["tmp"] / "vp.png"
    result = run("present", *ids, "--challenge", CH, "--domain", DOM, "--qr", target, "--yes")
    assert result.exit_code == 0, result.stderr
    assert "QR: 1 code, version" in result.stderr and "error correction M" in result.stderr
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    (content,) = {bytes(code.bytes) for code in zxingcpp.read_barcodes(Image.open(target), formats=zxingcpp.BarcodeFormat.QRCode)}
    vp = payload.assemble([payload.parse(content)])
    assert json.loads(vp)["holder"] == wallet["did"]
    check = run("verify", target, "--challenge", CH, "--domain", DOM, "--json")
    assert check.exit_code == 0 and json.loads(check.stdout)["verdict"] == "valid"
    (entry,) = _history()
    (out,) = entry["outputs"]
    assert out["form"] == "qr" and out["parts"] == 1 and out["ecc"] == "M" and out["files"] == [str(target)]


def test_present_qr_series_svg_with_file_and_ecc(wallet):
    ids = _small_ids(wallet)
    target = wallet["tmp"] / "vp.svg"
    result = run("present", *ids, "--challenge", CH, "--domain", DOM, "--qr", target, "--qr-ecc", "H",
                 "--out", wallet["tmp"] / "vp.json", "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    qr = next(o for o in summary["outputs"] if o["form"] == "qr")
    assert qr["ecc"] == "H"
    files = qr["files"]
    if qr["parts"] > 1:
        assert files == [str(wallet["tmp"] / f"vp-{i}-of-{qr['parts']}.svg") for i in range(1, qr["parts"] + 1)]
    check = run("verify", *reversed(files), "--challenge", CH, "--domain", DOM)
    assert check.exit_code == 0, check.stdout
    # the QR codes carry the same bytes as the file
    from lerwallet.formats import read_inputs

    (env,) = read_inputs(files)
    assert env.raw == (wallet["tmp"] / "vp.json").read_bytes()


def test_present_qr_on_the_terminal(wallet):
    ids = _small_ids(wallet)
    result = run("present", ids[0], "--challenge", CH, "--domain", DOM, "--qr", "-", "--yes")
    assert result.exit_code == 0, result.stderr
    assert "\u2588" in result.stdout and "\u2584" in result.stdout
    assert "QR: 1 code" in result.stderr


def test_too_large_is_refused_and_nothing_is_written_or_recorded(wallet):
    before = _history()
    target = wallet["tmp"] / "big.png"
    out = wallet["tmp"] / "big.json"
    result = run("present", *wallet["ids"], "--challenge", CH, "--qr", target, "--qr-max-parts", "2", "--out", out, "--yes")
    assert result.exit_code == 2
    error, hint = result.stderr.splitlines()[-2:]  # after the confirmation text
    assert error.startswith("lerwallet: error: ") and "more than the 2 allowed" in error and "data: URL" in error
    assert hint.startswith("lerwallet: hint: ") and "--out FILE" in hint
    assert not out.exists() and not list(wallet["tmp"].glob("big*.png"))
    assert _history() == before


@pytest.mark.parametrize("args,message", [
    (["--qr", "vp.gif"], "ending in .png or .svg"),
    (["--qr", "vp.png", "--qr-ecc", "X"], "not an error-correction level"),
    (["--qr", "vp.png", "--qr-max-parts", "0"], "--qr-max-parts must be from 1 to 64"),
    (["--qr", "-", "--out", "-"], "both write to standard output"),
    (["--qr", "-", "--json"], "both write to standard output"),
    (["--qr", "no/such/folder/vp.png"], "does not exist"),
])
def test_bad_qr_options(wallet, args, message):
    result = run("present", wallet["ids"][0], *args, "--yes")
    assert result.exit_code == 2 and message in result.stderr and "lerwallet: hint:" in result.stderr
    assert _history() == []


def test_existing_qr_file_needs_force(wallet):
    ids = _small_ids(wallet)
    target = wallet["tmp"] / "vp.png"
    target.write_bytes(b"keep me")
    result = run("present", ids[0], "--challenge", CH, "--qr", target, "--yes")
    assert result.exit_code == 2 and "--force" in result.stderr and target.read_bytes() == b"keep me"
    assert run("present", ids[0], "--challenge", CH, "--qr", target, "--yes", "--force").exit_code == 0
    assert target.read_bytes().startswith(b"\x89PNG")


def test_present_jwt_as_qr(wallet):
    ids = _small_ids(wallet)
    target = wallet["tmp"] / "jwt.png"
    assert run("present", ids[0], "--format", "jwt", "--challenge", CH, "--domain", DOM, "--qr", target, "--yes").exit_code == 0
    (content,) = {bytes(code.bytes) for code in zxingcpp.read_barcodes(Image.open(target), formats=zxingcpp.BarcodeFormat.QRCode)}
    assert payload.assemble([payload.parse(content)]).startswith(b"ey")
    check = run("verify", target, "--challenge", CH, "--domain", DOM, "--json")
    assert check.exit_code == 0 and json.loads(check.stdout)["inputs"][0]["kind"] == "presentation"
