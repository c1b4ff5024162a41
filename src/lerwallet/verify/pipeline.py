"""The verification pipeline: a declared, ordered list of named stages.

Every credential (a bare one, one inside a presentation, one read by `import` or `recheck`, an
endorsement) runs through `CREDENTIAL_STAGES`, in this order:

    presentation.expected -> structure -> clr.size -> schema -> proof -> structure.graph
    -> holder.binding -> validity -> status -> trust -> badge -> endorsements -> clr
    -> sd-jwt.key-binding

Open Badges 2.0 assertions take their own stages instead (`verify.ob2`):

    ob2.structure -> ob2.verification -> ob2.validity -> ob2.status -> ob2.trust -> ob2.endorsements -> ob2.recipient

Each `Stage` names the checks it reports, when it applies, and whether its outcome stops the
stages after it. A stage that cannot run because an earlier one stopped the run is reported
as `skipped`, with why (its `skip_as` check ids). Adding a check means adding it to a stage
module (one module per stage in this package) or one `Stage` entry here; nothing else
changes. Verification never raises for a bad credential; it returns a Report.
"""

from __future__ import annotations

from typing import Callable

from lerwallet.formats import Envelope, limits
from lerwallet.structs import Frozen, Struct
from lerwallet.verify import badges, presentation, proof, schema, status, structure, trust, validity
from lerwallet.verify.options import Options
from lerwallet.verify.report import FAIL, PASS, SKIPPED, UNKNOWN, WARN, Check, CredentialReport, Report
from lerwallet.verify.state import CredentialState, as_list, id_of


class Run(Struct):
    """One credential going through the stages: what every stage may read."""

    FIELDS = __slots__ = ("state", "opts", "report", "holder", "holder_keys", "cosigners")

    def __init__(self, state: CredentialState, opts: Options, report: CredentialReport, holder: str | None = None,
                 holder_keys: list[tuple[str, str]] | None = None, cosigners: list[str] | None = None) -> None:
        self.state = state
        self.opts = opts
        self.report = report
        self.holder = holder  # set when the credential came in a presentation
        self.holder_keys = holder_keys  # the keys that signed that presentation
        self.cosigners = cosigners  # other DIDs whose proofs on that presentation verified (proof set)

    @property
    def standalone(self) -> bool:
        """A credential received on its own (not in a presentation, not an endorsement, not
        inside a CLR)."""
        return self.holder is None and self.state.depth == 0 and not self.state.extra.get("in_clr")

    @property
    def w3c(self) -> bool:
        """A W3C VC (Open Badges 2.0 assertions get their own stages, `verify.ob2`)."""
        return self.state.securing != "ob2"

    @property
    def ob2(self) -> bool:
        return self.state.securing == "ob2"


def _w3c(run: Run) -> bool:
    return run.w3c


def _no_stop(run: Run, checks: list[Check]) -> str | None:
    return None


class Stage(Frozen):
    """One named stage. `run` returns its checks; `stop` (given them) says why the stages after
    it cannot run, or None; `skip_as` are the check ids reported `skipped` when an earlier stage
    stopped the run; `skip_if_applies`: report `skip_as` only when the stage would have applied."""

    FIELDS = ("name", "run", "applies", "skip_as", "stop", "skip_if_applies")

    def __init__(self, name: str, run: Callable[[Run], list[Check]], applies: Callable[[Run], bool] = _w3c,
                 skip_as: tuple[str, ...] = (), stop: Callable[[Run, list[Check]], str | None] = _no_stop,
                 skip_if_applies: bool = False) -> None:
        self._set(name=name, run=run, applies=applies, skip_as=skip_as, stop=stop, skip_if_applies=skip_if_applies)


# --- the stages, in order ---------------------------------------------------------------------


def _expected(run: Run) -> list[Check]:
    return presentation.expected_but_absent(run.state, run.opts)


def _structure(run: Run) -> list[Check]:
    return structure.run(run.state, online=run.opts.online, loader=run.opts.get_loader())


def _malformed(run: Run, checks: list[Check]) -> str | None:
    return "the credential is malformed (see structure)" if checks and checks[0].outcome == FAIL else None


