"""Open Badges 2.0 assertions: their own stages of the pipeline (`pipeline.CREDENTIAL_STAGES`
runs them for `securing == "ob2"` only), following the OB 2.0 specification, "Implementation":
"Verification", "HostedBadge Verification" and "SignedBadge Verification" (IMS Final Release,
12 April 2018).

Checks, by stage:

- `structure` (stage `ob2.structure`): data validation of the assertion received: the required
  properties (`id`, `type` Assertion, `recipient`, `badge`, `verification`, `issuedOn`), the OB
  v2 context, dates with a time zone. A hosted assertion known only by its URL (a baked image)
  has nothing to validate until its hosted copy is retrieved.
- `proof` (stage `ob2.verification`): hosted: "the input data should only be trusted to identify
  the URI of the hosted verification file": the assertion is retrieved from its `id`, must name
  that same `id` and is compared with the copy received (recipient, badge, dates, verification);
  the retrieved copy is what the later checks read. Signed: the compact JWS is checked
  (RS256, or another RS/PS algorithm) with the public key of a CryptographicKey linked from the
  issuer Profile's `publicKey` ("Do not trust a key that is not properly linked from the issuer
  Profile"): the assertion's `verification.creator`, when given, must be one of them, and the
  key's `owner`, when given, must be the issuer.
- `ob2.issuer` (same stage): the BadgeClass (embedded or by URL) and its issuer Profile (embedded
  or by URL) are there and well formed; for a hosted assertion its `id` is within the issuer's
  verification policy (`startsWith`, `allowedOrigins`, by default the issuer `id`'s host).
- `valid-from`, `expiration` (stage `ob2.validity`): `issuedOn` not in the future, `expires` not
  past (and not before `issuedOn`), with the usual clock skew.
- `status.revocation` (stage `ob2.status`): a hosted copy answered with HTTP 410 Gone or marked
  `revoked: true`; the issuer's `revocationList` (both kinds) lists the assertion's `id` (or
  legacy `uid`).
- `issuer.trust` (stage `ob2.trust`): the issuer Profile's id against `--trust` lists and
  registries, as for any credential.
- `endorsements` (stage `ob2.endorsements`): OB 2.0 endorsements are not verified; when the
  assertion, BadgeClass or issuer carries any, a `skipped` note counts them.
- `badge.recipient` (stage `ob2.recipient`): with `--email ADDR`, the `recipient` identity:
  `sha256$hex` or `md5$hex` of ADDR + `salt` when `hashed`, the plain address otherwise (import
  and recheck take several addresses: one match passes); without `--email` a `skipped` note
  (code `no_email_given`): the badge is authentic, whom it names is not judged.

Documents (the hosted assertion, BadgeClass, Profile, CryptographicKey, RevocationList) come
from `--ob2-cache DIR` (JSON files found by their `id`, or by the folder's `urls.json`, the
layout of `--status-cache`) or, only with `--online`, from https. Offline without them the
checks are `unknown` with the reason and the hint: never verified.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path
from urllib.parse import urlsplit

from lerwallet.verify.report import FAIL, PASS, SKIPPED, UNKNOWN, WARN, Check

CONTEXTS = {"https://w3id.org/openbadges/v2", "https://openbadgespec.org/v2/context.json",
            "https://w3id.org/openbadges/v1", "https://openbadgespec.org/v1/context.json"}
HOSTED = {"hosted", "HostedBadge"}
SIGNED = {"signed", "SignedBadge"}
RSA_ALGS = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}
MAX_RSA_BITS = 8192
MAX_PEM = 16 * 1024
HINT = "use --online, or --ob2-cache DIR with the issuer's documents"


class Unavailable(Exception):
    def __init__(self, message: str, code: str = "offline") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


GONE = "_lerwallet_http_410"


class Documents:
    """OB 2.0 documents by URL: `--ob2-cache DIR`, then (only when `fetch` is given: --online)
    https. Every document is untrusted JSON read under the usual caps."""

    def __init__(self, cache: Path | None, fetch) -> None:
        self.cache = Path(cache) if cache is not None else None
        self.fetch = fetch
        self._memo: dict[str, tuple[dict, str]] = {}

    def get(self, url: str) -> tuple[dict, str]:
        if not isinstance(url, str) or not url:
            raise Unavailable("no URL to retrieve", "malformed")
        bare = url.split("#", 1)[0]
        if bare not in self._memo:
            self._memo[bare] = self._get(url, bare)
        return self._memo[bare]

    def _get(self, url: str, bare: str) -> tuple[dict, str]:
        from lerwallet.verify import statuslists

        if self.cache is not None:
            try:
                hit = statuslists.cache_file(self.cache, url)
            except statuslists.Ambiguous as exc:
                raise Unavailable(f"several different files in {self.cache} claim the id {exc.key} (name the right one "
                                  "in urls.json)", "ob2_cache_ambiguous") from None
            if hit:
                return _json(_read_capped(hit), f"{self.cache.name}/{hit.name}"), f"--ob2-cache file {hit.name}"
        if self.fetch is None:
            where = f" and not in --ob2-cache {self.cache}" if self.cache is not None else ""
            raise Unavailable(f"{url} not retrieved: offline{where} ({HINT})", "offline")
        try:
            data = self.fetch(bare)
        except Exception as exc:  # network failures are a reason, never a crash
            message = getattr(exc, "message", None) or str(exc)
            if getattr(exc, "code", None) == "http_status" and "HTTP 410" in message:
                return {"id": bare, "revoked": True, GONE: True}, "fetched online: HTTP 410 Gone"
            raise Unavailable(f"{url} unreachable: {message}", "ob2_unreachable") from None
        return _json(data, url), "fetched online"


def _read_capped(path: Path) -> bytes:
    from lerwallet.formats import limits

    try:
        with open(path, "rb") as handle:
            data = handle.read(limits.MAX_STATUS_LIST_BYTES + 1)
    except OSError as exc:
        raise Unavailable(f"cannot read {path.name}: {exc.strerror or exc}", "ob2_document_invalid") from None
    if len(data) > limits.MAX_STATUS_LIST_BYTES:
        raise Unavailable(f"{path.name} is larger than {limits.MAX_STATUS_LIST_BYTES // (1024 * 1024)} MiB",
                          "ob2_document_invalid")
    return data


def _json(data: bytes, name: str) -> dict:
    from lerwallet.formats.errors import FormatError
    from lerwallet.formats.json_doc import loads

    try:
        doc = loads(data)
    except FormatError as exc:
        raise Unavailable(f"{name} is not readable JSON: {exc.message}", "ob2_document_invalid") from None
    if not isinstance(doc, dict):
        raise Unavailable(f"{name} is not a JSON object", "ob2_document_invalid")
    return doc


# --- helpers ---------------------------------------------------------------------------------


def _list(value) -> list:
    return [] if value is None else value if isinstance(value, list) else [value]


def _types(doc) -> list[str]:
    return [t for t in _list(doc.get("type")) if isinstance(t, str)] if isinstance(doc, dict) else []


def _id(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"]
    return ""


def _is_url(value) -> bool:
    if not isinstance(value, str) or any(ch.isspace() for ch in value):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _is_iri(value) -> bool:
    return isinstance(value, str) and ":" in value and not any(ch.isspace() for ch in value)


def verification_object(doc: dict) -> dict:
    """`verification` (or its alias `verify`, OB 1.x), as an object."""
    value = doc.get("verification", doc.get("verify"))
    return value if isinstance(value, dict) else {}


def verification_type(doc: dict) -> str:
    types = set(_types(verification_object(doc)))
    if types & SIGNED:
        return "signed"
    if types & HOSTED:
        return "hosted"
    return ""


def is_reference(doc: dict) -> bool:
    """Only the URL of a hosted assertion (a URL-only baked badge): nothing else to validate."""
    return set(doc) <= {"@context", "type", "id", "verification"} and verification_type(doc) == "hosted"


def _ctx(state) -> dict:
    return state.extra.setdefault("ob2", {})


def _documents(opts) -> Documents:
    docs = getattr(opts, "_ob2_documents", None)
    if docs is None:
        docs = Documents(getattr(opts, "ob2_cache", None), opts.get_fetch())
        opts._ob2_documents = docs
    return docs


def assertion_problems(doc: dict) -> list[str]:
    """What the OB 2.0 data validation finds wrong with an assertion (empty: nothing)."""
    from lerwallet.dates import parse_datetime

    problems = []
    contexts = [c for c in _list(doc.get("@context")) if isinstance(c, str)]
    if "@context" in doc and not (set(contexts) & CONTEXTS):
        problems.append("@context does not name the Open Badges v2 context (https://w3id.org/openbadges/v2)")
    if "type" in doc and "Assertion" not in _types(doc):
        problems.append(f"type {doc.get('type')!r} does not include Assertion")
    if not _is_iri(doc.get("id")) and not (isinstance(doc.get("uid"), str) and "@context" not in doc):
        problems.append("no id (an IRI)")
    recipient = doc.get("recipient")
    if not isinstance(recipient, dict) or not isinstance(recipient.get("identity"), str):
        problems.append("recipient is not an IdentityObject with an identity")
    badge = doc.get("badge")
    if not (_is_iri(badge) or (isinstance(badge, dict) and _is_iri(badge.get("id")))):
        problems.append("badge is neither a BadgeClass IRI nor an embedded BadgeClass with an id")
    if not verification_type(doc):
        problems.append("verification names neither hosted (HostedBadge) nor signed (SignedBadge)")
    if parse_datetime(doc.get("issuedOn")) is None:
        problems.append("issuedOn is not a date and time")
    if "expires" in doc and parse_datetime(doc.get("expires")) is None:
        problems.append("expires is not a date and time")
    return problems


# --- stage: ob2.structure ----------------------------------------------------------------------


def structure(run) -> list[Check]:
    doc = run.state.unverified
    if is_reference(doc):
        return [Check("structure", PASS, "hosted Open Badges 2.0 assertion known by its URL only: its content is "
                      "the copy its issuer hosts (checked under proof)")]
    problems = assertion_problems(doc)
    if run.state.token and verification_type(doc) == "hosted":
        problems.append("a signed (JWS) assertion whose verification says hosted")
    if problems:
        check = Check("structure", FAIL, "not a valid Open Badges 2.0 assertion: " + "; ".join(problems), "ob2_invalid")
        check.details["problems"] = problems
        return [check]
    kind = "signed (JWS)" if run.state.token else verification_type(doc)
    return [Check("structure", PASS, f"Open Badges 2.0 assertion, {kind} verification: the required properties are there")]


# --- stage: ob2.verification (proof, ob2.issuer) ------------------------------------------------


def verification(run) -> list[Check]:
    state = run.state
    docs = _documents(run.opts)
    if state.token:
        proof = _signed(state, docs)
    elif verification_type(state.unverified) == "signed":
        state.proof_outcome = FAIL
        proof = Check("proof", FAIL, "a signed Open Badges 2.0 assertion without its signature: the JSON alone "
                      "proves nothing (import the JWS, or the baked image, the issuer gave)", "no_proof")
    else:
        proof = _hosted(state, docs)
    if state.proof_outcome == FAIL:
        return [proof]
    return [proof, _issuer_check(state, docs)]


def _hosted(state, docs: Documents) -> Check:
    received = state.unverified
    url = received.get("id")
    if not _is_url(url):
        state.proof_outcome = FAIL
        return Check("proof", FAIL, f"a hosted assertion must have an http(s) id to be retrieved from, not {url!r}",
                     "hosted_id_invalid")
    try:
        hosted, where = docs.get(url)
    except Unavailable as exc:
        state.proof_outcome = UNKNOWN
        check = Check("proof", UNKNOWN, f"hosted Open Badges 2.0 assertion not checked: {exc.message}", exc.code)
        check.details["hint"] = f"the issuer's copy at {url} decides; {HINT}"
        return check
    ctx = _ctx(state)
    ctx["hosted_from"] = where
    if hosted.get(GONE) or hosted.get("revoked") is True:
        ctx["revoked"] = (hosted.get("revocationReason") if isinstance(hosted.get("revocationReason"), str) else "")
        ctx["revoked_how"] = "HTTP 410 Gone" if hosted.get(GONE) else "its hosted copy says revoked: true"
        state.proof_outcome = PASS
        return Check("proof", PASS, f"hosted assertion retrieved from {url} ({where}): the issuer marks it revoked "
                     "(see status.revocation)")
    if hosted.get("id") != url:
        state.proof_outcome = FAIL
        return Check("proof", FAIL, f"the document at {url} ({where}) names another id ({hosted.get('id')!r}): not "
                     "this assertion's hosted copy", "hosted_id_mismatch")
    problems = assertion_problems(hosted)
    if problems:
        state.proof_outcome = FAIL
        return Check("proof", FAIL, f"the hosted copy at {url} ({where}) is not a valid assertion: " + "; ".join(problems),
                     "hosted_invalid")
    if verification_type(hosted) != "hosted":
        state.proof_outcome = FAIL
        return Check("proof", FAIL, f"the hosted copy at {url} does not declare hosted verification", "hosted_invalid")
    if not is_reference(received):
        differs = [name for name in ("recipient", "badge", "issuedOn", "expires", "revoked")
                   if not _same(name, received.get(name), hosted.get(name))]
        if differs:
            state.proof_outcome = FAIL
            return Check("proof", FAIL, f"the copy received differs from the one its issuer hosts at {url} ({where}) in: "
                         + ", ".join(differs), "hosted_mismatch")
    state.document = hosted
    state.proof_outcome = PASS
    state.signer = url
    same = "" if is_reference(received) else ", identical in what it asserts to the copy received"
    return Check("proof", PASS, f"hosted assertion retrieved from its id {url} ({where}){same}")


def _same(name: str, received, hosted) -> bool:
    """Whether the copy received says what the hosted copy says about `name` (a BadgeClass by
    its id, embedded or linked; dates as instants)."""
    from lerwallet.dates import parse_datetime

    if name == "badge":
        return (_id(received) or received) == (_id(hosted) or hosted)
    if name in ("issuedOn", "expires") and received is not None and hosted is not None:
        a, b = parse_datetime(received), parse_datetime(hosted)
        return a == b if a is not None and b is not None else received == hosted
    return received == hosted


def _badge_and_issuer(assertion: dict, docs: Documents) -> tuple[dict, dict, list[str]]:
    """The BadgeClass and its issuer Profile, embedded or retrieved; Unavailable when one cannot be had."""
    where = []
    badge = assertion.get("badge")
    if isinstance(badge, str):
        badge, got = docs.get(badge)
        where.append(f"BadgeClass: {got}")
    if not isinstance(badge, dict):
        raise Unavailable("the assertion names no BadgeClass", "ob2_invalid")
    issuer = badge.get("issuer")
    if isinstance(issuer, str):
        issuer, got = docs.get(issuer)
        where.append(f"issuer Profile: {got}")
    if not isinstance(issuer, dict):
        raise Unavailable("the BadgeClass names no issuer Profile", "ob2_invalid")
    return badge, issuer, where


def _signed(state, docs: Documents) -> Check:
    from lerwallet import crypto
    from lerwallet.proofs.jose import JoseError, decode_compact

    def fail(reason: str, code: str) -> Check:
        state.proof_outcome = FAIL
        return Check("proof", FAIL, reason, code)

    def unknown(reason: str, code: str) -> Check:
        state.proof_outcome = UNKNOWN
        check = Check("proof", UNKNOWN, reason, code)
        if code == "offline":
            check.details["hint"] = HINT
        return check

    try:
        header, payload, signing_input, signature = decode_compact(state.token)
    except JoseError as exc:
        return fail(f"the JWS cannot be read: {exc}", "malformed_proof")
    alg = header.get("alg")
    if alg not in RSA_ALGS:
        return fail(f"JWS algorithm {alg!r} is not accepted for Open Badges 2.0 (RSA: RS256 recommended; "
                    "'none' and HMAC never)", "unsupported_algorithm")
    assertion = payload
    try:
        badge, issuer, _ = _badge_and_issuer(assertion, docs)
    except Unavailable as exc:
        if exc.code == "ob2_invalid":
            return fail(f"signed assertion: {exc.message}", "ob2_invalid")
        return unknown(f"signed Open Badges 2.0 assertion not checked: its issuer's keys are needed: {exc.message}", exc.code)
    issuer_id = _id(issuer)
    linked = _list(issuer.get("publicKey"))
    linked_ids = [_id(k) for k in linked if _id(k)]
    creator = _id(verification_object(assertion).get("creator")) or (
        _id(verification_object(assertion).get("url")) if "verify" in assertion else "")
    if not linked:
        return fail(f"the issuer Profile {issuer_id} declares no publicKey: no key is properly linked from it, so "
                    "none can be trusted (OB 2.0 SignedBadge Verification, step 4)", "key_not_linked")
    if creator and creator not in linked_ids:
        return fail(f"the signing key {creator} is not among the issuer {issuer_id}'s publicKey ({', '.join(linked_ids)}): "
                    "a key not linked from the issuer Profile is not trusted", "key_not_linked")
    candidates = [k for k in linked if _id(k) == creator] if creator else linked
    tried = []
    for entry in candidates[:8]:
        key = entry
        if isinstance(entry, str):
            try:
                key, _ = docs.get(entry)
            except Unavailable as exc:
                return unknown(f"signed Open Badges 2.0 assertion not checked: the issuer's key {entry}: {exc.message}", exc.code)
        if not isinstance(key, dict):
            continue
        owner = _id(key.get("owner"))
        if owner and owner != issuer_id:
            return fail(f"the key {_id(key) or entry} is owned by {owner}, not by the issuer {issuer_id}", "key_owner_mismatch")
        pem = key.get("publicKeyPem")
        if not isinstance(pem, str):
            tried.append(f"{_id(key) or '(embedded key)'}: no publicKeyPem")
            continue
        try:
            n, e = crypto.rsa_public_from_pem(pem.encode("utf-8")[:MAX_PEM])
            if len(n) * 8 > MAX_RSA_BITS:  # bounded work: no larger key is in use, and OpenSSL goes to 16,384
                raise crypto.BadKey(f"RSA key longer than {MAX_RSA_BITS} bits")
            ok = crypto.verify_rsa(n, e, signing_input, signature, alg=alg)
        except crypto.BadKey as exc:
            tried.append(f"{_id(key) or '(embedded key)'}: {exc}")
            continue
        if ok:
            state.document = assertion
            state.proof_outcome = PASS
            state.signer = issuer_id
            _ctx(state)["key"] = _id(key) or entry
            return Check("proof", PASS, f"JWS ({alg}) verified with the key {_id(key) or '(embedded)'} of the issuer {issuer_id}")
        return fail(f"JWS signature ({alg}) does not verify with the issuer's key {_id(key) or '(embedded)'}: the "
                    "assertion was altered or signed by someone else", "invalid_signature")
    return fail("no usable RSA public key among the issuer's keys (" + "; ".join(tried) + ")", "key_not_usable")


def _issuer_check(state, docs: Documents) -> Check:
    assertion = state.doc
    if is_reference(assertion):
        return Check("ob2.issuer", SKIPPED, "the hosted copy was not retrieved: its BadgeClass and issuer are unknown")
    try:
        badge, issuer, where = _badge_and_issuer(assertion, docs)
    except Unavailable as exc:
        if exc.code == "ob2_invalid":
            return Check("ob2.issuer", FAIL, exc.message, "ob2_invalid")
        check = Check("ob2.issuer", UNKNOWN, f"the BadgeClass or its issuer could not be checked: {exc.message}", exc.code)
        check.details["hint"] = HINT
        return check
    ctx = _ctx(state)
    ctx["badge"], ctx["issuer"] = badge, issuer
    problems = []
    if "BadgeClass" not in _types(badge):
        problems.append("the badge is not typed BadgeClass")
    for name in ("name", "description", "criteria", "issuer"):
        if not badge.get(name):
            problems.append(f"the BadgeClass has no {name}")
    if not (set(_types(issuer)) & {"Issuer", "Profile"}):
        problems.append("the issuer is not typed Issuer or Profile")
    if not _is_iri(issuer.get("id")):
        problems.append("the issuer Profile has no id")
    if problems:
        return Check("ob2.issuer", FAIL, "; ".join(problems), "ob2_invalid")
    issuer_id, name = _id(issuer), issuer.get("name") if isinstance(issuer.get("name"), str) else ""
    if not state.token:
        scope = _scope_problem(_id(assertion), issuer)
        if scope:
            return Check("ob2.issuer", FAIL, scope, "issuer_scope")
    got = f" ({'; '.join(where)})" if where else " (embedded)"
    return Check("ob2.issuer", PASS, f"badge {badge.get('name')!r} of the issuer {name + ' ' if name else ''}{issuer_id}{got}")


def _scope_problem(assertion_id: str, issuer: dict) -> str:
    """OB 2.0 VerificationObject: a hosted assertion's id must be within the issuer's scope:
    `startsWith` (any of them), else `allowedOrigins` (host names), else the issuer id's host."""
    policy = issuer.get("verification") if isinstance(issuer.get("verification"), dict) else {}
    starts = [s for s in _list(policy.get("startsWith")) if isinstance(s, str)]
    host = urlsplit(assertion_id).hostname or ""
    if starts:
        if any(assertion_id.startswith(s) for s in starts):
            return ""
        return f"the hosted assertion {assertion_id} is outside its issuer's scope (startsWith {', '.join(starts)})"
    origins = [o.lower() for o in _list(policy.get("allowedOrigins")) if isinstance(o, str)]
    if origins:
        if host.lower() in origins:
            return ""
        return f"the hosted assertion {assertion_id} is outside its issuer's allowedOrigins ({', '.join(origins)})"
    issuer_host = urlsplit(_id(issuer)).hostname or ""
    if host and host.lower() == issuer_host.lower():
        return ""
    return (f"the hosted assertion {assertion_id} is not on its issuer's origin ({issuer_host or 'none'}); an issuer "
            "allows other places only by its verification policy")


