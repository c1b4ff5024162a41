"""`lerwallet verify` parsed without Typer must behave exactly like the Typer command.

Each command line runs twice in a subprocess: through the console entry point (which takes the
fast path for plain command lines) and through the Typer app directly. Output and exit code
must be identical.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lerwallet.cli.fastpath import parse_verify
from tests.verify_helpers import Party, badge, presentation, write

AT = "2026-11-28T00:00:00Z"
ENTRY = "import sys; from lerwallet.cli import main; sys.argv[0] = 'lerwallet'; main()"
TYPER = "import sys; from lerwallet.cli.app import app; app(prog_name='lerwallet')"


def steady(text: str) -> str:
    """With --at, the report also says when it ran (wall clock): the one part two runs may differ in."""
    return re.sub(r'(run at |"runAt": ")\S+?Z', r"\1<now>", text)


def _run(code: str, args: list[str], cwd: Path) -> tuple[int, str, str]:
    env = {**os.environ, "COLUMNS": "100"}
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=cwd, env=env,
                          timeout=60)
    return proc.returncode, steady(proc.stdout), steady(proc.stderr)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("fastpath")
    issuer, holder = Party(), Party()
    cred = issuer.sign(badge(issuer, subject=holder.did))
    write(root / "c.json", cred)
    tampered = json.loads(json.dumps(cred))
    tampered["name"] = "Changed"
    write(root / "tampered.json", tampered)
    write(root / "vp.json", presentation(holder, [cred], challenge="c1", domain="d1"))
    write(root / "trust.json", {"allow": {issuer.did: {"name": "Example College"}}, "name": "list"})
    (root / "bad-trust.json").write_text("{not json")
    (root / "folder").mkdir()
    for i in range(2):
        write(root / "folder" / f"{i}.json", cred)
    return root


CASES = [
    ["c.json", "--at", AT],
    ["c.json", "--json", "--at", AT],
    ["--json", "c.json", f"--at={AT}", "--strict"],
    ["c.json", "--trust", "trust.json", "--json", "--at", AT],
    ["c.json", "--trust", "trust.json", "--trust", "trust.json", "--at", AT],
    ["tampered.json", "--at", AT],
    ["vp.json", "--challenge", "c1", "--domain", "d1", "--json", "--at", AT],
    ["vp.json", "--challenge", "wrong", "--domain", "d1", "--at", AT],
    ["folder", "c.json", "-j", "1", "--json", "--at", AT],
    ["folder", "--recursive", "--at", AT],
    ["missing.json", "--at", AT],
    ["c.json", "--at", "yesterday"],
    ["c.json", "--status-cache", "c.json", "--at", AT],
    ["c.json", "--trust", "bad-trust.json", "--at", AT],
    ["c.json", "--html", "no-such-dir/r.html", "--at", AT],
    ["c.json", "--email", "a@example.org", "--json", "--at", AT],
    ["c.json", "--email", "a@example.org", "--email", "b@example.org", "--json", "--at", AT],
    ["c.json", "--email", "a@example.org", "--email", "a@localhost", "--at", AT],
]


@pytest.mark.parametrize("args", CASES, ids=[" ".join(a)[:50] for a in CASES])
def test_fast_path_matches_typer(files, args):
    assert parse_verify(args) is not None  # these really take the fast path
    fast = _run(ENTRY, ["verify", *args], files)
    slow = _run(TYPER, ["verify", *args], files)
    assert fast == slow
    assert "Traceback" not in fast[2]


@pytest.mark.parametrize("args", [
    [], ["--help"], ["c.json", "--help"], ["c.json", "--jobs", "0"], ["c.json", "-j2"], ["c.json", "--json=1"],
    ["c.json", "--bogus"], ["c.json", "--challenge"], ["c.json", "--challenge", "-x"], ["--", "c.json"],
    ["c.json", "--json", "--json"], ["c.json", "--at", AT, "--at", AT], ["c.json", "--domain", ""],
    ["-x.json"], ["c.json", "-j", "+2"], ["c.json", "-j=2"],
])
def test_anything_unusual_is_left_to_typer(args):
    assert parse_verify(args) is None


@pytest.mark.parametrize("args", [[], ["c.json", "--jobs", "0"], ["c.json", "--bogus"], ["c.json", "--challenge"], ["--help"]])
def test_fallback_gives_typer_usage_errors_and_help(files, args):
    fast = _run(ENTRY, ["verify", *args], files)
    assert fast == _run(TYPER, ["verify", *args], files)
    assert fast[0] in (0, 2) and "Traceback" not in fast[2]


def test_parse_verify_values():
    kw = parse_verify(["a.json", "-", "--trust", "t1", "--trust=t2", "-j", "3", "--html", "r.html", "--online",
                       "--email", "a@example.org", "--email=b@example.org"])
    assert kw == {"inputs": ["a.json", "-"], "trust": [Path("t1"), Path("t2")], "jobs": 3, "html": Path("r.html"),
                  "online": True, "email": ["a@example.org", "b@example.org"]}


def test_home_from_environment_reaches_the_command(files, tmp_path):
    # A trust.json in the wallet folder (LERWALLET_HOME) is used by both paths.
    home = tmp_path / "home"
    home.mkdir()
    (home / "trust.json").write_text((files / "trust.json").read_text())
    env = {**os.environ, "LERWALLET_HOME": str(home)}
    args = ["verify", "c.json", "--json", "--at", AT]
    out = [subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=files, env=env)
           for code in (ENTRY, TYPER)]
    assert steady(out[0].stdout) == steady(out[1].stdout) and out[0].returncode == out[1].returncode == 0
    checks = json.loads(out[0].stdout)["inputs"][0]["credentials"][0]["checks"]
    assert any(c["id"] == "issuer.trust" and c["outcome"] == "pass" for c in checks)


def _names():
    from typer.main import get_command_name

    from lerwallet.cli.app import app

    return ([c.name or get_command_name(c.callback.__name__) for c in app.registered_commands]
            + [g.name or g.typer_instance.info.name for g in app.registered_groups])


def test_every_command_and_group_can_be_pruned_to():
    from lerwallet.cli.app import app
    from lerwallet.cli.fastpath import app_for

    names = _names()
    assert {"verify", "list", "status", "did", "import"} <= set(names)
    for name in names:
        pruned = app_for([name, "--json"])
        assert pruned is not app
        assert len(pruned.registered_commands) + len(pruned.registered_groups) == 1
    assert len(app.registered_commands) + len(app.registered_groups) == len(names)  # the original is untouched
    for args in ([], ["--help"], ["--home", "x", "status"], ["nosuch"]):
        assert app_for(args) is app


@pytest.mark.parametrize("args", [[n, "--help"] for n in ("verify", "list", "status", "import", "did")]
                         + [["did", "create", "--help"], ["did", "list", "--help"], ["show"], ["did"], ["list", "--bogus"]])
def test_pruned_app_gives_the_same_help_and_usage_errors(args):
    from typer.testing import CliRunner

    from lerwallet.cli.app import app
    from lerwallet.cli.fastpath import app_for

    full = CliRunner().invoke(app, args)
    pruned = CliRunner().invoke(app_for(args), args)
    assert (pruned.exit_code, pruned.output) == (full.exit_code, full.output)
    assert full.output


def test_fast_path_option_table_is_the_typer_commands():
    # An option added to `lerwallet verify` (cli/verify.py) and not to the fast path's table, or
    # the reverse, fails here: regenerate the table with fastpath.print_table().
    from typer.main import get_command

    from lerwallet.cli.app import app
    from lerwallet.cli.fastpath import VERIFY_OPTIONS, option_table

    assert option_table(get_command(app).commands["verify"]) == VERIFY_OPTIONS


def test_no_private_typer_or_click_module_is_imported():
    import re

    src = Path(__file__).resolve().parents[1] / "src" / "lerwallet"
    offenders = [str(p.relative_to(src)) for p in src.rglob("*.py")
                 if re.search(r"^\s*(from|import)\s+typer\._", p.read_text(encoding="utf-8"), re.M)]
    assert offenders == []


# --- `lerwallet list` and `lerwallet list --json` without Typer ------------------------------------

LIST_PW = "fast path list passphrase"


def _list_run(code: str, args: list[str], home: Path, **env) -> tuple[int, str, str]:
    environ = {**os.environ, "COLUMNS": "100", "LERWALLET_HOME": str(home), "LERWALLET_PASSPHRASE": LIST_PW, **env}
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=environ, timeout=60)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture(scope="module")
def list_homes(tmp_path_factory):
    """An empty wallet, one with credentials (and a superseded-free default listing), one with a
    damaged credential, and a folder with no wallet."""
    import sqlite3

    from lerwallet import crypto
    from lerwallet.store import Wallet, credentials

    root = tmp_path_factory.mktemp("list-fastpath")
    issuer = Party()
    for name in ("empty", "full", "damaged"):
        with Wallet.create(root / name, LIST_PW.encode(), kdf=crypto.KdfParams.unsafe_fast_for_tests()) as w:
            if name != "empty":
                for i, day in enumerate(("2024-03-01", "2025-01-01", "2023-07-09", "2025-01-01")):
                    doc = badge(issuer, name=f"Badge {i}", validFrom=f"{day}T00:00:00Z")
                    credentials.import_credential(w, json.dumps(issuer.sign(doc)).encode())
    conn = sqlite3.connect(root / "damaged" / "wallet.db")
    conn.execute("DELETE FROM records WHERE kind = 'credential-original' AND id IN "
                 "(SELECT id FROM records WHERE kind = 'credential-original' LIMIT 1)")
    conn.commit()
    conn.close()
    return root


@pytest.mark.parametrize("args", [["list"], ["list", "--json"]])
@pytest.mark.parametrize("home", ["empty", "full", "damaged", "no-wallet"])
def test_list_fast_path_matches_typer(list_homes, home, args):
    from lerwallet.cli.fastpath import list_argv  # noqa: F401 - the fast path exists

    fast = _list_run(ENTRY, args, list_homes / home)
    slow = _list_run(TYPER, args, list_homes / home)
    assert fast == slow
    assert fast[0] == {"empty": 0, "full": 0, "damaged": 1, "no-wallet": 2}[home]


def test_list_fast_path_wrong_passphrase_matches_typer(list_homes):
    fast = _list_run(ENTRY, ["list"], list_homes / "full", LERWALLET_PASSPHRASE="wrong")
    assert fast == _list_run(TYPER, ["list"], list_homes / "full", LERWALLET_PASSPHRASE="wrong") and fast[0] == 3


def test_plain_list_loads_no_typer(list_homes):
    probe = ("import sys\nimport lerwallet.cli as cli\nsys.argv[0] = 'lerwallet'\n"
             "def stop(code):\n    raise SystemExit(code)\n"
             "cli._exit_now = stop  # the fast path ends with os._exit: no code after it would run\n"
             "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
             "print('MODULES', sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'click', 'rich') "
             "or m.startswith('lerwallet.present')), file=sys.stderr)")
    code, out, err = _list_run(probe, ["list", "--json"], list_homes / "full")
    assert code == 0 and len(json.loads(out)) == 4
    assert "MODULES []" in err


def test_the_default_order_is_sort_issued(list_homes):
    """The fast path (and Typer without --sort) keeps list_credentials' order: --sort issued's."""
    plain = _list_run(ENTRY, ["list", "--json"], list_homes / "full")
    sorted_ = _list_run(ENTRY, ["list", "--json", "--sort", "issued"], list_homes / "full")
    assert plain == sorted_
    assert [r["issued"][:4] for r in json.loads(plain[1])] == ["2025", "2025", "2024", "2023"]


@pytest.mark.parametrize("args", [["--kind", "OpenBadgeCredential"], ["--json", "--json"], ["--help"], ["--all"], ["-x"]])
def test_list_with_any_option_is_left_to_typer(args):
    from lerwallet.cli.fastpath import list_argv

    assert list_argv(args) is None
