"""Stage 4: presentation. The holder's proof (purpose `authentication`), `--challenge` and
`--domain`, expiry, and holder binding: is each credential's subject the holder?"""

from __future__ import annotations

from lerwallet.verify import proof
from lerwallet.dates import iso, parse_datetime
from lerwallet.verify.options import Options
from lerwallet.verify.report import FAIL, PASS, SKIPPED, UNKNOWN, WARN, Check
from lerwallet.verify.state import CredentialState, as_list, id_of


def run(state: CredentialState, opts: Options) -> list[Check]:
    checks = [_structure(state.unverified, state.securing)]
    for check in proof.run(state, opts, purpose="authentication"):
        check.id = "presentation." + check.id  # presentation.proof, presentation.proof.other
        if check.code == "no_proof":  # the credentials inside keep their own results
            check.reason = ("presentation without holder proof: it has no digital signature, so nothing shows that "
                            "the sender holds these credentials")
        checks.append(check)
    if state.proof_outcome != PASS:
        why = "the presentation's proof did not verify" if state.proof_outcome == "fail" else "the presentation's proof could not be checked"
        checks += [Check(i, SKIPPED, why) for i in ("presentation.challenge", "presentation.domain", "presentation.expiration")]
        return checks
    if state.securing == "ldp":
        from lerwallet.verify import graph

        hidden = graph.check(state.unverified, opts.get_loader(), presentation=True)
        if hidden is not None:
            checks.append(hidden)
            if hidden.outcome == FAIL:
                why = "the signed presentation hides a judged field from these checks (see presentation.graph)"
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


def sd_jwt_binding(state: CredentialState, opts: Options | None = None) -> list[Check]:
    """A standalone SD-JWT bound to a holder key (`cnf`): did its key binding JWT prove that
    the sender holds the key? Without a KB-JWT anyone with a copy could have sent it."""
    if state.securing != "sd-jwt" or state.proof_outcome != PASS or "cnf" not in (state.jwt_payload or {}):
        return []
    kb = state.extra.get("key_binding")
    if kb is not None and kb.outcome == PASS:
        stale = _kb_stale(kb, opts)
        if stale:
            asked = opts.domain is not None or opts.challenge is not None
            return [Check("holder.binding", FAIL if asked else WARN, stale, "kb_stale")]
        if opts is not None and opts.domain is None and opts.challenge is None:
            return [Check("holder.binding", WARN, "the key binding JWT is signed by the key the credential is bound to (cnf), "
                          "but its audience and nonce were not checked: it may have been made for another verifier "
                          "(pass --domain and --challenge)", "kb_audience_not_checked")]
        return [Check("holder.binding", PASS, "the key binding JWT is signed by the key the credential is bound to (cnf)")]
    return [Check("holder.binding", WARN, "holder binding not proven: the SD-JWT is bound to a key (cnf) but carries no "
                  "key binding JWT, so anyone with a copy could have sent it (ask for one with --challenge/--domain)",
                  "holder_binding_not_proven")]


def _kb_stale(kb, opts: Options | None) -> str:
    """Why the key binding JWT is too old to prove who sent this SD-JWT now, or "" (fresh, or not
    judged: `Options.max_kb_age` None). The issuer's signature is unaffected (`proof`)."""
    if opts is None or opts.max_kb_age is None or not kb.created:
        return ""
    from lerwallet.dates import parse_datetime

    made = parse_datetime(kb.created)
    if made is None:
        return ""
    age = (opts.now() - made).total_seconds()
    if age <= opts.max_kb_age + opts.clock_skew:
        return ""
    return (f"the key binding JWT was made at {kb.created}, more than {opts.max_kb_age} s before the check: a replay "
            "of an earlier presentation or a stored copy, so it does not show who sent it now (the issuer's signature "
            "is checked under proof)")


def _structure(doc: dict, securing: str = "ldp") -> Check:
    from lerwallet import vcdm

    creds = as_list(doc.get("verifiableCredential"))
    problems = vcdm.presentation_problems(doc, securing=securing)
    if problems:
        return Check("presentation.structure", FAIL, "; ".join(r for _, r in problems), problems[0][0],
                     {"problems": [c for c, _ in problems]})
    holder = id_of(doc.get("holder"))
    if not holder:
        return Check("presentation.structure", WARN, f"{len(creds)} credential(s); the presentation names no holder", "no_holder")
    return Check("presentation.structure", PASS, f"{len(creds)} credential(s) presented by {holder}")


def _bound(name: str, flag: str, expected: str | None, found: list) -> Check:
    flat = [v for item in found for v in (item if isinstance(item, list) else [item])]  # domain may be a list
    values = [v for v in flat if isinstance(v, str) and v]
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
    from lerwallet.dates import shift

    ends = [parse_datetime(state.unverified.get("validUntil"))] + [parse_datetime(p.get("expires")) for p in proofs]
    ends.append(parse_datetime((state.jwt_payload or {}).get("exp")))
    ends = [e for e in ends if e]
    now = opts.now()
    if not ends:
        return Check("presentation.expiration", PASS, "the presentation does not expire")
    end = min(ends)
    if end < shift(now, -opts.clock_skew):
        return Check("presentation.expiration", FAIL, f"the presentation expired on {iso(end)}", "presentation_expired")
    return Check("presentation.expiration", PASS, f"valid until {iso(end)}")


