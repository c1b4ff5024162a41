"""Shared fixtures. Every test runs with LERWALLET_HOME in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

VECTORS = Path(__file__).parent / "vectors"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch) -> Path:
    """Never touch the real user's wallet: point LERWALLET_HOME at a fresh folder. Wallets made
    in-process use cheap key derivation (a test-only setting: the shipped command has none)."""
    from lerwallet import crypto
    from lerwallet.store import vault

    home = tmp_path / "wallet"
    monkeypatch.setenv("LERWALLET_HOME", str(home))
    monkeypatch.delenv("LERWALLET_PASSPHRASE", raising=False)
    monkeypatch.setattr(vault, "new_wallet_kdf", crypto.KdfParams.unsafe_fast_for_tests)  # in-process only
    monkeypatch.setenv("NO_COLOR", "1")
    return home


@pytest.fixture(autouse=True)
def no_network(request, monkeypatch):
    """No socket is opened anywhere in the suite (the "offline by default" invariant, for every
    test, not only those that ask): connecting, resolving a name or `create_connection` fails
    loudly and is recorded, and a test that attempted it fails even when the code under test
    swallowed the error. Tests marked `network` (local servers on 127.0.0.1 only) opt out."""
    if request.node.get_closest_marker("network") is not None:
        yield []
        return
    import socket

    attempts: list = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError("network used: a test opened a socket (mark it `network` if it talks to a local server)")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield attempts
    if attempts:
        pytest.fail(f"network used {len(attempts)} time(s): {attempts[0]!r}", pytrace=False)


@pytest.fixture
def network_attempts(no_network) -> list:
    """The attempts recorded by the suite-wide guard, for tests that assert on them."""
    return no_network