# --- stage: ob2.validity ----------------------------------------------------------------------


def validity(run) -> list[Check]:
    from lerwallet.dates import iso, parse_datetime, shift

    doc, now, skew = run.state.doc, run.opts.now(), run.opts.clock_skew
    if is_reference(doc):
        return [Check("valid-from", SKIPPED, "the hosted copy was not retrieved: its dates are unknown"),
                Check("expiration", SKIPPED, "the hosted copy was not retrieved: its dates are unknown")]
    checks = []
    issued = parse_datetime(doc.get("issuedOn"))
    expires = parse_datetime(doc.get("expires")) if "expires" in doc else None
    if issued is not None and shift(issued, -skew) > now:
        checks.append(Check("valid-from", FAIL, f"issued on {iso(issued)}, in the future (judged at {iso(now)})", "not_yet_valid"))
    elif issued is not None:
        checks.append(Check("valid-from", PASS, f"issued on {iso(issued)}"))
    if expires is not None and issued is not None and expires < issued:
        checks.append(Check("expiration", FAIL, f"expires {iso(expires)}, before it was issued ({iso(issued)})", "expired"))
    elif expires is not None and shift(expires, skew) < now:
        checks.append(Check("expiration", FAIL, f"authentic but expired on {iso(expires)}", "expired"))
    elif expires is not None:
        checks.append(Check("expiration", PASS, f"valid until {iso(expires)}"))
    else:
        checks.append(Check("expiration", PASS, "no expiry date"))
    return checks


