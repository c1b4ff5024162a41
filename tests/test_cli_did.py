"""`lerwallet did ...` end to end through the CLI runner, on a real encrypted wallet."""

from __future__ import annotations

import base64
import json
import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lerwallet import crypto, identity
from lerwallet.cli.app import app
from lerwallet.store import Wallet

PASS = "wallet passphrase for tests"
SUBCOMMANDS = ["create", "list", "show", "use", "rename", "delete", "export-web", "rotate", "remove-key",
               "export", "import"]


@pytest.fixture
def run(monkeypatch):
    monkeypatch.setenv("LERWALLET_PASSPHRASE", PASS)
    monkeypatch.delenv("LERWALLET_EXPORT_PASSPHRASE", raising=False)
    runner = CliRunner()
    outputs: list[str] = []

    def invoke(*args: str, input: str | bytes | None = None, code: int | None = 0, env: dict | None = None):
        result = runner.invoke(app, list(args), input=input, env=env)
        outputs.append(result.stdout + result.stderr)
        if code is not None:
            assert result.exit_code == code, (args, result.stdout, result.stderr, result.exception)
        assert "Traceback" not in result.stderr
        return result

    invoke.outputs = outputs
    return invoke


@pytest.fixture
def wallet_ready(run):
    run("init")
    return run


def _identities(run) -> list[dict]:
    return json.loads(run("did", "list", "--json").stdout)


def _secrets(home: Path) -> list[tuple[str, bytes]]:
    with Wallet.open(home, PASS.encode()) as w:
        return [identity.signing_key(w, i)[:2] for i in identity.list_identities(w)]


def _secret_forms(key_type: str, private: bytes) -> list[str]:
    b64u = base64.urlsafe_b64encode(private).rstrip(b"=").decode()
    pem_body = crypto.private_to_pkcs8(key_type, private, password=None).decode().split("\n")[1]
    from lerwallet.keys.multibase import encode_base58btc

    return [private.hex(), private.hex().upper(), b64u, base64.b64encode(private).decode(), pem_body,
            encode_base58btc(private), "PRIVATE KEY"]


def _one_line_error(result, needle: str) -> None:
    lines = result.stderr.strip().splitlines()
    assert lines and lines[0].startswith("lerwallet: error: ") and needle in lines[0], result.stderr
    assert all(line.startswith("lerwallet: ") for line in lines)


def test_every_did_command_has_help(run):
    top = run("did", "--help").stdout
    for name in SUBCOMMANDS:
        assert name in top
        text = run("did", name, "--help").stdout
        assert "Usage:" in text and "Example" in text, name


def test_init_creates_a_default_ed25519_did_key(wallet_ready):
    (only,) = _identities(wallet_ready)
    assert only["method"] == "key" and only["key_type"] == "ed25519" and only["default"]
    assert only["did"].startswith("did:key:z6Mk")
    doc = json.loads(wallet_ready("did", "show", only["name"], "--json").stdout)
    assert doc["verificationMethod"][0]["type"] == "Multikey"
    assert doc["assertionMethod"] == [only["verification_method"]]


def test_create_list_use_rename_delete(wallet_ready):
    run = wallet_ready
    made = json.loads(run("did", "create", "--method", "jwk", "--key-type", "p256", "--name", "work", "--json").stdout)
    assert made["did"].startswith("did:jwk:") and not made["default"]
    text = run("did", "list").stdout
    lines = text.strip().splitlines()
    assert lines[0].split() == ["NAME", "DID", "METHOD", "KEY", "TYPE", "CREATED"]
    assert lines[1].startswith("*") and "main" in lines[1]
    assert "work" in lines[2] and made["did"] in lines[2] and "p256" in lines[2]

    used = run("did", "use", "work")
    assert used.stderr == f"work is now the default holder: {made['did']}\n"
    assert [i["name"] for i in _identities(run) if i["default"]] == ["work"]
    run("did", "rename", "work", "job")
    assert [i["name"] for i in _identities(run)] == ["main", "job"]
    _one_line_error(run("did", "delete", "job", "--yes", code=2), "default identity")
    run("did", "delete", "main", "--yes")
    assert [i["name"] for i in _identities(run)] == ["job"]


def test_delete_needs_confirmation(wallet_ready):
    run = wallet_ready
    run("did", "create", "--name", "spare")
    result = run("did", "delete", "spare", code=2)
    _one_line_error(result, "confirmation")
    assert "--yes" in result.stderr
    assert len(_identities(run)) == 2