def _schema(run: Run) -> list[Check]:
    if _wants_schema(run.state):
        return schema.run(run.state)
    return [Check("schema", PASS, "no bundled schema applies")]


def _wants_schema(state: CredentialState) -> bool:
    return bool({"OpenBadgeCredential", "AchievementCredential", "EndorsementCredential", "ClrCredential"} & set(state.types)) or (
        "credentialSchema" in state.doc
    )


def _proof(run: Run) -> list[Check]:
    return proof.run(run.state, run.opts)


def _proof_failed(run: Run, checks: list[Check]) -> str | None:
    if run.state.proof_outcome == FAIL:
        return "the proof failed: nothing this credential says can be trusted"
    return None


def _graph(run: Run) -> list[Check]:
    """Data Integrity signs the graph, not the JSON spelling: do the later stages read what was signed?"""
    from lerwallet.verify import graph

    hidden = graph.check(run.state.doc, run.opts.get_loader())
    return [hidden] if hidden is not None else []


def _graph_applies(run: Run) -> bool:
    return run.state.securing == "ldp" and run.state.proof_outcome == PASS


def _graph_hides(run: Run, checks: list[Check]) -> str | None:
    if any(c.outcome == FAIL for c in checks):
        return "the signed data hides a judged field from these checks (see structure.graph)"
    return None


def _holder_binding(run: Run) -> list[Check]:
    return [presentation.holder_binding(run.state, run.holder or "", run.holder_keys, run.cosigners)]


def _validity(run: Run) -> list[Check]:
    return validity.run(run.state, run.opts)


def _status(run: Run) -> list[Check]:
    checks = status.run(run.state, run.opts)
    _both_said(run.report.checks, checks)
    return checks


def _both_said(earlier: list[Check], status_checks: list[Check]) -> None:
    """An expired (or not yet valid) credential whose status could not be checked says both:
    "expired" alone would hide that revocation was never checked."""
    dated = [c for c in earlier if c.id in ("expiration", "valid-from") and c.outcome == FAIL]
    unchecked = [c for c in status_checks if c.outcome == UNKNOWN]
    if dated and unchecked:
        why = "; ".join(f"{c.id}: {c.reason}" for c in unchecked)
        dated[0].reason += f"; and its status could not be checked either ({why})"
        dated[0].details["statusUnchecked"] = [c.id for c in unchecked]


def _trust(run: Run) -> list[Check]:
    return trust.run(run.state, run.opts, holder=run.holder)


def _badge(run: Run) -> list[Check]:
    return badges.run(run.state, run.opts.emails())


def _endorsements(run: Run) -> list[Check]:
    return _verify_endorsements(run.state, run.opts, run.report)


def _clr_applies(run: Run) -> bool:
    """A top-level CLR (`clr.applies`); `verify.clr` loads when a ClrCredential arrives."""
    if "ClrCredential" not in run.state.types:
        return False
    from lerwallet.verify import clr

    return clr.applies(run.state)


def _clr_size(run: Run) -> list[Check]:
    from lerwallet.verify import clr

    too_many = clr.too_many(run.state.doc)
    return [too_many] if too_many is not None else []


def _clr_refused(run: Run, checks: list[Check]) -> str | None:
    return "the CLR holds too many credentials (see clr.credentials)" if checks else None


def _clr(run: Run) -> list[Check]:
    """Each credential inside a CLR, verified on its own (docs/verify.md, CLR 2.0)."""
    from lerwallet.verify import clr

    for nested in clr_credentials(run.state.doc, run.state.source):
        if nested.error is not None:
            sub = _unreadable(nested)
        elif nested.securing != "ob2" and clr.is_clr(nested.unverified):
            sub = CredentialReport(source=nested.source, format=nested.securing, strict=run.opts.strict,
                                   checks=[clr.nested_clr_check()])
            sub.summary = _summary(_summarize(nested.unverified))
        else:
            state = _state(nested)
            state.extra["in_clr"] = True
            sub = verify_credential(state, run.opts)
        run.report.nested.append(sub)
    return [clr.judge(run.report.nested)]


