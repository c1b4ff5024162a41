"""The Starlette application: routes built from the configuration, a JSON access log without
credential contents, JSON error bodies for every status, and the gate that bounds how many
verifications run at once and for how long.

Only `lerwallet serve` (and tests) import this module: Starlette never loads for `verify`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from lerwallet import __version__
from lerwallet.serve.config import ServeConfig

ACCESS_LOG = logging.getLogger("lerwallet.serve.access")
PROBLEM_BASE = "urn:lerwallet:problem:"  # the same base as the verification report's problems


class RequestError(Exception):
    """A request the service will not process: an HTTP status and one plain sentence."""

    def __init__(self, status: int, code: str, message: str, *, headers: dict | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


def error_body(code: str, message: str) -> dict:
    """The body of every refusal: the VC-API verification result shape (`verified: false`,
    `checks`, `warnings`, `errors`), plus RFC 9457-style `problemDetails`."""
    return {"verified": False, "checks": [], "warnings": [], "errors": [message],
            "problemDetails": [{"type": PROBLEM_BASE + code, "title": code.replace("-", " "), "detail": message}]}


def error_response(exc: RequestError) -> JSONResponse:
    return JSONResponse(error_body(exc.code, exc.message), status_code=exc.status, headers=exc.headers)


class Gate:
    """At most `limit` verifications admitted at once, each given `timeout` seconds in all
    (waiting for a slot included). The work runs on a pool of `threads` threads; a request that
    times out is answered 503 at once, and its slot is freed only when its thread is done, so
    abandoned work can never pile up beyond the limit."""

    def __init__(self, limit: int, threads: int, timeout: float) -> None:
        self.limit, self.timeout = limit, timeout
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="lerwallet-verify")
        self._slots: asyncio.Semaphore | None = None
        self.running = 0

    async def run(self, work: Callable[[], Any]) -> Any:
        loop = asyncio.get_running_loop()
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.limit)
        deadline = loop.time() + self.timeout
        try:
            await asyncio.wait_for(self._slots.acquire(), self.timeout)
        except (asyncio.TimeoutError, TimeoutError):
            raise RequestError(503, "busy", f"the service is busy: no verification slot within {self.timeout:g} s; try again",
                               headers={"Retry-After": "1"}) from None
        slots = self._slots
        self.running += 1

        def release(_future) -> None:
            self.running -= 1
            slots.release()

        future = loop.run_in_executor(self.executor, work)
        future.add_done_callback(release)
        try:
            return await asyncio.wait_for(asyncio.shield(future), max(0.0, deadline - loop.time()))
        except (asyncio.TimeoutError, TimeoutError):
            raise RequestError(503, "timeout", f"verification took longer than {self.timeout:g} s; not answered",
                               headers={"Retry-After": "1"}) from None

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)


async def read_json_body(request: Request) -> Any:
    """(Shared by every role's POST routes.) The request body as untrusted JSON, held to `limits.MAX_INPUT_BYTES` while it streams in
    (a declared Content-Length over the cap is refused before reading)."""
    from lerwallet.formats import limits
    from lerwallet.formats.errors import FormatError
    from lerwallet.formats.json_doc import loads

    cap = limits.MAX_INPUT_BYTES
    too_large = RequestError(413, "too-large", f"request body is larger than {cap // (1024 * 1024)} MiB")
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > cap:
        raise too_large
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype and ctype != "application/json" and not ctype.endswith("+json"):
        raise RequestError(415, "unsupported-media-type", f"expected Content-Type application/json, got {ctype[:80]}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise too_large
        chunks.append(chunk)
    data = b"".join(chunks)
    try:
        return loads(data)
    except FormatError as exc:
        raise RequestError(422, "not-json", f"request body is not JSON lerwallet accepts: {exc.message}") from None


def json_type(value: Any) -> str:
    """How a refusal names a JSON value's type: "an array", "a number", ..."""
    return {list: "an array", bool: "a boolean", int: "a number", float: "a number", str: "a string",
            dict: "an object", type(None): "null"}.get(type(value), type(value).__name__)


def routes(config: ServeConfig, gate: Gate) -> list[Route]:
    """Every route the configuration asks for. A role is one module with `routes(config, gate)`."""
    out = [Route("/healthz", _healthz(config), methods=["GET"])]
    if config.verifier:
        from lerwallet.serve import verifier

        out += verifier.routes(config, gate)
    if config.extra.get("signer") is not None:
        from lerwallet.serve import issuer

        out += issuer.routes(config, gate)
    return out


def roles(config: ServeConfig) -> list[str]:
    return (["verifier"] if config.verifier else []) + (["issuer"] if config.extra.get("signer") is not None else [])


def _healthz(config: ServeConfig):
    body = {"status": "ok", "version": __version__, "roles": roles(config)}

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse(body)

    return healthz


async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
    code = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
    message = {404: f"no such endpoint: {request.url.path[:200]}",
               405: f"{request.method} is not allowed on {request.url.path[:200]}"}.get(exc.status_code, str(exc.detail))
    return JSONResponse(error_body(code, message), status_code=exc.status_code, headers=exc.headers)


async def _request_error(request: Request, exc: RequestError) -> JSONResponse:
    return error_response(exc)


async def _internal(request: Request, exc: Exception) -> JSONResponse:
    logging.getLogger("lerwallet.serve").error("internal error: %s: %s", type(exc).__name__, exc)
    return JSONResponse(error_body("internal-error", "internal error (a bug in lerwallet; the request was not verified)"),
                        status_code=500)


class AccessLog:
    """One JSON line per request on the `lerwallet.serve.access` logger: time, request id, client,
    method, path, status, bytes in and out, milliseconds and (for verifications) the verdict.
    Never a header value, a query string or a byte of the body: no credential content."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        request_id = uuid.uuid4().hex[:16]
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        seen = {"status": 500, "in": 0, "out": 0}

        async def counting_receive():
            message = await receive()
            if message["type"] == "http.request":
                seen["in"] += len(message.get("body", b""))
            return message

        async def tagging_send(message):
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
                message = dict(message)
                message["headers"] = list(message.get("headers", [])) + [(b"x-request-id", request_id.encode())]
            elif message["type"] == "http.response.body":
                seen["out"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, counting_receive, tagging_send)
        finally:
            client = scope.get("client")
            entry = {
                "ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "id": request_id,
                "client": client[0] if client else None, "method": scope.get("method"),
                "path": scope.get("path", "")[:200], "status": seen["status"], "bytesIn": seen["in"],
                "bytesOut": seen["out"], "ms": round((time.perf_counter() - started) * 1000, 1),
            }
            if "verdict" in state:
                entry["verdict"] = state["verdict"]
            ACCESS_LOG.info(json.dumps(entry, separators=(",", ":")))


def warm_up() -> None:
    """Verify one credential signed here with a throw-away key before the first request, so the
    first applicant does not pay the pipeline's imports (about half a second)."""
    from lerwallet import crypto
    from lerwallet.keys import did_key_from_public
    from lerwallet.proofs import sign
    from lerwallet.verify import Options, verify_bytes

    key = crypto.generate_private_key("ed25519")
    did = did_key_from_public("ed25519", crypto.public_key_of("ed25519", key))
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
           "type": ["VerifiableCredential", "OpenBadgeCredential"], "issuer": {"id": did, "type": ["Profile"], "name": "warm-up"},
           "validFrom": "2024-01-01T00:00:00Z", "name": "warm-up",
           "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
               "id": "urn:uuid:6c1e1c3a-0000-4000-8000-000000000000", "type": ["Achievement"], "name": "warm-up",
               "criteria": {"narrative": "none"}}}}
    signed = sign(doc, suite="eddsa-rdfc-2022", key_type="ed25519", private_key=key, verification_method=f"{did}#{did.split(':')[-1]}")
    verify_bytes(json.dumps(signed).encode(), Options(), expect="object")
    from lerwallet.verify.batch import settle

    settle()


def create_app(config: ServeConfig) -> Starlette:
    from contextlib import asynccontextmanager

    from starlette.middleware import Middleware

    if config.options is None:
        from lerwallet.verify import Options

        config.options = Options()
    config.options.get_loader()  # built once; a fresh DID resolver per request (no state kept)
    gate = Gate(config.max_concurrency, config.threads, config.timeout)

    @asynccontextmanager
    async def lifespan(app):
        if config.warm_up:
            await asyncio.get_running_loop().run_in_executor(gate.executor, warm_up)
        yield
        gate.close()

    middleware = [Middleware(AccessLog)] if config.access_log else []
    app = Starlette(
        routes=routes(config, gate),
        middleware=middleware,
        exception_handlers={HTTPException: _http_error, RequestError: _request_error, Exception: _internal},
        lifespan=lifespan,
    )
    app.state.config = config
    app.state.gate = gate
    return app
