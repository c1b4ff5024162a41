"""The --online context loader: address policy (via lerwallet.net), cache, refusals. No internet."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from lerwallet.ld import FetchError, canonize, online_loader
from lerwallet.net import is_public_address

pytestmark = pytest.mark.network  # local servers on 127.0.0.1 only

CTX_URL = "https://contexts.example.org/extra/v1"
CTX = {"@context": {"extra": "https://contexts.example.org/extra#extra"}}
DOC = {"@context": ["https://www.w3.org/ns/credentials/v2", CTX_URL], "@id": "urn:x", "extra": "hello"}


@pytest.fixture
def local_server():
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            body = json.dumps(CTX).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], hits
    server.shutdown()
    server.server_close()


def test_loopback_server_is_refused_before_any_request(local_server, tmp_path):
    port, hits = local_server
    load = online_loader(tmp_path)
    for url in (f"https://127.0.0.1:{port}/ctx", f"https://localhost:{port}/ctx"):
        with pytest.raises(FetchError, match="non-public address"):
            load(url)
    with pytest.raises(FetchError, match="only https"):
        load(f"http://127.0.0.1:{port}/ctx")
    assert hits == []
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("address, public", [
    ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("224.0.0.1", False),
    ("::1", False), ("fe80::1", False), ("fc00::1", False), ("::ffff:127.0.0.1", False),
    ("::ffff:10.0.0.1", False), ("not-an-ip", False),
    ("93.184.216.34", True), ("2606:4700:4700::1111", True), ("1.1.1.1", True),
])
def test_ip_classification(address, public):
    assert is_public_address(address) is public


def test_fetched_context_is_used_and_cached_with_its_hash(tmp_path):
    calls = []

    def fetch(url):
        calls.append(url)
        return json.dumps(CTX).encode()

    load = online_loader(tmp_path, fetch=fetch)
    nquads = canonize(DOC, load)
    assert '<urn:x> <https://contexts.example.org/extra#extra> "hello" .' in nquads
    assert calls == [CTX_URL]  # bundled URLs never reach fetch
    (entry,) = tmp_path.iterdir()
    record = json.loads(entry.read_text())
    assert record["url"] == CTX_URL and len(record["sha256"]) == 64
    assert entry.stat().st_mode & 0o777 == 0o600
    # A second loader (a later run) answers from the cache without fetching.
    again = online_loader(tmp_path, fetch=lambda url: pytest.fail("fetched again"))
    assert canonize(DOC, again) == nquads


def test_damaged_cache_entry_is_refetched(tmp_path):
    load = online_loader(tmp_path, fetch=lambda url: json.dumps(CTX).encode())
    load(CTX_URL)
    (entry,) = tmp_path.iterdir()
    record = json.loads(entry.read_text())
    record["body"] = record["body"].replace("extra#extra", "evil#extra")
    entry.write_text(json.dumps(record))
    fresh = online_loader(tmp_path, fetch=lambda url: json.dumps(CTX).encode())
    assert fresh(CTX_URL) == CTX


@pytest.mark.parametrize("body, message", [
    (b"not json", "not JSON"),
    (b'{"@context": {"@version": NaN}}', "NaN is not a JSON number"),
    (b'{"@context": {"@version": -Infinity}}', "-Infinity is not a JSON number"),
    (b'{"n": ' + b"9" * 900 + b"}", None),  # fine: under the digit limit, and under max_bytes
    (b"[" * 50_000 + b"]" * 50_000, "nests too deeply"),
    (b"[1, 2]", "not a JSON object"),
    (b"{" + b" " * 2048 + b"}", "larger than"),
])
def test_bad_bodies_are_refused(tmp_path, body, message):
    load = online_loader(tmp_path, fetch=lambda url: body, max_bytes=1024 if message == "larger than" else 200_000)
    if message is None:
        assert load(CTX_URL) == {"n": int("9" * 900)}
        return
    with pytest.raises(FetchError, match=message):
        load(CTX_URL)
    assert list(tmp_path.iterdir()) == []


def test_huge_integer_in_a_context_is_refused_not_a_traceback(tmp_path):
    body = b'{"@context": {"n": ' + b"9" * 5000 + b"}}"
    load = online_loader(tmp_path, fetch=lambda url: body, max_bytes=10_000)
    with pytest.raises(FetchError, match="not JSON"):
        load(CTX_URL)
