"""Hostile input for the Open Badges 2.0 readers (issue #11): the input caps hold, documents
from the cache folder are untrusted (unreadable, oversized, wrong shape: `unknown` with a
reason, never a crash), odd URLs and keys are refused, and `import` stores nothing partial."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from typer.testing import CliRunner

from lerwallet.cli.app import app
from lerwallet.formats import decode_bytes
from lerwallet.verify import Options, verify_bytes
from tests.ob2_helpers import Issuer, png, svg

AT = datetime(2025, 1, 1, tzinfo=timezone.utc)
ENV = {"LERWALLET_PASSPHRASE": "ob2 hostile"}


def run(*args):
    result = CliRunner().invoke(app, list(args), env=ENV, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def check(data: bytes, cache=None):
    [report] = verify_bytes(data, Options(at=AT, ob2_cache=cache))
    return report.credentials[0]


def test_unreadable_or_oversized_cache_documents_are_unknown(tmp_path):
    issuer = Issuer()
    token = issuer.sign(issuer.assertion(signed=True)).encode()
    for name, content in (("not-json", b"{not json"), ("array", b"[1, 2]"), ("deep", b"[" * 100_000 + b"]" * 100_000),
                          ("huge", b'{"id": "x", "pad": "' + b"a" * (3 * 1024 * 1024) + b'"}')):
        cache = tmp_path / name
        cache.mkdir()
        (cache / "bad.json").write_bytes(content)
        (cache / "urls.json").write_text(json.dumps({issuer.badge_id: "bad.json"}))
        cred = check(token, cache)
        assert cred.verdict == "inconclusive" and cred.check("proof").outcome == "unknown", (name, cred.checks)


def test_revocation_list_over_the_array_cap_is_not_believed(tmp_path):
    issuer = Issuer()
    assertion = issuer.assertion(signed=True)
    cache = issuer.cache(tmp_path / "c")
    for path in cache.glob("doc*.json"):
        if json.loads(path.read_text()).get("type") == "RevocationList":
            path.write_text(json.dumps(issuer.revocation_list() | {"revokedAssertions": [f"urn:x:{i}" for i in range(20_000)]}))
    cred = check(issuer.sign(assertion).encode(), cache)
    status = cred.check("status.revocation")
    assert status.outcome == "unknown" and cred.verdict == "inconclusive"


def test_oversized_rsa_modulus_is_refused_before_any_work(tmp_path):
    issuer = Issuer()
    cache = issuer.cache(tmp_path / "c")
    n = (1 << 9000) | 1 | (12345 << 100)
    pem = rsa.RSAPublicNumbers(65537, n).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    for path in cache.glob("doc*.json"):
        doc = json.loads(path.read_text())
        if doc.get("type") == "CryptographicKey":
            path.write_text(json.dumps(doc | {"publicKeyPem": pem}))
    cred = check(issuer.sign(issuer.assertion(signed=True)).encode(), cache)
    assert cred.check("proof").code == "key_not_usable" and "8192" in cred.check("proof").reason


def test_hosted_id_that_is_not_http_is_refused(tmp_path):
    issuer = Issuer()
    for i, (bad, failed, code) in enumerate((("file:///etc/passwd", "proof", "hosted_id_invalid"),
                                             ("urn:uuid:1", "proof", "hosted_id_invalid"),
                                             ("https://exa mple.org/a", "structure", "ob2_invalid"))):
        cred = check(json.dumps(issuer.assertion(id=bad)).encode(), issuer.cache(tmp_path / str(i)))
        assert cred.verdict == "invalid" and (cred.check(failed).outcome, cred.check(failed).code) == ("fail", code), bad


def test_url_only_badge_with_control_characters_is_unreadable_and_stores_nothing(tmp_path):
    for data in (png(b"https://badges.example.edu/a\x1b[2J"), svg(verify="https://badges.example.edu/a&#10;b")):
        [env] = decode_bytes(data, "x")
        assert env.error is not None and env.error.code == "bad-url", env
    path = tmp_path / "badge.png"
    path.write_bytes(png(b"https://badges.example.edu/a\x07"))
    assert run("init").exit_code == 0
    out = run("import", str(path))
    assert out.exit_code == 2 and out.stderr.count("lerwallet: error:") == 1
    assert json.loads(run("list", "--json").stdout) == []


def test_a_malformed_assertion_in_a_batch_refuses_its_file_only(tmp_path):
    issuer = Issuer()
    good = issuer.assertion(1)
    bad = issuer.assertion(2, recipient=["not", "an", "object"])
    (tmp_path / "bundle.json").write_text(json.dumps([good, bad]))
    (tmp_path / "alone.json").write_text(json.dumps(issuer.assertion(3)))
    assert run("init").exit_code == 0
    out = run("import", str(tmp_path / "bundle.json"), str(tmp_path / "alone.json"), "--json")
    assert out.exit_code == 1
    rows = json.loads(run("list", "--json").stdout)
    assert len(rows) == 1 and rows[0]["title"].endswith("/assertions/3.json")  # offline: inconclusive, by its URL
