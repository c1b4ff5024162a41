"""Baked SVG badges are read by a hardened XML parser (issue #11; defusedxml): an internal DTD
subset, entity declarations and external references are refused with a one-line error and
exit 2, nothing is fetched and nothing is stored; a bare DOCTYPE naming the SVG 1.1 DTD (as
1EdTech's own OB 3.0 vectors carry) is read, its DTD never loaded."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from lerwallet.cli.app import app
from lerwallet.formats import decode_bytes

ENV = {"LERWALLET_PASSPHRASE": "svg tests"}
BADGE = b'<openbadges:assertion verify="https://badges.example.edu/assertions/1.json"/>'
HEAD = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'

HOSTILE = {
    "internal-subset": (b'<!DOCTYPE svg [<!ELEMENT svg ANY>]>' + HEAD + BADGE + b"</svg>", "svg-dtd"),
    "entity": (b'<!DOCTYPE svg [<!ENTITY e "x">]>' + HEAD + b"&e;" + BADGE + b"</svg>", "svg-dtd"),
    "external-entity": (b'<!DOCTYPE svg [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + HEAD + b"&e;</svg>", "svg-dtd"),
    "parameter-entity": (b'<!DOCTYPE svg [<!ENTITY % p SYSTEM "https://evil.example/p.dtd"> %p;]>' + HEAD + b"</svg>",
                         "svg-dtd"),
    "undefined-entity": (HEAD + b"&nope;" + BADGE + b"</svg>", "bad-svg"),
    "broken-element": (HEAD + b"<openbadges:credential>{}</svg>", "bad-svg"),
    "too-deep": (HEAD + b"<g>" * 300 + BADGE + b"</g>" * 300 + b"</svg>", "too-deep"),
}


def run(*args):
    result = CliRunner().invoke(app, list(args), env=ENV, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_svg_is_refused_with_a_clear_error(name):
    data, code = HOSTILE[name]
    [env] = decode_bytes(data, "x.svg")
    assert env.error is not None and env.error.code == code, env.error
    assert "\n" not in env.error.message and env.error.message.startswith("SVG")


def test_bare_doctype_is_read_and_never_loaded(network_attempts):
    data = (b'<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
            b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n' + HEAD + BADGE + b"</svg>")
    [env] = decode_bytes(data, "x.svg")
    assert env.error is None and env.securing == "ob2" and env.unverified["id"].endswith("/assertions/1.json")
    assert network_attempts == []


def test_xml_escapes_in_verify_are_decoded_by_the_parser():
    data = HEAD + b'<openbadges:assertion verify="https://b.example/a?x=1&amp;y=&#50;"/></svg>'
    [env] = decode_bytes(data, "x.svg")
    assert env.unverified["id"] == "https://b.example/a?x=1&y=2"


@pytest.mark.parametrize("name", ["internal-subset", "entity", "external-entity"])
def test_cli_verify_and_import_refuse_with_one_line_and_exit_2(tmp_path, name):
    path = tmp_path / "badge.svg"
    path.write_bytes(HOSTILE[name][0])
    out = run("verify", str(path), "--json")  # unreadable input: a result with the parse check, exit 2
    assert out.exit_code == 2
    [cred] = json.loads(out.stdout)["inputs"][0]["credentials"]
    assert cred["verdict"] == "unreadable" and "DTD" in cred["checks"][0]["reason"]
    assert run("init").exit_code == 0
    imported = run("import", str(path))
    errors = [line for line in imported.stderr.splitlines() if line.startswith("lerwallet: error:")]
    assert imported.exit_code == 2 and len(errors) == 1 and "DTD" in errors[0]
    assert json.loads(run("list", "--json").stdout) == []
