"""Run the service with uvicorn: bind first (so `--port 0` can say which port it got and a
bad address is a clear error), then serve until SIGTERM or Ctrl-C.

SIGTERM is a clean stop: uvicorn finishes the requests in flight (at most `timeout` seconds,
the longest a request may take anyway) and the process exits 0. uvicorn re-raises the signal it
caught once it has shut down; the handler installed here makes that a no-op for SIGTERM.
"""

from __future__ import annotations

import json
import logging
import signal
import socket
import sys

from lerwallet.errors import UsageError
from lerwallet.serve.config import ServeConfig

HEADER_LIMIT = 16 * 1024  # h11: bytes of an incomplete request line and headers buffered (its default, stated)


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}",
                         hint="choose another --port (0 picks a free one) or --host") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def url_of(config: ServeConfig, port: int) -> str:
    host = f"[{config.host}]" if ":" in config.host else config.host
    return f"{'https' if config.tls else 'http'}://{host}:{port}"


def run(config: ServeConfig, *, json_out: bool = False) -> int:
    import uvicorn

    from lerwallet.serve import create_app
    from lerwallet.serve.app import roles

    _setup_logging(config)
    app = create_app(config)
    sock = bind(config.host, config.port)
    port = sock.getsockname()[1]
    uv = uvicorn.Config(
        app, host=config.host, port=port, http="h11", ws="none", loop="asyncio", lifespan="on", log_config=None,
        log_level="warning", access_log=False, server_header=False, proxy_headers=False,
        limit_concurrency=config.max_concurrency * 4 + 16,  # connections and tasks; beyond: 503 from uvicorn
        timeout_keep_alive=5, timeout_graceful_shutdown=int(config.timeout) + 1, h11_max_incomplete_event_size=HEADER_LIMIT,
        ssl_certfile=str(config.tls_cert) if config.tls_cert else None, ssl_keyfile=str(config.tls_key) if config.tls_key else None,
    )
    try:
        uv.load()  # reads the TLS files now: a bad one is a usage error, not a half-started server
    except Exception as exc:  # the TLS files: unreadable PEM, key not matching the certificate
        sock.close()
        raise UsageError(f"cannot use --tls-cert/--tls-key: {exc}") from None
    server = uvicorn.Server(uv)
    url = url_of(config, port)
    started = {"url": url, "roles": roles(config), **config.describe(), "port": port}
    if json_out:
        sys.stdout.write(json.dumps(started) + "\n")
        sys.stdout.flush()
    sys.stderr.write(f"lerwallet: {' and '.join(roles(config))} listening on {url}"
                     f" ({'online' if started['online'] else 'offline'}; Ctrl-C or SIGTERM stops it)\n")
    sys.stderr.flush()
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: None)
    try:
        server.run(sockets=[sock])
    finally:
        signal.signal(signal.SIGTERM, previous)
        sock.close()
    if getattr(server, "started", True) is False:
        raise UsageError(f"the server on {url} did not start (see the messages above)")
    return 0


def _setup_logging(config: ServeConfig) -> None:
    access = logging.getLogger("lerwallet.serve.access")
    access.propagate = False
    access.handlers[:] = []
    if config.access_log:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        access.addHandler(handler)
        access.setLevel(logging.INFO)
    else:
        access.setLevel(logging.CRITICAL + 1)
