"""`lerwallet serve`: the VC-API service (docs/serve.md). Parses options, builds the one
process-wide configuration (`lerwallet.serve.config.build`), binds the socket, runs uvicorn.
Starlette and uvicorn are imported inside the command only."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer


def register(app: typer.Typer) -> None:
    """Attach the `serve` command to the root app."""
    app.command("serve")(serve)


def serve(
    ctx: typer.Context,
    verifier: bool = typer.Option(False, "--verifier", help="Serve POST /credentials/verify and POST /presentations/verify (W3C VC-API)."),
    host: Optional[str] = typer.Option(None, "--host", help="Address to listen on (default 127.0.0.1); any other than loopback needs --tls-cert/--tls-key."),
    port: Optional[int] = typer.Option(None, "--port", help="TCP port (default 8443; 0 picks a free one, printed at start)."),
    tls_cert: Optional[Path] = typer.Option(None, "--tls-cert", help="PEM certificate (chain) for HTTPS.", metavar="CERT.pem"),
    tls_key: Optional[Path] = typer.Option(None, "--tls-key", help="PEM private key of --tls-cert.", metavar="KEY.pem"),
    config: Optional[Path] = typer.Option(None, "--config", help="TOML file with the same settings (the command line wins).", metavar="FILE"),
    trust: List[Path] = typer.Option([], "--trust", help="Trust file or issuer registry (repeatable).", metavar="FILE"),
    trust_anchor: List[Path] = typer.Option([], "--trust-anchor", help="PEM CA certificate that x5c (X.509) issuers must chain to (repeatable).", metavar="CERT.pem"),
    crl: List[Path] = typer.Option([], "--crl", help="CA's certificate revocation list (PEM or DER) that x5c chains are checked against (repeatable).", metavar="FILE"),
    status_cache: Optional[Path] = typer.Option(None, "--status-cache", help="Folder of status list credentials fetched earlier.", metavar="DIR"),
    did_web_cache: Optional[Path] = typer.Option(None, "--did-cache", help="Folder of did:web documents fetched earlier.", metavar="DIR"),
    ob2_cache: Optional[Path] = typer.Option(None, "--ob2-cache", help="Folder of Open Badges 2.0 documents fetched earlier (hosted assertions, BadgeClasses, issuers, keys, revocation lists).", metavar="DIR"),
    online: bool = typer.Option(False, "--online", help="Allow fetching status lists, did:web documents and registries (https only)."),
    strict: bool = typer.Option(False, "--strict", help="Treat warnings (such as an unknown issuer) as failures."),
    max_concurrency: Optional[int] = typer.Option(None, "--max-concurrency", help="Verifications admitted at once, running or waiting (default 8).", metavar="N"),
    threads: Optional[int] = typer.Option(None, "--threads", help="Verification threads (default 2); run more copies to use more cores.", metavar="N"),
    timeout: Optional[float] = typer.Option(None, "--timeout", help="Seconds per request, waiting included (default 10); then 503.", metavar="SECONDS"),
    quiet: bool = typer.Option(False, "--quiet", help="No access log (one JSON line per request on stderr)."),
    json_out: bool = typer.Option(False, "--json", help="Print the listening address and settings as one JSON line on stdout."),
    issuer: Optional[str] = typer.Option(None, "--issuer", help="Also serve POST /credentials/issue, signing with this wallet identity (name or DID).", metavar="IDENTITY"),
    token_file: Optional[Path] = typer.Option(None, "--token-file", help="With --issuer: clients must send Authorization: Bearer TOKEN (first line of FILE); required off loopback.", metavar="FILE"),
    passphrase_file: Optional[Path] = typer.Option(None, "--passphrase-file", help="With --issuer: read the wallet passphrase from this file (first line).", metavar="FILE"),
) -> None:
    """Run lerwallet as a verification service for other systems (W3C VC-API).

    POST /credentials/verify takes {"verifiableCredential": ..., "options": {...}} and POST
    /presentations/verify takes {"verifiablePresentation": ..., "options": {"challenge": ...,
    "domain": ...}}; "at" in options judges dates at that time. A verified input answers 200
    {"verified": true, "checks", "warnings", "errors", "lerwallet": the full report}; one that
    does not verify answers 400 with the same body; a malformed request 422. GET /healthz
    answers while the service is up.

    One configuration for the whole process: the verify options (--trust, --status-cache,
    --online, ...) apply to every request. Offline unless --online. Plain HTTP only on
    loopback; any other --host needs --tls-cert and --tls-key. Stateless: run more copies
    behind a load balancer to scale. SIGTERM stops it cleanly (exit 0).

    --issuer IDENTITY adds POST /credentials/issue ({"credential", "options"} -> 201
    {"verifiableCredential"}): the identity's key is read from the wallet once, at start-up
    (Ed25519: eddsa-rdfc-2022; P-256: ecdsa-rdfc-2019, or ecdsa-sd-2023 with
    options.mandatoryPointers). Off by default; with --token-file, requests need the bearer
    token; any --host other than loopback requires it. See docs/issue.md.

    Examples:

      lerwallet serve --verifier

      lerwallet serve --verifier --host 0.0.0.0 --tls-cert cert.pem --tls-key key.pem --trust registry.json

      curl -s localhost:8443/credentials/verify -H 'content-type: application/json' -d @request.json

      lerwallet serve --issuer garden --token-file issuer-token.txt
    """
    from lerwallet.cli.app import settings
    from lerwallet.serve.config import build

    given = {
        "verifier": verifier or None, "host": host, "port": port, "tls-cert": tls_cert, "tls-key": tls_key,
        "trust": list(trust), "trust-anchor": list(trust_anchor), "crl": list(crl), "status-cache": status_cache, "did-cache": did_web_cache, "ob2-cache": ob2_cache,
        "online": online or None, "strict": strict or None, "max-concurrency": max_concurrency, "threads": threads,
        "timeout": timeout, "access-log": False if quiet else None, "issuer": issuer, "token-file": token_file,
    }
    cfg = build(settings(ctx).home, given, config_file=config)
    if cfg.extra.get("issuer"):
        _load_issuer(ctx, cfg, passphrase_file)
    from lerwallet.serve.run import run

    raise typer.Exit(run(cfg, json_out=json_out))


def _load_issuer(ctx: typer.Context, cfg, passphrase_file: Optional[Path]) -> None:
    """The issuer identity's current key, read from the wallet once (the service then keeps no
    wallet open), and the bearer token."""
    from lerwallet.cli.passphrase import open_wallet
    from lerwallet.issue import signer_for
    from lerwallet.serve.config import read_token

    token_path = cfg.extra.get("token-file")
    token = read_token(Path(token_path)) if token_path is not None else None
    with open_wallet(ctx, passphrase_file) as wallet:
        cfg.extra["signer"] = signer_for(wallet, cfg.extra["issuer"])
    cfg.extra["token"] = token
