"""More of #12's self-attested records: a record signed by a did:web identity stays verified
when rechecked offline (the wallet knows its own DID documents), evidence files survive a backup
and restore, and a holder's own claim inside a presentation is self-attested too."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from lerwallet.cli.app import app

from verify_helpers import Party, badge, write

PW = "record more passphrase"


def run(*args, home=None):
    argv = (["--home", str(home)] if home else []) + list(args)
    result = CliRunner().invoke(app, argv, env={"LERWALLET_PASSPHRASE": PW, "COLUMNS": "200"}, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def ok(*args, home=None):
    result = run(*args, home=home)
    assert result.exit_code == 0, result.output
    return result


def test_a_did_web_record_stays_verified_when_rechecked_offline(isolated_home):
    ok("init")
    ok("did", "create", "--method", "web", "--domain", "learner.example/alice", "--name", "portfolio")
    added = json.loads(ok("add", "award", "--title", "Prize", "--org", "Club", "--from", "2020", "--identity", "portfolio",
                          "--json").stdout)
    assert added["status"] == "verified"
    rows = json.loads(ok("recheck", added["id"], "--json").stdout)
    assert rows[0]["status"] == "verified", rows


def test_evidence_files_survive_backup_and_restore(isolated_home, tmp_path):
    ok("init")
    evidence = tmp_path / "proof.txt"
    evidence.write_bytes(b"the evidence bytes")
    added = json.loads(ok("add", "project", "--title", "Robot", "--org", "Makerspace", "--from", "2023",
                          "--evidence", str(evidence), "--json").stdout)
    out = tmp_path / "w.backup"
    ok("backup", "--out", str(out))
    restored = tmp_path / "restored"
    ok("restore", str(out), home=restored)
    rows = json.loads(ok("list", "--json", home=restored).stdout)
    assert [(r["id"], r["self_attested"]) for r in rows] == [(added["id"], True)]
    ok("show", added["id"], "--evidence-out", str(tmp_path / "back"), home=restored)
    assert (tmp_path / "back" / "proof.txt").read_bytes() == b"the evidence bytes"


def test_a_holder_claim_in_a_presentation_is_self_attested_by_the_holder(tmp_path):
    holder, other = Party(), Party()
    claim = badge(holder, subject=other.did, name="Reference I wrote")  # the holder's claim, about someone else
    claim.pop("id")
    vp = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
          "holder": holder.did, "verifiableCredential": [claim]}
    path = write(tmp_path / "vp.json", holder.sign(vp, purpose="authentication", challenge="c9"))
    report = json.loads(run("verify", str(path), "--challenge", "c9", "--json").stdout)
    cred = report["inputs"][0]["credentials"][0]
    trust = next(c for c in cred["checks"] if c["id"] == "issuer.trust")
    assert trust["problem"]["type"].endswith(":self_attested")
    assert trust["reason"].startswith(f"self-attested by the holder {holder.did}: the issuer is the holder presenting it")
    assert cred["self_attested"] is True


def test_an_evidence_file_that_no_longer_matches_its_digest_is_refused(isolated_home, tmp_path):
    from lerwallet.store import Wallet

    ok("init")
    evidence = tmp_path / "proof.txt"
    evidence.write_bytes(b"original bytes")
    added = json.loads(ok("add", "project", "--title", "Robot", "--org", "Makerspace", "--from", "2023",
                          "--evidence", str(evidence), "--json").stdout)
    import base64

    with Wallet.open(isolated_home, PW.encode()) as w:
        (blob,) = w.ids("credential-evidence")
        data = w.get("credential-evidence", blob)
        w.put("credential-evidence", blob, {**data, "bytes": base64.b64encode(b"swapped bytes").decode()})
    result = run("show", added["id"], "--evidence-out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == ("lerwallet: error: evidence file 'proof.txt' does not match the digest "
                                             "the record names")
    assert not (tmp_path / "out").exists()


def test_from_file_names_the_identity_and_refuses_a_fifo(isolated_home, tmp_path):
    import os

    ok("init")
    ok("did", "create", "--key-type", "p256", "--name", "work")
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"kind": "award", "title": "Prize", "org": "Club", "from": "2020", "identity": "work"}))
    added = json.loads(ok("add", "--from-file", str(path), "--json").stdout)
    assert json.loads(ok("show", added["id"], "--raw").stdout)["proof"]["cryptosuite"] == "ecdsa-rdfc-2019"
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run("add", "award", "--title", "Prize", "--org", "Club", "--from", "2020", "--evidence", str(fifo))
    assert result.exit_code == 2 and f"evidence {fifo} is not a regular file" in result.stderr
    result = run("add", "--from-file", str(fifo))
    assert result.exit_code == 2 and "is not a regular file" in result.stderr


def test_edit_ongoing_removes_the_end_date(isolated_home):
    ok("init")
    added = json.loads(ok("add", "work", "--title", "Engineer", "--org", "Acme", "--from", "2020", "--to", "2021",
                          "--json").stdout)
    result = run("edit", added["id"], "--ongoing", "--to", "2022")
    assert result.exit_code == 2 and "--ongoing and --to cannot be used together" in result.stderr
    new = json.loads(ok("edit", added["id"], "--ongoing", "--json").stdout)
    assert new["to"] == "" and new["supersedes"] == added["id"]
    doc = json.loads(ok("show", new["id"], "--raw").stdout)
    assert "activityEndDate" not in doc["credentialSubject"]
    assert doc["credentialSubject"]["activityStartDate"] == "2020-01-01T00:00:00Z"
