"""`lerwallet issue` and `lerwallet status-list`: real wallets, real keys, real signatures, the real
verify pipeline (and its Bitstring Status List reader) on what was issued."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lerwallet.cli.app import app
from lerwallet.store import Wallet
from lerwallet.verify import Options, verify_bytes

PASS = "wallet passphrase for tests"
LEARNER = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
ACHIEVEMENT = {
    "id": "https://acme.example/achievements/volunteer",
    "type": ["Achievement"],
    "name": "Community Volunteer",
    "description": "Forty hours of volunteering at the Acme community garden.",
    "criteria": {"narrative": "Volunteer for at least forty hours in one season."},
}


@pytest.fixture
def run(monkeypatch):
    monkeypatch.setenv("LERWALLET_PASSPHRASE", PASS)
    runner = CliRunner()

    def invoke(*args: str, input: str | bytes | None = None, code: int | None = 0):
        result = runner.invoke(app, list(args), input=input)
        if code is not None:
            assert result.exit_code == code, (args, result.stdout, result.stderr, result.exception)
        assert "Traceback" not in result.stderr
        return result

    return invoke


@pytest.fixture
def org(run, tmp_path):
    """A wallet with a did:web organisation (Ed25519) and a P-256 did:key identity, an achievement
    file, and the organisation's DID document in a did:web cache folder (as verifiers hold it)."""
    run("init")
    run("did", "create", "--method", "web", "--domain", "acme.example", "--name", "acme")
    run("did", "create", "--key-type", "p256", "--name", "club")
    ach = tmp_path / "achievement.json"
    ach.write_text(json.dumps(ACHIEVEMENT), encoding="utf-8")
    cache = tmp_path / "didcache" / "acme.example" / ".well-known"
    cache.mkdir(parents=True)
    run("did", "export-web", "acme", "--out", str(cache / "did.json"))
    return {"ach": ach, "did_cache": tmp_path / "didcache", "tmp": tmp_path}


def _verify(path: Path, org, **opts):
    reports = verify_bytes(path.read_bytes(), Options(did_web_cache=org["did_cache"], **opts), source=str(path))
    assert len(reports) == 1 and len(reports[0].credentials) == 1
    return {c.id: c for c in reports[0].credentials[0].checks}, reports[0].credentials[0]


def _outcome(checks, prefix):
    return [c.outcome for cid, c in checks.items() if cid == prefix or cid.startswith(prefix + ".")]


def _wallet(home: Path) -> Wallet:
    return Wallet.open(home, PASS.encode())