def clr_credentials(doc: dict, source: str) -> list[Envelope]:
    """Each credential inside a CLR as its own envelope (unreadable ones carry `error`), at most
    `clr.MAX_NESTED`; for callers that store them one by one, such as `import`."""
    from lerwallet.verify import clr

    return [_nested_envelope(entry, clr.nested_source(source, i))
            for i, entry in enumerate(clr.entries(doc)[: clr.MAX_NESTED])]


def _summarize(doc):
    from lerwallet.model import summarize

    return summarize(doc)


def _key_binding(run: Run) -> list[Check]:
    return presentation.sd_jwt_binding(run.state, run.opts)


def _ob2(name: str) -> Callable[[Run], list[Check]]:
    """An Open Badges 2.0 stage, imported when an OB 2.0 assertion arrives (not on every verify)."""
    def stage(run: Run) -> list[Check]:
        from lerwallet.verify import ob2

        return getattr(ob2, name)(run)
    stage.__name__ = f"ob2.{name}"
    return stage


CREDENTIAL_STAGES: tuple[Stage, ...] = (
    # --challenge/--domain asked for a presentation, and this credential came alone.
    Stage("presentation.expected", _expected, applies=lambda run: run.standalone),
    Stage("structure", _structure, stop=_malformed),
    # A CLR holding more credentials than are read is refused before its proof is computed.
    Stage("clr.size", _clr_size, applies=_clr_applies, skip_as=(), stop=_clr_refused),
    Stage("schema", _schema, skip_as=("schema",)),
    Stage("proof", _proof, skip_as=("proof",), stop=_proof_failed),
    Stage("structure.graph", _graph, applies=_graph_applies, stop=_graph_hides),
    Stage("holder.binding", _holder_binding, applies=lambda run: run.w3c and run.holder is not None),
    Stage("validity", _validity, skip_as=("valid-from", "expiration")),
    Stage("status", _status, skip_as=("status",)),
    Stage("trust", _trust, skip_as=("issuer.trust",)),
    Stage("badge", _badge, applies=lambda run: run.w3c and badges.applies(run.state)),
    Stage("endorsements", _endorsements, applies=lambda run: run.w3c and run.state.depth == 0 and badges.applies(run.state)),
    # CLR 2.0: every credential inside the CLR, verified on its own; the verdicts summed up.
    Stage("clr", _clr, applies=_clr_applies, skip_as=("clr.credentials",), skip_if_applies=True),
    # A standalone SD-JWT bound to a key: did its key binding JWT prove the sender holds it?
    Stage("sd-jwt.key-binding", _key_binding, applies=lambda run: run.w3c and run.standalone),
    # Open Badges 2.0 assertions (verify/ob2.py; the OB 2.0 "Verification" rules): data validation,
    # hosted retrieval or the JWS with the issuer's linked key (proof, ob2.issuer), dates, the
    # issuer's revocation list, the recipient against --email.
    Stage("ob2.structure", _ob2("structure"), applies=lambda run: run.ob2, stop=_malformed),
    Stage("ob2.verification", _ob2("verification"), applies=lambda run: run.ob2, skip_as=("proof",), stop=_proof_failed,
          skip_if_applies=True),
    Stage("ob2.validity", _ob2("validity"), applies=lambda run: run.ob2, skip_as=("valid-from", "expiration"),
          skip_if_applies=True),
    Stage("ob2.status", _ob2("status"), applies=lambda run: run.ob2, skip_as=("status.revocation",), skip_if_applies=True),
    Stage("ob2.trust", _ob2("trust"), applies=lambda run: run.ob2, skip_as=("issuer.trust",), skip_if_applies=True),
    Stage("ob2.endorsements", _ob2("endorsements"), applies=lambda run: run.ob2),
    Stage("ob2.recipient", _ob2("recipient"), applies=lambda run: run.ob2),
)


