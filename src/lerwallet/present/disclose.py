"""Selective disclosure: show a verifier only the fields the learner chooses, where the format allows.

- SD-JWT VCs: the issuer made some claims selectively disclosable. `disclose_sd_jwt` keeps the
  disclosures of the chosen claims (JSON Pointers; ancestors and everything inside a chosen claim
  come along), drops the others, and appends a key binding JWT over the verifier's nonce and
  audience and the presentation's `sd_hash`, signed by the holder key named in `cnf` (which must
  be one of the learner's keys). Claims the issuer did not make disclosable are always shown.
- ecdsa-sd-2023 and bbs-2023 base credentials: `derive_ecdsa_sd` / `derive_bbs` derive a proof
  revealing the chosen JSON Pointers plus the issuer's mandatory ones
  (lerwallet.proofs.ecdsa_sd_derive, lerwallet.proofs.bbs2023_derive; a BBS proof is also
  unlinkable: each presentation's proof is fresh).
- Everything else (eddsa-rdfc-2022, ecdsa-rdfc-2019, Ed25519Signature2020, VC-JWTs): the
  signature covers the whole credential, so nothing can be withheld. `plan_disclosure` says so
  plainly and lists the fields the credential will show.

`plan_disclosure` decides per credential; unknown paths are a `DisclosureError` (exit 2) naming
the path and the ones that exist. Nothing here touches the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lerwallet.errors import UsageError

SD_JWT = "sd-jwt"
ECDSA_SD = "ecdsa-sd-2023"
BBS = "bbs-2023"
WHOLE = "whole"
MAX_LISTED = 12


class DisclosureError(UsageError):
    """A disclosure that cannot be made as asked (exit 2): unknown path, missing holder key."""


@dataclass
class DisclosurePlan:
    """What one credential will reveal."""

    method: str  # "sd-jwt" | "ecdsa-sd-2023" | "whole"
    requested: list[str] = field(default_factory=list)  # the pointers the learner (or request) asked for
    shown: list[str] = field(default_factory=list)  # pointers the verifier will see
    withheld: list[str] = field(default_factory=list)  # pointers the verifier will not see
    notice: str = ""  # one sentence for the learner (e.g. "can only be shared whole")

    def to_dict(self) -> dict:
        return {"method": self.method, "requested": self.requested, "shown": self.shown,
                "withheld": self.withheld, "notice": self.notice}


def parse_paths(text: str | list[str]) -> list[str]:
    """`--disclose` values: comma-separated JSON Pointers (`/credentialSubject/name`) or dotted
    paths (`credentialSubject.name`), as the learner types them."""
    items = text if isinstance(text, list) else [text]
    out: list[str] = []
    for item in items:
        for part in str(item).split(","):
            part = part.strip()
            if not part:
                continue
            if not part.startswith("/"):
                part = "/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in part.split("."))
            if part not in out:
                out.append(part)
    if not out:
        raise DisclosureError("--disclose needs at least one claim path",
                              hint="e.g. --disclose /given_name,/degree or --disclose credentialSubject.achievement.name")
    return out


def _pointers(node, prefix: str = "", out: list[str] | None = None, depth: int = 0) -> list[str]:
    """Every member and array element of `node` as JSON Pointers (parents before children)."""
    out = [] if out is None else out
    if depth > 32 or len(out) > 2000:
        return out
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{prefix}/{str(key).replace('~', '~0').replace('/', '~1')}"
            out.append(here)
            _pointers(value, here, out, depth + 1)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            here = f"{prefix}/{i}"
            out.append(here)
            _pointers(value, here, out, depth + 1)
    return out


def _covered(pointer: str, chosen: list[str]) -> bool:
    """A claim is shown when it is chosen, inside a chosen claim, or on the way to one."""
    return any(pointer == c or pointer.startswith(c + "/") or c.startswith(pointer + "/") for c in chosen)


def _unknown(paths: list[str], known: list[str], what: str) -> None:
    missing = [p for p in paths if p not in known]
    if missing:
        listed = ", ".join(known[:MAX_LISTED]) + (" ..." if len(known) > MAX_LISTED else "")
        raise DisclosureError(f"unknown disclosure path {missing[0]}: {what} has no such claim",
                              hint=f"its claims: {listed}" if known else "it has no claims to choose from")


# --- SD-JWT ------------------------------------------------------------------------------------

_REGISTERED = {"iss", "iat", "nbf", "exp", "cnf", "vct", "vct#integrity", "status", "sub", "_sd_alg", "jti", "aud"}


def plan_sd_jwt(token: str, paths: list[str] | None) -> DisclosurePlan:
    """What `disclose_sd_jwt(token, paths)` will show and withhold (paths None: everything)."""
    from lerwallet.proofs.sdjwt import SdJwtError, all_claims

    try:
        claims, disclosable = all_claims(token)
    except SdJwtError as exc:
        raise DisclosureError(f"this SD-JWT cannot be read: {exc.message}") from None
    known = [p for p in _pointers(claims) if p.split("/")[1] not in _REGISTERED]
    if paths is None:
        return DisclosurePlan(SD_JWT, [], known, [], "every claim is disclosed")
    _unknown(paths, known, "this SD-JWT")
    hidden = {p for p in disclosable if not _covered(p, paths)}
    withheld = sorted(hidden)  # digests are shuffled: the disclosed order carries no meaning
    # a claim inside a withheld disclosure is withheld with it
    shown = [p for p in known if not any(p == w or p.startswith(w + "/") for w in withheld)]
    always = [p for p in paths if not any(p == d or p.startswith(d + "/") or d.startswith(p + "/") for d in disclosable)]
    notice = ""
    if always:
        notice = (f"{', '.join(always)} {'is' if len(always) == 1 else 'are'} always shown: the issuer did not make "
                  f"{'it' if len(always) == 1 else 'them'} selectively disclosable")
    return DisclosurePlan(SD_JWT, list(paths), shown, withheld, notice)


def holder_key_for(wallet, token: str) -> tuple[str, bytes]:
    """The learner's private key named by the SD-JWT's `cnf.jwk` (DisclosureError if not theirs)."""
    from lerwallet import identity
    from lerwallet.keys.jwk import JwkError, jwk_to_public
    from lerwallet.proofs.jose import JoseError, decode_compact

    try:
        _, payload, _, _ = decode_compact(token.split("~", 1)[0])
    except JoseError as exc:
        raise DisclosureError(f"this SD-JWT cannot be read: {exc.message}") from None
    cnf = payload.get("cnf")
    if not isinstance(cnf, dict) or not isinstance(cnf.get("jwk"), dict):
        raise DisclosureError("this SD-JWT names no holder key (cnf.jwk): it cannot carry a key binding",
                              hint="present it without --challenge/--domain, or ask the issuer for a holder-bound SD-JWT")
    try:
        key_type, public = jwk_to_public(cnf["jwk"])
    except JwkError as exc:
        raise DisclosureError(f"the SD-JWT's cnf key cannot be read: {exc}") from None
    found = identity.key_for_public(wallet, key_type, public)
    if found is None:
        raise DisclosureError("the holder key this SD-JWT is bound to (cnf) is not one of your identities' keys",
                              hint="import that key with: lerwallet did import KEYFILE")
    return found[0], found[1]


def disclose_sd_jwt(token: str, paths: list[str] | None, *, holder_key: tuple[str, bytes] | None,
                    audience: str | None, nonce: str | None, now=None) -> tuple[str, DisclosurePlan]:
    """The SD-JWT presentation (`jwt~d1~...~dn~kb-jwt`) showing only `paths` (None: every claim),
    key-bound to `audience` and `nonce` with `holder_key` when given."""
    from lerwallet.proofs.sdjwt import SdJwtError, present

    plan = plan_sd_jwt(token, paths)
    try:
        from lerwallet.proofs.sdjwt import all_claims

        select = paths if paths is not None else all_claims(token)[1]
        presented = present(token.strip().rsplit("~", 1)[0] + "~", select, holder_key=holder_key,
                            aud=audience, nonce=nonce, now=now)
    except SdJwtError as exc:
        raise DisclosureError(f"cannot present this SD-JWT: {exc.message}") from None
    return presented, plan


# --- Data Integrity ----------------------------------------------------------------------------


def _suites(document: dict) -> list[str]:
    proofs = document.get("proof")
    out = []
    for p in proofs if isinstance(proofs, list) else [proofs]:
        if isinstance(p, dict):
            out.append(p.get("cryptosuite") or p.get("type") or "unknown proof")
    return out


def plan_ecdsa_sd(document: dict, paths: list[str], method: str = ECDSA_SD) -> DisclosurePlan:
    """What deriving from an ecdsa-sd-2023 (or, `method` BBS, bbs-2023) base proof will show."""
    from lerwallet.proofs.ecdsa_sd_derive import DisclosureError as DeriveError
    from lerwallet.proofs.encoding import MalformedValue

    if method == BBS:
        from lerwallet.proofs.bbs2023_derive import _sd_proof as find, parse_base as parse
    else:
        from lerwallet.proofs.ecdsa_sd_derive import _sd_proof as find, parse_base as parse
    try:
        mandatory = parse(find(document).get("proofValue")).mandatory_pointers
    except (DeriveError, MalformedValue) as exc:
        raise DisclosureError(f"cannot derive from this credential: {getattr(exc, 'message', exc)}") from None
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    known = [p for p in _pointers(unsecured) if not p.startswith("/@context")]
    _unknown(paths, known, "this credential")
    chosen = mandatory + paths
    shown = [p for p in known if _covered(p, chosen)]
    withheld = [p for p in known if p not in shown]
    return DisclosurePlan(method, list(paths), shown, withheld,
                          f"the issuer requires {', '.join(mandatory)} to be shown" if mandatory else "")


def derive_ecdsa_sd(document: dict, paths: list[str]) -> tuple[dict, DisclosurePlan]:
    """The derived credential revealing `paths` plus the mandatory pointers."""
    from lerwallet.proofs.ecdsa_sd_derive import derive

    return _derived(derive, document, paths, plan_ecdsa_sd(document, paths))


def derive_bbs(document: dict, paths: list[str]) -> tuple[dict, DisclosurePlan]:
    """The bbs-2023 derived credential revealing `paths` plus the mandatory pointers, with a
    fresh BBS proof (no presentation header: the presentation's own proof binds the verifier)."""
    from lerwallet.proofs.bbs2023_derive import derive

    return _derived(derive, document, paths, plan_ecdsa_sd(document, paths, BBS))


def _derived(derive, document: dict, paths: list[str], plan: DisclosurePlan) -> tuple[dict, DisclosurePlan]:
    """`derive(document, paths)`'s document with `plan`; its refusals as one DisclosureError."""
    return _deriving(lambda: derive(document, paths).document), plan


def _deriving(make):
    """`make()`, a derivation, with its refusals as one DisclosureError."""
    from lerwallet.ld.errors import LDError
    from lerwallet.proofs.ecdsa_sd_derive import DisclosureError as DeriveError
    from lerwallet.proofs.encoding import MalformedValue

    try:
        return make()
    except DeriveError as exc:
        raise DisclosureError(exc.message, hint=exc.hint) from None
    except MalformedValue as exc:
        raise DisclosureError(f"cannot derive from this credential: {exc}") from None
    except LDError as exc:  # e.g. the RDFC-1.0 work limit on a poison graph
        raise DisclosureError(f"cannot derive from this credential: {exc}",
                              hint="check it with: lerwallet verify FILE") from None


def shareable(chosen) -> object:
    """What a chosen credential (`present.select.Chosen`) is shared as when nothing is withheld
    (a résumé): an ecdsa-sd-2023 or bbs-2023 base credential is the holder's copy, never shared
    as it is (an employer's verifier refuses it, `sd_base_proof`), so it becomes a derived copy
    revealing every field (`proofs.holder_copy.full_disclosure`, as `export` does); anything
    else goes as stored (`Chosen.embed`)."""
    from lerwallet.proofs.holder_copy import full_disclosure

    if method_of(chosen.record.format, chosen.document, chosen.token) not in (ECDSA_SD, BBS):
        return chosen.embed
    return _deriving(lambda: full_disclosure(chosen.document))


def plan_whole(document: dict, paths: list[str] | None, *, token: bool = False) -> DisclosurePlan:
    """A credential that can only be shared whole: the notice says so when fields were to be hidden."""
    shown = [p for p in _pointers({k: v for k, v in document.items() if k != "proof"})
             if not p.startswith("/@context")]
    leaves = [p for p in shown if not any(q.startswith(p + "/") for q in shown)]
    subject = [".".join(x for x in p.split("/")[2:] if not x.isdigit()) for p in leaves
               if p.startswith("/credentialSubject/") and "/type" not in p]
    subject = list(dict.fromkeys(subject)) or [p[1:].replace("/", ".") for p in leaves[:MAX_LISTED]]
    notice = ""
    if paths:
        how = "its issuer's JWT signature" if token else f"its {', '.join(_suites(document)) or 'proof'}"
        listed = ", ".join(subject[:MAX_LISTED]) + (" ..." if len(subject) > MAX_LISTED else "")
        notice = (f"this credential can only be shared whole ({how} covers every field, so none can be hidden); "
                  f"it will show its subject's {listed}")
    return DisclosurePlan(WHOLE, list(paths or []), shown, [], notice)


def method_of(record_format: str, document: dict, token: str | None) -> str:
    """How a stored credential can be disclosed: sd-jwt, ecdsa-sd-2023 or bbs-2023 (base proof), or whole."""
    if record_format == "sd-jwt" or (token and "~" in token):
        return SD_JWT
    if token is None and isinstance(document, dict):
        from lerwallet.proofs.ecdsa_sd_derive import is_base_credential

        if is_base_credential(document):
            return ECDSA_SD
        from lerwallet.proofs.bbs2023_derive import is_base_credential as is_bbs_base

        if is_bbs_base(document):
            return BBS
    return WHOLE
