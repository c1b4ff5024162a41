"""One process-wide configuration for `lerwallet serve`: from the command line, a TOML file
(`--config FILE`), or both (the command line wins). Checked before the server starts: a bad
value is a usage error, never a server that answers wrongly.

The file uses the command line's option names (docs/serve.md, "Configuration file"):

    verifier = true
    host = "127.0.0.1"
    port = 8443
    trust = ["registry.json"]          # paths relative to the file's folder
    status-cache = "lists/"
    max-concurrency = 8
    timeout = 10
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lerwallet.errors import UsageError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8443
DEFAULT_MAX_CONCURRENCY = 8  # verifications admitted at once (running or waiting for a thread)
DEFAULT_THREADS = 2  # verification threads per process; more processes scale further (docs/serve.md)
DEFAULT_TIMEOUT = 10.0  # seconds per request, waiting for a slot included
MAX_TIMEOUT = 300.0

# option name -> (type, is a path); every key a config file may hold
FILE_KEYS: dict[str, tuple[type, bool]] = {
    "verifier": (bool, False),
    "host": (str, False),
    "port": (int, False),
    "tls-cert": (str, True),
    "tls-key": (str, True),
    "trust": (list, True),
    "trust-anchor": (list, True),
    "crl": (list, True),
    "status-cache": (str, True),
    "did-cache": (str, True),
    "ob2-cache": (str, True),
    "online": (bool, False),
    "strict": (bool, False),
    "max-concurrency": (int, False),
    "threads": (int, False),
    "timeout": (float, False),
    "access-log": (bool, False),
    "issuer": (str, False),
    "token-file": (str, True),
}


@dataclass
class ServeConfig:
    """What the service does and how; `options` is the verification template every request
    starts from (trust files loaded, caches checked, offline unless `online`)."""

    verifier: bool = False
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    tls_cert: Path | None = None
    tls_key: Path | None = None
    max_concurrency: int = DEFAULT_MAX_CONCURRENCY
    threads: int = DEFAULT_THREADS
    timeout: float = DEFAULT_TIMEOUT
    access_log: bool = True
    warm_up: bool = False  # verify one credential at start-up (the command does; tests need not)
    options: Any = None  # lerwallet.verify.Options; built by `build` (or a default offline one)
    extra: dict = field(default_factory=dict)  # settings of other roles (the issuer lane)

    @property
    def tls(self) -> bool:
        return self.tls_cert is not None

    def describe(self) -> dict:
        """What the service was started with, for its start-up log line (no secrets: paths only)."""
        opts = self.options
        signer = self.extra.get("signer")
        return {
            "verifier": self.verifier, "issuer": signer.did if signer is not None else None,
            "issuerToken": self.extra.get("token") is not None if signer is not None else None, "host": self.host, "port": self.port, "tls": self.tls,
            "online": bool(opts and opts.online), "strict": bool(opts and opts.strict),
            "trust": [str(p) for p in (opts.trust_files if opts else [])],
            "statusCache": str(opts.status_cache) if opts and opts.status_cache else None,
            "didCache": str(opts.did_web_cache) if opts and opts.did_web_cache else None,
            "ob2Cache": str(opts.ob2_cache) if opts and opts.ob2_cache else None,
            "maxConcurrency": self.max_concurrency, "threads": self.threads, "timeout": self.timeout,
        }


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and `localhost` only: a name that merely resolves there today is not."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def read_file(path: Path) -> dict[str, Any]:
    """The settings of a TOML config file, type-checked, paths resolved against its folder."""
    import tomllib

    try:
        with open(path, "rb") as handle:
            data = handle.read(1024 * 1024 + 1)
    except OSError as exc:
        raise UsageError(f"cannot read --config {path}: {exc.strerror or exc}") from None
    if len(data) > 1024 * 1024:
        raise UsageError(f"--config {path} is larger than 1 MiB")
    try:
        table = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"--config {path} is not valid TOML: {exc}", hint="see docs/serve.md, Configuration file") from None
    base = Path(path).resolve().parent
    out: dict[str, Any] = {}
    for key, value in table.items():
        if key not in FILE_KEYS:
            raise UsageError(f"--config {path}: unknown setting {key!r}",
                             hint="settings: " + ", ".join(sorted(FILE_KEYS)))
        kind, is_path = FILE_KEYS[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise UsageError(f"--config {path}: {key} must be a {kind.__name__}, not {type(value).__name__}")
        if kind is list and not all(isinstance(v, str) for v in value):
            raise UsageError(f"--config {path}: {key} must be a list of paths (strings)")
        if is_path:
            value = [base / v for v in value] if kind is list else base / value
        out[key] = value
    return out


def build(home: Path | None, given: dict[str, Any], *, config_file: Path | None = None) -> ServeConfig:
    """The configuration from the command line (`given`: option name -> value, None when not
    given) over the config file's settings; every check runs here, before the server starts."""
    from lerwallet.verify.options import prepare

    settings: dict[str, Any] = read_file(config_file) if config_file is not None else {}
    for key, value in given.items():
        if value is not None and value != []:
            settings[key] = value
    host = settings.get("host", DEFAULT_HOST)
    port = settings.get("port", DEFAULT_PORT)
    cert, key = settings.get("tls-cert"), settings.get("tls-key")
    if not settings.get("verifier") and not settings.get("issuer"):
        raise UsageError("nothing to serve", hint="lerwallet serve --verifier and/or --issuer IDENTITY (see: lerwallet serve --help)")
    check_issuer(settings, host)
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port} is not a TCP port (0-65535)")
    if (cert is None) != (key is None):
        raise UsageError("--tls-cert and --tls-key go together", hint="give both (PEM files), or neither on loopback")
    for path, flag in ((cert, "--tls-cert"), (key, "--tls-key")):
        if path is not None and not Path(path).is_file():
            raise UsageError(f"{flag} {path} is not a file")
    if cert is None and not is_loopback(host):
        raise UsageError(f"--host {host} is not a loopback address: plain HTTP there would carry candidates' credentials in the clear",
                         hint="add --tls-cert CERT.pem --tls-key KEY.pem, or serve on --host 127.0.0.1")
    concurrency = settings.get("max-concurrency", DEFAULT_MAX_CONCURRENCY)
    threads = settings.get("threads", DEFAULT_THREADS)
    timeout = float(settings.get("timeout", DEFAULT_TIMEOUT))
    if not 1 <= concurrency <= 1024:
        raise UsageError(f"--max-concurrency {concurrency} is out of range (1-1024)")
    if not 1 <= threads <= 64:
        raise UsageError(f"--threads {threads} is out of range (1-64)")
    if not 0 < timeout <= MAX_TIMEOUT:
        raise UsageError(f"--timeout {timeout:g} is out of range (more than 0, at most {MAX_TIMEOUT:g} seconds)")
    opts = prepare(home, trust=settings.get("trust", []), trust_anchor=settings.get("trust-anchor", []),
                   crl=settings.get("crl", []),
                   status_cache=settings.get("status-cache"), did_web_cache=settings.get("did-cache"),
                   ob2_cache=settings.get("ob2-cache"), online=bool(settings.get("online", False)), strict=bool(settings.get("strict", False)))
    return ServeConfig(
        verifier=bool(settings.get("verifier", False)), host=host, port=port,
        tls_cert=Path(cert) if cert is not None else None, tls_key=Path(key) if key is not None else None,
        max_concurrency=concurrency, threads=min(threads, concurrency), timeout=timeout,
        access_log=bool(settings.get("access-log", True)), warm_up=True, options=opts,
        extra={k: v for k, v in settings.items() if k in ROLE_KEYS},
    )