# --- stage: ob2.status ------------------------------------------------------------------------


def status(run) -> list[Check]:
    state = run.state
    ctx = _ctx(state)
    if "revoked" in ctx:
        reason = f" ({ctx['revoked']})" if ctx["revoked"] else ""
        return [Check("status.revocation", FAIL, f"revoked by its issuer: {ctx['revoked_how']}{reason}", "revoked")]
    doc = state.doc
    if doc.get("revoked") is True:
        return [Check("status.revocation", FAIL, "the assertion itself says revoked: true", "revoked")]
    issuer = ctx.get("issuer")
    if issuer is None:
        if state.proof_outcome != PASS:
            return [Check("status.revocation", UNKNOWN, "revocation not checked: the assertion itself could not be "
                          f"checked ({HINT})", "offline")]
        return [Check("status.revocation", UNKNOWN, "revocation not checked: the issuer Profile could not be retrieved "
                      f"({HINT})", "offline")]
    list_url = _id(issuer.get("revocationList"))
    hosted = not state.token
    if not list_url:
        if hosted and state.proof_outcome == PASS:
            return [Check("status.revocation", PASS, "not revoked: its issuer still hosts it, not marked revoked")]
        return [Check("status.revocation", PASS, "the issuer publishes no revocation list")]
    try:
        revocations, where = _documents(run.opts).get(list_url)
    except Unavailable as exc:
        check = Check("status.revocation", UNKNOWN, f"revocation list not checked: {exc.message}", exc.code)
        check.details["hint"] = HINT
        return [check]
    if "RevocationList" not in _types(revocations) or not isinstance(revocations.get("revokedAssertions", []), list):
        return [Check("status.revocation", UNKNOWN, f"{list_url} ({where}) is not a RevocationList", "ob2_document_invalid")]
    list_issuer = _id(revocations.get("issuer"))
    if list_issuer and list_issuer != _id(issuer):
        return [Check("status.revocation", UNKNOWN, f"the revocation list {list_url} names another issuer ({list_issuer})",
                      "status_list_issuer_differs")]
    assertion_id, uid = _id(doc), doc.get("uid") if isinstance(doc.get("uid"), str) else None
    for entry in revocations.get("revokedAssertions", [])[:100_000]:
        hit = (entry == assertion_id) if isinstance(entry, str) else isinstance(entry, dict) and (
            (assertion_id and entry.get("id") == assertion_id) or (uid and entry.get("uid") == uid))
        if hit and not (isinstance(entry, dict) and entry.get("revoked") is False):
            why = entry.get("revocationReason") if isinstance(entry, dict) else None
            return [Check("status.revocation", FAIL, f"revoked: listed in the issuer's revocation list {list_url} ({where})"
                          + (f": {why}" if isinstance(why, str) and why else ""), "revoked")]
    return [Check("status.revocation", PASS, f"not in the issuer's revocation list {list_url} ({where})")]


