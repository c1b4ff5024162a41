"""Malformed-input rules of issue #10: duplicate member names (I-JSON, RFC 7493) refused in
verify and import, JWT payloads included; shape caps with their codes; repeated contexts
collapsed without changing the graph; the SVG scan; non-regular files. Real keys and signatures."""

from __future__ import annotations

import base64
import copy
import json

import pytest
from typer.testing import CliRunner

from lerwallet import crypto
from lerwallet.cli.app import app
from lerwallet.formats import FormatError, decode_bytes, limits, read_inputs
from lerwallet.formats.json_doc import loads
from lerwallet.verify import Options, verify_bytes
from tests.verify_helpers import OB3, V2, Party, badge, write

ENV = {"LERWALLET_PASSPHRASE": "security tests"}


def run(*args, env=ENV):
    result = CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


@pytest.fixture(scope="module")
def issuer():
    return Party()


@pytest.fixture(scope="module")
def signed(issuer):
    return issuer.sign(badge(issuer, name="PhD"))


def _with_duplicate_name(signed: dict) -> bytes:
    # {"name": "PhD", ..., "name": "First Aid"}: Python and JSON.parse show the last, others the first.
    text = json.dumps(signed)
    assert text.startswith("{")
    return ('{"name": "First Aid", ' + text[1:]).encode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


# --- duplicate member names ----------------------------------------------------------------------

def test_duplicate_member_name_is_malformed_in_verify(signed):
    [report] = verify_bytes(_with_duplicate_name(signed), Options())
    assert report.verdict == "unreadable"
    parse = report.credentials[0].check("parse")
    assert parse.outcome == "fail" and "'name' more than once" in parse.reason


def test_duplicate_member_name_nested_is_malformed(signed):
    text = json.dumps(signed).replace('"criteria": {', '"criteria": {"narrative": "x", ', 1)
    [env] = decode_bytes(text.encode(), "x")
    assert env.error is not None and env.error.code == "duplicate-key"


def test_duplicate_member_name_in_a_jwt_payload_is_malformed(issuer):
    header = _b64(json.dumps({"alg": "EdDSA", "kid": issuer.vm, "typ": "vc+jwt"}).encode())
    cred = badge(issuer, name="PhD")
    body = json.dumps(cred)
    payload = _b64(('{"name": "First Aid", ' + body[1:]).encode())
    signature = _b64(crypto.sign("ed25519", issuer.private, f"{header}.{payload}".encode()))
    token = f"{header}.{payload}.{signature}"
    [report] = verify_bytes(token.encode(), Options())
    assert report.verdict == "unreadable"
    assert "more than once" in report.credentials[0].check("parse").reason
    # The same token with the duplicate removed is a good VC-JOSE credential: only the duplicate decides.
    payload_ok = _b64(body.encode())
    good = f"{header}.{payload_ok}.{_b64(crypto.sign('ed25519', issuer.private, f'{header}.{payload_ok}'.encode()))}"
    [ok] = verify_bytes(good.encode(), Options())
    assert ok.verdict == "valid"


def test_duplicate_member_name_is_refused_by_import(isolated_home, tmp_path, signed):
    assert run("init").exit_code == 0
    path = tmp_path / "dup.json"
    path.write_bytes(_with_duplicate_name(signed))
    result = run("import", str(path))
    assert result.exit_code == 2
    assert "more than once" in result.stderr
    assert json.loads(run("list", "--json").stdout) == []


# --- shape caps ----------------------------------------------------------------------------------

