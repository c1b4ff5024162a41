"""--pick: the checkbox picker's logic by keys, and for real in a pseudo-terminal."""

from __future__ import annotations

import io
import os
import select
import subprocess
import sys
import time

import pytest

from lerwallet.errors import EXIT_USAGE, UsageError
from lerwallet.present.pick import ALL, DOWN, ENTER, SPACE, UP, Item, Picker, pick, require_terminal


def items():
    return [Item("a1", "Python badge"), Item("b2", "Welding badge", checked=True), Item("c3", "Degree", note="query degree")]


def test_keys_move_toggle_and_confirm():
    p = Picker(items(), "Choose")
    for key in (DOWN, DOWN, SPACE, UP, SPACE, ENTER):
        p.press(key)
    assert p.done and p.chosen() == ["c3"]


def test_enter_with_nothing_ticked_asks_again():
    p = Picker([Item("a", "one")], "Choose")
    p.press(ENTER)
    assert not p.done and p.message == "tick at least one with space (q cancels)"
    p.press(ALL)
    p.press(ENTER)
    assert p.done and p.chosen() == ["a"]


def test_lines_show_boxes_cursor_and_notes():
    lines = Picker(items(), "Choose").lines(color=False)
    assert lines[2:5] == ["> [ ] Python badge", "  [x] Welding badge", "  [ ] Degree  query degree"]


def test_no_terminal_is_refused_with_a_hint():
    with pytest.raises(UsageError) as exc:
        require_terminal(io.StringIO(), io.StringIO())
    assert exc.value.exit_code == EXIT_USAGE
    assert exc.value.message == "--pick needs a terminal, and there is none here"
    assert "lerwallet present ID" in exc.value.hint
    with pytest.raises(UsageError):
        pick(items(), title="x", stdin=io.StringIO(), stderr=io.StringIO())


CHILD = r"""
import json, sys
from lerwallet.present.pick import Item, pick
try:
    got = pick([Item("a1", "Python badge"), Item("b2", "Welding badge", checked=True), Item("c3", "Degree")], title="Choose")
    print("RESULT " + json.dumps(got))
except KeyboardInterrupt:
    print("CANCELLED")
"""


def run_in_pty(keys: list[bytes]) -> str:
    """Run the picker in a real pseudo-terminal, type `keys` once it is drawn, return all output."""
    master, slave = os.openpty()
    env = dict(os.environ, NO_COLOR="1")
    proc = subprocess.Popen([sys.executable, "-c", CHILD], stdin=slave, stdout=slave, stderr=slave, env=env,
                            close_fds=True, start_new_session=True)
    os.close(slave)
    out = b""

    def read_until(marker: bytes, timeout: float = 20) -> None:
        nonlocal out
        end = time.monotonic() + timeout
        while marker not in out and time.monotonic() < end:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    out += os.read(master, 4096)
                except OSError:
                    return

    try:
        read_until(b"q: cancel")
        for key in keys:
            os.write(master, key)
            time.sleep(0.05)
        read_until(b"RESULT" if b"q" not in keys else b"CANCELLED")
        read_until(b"\n", 1)
        proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    return out.decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_pick_in_a_real_terminal_space_toggles_enter_confirms():
    out = run_in_pty([b"j", b" ", b"\x1b[B", b" ", b"\r"])  # down, untick Welding, arrow down, tick Degree, enter
    assert 'RESULT ["c3"]' in out
    assert "[x] Welding badge" in out and "> [ ] Python badge" in out  # the first drawing


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_pick_in_a_real_terminal_q_cancels():
    out = run_in_pty([b" ", b"q"])
    assert "CANCELLED" in out and "RESULT" not in out
