"""The verification pipeline: one module per stage, called here in a fixed order.

    structure -> schema -> proof -> (holder binding) -> validity -> status -> trust -> badge

A stage that cannot run because an earlier one failed is reported as `skipped`, with why.
Verification never raises for a bad credential; it returns a Report.
"""

from __future__ import annotations

from lerwallet.formats import Envelope, limits
from lerwallet.verify import badges, presentation, proof, schema, status, structure, trust, validity
from lerwallet.verify.options import Options
from lerwallet.verify.report import FAIL, PASS, SKIPPED, WARN, Check, CredentialReport, Report
from lerwallet.verify.state import CredentialState, as_list, id_of

LATER_STAGES = ("valid-from", "expiration", "status", "issuer.trust")


def verify_envelope(env: Envelope, opts: Options) -> Report:
    """Verify one input (a presentation or a credential) completely."""
    from lerwallet.ld import remembering

    with remembering():  # the proof and the graph cross-check canonicalize the same document
        return _verify_envelope(env, opts)


def _verify_envelope(env: Envelope, opts: Options) -> Report:
    if env.error is not None:
        cred = CredentialReport(source=env.source, format=env.container)
        cred.checks.append(Check("parse", FAIL, env.error.message, env.error.code))
        return Report(source=env.source, kind="unreadable", container=env.container, credentials=[cred], strict=opts.strict)
    if env.kind == "presentation":
        return _presentation(env, opts)
    report = Report(source=env.source, kind="credential", container=env.container, strict=opts.strict)
    state = CredentialState(source=env.source, securing=env.securing, unverified=env.unverified or {}, token=env.token)
    cred = verify_credential(state, opts)
    cred.checks[:0] = presentation.expected_but_absent(state, opts)
    cred.checks += presentation.sd_jwt_binding(state, opts)
    report.credentials.append(cred)
    return report


def _presentation(env: Envelope, opts: Options) -> Report:
    vp = CredentialState(source=env.source, securing=env.securing, unverified=env.unverified or {}, token=env.token)
    report = Report(source=env.source, kind="presentation", container=env.container, strict=opts.strict)
    report.presentation_checks = presentation.run(vp, opts)
    doc = vp.doc
    report.holder = id_of(doc.get("holder")) or vp.signer or str((vp.jwt_payload or {}).get("iss") or "")
    holder_keys = presentation.proven_keys(vp, opts)
    entries = as_list(doc.get("verifiableCredential"))
    if len(entries) > limits.MAX_CREDENTIALS:
        report.presentation_checks.append(
            Check("presentation.structure", FAIL, f"more than {limits.MAX_CREDENTIALS} credentials in one presentation", "too_many")
        )
        return report
    for i, entry in enumerate(entries):
        nested = _nested_envelope(entry, f"{env.source}#verifiableCredential[{i}]")
        if nested.error is not None:
            cred = CredentialReport(source=nested.source, format=nested.container)
            cred.checks.append(Check("parse", FAIL, nested.error.message, nested.error.code))
            report.credentials.append(cred)
            continue
        state = CredentialState(source=nested.source, securing=nested.securing, unverified=nested.unverified or {}, token=nested.token)
        report.credentials.append(verify_credential(state, opts, holder=report.holder, holder_keys=holder_keys))
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
                      holder_keys: list[tuple[str, str]] | None = None) -> CredentialReport:
    """Run every stage on one credential; `holder` is set when it came in a presentation, with
    `holder_keys` (`presentation.proven_keys`) the keys that signed it."""
    report = _run_stages(state, opts, holder, holder_keys)
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


def _run_stages(state: CredentialState, opts: Options, holder: str | None,
                holder_keys: list[tuple[str, str]] | None) -> CredentialReport:
    from lerwallet.model import summarize

    report = CredentialReport(source=state.source, format=state.securing, strict=opts.strict)
    checks = report.checks
    if state.securing == "ob2":
        # Not a W3C VC: the VC structure rules do not apply; the documented answer is "unsupported".
        checks.append(Check("structure", SKIPPED, "Open Badges 2.0 assertion: the W3C VC rules do not apply"))
        checks += proof.run(state, opts)
        report.summary = _summary(summarize(state.unverified))
        return report
    checks += structure.run(state, online=opts.online)
    if checks[0].outcome == FAIL:
        checks += [Check(i, SKIPPED, "the credential is malformed (see structure)") for i in ("schema", "proof") + LATER_STAGES]
        report.summary = _summary(summarize(state.doc))
        return report
    checks += schema.run(state) if _wants_schema(state) else [Check("schema", PASS, "no bundled schema applies")]
    checks += proof.run(state, opts)
    report.summary = _summary(summarize(state.doc))
    if state.proof_outcome == FAIL:
        why = "the proof failed: nothing this credential says can be trusted"
        checks += [Check(i, SKIPPED, why) for i in LATER_STAGES]
        return report
    hidden = _graph_check(state, opts)
    if hidden is not None:
        checks.append(hidden)
        if hidden.outcome == FAIL:
            why = "the signed data hides a judged field from these checks (see structure.graph)"
            checks += [Check(i, SKIPPED, why) for i in LATER_STAGES]
            return report
    if holder is not None:
        checks.append(presentation.holder_binding(state, holder, holder_keys))
    checks += validity.run(state, opts)
    checks += status.run(state, opts)
    checks += trust.run(state, opts)
    if badges.applies(state):
        checks += badges.run(state, opts.email)
        if state.depth == 0:
            _endorsements(state, opts, report)
    return report


def _graph_check(state: CredentialState, opts: Options) -> Check | None:
    """Data Integrity signs the graph, not the JSON spelling: do the later stages read what was signed?"""
    if state.securing != "ldp" or state.proof_outcome != PASS:
        return None
    from lerwallet.verify import graph

    return graph.check(state.doc, opts.get_loader())


def _wants_schema(state: CredentialState) -> bool:
    return bool({"OpenBadgeCredential", "AchievementCredential", "EndorsementCredential", "ClrCredential"} & set(state.types)) or (
        "credentialSchema" in state.doc
    )


def _endorsements(state: CredentialState, opts: Options, report: CredentialReport) -> None:
    found = badges.endorsements(state.doc)
    if not found:
        return
    for i, (where, item) in enumerate(found):
        nested = _nested_envelope(item, f"{state.source}#endorsement[{i}]")
        if nested.error is not None:
            sub = CredentialReport(source=nested.source, format=nested.container)
            sub.checks.append(Check("parse", FAIL, nested.error.message, nested.error.code))
        else:
            child = CredentialState(source=nested.source, securing=nested.securing, unverified=nested.unverified or {},
                                    token=nested.token, depth=state.depth + 1)
            sub = verify_credential(child, opts)
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
        report.checks.append(Check("endorsements", WARN, reason, "endorsement_invalid"))
    elif unknown:
        report.checks.append(Check("endorsements", WARN, reason, "endorsement_unknown_issuer"))
    else:
        report.checks.append(Check("endorsements", PASS, reason))


def _summary(summary) -> dict:
    data = summary.to_dict()
    return {k: v for k, v in data.items() if v not in ("", [], None)}
