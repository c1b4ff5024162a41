"""`export` of an ecdsa-sd-2023 or bbs-2023 base credential (the issuer's copy for the holder):
by default it leaves as a copy derived from it that shows every field, which `verify` accepts,
without the base proof and its HMAC key (the key that makes the holder's disclosures linkable);
the base itself only with `--holder-copy`. The same for `--out`, `--all`, `--baked` PNG/SVG
(a badge that arrived baked keeps its artwork, with the derived copy in it), and stdout.

The base credentials are the checked-in interop fixtures (tests/interop/ecdsa-sd: the JS and
lerwallet base credentials; tests/interop/bbs/README.md: the JS stack's bbs-2023 base)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lerwallet.cli.app import app
from lerwallet.formats import bake, png, svg
from lerwallet.proofs import bbs2023_derive, ecdsa_sd_derive

INTEROP = Path(__file__).parent / "interop"
PW = "export holder copy pass"
BASES = {
    "ecdsa-sd-2023": (INTEROP / "ecdsa-sd" / "js-base.json", ecdsa_sd_derive),
    "ecdsa-sd-2023 (lerwallet)": (INTEROP / "ecdsa-sd" / "lerwallet-base.json", ecdsa_sd_derive),
    "bbs-2023": (INTEROP / "bbs" / "js-base.json", bbs2023_derive),
}


def run(*args):
    result = CliRunner().invoke(app, list(args), env={"LERWALLET_PASSPHRASE": PW}, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


@pytest.fixture(params=sorted(BASES))
def stored(request, isolated_home, tmp_path):
    path, suite = BASES[request.param]
    assert run("init").exit_code == 0
    assert run("import", str(path)).exit_code == 0
    [row] = json.loads(run("list", "--json").stdout)
    assert row["status"] == "verified"
    raw = path.read_bytes()
    return {"id": row["id"], "tmp": tmp_path, "raw": raw, "base": json.loads(raw), "suite": suite}


def _header(credential: dict) -> bytes:
    return base64.urlsafe_b64decode(credential["proof"]["proofValue"][1:] + "==")[:3]


def _verified(path: Path) -> dict:
    r = run("verify", str(path), "--json")
    report = json.loads(r.stdout)
    assert (r.exit_code, report["verdict"]) == (0, "valid"), r.stdout
    [credential] = report["inputs"][0]["credentials"]
    assert [c["outcome"] for c in credential["checks"] if c["id"] == "proof"] == ["pass"]
    return report


def _assert_shareable(shared: dict, stored: dict) -> None:
    """A derived proof over every field of the base, without the base proof or its HMAC key."""
    base, suite = stored["base"], stored["suite"]
    assert not suite.is_base_credential(shared)
    assert _header(shared) == (b"\xd9\x5d\x01" if suite is ecdsa_sd_derive else b"\xd9\x5d\x03")
    assert {k: v for k, v in shared.items() if k != "proof"} == {k: v for k, v in base.items() if k != "proof"}
    hmac_key = suite.parse_base(base["proof"]["proofValue"]).hmac_key
    derived_bytes = base64.urlsafe_b64decode(shared["proof"]["proofValue"][1:] + "==")
    assert len(hmac_key) == 32 and hmac_key not in derived_bytes
    assert base["proof"]["proofValue"] not in json.dumps(shared)


def test_export_out_writes_a_derived_copy_that_verifies(stored):
    out = stored["tmp"] / "shared.json"
    r = run("export", stored["id"][:8], "--out", str(out))
    assert r.exit_code == 0, r.output
    assert "a copy derived from the base credential, showing every field" in " ".join(r.stderr.split())
    shared = json.loads(out.read_text("utf-8"))
    _assert_shareable(shared, stored)
    _verified(out)
    again = stored["tmp"] / "again.json"
    r = run("export", stored["id"][:8], "--out", str(again), "--json")
    assert json.loads(r.stdout) == [{"id": stored["id"], "path": str(again), "size": again.stat().st_size,
                                     "content": "derived"}]


def test_holder_copy_writes_the_base_as_stored(stored):
    out = stored["tmp"] / "mine.json"
    r = run("export", stored["id"][:8], "--out", str(out), "--holder-copy", "--json")
    assert r.exit_code == 0, r.output
    assert out.read_bytes() == stored["raw"]
    assert json.loads(r.stdout)[0]["content"] == "holder-copy"
    assert stored["suite"].is_base_credential(json.loads(out.read_bytes()))
    plain = run("export", stored["id"][:8], "--out", str(out), "--holder-copy", "--force")
    assert "do not share it" in " ".join(plain.stderr.split())


def test_stdout_gets_the_derived_copy(stored):
    r = run("export", stored["id"][:8], "--out", "-")
    assert r.exit_code == 0, r.output
    _assert_shareable(json.loads(r.stdout), stored)


def test_export_all_writes_derived_copies_unless_holder_copy(stored):
    r = run("export", "--all", "--out", str(stored["tmp"] / "all"), "--json")
    assert r.exit_code == 0, r.output
    [entry] = json.loads(r.stdout)
    assert entry["content"] == "derived"
    _assert_shareable(json.loads(Path(entry["path"]).read_text("utf-8")), stored)
    _verified(Path(entry["path"]))
    r = run("export", "--all", "--out", str(stored["tmp"] / "mine"), "--holder-copy", "--json")
    [entry] = json.loads(r.stdout)
    assert (entry["content"], Path(entry["path"]).read_bytes()) == ("holder-copy", stored["raw"])


def _baked_credential(image: bytes, kind: str) -> dict:
    if kind == "png":
        return json.loads(png.extract(image)[1])
    return json.loads(svg._element(image)[2])


@pytest.mark.parametrize("kind", ["png", "svg"])
def test_baked_badge_carries_the_derived_copy(stored, kind):
    image = stored["tmp"] / f"badge.{kind}"
    r = run("export", stored["id"][:8], "--baked", str(image), "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)[0]["content"] == "derived"
    data = image.read_bytes()
    assert stored["base"]["proof"]["proofValue"].encode() not in data
    _assert_shareable(_baked_credential(data, kind), stored)
    _verified(image)
    mine = stored["tmp"] / f"mine.{kind}"
    r = run("export", stored["id"][:8], "--baked", str(mine), "--holder-copy", "--json")
    assert json.loads(r.stdout)[0]["content"] == "holder-copy"
    assert _baked_credential(mine.read_bytes(), kind) == stored["base"]


def test_a_base_that_arrived_baked_keeps_its_artwork_with_the_derived_copy(isolated_home, tmp_path):
    path, suite = BASES["ecdsa-sd-2023"]
    artwork = bake.plain_png("Issuer's own artwork")
    arrived = bake.bake_png(path.read_bytes().strip(), artwork)
    (tmp_path / "arrived.png").write_bytes(arrived)
    assert run("init").exit_code == 0
    assert run("import", str(tmp_path / "arrived.png")).exit_code == 0
    [row] = json.loads(run("list", "--json").stdout)
    out = tmp_path / "out.png"
    r = run("export", row["id"][:8], "--baked", str(out))
    assert r.exit_code == 0, r.output
    data = out.read_bytes()
    assert data != arrived and data == bake.bake_png(png.extract(data)[1], artwork)  # the same artwork
    _assert_shareable(json.loads(png.extract(data)[1]), {"base": json.loads(path.read_bytes()), "suite": suite})
    _verified(out)
    r = run("export", row["id"][:8], "--baked", str(tmp_path / "mine.png"), "--holder-copy")
    assert (tmp_path / "mine.png").read_bytes() == arrived  # the image it arrived in, byte for byte


def test_other_credentials_export_unchanged(isolated_home, tmp_path):
    """A credential without a base proof (a derived one, here) leaves byte for byte, `original`."""
    path = INTEROP / "bbs" / "js-derived-no-header.json"
    assert run("init").exit_code == 0
    assert run("import", str(path)).exit_code == 0, run("list").output
    [row] = json.loads(run("list", "--json").stdout)
    r = run("export", row["id"][:8], "--out", str(tmp_path / "x.json"), "--json")
    assert json.loads(r.stdout)[0]["content"] == "original"
    assert (tmp_path / "x.json").read_bytes() == path.read_bytes()
    assert r.stderr == ""


def test_show_raw_prints_the_base_as_stored_and_warns(stored):
    """`show --raw` is the bytes exactly as imported (a look, or a pipe): the base stays the base,
    and a warning on stderr says it is the holder's copy and how to share it."""
    r = run("show", stored["id"][:8], "--raw")
    assert r.exit_code == 0, r.output
    assert r.stdout_bytes == stored["raw"]
    assert r.stderr == (f"lerwallet: warning: this is a selective-disclosure base credential, your holder's copy: it "
                        f"carries the key that links every copy derived from it, and verifiers refuse it; to share "
                        f"it: lerwallet export {stored['id'][:10]} --out FILE (a derived copy showing every field)\n")


