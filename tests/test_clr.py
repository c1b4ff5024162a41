"""CLR 2.0: one record for the CLR, one for every credential inside it, each verified on its
own (and the CLR's own proof too); listed, shown, searched, presented and deleted as the docs say.

Every CLR here is made in the test: a ClrCredential signed by a fresh key holding OB 3.0
AchievementCredentials, each signed too (real Ed25519, real RDFC-1.0). The 1EdTech CLR 2.0 test
vector (tests/vectors/proofs/1edtech/clrv2p0/, provenance in that folder) is read as published.
"""

from __future__ import annotations

import copy
import io
import json
import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lerwallet.cli.app import app
from lerwallet.formats import Envelope
from lerwallet.verify import Options
from lerwallet.verify.pipeline import verify_envelope
from tests.clr_helpers import achievement_credential, clr, signed_clr
from tests.verify_helpers import Party, write

PW = "clr tests"
ENV = {"LERWALLET_PASSPHRASE": PW}
VECTOR = Path(__file__).parent / "vectors" / "proofs" / "1edtech" / "clrv2p0" / "credential-signed.json"


def run(*args, input=None):
    result = CliRunner().invoke(app, list(args), env=ENV, input=input, catch_exceptions=False)
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    return result


def rows(*args) -> list[dict]:
    r = run("list", "--json", *args)
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


@pytest.fixture(scope="module")
def issuer():
    return Party()


@pytest.fixture(scope="module")
def transcript(issuer):
    return signed_clr(issuer, 3)


@pytest.fixture
def wallet(isolated_home):
    assert run("init").exit_code == 0
    return isolated_home


def _verify(doc) -> dict:
    env = Envelope(source="clr.json", container="json", unverified=doc)
    return verify_envelope(env, Options()).credentials[0]


def test_import_keeps_the_clr_and_indexes_each_nested_credential(wallet, transcript, tmp_path):
    r = run("import", str(write(tmp_path / "clr.json", transcript)))
    assert r.exit_code == 0, r.stderr
    assert "CLR item 0" in r.stdout and "CLR item 2" in r.stdout
    listed = rows()
    assert len(listed) == 4
    [parent] = [x for x in listed if x["kind"] == "ClrCredential"]
    nested = [x for x in listed if x["clr"]]
    assert parent["clr"] == "" and parent["status"] == "verified"
    assert sorted(x["title"] for x in nested) == ["Course 1", "Course 2", "Course 3"]
    assert {x["clr"] for x in nested} == {parent["id"]}
    assert all(x["status"] == "verified" and x["kind"] == "AchievementCredential" for x in nested)
    # Each nested record holds its own credential, with its own proof, verbatim as data.
    shown = json.loads(run("show", nested[0]["id"], "--json").stdout)
    assert shown["summary"]["clr"] == {"id": parent["id"], "title": "Transcript"}
    assert shown["credential"]["proof"] and shown["credential"]["name"] == nested[0]["title"]
    assert any(c["id"] == "proof" and c["outcome"] == "pass" for c in shown["checks"])
    inside = {json.dumps(c, sort_keys=True) for c in transcript["credentialSubject"]["verifiableCredential"]}
    assert json.dumps(shown["credential"], sort_keys=True) in inside


def test_show_of_a_clr_lists_its_credentials_achievements_and_associations(wallet, transcript, tmp_path):
    run("import", str(write(tmp_path / "clr.json", transcript)))
    [parent] = [x for x in rows() if x["kind"] == "ClrCredential"]
    shown = json.loads(run("show", parent["id"], "--json").stdout)
    assert [c["title"] for c in shown["contents"]] == ["Course 1", "Course 2", "Course 3"]
    contents = shown["details"]["clr_contents"]
    assert [a["name"] for a in contents["achievements"]] == ["Course 1", "Course 2", "Course 3"]
    assert contents["associations"] == [{"type": "isParentOf", "source": "https://example.edu/achievements/1",
                                         "target": "https://example.edu/achievements/2",
                                         "source_name": "Course 1", "target_name": "Course 2"}]
    check = next(c for c in shown["checks"] if c["id"] == "clr.credentials")
    assert check["outcome"] == "pass"
    text = run("show", parent["id"][:8]).stdout
    assert "credentials (3)" in text and "associations (1)" in text and "Course 1 isParentOf Course 2" in text
    nested = run("show", shown["contents"][0]["id"]).stdout
    assert f"the CLR {parent['id'][:10]} Transcript" in nested


