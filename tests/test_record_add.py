"""`lerwallet add`, `add --from-file`, `edit`, evidence files (#12): real wallets, real keys
(Ed25519, P-256, did:web), real canonicalization and the OB 3.0 schema; no mocks."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lerwallet import identity
from lerwallet.cli.app import app
from lerwallet.record.build import KINDS, RecordInput, build, kind_of, read, validate
from lerwallet.store import Wallet

PW = "record add passphrase"
ESCO_PYTHON = "ccd0a1d9-afda-43d9-b901-96344886e14d"


def run(*args, input=None):
    result = CliRunner().invoke(app, list(args), env={"LERWALLET_PASSPHRASE": PW, "COLUMNS": "200"},
                                catch_exceptions=False, input=input)
    assert "Traceback" not in result.output
    return result


def ok(*args):
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def wallet(isolated_home):
    ok("init")
    return isolated_home


def my_did(home: Path) -> str:
    with Wallet.open(home, PW.encode()) as w:
        return identity.find(w, "main").did


def listed(*extra) -> list[dict]:
    return json.loads(ok("list", "--json", *extra).stdout)


def raw(record_id: str) -> dict:
    return json.loads(ok("show", record_id, "--raw").stdout)


def stored_checks(record_id: str) -> dict:
    shown = json.loads(ok("show", record_id, "--json").stdout)
    return {c["id"]: c for c in shown["checks"]}


def test_add_work_makes_a_signed_ob3_record_that_verifies_and_passes_the_schema(wallet, tmp_path):
    evidence = tmp_path / "reference letter.pdf"
    evidence.write_bytes(b"%PDF-1.4 a reference letter\n" * 40)
    added = json.loads(ok("add", "work", "--title", "Data engineer", "--org", "Acme GmbH", "--from", "2021-03",
                          "--to", "2023-12-31", "--role", "Team lead", "--location", "Berlin, Germany",
                          "--description", "Built the data platform.", "--skill", "Python", "--skill", "SQL",
                          "--skill-code", f"esco:{ESCO_PYTHON}=Python (computer programming)",
                          "--skill-code", "onet:15-1252.00", "--url", "https://acme.example/platform",
                          "--evidence", str(evidence), "--evidence", "https://github.com/acme/platform",
                          "--json").stdout)
    assert added["kind"] == "work" and added["status"] == "verified" and added["self_attested"] is True
    doc = raw(added["id"])
    me = my_did(wallet)
    assert doc["@context"] == ["https://www.w3.org/ns/credentials/v2",
                               "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert doc["type"] == ["VerifiableCredential", "AchievementCredential"]
    assert doc["issuer"]["id"] == me and doc["credentialSubject"]["id"] == me
    subject = doc["credentialSubject"]
    assert subject["activityStartDate"] == "2021-03-01T00:00:00Z" and subject["activityEndDate"] == "2023-12-31T00:00:00Z"
    assert subject["role"] == "Team lead"
    achievement = subject["achievement"]
    assert achievement["achievementType"] == "ext:WorkExperience"
    assert achievement["creator"]["name"] == "Acme GmbH"
    assert achievement["creator"]["address"] == {"type": ["Address"], "addressLocality": "Berlin, Germany"}
    assert achievement["tag"] == ["Python", "SQL"] and achievement["url"] == "https://acme.example/platform"
    assert achievement["alignment"] == [
        {"type": ["Alignment"], "targetName": "Python (computer programming)",
         "targetUrl": f"http://data.europa.eu/esco/skill/{ESCO_PYTHON}", "targetFramework": "ESCO",
         "targetCode": ESCO_PYTHON, "targetType": "ceasn:Competency"},
        {"type": ["Alignment"], "targetName": "15-1252.00", "targetUrl": "https://www.onetonline.org/link/summary/15-1252.00",
         "targetFramework": "O*NET-SOC", "targetCode": "15-1252.00", "targetType": "ceasn:Competency"}]
    digest = hashlib.sha256(evidence.read_bytes()).digest()
    import base64

    assert doc["evidence"][0]["id"] == "ni:///sha-256;" + base64.urlsafe_b64encode(digest).decode().rstrip("=")
    assert doc["evidence"][0]["name"] == "reference letter.pdf"
    assert doc["evidence"][1] == {"id": "https://github.com/acme/platform", "type": ["Evidence"]}
    assert doc["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    checks = stored_checks(added["id"])
    assert checks["proof"]["outcome"] == "pass"  # real RDFC-1.0 canonicalization, in safe mode
    assert checks["schema"]["outcome"] == "pass" and "achievementcredential" in checks["schema"]["reason"]
    assert checks["issuer.trust"]["code"] == "self_attested"
    # And the same document as a file, verified by `verify` (no wallet): self-attested, exit 0.
    path = tmp_path / "record.json"
    path.write_text(ok("show", added["id"], "--raw").stdout)
    report = json.loads(ok("verify", str(path), "--json").stdout)
    assert report["verdict"] == "valid" and report["inputs"][0]["credentials"][0]["self_attested"] is True


def test_every_kind_has_its_achievement_type_and_passes_the_schema(wallet):
    w = Wallet.open(wallet, PW.encode())
    from lerwallet.record.records import add

    with w:
        for kind, (achievement_type, _) in KINDS.items():
            stored = add(w, validate(RecordInput(kind=kind, title=f"A {kind}", org="Somewhere", start="2020-01-15")))
            assert stored.status == "verified", (kind, stored.reason)
            assert stored.summary["achievement_type"] == achievement_type and kind_of(stored) == kind
            assert stored.summary["self_attested"] is True
    assert {r["title"] for r in listed()} == {f"A {k}" for k in KINDS}
    # OB 3.0 enumeration where one fits, an ext: term where none does.
    assert KINDS["volunteer"][0] == "CommunityService" and KINDS["apprenticeship"][0] == "ApprenticeshipCertificate"
    assert KINDS["internship"][0] == "Fieldwork" and KINDS["award"][0] == "Award"
    assert all(t.startswith("ext:") for k, (t, _) in KINDS.items() if k in ("work", "military", "conference", "publication", "project"))


def test_a_p256_identity_signs_with_ecdsa_rdfc_2019_and_a_did_web_one_verifies_offline(wallet):
    ok("did", "create", "--key-type", "p256", "--name", "p256")
    ok("did", "create", "--method", "web", "--domain", "learner.example/alice", "--name", "portfolio")
    p = json.loads(ok("add", "project", "--title", "Compiler", "--org", "Self", "--from", "2022",
                      "--identity", "p256", "--json").stdout)
    web = json.loads(ok("add", "conference", "--title", "Talk on LERs", "--org", "EdTech Summit", "--from", "2024-05-02",
                        "--identity", "portfolio", "--json").stdout)
    assert raw(p["id"])["proof"]["cryptosuite"] == "ecdsa-rdfc-2019" and p["status"] == "verified"
    assert web["issuer"] == "did:web:learner.example:alice" and web["status"] == "verified"
    assert stored_checks(web["id"])["proof"]["outcome"] == "pass"


def _wallet_bytes(home: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(home.iterdir()) if p.is_file()}


@pytest.mark.parametrize("args, message, hint", [
    (["add", "job", "--title", "T", "--org", "O", "--from", "2020"], "unknown kind 'job'", "KIND is one of: work, volunteer"),
    (["add", "work", "--title", "T", "--org", "O", "--from", "2020-13-01"], "--from '2020-13-01' is not a date", "YYYY-MM-DD"),
    (["add", "work", "--title", "T", "--org", "O", "--from", "yesterday"], "--from 'yesterday' is not a date", "YYYY-MM-DD"),
    (["add", "work", "--title", "T", "--org", "O", "--from", "2022-05", "--to", "2021"], "--to 2021-01-01 is before --from 2022-05-01",
     "after its start"),
    (["add", "work", "--title", "T", "--from", "2020"], "--org is required", "lerwallet add KIND"),
    (["add", "work", "--title", "T", "--org", "O", "--from", "2020", "--skill-code", "acme:X1"],
     "lerwallet cannot link skill framework 'acme'", "--from-file"),
    (["add", "work", "--title", "T", "--org", "O", "--from", "2020", "--skill-code", "esco:not-a-uuid"],
     "'not-a-uuid' is not a ESCO code", "ESCO codes look like"),
    (["add", "work", "--title", "T", "--org", "O", "--from", "2020", "--evidence", "no-such-file.pdf"],
     "evidence file no-such-file.pdf does not exist", "--evidence"),
    (["add", "work", "--title", "T", "--org", "O", "--from", "2020", "--identity", "nobody"], "no identity 'nobody'", "did list"),
    (["add", "--from-file", "x.json", "--title", "T"], "--from-file cannot be combined with --title", "docs/record.md"),
    (["edit", "0000", "--to", "2020"], "no credential", ""),
])
def test_bad_input_is_one_line_with_a_hint_and_stores_nothing(wallet, args, message, hint):
    before = _wallet_bytes(wallet)
    result = run(*args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert lines[0].startswith("lerwallet: error: ") and message in lines[0], lines
    if hint:
        assert lines[1].startswith("lerwallet: hint: ") and hint in lines[1], lines
    assert result.stdout == ""
    assert listed() == [] and _wallet_bytes(wallet) == before


def test_evidence_too_large_is_refused_before_the_passphrase(wallet, tmp_path):
    from lerwallet.record.records import MAX_EVIDENCE_FILE

    big = tmp_path / "video.mp4"
    with open(big, "wb") as f:
        f.truncate(MAX_EVIDENCE_FILE + 1)
    before = _wallet_bytes(wallet)
    result = CliRunner().invoke(app, ["add", "work", "--title", "T", "--org", "O", "--from", "2020", "--evidence", str(big)],
                                env={"COLUMNS": "200"}, catch_exceptions=False)  # no passphrase: never asked
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"lerwallet: error: evidence file {big} is larger than 10 MiB",
                                          "lerwallet: hint: evidence files are kept in the wallet up to 10 MiB each; "
                                          "link a larger one with --evidence URL"]
    assert _wallet_bytes(wallet) == before
    # Three files under the per-file cap but over 25 MiB together.
    parts = []
    for i in range(3):
        part = tmp_path / f"part{i}.bin"
        with open(part, "wb") as f:
            f.truncate(9 * 1024 * 1024)
        parts += ["--evidence", str(part)]
    result = run("add", "work", "--title", "T", "--org", "O", "--from", "2020", *parts)
    assert result.exit_code == 2 and "larger than 25 MiB together" in result.stderr
    assert listed() == [] and _wallet_bytes(wallet) == before


def test_an_identity_without_a_private_key_and_a_wallet_without_identities(wallet, tmp_path, monkeypatch):
    with Wallet.open(wallet, PW.encode()) as w:
        rid, data = identity._find_record(w, "main")
        for key in data["keys"]:
            key.pop("private")
        w.put(identity.KIND, rid, data)
    before = _wallet_bytes(wallet)
    result = run("add", "award", "--title", "Prize", "--org", "Club", "--from", "2020")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "lerwallet: error: identity 'main' has no private key in this wallet: it cannot sign"
    assert result.stderr.splitlines()[1].startswith("lerwallet: hint: choose another with --identity NAME")
    assert listed() == [] and _wallet_bytes(wallet) == before

    bare = tmp_path / "bare"
    Wallet.create(bare, PW.encode()).close()
    monkeypatch.setenv("LERWALLET_HOME", str(bare))
    before = _wallet_bytes(bare)
    result = run("add", "award", "--title", "Prize", "--org", "Club", "--from", "2020")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["lerwallet: error: this wallet has no identity to sign your records with",
                                          "lerwallet: hint: create one with: lerwallet did create --name main, then: lerwallet did use main"]
    assert _wallet_bytes(bare) == before


def test_from_file_adds_every_record_or_none(wallet, tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "poster.png").write_bytes(b"\x89PNG\r\n\x1a\nposter")
    records = [
        {"kind": "volunteer", "title": "Coach", "org": "City Youth FC", "from": "2019", "to": "2022-06",
         "skills": ["Coaching"], "evidence": ["docs/poster.png"]},
        {"kind": "publication", "title": "Skills-based hiring", "org": "Journal of LERs", "from": "2024-02-01",
         "url": "https://doi.org/10.1234/ler.5678",
         "alignments": [{"targetName": "Technical writing", "targetUrl": "https://example.org/skills/writing",
                         "targetFramework": "Example framework", "targetCode": "W1"}],
         "skill_codes": ["lightcast:KS1200364C9C1LK3V5Q1=Communication"]},
    ]
    path = tmp_path / "records.json"
    path.write_text(json.dumps(records))
    added = json.loads(ok("add", "--from-file", str(path), "--json").stdout)
    assert [a["kind"] for a in added] == ["volunteer", "publication"]
    assert added[0]["evidence_files"][0]["name"] == "poster.png"
    pub = raw(added[1]["id"])["credentialSubject"]["achievement"]
    assert [a["targetName"] for a in pub["alignment"]] == ["Communication", "Technical writing"]
    assert pub["alignment"][0]["targetUrl"] == "https://lightcast.io/open-skills/skills/KS1200364C9C1LK3V5Q1"
    # One bad record in the file: none of them is stored.
    before = _wallet_bytes(wallet)
    bad = records + [{"kind": "work", "title": "X", "org": "Y", "from": "2020", "to": "2019"}]
    path.write_text(json.dumps(bad))
    result = run("add", "--from-file", str(path))
    assert result.exit_code == 2 and "--to 2019-01-01 is before --from 2020-01-01" in result.stderr
    assert len(listed()) == 2 and _wallet_bytes(wallet) == before
    path.write_text(json.dumps({"kind": "work", "title": "X", "org": "Y", "from": "2020", "employer": "Z"}))
    result = run("add", "--from-file", str(path))
    assert result.exit_code == 2 and result.stderr.splitlines()[0] == "lerwallet: error: records.json: unknown field 'employer'"
    # stdin works too.
    one = json.dumps({"kind": "military", "title": "Signals", "org": "Army", "from": "2010", "to": "2012"})
    result = run("add", "--from-file", "-", "--json", input=one)
    assert result.exit_code == 0 and json.loads(result.stdout)["kind"] == "military"


def test_edit_makes_a_new_version_and_keeps_the_old_one_superseded(wallet, tmp_path):
    evidence = tmp_path / "certificate.txt"
    evidence.write_bytes(b"certificate of service")
    first = json.loads(ok("add", "volunteer", "--title", "Coach", "--org", "City Youth FC", "--from", "2019",
                          "--evidence", str(evidence), "--skill", "Coaching", "--json").stdout)
    second = json.loads(ok("edit", first["id"][:8], "--to", "2022-06", "--role", "Head coach", "--json").stdout)
    assert second["supersedes"] == first["id"] and second["id"] != first["id"]
    new = raw(second["id"])
    assert new["credentialSubject"]["activityEndDate"] == "2022-06-01T00:00:00Z"
    assert new["credentialSubject"]["role"] == "Head coach"
    assert new["credentialSubject"]["achievement"]["tag"] == ["Coaching"]  # kept
    assert new["evidence"] == raw(first["id"])["evidence"]  # the same file, by digest
    assert stored_checks(second["id"])["proof"]["outcome"] == "pass"
    assert [r["id"] for r in listed()] == [second["id"]]
    everything = {r["id"]: r for r in listed("--all")}
    assert everything[first["id"]]["superseded_by"] == second["id"] and everything[second["id"]]["superseded_by"] is None
    assert "superseded" in next(line for line in ok("list", "--all").stdout.splitlines() if first["id"][:10] in line)
    # The old version cannot be edited again; the new one's evidence file was copied with it.
    result = run("edit", first["id"], "--to", "2023")
    assert result.exit_code == 2 and "was already replaced by" in result.stderr
    out = tmp_path / "out"
    assert ok("show", second["id"], "--evidence-out", str(out)).stdout.strip() == str(out / "certificate.txt")
    assert (out / "certificate.txt").read_bytes() == b"certificate of service"
    # Deleting the new version makes the old one current again, with its evidence intact.
    ok("delete", second["id"], "--yes")
    assert [(r["id"], r["superseded_by"]) for r in listed()] == [(first["id"], None)]
    out2 = tmp_path / "out2"
    ok("show", first["id"], "--evidence-out", str(out2))
    assert (out2 / "certificate.txt").read_bytes() == b"certificate of service"
    # Deleting a record removes its evidence files from the store.
    with Wallet.open(wallet, PW.encode()) as w:
        assert len(w.ids("credential-evidence")) == 1
    ok("delete", first["id"], "--yes")
    with Wallet.open(wallet, PW.encode()) as w:
        assert w.ids("credential-evidence") == []


def test_edit_replaces_evidence_and_refuses_credentials_issued_by_others(wallet, tmp_path):
    from verify_helpers import Party, badge

    first = json.loads(ok("add", "project", "--title", "Robot", "--org", "Makerspace", "--from", "2023",
                          "--evidence", "https://example.org/robot", "--json").stdout)
    pic = tmp_path / "robot.jpg"
    pic.write_bytes(b"\xff\xd8\xff robot")
    second = json.loads(ok("edit", first["id"], "--evidence", str(pic), "--json").stdout)
    assert [e["name"] for e in raw(second["id"])["evidence"]] == ["robot.jpg"]
    college = Party()
    me = my_did(wallet)
    issued = tmp_path / "issued.json"
    issued.write_text(json.dumps(college.sign(badge(college, subject=me))))
    ok("import", str(issued))
    other = next(r for r in listed() if not r["self_attested"])
    result = run("edit", other["id"], "--to", "2024")
    assert result.exit_code == 2
    assert "was issued by someone else: only your own records can be edited" in result.stderr
    result = run("edit", second["id"])
    assert result.exit_code == 2 and "nothing to change" in result.stderr


def test_evidence_out_never_overwrites(wallet, tmp_path):
    evidence = tmp_path / "a.txt"
    evidence.write_bytes(b"A")
    added = json.loads(ok("add", "award", "--title", "Prize", "--org", "Club", "--from", "2020",
                          "--evidence", str(evidence), "--json").stdout)
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.txt").write_bytes(b"mine")
    result = run("show", added["id"], "--evidence-out", str(out))
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert (out / "a.txt").read_bytes() == b"mine"


def test_presentations_label_and_verify_self_attested_records(wallet, tmp_path):
    added = json.loads(ok("add", "internship", "--title", "Summer intern", "--org", "Lab", "--from", "2022-06",
                          "--to", "2022-08", "--json").stdout)
    vp = tmp_path / "vp.json"
    result = ok("present", added["id"], "--domain", "jobs.example", "--challenge", "c-1", "--out", str(vp), "--yes")
    assert f"self-attested by {added['issuer']} (not verified by a third party)" in result.stderr
    report = json.loads(ok("verify", str(vp), "--challenge", "c-1", "--domain", "jobs.example", "--json").stdout)
    cred = report["inputs"][0]["credentials"][0]
    trust = next(c for c in cred["checks"] if c["id"] == "issuer.trust")
    assert trust["reason"].startswith(f"self-attested by the holder {added['issuer']}")
    assert cred["self_attested"] is True and report["verdict"] == "valid"


def test_build_and_read_round_trip():
    from lerwallet.record.build import Alignment, Evidence, parse_skill_code

    rec = validate(RecordInput(kind="education", title="MSc Data Science", org="Uni", start="2015-09", end="2017-07",
                               role="Student", location="Leiden", skills=["Statistics"],
                               alignments=[parse_skill_code(f"esco:{ESCO_PYTHON}=Python")], url="https://uni.example/msc",
                               evidence=[Evidence(url="https://uni.example/thesis"),
                                         Evidence(name="t.pdf", sha256="ab" * 32, size=12, media_type="application/pdf")]))
    doc = build(rec, "did:example:me", issued="2026-01-01T00:00:00Z")
    assert read(doc) == rec
    assert isinstance(rec.alignments[0], Alignment)