@pytest.mark.parametrize("doc, code", [
    ({"a": list(range(limits.MAX_JSON_ARRAY + 1))}, "too-many"),
    ({"a": [list(range(limits.MAX_JSON_ARRAY)) for _ in range(limits.MAX_JSON_VALUES // limits.MAX_JSON_ARRAY + 1)]},
     "too-many"),
    ({"proof": [{}] * (limits.MAX_PROOFS + 1)}, "too-many-proofs"),
    ({"@context": [V2] * (limits.MAX_CONTEXT_ENTRIES + 1)}, "too-many-contexts"),
    ({"a": [{"@context": [V2] * 8} for _ in range(limits.MAX_CONTEXT_TOTAL // 8 + 1)]}, "too-many-contexts"),
])
def test_shape_caps_have_clear_codes(doc, code):
    with pytest.raises(FormatError) as caught:
        loads(json.dumps(doc))
    assert caught.value.code == code


@pytest.mark.parametrize("text, code", [
    # Small inputs skip the whole-document walk (json_doc._within_caps_by_size): the caps on one
    # object are checked as each object is built, nested ones included, and depth by brackets.
    ('{"a": {"b": {"proof": [' + ",".join(["{}"] * (limits.MAX_PROOFS + 1)) + "]}}}", "too-many-proofs"),
    ('[{"x": {"@context": [' + ",".join(["1"] * (limits.MAX_CONTEXT_ENTRIES + 1)) + "]}}]", "too-many-contexts"),
    ('{"a":' * limits.MAX_JSON_DEPTH + "1" + "}" * limits.MAX_JSON_DEPTH, "too-deep"),
    ("[" * (limits.MAX_JSON_DEPTH + 1) + "]" * (limits.MAX_JSON_DEPTH + 1), "too-deep"),
])
def test_small_inputs_meet_every_cap(text, code):
    from lerwallet.formats.json_doc import _within_caps_by_size

    assert len(text) < 2000
    with pytest.raises(FormatError) as caught:
        loads(text)
    assert caught.value.code == code
    assert not _within_caps_by_size(text) or code in ("too-many-proofs", "too-many-contexts")


def test_no_input_below_the_size_bound_breaks_a_whole_document_cap():
    """The argument for skipping the walk, checked on the densest inputs of SMALL_INPUT characters:
    a flat array of one-character values, an object of the most one-character-named members,
    and the most @context entries that fit under the bracket bound (each array at its own cap)."""
    from lerwallet.formats.json_doc import SMALL_INPUT, _within_caps_by_size, check_shape

    n = SMALL_INPUT
    flat = "[" + ",".join(["0"] * ((n - 1) // 2)) + "]"
    members = "{" + ",".join(f'"{chr(0x4e00 + i)}":0' for i in range((n - 1) // 6)) + "}"
    group = '{"@context":[' + ",".join(["0"] * limits.MAX_CONTEXT_ENTRIES) + "]}"
    contexts = "[" + ",".join([group] * (limits.MAX_JSON_DEPTH // 2 - 1)) + "]"
    for text in (flat, members, contexts):
        assert len(text) <= n and _within_caps_by_size(text)
        check_shape(json.loads(text))  # the walk would not have refused it either
    assert not _within_caps_by_size(flat + " " * 3)
    assert not _within_caps_by_size("[" + ",".join([group] * (limits.MAX_JSON_DEPTH // 2)) + "]")


def test_shapes_at_the_caps_are_accepted():
    loads(json.dumps({"a": list(range(limits.MAX_JSON_ARRAY)), "proof": [{}] * limits.MAX_PROOFS,
                      "@context": [V2] * limits.MAX_CONTEXT_ENTRIES}))


# --- repeated contexts ---------------------------------------------------------------------------

def test_repeated_context_collapses_to_the_same_graph_as_pyld_without_collapsing(issuer):
    from lerwallet.ld import _pyld, canon

    doc = badge(issuer)
    doc["@context"] = [V2, V2, OB3, OB3, OB3]
    options = canon._options(canon.offline_loader(), True)
    options.update(algorithm="URDNA2015", format="application/n-quads")
    uncollapsed = _pyld.processor_class()(safe=True).normalize(copy.deepcopy(doc), options)
    assert canon.collapse_repeated_contexts(doc)["@context"] == [V2, OB3]
    assert canon.canonize(doc, engine="pyld") == uncollapsed == canon.canonize(doc, engine="fast")


def test_non_adjacent_repeats_are_kept(issuer):
    from lerwallet.ld import canon

    doc = badge(issuer)
    doc["@context"] = [V2, OB3, V2, OB3]
    assert canon.collapse_repeated_contexts(doc) is doc


# --- SVG scan ------------------------------------------------------------------------------------

def test_svg_first_element_with_attributes_and_a_spaced_closing_tag(signed):
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg"><openbadges:credential data-x="1">'
           + json.dumps(signed).encode() + b"</openbadges:credential >\n</svg>")
    [env] = decode_bytes(svg, "b.svg")
    assert env.error is None and env.unverified["name"] == "PhD"


def test_svg_unclosed_element_is_malformed_xml():
    # Since issue #11 SVG is read by an XML parser (defusedxml): an unclosed badge element is
    # malformed XML, said so (`bad-svg`), not a badge-less image.
    [env] = decode_bytes(b"<svg><openbadges:credential><![CDATA[{}]]></svg>", "b.svg")
    assert env.error is not None and env.error.code == "bad-svg" and "not well-formed" in env.error.message


# --- non-regular files ---------------------------------------------------------------------------

def test_fifo_is_refused_before_it_is_opened(tmp_path):
    import os

    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    fifo = tmp_path / "f"
    os.mkfifo(fifo)
    [env] = read_inputs([str(fifo)])  # would block forever if it were opened
    assert env.error is not None and env.error.code == "not-a-file"


def test_stdin_is_still_read(signed):
    import io

    [env] = read_inputs(["-"], stdin=io.BytesIO(json.dumps(signed).encode()))
    assert env.error is None