# Settings that switch on another role: "issuer" (POST /credentials/issue, serve/issuer.py).
ROLE_KEYS: tuple[str, ...] = ("issuer", "token-file")
MAX_TOKEN_BYTES = 4096
MIN_TOKEN_CHARS = 16


def read_token(path: Path) -> bytes:
    """The issuer's bearer token: the first line of a file (never a command-line argument, which
    other users can read in the process list); at least 16 characters."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_TOKEN_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"cannot read --token-file {path}: {exc.strerror or exc}") from None
    token = data[:MAX_TOKEN_BYTES].split(b"\n", 1)[0].strip()
    if len(data) > MAX_TOKEN_BYTES or len(token) < MIN_TOKEN_CHARS or not token.isascii() or b" " in token:
        raise UsageError(f"--token-file {path} does not hold a usable token",
                         hint=f"one line of at least {MIN_TOKEN_CHARS} printable characters, e.g. from: "
                              "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'")
    return token


def check_issuer(settings: dict[str, Any], host: str) -> None:
    """The issuer role's own rules: a token file needs the role; off loopback a token is
    required (an open issuing endpoint is a forgery service)."""
    if settings.get("token-file") is not None and not settings.get("issuer"):
        raise UsageError("--token-file protects the issuer role", hint="add --issuer IDENTITY")
    if settings.get("issuer") and settings.get("token-file") is None and not is_loopback(host):
        raise UsageError(f"--issuer on --host {host} without --token-file: anyone who reaches it could sign as you",
                         hint="add --token-file FILE (clients send Authorization: Bearer TOKEN), or serve on loopback")