def run_stages(run: Run, stages: tuple[Stage, ...] = CREDENTIAL_STAGES) -> None:
    """Run `stages` in order on `run`, appending their checks to `run.report`."""
    stopped: str | None = None
    for stage in stages:
        if stopped is not None:
            if not stage.skip_if_applies or stage.applies(run):
                run.report.checks += [Check(i, SKIPPED, stopped) for i in stage.skip_as]
            continue
        if not stage.applies(run):
            continue
        checks = stage.run(run)
        run.report.checks += checks
        stopped = stage.stop(run, checks)


# --- entry points -----------------------------------------------------------------------------


def verify_envelope(env: Envelope, opts: Options) -> Report:
    """Verify one input (a presentation or a credential) completely."""
    from lerwallet.ld import remembering

    with remembering():  # the proof and the graph cross-check canonicalize the same document
        return _verify_envelope(env, opts)


def _verify_envelope(env: Envelope, opts: Options) -> Report:
    if env.error is not None:
        return Report(source=env.source, kind="unreadable", container=env.container, credentials=[_unreadable(env)],
                      strict=opts.strict)
    if env.kind == "presentation":
        return _presentation(env, opts)
    report = Report(source=env.source, kind="credential", container=env.container, strict=opts.strict)
    report.credentials.append(verify_credential(_state(env), opts))
    return report


def verify_envelope_credential(env: Envelope, opts: Options) -> CredentialReport:
    """One credential envelope through the same stages as `verify` (what `import` and `recheck`
    use for each credential they read)."""
    from lerwallet.ld import remembering

    with remembering():
        return verify_credential(_state(env), opts)


def _state(env: Envelope, depth: int = 0) -> CredentialState:
    return CredentialState(source=env.source, securing=env.securing, unverified=env.unverified or {}, token=env.token,
                           depth=depth)


def _unreadable(env: Envelope) -> CredentialReport:
    cred = CredentialReport(source=env.source, format=env.container)
    cred.checks.append(Check("parse", FAIL, env.error.message, env.error.code))
    return cred


def _presentation(env: Envelope, opts: Options) -> Report:
    vp = _state(env)
    report = Report(source=env.source, kind="presentation", container=env.container, strict=opts.strict)
    report.presentation_checks = presentation.run(vp, opts)
    doc = vp.doc
    report.holder = id_of(doc.get("holder")) or vp.signer or str((vp.jwt_payload or {}).get("iss") or "")
    holder_keys = presentation.proven_keys(vp, opts)
    # Every identity a verified proof on the presentation speaks for: the holder's, and those of
    # a proof set (one proof per identity the credentials were issued to).
    cosigners = (sorted(set(vp.extra.get("proven_controllers", [])) | {c for _, c in vp.extra.get("cosigners", [])})
                 if holder_keys is not None else [])
    entries = as_list(doc.get("verifiableCredential"))
    if len(entries) > limits.MAX_CREDENTIALS:
        report.presentation_checks.append(
            Check("presentation.structure", FAIL, f"more than {limits.MAX_CREDENTIALS} credentials in one presentation", "too_many")
        )
        return report
    for i, entry in enumerate(entries):
        nested = _nested_envelope(entry, f"{env.source}#verifiableCredential[{i}]")
        if nested.error is not None:
            report.credentials.append(_unreadable(nested))
            continue
        state = _state(nested)
        if nested.securing == "ldp" and isinstance(entry, dict) and "proof" not in entry:
            # No proof of its own: at most a self-asserted credential secured by the presentation's proof.
            state.extra["self_asserted"] = {"holder": id_of(doc.get("holder")), "vp_proven": holder_keys is not None}
        report.credentials.append(verify_credential(state, opts, holder=report.holder, holder_keys=holder_keys,
                                                    cosigners=cosigners))
    if not entries:
        report.presentation_checks.append(Check("presentation.structure", WARN, "the presentation holds no credential", "empty_presentation"))
    return report


def presented_credentials(env: Envelope) -> list[Envelope]:
    """Each credential inside a presentation as its own envelope (unreadable ones carry `error`);
    for callers that handle them one by one, such as `import`."""
    entries = as_list((env.unverified or {}).get("verifiableCredential"))[: limits.MAX_CREDENTIALS]
    return [_nested_envelope(entry, f"{env.source}#verifiableCredential[{i}]") for i, entry in enumerate(entries)]


