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


@pytest.fixture
def network_attempts(monkeypatch) -> list:
    """Make every way of reaching the network fail loudly and record the attempt.

    Tests that prove "offline by default" use it and assert the returned list stays empty.
    """
    import socket

    attempts: list = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError("network used")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts
