"""`lerwallet import` verifies before it stores: every format, every status, refusals that leave
the wallet unchanged, --allow-invalid, presentations, baked badges, recheck, no network.

Every credential here is signed in the test with a fresh key (real Ed25519 / P-256 signatures,
real RDFC-1.0 canonicalization); nothing is hard-coded to pass.
"""

from __future__ import annotations

import copy
import io
import json
import sqlite3
import struct
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lerwallet import crypto
from lerwallet.cli.app import app
from lerwallet.keys import did_key_from_public
from lerwallet.proofs.jose import sign_jwt
from lerwallet.proofs.sdjwt import create_sd_jwt
from lerwallet.store.vault import DB_NAME
from lerwallet.verify.bitstring import encode
from tests.verify_helpers import V2, Party, badge, presentation, write

PW = "import tests"
ENV = {"LERWALLET_PASSPHRASE": PW}
VC1 = Path(__file__).parent / "vectors" / "store" / "vc1-dcc-noexpiry.json"
STATUS_URL = "https://status.example.edu/lists/1"


def run(*args, env=ENV, input=None):
    result = CliRunner().invoke(app, list(args), env=env, input=input, catch_exceptions=False)
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    return result


@pytest.fixture(scope="module")
def issuer():
    return Party()


@pytest.fixture(scope="module")
def signed(issuer):
    return issuer.sign(badge(issuer, name="Teamwork"))


@pytest.fixture
def wallet(isolated_home):
    assert run("init").exit_code == 0
    return isolated_home


def rows() -> list[dict]:
    return json.loads(run("list", "--json").stdout)


def snapshot(home: Path) -> tuple[list[dict], list[tuple]]:
    """What a refusal must not change: the listed records and every stored row's bytes."""
    conn = sqlite3.connect(home / DB_NAME)
    try:
        stored = conn.execute("SELECT kind, id, sealed FROM records ORDER BY kind, id").fetchall()
    finally:
        conn.close()
    return rows(), stored