@pytest.mark.parametrize("args,needle", [
    (["did", "create", "--method", "peer"], "unknown DID method"),
    (["did", "create", "--key-type", "rsa"], "unknown key type"),
    (["did", "create", "--method", "web"], "needs a domain"),
    (["did", "create", "--method", "web", "--domain", "https://learner.example"], "scheme"),
    (["did", "create", "--method", "web", "--domain", "127.0.0.1"], "IP address"),
    (["did", "create", "--name", "main"], "already exists"),
    (["did", "show", "did:key:z6MkNotInThisWallet"], "no identity"),
    (["did", "use", "nobody"], "no identity"),
    (["did", "rename", "main", "bad name"], "invalid identity name"),
    (["did", "delete", "nobody", "--yes"], "no identity"),
    (["did", "export", "main"], "--public or --private"),
    (["did", "export", "main", "--public", "--private"], "--public or --private"),
    (["did", "export", "main", "--public", "--unencrypted"], "go with --private"),
    (["did", "export", "main", "--private", "--format", "jwk"], "cannot be encrypted"),
    (["did", "export", "main", "--private", "--format", "der", "--unencrypted"], "unknown --format"),
    (["did", "export-web", "main", "--out", "-"], "resolves without hosting"),
    (["did", "rotate", "main"], "cannot rotate"),
])
def test_bad_input_is_one_line_exit_2_and_changes_nothing(wallet_ready, args, needle):
    before = _identities(wallet_ready)
    result = wallet_ready(*args, code=2)
    _one_line_error(result, needle)
    assert _identities(wallet_ready) == before


def test_usage_errors_come_before_the_passphrase(run, monkeypatch):
    run("init")
    monkeypatch.delenv("LERWALLET_PASSPHRASE")
    result = run("did", "create", "--method", "web", "--domain", "user@host.example", code=2)
    _one_line_error(result, "user information")  # not "no passphrase given"


def test_private_export_needs_a_passphrase_source(wallet_ready):
    result = wallet_ready("did", "export", "main", "--private", "--out", "k.pem", code=2)
    _one_line_error(result, "no passphrase")
    assert "LERWALLET_EXPORT_PASSPHRASE" in result.stderr


def test_export_public(wallet_ready):
    (me,) = _identities(wallet_ready)
    data = json.loads(wallet_ready("did", "export", "main", "--public", "--json").stdout)
    assert data["did"] == me["did"] and set(data["publicKeyJwk"]) == {"kty", "crv", "x"}
    text = wallet_ready("did", "export", "main", "--public").stdout
    assert data["publicKeyMultibase"] in text and data["publicKeyJwk"]["x"] in text


def test_unencrypted_private_export_is_0600_exclusive_and_imports_back(wallet_ready, tmp_path, isolated_home):
    run = wallet_ready
    (me,) = _identities(run)
    out = tmp_path / "main.pem"
    result = run("did", "export", "main", "--private", "--unencrypted", "--out", str(out))
    assert "UNENCRYPTED" in result.stderr and result.stdout == ""
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    _one_line_error(run("did", "export", "main", "--private", "--unencrypted", "--out", str(out), code=2),
                    "already exists")
    out.chmod(0o644)
    run("did", "export", "main", "--private", "--unencrypted", "--out", str(out), "--force")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600

    other = {"LERWALLET_HOME": str(tmp_path / "second")}
    run("init", env=other)
    imported = json.loads(run("did", "import", str(out), "--name", "old", "--json", env=other).stdout)
    assert imported["did"] == me["did"]


def test_encrypted_export_round_trip_through_stdin(wallet_ready, tmp_path, monkeypatch):
    run = wallet_ready
    (me,) = _identities(run)
    monkeypatch.setenv("LERWALLET_EXPORT_PASSPHRASE", "key file secret")
    out = tmp_path / "main.p8"
    run("did", "export", "main", "--private", "--out", str(out))
    pem = out.read_bytes()
    assert b"ENCRYPTED PRIVATE KEY" in pem and stat.S_IMODE(out.stat().st_mode) == 0o600

    other = {"LERWALLET_HOME": str(tmp_path / "second")}
    run("init", env=other)
    back = json.loads(run("did", "import", "-", "--json", input=pem, env=other).stdout)
    assert back["did"] == me["did"]

    monkeypatch.setenv("LERWALLET_EXPORT_PASSPHRASE", "not it")
    third = {"LERWALLET_HOME": str(tmp_path / "third")}
    run("init", env=third)
    _one_line_error(run("did", "import", str(out), env=third, code=2), "wrong passphrase")


