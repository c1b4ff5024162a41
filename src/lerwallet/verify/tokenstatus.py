"""IETF Token Status List (draft-ietf-oauth-status-list) for SD-JWT VCs: the credential's
`status.status_list` names an index (`idx`) in the list at `uri`; the list is a Status List Token
(a JWT with `typ` `statuslist+jwt`) verified like a credential before one of its values is
believed: signed by the credential's issuer (same key resolution as the SD-JWT itself), `sub`
equal to `uri`, not expired. Values are 1, 2, 4 or 8 bits, least significant bits first, in a
ZLIB-compressed byte array (`status_list.lst`): 0x00 VALID, 0x01 INVALID (revoked), 0x02
SUSPENDED; anything else is application-specific and not judged here. The CWT form
(`statuslist+cwt`, COSE_Sign1) is read by `cwtstatus` and held to the same rules.

Same three outcomes and the same `--status-cache` / `--online` behaviour as the W3C lists.
Unsigned JSON status lists are reported unknown, in plain words."""

from __future__ import annotations

from datetime import datetime, timezone

from lerwallet.verify import bitstring, statuslists
from lerwallet.dates import iso, shift
from lerwallet.verify.options import Options
from lerwallet.verify.report import FAIL, PASS, UNKNOWN, Check
from lerwallet.verify.state import CredentialState

TYP = "statuslist+jwt"
MEDIA_TYPE = "application/statuslist+jwt"
BITS = (1, 2, 4, 8)
CID = "status"
VALUES = {0: "VALID", 1: "INVALID", 2: "SUSPENDED"}


def run(state: CredentialState, status: dict, opts: Options) -> list[Check]:
    ref = status.get("status_list")
    if not isinstance(ref, dict):
        names = ", ".join(sorted(str(k)[:40] for k in status)) or "none"
        return [Check(CID, UNKNOWN, f"status mechanism(s) {names} are not supported (only status_list); status not checked",
                      "unsupported_status_method")]
    idx, uri = ref.get("idx"), ref.get("uri")
    if isinstance(idx, bool) or not isinstance(idx, int) or not 0 <= idx < 10**15:
        return [_malformed(f"status_list.idx {str(idx)[:40]!r} is not a non-negative integer")]
    if not isinstance(uri, str) or ":" not in uri or len(uri) > 2048:
        return [_malformed("status_list.uri is not a URI")]
    details = {"uri": uri, "idx": idx}
    try:
        data, origin = statuslists.get(uri, cache=opts.status_cache, fetch=opts.get_fetch(MEDIA_TYPE))
    except statuslists.Unavailable as exc:
        return [Check(CID, UNKNOWN, str(exc), exc.code, details)]
    details["source"] = origin
    claims, problem = _verified_token(data, state, uri, opts)
    if problem:
        return [Check(CID, UNKNOWN, f"status list token not usable: {problem[1]}", problem[0], details)]
    listed = claims["status_list"]
    try:
        lst = listed.get("lst")  # base64url text in a JWT, the compressed bytes themselves in a CWT
        raw = bitstring.inflate_token_bytes(lst) if isinstance(lst, bytes) else bitstring.decode_token_list(lst)
        value = bitstring.token_value_at(raw, idx, listed["bits"])
    except bitstring.BitstringError as exc:
        return [Check(CID, UNKNOWN, f"status list token not usable: {exc}", exc.code, details)]
    as_of = iso(datetime.fromtimestamp(claims["iat"], timezone.utc))
    details.update(asOf=as_of, status=hex(value), bits=listed["bits"])
    stale = _stale(claims, origin, opts)
    when = f"(status list token as of {as_of}, {origin}{stale})"
    if value == 0:
        return [Check(CID, PASS, f"VALID: not revoked or suspended {when}", "", details)]
    if value in (1, 2):
        word = "revoked" if value == 1 else "suspended"
        return [Check(CID, FAIL, f"{word} by the issuer ({VALUES[value]}) {when}", word, details)]
    return [Check(CID, UNKNOWN, f"status {hex(value)} is application-specific (not VALID, INVALID or SUSPENDED); "
                  f"not judged here {when}", "status_application_specific", details)]


def _malformed(reason: str) -> Check:
    return Check(CID, UNKNOWN, f"malformed status claim: {reason}; status not checked", "malformed_status_entry")