def _nested_envelope(entry: object, source: str) -> Envelope:
    from lerwallet.formats import decode_bytes
    from lerwallet.formats.errors import FormatError
    from lerwallet.formats.json_doc import _envelope

    try:
        if isinstance(entry, str):
            return decode_bytes(entry.encode("utf-8"), source)[0]
        return _envelope(entry, source)
    except FormatError as exc:
        return Envelope(source=source, container="json", error=exc)


def verify_credential(state: CredentialState, opts: Options, *, holder: str | None = None,
                      holder_keys: list[tuple[str, str]] | None = None,
                      cosigners: list[str] | None = None) -> CredentialReport:
    """Run every stage on one credential; `holder` is set when it came in a presentation, with
    `holder_keys` (`presentation.proven_keys`) the keys that signed it."""
    report = CredentialReport(source=state.source, format=state.securing, strict=opts.strict)
    run_stages(Run(state=state, opts=opts, report=report, holder=holder, holder_keys=holder_keys, cosigners=cosigners))
    if state.securing == "ob2":
        from lerwallet.verify import ob2

        report.summary = _summary(ob2.summary(state))
    else:
        report.summary = _summary(state.summary())
    _label_issuer(report)
    return report


def _label_issuer(report: CredentialReport) -> None:
    """The issuer's name as shown to people: a trust registry's name when one vouched for the
    issuer, otherwise the name the credential gives itself, marked as self-asserted (anyone can
    sign a credential that calls its issuer "MIT")."""
    s = report.summary
    trust = report.check("issuer.trust")
    registries = (trust.details or {}).get("registries") if trust is not None and trust.outcome == PASS else None
    if registries:
        s["issuer_name"] = (trust.details or {}).get("name") or s.get("issuer_name") or s.get("issuer_id", "")
        s["issuer_name_source"] = "registry: " + ", ".join(registries)
    elif s.get("issuer_name"):
        s["issuer_name_source"] = "self-asserted"
    if s.get("issuer_name"):
        s["issuer_label"] = f"{s['issuer_name']} ({s['issuer_name_source']})"


def _verify_endorsements(state: CredentialState, opts: Options, report: CredentialReport) -> list[Check]:
    found = badges.endorsements(state.doc)
    if not found:
        return []
    for i, (where, item) in enumerate(found):
        nested = _nested_envelope(item, f"{state.source}#endorsement[{i}]")
        if nested.error is not None:
            sub = _unreadable(nested)
        else:
            sub = verify_credential(_state(nested, depth=state.depth + 1), opts)
        sub.summary["endorses"] = where
        report.endorsements.append(sub)
    bad = [e for e in report.endorsements if e.verdict != "valid"]
    # An endorsement is only worth something when its issuer is known: a valid signature by an
    # unknown key says nothing (anyone can endorse anything under any name).
    vouched = [e for e in report.endorsements if e not in bad and e.summary.get("issuer_name_source", "").startswith("registry:")]
    unknown = [e for e in report.endorsements if e not in bad and e not in vouched]
    parts = []
    if vouched:
        parts.append(f"{len(vouched)} verified from known issuers: " + ", ".join(e.summary.get("issuer_label", "?") for e in vouched))
    if unknown:
        ids = ", ".join(e.summary.get("issuer_id") or "?" for e in unknown)
        parts.append(f"{len(unknown)} signed but from unknown issuers ({ids}; names they give themselves are not verified)")
    if bad:
        names = ", ".join(e.summary.get("issuer_id") or "?" for e in bad)
        parts.append(f"{len(bad)} did not verify ({names})")
    reason = f"{len(found)} endorsement(s): " + "; ".join(parts)
    if bad:
        return [Check("endorsements", WARN, reason, "endorsement_invalid")]
    if unknown:
        return [Check("endorsements", WARN, reason, "endorsement_unknown_issuer")]
    return [Check("endorsements", PASS, reason)]


def _summary(summary) -> dict:
    data = summary.to_dict()
    return {k: v for k, v in data.items() if v not in ("", [], None)}