def test_importing_a_clr_twice_is_a_duplicate(wallet, transcript, tmp_path):
    f = str(write(tmp_path / "clr.json", transcript))
    assert run("import", f).exit_code == 0
    r = run("import", f, "--json")
    assert r.exit_code == 0
    out = json.loads(r.stdout)
    assert len(out) == 4 and all(x["duplicate"] and not x["stored"] for x in out)
    assert len(rows()) == 4


def test_deleting_the_clr_deletes_its_contents_and_a_nested_one_is_not_deleted_alone(wallet, transcript, tmp_path):
    run("import", str(write(tmp_path / "clr.json", transcript)))
    listed = rows()
    parent = next(x for x in listed if x["kind"] == "ClrCredential")
    child = next(x for x in listed if x["clr"])
    r = run("delete", child["id"], "--yes")
    assert r.exit_code == 2
    assert f"lerwallet: error: credential {child['id'][:10]} is part of the CLR {parent['id'][:10]}" in r.stderr
    assert f"lerwallet delete {parent['id'][:10]}" in r.stderr
    assert len(rows()) == 4
    r = run("delete", parent["id"], "--yes", "--json")
    assert r.exit_code == 0
    out = json.loads(r.stdout)
    assert out["deleted"] and sorted(out["with"]) == sorted(x["id"] for x in listed if x["clr"])
    assert rows() == []
    # Gone with their duplicate index rows: the same CLR imports afresh.
    assert run("import", str(tmp_path / "clr.json")).exit_code == 0 and len(rows()) == 4


def test_a_forged_nested_credential_refuses_the_clr_even_when_the_clr_proof_holds(wallet, issuer, tmp_path):
    nested = [issuer.sign(achievement_credential(issuer, i + 1)) for i in range(2)]
    nested[1]["credentialSubject"]["achievement"]["name"] = "Course 2 with Distinction"  # after its issuer signed
    doc = issuer.sign(clr(issuer, nested))  # the CLR's own proof covers the forged one
    report = _verify(doc)
    assert report.check("proof").outcome == "pass"
    check = report.check("clr.credentials")
    assert (check.outcome, check.code) == ("fail", "clr_nested_invalid")
    assert "[1] Course 2" in check.reason and "proof failed" in check.reason
    assert [n.verdict for n in report.nested] == ["valid", "invalid"]
    r = run("import", str(write(tmp_path / "clr.json", doc)))
    assert r.exit_code == 1 and "not imported" in r.stderr
    assert rows() == []


def test_a_tampered_clr_is_refused_whole(wallet, transcript, tmp_path):
    doc = copy.deepcopy(transcript)
    doc["name"] = "Transcript (honours)"
    r = run("import", str(write(tmp_path / "clr.json", doc)))
    assert r.exit_code == 1 and "check proof failed" in r.stderr
    assert rows() == []


def test_an_expired_nested_credential_is_stored_expired_and_the_clr_warns(wallet, issuer, tmp_path):
    old = issuer.sign(achievement_credential(issuer, 1, name="Old course", validUntil="2020-01-01T00:00:00Z",
                                             valid_from="2019-01-01T00:00:00Z"))
    fresh = issuer.sign(achievement_credential(issuer, 2, name="New course"))
    doc = issuer.sign(clr(issuer, [old, fresh]))
    check = _verify(doc).check("clr.credentials")
    assert (check.outcome, check.code) == ("warn", "clr_nested_warning") and "1 out of date" in check.reason
    assert run("import", str(write(tmp_path / "clr.json", doc))).exit_code == 0
    status = {x["title"]: x["status"] for x in rows()}
    assert status == {"Transcript": "verified", "Old course": "expired", "New course": "verified"}


def test_nested_credentials_are_found_by_the_filters_and_presented_on_their_own(wallet, issuer, tmp_path):
    did = json.loads(run("did", "list", "--json").stdout)[0]["did"]
    doc = signed_clr(issuer, 3, subject=did)
    assert run("import", str(write(tmp_path / "clr.json", doc))).exit_code == 0
    found = rows("--skill", "statistics")
    assert [x["title"] for x in found] == ["Course 2"] and found[0]["clr"]
    r = run("present", found[0]["id"], "--domain", "jobs.example", "--challenge", "c1", "--out", str(tmp_path / "vp.json"), "--yes")
    assert r.exit_code == 0, r.stderr
    vp = json.loads((tmp_path / "vp.json").read_text())
    assert [c["name"] for c in vp["verifiableCredential"]] == ["Course 2"]
    assert run("verify", str(tmp_path / "vp.json"), "--challenge", "c1", "--domain", "jobs.example").exit_code == 0


