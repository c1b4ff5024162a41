"""A self-attested record stays self-attested when a trust list names its issuer (#12): the
learner's own DID in an allow list is still the learner vouching for themselves, never "listed by"
a registry; a deny list still refuses it."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from lerwallet.cli.app import app

from verify_helpers import Party, badge, write


def run(*args):
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"}, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def test_an_allow_list_naming_the_learner_does_not_make_a_third_party(tmp_path):
    me = Party()
    mine = write(tmp_path / "mine.json", me.sign(badge(me, subject=me.did, name="My project")))
    allow = write(tmp_path / "trust.json", {"allow": {me.did: {"name": "Me, Myself"}}})
    report = json.loads(run("verify", str(mine), "--trust", str(allow), "--json").stdout)
    cred = report["inputs"][0]["credentials"][0]
    trust = next(c for c in cred["checks"] if c["id"] == "issuer.trust")
    assert trust["outcome"] == "warn" and trust["problem"]["type"].endswith(":self_attested")
    assert "listed by" not in json.dumps(cred) and cred["self_attested"] is True
    deny = write(tmp_path / "deny.json", {"deny": {me.did: {"name": "Me", "reason": "known forger"}}})
    report = json.loads(run("verify", str(mine), "--trust", str(deny), "--json").stdout)
    trust = next(c for c in report["inputs"][0]["credentials"][0]["checks"] if c["id"] == "issuer.trust")
    assert trust["outcome"] == "fail" and trust["problem"]["type"].endswith(":issuer_denied")
    assert report["exitCode"] == 1