def test_private_jwk_to_stdout(wallet_ready):
    jwk = json.loads(wallet_ready("did", "export", "main", "--private", "--unencrypted", "--format", "jwk").stdout)
    assert jwk["kty"] == "OKP" and len(jwk["d"]) == 43


def test_private_export_json_is_one_object_for_both_formats(wallet_ready, tmp_path, monkeypatch):
    run = wallet_ready
    (me,) = _identities(run)
    jwk = json.loads(run("did", "export", "main", "--private", "--unencrypted", "--format", "jwk", "--json").stdout)
    assert {k: jwk[k] for k in ("did", "verification_method", "key_type", "format", "encrypted")} == {
        "did": me["did"], "verification_method": me["verification_method"], "key_type": "ed25519",
        "format": "jwk", "encrypted": False}
    assert jwk["jwk"]["kty"] == "OKP" and len(jwk["jwk"]["d"]) == 43
    secret = tmp_path / "key-pass"
    secret.write_text("key file secret\n")
    # one option name on export and import; the old export name is a hidden alias
    for option in ("--key-passphrase-file", "--export-passphrase-file"):
        pem = json.loads(run("did", "export", "main", "--private", option, str(secret), "--json").stdout)
        assert pem["format"] == "pkcs8-pem" and pem["encrypted"] is True
        assert pem["pem"].startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert "--export-passphrase-file" not in run("did", "export", "--help").stdout
    other = {"LERWALLET_HOME": str(tmp_path / "second")}
    run("init", env=other)
    back = json.loads(run("did", "import", "-", "--key-passphrase-file", str(secret), "--json",
                          input=pem["pem"], env=other).stdout)
    assert back["did"] == me["did"]


def test_importing_a_public_key_says_so(wallet_ready, tmp_path):
    import base64 as b64

    public = crypto.public_key_of("ed25519", crypto.generate_private_key("ed25519"))
    spki = bytes.fromhex("302a300506032b6570032100") + public  # RFC 8410 SubjectPublicKeyInfo
    pem = b"-----BEGIN PUBLIC KEY-----\n" + b64.encodebytes(spki) + b"-----END PUBLIC KEY-----\n"
    x = b64.urlsafe_b64encode(public).rstrip(b"=").decode()
    for name, data in (("pub.pem", pem), ("pub.der", spki),
                       ("pub.jwk", json.dumps({"kty": "OKP", "crv": "Ed25519", "x": x}).encode())):
        (tmp_path / name).write_bytes(data)
        result = wallet_ready("did", "import", str(tmp_path / name), code=2)
        _one_line_error(result, "this is a public key; a private key is needed (JWK with d, or PKCS#8)")
        assert "topk8" not in result.stderr
    assert len(_identities(wallet_ready)) == 1


def test_corrupt_import_is_refused_before_the_wallet_is_touched(wallet_ready, tmp_path):
    bad = tmp_path / "bad.jwk"
    bad.write_text('{"kty": "OKP", "crv": "Ed25519", "d": "not base64url!"}')
    _one_line_error(wallet_ready("did", "import", str(bad), code=2), "base64url")
    _one_line_error(wallet_ready("did", "import", str(tmp_path / "missing.pem"), code=2), "cannot read")
    assert len(_identities(wallet_ready)) == 1