def test_issue_to_a_did_verifies_and_passes_the_schema(run, org):
    out = org["tmp"] / "badge.json"
    run("issue", "--identity", "acme", "--to", LEARNER, "--achievement", str(org["ach"]), "--out", str(out),
        "--valid-until", "2031-06-30", "--issuer-name", "Acme Community Garden")
    doc = json.loads(out.read_text())
    assert doc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert doc["issuer"] == {"id": "did:web:acme.example", "type": ["Profile"], "name": "Acme Community Garden"}
    assert doc["credentialSubject"]["id"] == LEARNER
    assert doc["validUntil"] == "2031-06-30T00:00:00Z"
    assert doc["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    checks, cred = _verify(out, org)
    assert checks["schema"].outcome == "pass"
    assert _outcome(checks, "proof") == ["pass"]
    assert cred.verdict == "valid"
    # tampering with the signed achievement breaks the proof
    doc["credentialSubject"]["achievement"]["name"] = "Community Leader"
    out.write_text(json.dumps(doc))
    checks, cred = _verify(out, org)
    assert cred.verdict == "invalid" and "fail" in _outcome(checks, "proof")


def test_issue_to_an_email_hashes_it_and_verify_matches_it(run, org):
    out = org["tmp"] / "badge.json"
    run("issue", "--identity", "acme", "--to", "Ada.Lovelace@Example.org", "--achievement", str(org["ach"]), "--out", str(out))
    text = out.read_text()
    assert "lovelace" not in text.lower()  # the address itself is not in the badge
    ident = json.loads(text)["credentialSubject"]["identifier"][0]
    assert ident["type"] == "IdentityObject" and ident["hashed"] is True and ident["identityType"] == "emailAddress"
    assert ident["identityHash"].startswith("sha256$") and len(ident["salt"]) == 32
    checks, cred = _verify(out, org, email="ada.lovelace@example.org")
    assert checks["badge.recipient"].outcome == "pass" and cred.verdict == "valid"
    assert checks["schema"].outcome == "pass"
    checks, cred = _verify(out, org, email="someone.else@example.org")
    assert checks["badge.recipient"].outcome == "fail"


def test_a_p256_identity_signs_ecdsa_rdfc_2019(run, org):
    out = org["tmp"] / "badge.json"
    run("issue", "--identity", "club", "--to", LEARNER, "--achievement", str(org["ach"]), "--out", str(out))
    doc = json.loads(out.read_text())
    assert doc["proof"]["cryptosuite"] == "ecdsa-rdfc-2019" and doc["issuer"]["id"].startswith("did:key:zDn")
    checks, cred = _verify(out, org)
    assert cred.verdict == "valid"


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_baked_badges_read_back_and_verify(run, org, suffix):
    out = org["tmp"] / f"badge{suffix}"
    run("issue", "--identity", "acme", "--to", LEARNER, "--achievement", str(org["ach"]), "--baked", str(out))
    checks, cred = _verify(out, org)
    assert cred.verdict == "valid" and _outcome(checks, "proof") == ["pass"]


def test_status_list_round_trip_revoked_and_valid(run, org):
    from lerwallet.verify import bitstring

    tmp = org["tmp"]
    made = json.loads(run("status-list", "create", "badges", "--identity", "acme", "--json").stdout)
    assert made["url"] == "https://acme.example/status/badges.json" and made["size"] == 131_072
    summaries = []
    for name, to in (("ada", LEARNER), ("bob", "bob@example.org")):
        r = run("issue", "--identity", "acme", "--to", to, "--achievement", str(org["ach"]), "--status", "badges",
                "--out", str(tmp / f"{name}.json"), "--json")
        summaries.append(json.loads(r.stdout))
    ada, bob = (json.loads((tmp / f"{n}.json").read_text()) for n in ("ada", "bob"))
    entry = ada["credentialStatus"]
    assert entry == {"id": f"{made['url']}#{summaries[0]['status']['index']}", "type": "BitstringStatusListEntry",
                     "statusPurpose": "revocation", "statusListIndex": str(summaries[0]["status"]["index"]),
                     "statusListCredential": made["url"]}
    assert summaries[0]["status"]["index"] != summaries[1]["status"]["index"]

    lists = tmp / "lists"
    lists.mkdir()
    run("status-list", "publish", "badges", "--out", str(lists / "badges.json"))
    checks, cred = _verify(tmp / "ada.json", org, status_cache=lists)
    assert checks["status.revocation"].outcome == "pass" and cred.verdict == "valid"

    r = run("status-list", "revoke", "badges", str(tmp / "ada.json"), "--json")
    assert json.loads(r.stdout)["changed"] is True and json.loads(r.stdout)["revoked"] == 1
    run("status-list", "publish", "badges", "--out", str(lists / "badges.json"), "--force")
    listed = json.loads((lists / "badges.json").read_text())
    bits = bitstring.decode(listed["credentialSubject"]["encodedList"])
    assert len(bits) * 8 == 131_072  # the Recommendation's minimum, uncompressed
    assert bitstring.value_at(bits, int(entry["statusListIndex"])) == 1
    assert bitstring.value_at(bits, int(bob["credentialStatus"]["statusListIndex"])) == 0
    assert sum(bin(b).count("1") for b in bits) == 1
    # the list cache is per process: a fresh folder for the second look
    lists2 = tmp / "lists2"
    lists2.mkdir()
    (lists2 / "badges.json").write_bytes((lists / "badges.json").read_bytes())
    checks, cred = _verify(tmp / "ada.json", org, status_cache=lists2)
    assert checks["status.revocation"].outcome == "fail" and cred.verdict == "invalid"
    checks, cred = _verify(tmp / "bob.json", org, status_cache=lists2)
    assert checks["status.revocation"].outcome == "pass" and cred.verdict == "valid"
    # revoking again changes nothing and says so
    r = run("status-list", "revoke", "badges", entry["statusListIndex"], "--json")
    assert json.loads(r.stdout)["changed"] is False


def test_indexes_are_random_distinct_and_in_range(org, isolated_home, run):
    from lerwallet import issue as lib

    run("status-list", "create", "r", "--identity", "acme")
    with _wallet(isolated_home) as w:
        indexes = [lib.issue_ob3(w, identity="acme", to=LEARNER, achievement=ACHIEVEMENT, status_list="r").status_index
                   for _ in range(12)]
    assert len(set(indexes)) == 12 and all(0 <= i < 131_072 for i in indexes)
    # not handed out in order (sequential allocation would reveal issue order and volume)
    assert sorted(indexes) != list(range(min(indexes), min(indexes) + 12))


def test_suspension_lists_suspend_and_unsuspend_revocation_is_permanent(run, org):
    tmp = org["tmp"]
    run("status-list", "create", "holds", "--identity", "club", "--purpose", "suspension",
        "--url", "https://club.example/status/holds.json")
    run("status-list", "create", "badges", "--identity", "club", "--url", "https://club.example/status/badges.json")
    run("issue", "--identity", "club", "--to", LEARNER, "--achievement", str(org["ach"]), "--status", "holds",
        "--out", str(tmp / "b.json"))
    index = json.loads((tmp / "b.json").read_text())["credentialStatus"]["statusListIndex"]
    assert json.loads(run("status-list", "suspend", "holds", index, "--json").stdout)["suspended"] == 1
    assert json.loads(run("status-list", "unsuspend", "holds", index, "--json").stdout)["suspended"] == 0
    r = run("status-list", "revoke", "holds", index, code=2)
    assert "is a suspension list: it cannot revoke" in r.stderr
    r = run("status-list", "unsuspend", "badges", "5", code=2)
    assert "revocation is permanent" in r.stderr


def _allocated(home: Path, name: str = "badges") -> int:
    from lerwallet.issue import statuslist

    with _wallet(home) as w:
        return statuslist.get(w, name).allocated


def _one_line_error(result, text: str) -> None:
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("lerwallet: error: ") and text in lines[0], result.stderr
    assert all(line.startswith("lerwallet: ") for line in lines)


@pytest.mark.parametrize("args, text", [
    (["--identity", "nobody"], "no identity 'nobody'"),
    (["--to", "not an address"], "is neither a DID nor an email address"),
    (["--to", "ada@localhost"], "is neither a DID nor an email address"),
    (["--to", "did:"], "is not a DID"),
    (["--valid-until", "next year"], "is not a date"),
    (["--valid-until", "2001-01-01"], "is not after validFrom"),
    (["--status", "nosuchlist"], "no status list 'nosuchlist'"),
    (["--baked", "x.gif"], "must end in .png or .svg"),
])
def test_bad_input_is_one_line_exit_2_nothing_stored(run, org, isolated_home, args, text):
    run("status-list", "create", "badges", "--identity", "acme")
    out = org["tmp"] / "never.json"
    base = {"--identity": "acme", "--to": LEARNER, "--achievement": str(org["ach"]), "--status": "badges", "--out": str(out)}
    for flag, value in zip(args[::2], args[1::2]):
        base[flag] = value
    if "--baked" in base:
        del base["--out"]
    argv = [x for kv in base.items() for x in kv]
    _one_line_error(run("issue", *argv, code=2), text)
    assert not out.exists()
    assert _allocated(isolated_home) == 0
    assert not list(org["tmp"].glob(".*.tmp"))


@pytest.mark.parametrize("content, text", [
    (b"{not json", "is not JSON"),
    (b"[]", "is not a JSON object"),
    (json.dumps({**ACHIEVEMENT, "type": ["Profile"]}).encode(), "is not an OB 3.0 Achievement"),
    (json.dumps({k: v for k, v in ACHIEVEMENT.items() if k != "criteria"}).encode(), "has no 'criteria'"),
    (json.dumps({**ACHIEVEMENT, "id": 7}).encode(), "would not pass the OB 3.0 schema"),
])
def test_bad_achievement_files(run, org, isolated_home, content, text):
    run("status-list", "create", "badges", "--identity", "acme")
    bad = org["tmp"] / "bad.json"
    bad.write_bytes(content)
    out = org["tmp"] / "never.json"
    r = run("issue", "--identity", "acme", "--to", LEARNER, "--achievement", str(bad), "--status", "badges",
            "--out", str(out), code=2)
    _one_line_error(r, text)
    assert not out.exists() and _allocated(isolated_home) == 0


def test_an_undefined_term_is_refused_by_safe_mode(run, org, isolated_home):
    run("status-list", "create", "badges", "--identity", "acme")
    bad = org["tmp"] / "bad.json"
    bad.write_text(json.dumps({**ACHIEVEMENT, "favouriteColour": "green"}))
    r = run("issue", "--identity", "acme", "--to", LEARNER, "--achievement", str(bad), "--status", "badges", code=2)
    _one_line_error(r, "not signed")
    assert "jsonld_safe_mode" in r.stderr and _allocated(isolated_home) == 0


def test_identity_without_private_key_cannot_issue(run, org, isolated_home):
    from lerwallet import identity

    with _wallet(isolated_home) as w:
        rid, data = identity._find_record(w, "club")
        for key in data["keys"]:
            key.pop("private", None)
        w.put(identity.KIND, rid, data)
    r = run("issue", "--identity", "club", "--to", LEARNER, "--achievement", str(org["ach"]), code=2)
    _one_line_error(r, "identity 'club' has no private key")
    r = run("status-list", "create", "x", "--identity", "club", "--url", "https://club.example/x.json", code=2)
    _one_line_error(r, "has no private key")


def test_a_full_list_is_refused_and_nothing_changes(run, org, isolated_home):
    from lerwallet.issue import statuslist

    run("status-list", "create", "badges", "--identity", "acme")
    with _wallet(isolated_home) as w:
        rid, data = statuslist._find(w, "badges")
        full = bytearray(b"\xff" * (131_072 // 8))
        w.put(statuslist.KIND, rid, dict(data, allocated=statuslist._pack(full)))
    out = org["tmp"] / "never.json"
    r = run("issue", "--identity", "acme", "--to", LEARNER, "--achievement", str(org["ach"]), "--status", "badges",
            "--out", str(out), code=2)
    _one_line_error(r, "status list 'badges' is full (all 131,072 entries are allocated)")
    assert not out.exists()


def test_the_last_free_index_is_found(org, isolated_home, run):
    from lerwallet.issue import statuslist

    run("status-list", "create", "badges", "--identity", "acme")
    with _wallet(isolated_home) as w:
        rid, data = statuslist._find(w, "badges")
        nearly = bytearray(b"\xff" * (131_072 // 8))
        nearly[1000] = 0xFE  # only index 8007 is free
        w.put(statuslist.KIND, rid, dict(data, allocated=statuslist._pack(nearly)))
        with w.transaction():
            index, entry, allocation = statuslist.allocate(w, "badges")
            allocation.commit()
        assert index == 8007 and entry["statusListIndex"] == "8007"
        assert statuslist.get(w, "badges").allocated == 131_072


@pytest.mark.parametrize("which, text", [
    ("131072", "index 131072 is out of range"),
    ("17", "index 17 of status list 'badges' was never given to a credential"),
    ("nope.json", "is neither an index nor a credential file"),
])
def test_revoke_bad_indexes(run, org, which, text):
    run("status-list", "create", "badges", "--identity", "acme")
    _one_line_error(run("status-list", "revoke", "badges", which, code=2), text)


def test_revoke_a_negative_index(run, org):
    run("status-list", "create", "badges", "--identity", "acme")
    _one_line_error(run("status-list", "revoke", "badges", "--", "-1", code=2), "index -1 is out of range")


@pytest.mark.parametrize("args, text", [
    (["--size", "1000"], "--size 1000 is not a list size"),
    (["--size", "131073"], "--size 131073 is not a list size"),
    (["--purpose", "message"], "unknown status purpose 'message'"),
    (["--url", "http://acme.example/l.json"], "is not an https URL"),
    (["--identity", "ghost"], "no identity 'ghost'"),
])
def test_status_list_create_refusals(run, org, isolated_home, args, text):
    argv = {"--identity": "acme"}
    for flag, value in zip(args[::2], args[1::2]):
        argv[flag] = value
    _one_line_error(run("status-list", "create", "l", *[x for kv in argv.items() for x in kv], code=2), text)
    assert json.loads(run("status-list", "list", "--json").stdout) == []


def test_did_key_lists_need_a_url_and_names_are_unique(run, org):
    _one_line_error(run("status-list", "create", "l", "--identity", "club", code=2), "say where the list will be served")
    run("status-list", "create", "l", "--identity", "acme")
    _one_line_error(run("status-list", "create", "l", "--identity", "acme", code=2), "already exists")


def test_a_list_of_another_identity_is_refused(run, org, isolated_home):
    run("status-list", "create", "badges", "--identity", "acme")
    r = run("issue", "--identity", "club", "--to", LEARNER, "--achievement", str(org["ach"]), "--status", "badges", code=2)
    _one_line_error(r, "belongs to did:web:acme.example")
    assert _allocated(isolated_home) == 0


def test_nothing_about_lists_or_recipients_in_the_wallet_file(run, org, isolated_home):
    run("status-list", "create", "secret-list-name", "--identity", "acme")
    run("issue", "--identity", "acme", "--to", "ada@example.org", "--achievement", str(org["ach"]),
        "--status", "secret-list-name", "--out", str(org["tmp"] / "a.json"))
    for path in isolated_home.iterdir():
        data = path.read_bytes()
        assert b"secret-list-name" not in data and b"acme.example/status" not in data and b"ada@" not in data


def test_stdout_json_and_summary(run, org):
    r = run("issue", "--identity", "acme", "--to", LEARNER, "--achievement", str(org["ach"]))
    doc = json.loads(r.stdout)
    assert doc["proof"]["proofPurpose"] == "assertionMethod"
    r = run("issue", "--identity", "acme", "--to", LEARNER, "--achievement", str(org["ach"]), "--json")
    summary = json.loads(r.stdout)
    assert summary["credential"]["credentialSubject"]["id"] == LEARNER and summary["proof"] == "eddsa-rdfc-2022"


def test_bake_into_a_given_png_and_refusals(run, org):
    from lerwallet.formats.bake import plain_png

    image = org["tmp"] / "logo.png"
    image.write_bytes(plain_png("Garden"))
    out = org["tmp"] / "b.png"
    run("issue", "--identity", "acme", "--to", LEARNER, "--achievement", str(org["ach"]), "--baked", str(out),
        "--image", str(image))
    checks, cred = _verify(out, org)
    assert cred.verdict == "valid"
    bad = org["tmp"] / "not.png"
    bad.write_bytes(b"GIF89a not a png")
    r = run("issue", "--identity", "acme", "--to", LEARNER, "--achievement", str(org["ach"]), "--baked",
            str(org["tmp"] / "c.png"), "--image", str(bad), code=2)
    _one_line_error(r, "--image is not a PNG")
    assert not (org["tmp"] / "c.png").exists()
    r = run("issue", "--identity", "acme", "--to", LEARNER, "--achievement", str(org["ach"]), "--image", str(image), code=2)
    _one_line_error(r, "--image is the PNG to bake into")
    r = run("issue", "--identity", "acme", "--to", LEARNER, "--achievement", str(org["ach"]), "--baked", "-", "--json", code=2)
    _one_line_error(r, "--json and --baked - both write to stdout")


def test_publish_with_ttl_and_valid_until(run, org):
    run("status-list", "create", "badges", "--identity", "acme")
    lists = org["tmp"] / "lists"
    lists.mkdir()
    run("status-list", "publish", "badges", "--out", str(lists / "badges.json"), "--ttl", "86400000",
        "--valid-until", "2031-01-01")
    doc = json.loads((lists / "badges.json").read_text())
    assert doc["credentialSubject"]["ttl"] == 86400000 and doc["validUntil"] == "2031-01-01T00:00:00Z"
    run("issue", "--identity", "acme", "--to", LEARNER, "--achievement", str(org["ach"]), "--status", "badges",
        "--out", str(org["tmp"] / "a.json"))
    checks, cred = _verify(org["tmp"] / "a.json", org, status_cache=lists)
    assert checks["status.revocation"].outcome == "pass" and cred.verdict == "valid"
    _one_line_error(run("status-list", "publish", "badges", "--out", "-", "--ttl", "0", code=2), "--ttl 0 must be a positive")
    # an existing file is not replaced without --force
    _one_line_error(run("status-list", "publish", "badges", "--out", str(lists / "badges.json"), code=2), "already exists")
