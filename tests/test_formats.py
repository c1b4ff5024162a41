"""Input detection from content: JSON, JWT, baked PNG/SVG, folders, stdin, caps."""

from __future__ import annotations

import io
import json

import pytest
from typer.testing import CliRunner

from lerwallet.cli.app import app
from lerwallet.formats import decode_bytes, limits, read_inputs
from tests.verify_helpers import VECTORS

OB = VECTORS / "1edtech"


@pytest.mark.parametrize("name,container,securing", [
    ("simple.json", "json", "ldp"), ("simple.jwt", "jwt", "jwt"), ("simple-json.png", "png", "ldp"),
    ("simple-json.svg", "svg", "ldp"), ("simple-jwt.svg", "svg", "jwt"),
])
def test_detects_1edtech_inputs(name, container, securing):
    [env] = read_inputs([str(OB / name)])
    assert env.error is None and (env.container, env.securing, env.kind) == (container, securing, "credential")
    assert "OpenBadgeCredential" in env.unverified["type"]


def test_folder_skips_non_credentials_and_keeps_order(tmp_path):
    (tmp_path / "b.json").write_bytes((OB / "simple.json").read_bytes())
    (tmp_path / "a.jwt").write_bytes((OB / "simple.jwt").read_bytes())
    (tmp_path / "README.txt").write_text("hello")
    found = read_inputs([str(tmp_path)])
    assert [e.source.rsplit("/", 1)[-1] for e in found] == ["a.jwt", "b.json"]


def test_a_json_credential_mentioning_svg_is_read_as_json(tmp_path):
    """An image given as a `data:image/svg+xml,<svg...` URL in a badge's JSON: it is JSON, not an
    SVG (it was sniffed as SVG, then refused as XML that is not well formed)."""
    from tests.verify_helpers import Party, badge
    from lerwallet.verify import verify_bytes

    issuer = Party()
    doc = badge(issuer)
    doc["credentialSubject"]["achievement"]["image"] = {"id": "data:image/svg+xml,<svg/>", "type": "Image"}
    data = json.dumps(issuer.sign(doc)).encode()
    [env] = decode_bytes(data, "x")
    assert env.error is None and env.container == "json"
    [report] = verify_bytes(data)
    assert report.credentials[0].check("proof").outcome == "pass"
    bom_svg = b"\xef\xbb\xbf" + (OB / "simple-json.svg").read_bytes()
    [env] = decode_bytes(bom_svg, "y")
    assert env.error is None and env.container == "svg"


def test_stdin():
    [env] = read_inputs(["-"], stdin=io.BytesIO((OB / "simple.json").read_bytes()))
    assert env.source == "-" and env.error is None


@pytest.mark.parametrize("data,code", [
    (b"[" * 200 + b"]" * 200, "too-deep"),
    (b"{not json", "not-json"),
    (b"hello world", "unknown-format"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x00IEND\xaeB`\x82", "not-baked"),
    (b'{"a": 1}', "not-a-credential"),
])
def test_unreadable_inputs_have_codes(data, code):
    [env] = decode_bytes(data, "x")
    assert env.error is not None and env.error.code == code


def test_size_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_INPUT_BYTES", 100)
    [env] = decode_bytes(b"{" + b" " * 200 + b"}", "x")
    assert env.error.code == "too-large"


def test_json_array_bundle_and_enveloped_jwt():
    token = (OB / "simple.jwt").read_text().strip()
    enveloped = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "EnvelopedVerifiableCredential",
                 "id": "data:application/vc+jwt," + token}
    found = decode_bytes(json.dumps([json.loads((OB / "simple.json").read_text()), enveloped, token]).encode(), "b")
    assert [e.securing for e in found] == ["ldp", "jwt", "jwt"]


def test_cli_unreadable_exit_2_and_missing_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    result = CliRunner().invoke(app, ["verify", str(bad)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    result = CliRunner().invoke(app, ["verify", str(tmp_path / "missing.json"), "--json"])
    assert result.exit_code == 2 and json.loads(result.stdout)["verdict"] == "unreadable"


def test_cli_bad_usage(tmp_path):
    result = CliRunner().invoke(app, ["verify", str(OB / "simple.json"), "--at", "yesterday"])
    assert result.exit_code == 2 and "lerwallet: error:" in result.stderr
    bad_trust = tmp_path / "t.json"
    bad_trust.write_text("[1, 2")
    result = CliRunner().invoke(app, ["verify", str(OB / "simple.json"), "--trust", str(bad_trust)])
    assert result.exit_code == 2 and "trust file" in result.stderr


def test_batch_parallel_same_as_serial(tmp_path):
    from lerwallet.verify import Options, verify_inputs

    for i in range(6):
        (tmp_path / f"{i}.json").write_bytes((VECTORS / "dcc" / "credentials" / "v2NoStatus.json").read_bytes())
    (tmp_path / "7.json").write_bytes((VECTORS / "dcc" / "credentials" / "v2-tampered.json").read_bytes())
    serial = [r.verdict for r in verify_inputs([str(tmp_path)], Options(), jobs=1)]
    parallel = [r.verdict for r in verify_inputs([str(tmp_path)], Options(), jobs=2)]
    assert serial == parallel and serial[-1] == "invalid"