def test_did_web_export_rotate_remove_key(wallet_ready, tmp_path):
    run = wallet_ready
    made = json.loads(run("did", "create", "--method", "web", "--domain", "learner.example/alice",
                          "--name", "site", "--json").stdout)
    assert made["did"] == "did:web:learner.example:alice"
    assert made["document_url"] == "https://learner.example/alice/did.json"
    out = tmp_path / "did.json"
    result = run("did", "export-web", "site", "--out", str(out))
    assert "https://learner.example/alice/did.json" in result.stderr
    doc = json.loads(out.read_text())
    assert doc == json.loads(run("did", "show", "site", "--json").stdout)
    assert doc["@context"] == ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]
    _one_line_error(run("did", "export-web", "site", "--out", str(out), code=2), "already exists")

    assert run("did", "rotate", "site", "--out", str(out), "--force").stdout == ""
    rotated = json.loads(out.read_text())
    assert [vm["id"] for vm in rotated["verificationMethod"]][0] == made["verification_method"]
    assert len(rotated["verificationMethod"]) == 2
    now = [i for i in _identities(run) if i["name"] == "site"][0]
    assert now["verification_method"] != made["verification_method"]

    fragment = made["verification_method"].split("#")[1]
    _one_line_error(run("did", "remove-key", "site", fragment, "--out", str(out), code=2), "already exists")
    _one_line_error(run("did", "rotate", "site", "--out", str(out), code=2), "already exists")
    assert len(json.loads(run("did", "show", "site", "--json").stdout)["verificationMethod"]) == 2
    after = json.loads(run("did", "remove-key", "site", fragment).stdout)
    assert [vm["id"] for vm in after["verificationMethod"]] == [now["verification_method"]]


def test_remove_key_takes_the_documented_fragment_form(wallet_ready):
    run = wallet_ready
    made = json.loads(run("did", "create", "--method", "web", "--domain", "learner.example",
                          "--name", "site", "--json").stdout)
    run("did", "rotate", "site")
    run("did", "rotate", "site")
    first, second, current = [vm["id"] for vm in
                              json.loads(run("did", "show", "site", "--json").stdout)["verificationMethod"]]
    assert first == made["verification_method"]
    after = json.loads(run("did", "remove-key", "site", "#" + first.split("#", 1)[1]).stdout)  # '#fragment'
    assert [vm["id"] for vm in after["verificationMethod"]] == [second, current]
    after = json.loads(run("did", "remove-key", "site", second).stdout)  # the full id still works
    assert [vm["id"] for vm in after["verificationMethod"]] == [current]
    _one_line_error(run("did", "remove-key", "site", "#zNope", code=2), "has no key")


def test_list_did_filters_credentials_by_subject(wallet_ready, tmp_path):
    run = wallet_ready
    (me,) = _identities(run)
    for name, subject in (("Mine", me["did"]), ("Theirs", "did:example:someone")):
        (tmp_path / f"{name}.json").write_text(json.dumps({
            "@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
            "issuer": "did:example:issuer", "name": name, "credentialSubject": {"id": subject}}))
        run("import", str(tmp_path / f"{name}.json"))
    assert len(json.loads(run("list", "--json").stdout)) == 2
    mine = json.loads(run("list", "--did", "main", "--json").stdout)
    assert [c["title"] for c in mine] == ["Mine"]
    assert json.loads(run("list", "--did", me["did"], "--json").stdout) == mine
    _one_line_error(run("list", "--did", "nobody", code=2), "no identity")


def test_no_private_key_material_in_any_public_output(wallet_ready, isolated_home, tmp_path):
    run = wallet_ready
    run("did", "create", "--method", "jwk", "--key-type", "p256", "--name", "j")
    run("did", "create", "--method", "web", "--domain", "learner.example", "--name", "w", "--key-type", "p256")
    run("did", "rotate", "w", "--out", str(tmp_path / "did.json"))
    for args in (["did", "list"], ["did", "list", "--json"], ["status"], ["status", "--json"], ["list"]):
        run(*args)
    for name in ("main", "j", "w"):
        run("did", "show", name)
        run("did", "show", name, "--json")
        run("did", "export", name, "--public")
        run("did", "export", name, "--public", "--json")
    run("did", "export-web", "w", "--out", "-")
    everything = "\n".join(run.outputs) + (tmp_path / "did.json").read_text()
    secrets = _secrets(isolated_home)
    assert len(secrets) == 3
    for key_type, private in secrets:
        for form in _secret_forms(key_type, private):
            assert form not in everything
    # and the same for the wallet's files on disk
    blob = b"".join(p.read_bytes() for p in isolated_home.iterdir() if p.is_file())
    for key_type, private in secrets:
        for form in _secret_forms(key_type, private):
            assert form.encode() not in blob


def test_rich_output_prints_did_key_literally(capsys):
    """Rich turns ":key:" into an emoji unless told not to; every table showing a DID would break."""
    from lerwallet.cli import output

    output.console().print("issuer did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp")
    assert "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp" in capsys.readouterr().out


# --- review 3, 5, 9 ------------------------------------------------------------------------