# --- stage: ob2.trust ---------------------------------------------------------------------------


def trust(run) -> list[Check]:
    """The employer's trust lists and registries (`--trust`, WALLET/trust.json) for the issuer
    Profile's id, as for any credential (`verify.trust`), once the issuer was checked."""
    from lerwallet.verify import trust as trust_mod
    from lerwallet.verify.state import CredentialState

    issuer = _ctx(run.state).get("issuer")
    if not isinstance(issuer, dict) or run.state.proof_outcome != PASS:
        return [Check("issuer.trust", SKIPPED, "the issuer Profile was not checked: its trust is not judged")]
    proxy = CredentialState(source=run.state.source, securing="ob2", unverified={"issuer": _id(issuer)})
    return trust_mod.run(proxy, run.opts, holder=run.holder)


# --- stage: ob2.endorsements -----------------------------------------------------------------


def endorsements(run) -> list[Check]:
    """OB 2.0 `endorsement`s (on the assertion, its BadgeClass or its issuer Profile) are not
    verified: a `skipped` note says so, so none is taken for checked."""
    ctx = _ctx(run.state)
    badge = ctx.get("badge") or (run.state.doc.get("badge") if isinstance(run.state.doc.get("badge"), dict) else {})
    issuer = ctx.get("issuer") or (badge.get("issuer") if isinstance(badge, dict) and isinstance(badge.get("issuer"), dict) else {})
    count = sum(len(_list(node.get("endorsement"))) for node in (run.state.doc, badge, issuer) if isinstance(node, dict))
    if not count:
        return []
    return [Check("endorsements", SKIPPED, f"{count} Open Badges 2.0 endorsement(s) not checked: lerwallet does not "
                  "verify OB 2.0 endorsements; they vouch for nothing here", "ob2_endorsements_unchecked")]


