"""`list --sort/--reverse/--since/--until/--search`, combined with the other filters, and the
same filter words in `present` (one definition: lerwallet.present.select.Filters)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from lerwallet.cli.app import app
from lerwallet.present.select import Filters, sort_records
from lerwallet.store.credentials import CredentialRecord
from tests.clr_helpers import achievement_credential
from tests.verify_helpers import Party, write

ENV = {"LERWALLET_PASSPHRASE": "find things"}


def run(*args):
    result = CliRunner().invoke(app, list(args), env=ENV, catch_exceptions=False)
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    return result


def titles(*args) -> list[str]:
    r = run("list", "--json", *args)
    assert r.exit_code == 0, r.stderr
    return [x["title"] for x in json.loads(r.stdout)]


@pytest.fixture
def wallet(isolated_home, tmp_path, monkeypatch):
    """Four signed badges: different titles, issuers, dates, skills, one expiring; imported in
    an order unlike any sort (so each sort is seen to act), a minute apart (the store's clock,
    injected: imports within one second would tie)."""
    from lerwallet.store import credentials

    minutes = iter(range(10, 60))
    monkeypatch.setattr(credentials, "_now", lambda: f"2026-03-01T12:{next(minutes)}:00Z")
    assert run("init").exit_code == 0
    did = json.loads(run("did", "list", "--json").stdout)[0]["did"]
    a, b = Party(), Party()
    made = [
        (a, 1, "Data Analysis with Python", "Python", "2023-05-10T09:00:00Z", None, "Harbour College"),
        (b, 2, "Bread Baking", "Baking", "2025-02-01T09:00:00Z", "2027-01-01T00:00:00Z", "Baker Guild"),
        (a, 3, "Advanced Statistics", "Statistics", "2024-07-15T09:00:00Z", "2026-12-31T00:00:00Z", "Harbour College"),
        (b, 4, "Cake Decorating", "Design", "2024-01-01T00:00:00Z", None, "Baker Guild"),
    ]
    for issuer, n, name, skill, issued, until, org in made:
        doc = achievement_credential(issuer, n, name=name, skill=skill, valid_from=issued, subject=did)
        doc["issuer"]["name"] = org
        if until:
            doc["validUntil"] = until
        f = write(tmp_path / f"c{n}.json", issuer.sign(doc))
        assert run("import", str(f)).exit_code == 0
    return did


def test_sorts_and_reverse(wallet):
    assert titles() == ["Bread Baking", "Advanced Statistics", "Cake Decorating", "Data Analysis with Python"]
    assert titles("--sort", "issued") == titles()
    assert titles("--sort", "issued", "--reverse") == list(reversed(titles()))
    assert titles("--sort", "added") == ["Cake Decorating", "Advanced Statistics", "Bread Baking", "Data Analysis with Python"]
    assert titles("--sort", "title") == ["Advanced Statistics", "Bread Baking", "Cake Decorating", "Data Analysis with Python"]
    assert titles("--sort", "title", "--reverse") == ["Data Analysis with Python", "Cake Decorating", "Bread Baking", "Advanced Statistics"]
    assert titles("--sort", "issuer") == ["Bread Baking", "Cake Decorating", "Advanced Statistics", "Data Analysis with Python"]
    # Soonest expiry first; the two that never expire after them, in the default order, either way.
    assert titles("--sort", "expires") == ["Advanced Statistics", "Bread Baking", "Cake Decorating", "Data Analysis with Python"]
    assert titles("--sort", "expires", "--reverse") == ["Bread Baking", "Advanced Statistics", "Cake Decorating", "Data Analysis with Python"]


def test_since_until_search_combine_with_the_other_filters(wallet):
    assert titles("--since", "2024-01-01") == ["Bread Baking", "Advanced Statistics", "Cake Decorating"]
    assert titles("--until", "2024-01-01") == ["Cake Decorating", "Data Analysis with Python"]  # the whole day
    assert titles("--until", "2023-12-31T23:59:59Z") == ["Data Analysis with Python"]
    assert titles("--since", "2024-01-01", "--until", "2024-12-31") == ["Advanced Statistics", "Cake Decorating"]
    assert titles("--search", "python") == ["Data Analysis with Python"]
    assert titles("--search", "harbour") == ["Advanced Statistics", "Data Analysis with Python"]  # issuer name
    assert titles("--search", "BAKING course") == ["Bread Baking"]  # every word, title/skill + description
    assert titles("--search", "design") == ["Cake Decorating"]  # a skill
    assert titles("--search", "baker", "--since", "2024-06-01", "--sort", "title") == ["Bread Baking"]
    assert titles("--issuer", "harbour", "--search", "statistics", "--status", "verified") == ["Advanced Statistics"]


def test_no_match_names_the_filters(wallet):
    r = run("list", "--search", "underwater basket", "--since", "2020-01-01")
    assert r.exit_code == 0 and r.stdout == ""
    assert "no credential matches --since 2020-01-01 --search 'underwater basket' (the wallet holds 4" in r.stderr
    assert "No credentials yet" not in r.stderr
    assert run("list", "--json", "--search", "nothing-like-this").stdout.strip() == "[]"


@pytest.mark.parametrize("args, message", [
    (["--sort", "size"], "lerwallet: error: unknown sort 'size'"),
    (["--since", "last tuesday"], "lerwallet: error: --since 'last tuesday' is not a date"),
    (["--until", "2024-13-01"], "lerwallet: error: --until '2024-13-01' is not a date"),
    (["--since", "2025-01-01", "--until", "2024-01-01"], "lerwallet: error: --since 2025-01-01 is after --until 2024-01-01"),
    (["--search", " "], "lerwallet: error: --search needs a value"),
])
def test_bad_values_are_usage_errors(wallet, args, message):
    r = run("list", *args)
    assert r.exit_code == 2 and message in r.stderr and "lerwallet: hint:" in r.stderr


def test_present_takes_the_same_words(wallet, tmp_path):
    r = run("present", "--search", "statistics", "--since", "2024-01-01", "--unsigned", "--out", "-", "--yes")
    assert r.exit_code == 0, r.stderr
    assert [c["name"] for c in json.loads(r.stdout)["verifiableCredential"]] == ["Advanced Statistics"]
    r = run("present", "--search", "no such words", "--unsigned", "--out", "-", "--yes")
    assert r.exit_code == 1 and "no credential matches --search 'no such words'" in r.stderr


def test_sort_keeps_records_without_the_value_and_damaged_ones_last():
    def rec(i, title="", issued="", status="verified"):
        return CredentialRecord(id=f"{i:032x}", summary={"title": title, "issued": issued}, status=status,
                                imported_at=f"2026-01-0{i}T00:00:00Z")

    records = [rec(1, "b", "2024-01-01T00:00:00Z"), rec(2, "", "2025-01-01T00:00:00Z"), rec(3, status="damaged"),
               rec(4, "a", "")]
    for reverse in (False, True):
        order = [r.id[-1] for r in sort_records(records, "title", reverse)]
        assert order == (["4", "1", "2", "3"] if not reverse else ["1", "4", "2", "3"])
    assert [r.id[-1] for r in sort_records(records, "issued", True)] == ["1", "2", "4", "3"]
    assert Filters(search="x").active and Filters(since="2024-01-01").describe() == "--since 2024-01-01"
