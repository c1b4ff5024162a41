"""The VC-API service: `lerwallet serve`, a thin ASGI layer over the library (docs/serve.md).

    app = create_app(ServeConfig(verifier=True))      # a Starlette app; uvicorn runs it

Stateless: no wallet, no store, nothing kept between requests (a fresh DID resolver per
request), so it scales by running more copies behind a load balancer. Starlette and uvicorn are
imported only here and in `cli/serve.py`'s command body, never by `lerwallet verify`.

Extending it (the issuer lane): `app.routes(config)` builds the route list from the
configuration; a new role is one module exposing `routes(config) -> list[Route]` and one line
there, with its switch on `ServeConfig`.
"""

from __future__ import annotations

from lerwallet.serve.config import ServeConfig

__all__ = ["ServeConfig", "create_app"]


def create_app(config: ServeConfig):
    """The ASGI application for `config` (imports Starlette)."""
    from lerwallet.serve.app import create_app as _create

    return _create(config)
