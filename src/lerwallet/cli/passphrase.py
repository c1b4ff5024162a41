"""Where passphrases come from: an environment variable, a file, or a hidden prompt; never an argument.

Text passphrases are NFC-normalized before encoding to UTF-8, so the same passphrase typed on
systems that compose accents differently unlocks the same wallet.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from pathlib import Path

from lerwallet.errors import InputError, UsageError

ENV_PASSPHRASE = "LERWALLET_PASSPHRASE"
ENV_NEW_PASSPHRASE = "LERWALLET_NEW_PASSPHRASE"


def _encode(text: str) -> bytes:
    return unicodedata.normalize("NFC", text).encode("utf-8")


def _is_interactive() -> bool:
    """Whether a person can answer a prompt (tests replace this)."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _from_file(path: Path) -> bytes:
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise InputError(f"passphrase file {path} is a directory") from None
    except OSError as exc:
        raise InputError(f"cannot read passphrase file {path}: {exc.strerror}") from None
    data = data.split(b"\n", 1)[0].removesuffix(b"\r")  # the first line; a trailing newline is not part
    try:
        data = _encode(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass  # not text: use the bytes as they are
    if not data:
        raise InputError(f"passphrase file {path} is empty")
    return data


def read_passphrase(
    *,
    passphrase_file: Path | None = None,
    confirm: bool = False,
    prompt: str = "Passphrase",
    env_var: str = ENV_PASSPHRASE,
    file_option: str = "--passphrase-file",
) -> bytes:
    """The passphrase from `passphrase_file` (an explicit flag wins), else `env_var`, else a
    hidden prompt (twice when `confirm`). Without any of them and no terminal: UsageError
    (exit 2) naming the options. Ctrl-C at the prompt exits 130, end of input exits 2."""
    if passphrase_file is not None:
        return _from_file(passphrase_file)
    env = os.environ.get(env_var)
    if env is not None:
        if not env:  # set but empty: a mistake (an unset export, an empty secret), not "no passphrase"
            raise UsageError(f"{env_var} is set but empty",
                             hint=f"set it to the passphrase, pass {file_option} FILE, or unset it to be asked")
        return _encode(env)
    if not _is_interactive():
        raise UsageError(
            "no passphrase given and no terminal to ask for one",
            hint=f"set {env_var} or pass {file_option} FILE",
        )
    import typer

    while True:
        text = typer.prompt(prompt, hide_input=True, err=True)
        if not text:
            sys.stderr.write("lerwallet: the passphrase cannot be empty\n")
            continue
        if confirm and typer.prompt("Repeat for confirmation", hide_input=True, err=True) != text:
            # our own line, not Click's "Error: The two entered values do not match."
            sys.stderr.write("lerwallet: error: the two passphrases do not match; type it again\n")
            continue
        return _encode(text)


def confirm(question: str, *, action: str) -> bool:
    """Ask `question` (y/N). On a terminal, a prompt; otherwise one line read from stdin (so
    `echo y | lerwallet delete ID` works). No answer at all (end of input) is a UsageError
    naming --yes: `action` says what needed the confirmation."""
    if _is_interactive():
        import typer

        return typer.confirm(question, default=False, err=True)
    line = sys.stdin.readline(64) if sys.stdin is not None else ""
    if not line:
        raise UsageError(f"{action} needs confirmation, and no answer came on stdin",
                         hint="pass --yes, or pipe the answer: echo y | lerwallet ...")
    sys.stderr.write(f"{question} [y/N]: {line.strip()}\n")
    return line.strip().lower() in ("y", "yes")


MIN_PASSPHRASE_CHARS = 12
PROMPT_TRIES = 3  # a wrong passphrase typed at a terminal prompt can be typed again, up to 3 times


def weakness(passphrase: bytes) -> str | None:
    """A warning for a new passphrase too short to resist offline guessing of a stolen wallet
    file (Argon2id slows each guess, it cannot make 6 characters strong); None when long enough.
    Only a warning: the learner decides."""
    try:
        length = len(passphrase.decode("utf-8"))
    except UnicodeDecodeError:
        length = len(passphrase)
    if length >= MIN_PASSPHRASE_CHARS:
        return None
    return (f"the passphrase has only {length} character{'s' if length != 1 else ''}; anyone who copies the wallet "
            f"file can try to guess it offline: {MIN_PASSPHRASE_CHARS} or more (a few words) is much safer")


def open_wallet(ctx, passphrase_file: Path | None = None):
    """Unlock the wallet for a command: resolve the home, check it exists (before asking for a
    passphrase), read the passphrase, open, and print any warning (such as loose file modes)."""
    from lerwallet.cli import output
    from lerwallet.errors import NotFoundError
    from lerwallet.store import Wallet

    home = wallet_home(ctx)
    if not Wallet.exists(home):
        raise NotFoundError(f"no wallet at {home}", hint="create one with: lerwallet init")
    from lerwallet.errors import WalletLockedError

    prompted = passphrase_file is None and os.environ.get(ENV_PASSPHRASE) is None and _is_interactive()
    for attempt in range(1, PROMPT_TRIES + 1):
        try:
            wallet = Wallet.open(home, read_passphrase(passphrase_file=passphrase_file))
            break
        except WalletLockedError as exc:
            # A typo at a prompt deserves another go (as sudo and ssh give); a passphrase from a
            # file or the environment would only fail the same way again.
            if not prompted or attempt == PROMPT_TRIES:
                raise
            sys.stderr.write(f"lerwallet: {exc.message}; try again ({PROMPT_TRIES - attempt} left)\n")
    for message in wallet.warnings:
        output.warn(message)
    return wallet


def wallet_home(ctx) -> Path:
    """The wallet folder for this invocation: --home, LERWALLET_HOME, or the platform default.
    `ctx` None: a fast path without Typer (no --home option was given)."""
    from lerwallet.paths import wallet_home as default_home

    if ctx is None:
        return default_home(None)
    from lerwallet.cli.app import settings

    return default_home(settings(ctx).home)