# --- stage: ob2.recipient ---------------------------------------------------------------------


def recipient(run) -> list[Check]:
    doc, emails = run.state.doc, run.opts.emails()
    ident = doc.get("recipient") if isinstance(doc.get("recipient"), dict) else {}
    if not emails:
        return [Check("badge.recipient", SKIPPED, "recipient not checked: pass --email ADDR to check that this badge "
                      "was awarded to that address", "no_email_given")]
    if not ident:
        return [Check("badge.recipient", UNKNOWN, "the recipient could not be read (the hosted copy was not retrieved)",
                      "offline")]
    kind = ident.get("type") if isinstance(ident.get("type"), str) else "email"
    if kind not in ("email", "schema:email", "http://schema.org/email", "https://schema.org/email"):
        return [Check("badge.recipient", WARN, f"the recipient is identified by {kind}, not an email address: "
                      "--email cannot be compared", "no_email_identifier")]
    for email in emails:
        if identity_matches(ident, email):
            how = "hashed identity matches" if _hashed(ident) else "identity matches"
            return [Check("badge.recipient", PASS, f"awarded to {email} ({how})")]
    return [Check("badge.recipient", FAIL, f"the badge was not awarded to {' or '.join(emails)}", "recipient_mismatch")]


def _hashed(ident: dict) -> bool:
    value = ident.get("identity")
    return ident.get("hashed") is True or (ident.get("hashed") is None and isinstance(value, str)
                                           and value.lower().startswith(("sha256$", "md5$")))


