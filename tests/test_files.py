"""`lerwallet.files`: the one atomic writer (DID documents, exported keys)."""

from __future__ import annotations

import os
import stat

import pytest

from lerwallet.errors import InputError, UsageError
from lerwallet.files import Reserved, write_atomic


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_new_file_is_0600_and_no_temporary_is_left(tmp_path):
    target = tmp_path / "key.pem"
    write_atomic(target, b"secret")
    assert target.read_bytes() == b"secret" and _mode(target) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["key.pem"]


def test_existing_file_is_refused_without_force_and_replaced_with_it(tmp_path):
    target = tmp_path / "did.json"
    target.write_bytes(b"old")
    with pytest.raises(UsageError, match="already exists"):
        write_atomic(target, b"new", mode=0o644)
    assert target.read_bytes() == b"old"
    write_atomic(target, b"new", mode=0o644, force=True)
    assert target.read_bytes() == b"new" and _mode(target) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["did.json"]


def test_a_file_that_appears_after_the_reservation_is_not_clobbered(tmp_path):
    target = tmp_path / "did.json"
    reserved = Reserved(target)
    target.write_bytes(b"someone else's")
    with pytest.raises(UsageError):
        reserved.commit(b"mine")
    assert target.read_bytes() == b"someone else's"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["did.json"]


def test_a_symlink_is_replaced_not_followed(tmp_path):
    victim = tmp_path / "victim"
    victim.write_bytes(b"keep")
    link = tmp_path / "out"
    link.symlink_to(victim)
    write_atomic(link, b"data", force=True)
    assert victim.read_bytes() == b"keep" and not link.is_symlink() and link.read_bytes() == b"data"


def test_missing_folder_fails_before_anything_is_written(tmp_path):
    with pytest.raises(InputError, match="cannot create"):
        Reserved(tmp_path / "no" / "such" / "file")