def bake_png(payload: bytes) -> bytes:
    """A real PNG (drawn by Pillow) with the credential in an OB 3.0 `openbadgecredential` iTXt chunk."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buf, format="PNG")
    png = buf.getvalue()
    body = b"openbadgecredential\x00\x00\x00\x00\x00" + payload
    chunk = struct.pack(">I", len(body)) + b"iTXt" + body + struct.pack(">I", zlib.crc32(b"iTXt" + body))
    ihdr_end = 8 + 8 + 13 + 4  # signature, IHDR length+type, IHDR data, CRC
    return png[:ihdr_end] + chunk + png[ihdr_end:]


def bake_svg(payload: bytes) -> bytes:
    return (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">'
            b"<openbadges:credential><![CDATA[" + payload + b"]]></openbadges:credential>"
            b'<circle cx="5" cy="5" r="4"/></svg>')


def status_list(issuer: Party, tmp_path: Path, *, revoked: bool) -> Path:
    bits = bytearray(16 * 1024)
    if revoked:
        bits[0] |= 0x80 >> 5
    doc = issuer.sign({
        "@context": [V2], "id": STATUS_URL, "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.did, "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {"id": STATUS_URL + "#list", "type": "BitstringStatusList", "statusPurpose": "revocation",
                              "encodedList": encode(bytes(bits))},
    })
    cache = tmp_path / ("revoked" if revoked else "current")
    cache.mkdir(exist_ok=True)
    write(cache / "list.json", doc)
    return cache


def with_status(issuer: Party) -> dict:
    return issuer.sign(badge(issuer, name="Status Badge", credentialStatus={
        "id": STATUS_URL + "#5", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
        "statusListIndex": "5", "statusListCredential": STATUS_URL}))


# --- every format ---------------------------------------------------------------------------------


def test_json_ld_vc2_and_vc11_verified_and_kept_verbatim(wallet, tmp_path, signed):
    path = tmp_path / "badge.json"
    path.write_text(json.dumps(signed, indent=3) + "\n")  # odd formatting must survive byte for byte
    result = run("import", str(path), str(VC1))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("verified") == 2 and result.stderr == ""
    listed = {r["title"]: r for r in rows()}
    assert listed["Teamwork"]["status"] == "verified" and listed["DCC Test Credential"]["status"] == "verified"
    assert run("show", listed["Teamwork"]["id"], "--raw").stdout_bytes == path.read_bytes()
    assert run("show", listed["DCC Test Credential"]["id"], "--raw").stdout_bytes == VC1.read_bytes()


@pytest.mark.parametrize("style", ["jose-cose", "vc11"])
def test_vc_jwt(wallet, tmp_path, issuer, style):
    doc = badge(issuer, name=f"JWT badge {style}")
    if style == "vc11":
        doc["@context"] = ["https://www.w3.org/2018/credentials/v1", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
        doc["issuanceDate"] = doc.pop("validFrom")
    token = sign_jwt(doc, key_type="ed25519", private_key=issuer.private, kid=issuer.vm, style=style)
    path = write(tmp_path / "badge.jwt", token + "\n")
    result = run("import", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    [row] = json.loads(result.stdout)
    assert row["format"] == "vc-jwt" and row["container"] == "jwt", row
    assert row["status"] == "verified", row
    assert run("show", row["id"], "--raw").stdout_bytes == token.encode()  # the JWT, without the file's newline
    shown = json.loads(run("show", row["id"], "--json").stdout)
    assert shown["token"] == token and shown["credential"]["credentialSubject"]["achievement"]["name"] == f"JWT badge {style}"


def test_sd_jwt_keeps_every_disclosure(wallet, tmp_path):
    key = crypto.generate_private_key("p256")
    did = did_key_from_public("p256", crypto.public_key_of("p256", key))
    claims = {"iss": did, "vct": "https://credentials.example/degree", "iat": 1748736000,
              "given_name": "Ada", "degree": "BSc Mathematics"}
    token = create_sd_jwt(claims, ["/given_name", "/degree"], key_type="p256", private_key=key, kid=f"{did}#{did[8:]}")
    assert token.count("~") == 3
    result = run("import", "-", "--json", input=token.encode())
    assert result.exit_code == 0, result.stderr
    [row] = json.loads(result.stdout)
    assert row["format"] == "sd-jwt" and row["status"] == "verified", row
    assert run("show", row["id"], "--raw").stdout_bytes == token.encode()
    checks = {c["id"]: c for c in json.loads(run("show", row["id"], "--json").stdout)["checks"]}
    assert checks["proof"]["outcome"] == "pass"


@pytest.mark.parametrize("kind", ["png", "svg"])
def test_baked_badge(wallet, tmp_path, signed, kind):
    payload = json.dumps(signed).encode()
    image = bake_png(payload) if kind == "png" else bake_svg(payload)
    path = tmp_path / f"badge.{kind}"
    path.write_bytes(image)
    if kind == "png":  # the baked image is a real, decodable PNG
        from PIL import Image

        assert Image.open(path).size == (4, 4)
    result = run("import", str(path))
    assert result.exit_code == 0, result.stderr
    assert f"baked {kind.upper()} badge" in result.stdout and "verified" in result.stdout
    [row] = rows()
    assert run("show", row["id"], "--raw").stdout_bytes == payload  # the credential, not the image
    shown = json.loads(run("show", row["id"], "--json").stdout)
    assert shown["container"] == kind and shown["source"] == f"badge.{kind}#baked"
    assert {"png": "baked in a PNG badge", "svg": "baked in an SVG badge"}[kind] in run("show", row["id"]).stdout
    # The same credential as a plain file is the same bytes: reported as already there.
    again = run("import", str(write(tmp_path / "same.json", payload.decode())))
    assert "already in the wallet as" in again.stdout and len(rows()) == 1


def test_presentation_with_two_credentials(wallet, tmp_path, issuer):
    holder = Party()
    creds = [issuer.sign(badge(issuer, name=n, subject=holder.did)) for n in ("First", "Second")]
    path = write(tmp_path / "vp.json", presentation(holder, creds, challenge="c1", domain="wallet.example"))
    result = run("import", str(path))
    assert result.exit_code == 0, result.stderr
    assert "a presentation holding 2 credential(s)" in result.stderr
    assert result.stdout.count("from a presentation") == 2
    listed = sorted(rows(), key=lambda r: r["title"])
    assert [(r["title"], r["status"]) for r in listed] == [("First", "verified"), ("Second", "verified")]
    shown = json.loads(run("show", listed[0]["id"], "--json").stdout)
    assert shown["via"] == "presentation" and shown["credential"] == creds[0]
    assert shown["source"] == "vp.json#verifiableCredential[0]"


def test_json_array_of_credentials(wallet, tmp_path, issuer):
    creds = [issuer.sign(badge(issuer, name=n)) for n in ("A", "B")]
    result = run("import", str(write(tmp_path / "bundle.json", creds)), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [(d["via"], d["status"]) for d in data] == [("array", "verified"), ("array", "verified")]


# --- statuses -------------------------------------------------------------------------------------


def test_expired_but_authentic_is_kept_with_a_warning(wallet, tmp_path, issuer):
    doc = issuer.sign(badge(issuer, name="Old Course", validUntil="2025-01-01T00:00:00Z"))
    result = run("import", str(write(tmp_path / "old.json", doc)))
    assert result.exit_code == 0
    assert "lerwallet: warning:" in result.stderr and "imported, marked expired" in result.stderr
    assert "authentic but expired on 2025-01-01" in result.stderr
    [row] = rows()
    assert row["status"] == "expired"


def test_not_yet_valid_is_kept(wallet, tmp_path, issuer):
    doc = issuer.sign(badge(issuer, name="Future", validFrom="2099-01-01T00:00:00Z"))
    assert run("import", str(write(tmp_path / "f.json", doc))).exit_code == 0
    assert rows()[0]["status"] == "not-yet-valid"


def test_unsigned_is_kept_as_unsigned(wallet, tmp_path, issuer):
    result = run("import", str(write(tmp_path / "mine.json", badge(issuer, name="My notes"))))
    assert result.exit_code == 0
    assert "imported as unsigned" in result.stderr and "no proof" in result.stderr
    assert rows()[0]["status"] == "unsigned"


def test_inconclusive_offline_status_list_then_recheck(wallet, tmp_path, issuer):
    result = run("import", str(write(tmp_path / "s.json", with_status(issuer))))
    assert result.exit_code == 0
    assert "imported as inconclusive" in result.stderr and "offline" in result.stderr
    assert "lerwallet recheck" in result.stderr and "--online" in result.stderr
    [row] = rows()
    assert row["status"] == "inconclusive"
    # Once the status list is at hand, recheck settles it; a later revocation shows up too.
    ok = run("recheck", "--status-cache", str(status_list(issuer, tmp_path, revoked=False)), "--json")
    assert ok.exit_code == 0, ok.stderr
    assert json.loads(ok.stdout) == [{**json.loads(ok.stdout)[0], "before": "inconclusive", "status": "verified"}]
    assert rows()[0]["status"] == "verified"
    revoked = run("recheck", row["id"][:8], "--status-cache", str(status_list(issuer, tmp_path, revoked=True)))
    assert revoked.exit_code == 1
    assert "revoked" in revoked.stdout and rows()[0]["status"] == "invalid"
    checks = {c["id"]: c for c in json.loads(run("show", row["id"], "--json").stdout)["checks"]}
    assert checks["status.revocation"]["outcome"] == "fail"


def test_revoked_at_import_is_refused(wallet, tmp_path, issuer):
    cache = status_list(issuer, tmp_path, revoked=True)
    result = run("import", str(write(tmp_path / "s.json", with_status(issuer))), "--status-cache", str(cache))
    assert result.exit_code == 1 and "check status.revocation failed: revoked" in result.stderr
    assert rows() == []


# --- refusals -------------------------------------------------------------------------------------


def _tampered(signed: dict) -> dict:
    doc = copy.deepcopy(signed)
    doc["credentialSubject"]["achievement"]["name"] = "Brain surgery"
    return doc


def test_tampered_is_refused_and_the_wallet_is_unchanged(wallet, tmp_path, signed):
    assert run("import", str(VC1)).exit_code == 0
    before = snapshot(wallet)
    result = run("import", str(write(tmp_path / "t.json", _tampered(signed))))
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"lerwallet: error: {tmp_path / 't.json'}: not imported: check proof failed:"), first
    assert "--allow-invalid" in result.stderr and result.stdout == ""
    assert snapshot(wallet) == before


def test_refusal_asks_no_passphrase(isolated_home, tmp_path, signed):
    assert run("init").exit_code == 0
    result = run("import", str(write(tmp_path / "t.json", _tampered(signed))), env={})
    assert result.exit_code == 1 and "check proof failed" in result.stderr
    assert "passphrase" not in result.stderr


def test_no_wallet_still_reports_every_input(isolated_home, tmp_path, signed):
    good = write(tmp_path / "good.json", signed)
    bad = write(tmp_path / "bad.json", _tampered(signed))
    result = run("import", str(good), str(bad))
    assert result.exit_code == 2
    assert "bad.json: not imported: check proof failed" in result.stderr and "no wallet at" in result.stderr


def test_allow_invalid_stores_it_marked_invalid(wallet, tmp_path, signed):
    result = run("import", "--allow-invalid", str(write(tmp_path / "t.json", _tampered(signed))))
    assert result.exit_code == 0
    assert "imported as invalid (--allow-invalid): check proof failed" in result.stderr
    [row] = rows()
    assert row["status"] == "invalid"
    shown = run("show", row["id"])
    assert "invalid: check proof failed" in shown.stdout and "fail" in shown.stdout
    assert run("recheck").exit_code == 1  # still invalid


def test_presentation_with_one_tampered_credential_stores_nothing(wallet, tmp_path, issuer, signed):
    holder = Party()
    good = issuer.sign(badge(issuer, name="Good"))
    path = write(tmp_path / "vp.json", presentation(holder, [good, _tampered(signed)]))
    before = snapshot(wallet)
    result = run("import", str(path))
    assert result.exit_code == 1
    assert "vp.json#verifiableCredential[1], from a presentation: not imported" in result.stderr
    assert "nothing from" in result.stderr and snapshot(wallet) == before


def test_several_files_each_reported_worst_exit(wallet, tmp_path, issuer, signed):
    good = write(tmp_path / "good.json", signed)
    bad = write(tmp_path / "bad.json", _tampered(signed))
    junk = write(tmp_path / "junk.json", "{not json")
    result = run("import", str(good), str(junk), str(bad), "--json")
    assert result.exit_code == 1  # invalid is worse than unreadable (2), as in verify
    data = json.loads(result.stdout)
    assert [(d["source"], d["stored"]) for d in data] == [(str(good), True), (str(junk), False), (str(bad), False)]
    assert "invalid JSON" in data[1]["error"] and data[2]["status"] == "invalid"
    assert [r["title"] for r in rows()] == ["Teamwork"]
    only_junk = run("import", str(junk))
    assert only_junk.exit_code == 2


# --- folders --------------------------------------------------------------------------------------


def test_folder_top_level_unless_recursive(wallet, tmp_path, issuer):
    top = tmp_path / "inbox"
    (top / "sub").mkdir(parents=True)
    write(top / "a.json", issuer.sign(badge(issuer, name="Top")))
    write(top / "README.txt", "these are my badges")
    write(top / "package.json", {"name": "not a credential"})
    write(top / "sub" / "b.json", issuer.sign(badge(issuer, name="Nested")))
    (top / "photo.png").write_bytes(bake_png(b"")[:33] + b"\x00\x00\x00\x00IEND\xaeB`\x82")  # a plain image
    result = run("import", str(top))
    assert result.exit_code == 0, result.stderr
    assert "skipped 3 file(s)" in result.stderr  # the README, the package.json and the photo
    assert run("import", str(top / "package.json")).exit_code == 2  # named explicitly: an error
    assert [r["title"] for r in rows()] == ["Top"]
    assert run("import", str(top), "--recursive").exit_code == 0
    assert sorted(r["title"] for r in rows()) == ["Nested", "Top"]


# --- no network -----------------------------------------------------------------------------------


def test_import_opens_no_socket(wallet, tmp_path, issuer, network_attempts):
    from lerwallet.proofs.signing import sign

    doc = badge(issuer, name="Web")
    doc["issuer"]["id"] = "did:web:example.edu"  # its key can only be had by fetching did.json
    web = sign(doc, suite="eddsa-rdfc-2022", key_type="ed25519", private_key=issuer.private,
               verification_method="did:web:example.edu#key-1")
    inputs = [write(tmp_path / "s.json", with_status(issuer)), write(tmp_path / "w.json", web),
              write(tmp_path / "b.png", "x")]
    (tmp_path / "b.png").write_bytes(bake_png(json.dumps(with_status(issuer)).encode()))
    result = run("import", *map(str, inputs), "--json")
    assert network_attempts == [] and result.exit_code == 0, result.stderr
    assert [d["status"] for d in json.loads(result.stdout)] == ["inconclusive"] * 3
    assert "cannot resolve did:web:example.edu offline" in result.stderr
    assert run("recheck").exit_code == 4 and network_attempts == []  # all three still inconclusive


# --- recheck --------------------------------------------------------------------------------------


def test_recheck_upgrades_records_imported_before_verification(wallet, tmp_path, signed):
    from lerwallet.store import Wallet, credentials

    with Wallet.open(wallet, PW.encode()) as w:  # the pre-verification import path: status unverified
        credentials.import_credential(w, json.dumps(signed).encode(), source="old.json")
    assert rows()[0]["status"] == "unverified"
    assert "never" in run("show", rows()[0]["id"]).stdout
    result = run("recheck")
    assert result.exit_code == 0 and "unverified" in result.stdout and "1 checked, 1 changed status" in result.stderr
    assert rows()[0]["status"] == "verified"


def test_recheck_unknown_id_and_empty_wallet(wallet):
    assert run("recheck").exit_code == 0
    missing = run("recheck", "abcdef")
    assert missing.exit_code == 2 and "no credential with id abcdef" in missing.stderr


def test_recheck_reports_a_damaged_record(wallet, signed, tmp_path):
    run("import", str(write(tmp_path / "a.json", signed)))
    [row] = rows()
    conn = sqlite3.connect(wallet / DB_NAME)
    conn.execute("UPDATE records SET sealed = zeroblob(60) WHERE kind = 'credential' AND id = ?", (row["id"],))
    conn.commit()
    conn.close()
    result = run("recheck", "--json")
    assert result.exit_code == 1 and json.loads(result.stdout)[0]["status"] == "damaged"


def test_bad_options_checked_before_any_work(wallet, tmp_path, signed):
    path = str(write(tmp_path / "a.json", signed))
    result = run("import", path, "--status-cache", str(tmp_path / "nope"))
    assert result.exit_code == 2 and "--status-cache" in result.stderr and rows() == []
    bad_trust = write(tmp_path / "trust.json", "not json")
    assert run("import", path, "--trust", str(bad_trust)).exit_code == 2 and rows() == []


# --- library --------------------------------------------------------------------------------------


def _report(*checks):
    from lerwallet.verify.report import Check, CredentialReport

    return CredentialReport(source="x", format="ldp", checks=[Check(*c) for c in checks])


@pytest.mark.parametrize("checks, status", [
    ([("structure", "pass"), ("proof", "pass"), ("issuer.trust", "warn")], "verified"),
    ([("proof", "pass"), ("status", "unknown", "offline", "offline")], "inconclusive"),
    ([("proof", "fail", "no proof", "no_proof"), ("expiration", "skipped")], "unsigned"),
    ([("schema", "fail", "bad", "schema"), ("proof", "fail", "no proof", "no_proof")], "invalid"),
    ([("proof", "pass"), ("expiration", "fail", "expired", "expired")], "expired"),
    ([("proof", "pass"), ("valid-from", "fail", "later", "not_yet_valid")], "not-yet-valid"),
    ([("proof", "pass"), ("valid-from", "fail", "later"), ("expiration", "fail", "gone")], "expired"),
    ([("proof", "unknown", "offline", "offline"), ("expiration", "fail", "expired", "expired")], "inconclusive"),
    ([("proof", "fail", "bad signature", "invalid_signature")], "invalid"),
    ([("proof", "pass"), ("status.revocation", "fail", "revoked", "revoked")], "invalid"),
    ([("proof", "pass"), ("expiration", "fail", "gone"), ("issuer.trust", "fail", "denied")], "invalid"),
])
def test_judge(checks, status):
    from lerwallet.store.importer import judge

    assert judge(_report(*checks))[0] == status


def test_examine_and_store_library(isolated_home, signed):
    from lerwallet.store import Wallet, credentials
    from lerwallet.store.importer import RefusedError, examine, store
    from lerwallet.verify import Options

    good = examine(json.dumps(signed).encode(), "good.json", Options())
    bad = examine(json.dumps(_tampered(signed)).encode(), "bad.json", Options())
    assert [f.status for f in good.found] == ["verified"] and [f.status for f in bad.found] == ["invalid"]
    with Wallet.create(isolated_home, b"pw") as w:
        [stored] = store(w, good)
        with pytest.raises(RefusedError):
            store(w, bad)
        assert [r.id for r in credentials.list_credentials(w)] == [stored.record.id]
        assert {c["id"] for c in credentials.get_checks(w, stored.record.id)} >= {"structure", "proof", "expiration"}
        [again] = store(w, bad, allow_invalid=True)
        assert again.record.status == "invalid"
        credentials.delete_credential(w, again.record.id)
        assert not w.has(credentials.KIND_CHECKS, again.record.id)
