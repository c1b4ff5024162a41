"""`lerwallet list` and `recheck`: one default order (newest issued first), and empty results
that say what was empty."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from lerwallet.cli.app import app

from verify_helpers import Party, badge

PW = "list order passphrase"


def run(*args):
    result = CliRunner().invoke(app, list(args), env={"LERWALLET_PASSPHRASE": PW}, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def wallet(tmp_path):
    assert run("init").exit_code == 0
    issuer = Party()
    # Imported in an order that is neither issue order nor its reverse.
    for name, issued in (("Middle", "2023-05-01T00:00:00Z"), ("Oldest", "2021-01-01T00:00:00Z"),
                         ("Newest", "2025-09-30T12:00:00Z")):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(issuer.sign(badge(issuer, name=name, validFrom=issued))))
        assert run("import", str(path)).exit_code == 0
    return tmp_path


def test_list_and_recheck_show_newest_issued_first(wallet):
    listed = json.loads(run("list", "--json").stdout)
    assert [c["title"] for c in listed] == ["Newest", "Middle", "Oldest"]
    table = run("list").stdout.splitlines()[1:]
    assert [line.split()[1] for line in table] == ["Newest", "Middle", "Oldest"]
    rechecked = json.loads(run("recheck", "--json").stdout)
    assert [r["title"] for r in rechecked] == ["Newest", "Middle", "Oldest"]


def test_list_did_without_a_match_says_how_many_the_wallet_holds(wallet):
    result = run("list", "--did", "main")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "no credential matches --did main (the wallet holds 3; see them all with: lerwallet list)\n"
    assert "No credentials yet" not in result.stderr


def test_an_empty_wallet_says_so(tmp_path):
    assert run("init").exit_code == 0
    assert run("list").stderr == "No credentials yet. Import one with: lerwallet import FILE\n"