def test_a_base_that_cannot_be_derived_is_one_error_and_nothing_written(isolated_home, tmp_path):
    """A stored base credential whose base proof cannot be read (stored here through the library,
    past `import`, which would refuse it): `export` says so in one line with the way out
    (`--holder-copy`), exit 2, and writes nothing, for one credential and for `--all`."""
    from lerwallet.store import Wallet, credentials

    base = json.loads((INTEROP / "ecdsa-sd" / "js-base.json").read_bytes())
    raw = base64.urlsafe_b64decode(base["proof"]["proofValue"][1:] + "==")
    base["proof"]["proofValue"] = "u" + base64.urlsafe_b64encode(raw[:40]).decode().rstrip("=")  # header kept, CBOR cut
    assert ecdsa_sd_derive.is_base_credential(base)
    assert run("init").exit_code == 0
    assert run("import", str(INTEROP / "ecdsa-sd" / "lerwallet-base.json")).exit_code == 0
    with Wallet.open(isolated_home, PW.encode()) as w:
        broken = credentials.import_credential(w, json.dumps(base).encode(), status=credentials.STATUS_INVALID).id
    r = run("export", broken[:8], "--out", str(tmp_path / "x.json"))
    assert r.exit_code == 2 and r.stderr.splitlines() == [
        f"lerwallet: error: cannot derive a shareable copy of credential {broken[:10]}: "
        "base proof is not valid CBOR: truncated CBOR string",
        "lerwallet: hint: export the holder's copy as stored instead: --holder-copy"]
    assert not (tmp_path / "x.json").exists()
    r = run("export", "--all", "--out", str(tmp_path / "all"))
    assert r.exit_code == 2 and "cannot derive a shareable copy" in r.stderr
    assert not (tmp_path / "all").exists()  # the other credential is not written either, nor the folder made
    r = run("export", broken[:8], "--out", str(tmp_path / "x.json"), "--holder-copy")
    assert r.exit_code == 0 and json.loads((tmp_path / "x.json").read_bytes()) == base
