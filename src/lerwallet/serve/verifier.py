"""The VC-API verifier routes: POST /credentials/verify and POST /presentations/verify.

The contract (docs/serve.md, "The endpoint contract"), as the W3C suites drive it:

- 200 `{verified: true, checks, warnings, errors: [], problemDetails: [], lerwallet}` when the
  input verified (warnings allowed, as for `lerwallet verify` without --strict);
- 400, the same body with `verified: false`, when it did not: failed, inconclusive (something
  could not be checked, e.g. a status list offline: "treat as unverified") or unreadable
  (w3c-ccg/vc-api-verifier-test-suite `testBadRequestError`: status 400, never 200 with
  `verified: false`);
- 413 body over the input cap, 415 not JSON, 422 a request lerwallet cannot process (body not a
  JSON object, `verifiableCredential` missing or of the wrong type, bad `options`, a
  presentation posted as a credential), 503 busy or over the per-request timeout.

`lerwallet` holds the full report, the same JSON `lerwallet verify --json` prints
(docs/verify.md, "JSON result"). The pipeline is `lerwallet.verify.verify_bytes`, unchanged.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from lerwallet.serve.app import PROBLEM_BASE, Gate, RequestError, json_type as _json_type, read_json_body
from lerwallet.serve.config import ServeConfig

OPTION_KEYS = ("challenge", "domain", "at", "checks")

# `options.checks` (VC-API): the families of checks whose outcome decides `verified`. Names as
# VC-API clients send them (the W3C verifier suite sends ["proof"]), each mapped to a family.
CHECK_NAMES = {
    "proof": "proof",
    "expiration": "validity", "validity": "validity", "validFrom": "validity", "validUntil": "validity",
    "issuanceDate": "validity", "expirationDate": "validity",
    "credentialStatus": "status", "status": "status",
    "issuer": "trust", "trust": "trust",
    "schema": "schema", "credentialSchema": "schema",
    "badge": "badge",
}
# lerwallet check ids by family. ALWAYS decides whatever `checks` says: whether the input is a
# well-formed credential (or presentation) at all, and whether it answers this request's
# challenge and domain.
ALWAYS = {"parse", "structure", "context", "related-resource", "presentation.structure", "presentation.challenge",
          "presentation.domain", "presentation.expected"}
FAMILIES = {
    "proof": {"proof", "proof.other", "structure.graph", "presentation.proof", "presentation.proof.other",
              "presentation.graph", "holder.binding", "sd-jwt.key-binding"},
    "validity": {"valid-from", "expiration", "presentation.expiration"},
    "schema": {"schema"},
    "trust": {"issuer.trust"},
}


def family_of(check_id: str) -> str:
    if check_id in ALWAYS:
        return "always"
    for name, ids in FAMILIES.items():
        if check_id in ids:
            return name
    if check_id == "status" or check_id.startswith("status."):
        return "status"
    return "badge"  # badge.subject, badge.recipient, endorsements, clr.*: the Open Badges / CLR specifics


def routes(config: ServeConfig, gate: Gate) -> list[Route]:
    base = config.options

    async def verify_credential(request: Request) -> JSONResponse:
        return await _handle(request, gate, base, kind="credential")

    async def verify_presentation(request: Request) -> JSONResponse:
        return await _handle(request, gate, base, kind="presentation")

    return [
        Route("/credentials/verify", verify_credential, methods=["POST"]),
        Route("/presentations/verify", verify_presentation, methods=["POST"]),
    ]


def _request_options(raw: Any) -> tuple[dict, list[str]]:
    """`options` checked: (the values lerwallet applies, warnings about the rest)."""
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        raise RequestError(422, "bad-options", "options must be a JSON object")
    out: dict = {}
    warnings: list[str] = []
    for key in ("challenge", "domain"):
        value = raw.get(key)
        if value is not None and not isinstance(value, str):
            raise RequestError(422, "bad-options", f"options.{key} must be a string")
        if value is not None:
            out[key] = value
    if raw.get("at") is not None:
        out["at"] = _parse_at(raw["at"])
    checks = raw.get("checks")
    if checks is not None:
        if not isinstance(checks, list) or not all(isinstance(c, str) for c in checks):
            raise RequestError(422, "bad-options", "options.checks must be a list of strings")
        unknown = [c for c in checks if c not in CHECK_NAMES]
        if unknown:
            raise RequestError(422, "bad-options", f"options.checks: {unknown[0][:60]!r} is not a check lerwallet knows"
                                                   f" (known: {', '.join(sorted(CHECK_NAMES))})")
        if checks:
            out["checks"] = {CHECK_NAMES[c] for c in checks}
    for key in sorted(k for k in raw if k not in OPTION_KEYS):
        warnings.append(f"options.{key[:60]}: not supported; ignored")
    return out, warnings


def _parse_at(value: Any) -> datetime:
    """`options.at`, read as `lerwallet verify --at` reads it: an ISO 8601 date-time, or a date
    alone meaning the start of that day in UTC."""
    import re

    from lerwallet.dates import parse_datetime

    when = None
    if isinstance(value, str):
        text = value.strip()
        when = parse_datetime(text + "T00:00:00Z" if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text) else text)
    if when is None:
        shown = repr(value[:64]) if isinstance(value, str) else _json_type(value)
        raise RequestError(422, "bad-options", f"options.at {shown} is not an ISO 8601 date or date-time "
                                               "(for example 2026-01-31 or 2026-01-31T12:00:00Z)")
    return when


def _input_bytes(value: Any, field: str) -> tuple[bytes, str | None]:
    """The posted credential or presentation as bytes for `verify_bytes`, and its `expect`: a
    JSON object (a secured document, or an `Enveloped...` data URL), or a compact JWT / SD-JWT."""
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False).encode("utf-8"), "object"
    if isinstance(value, str):
        from lerwallet.formats import jwt, sdjwt

        data = value.strip().encode("utf-8", "replace")
        if jwt.sniff(data) or sdjwt.sniff(data):
            return data, None
        raise RequestError(422, "bad-request", f"{field} is a string but not a compact JWT or SD-JWT")
    if value is None:
        raise RequestError(422, "bad-request", f"the request has no {field}")
    raise RequestError(422, "bad-request", f"{field} must be a JSON object (or a compact JWT string), not {_json_type(value)}")



async def _handle(request: Request, gate: Gate, base, *, kind: str) -> JSONResponse:
    body = await read_json_body(request)
    if not isinstance(body, dict):
        raise RequestError(422, "bad-request", f"request body must be a JSON object, not {_json_type(body)}")
    field = "verifiableCredential" if kind == "credential" else "verifiablePresentation"
    data, expect = _input_bytes(body.get(field), field)
    applied, warnings = _request_options(body.get("options"))
    now = datetime.now(timezone.utc).replace(microsecond=0)
    opts = base.replace(at=applied.get("at") or now, challenge=applied.get("challenge"), domain=applied.get("domain"),
                        resolver=None)

    def work():
        from lerwallet.verify import verify_bytes

        return verify_bytes(data, opts, source=field, expect=expect)

    reports = await gate.run(work)
    if len(reports) != 1:
        raise RequestError(422, "bad-request", f"{field} must hold exactly one {kind}, found {len(reports)}")
    [report] = reports
    if report.kind not in (kind, "unreadable"):
        other = "/presentations/verify" if report.kind == "presentation" else "/credentials/verify"
        raise RequestError(422, "wrong-endpoint", f"{field} holds a {report.kind}, not a {kind}; post it to {other}")
    status, result = result_body(report, checked_at=opts.now(), run_at=now, extra_warnings=warnings,
                                 requested=applied.get("checks"))
    request.scope.setdefault("state", {})["verdict"] = report.verdict
    return JSONResponse(result, status_code=status)


def result_body(report, *, checked_at: datetime, run_at: datetime, extra_warnings: list[str] = (),
                requested: set[str] | None = None) -> tuple[int, dict]:
    """(HTTP status, VC-API verification result) for one report: 200 only when it verified.
    `requested` (from `options.checks`): only those families (and ALWAYS) decide; what another
    check found is a warning marked "not requested", and the full report still holds it."""
    from lerwallet.dates import iso
    from lerwallet.verify.report import FAIL, SKIPPED, UNKNOWN, VALID, WARN, to_json

    strict = report.strict
    groups = [("", report.presentation_checks)] if report.kind == "presentation" else []
    groups += [(_label(report, i, cred), cred.checks) for i, cred in enumerate(report.credentials)]
    checks: list[str] = []
    errors: list[str] = []
    warnings: list[str] = list(extra_warnings)
    problems: list[dict] = []
    for label, group in groups:
        for check in group:
            if check.outcome != SKIPPED and check.id not in checks:
                checks.append(check.id)
            counts = requested is None or family_of(check.id) in requested or family_of(check.id) == "always"
            bad = check.outcome in (FAIL, UNKNOWN) or (strict and check.outcome == WARN)
            decides = bad and counts
            if bad or check.outcome == WARN:
                line = f"{label}{check.id}: {check.reason}" if check.reason else f"{label}{check.id}: {check.outcome}"
                if bad and not counts:
                    line = f"{line} (not requested by options.checks: {check.outcome})"
                (errors if decides else warnings).append(line)
                if decides:
                    problem = check.to_dict().get("problem") or {"type": PROBLEM_BASE + check.id, "title": check.id}
                    problems.append({**problem, "detail": line})
    verified = report.verdict == VALID if requested is None else (report.verdict != "unreadable" and not errors)
    result = {
        "verified": verified,
        "checks": checks,
        "warnings": warnings,
        "errors": [] if verified else (errors or [f"{report.verdict}"]),
        "problemDetails": [] if verified else problems,
        "lerwallet": to_json([report], at=iso(checked_at), run_at=iso(run_at)),
    }
    return (200 if verified else 400), result


def _label(report, index: int, cred) -> str:
    """How an error names the credential it is about: nothing for a bare credential, its
    position for one inside a presentation (`verifiableCredential[0] proof: ...`)."""
    if report.kind != "presentation":
        return ""
    return f"verifiableCredential[{index}] "