def _verified_token(data: bytes, state: CredentialState, uri: str, opts: Options) -> tuple[dict, tuple[str, str] | None]:
    """The Status List Token's claims once its signature, type, issuer, subject and dates hold."""
    from lerwallet.proofs.jose import JoseError, decode_compact
    from lerwallet.verify import cwtstatus

    text = data.strip()
    if text[:1] == b"{":
        return {}, ("status_list_unsigned", "an unsigned JSON status list (statuslist+json) proves nothing: "
                    "the issuer must sign it (statuslist+jwt or statuslist+cwt)")
    if cwtstatus.looks_like_cwt(data):
        try:
            protected, claims = cwtstatus.parse(data)[0], cwtstatus.claims_of(data)
        except cwtstatus.CwtError as exc:
            return {}, (exc.code, exc.message)
        typ, form = protected.get(16), "CWT"
        typ_ok = typ in cwtstatus.TYPS
    elif text.isascii() and text.count(b".") == 2:
        token = text.decode("ascii")
        try:
            header, claims, _, _ = decode_compact(token)
        except JoseError as exc:
            return {}, ("malformed_status_list", exc.message)
        typ, form = header.get("typ"), "JWT"
        typ_ok = typ == TYP
    else:
        return {}, ("malformed_status_list", "neither a compact JWT (statuslist+jwt) nor a CWT (statuslist+cwt)")
    if not typ_ok:
        wanted = TYP if form == "JWT" else cwtstatus.TYPS[0]
        return {}, ("malformed_status_list", f"{form} type is {str(typ)[:40]!r}, not {wanted!r}")
    if claims.get("iss") != state.issuer_id:  # the credential's issuer vouches for its status, nobody else
        return {}, ("status_list_issuer_differs",
                    f"issued by {str(claims.get('iss'))[:200]!r}, not by the credential's issuer {state.issuer_id}: its values are not believed")
    if claims.get("sub") != uri:
        return {}, ("malformed_status_list", f"its sub {str(claims.get('sub'))[:200]!r} is not the uri {uri} the credential cites")
    iat, exp = claims.get("iat"), claims.get("exp")
    if not _number(iat):
        return {}, ("malformed_status_list", "iat (issued at) is missing or not a NumericDate")
    listed = claims.get("status_list")
    if not isinstance(listed, dict) or listed.get("bits") not in BITS or isinstance(listed.get("bits"), bool):
        return {}, ("malformed_status_list", "status_list.bits must be 1, 2, 4 or 8")
    if form == "JWT":
        from lerwallet.proofs.sdjwt import verify_sd_jwt

        # the same key resolution as the credential's own signature: DID kid, https issuer
        # metadata (--online), or an x5c chain to the employer's trust anchors (--trust-anchor)
        result = verify_sd_jwt(token + "~", resolver=opts.get_resolver(), now=opts.now(), fetch=opts.get_fetch(),
                               max_kb_age=float("inf"), trust_anchors=getattr(opts, "trust_anchors", None) or None,
                               crls=getattr(opts, "crls", None) or None)
        proof = result.proof
        if proof.outcome != PASS:
            word = "its signature failed" if proof.outcome == FAIL else "its signature could not be checked"
            return claims, ("status_list_proof", f"{word}: {proof.reason}")
    else:
        try:
            cwtstatus.verify(data, opts=opts)
        except cwtstatus.CwtError as exc:
            return claims, (exc.code, exc.message)
    now = opts.now()
    if exp is not None:
        if not _number(exp):
            return claims, ("malformed_status_list", "exp is not a NumericDate")
        if datetime.fromtimestamp(exp, timezone.utc) < shift(now, -opts.clock_skew):
            return claims, ("status_list_expired", f"it expired on {iso(datetime.fromtimestamp(exp, timezone.utc))}")
    if datetime.fromtimestamp(iat, timezone.utc) > shift(now, opts.clock_skew):
        return claims, ("status_list_not_yet_valid", f"it was issued in the future ({iso(datetime.fromtimestamp(iat, timezone.utc))})")
    return claims, None


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 253402300799


def _stale(claims: dict, origin: str, opts: Options) -> str:
    ttl = claims.get("ttl")
    if origin == "fetched online" or not _number(ttl) or ttl <= 0:
        return ""
    fresh_until = shift(datetime.fromtimestamp(claims["iat"], timezone.utc), ttl)
    return f"; its ttl ran out at {iso(fresh_until)}, a newer list may exist (--online)" if fresh_until < opts.now() else ""