def proven_keys(vp: CredentialState, opts: Options) -> list[tuple[str, str]] | None:
    """(verification method id, RFC 7638 JWK thumbprint) of each key whose proof on the
    presentation verified; None when the presentation's proof did not verify."""
    if vp.proof_outcome != PASS:
        return None
    from lerwallet.keys.jwk import public_to_jwk, thumbprint

    keys = []
    # The holder's keys, then those of co-signers (the holder's other identities, one proof each)
    methods = list(vp.extra.get("verification_methods", [])) + [vm for vm, _ in vp.extra.get("cosigners", [])]
    for vm_id in methods:
        try:
            vm = opts.get_resolver().dereference(vm_id)
            keys.append((vm.id, thumbprint(vm.jwk or public_to_jwk(vm.key_type, vm.public_key))))
        except Exception:  # it resolved moments ago for the proof; keep the id, no thumbprint
            keys.append((vm_id, ""))
    return keys


def holder_binding(cred: CredentialState, holder: str, holder_keys: list[tuple[str, str]] | None = None,
                   cosigners: list[str] | None = None) -> Check:
    """Is the presenter entitled to this credential (issue #10)? With `cnf` (RFC 7800) the
    credential is bound to a key, and only a presentation signed with that key may carry it.
    Otherwise, when the subject is a DID, the presentation must prove control of it: its
    verified holder proof is made by that DID, or another verified proof of the presentation is
    (a proof set signed by each identity the credentials were issued to, `cosigners`); if not,
    the check fails: a stranger's signature on Ada's credential proves nothing about Ada. A
    subject without a DID (an email-only recipient) cannot be proven here: a plain warning."""
    cnf = (cred.jwt_payload or {}).get("cnf")
    if cnf is not None:
        return _key_binding(cnf, holder_keys)
    if holder_keys is None:
        return Check("holder.binding", SKIPPED, "the presentation's proof did not verify, so nothing shows who presented "
                     "this credential")
    subjects = [s for s in as_list(cred.doc.get("credentialSubject")) if isinstance(s, dict)]
    ids = sorted({s["id"] for s in subjects if isinstance(s.get("id"), str)})
    dids = {i.split("#")[0] for i in ids if i.startswith("did:")}
    proven = {p.split("#")[0] for p in [holder, *(cosigners or [])] if p}
    if not dids:
        shown = ", ".join(ids) or "no subject id"
        return Check("holder.binding", WARN, f"the holder is not bound to the subject: the subject ({shown}) is not a DID, "
                     "so the presentation cannot prove it is theirs (check who sent it another way)", "holder_not_bound")
    matched = sorted(dids & proven)
    if matched:
        if holder and holder.split("#")[0] in matched:
            return Check("holder.binding", PASS, f"the subject is the holder ({matched[0]}), whose proof verified")
        return Check("holder.binding", PASS, f"the subject ({matched[0]}) signed the presentation (one proof of its proof set)")
    signed = ", ".join(sorted(proven)) or "no one"
    return Check("holder.binding", FAIL, f"the subject ({', '.join(sorted(dids))}) did not sign this presentation (signed by "
                 f"{signed}): nothing shows the presenter controls the DID the credential was issued to",
                 "holder_not_subject")


def _key_binding(cnf: object, holder_keys: list[tuple[str, str]] | None) -> Check:
    from lerwallet.keys.jwk import JwkError, thumbprint

    if holder_keys is None:
        return Check("holder.binding", SKIPPED, "the presentation's proof did not verify, so its key cannot be compared with the credential's cnf")
    if not isinstance(cnf, dict):
        return Check("holder.binding", FAIL, "the credential's cnf claim is not an object", "malformed_cnf")
    ids = {vm for vm, _ in holder_keys}
    prints = {tp for _, tp in holder_keys if tp}
    wanted = []
    if isinstance(cnf.get("jwk"), dict):
        try:
            wanted.append(("cnf.jwk", thumbprint(cnf["jwk"]), prints))
        except JwkError as exc:
            return Check("holder.binding", FAIL, f"the credential's cnf.jwk is malformed: {exc}", "malformed_cnf")
    if isinstance(cnf.get("jkt"), str):
        wanted.append(("cnf.jkt", cnf["jkt"], prints))
    if isinstance(cnf.get("kid"), str):
        wanted.append(("cnf.kid", cnf["kid"], ids))
    if not wanted:
        names = ", ".join(sorted(str(k) for k in cnf)) or "nothing"
        return Check("holder.binding", UNKNOWN, f"the credential is bound to a key by cnf ({names}), a confirmation "
                     "method this verifier cannot compare (jwk, jkt and kid are supported)", "unsupported_cnf")
    for name, value, have in wanted:
        if value not in have:
            signed_with = ", ".join(sorted(ids)) or "no key"
            return Check("holder.binding", FAIL, f"bound to another key: the credential's {name} is not the key that signed "
                         f"the presentation ({signed_with}); a credential bound to a key the presenter does not hold is "
                         "not theirs", "holder_key_mismatch")
    return Check("holder.binding", PASS, f"bound to the key that signed the presentation ({', '.join(n for n, _, _ in wanted)})")
