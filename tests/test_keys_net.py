"""The shared HTTPS fetch helper refuses unsafe targets before any request is sent."""

from __future__ import annotations

import socket
import threading

import pytest

from lerwallet import net
from lerwallet.net import NetError, fetch_https, is_public_address

pytestmark = pytest.mark.network  # local servers on 127.0.0.1 only


@pytest.mark.parametrize(
    "address, public",
    [
        ("93.184.215.14", True), ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", True), ("1.1.1.1", True),
        ("127.0.0.1", False), ("127.8.9.10", False), ("::1", False), ("10.1.2.3", False),
        ("172.16.0.1", False), ("192.168.1.1", False), ("169.254.169.254", False), ("fe80::1", False),
        ("fc00::1", False), ("100.64.0.1", False), ("0.0.0.0", False), ("::", False),
        ("224.0.0.1", False), ("255.255.255.255", False), ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False), ("192.0.2.1", False), ("not-an-ip", False),
        # IPv6 forms that carry an IPv4 address are judged by it (review finding 12)
        ("2002:7f00:1::", False), ("2002:a00:1::1", False), ("2002:c0a8:101::1", False),
        ("2002:a9fe:a9fe::", False), ("2002:5db8:d70e::1", True),                         # 6to4
        ("64:ff9b::7f00:1", False), ("64:ff9b::a9fe:a9fe", False), ("64:ff9b::a00:1", False),
        ("64:ff9b::5db8:d70e", True), ("64:ff9b::1.1.1.1", True),                          # NAT64
        ("::ffff:93.184.215.14", True), ("::ffff:169.254.169.254", False),                  # mapped
        ("::127.0.0.1", False), ("::93.184.215.14", False), ("::a00:1", False),             # compatible
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", False), ("2001::1", False),                # Teredo
        ("64:ff9b:1::5db8:d70e", False),                                                   # local NAT64
        ("2002:7f00:1::%eth0", False),
    ],
)
def test_address_classification(address, public):
    assert is_public_address(address) is public


@pytest.mark.parametrize("url", ["http://example.com/did.json", "ftp://example.com/x", "file:///etc/passwd",
                                 "https://user:pw@example.com/", "https:///nohost", "example.com"])
def test_refuses_non_https(url):
    with pytest.raises(NetError) as exc:
        fetch_https(url, max_bytes=1000, timeout=1)
    assert exc.value.code == "not_https"


@pytest.fixture
def local_server():
    """A real TCP listener on 127.0.0.1 that records whether anyone connected."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(0.5)
    seen = []

    def accept():
        try:
            conn, _ = server.accept()
            seen.append(True)
            conn.close()
        except OSError:
            pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], seen
    thread.join(1)
    server.close()


def test_refuses_loopback_server(local_server):
    port, seen = local_server
    for host in ("127.0.0.1", "localhost", "[::ffff:127.0.0.1]"):
        with pytest.raises(NetError) as exc:
            fetch_https(f"https://{host}:{port}/did.json", max_bytes=1000, timeout=1)
        assert exc.value.code in ("blocked_address", "dns")
    assert seen == []


def test_refuses_when_any_resolved_address_is_private(monkeypatch):
    monkeypatch.setattr(net.socket, "getaddrinfo", lambda *a, **k: [
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", 443)),
        (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", 443)),
    ])
    with pytest.raises(NetError) as exc:
        fetch_https("https://rebind.example/did.json", max_bytes=1000, timeout=1)
    assert exc.value.code == "blocked_address" and "10.0.0.5" in exc.value.message


def test_redirect_targets_are_checked(monkeypatch):
    calls = []

    def fake_get_once(url, **kwargs):
        calls.append(url)
        net.check_url(url)
        return None, "http://169.254.169.254/latest/meta-data"

    monkeypatch.setattr(net, "_get_once", fake_get_once)
    with pytest.raises(NetError) as exc:
        fetch_https("https://example.com/did.json", max_bytes=1000, timeout=1)
    assert exc.value.code == "not_https" and len(calls) == 2
