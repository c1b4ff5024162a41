"""The VC-API issuer route: POST /credentials/issue (`lerwallet serve --issuer IDENTITY`).

`{"credential": {...}, "options": {...}}` -> 201 `{"verifiableCredential": {...}}`, signed by the
one identity the service was started with (its key read from the wallet at start-up and kept in
memory only): eddsa-rdfc-2022 for Ed25519, ecdsa-rdfc-2019 for P-256, or an ecdsa-sd-2023 base
proof for P-256 when `options.mandatoryPointers` is given (or `options.cryptosuite` names it).

What the W3C vc-api-issuer-test-suite checks (tests/10-issuer.js, assertions.js): a request body
without `credential`, or a credential whose `@context`, `type`, `issuer` or `credentialSubject`
is missing or malformed, answers 400 ("invalid input"); an issued credential has an `id`, so one
is added (`urn:uuid:`) when the request has none. Beyond that, lerwallet signs only what its own
verifier would accept (`proofs.prepare`: the VC data model, the issuer is this identity, JSON-LD
safe mode: a term no context defines is refused, 400 `jsonld_safe_mode`), adds the Data Integrity
context to a VC 1.1 credential that lacks it, and runs the verify pipeline on the result before
answering. 401 without the bearer token when one is configured (compared in constant time);
413/415 as for the verifier; 503 busy.
"""

from __future__ import annotations

import copy
import hmac
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from lerwallet.serve.app import Gate, RequestError, json_type as _json_type, read_json_body
from lerwallet.serve.config import ServeConfig

OPTION_KEYS = ("mandatoryPointers", "cryptosuite", "type")
V1 = "https://www.w3.org/2018/credentials/v1"
MAX_POINTERS = 256


def routes(config: ServeConfig, gate: Gate) -> list[Route]:
    signer = config.extra["signer"]
    token = config.extra.get("token")

    async def issue(request: Request) -> JSONResponse:
        check_token(request, token)
        body = await read_json_body(request)
        credential, options = parse_request(body)
        suite, pointers = choose_suite(options, signer)
        doc = prepare_credential(credential, signer)

        def work():
            return sign_and_check(doc, signer, suite, pointers)

        signed = await gate.run(work)
        request.scope.setdefault("state", {})["verdict"] = "issued"
        return JSONResponse({"verifiableCredential": signed}, status_code=201)

    return [Route("/credentials/issue", issue, methods=["POST"])]


def check_token(request: Request, token: bytes | None) -> None:
    """401 unless the request carries `Authorization: Bearer TOKEN` (when a token is set)."""
    if token is None:
        return
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    ok = scheme.lower() == "bearer" and hmac.compare_digest(value.strip().encode("utf-8", "replace"), token)
    if not ok:
        raise RequestError(401, "unauthorized", "this issuer needs a bearer token (Authorization: Bearer ...)",
                           headers={"WWW-Authenticate": 'Bearer realm="lerwallet issuer"'})


def parse_request(body: Any) -> tuple[dict, dict]:
    if not isinstance(body, dict):
        raise RequestError(400, "bad-request", f"request body must be a JSON object, not {_json_type(body)}")
    credential = body.get("credential")
    if credential is None:
        raise RequestError(400, "bad-request", "the request has no credential" +
                           (" (verifiableCredential is for /credentials/verify)" if "verifiableCredential" in body else ""))
    if not isinstance(credential, dict):
        raise RequestError(400, "bad-request", f"credential must be a JSON object, not {_json_type(credential)}")
    if "proof" in credential:
        raise RequestError(400, "bad-request", "credential already has a proof: post the unsigned credential")
    options = body.get("options", {})
    if options is None:
        options = {}
    if not isinstance(options, dict):
        raise RequestError(400, "bad-options", "options must be a JSON object")
    return credential, options


def choose_suite(options: dict, signer) -> tuple[str, list[str] | None]:
    """The suite for this request and the ecdsa-sd-2023 mandatory pointers (None otherwise)."""
    from lerwallet.issue import SUITES, default_suite

    pointers = options.get("mandatoryPointers")
    suite = options.get("cryptosuite")
    if suite is not None and not isinstance(suite, str):
        raise RequestError(400, "bad-options", "options.cryptosuite must be a string")
    if pointers is not None:
        if not isinstance(pointers, list) or not all(isinstance(p, str) and (p == "" or p.startswith("/")) for p in pointers):
            raise RequestError(400, "bad-options", "options.mandatoryPointers must be a list of JSON Pointers (\"/issuer\", ...)")
        if len(pointers) > MAX_POINTERS:
            raise RequestError(400, "bad-options", f"options.mandatoryPointers has more than {MAX_POINTERS} pointers")
        if suite is None:
            suite = "ecdsa-sd-2023"
        if suite != "ecdsa-sd-2023":
            raise RequestError(400, "bad-options", f"options.mandatoryPointers applies to ecdsa-sd-2023, not {suite}")
    suite = suite or default_suite(signer.key_type)
    if suite not in SUITES.get(signer.key_type, ()):
        raise RequestError(400, "bad-options", f"this issuer's {signer.key_type} key signs "
                                               f"{' or '.join(SUITES[signer.key_type])}, not {suite[:60]}")
    if suite == "ecdsa-sd-2023" and pointers is None:
        pointers = []
    return suite, pointers


def prepare_credential(credential: dict, signer) -> dict:
    """A copy ready to sign: an `id` when it has none (the suite expects one back), and for a
    VC 1.1 credential an `issuanceDate` when it has none (VC 1.1 requires it). Nothing else is
    changed: what is not acceptable is refused by the signer's checks."""
    from lerwallet.utc import iso

    doc = copy.deepcopy(credential)
    if "id" not in doc:
        doc["id"] = f"urn:uuid:{uuid.uuid4()}"
    contexts = doc.get("@context")
    first = contexts[0] if isinstance(contexts, list) and contexts else contexts
    if first == V1 and "issuanceDate" not in doc:
        doc["issuanceDate"] = iso()
    issuer = doc.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if isinstance(issuer_id, str) and issuer_id != signer.did:
        raise RequestError(400, "wrong-issuer", f"credential.issuer {issuer_id[:120]!r} is not this service's identity "
                                                f"{signer.did}: it cannot sign for another issuer")
    return doc


def sign_and_check(doc: dict, signer, suite: str, pointers: list[str] | None) -> dict:
    """Sign, then run the verify pipeline on the result; a refusal is a 400 naming the rule."""
    from lerwallet.errors import LerwalletError
    from lerwallet.issue import SelfCheckError, self_check, sign_credential

    try:
        signed = sign_credential(doc, signer, suite=suite, mandatory_pointers=pointers)
    except LerwalletError as exc:
        code = getattr(exc, "code", "not-signable")
        raise RequestError(400, str(code).replace("_", "-"), exc.message) from None
    try:
        self_check(signed, signer, skip=("status", "schema", "issuer.trust"))
    except SelfCheckError as exc:
        raise RequestError(400, "self-check", exc.message) from None
    return signed
