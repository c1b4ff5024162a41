"""Stage 4: presentation. The holder's proof (purpose `authentication`), `--challenge` and
`--domain`, expiry, and holder binding: is each credential's subject the holder?"""

from __future__ import annotations

from lerwallet.verify import proof
from lerwallet.verify.dates import iso, parse_datetime
from lerwallet.verify.options import Options
from lerwallet.verify.report import FAIL, PASS, SKIPPED, WARN, Check
from lerwallet.verify.state import CredentialState, as_list, id_of


def run(state: CredentialState, opts: Options) -> list[Check]:
    checks = [_structure(state.unverified)]
    for check in proof.run(state, opts, purpose="authentication"):
        check.id = "presentation." + check.id  # presentation.proof, presentation.proof.other
        checks.append(check)
    if state.proof_outcome != PASS:
        why = "the presentation's proof did not verify" if state.proof_outcome == "fail" else "the presentation's proof could not be checked"
        checks += [Check(i, SKIPPED, why) for i in ("presentation.challenge", "presentation.domain", "presentation.expiration")]
        return checks
    proofs = [p for p in as_list(state.unverified.get("proof")) if isinstance(p, dict)]
    claims = state.jwt_payload or {}
    checks.append(_bound("challenge", "--challenge", opts.challenge, [p.get("challenge") for p in proofs] + [claims.get("nonce")]))
    checks.append(_bound("domain", "--domain", opts.domain, [p.get("domain") for p in proofs] + as_list(claims.get("aud"))))
    checks.append(_expiry(state, proofs, opts))
    return checks


def expected_but_absent(state: CredentialState, opts: Options) -> list[Check]:
    """`--challenge`/`--domain` asked for a signed presentation; a bare credential (anyone can
    forward a copy) cannot answer them. An SD-JWT answers through its key binding JWT, which
    the proof stage checks against the same options."""
    if state.securing == "sd-jwt":
        return []
    return [
        Check(f"presentation.{name}", FAIL, f"{flag} {value!r} was given, but this input is a bare credential: a signed "
              f"presentation (or an SD-JWT with key binding) was expected, so nothing shows the sender holds it",
              "presentation_expected")
        for name, flag, value in (("challenge", "--challenge", opts.challenge), ("domain", "--domain", opts.domain))
        if value is not None
    ]


def _structure(doc: dict) -> Check:
    creds = as_list(doc.get("verifiableCredential"))
    holder = id_of(doc.get("holder"))
    if not holder:
        return Check("presentation.structure", WARN, f"{len(creds)} credential(s); the presentation names no holder", "no_holder")
    return Check("presentation.structure", PASS, f"{len(creds)} credential(s) presented by {holder}")


def _bound(name: str, flag: str, expected: str | None, found: list) -> Check:
    values = [v for v in found if isinstance(v, str) and v]
    cid = f"presentation.{name}"
    if expected is not None:
        if expected in values:
            return Check(cid, PASS, f"{name} matches {expected!r}")
        if not values:
            return Check(cid, FAIL, f"you asked for {name} {expected!r}, the presentation carries none", f"{name}_mismatch")
        return Check(cid, FAIL, f"{name} is {values[0]!r}, not {expected!r}", f"{name}_mismatch")
    if values:
        return Check(cid, WARN, f"carries {name} {values[0]!r}; pass {flag} to check it", f"{name}_not_checked")
    return Check(cid, WARN, f"no {name}: this presentation could be replayed by anyone who has a copy", f"no_{name}")


def _expiry(state: CredentialState, proofs: list[dict], opts: Options) -> Check:
    from datetime import timedelta

    ends = [parse_datetime(state.unverified.get("validUntil"))] + [parse_datetime(p.get("expires")) for p in proofs]
    ends.append(parse_datetime((state.jwt_payload or {}).get("exp")))
    ends = [e for e in ends if e]
    now = opts.now()
    if not ends:
        return Check("presentation.expiration", PASS, "the presentation does not expire")
    end = min(ends)
    if end < now - timedelta(seconds=opts.clock_skew):
        return Check("presentation.expiration", FAIL, f"the presentation expired on {iso(end)}", "presentation_expired")
    return Check("presentation.expiration", PASS, f"valid until {iso(end)}")


def holder_binding(cred: CredentialState, holder: str) -> Check:
    subjects = [s for s in as_list(cred.doc.get("credentialSubject")) if isinstance(s, dict)]
    ids = {s.get("id") for s in subjects if isinstance(s.get("id"), str)}
    cnf = (cred.jwt_payload or {}).get("cnf")
    if not holder:
        return Check("holder.binding", WARN, "the presentation names no holder to compare the subject with", "no_holder")
    if holder in ids or any(i.split("#")[0] == holder for i in ids):
        return Check("holder.binding", PASS, f"the subject is the holder ({holder})")
    if cnf:
        return Check("holder.binding", PASS, "bound to the holder's key (cnf)")
    shown = ", ".join(sorted(ids)) or "no subject id"
    return Check("holder.binding", WARN, f"the subject ({shown}) is not the holder {holder}", "holder_not_subject")
