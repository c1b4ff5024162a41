"""No terminal control characters reach the screen from credential data.

(Regression tests from verification review review; each fails on the code before its fix.)"""

from __future__ import annotations

import json

from tests.verify_helpers import badge, write
from tests.verify_binding_helpers import holder, issuer  # noqa: F401 - fixtures


# --- 11: no terminal control from credential data --------------------------------------------

HOSTILE = "Team\x1b[2J\x1b]8;;https://evil.example\x07work\x9b31m\u202e\nVERIFIED"


def test_safe_text_makes_controls_visible():
    from lerwallet.cli.output import safe_text

    shown = safe_text(HOSTILE)
    assert not any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f or c == "\u202e" for c in shown)
    assert "\\x1b[2J" in shown and "\\x9b" in shown and "\\u202e" in shown and "work" in shown
    assert safe_text("a\nb", multiline=True) == "a\nb" and safe_text("a\nb") == "a b"
    assert safe_text("Ünïcödé — 日本") == "Ünïcödé — 日本"


def _no_controls(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text and "\u202e" not in text, repr(text)


def test_terminal_renderers_strip_controls(tmp_path, issuer):
    from typer.testing import CliRunner

    from lerwallet.cli.app import app

    doc = badge(issuer, name=HOSTILE)
    doc["issuer"]["name"] = HOSTILE
    path = write(tmp_path / "hostile.json", issuer.sign(doc))
    runner = CliRunner()
    env = {"LERWALLET_PASSPHRASE": "correct horse"}
    shown = runner.invoke(app, ["verify", str(path)])
    _no_controls(shown.stdout)
    assert "\\x1b[2J" in shown.stdout
    as_json = runner.invoke(app, ["verify", str(path), "--json"])
    assert json.loads(as_json.stdout)["inputs"][0]["credentials"][0]["summary"]["title"] == HOSTILE  # data kept as-is
    assert runner.invoke(app, ["init"], env=env).exit_code == 0
    imported = runner.invoke(app, ["import", str(path)], env=env)
    assert imported.exit_code == 0, imported.stderr
    _no_controls(imported.stdout + imported.stderr)
    listing = runner.invoke(app, ["list"], env=env)
    _no_controls(listing.stdout)
    assert "\\x1b" in listing.stdout
    record = json.loads(runner.invoke(app, ["list", "--json"], env=env).stdout)[0]["id"]
    show = runner.invoke(app, ["show", record], env=env)
    assert show.exit_code == 0
    _no_controls(show.stdout)
    assert "\\x1b" in show.stdout
    did = runner.invoke(app, ["did", "create", "--name", "x\x1b[2Jy"], env=env)
    if did.exit_code == 0:  # names may also be refused outright; either way nothing reaches the terminal raw
        _no_controls(runner.invoke(app, ["did", "list"], env=env).stdout)
    _no_controls(did.stdout + did.stderr)