def _flip_identity_record(isolated_home, keep_did: str) -> str:
    """Flip one byte of the sealed blob of the identity that is not `keep_did`; its record id."""
    import sqlite3

    with Wallet.open(isolated_home, PASS.encode()) as w:
        target = next(rid for rid, data in w.list("identity") if data["did"] != keep_did)
    conn = sqlite3.connect(isolated_home / "wallet.db", isolation_level=None)
    (sealed,) = conn.execute("SELECT sealed FROM records WHERE kind='identity' AND id=?", (target,)).fetchone()
    sealed = bytearray(sealed)
    sealed[20] ^= 1
    conn.execute("UPDATE records SET sealed=? WHERE kind='identity' AND id=?", (bytes(sealed), target))
    conn.close()
    return target


def test_one_damaged_identity_blocks_no_other_command(wallet_ready, isolated_home):
    run = wallet_ready
    run("did", "create", "--name", "second")
    (main,) = [i for i in _identities(run) if i["name"] == "main"]
    damaged = _flip_identity_record(isolated_home, main["did"])
    listed = run("did", "list", "--json", code=1)  # like `list` with a damaged credential
    assert [i["name"] for i in json.loads(listed.stdout)] == ["main"]
    assert f"lerwallet did delete {damaged}" in listed.stderr
    assert run("did", "show", "main", "--json").stdout
    run("did", "create", "--name", "third")
    assert run("list", "--did", "main", "--json").stdout.strip() == "[]"
    with Wallet.open(isolated_home, PASS.encode()) as w:
        assert identity.signing_key(w, "main")[2] == main["verification_method"]
    gone = run("did", "delete", damaged[:12], "--yes", "--json")
    assert json.loads(gone.stdout) == {"deleted": True, "record": damaged}
    assert "integrity" not in run("did", "list").stderr


def test_rotate_to_an_unwritable_out_changes_nothing(wallet_ready, tmp_path):
    run = wallet_ready
    run("did", "create", "--method", "web", "--domain", "learner.example", "--name", "site")
    before = json.loads(run("did", "show", "site", "--json").stdout)
    for verb in (["rotate", "site"], ["remove-key", "site", "z6MkNoSuchKey"]):
        result = run("did", *verb, "--out", str(tmp_path / "missing" / "did.json"), code=2)
        assert result.stderr.startswith("lerwallet: error: cannot create") and "nothing was changed" in result.stderr
    assert json.loads(run("did", "show", "site", "--json").stdout) == before
    assert not (tmp_path / "missing").exists()
    out = tmp_path / "did.json"
    run("did", "rotate", "site", "--out", str(out))
    assert len(json.loads(out.read_text())["verificationMethod"]) == 2
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    missing = run("did", "remove-key", "site", "z6MkNoSuchKey", code=2)
    assert "--keys" not in missing.stderr and "lerwallet did show site" in missing.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # failed change: temp removed


def test_declining_did_delete_exits_0_and_changes_nothing(wallet_ready, monkeypatch):
    from lerwallet.cli import passphrase as passphrase_mod

    run = wallet_ready
    run("did", "create", "--name", "spare")
    monkeypatch.setattr(passphrase_mod, "_is_interactive", lambda: True)
    result = run("did", "delete", "spare", input="n\n")
    assert "nothing deleted" in result.stderr
    assert len(_identities(run)) == 2


def test_changing_commands_offer_json(wallet_ready):
    run = wallet_ready
    run("did", "create", "--name", "spare")
    assert json.loads(run("did", "use", "spare", "--json").stdout)["default"] is True
    assert json.loads(run("did", "rename", "main", "first", "--json").stdout)["name"] == "first"
    deleted = json.loads(run("did", "delete", "first", "--yes", "--json").stdout)
    assert deleted["deleted"] is True and deleted["identity"]["name"] == "first"


def test_list_did_matches_any_credential_subject(wallet_ready, tmp_path):
    run = wallet_ready
    (me,) = _identities(run)
    (tmp_path / "multi.json").write_text(json.dumps({
        "@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer", "name": "Shared",
        "credentialSubject": [{"id": "did:example:classmate"}, {"id": me["did"]}]}))
    run("import", str(tmp_path / "multi.json"))
    assert [c["title"] for c in json.loads(run("list", "--did", "main", "--json").stdout)] == ["Shared"]
