"""Self-attested is labelled everywhere (#12): the summary flag, the library predicate
`lerwallet.record.is_self_attested`, `list` (column and --json), `show`, and `verify` ("self-attested
by the holder", never "unknown issuer", never vouched for by a third party). Real keys, real proofs."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from lerwallet.cli.app import app
from lerwallet.model import summarize
from lerwallet.record import is_self_attested, is_superseded, self_attester

from verify_helpers import Party, badge, presentation, write

PW = "record label passphrase"


def run(*args):
    result = CliRunner().invoke(app, list(args), env={"LERWALLET_PASSPHRASE": PW, "COLUMNS": "240"},
                                catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def test_the_predicate_reads_documents_summaries_and_legacy_summaries():
    me, college = Party(), Party()
    mine = me.sign(badge(me, subject=me.did, name="My own project"))
    issued = college.sign(badge(college, subject=me.did))
    assert self_attester(mine) == me.did and self_attester(issued) == ""
    assert is_self_attested(mine) and not is_self_attested(issued)
    assert summarize(mine).self_attested is True and summarize(issued).self_attested is False
    assert is_self_attested(summarize(mine).to_dict()) and not is_self_attested(summarize(issued).to_dict())
    # A summary stored before the field existed: judged from issuer_id and subject_ids.
    legacy = {k: v for k, v in summarize(mine).to_dict().items() if k != "self_attested"}
    assert is_self_attested(legacy)
    assert not is_self_attested({**legacy, "subject_ids": [me.did, college.did]})
    # Two subjects, one of them someone else: not self-attested.
    two = badge(me, subject=me.did)
    two["credentialSubject"] = [two["credentialSubject"], {**two["credentialSubject"], "id": college.did}]
    assert not is_self_attested(two) and summarize(two).self_attested is False
    # No subject id at all: not self-attested (nothing says who the claim is about).
    anonymous = badge(me, subject=me.did)
    del anonymous["credentialSubject"]["id"]
    assert not is_self_attested(anonymous)
    assert not is_superseded(summarize(mine).to_dict()) and is_superseded({"superseded_by": "abc"})


def test_verify_reports_self_attested_by_the_holder_never_unknown_issuer(tmp_path):
    me = Party()
    mine = write(tmp_path / "mine.json", me.sign(badge(me, subject=me.did, name="My own project")))
    result = run("verify", str(mine), "--json")
    assert result.exit_code == 0, result.output
    cred = json.loads(result.stdout)["inputs"][0]["credentials"][0]
    trust = next(c for c in cred["checks"] if c["id"] == "issuer.trust")
    assert trust["outcome"] == "warn" and trust["problem"]["type"].endswith(":self_attested")
    assert trust["reason"].startswith("self-attested by the holder: the issuer is the credential's own subject")
    assert "unknown issuer" not in json.dumps(cred) and cred["summary"]["self_attested"] is True
    assert cred["self_attested"] is True
    text = run("verify", str(mine)).stdout
    assert "VERIFIED as self-attested by the holder (no third party vouches for it)" in text
    assert "unknown issuer" not in text
    # --strict: a claim no third party vouches for is not accepted.
    assert run("verify", str(mine), "--strict").exit_code == 1


def test_verify_inside_a_presentation_by_the_holder(tmp_path):
    me, college = Party(), Party()
    mine = me.sign(badge(me, subject=me.did, name="Volunteering"))
    issued = college.sign(badge(college, subject=me.did, name="Degree"))
    vp = write(tmp_path / "vp.json", presentation(me, [mine, issued], challenge="c1", domain="jobs.example"))
    result = run("verify", str(vp), "--challenge", "c1", "--domain", "jobs.example", "--json")
    creds = json.loads(result.stdout)["inputs"][0]["credentials"]
    trust = [next(c for c in cred["checks"] if c["id"] == "issuer.trust") for cred in creds]
    assert trust[0]["reason"].startswith(f"self-attested by the holder {me.did}: the issuer is the credential's own subject")
    assert trust[1]["problem"]["type"].endswith(":no_trust_list")  # the college: unknown, as before
    table = run("verify", str(vp), "--challenge", "c1", "--domain", "jobs.example").stdout
    assert "VERIFIED, self-attested" in table


def test_list_and_show_mark_self_attested_records(tmp_path):
    assert run("init").exit_code == 0
    me, college = Party(), Party()
    mine = write(tmp_path / "mine.json", me.sign(badge(me, subject=me.did, name="Garden project")))
    issued = write(tmp_path / "issued.json", college.sign(badge(college, subject=me.did, name="Degree")))
    assert run("import", str(mine), str(issued)).exit_code == 0
    rows = {r["title"]: r for r in json.loads(run("list", "--json").stdout)}
    assert rows["Garden project"]["self_attested"] is True and rows["Degree"]["self_attested"] is False
    assert rows["Garden project"]["superseded_by"] is None
    table = run("list").stdout.splitlines()
    garden = next(line for line in table if "Garden project" in line)
    degree = next(line for line in table if "Degree" in line)
    assert "self-attested" in garden and "self-attested" not in degree
    shown = run("show", rows["Garden project"]["id"]).stdout
    assert f"self-attested by {me.did}" in shown and "not verified by a third party" in shown
    assert "self-attested" not in run("show", rows["Degree"]["id"]).stdout
    assert json.loads(run("show", rows["Garden project"]["id"], "--json").stdout)["self_attested"] is True