def test_recheck_of_a_nested_credential_verifies_it_on_its_own(wallet, transcript, tmp_path):
    run("import", str(write(tmp_path / "clr.json", transcript)))
    child = next(x for x in rows() if x["clr"])
    r = run("recheck", child["id"], "--json")
    assert r.exit_code == 0
    assert json.loads(r.stdout)[0]["status"] == "verified"


def test_a_nested_jwt_credential_is_read_and_verified(wallet, issuer, tmp_path):
    from lerwallet.proofs.jose import sign_jwt

    body = achievement_credential(issuer, 9, name="JWT course")
    token = sign_jwt(body, key_type="ed25519", private_key=issuer.private, kid=issuer.vm)
    doc = issuer.sign(clr(issuer, [issuer.sign(achievement_credential(issuer, 1)), token]))
    report = _verify(doc)
    assert [n.verdict for n in report.nested] == ["valid", "valid"], [n.checks for n in report.nested]
    assert run("import", str(write(tmp_path / "clr.json", doc))).exit_code == 0
    jwt_row = next(x for x in rows() if x["title"] == "JWT course")
    assert jwt_row["clr"] and run("show", jwt_row["id"], "--raw").stdout.strip() == token


def test_a_clr_in_a_zip_keeps_its_references(wallet, transcript, issuer, tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a-badge.json", json.dumps(issuer.sign(achievement_credential(issuer, 50, name="Loose badge"))))
        z.writestr("b-clr.json", json.dumps(transcript))
    (tmp_path / "export.zip").write_bytes(buf.getvalue())
    assert run("import", str(tmp_path / "export.zip")).exit_code == 0
    listed = rows()
    parent = next(x for x in listed if x["kind"] == "ClrCredential")
    assert {x["title"]: x["clr"] for x in listed if x["title"] != "Transcript"} == {
        "Loose badge": "", "Course 1": parent["id"], "Course 2": parent["id"], "Course 3": parent["id"]}


def test_the_1edtech_clr_vector_imports_with_its_nested_credential(wallet):
    r = run("import", str(VECTOR), "--json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    # Offline, the example.edu issuer key cannot be resolved: both are kept as inconclusive.
    assert [(x["title"], x["status"], x["via"]) for x in out] == [
        ("Sample Transcript", "inconclusive", ""), ("Example University Degree", "inconclusive", "clr")]


# --- hostile input ----------------------------------------------------------------------------


def test_a_clr_with_10000_nested_credentials_is_capped_before_any_proof_is_checked(wallet, issuer, tmp_path):
    entries = [{"type": ["VerifiableCredential"]} for _ in range(10_000)]
    doc = clr(issuer, entries, associations=False)
    doc["proof"] = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "proofPurpose": "assertionMethod",
                    "verificationMethod": issuer.vm, "proofValue": "z1111"}
    start = time.perf_counter()
    report = _verify(doc)
    assert time.perf_counter() - start < 5  # generous: the cap comes before canonicalizing 10,000 nodes
    check = report.check("clr.credentials")
    assert (check.outcome, check.code) == ("fail", "clr_too_many")
    assert "10,000 credentials; at most 1,000" in check.reason
    assert report.check("proof").outcome == "skipped" and report.nested == []
    r = run("import", str(write(tmp_path / "big.json", doc)))
    assert r.exit_code == 1 and "at most 1,000 are read" in r.stderr
    assert rows() == []


def test_a_clr_inside_a_clr_is_refused_not_read(wallet, issuer, tmp_path):
    inner = signed_clr(issuer, 1, name="Inner", subject="did:example:someone-else")
    doc = clr(issuer, [inner], associations=False, name="Outer")
    # The CLR context does not keep nested credentials in graphs of their own: what the outer
    # CLR shows must match the merged graph (structure.graph), so it names the same achievements.
    doc["credentialSubject"]["achievement"] = inner["credentialSubject"]["achievement"]
    doc = issuer.sign(doc)
    report = _verify(doc)
    check = report.check("clr.credentials")
    assert (check.outcome, check.code) == ("fail", "clr_nested_clr")
    assert report.nested[0].checks[0].id == "clr.nested" and report.nested[0].nested == []
    assert run("import", str(write(tmp_path / "nested.json", doc))).exit_code == 1
    assert rows() == []


def test_an_unreadable_nested_entry_refuses_the_clr(wallet, issuer, tmp_path):
    doc = issuer.sign(clr(issuer, [issuer.sign(achievement_credential(issuer, 1)), 42], associations=False))
    check = _verify(doc).check("clr.credentials")
    assert (check.outcome, check.code) == ("fail", "clr_nested_invalid")
    assert run("import", str(write(tmp_path / "odd.json", doc))).exit_code == 1
    assert rows() == []


def test_the_bundled_clr_schemas_are_the_files_their_readme_names():
    import hashlib
    import re

    import lerwallet.verify.schema as schema_mod

    folder = Path(schema_mod.__file__).parent / "schemas"
    listed = dict((name, digest) for digest, name in re.findall(r"^([0-9a-f]{64})  (clr_v2p0_\w+\.json)$",
                                                                (folder / "README.md").read_text(), re.M))
    files = sorted(p.name for p in (folder / "clr_v2p0").glob("*.json"))
    assert sorted(listed) == files and len(files) == 5
    for name in files:
        data = (folder / "clr_v2p0" / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == listed[name]
        assert json.loads(data)["$id"] == f"https://purl.imsglobal.org/spec/clr/v2p0/schema/json/{name}"


def test_skills_count_each_nested_credential_once_and_not_the_clr_again(wallet, transcript, tmp_path):
    run("import", str(write(tmp_path / "clr.json", transcript)))
    r = run("skills", "--json")
    assert r.exit_code == 0, r.stderr
    skills = {s["name"]: [c["title"] for c in s["credentials"]] for s in json.loads(r.stdout)}
    assert skills == {"Python": ["Course 1"], "Statistics": ["Course 2"], "Writing": ["Course 3"]}
    assert [x["title"] for x in rows("--skill", "writing")] == ["Course 3"]


# --- a credential imported on its own before the CLR that holds it (issue #11) ------------------


def _nested(transcript, i: int) -> dict:
    return transcript["credentialSubject"]["verifiableCredential"][i]


def test_a_credential_imported_alone_first_is_linked_to_the_clr_not_stored_twice(wallet, transcript, tmp_path):
    alone = run("import", str(write(tmp_path / "course1.json", _nested(transcript, 0))), "--json")
    [first] = json.loads(alone.stdout)
    assert first["stored"]
    r = run("import", str(write(tmp_path / "clr.json", transcript)), "--json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert [x["duplicate"] for x in out] == [False, True, False, False]
    assert out[1]["id"] == first["id"]  # the record stored first, not a second copy
    listed = rows()
    assert len(listed) == 4
    parent = next(x for x in listed if x["kind"] == "ClrCredential")
    assert {x["title"]: x["clr"] for x in listed if x["clr"]} == {
        "Course 1": parent["id"], "Course 2": parent["id"], "Course 3": parent["id"]}
    shown = json.loads(run("show", parent["id"], "--json").stdout)
    assert [c["title"] for c in shown["contents"]] == ["Course 1", "Course 2", "Course 3"]
    assert f"the CLR {parent['id'][:10]} Transcript" in run("show", first["id"]).stdout
    # The skills the CLR names are counted once, from the credentials, not from the CLR again.
    skills = {s["name"]: [c["title"] for c in s["credentials"]] for s in json.loads(run("skills", "--json").stdout)}
    assert skills == {"Python": ["Course 1"], "Statistics": ["Course 2"], "Writing": ["Course 3"]}


def test_within_one_zip_a_loose_copy_before_the_clr_is_linked_too(wallet, transcript, tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a-course2.json", json.dumps(_nested(transcript, 1)))
        z.writestr("b-clr.json", json.dumps(transcript))
    (tmp_path / "export.zip").write_bytes(buf.getvalue())
    assert run("import", str(tmp_path / "export.zip")).exit_code == 0
    listed = rows()
    parent = next(x for x in listed if x["kind"] == "ClrCredential")
    assert len(listed) == 4 and all(x["clr"] == parent["id"] for x in listed if x is not parent)


def test_reimporting_a_clr_links_a_credential_an_older_import_left_unlinked(wallet, transcript, tmp_path):
    """Wallets filled before this fix hold such unlinked copies: importing the CLR again links them."""
    from lerwallet.store import credentials
    from lerwallet.store.vault import Wallet

    run("import", str(write(tmp_path / "course3.json", _nested(transcript, 2))))
    run("import", str(write(tmp_path / "clr.json", transcript)))
    course3 = next(x for x in rows() if x["title"] == "Course 3")
    parent = next(x for x in rows() if x["kind"] == "ClrCredential")
    with Wallet.open(wallet, PW.encode()) as w:  # undo the link, as the older code stored it
        data = w.get(credentials.KIND, course3["id"])
        with w.transaction():
            w.put(credentials.KIND, course3["id"], {**data, "summary": {k: v for k, v in data["summary"].items() if k != "clr"}})
            clr_data = w.get(credentials.KIND, parent["id"])
            members = [m for m in clr_data["summary"]["clr_members"] if m != course3["id"]]
            w.put(credentials.KIND, parent["id"], {**clr_data, "summary": {**clr_data["summary"], "clr_members": members}})
    assert next(x for x in rows() if x["title"] == "Course 3")["clr"] == ""
    assert run("import", str(tmp_path / "clr.json")).exit_code == 0
    assert next(x for x in rows() if x["title"] == "Course 3")["clr"] == parent["id"]
    shown = json.loads(run("show", parent["id"], "--json").stdout)
    assert sorted(c["title"] for c in shown["contents"]) == ["Course 1", "Course 2", "Course 3"]


def test_deleting_the_clr_keeps_a_credential_imported_on_its_own(wallet, transcript, tmp_path):
    [first] = json.loads(run("import", str(write(tmp_path / "course1.json", _nested(transcript, 0))), "--json").stdout)
    run("import", str(write(tmp_path / "clr.json", transcript)))
    parent = next(x for x in rows() if x["kind"] == "ClrCredential")
    refused = run("delete", first["id"], "--yes")  # while the CLR holds it, it goes with the CLR
    assert refused.exit_code == 2 and f"is part of the CLR {parent['id'][:10]}" in refused.stderr
    r = run("delete", parent["id"], "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert len(out["with"]) == 2 and out["kept"] == [first["id"]]
    assert "Kept 1 credential(s) it held that were imported on their own" in r.stderr
    [left] = rows()
    assert (left["id"], left["title"], left["clr"]) == (first["id"], "Course 1", "")
    assert run("delete", first["id"], "--yes").exit_code == 0 and rows() == []


def test_recheck_of_a_clr_rechecks_the_credentials_inside_it(wallet, transcript, tmp_path):
    run("import", str(write(tmp_path / "clr.json", transcript)))
    parent = next(x for x in rows() if x["kind"] == "ClrCredential")
    r = run("recheck", parent["id"][:8], "--json")
    assert r.exit_code == 0, r.stderr
    rechecked = json.loads(r.stdout)
    assert [x["title"] for x in rechecked] == ["Transcript", "Course 1", "Course 2", "Course 3"]
    assert {x["status"] for x in rechecked} == {"verified"}
    # Named together with one of its credentials: each is rechecked once.
    child = next(x for x in rows() if x["clr"])
    again = json.loads(run("recheck", child["id"], parent["id"], "--json").stdout)
    assert sorted(x["id"] for x in again) == sorted(x["id"] for x in rows())


def test_restore_merge_links_a_credential_the_wallet_held_alone_to_the_backups_clr(wallet, transcript, tmp_path, monkeypatch):
    run("import", str(write(tmp_path / "clr.json", transcript)))
    backup = tmp_path / "w.backup"
    assert run("backup", "--out", str(backup)).exit_code == 0
    before = {x["title"]: x for x in rows()}
    other = tmp_path / "other"
    monkeypatch.setenv("LERWALLET_HOME", str(other))
    assert run("init").exit_code == 0
    [alone] = json.loads(run("import", str(write(tmp_path / "course2.json", _nested(transcript, 1))), "--json").stdout)
    merged = run("restore", str(backup), "--merge", "--json")
    assert merged.exit_code == 0, merged.stderr
    assert json.loads(merged.stdout)["records"]["credential"] == 3  # Course 2 was here already
    after = {x["title"]: x for x in rows()}
    parent = after["Transcript"]
    assert after["Course 2"]["id"] == alone["id"]
    assert {t: x["clr"] for t, x in after.items()} == {
        "Transcript": "", "Course 1": parent["id"], "Course 2": parent["id"], "Course 3": parent["id"]}
    shown = json.loads(run("show", parent["id"], "--json").stdout)
    assert sorted(c["title"] for c in shown["contents"]) == ["Course 1", "Course 2", "Course 3"]
    assert {c["id"] for c in shown["contents"]} == {after[t]["id"] for t in ("Course 1", "Course 2", "Course 3")}
    assert parent["id"] == before["Transcript"]["id"]
    # Deleting the CLR keeps Course 2: it was in this wallet on its own.
    r = run("delete", parent["id"], "--yes", "--json")
    assert json.loads(r.stdout)["kept"] == [alone["id"]] and [x["title"] for x in rows()] == ["Course 2"]


def test_restore_when_the_clrs_id_is_taken_follows_it_to_its_new_id(wallet, transcript, tmp_path, monkeypatch):
    """A record id already used here by another credential: the CLR gets a new id, and its
    credentials' references and its list of contents follow it."""
    from lerwallet.store import credentials
    from lerwallet.store.vault import Wallet

    run("import", str(write(tmp_path / "clr.json", transcript)))
    parent = next(x for x in rows() if x["kind"] == "ClrCredential")
    backup = tmp_path / "w.backup"
    assert run("backup", "--out", str(backup)).exit_code == 0
    other = tmp_path / "other"
    monkeypatch.setenv("LERWALLET_HOME", str(other))
    assert run("init").exit_code == 0
    [squatter] = json.loads(run("import", str(write(tmp_path / "loose.json", _nested(transcript, 0) | {"id": "urn:x"})),
                                "--allow-invalid", "--json").stdout)
    with Wallet.open(other, PW.encode()) as w:  # give it the CLR's record id (ids are random: a collision, made)
        data = w.get(credentials.KIND, squatter["id"])
        original = credentials.get_original(w, squatter["id"])
        credentials.delete_credential(w, squatter["id"])
        credentials.restore_credential(w, parent["id"], data, original, None)
    assert run("restore", str(backup), "--merge").exit_code == 0
    after = rows()
    [clr_here] = [x for x in after if x["kind"] == "ClrCredential"]
    assert clr_here["id"] != parent["id"]
    assert sorted(x["title"] for x in after if x["clr"] == clr_here["id"]) == ["Course 1", "Course 2", "Course 3"]
    shown = json.loads(run("show", clr_here["id"], "--json").stdout)
    assert sorted(c["title"] for c in shown["contents"]) == ["Course 1", "Course 2", "Course 3"]


@pytest.fixture
def two_transcripts(issuer, transcript):
    """A second CLR (another registrar's transcript) that holds Course 2 of `transcript` too,
    byte for byte, and a course of its own."""
    from tests.clr_helpers import clr as make_clr

    shared = _nested(transcript, 1)
    own = issuer.sign(achievement_credential(issuer, 7, name="Course 7"))
    other = make_clr(issuer, [own, shared], name="Evening school transcript")
    other["id"] = "urn:uuid:11111111-0000-4000-8000-000000000002"
    return transcript, issuer.sign(other)


def _by_title() -> dict:
    return {x["title"]: x for x in rows()}


def test_a_credential_in_two_clrs_stays_while_the_second_holds_it(wallet, two_transcripts, tmp_path):
    first, second = two_transcripts
    assert run("import", str(write(tmp_path / "a.json", first))).exit_code == 0
    r = run("import", str(write(tmp_path / "b.json", second)), "--json")
    assert [x["duplicate"] for x in json.loads(r.stdout)] == [False, False, True]  # Course 2: stored once
    listed = _by_title()
    a, b, course2 = listed["Transcript"], listed["Evening school transcript"], listed["Course 2"]
    assert course2["clr"] == a["id"]
    r = run("delete", a["id"], "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert sorted(out["with"]) == sorted([listed["Course 1"]["id"], listed["Course 3"]["id"]])
    assert out["kept"] == [course2["id"]]
    left = _by_title()
    assert sorted(left) == ["Course 2", "Course 7", "Evening school transcript"]
    assert left["Course 2"]["clr"] == b["id"]  # its reference moved to the CLR that still holds it
    shown = json.loads(run("show", b["id"], "--json").stdout)
    assert sorted(c["title"] for c in shown["contents"]) == ["Course 2", "Course 7"]
    assert f"the CLR {b['id'][:10]} Evening school transcript" in run("show", course2["id"]).stdout
    refused = run("delete", course2["id"], "--yes")
    assert refused.exit_code == 2 and f"is part of the CLR {b['id'][:10]}" in refused.stderr
    r = run("delete", b["id"], "--yes", "--json")
    assert sorted(json.loads(r.stdout)["with"]) == sorted([course2["id"], left["Course 7"]["id"]])
    assert rows() == []


def test_deleting_the_second_clr_keeps_what_the_first_holds(wallet, two_transcripts, tmp_path):
    first, second = two_transcripts
    run("import", str(write(tmp_path / "a.json", first)), str(write(tmp_path / "b.json", second)))
    listed = _by_title()
    r = run("delete", listed["Evening school transcript"]["id"], "--yes", "--json")
    out = json.loads(r.stdout)
    assert out["with"] == [listed["Course 7"]["id"]] and out["kept"] == [listed["Course 2"]["id"]]
    assert _by_title()["Course 2"]["clr"] == listed["Transcript"]["id"]
    run("delete", listed["Transcript"]["id"], "--yes")
    assert rows() == []


def test_a_credential_imported_alone_after_its_clr_stays_when_the_clr_goes(wallet, transcript, tmp_path):
    run("import", str(write(tmp_path / "clr.json", transcript)))
    [again] = json.loads(run("import", str(write(tmp_path / "course3.json", _nested(transcript, 2))), "--json").stdout)
    assert again["duplicate"]
    parent = _by_title()["Transcript"]
    assert _by_title()["Course 3"]["clr"] == parent["id"]  # still shown as the CLR's
    out = json.loads(run("delete", parent["id"], "--yes", "--json").stdout)
    assert out["kept"] == [again["id"]] and len(out["with"]) == 2
    [left] = rows()
    assert (left["id"], left["title"], left["clr"]) == (again["id"], "Course 3", "")


def test_in_two_clrs_and_imported_alone_it_outlives_both(wallet, two_transcripts, tmp_path):
    first, second = two_transcripts
    run("import", str(write(tmp_path / "a.json", first)), str(write(tmp_path / "b.json", second)))
    run("import", str(write(tmp_path / "course2.json", _nested(first, 1))))
    listed = _by_title()
    run("delete", listed["Transcript"]["id"], "--yes")
    assert _by_title()["Course 2"]["clr"] == listed["Evening school transcript"]["id"]
    out = json.loads(run("delete", listed["Evening school transcript"]["id"], "--yes", "--json").stdout)
    assert out["kept"] == [listed["Course 2"]["id"]]
    [left] = rows()
    assert (left["title"], left["clr"]) == ("Course 2", "")


def test_deleting_a_damaged_clr_keeps_what_another_clr_or_the_learner_holds(wallet, two_transcripts, tmp_path):
    import sqlite3

    from lerwallet.store.vault import DB_NAME

    first, second = two_transcripts
    run("import", str(write(tmp_path / "course1.json", _nested(first, 0))))
    run("import", str(write(tmp_path / "a.json", first)), str(write(tmp_path / "b.json", second)))
    listed = _by_title()
    conn = sqlite3.connect(wallet / DB_NAME)
    conn.execute("UPDATE records SET sealed = zeroblob(60) WHERE kind = 'credential' AND id = ?",
                 (listed["Transcript"]["id"],))
    conn.commit()
    conn.close()
    r = run("delete", listed["Transcript"]["id"], "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["with"] == [listed["Course 3"]["id"]]  # held by nothing else
    assert sorted(out["kept"]) == sorted([listed["Course 1"]["id"], listed["Course 2"]["id"]])
    left = _by_title()
    assert {t: x["clr"] for t, x in left.items()} == {
        "Course 1": "", "Course 2": listed["Evening school transcript"]["id"], "Course 7": listed["Evening school transcript"]["id"],
        "Evening school transcript": ""}
