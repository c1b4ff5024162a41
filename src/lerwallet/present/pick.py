"""`--pick`: choose credentials with checkboxes on the terminal (space toggles, enter confirms).

A small picker on termios (no extra dependency): the list is drawn on stderr, so stdout stays
clean for the presentation itself; keys come from the terminal on stdin.

  up/down or k/j   move            space   toggle the line
  a                all / none      enter   confirm (at least one must be ticked)
  q, Esc, Ctrl-C   cancel (exit 130, nothing is written)

Without a terminal on both stdin and stderr, `require_terminal` refuses with a hint (exit 2).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from lerwallet.errors import UsageError

UP, DOWN, SPACE, ENTER, ALL, CANCEL = "up", "down", "space", "enter", "all", "cancel"


@dataclass
class Item:
    key: str
    label: str
    checked: bool = False
    note: str = ""  # shown dimmed after the label (e.g. which query it answers)


def has_terminal(stdin=None, stderr=None) -> bool:
    stdin = stdin or sys.stdin
    stderr = stderr or sys.stderr
    try:
        return stdin.isatty() and stderr.isatty()
    except (AttributeError, ValueError):
        return False


def require_terminal(stdin=None, stderr=None) -> None:
    if not has_terminal(stdin, stderr):
        raise UsageError("--pick needs a terminal, and there is none here",
                         hint="name the credentials instead (lerwallet present ID...), or use --request FILE or filters")


class Picker:
    """The picker's state, separate from the terminal so its logic is testable by keys."""

    def __init__(self, items: list[Item], title: str) -> None:
        if not items:
            raise UsageError("nothing to pick from")
        self.items = items
        self.title = title
        self.cursor = 0
        self.message = ""
        self.done = False

    def press(self, key: str) -> None:
        self.message = ""
        if key == UP:
            self.cursor = (self.cursor - 1) % len(self.items)
        elif key == DOWN:
            self.cursor = (self.cursor + 1) % len(self.items)
        elif key == SPACE:
            self.items[self.cursor].checked = not self.items[self.cursor].checked
        elif key == ALL:
            target = not all(i.checked for i in self.items)
            for item in self.items:
                item.checked = target
        elif key == ENTER:
            if any(i.checked for i in self.items):
                self.done = True
            else:
                self.message = "tick at least one with space (q cancels)"
        elif key == CANCEL:
            raise KeyboardInterrupt

    def chosen(self) -> list[str]:
        return [i.key for i in self.items if i.checked]

    def lines(self, color: bool) -> list[str]:
        dim, bold, reset = ("\x1b[2m", "\x1b[1m", "\x1b[0m") if color else ("", "", "")
        out = [f"{bold}{self.title}{reset}", f"{dim}space: tick/untick  enter: confirm  a: all  q: cancel{reset}"]
        for n, item in enumerate(self.items):
            pointer = ">" if n == self.cursor else " "
            box = "[x]" if item.checked else "[ ]"
            line = f"{pointer} {box} {item.label}"
            if item.note:
                line += f"  {dim}{item.note}{reset}"
            out.append(f"{bold}{line}{reset}" if n == self.cursor and color else line)
        out.append(self.message)
        return out


def _read_key(fd: int) -> str | None:
    ch = os.read(fd, 1)
    if ch in (b"\r", b"\n"):
        return ENTER
    if ch == b" ":
        return SPACE
    if ch in (b"k", b"K"):
        return UP
    if ch in (b"j", b"J"):
        return DOWN
    if ch in (b"a", b"A"):
        return ALL
    if ch in (b"q", b"Q", b"\x03", b"\x04"):
        return CANCEL
    if ch == b"\x1b":
        import select

        ready, _, _ = select.select([fd], [], [], 0.05)
        if not ready:
            return CANCEL  # a lone Esc
        seq = os.read(fd, 2)
        return {b"[A": UP, b"[B": DOWN, b"OA": UP, b"OB": DOWN}.get(seq)
    return None


def pick(items: list[Item], *, title: str, stdin=None, stderr=None) -> list[str]:
    """The keys of the ticked items, in list order. KeyboardInterrupt when cancelled."""
    import termios
    import tty

    stdin = stdin or sys.stdin
    stderr = stderr or sys.stderr
    require_terminal(stdin, stderr)
    picker = Picker(items, title)
    fd = stdin.fileno()
    color = not os.environ.get("NO_COLOR")
    saved = termios.tcgetattr(fd)
    drawn = 0

    def draw() -> None:
        nonlocal drawn
        lines = picker.lines(color)
        if drawn:
            stderr.write(f"\x1b[{drawn}A\r\x1b[J")
        stderr.write("\r\n".join(lines) + "\r\n")
        stderr.flush()
        drawn = len(lines)

    try:
        tty.setcbreak(fd)
        stderr.write("\x1b[?25l")  # hide the cursor while picking
        draw()
        while not picker.done:
            key = _read_key(fd)
            if key is not None:
                picker.press(key)
                draw()
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        stderr.write("\x1b[?25h")
        stderr.flush()
    return picker.chosen()
