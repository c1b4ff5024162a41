"""export: originals byte for byte, every original into a folder, and re-baked badge images
that the readers (and verify) take back; a PNG with two baked credentials is refused."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lerwallet.cli.app import app
from lerwallet.formats import bake, decode_bytes, png

VECTORS = Path(__file__).parent / "vectors"
EXAMPLES = Path(__file__).parent.parent / "examples" / "credentials"
JWT = VECTORS / "jose" / "ob30-simple.jwt"
VC1 = VECTORS / "store" / "vc1-dcc-noexpiry.json"
EMPLOY = VECTORS / "proofs" / "w3c-ecdsa" / "ecdsa-rdfc-2019-p256-employ-signed.json"  # not a badge
ENV = {"LERWALLET_PASSPHRASE": "export test passphrase"}


def run(*args, input=None):
    result = CliRunner().invoke(app, list(args), env=ENV, input=input, catch_exceptions=False)
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    return result


@pytest.fixture
def ids(isolated_home) -> dict[str, str]:
    assert run("init").exit_code == 0
    out = {}
    for name, path in (("first-aid", EXAMPLES / "ob3-first-aid.json"), ("volunteer", EXAMPLES / "ob3-volunteer-vc11.json"),
                       ("jwt", JWT), ("vc1", VC1), ("employ", EMPLOY)):
        result = run("import", "--allow-invalid", str(path), "--json")
        out[name] = json.loads(result.stdout)[0]["id"]
    return out


@pytest.mark.parametrize("name,source", [("first-aid", EXAMPLES / "ob3-first-aid.json"), ("jwt", JWT)])
def test_export_writes_the_original_byte_for_byte(ids, tmp_path, name, source):
    target = tmp_path / "out"
    assert run("export", ids[name][:8], "--out", str(target)).exit_code == 0
    assert target.read_bytes() == source.read_bytes()
    piped = CliRunner().invoke(app, ["export", ids[name], "--out", "-"], env=ENV)
    assert piped.stdout_bytes == source.read_bytes()
    again = run("export", ids[name], "--out", str(target))
    assert again.exit_code == 2 and "--force" in again.stderr


def test_export_all_writes_every_original_or_nothing(ids, tmp_path):
    folder = tmp_path / "all"
    result = run("export", "--all", "--out", str(folder), "--json")
    assert result.exit_code == 0, result.stderr
    written = json.loads(result.stdout)
    assert sorted(d["id"] for d in written) == sorted(ids.values())
    names = sorted(p.name for p in folder.iterdir())
    assert any(n.endswith(".jwt") for n in names) and len(names) == 5
    assert {(folder / Path(d["path"]).name).read_bytes() for d in written} == {
        p.read_bytes() for p in (EXAMPLES / "ob3-first-aid.json", EXAMPLES / "ob3-volunteer-vc11.json", JWT, VC1, EMPLOY)}
    # one name taken: nothing else is written
    fresh = tmp_path / "again"
    fresh.mkdir()
    taken = fresh / Path(written[0]["path"]).name
    taken.write_bytes(b"mine")
    refused = run("export", "--all", "--out", str(fresh))
    assert refused.exit_code == 2
    assert [p.name for p in fresh.iterdir()] == [taken.name] and taken.read_bytes() == b"mine"


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_baked_images_verify_and_import_as_the_same_credential(ids, tmp_path, suffix):
    image = tmp_path / f"badge.{suffix}"
    result = run("export", ids["first-aid"], "--baked", str(image))
    assert result.exit_code == 0, result.stderr
    if suffix == "png":
        from PIL import Image

        assert Image.open(io.BytesIO(image.read_bytes())).size == (256, 256)  # a real image
    checked = run("verify", str(image), "--json")
    assert checked.exit_code == 0, checked.stdout
    assert json.loads(checked.stdout)["inputs"][0]["container"] == suffix
    again = run("import", str(image), "--json")
    assert json.loads(again.stdout)[0]["duplicate"] is True  # the same credential, not a new one


def test_a_jwt_credential_bakes_as_its_compact_form(ids, tmp_path):
    for suffix in ("png", "svg"):
        image = tmp_path / f"jwt.{suffix}"
        assert run("export", ids["jwt"], "--baked", str(image)).exit_code == 0
        [env] = decode_bytes(image.read_bytes(), str(image))
        assert env.error is None and env.token == JWT.read_bytes().decode().strip()


def test_only_open_badges_are_baked(ids, tmp_path):
    result = run("export", ids["employ"], "--baked", str(tmp_path / "x.png"))
    assert result.exit_code == 2 and "not an Open Badges 3.0 credential" in result.stderr
    assert run("export", ids["first-aid"], "--baked", str(tmp_path / "x.gif")).exit_code == 2
    assert run("export", "--out", str(tmp_path / "y")).exit_code == 2  # neither ID nor --all


def test_baking_replaces_an_existing_credential_chunk():
    first = bake.bake_png(b'{"a": 1}')
    second = bake.bake_png(b'{"b": 2}', first)
    assert png.extract(second) == (b"openbadgecredential", b'{"b": 2}')


def test_a_png_with_two_baked_credentials_is_refused(tmp_path):
    one = bake.bake_png((EXAMPLES / "ob3-first-aid.json").read_bytes())
    extra = bake._chunk(b"iTXt", b"openbadgecredential\x00\x00\x00\x00\x00" + (EXAMPLES / "ob3-volunteer-vc11.json").read_bytes())
    two = one[:33] + extra + one[33:]  # after the signature and IHDR
    path = tmp_path / "two.png"
    path.write_bytes(two)
    [env] = decode_bytes(two, str(path))
    assert env.error is not None and env.error.code == "two-baked"
    result = run("verify", str(path))
    assert result.exit_code == 2 and "more than one baked credential" in result.stdout + result.stderr


def test_export_all_names_an_ob2_signed_assertion_jws_and_a_hosted_one_json(isolated_home, tmp_path):
    """Both Open Badges 2.0 forms come back byte for byte, each under the suffix of what it is,
    and the folder imports again as the same credentials (duplicates)."""
    from tests.ob2_helpers import Issuer

    assert run("init").exit_code == 0
    issuer = Issuer()
    hosted = issuer.assertion(3)
    cache = issuer.cache(tmp_path / "cache", hosted)
    (tmp_path / "signed.txt").write_text(issuer.sign(issuer.assertion(2, signed=True)))
    (tmp_path / "hosted.txt").write_text(json.dumps(hosted))
    assert run("import", str(tmp_path / "signed.txt"), str(tmp_path / "hosted.txt"), "--ob2-cache", str(cache)).exit_code == 0
    folder = tmp_path / "all"
    assert run("export", "--all", "--out", str(folder)).exit_code == 0
    by_suffix = {p.suffix: p.read_bytes() for p in folder.iterdir()}
    assert by_suffix == {".jws": (tmp_path / "signed.txt").read_bytes(), ".json": (tmp_path / "hosted.txt").read_bytes()}
    again = run("import", str(folder), "--ob2-cache", str(cache), "--json")
    assert [row["duplicate"] for row in json.loads(again.stdout)] == [True, True]


# --- the image a badge arrived in (issue #11: "the stored image when it came baked") ----------------


def _records_of(kind: str) -> dict:
    import os

    from lerwallet.store import Wallet

    with Wallet.open(Path(os.environ["LERWALLET_HOME"]), ENV["LERWALLET_PASSPHRASE"].encode()) as w:
        return {e.id: e.data for e in w.entries(kind)}


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_a_badge_that_came_baked_exports_as_the_image_it_came_in(isolated_home, tmp_path, suffix):
    from tests.test_import import bake_png, bake_svg

    assert run("init").exit_code == 0
    source = tmp_path / f"issued.{suffix}"
    source.write_bytes((bake_png if suffix == "png" else bake_svg)((EXAMPLES / "ob3-first-aid.json").read_bytes()))
    [row] = json.loads(run("import", str(source), "--json").stdout)
    out = tmp_path / f"again.{suffix}"
    assert run("export", row["id"], "--baked", str(out)).exit_code == 0
    assert out.read_bytes() == source.read_bytes()  # the issuer's image, byte for byte
    other = "svg" if suffix == "png" else "png"  # the other kind: a generated one, which verifies as the same credential
    drawn = tmp_path / f"drawn.{other}"
    assert run("export", row["id"], "--baked", str(drawn)).exit_code == 0
    assert drawn.read_bytes() != source.read_bytes()
    assert json.loads(run("import", str(drawn), "--json").stdout)[0]["duplicate"] is True
    assert list(_records_of("credential-image")) == [row["id"]]
    assert run("delete", row["id"], "--yes").exit_code == 0
    assert _records_of("credential-image") == {}  # deleted with its credential


def test_an_ob2_badge_that_came_baked_exports_as_its_image(isolated_home, tmp_path):
    from tests.ob2_helpers import Issuer, png as ob2_png

    assert run("init").exit_code == 0
    issuer = Issuer()
    cache = issuer.cache(tmp_path / "cache")
    source = tmp_path / "old.png"
    source.write_bytes(ob2_png(issuer.sign(issuer.assertion(1, signed=True)).encode()))
    [row] = json.loads(run("import", str(source), "--ob2-cache", str(cache), "--json").stdout)
    assert row["status"] == "verified"
    out = tmp_path / "again.png"
    assert run("export", row["id"], "--baked", str(out)).exit_code == 0
    assert out.read_bytes() == source.read_bytes()
    refused = run("export", row["id"], "--baked", str(tmp_path / "x.svg"))  # no SVG to give; OB 2.0 is not re-baked
    assert refused.exit_code == 2 and "not an Open Badges 3.0 credential" in refused.stderr


def test_a_credential_stored_from_json_keeps_the_image_it_arrives_in_later(isolated_home, tmp_path):
    from tests.test_import import bake_png

    assert run("init").exit_code == 0
    [row] = json.loads(run("import", str(EXAMPLES / "ob3-first-aid.json"), "--json").stdout)
    source = tmp_path / "issued.png"
    source.write_bytes(bake_png((EXAMPLES / "ob3-first-aid.json").read_bytes()))
    [again] = json.loads(run("import", str(source), "--json").stdout)
    assert again["duplicate"] and again["id"] == row["id"]
    out = tmp_path / "out.png"
    assert run("export", row["id"], "--baked", str(out)).exit_code == 0
    assert out.read_bytes() == source.read_bytes()


def test_images_over_the_budget_of_one_import_are_not_kept_and_a_second_import_keeps_them(isolated_home, tmp_path, monkeypatch):
    """All inputs are read before the passphrase is asked, so the images wait in memory: one
    import keeps at most IMAGE_BUDGET bytes of them; the rest are stored without, and said so."""
    from lerwallet.store import importer
    from tests.test_import import bake_png

    assert run("init").exit_code == 0
    folder = tmp_path / "badges"
    folder.mkdir()
    for name in ("ob3-first-aid.json", "ob3-volunteer-vc11.json"):
        (folder / (name + ".png")).write_bytes(bake_png((EXAMPLES / name).read_bytes()))
    sizes = sorted(p.stat().st_size for p in folder.iterdir())
    monkeypatch.setattr(importer, "IMAGE_BUDGET", sizes[-1] + 10)  # room for one of the two
    r = run("import", str(folder), "--json")
    assert r.exit_code == 0, r.stderr
    assert "1 badge image(s) were not kept" in r.stderr and "lerwallet: hint: import those files again" in r.stderr
    assert len(_records_of("credential-image")) == 1
    monkeypatch.setattr(importer, "IMAGE_BUDGET", 64 * 1024 * 1024)
    again = run("import", str(folder), "--json")
    assert [row["duplicate"] for row in json.loads(again.stdout)] == [True, True]
    assert len(_records_of("credential-image")) == 2 and "not kept" not in again.stderr