def identity_matches(ident: dict, email: str) -> bool:
    """OB 2.0 IdentityObject / IdentityHash: `sha256$` or `md5$` and the hex digest of the value
    followed by `salt` (none when absent), hex in either case; or the plain value."""
    value = ident.get("identity")
    if not isinstance(value, str):
        return False
    candidates = dict.fromkeys([email.strip(), email.strip().lower()])
    if not _hashed(ident):
        return value.strip().lower() == email.strip().lower()
    algo, _, digest = value.partition("$")
    hasher = {"sha256": hashlib.sha256, "md5": hashlib.md5}.get(algo.lower())
    if hasher is None:
        return False
    salt = ident.get("salt") if isinstance(ident.get("salt"), str) else ""
    return any(hmac.compare_digest(hasher((c + salt).encode("utf-8")).hexdigest(), digest.strip().lower())
               for c in candidates)


# --- the summary --------------------------------------------------------------------------------


def summary(state):
    """The display summary (`model.Summary`) of an OB 2.0 assertion: the BadgeClass's name and
    description, the issuer Profile's name and id, dates, alignments; read from the checked
    documents when the stages got them, else from the assertion as received."""
    from lerwallet.model import Summary, _text

    doc = state.doc
    ctx = state.extra.get("ob2", {})
    badge = ctx.get("badge") or (doc.get("badge") if isinstance(doc.get("badge"), dict) else {})
    issuer = ctx.get("issuer") or (badge.get("issuer") if isinstance(badge.get("issuer"), dict) else {})
    ident = doc.get("recipient") if isinstance(doc.get("recipient"), dict) else {}
    subject = ident.get("identity") if isinstance(ident.get("identity"), str) and not _hashed(ident) else ""
    skills = [{"name": _text(a.get("targetName")), "url": _text(a.get("targetUrl")),
               "framework": _text(a.get("targetFramework")), "code": _text(a.get("targetCode"))}
              for a in _list(badge.get("alignment")) if isinstance(a, dict)]
    title = _text(badge.get("name")) or (f"Open Badges 2.0 assertion {_id(doc)}" if _id(doc) else "Open Badges 2.0 assertion")
    issued, expires = doc.get("issuedOn"), doc.get("expires")
    return Summary(
        title=title,
        issuer_id=_id(issuer) or (_id(badge.get("issuer")) if isinstance(badge, dict) else ""),
        issuer_name=_text(issuer.get("name")),
        subject_id=subject,
        subject_ids=[subject] if subject else [],
        kind="Assertion",
        types=_types(doc) or ["Assertion"],
        issued=issued if isinstance(issued, str) else "",
        valid_until=expires if isinstance(expires, str) else "",
        data_model="OB 2.0",
        skills=skills,
        description=_text(badge.get("description")),
    )
