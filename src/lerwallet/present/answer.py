"""Glue for `present --request`, `--pick` and `--disclose`, between choosing and signing.

    read_request -> match the wallet (which credential answers which query, why the others do not)
    -> optionally pick interactively -> select (lerwallet.present.select) -> plan
    -> apply_disclosures (SD-JWT key binding needs the plan's challenge) -> build

Everything here runs before anything is written; errors are LerwalletErrors with exit codes.
"""

from __future__ import annotations

from lerwallet.errors import UsageError
from lerwallet.present.disclose import (
    BBS,
    ECDSA_SD,
    SD_JWT,
    DisclosureError,
    DisclosurePlan,
    derive_bbs,
    derive_ecdsa_sd,
    disclose_sd_jwt,
    holder_key_for,
    method_of,
    plan_whole,
)
from lerwallet.present.request import MatchReport, Request, candidate_from_stored, match


def read_request_file(path: str) -> Request:
    """The request in `path` (`-` for stdin); unreadable or malformed is `InputError` (exit 2)."""
    import sys
    from pathlib import Path

    from lerwallet.errors import InputError
    from lerwallet.present.request import MAX_REQUEST_BYTES, read_request

    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_REQUEST_BYTES + 1)
        else:
            with Path(path).open("rb") as fh:
                data = fh.read(MAX_REQUEST_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read request file {path}: {exc.strerror or exc}",
                         hint="give the path of the verifier's request (JSON)") from None
    return read_request(data)


def match_wallet(wallet, request: Request, *, allow_invalid: bool = False) -> MatchReport:
    """Match every stored credential (damaged ones are named and skipped) against `request`."""
    from lerwallet.errors import IntegrityError
    from lerwallet.present.request import Candidate
    from lerwallet.store import credentials

    candidates = []
    for record in credentials.list_credentials(wallet):
        if record.status == credentials.STATUS_DAMAGED:
            candidates.append(Candidate(record.id, record.format, {}, "(damaged)", record.status))
            continue
        try:
            original = credentials.get_original(wallet, record.id)
        except IntegrityError:
            candidates.append(Candidate(record.id, record.format, {}, record.title, credentials.STATUS_DAMAGED))
            continue
        candidates.append(candidate_from_stored(record, original))
    return match(request, candidates, allow_invalid=allow_invalid)


def pick_from(report: MatchReport | None, records: list, *, preselected: set[str]) -> list[str]:
    """Let the learner tick credentials on the terminal; returns record ids in list order."""
    from lerwallet.present.pick import Item, pick

    notes: dict[str, list[str]] = {}
    if report is not None:
        for result in report.results:
            if result.query.id in report.chosen_queries:
                for cid, _ in result.matched:
                    notes.setdefault(cid, []).append(result.query.id)
    items = [Item(r.id, f"{r.title or '(untitled)'}  [{r.id[:10]}]  {r.issuer}", r.id in preselected,
                  ("answers " + ", ".join(notes[r.id])) if r.id in notes else r.status)
             for r in records]
    if not items:
        raise UsageError("nothing to pick from", hint="see what you have with: lerwallet list")
    return pick(items, title="Choose what to share")


def apply_disclosures(wallet, plan, *, paths: list[str] | None, requested: dict[str, list[str] | None] | None = None,
                      now=None) -> list[DisclosurePlan]:
    """Make each chosen credential reveal only what is asked: `paths` (from --disclose) for every
    credential that allows it, or `requested[id]` (from a DCQL request) per credential.

    Replaces `Chosen.embed` (derived credential, or SD-JWT presentation with key binding) and
    `Chosen.disclosure.fields`; adds notices to `plan.warnings`. Unknown paths are exit 2."""
    from lerwallet.present.select import TOKEN_MEDIA_TYPES, envelope_of

    results: list[DisclosurePlan] = []
    presented = ""
    known_somewhere: set[str] = set()
    per_credential = []
    for c in plan.chosen:
        wanted = paths if paths is not None else (requested or {}).get(c.id)
        method = method_of(c.record.format, c.document, c.token)
        if method == SD_JWT and wanted is None and plan.options.format == "sd-jwt":
            from lerwallet.proofs.sdjwt import all_claims

            wanted = all_claims(c.token)[1]  # nothing withheld, but key-bound to this verifier
        per_credential.append((c, method, wanted))
    if paths is not None:
        _check_paths_exist(per_credential, paths, known_somewhere)
    for c, method, wanted in per_credential:
        if method == SD_JWT and wanted is not None:
            mine = [p for p in wanted if _exists_sd_jwt(c.token, p)] if paths is not None else wanted
            presented, result = _sd_jwt(wallet, plan, c, mine, now)
            c.embed = envelope_of(presented, TOKEN_MEDIA_TYPES["sd-jwt"])
        elif method in (ECDSA_SD, BBS):
            # a base proof is never shared as it is (its HMAC key links every derived copy):
            # without a choice, the derived copy reveals every field
            if wanted is None:
                mine = [f"/{k}" for k in c.document if k not in ("@context", "proof")]
            else:
                mine = [p for p in wanted if _exists_doc(c.document, p)] if paths is not None else wanted
            derived, result = (derive_ecdsa_sd if method == ECDSA_SD else derive_bbs)(c.document, mine)
            c.embed = derived
        else:
            result = plan_whole(c.document, wanted if paths is not None else None, token=c.token is not None)
        if result.notice:
            plan.warnings.append(f"{c.id[:10]} ({c.record.title or 'untitled'}): {result.notice}")
        if method != "whole" and (wanted is not None or method in (ECDSA_SD, BBS)):
            from lerwallet.present.select import disclosure_of
            from lerwallet.proofs.sdjwt import all_claims

            shown_doc = all_claims(presented)[0] if method == SD_JWT else c.embed
            c.disclosure.fields = disclosure_of(c.record, shown_doc).fields  # what the verifier will see
            c.disclosure.whole = False
        results.append(result)
    return results


def _sd_jwt(wallet, plan, chosen, wanted, now) -> tuple[str, DisclosurePlan]:
    domain = plan.options.domain
    if plan.options.unsigned:
        raise DisclosureError("an SD-JWT is disclosed with a key binding JWT: it cannot go in an --unsigned bundle",
                              hint="drop --unsigned")
    if domain is None:
        raise DisclosureError("an SD-JWT is shown with a key binding JWT, which names its audience: no --domain was given",
                              hint="add --domain VERIFIER (the verifier's domain or client id)")
    key = holder_key_for(wallet, chosen.token)
    presented, result = disclose_sd_jwt(chosen.token, wanted, holder_key=key, audience=domain, nonce=plan.challenge,
                                        now=now or plan.created)
    return presented, result


def _exists_sd_jwt(token: str, pointer: str) -> bool:
    from lerwallet.proofs.sdjwt import all_claims

    return _exists_doc(all_claims(token)[0], pointer)


def _exists_doc(doc, pointer: str) -> bool:
    node = doc
    for part in pointer.split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False
    return True


def _check_paths_exist(per_credential, paths: list[str], known: set[str]) -> None:
    """--disclose applies to every chosen credential; each path must name a claim in at least one."""
    from lerwallet.proofs.sdjwt import all_claims

    docs = []
    for c, method, _ in per_credential:
        docs.append(all_claims(c.token)[0] if method == SD_JWT else c.document)
    for p in paths:
        if not any(_exists_doc(d, p) for d in docs):
            raise DisclosureError(f"unknown disclosure path {p}: none of the chosen credentials has such a claim",
                                  hint="list a credential's fields with: lerwallet show ID --json")


def reconcile(request: Request | None, challenge: str | None, domain: str | None) -> tuple[str | None, str | None]:
    """The challenge and domain to use: the request's, unless given the same way on the command line."""
    if request is None:
        return challenge, domain
    for flag, given, asked in (("--challenge", challenge, request.challenge), ("--domain", domain, request.domain)):
        if given is not None and asked is not None and given != asked:
            raise UsageError(f"{flag} {given!r} differs from the request's {asked!r}",
                             hint=f"drop {flag}: the request's value is used")
    return challenge if challenge is not None else request.challenge, domain if domain is not None else request.domain


def choose(wallet, *, request: Request | None, ids: list[str] | None, filters, pick: bool, allow_invalid: bool,
           explain=None) -> tuple[list[str] | None, dict[str, list[str] | None], MatchReport | None]:
    """(record ids to select, or None to let `select` use ids/filters; per-id disclosure sets from
    the request; the match report). `explain(report)` is called with the match report first,
    also when nothing matches (then `NoMatchError` follows)."""
    from lerwallet.present.select import filter_records
    from lerwallet.store import credentials

    report = None
    requested: dict[str, list[str] | None] = {}
    chosen: list[str] | None = None
    if request is not None:
        report = match_wallet(wallet, request, allow_invalid=allow_invalid)
        if explain is not None:
            explain(report)
        report.require()
        selection = report.selection()
        chosen = [s.candidate_id for s in selection]
        requested = {s.candidate_id: s.disclose for s in selection}
        if not chosen:
            raise UsageError("this request asks only for DID authentication, with no credential; lerwallet "
                             "presentations carry credentials", hint="ask the verifier for a credential query")
    if not pick:
        return chosen, requested, report
    records = [r for r in credentials.list_credentials(wallet) if r.status != credentials.STATUS_DAMAGED]
    if report is not None:
        offered = {cid for ids_ in report.candidates_for().values() for cid in ids_}
        records = [r for r in records if r.id in offered]
        preselected = set(chosen or [])
    elif ids:
        wanted = [credentials.resolve(wallet, i) for i in ids]
        records = filter_records([r for r in records if r.id in wanted], filters)
        preselected = set(wanted)
    else:
        records = filter_records(records, filters)
        preselected = set()
    picked = pick_from(report, records, preselected=preselected)
    if report is not None:
        merged: dict[str, list[str] | None] = {}
        for result in report.results:
            if result.query.id not in report.chosen_queries:
                continue
            for cid, _ in result.matched:
                if cid in picked:
                    pointers = result.disclose.get(cid)
                    if cid in merged and (merged[cid] is None or pointers is None):
                        merged[cid] = None
                    else:
                        merged[cid] = sorted(set(merged.get(cid) or []) | set(pointers)) if pointers is not None else None
        requested = merged
    return picked, requested, report


def request_warnings(request: Request | None, plan) -> None:
    """What the request asked of the holder that this presentation does not give (warnings)."""
    if request is None or plan.options.unsigned:
        if request is not None and request.did_auth and request.kind == "vpr":
            plan.warnings.append("the request asks for DID authentication, which an --unsigned bundle cannot give")
        return
    methods = request.accepted_did_methods
    if methods:
        for s in plan.signers:
            method = s.identity.did.split(":")[1] if s.identity.did.count(":") >= 2 else ""
            if method not in methods:
                plan.warnings.append(f"the verifier accepts holders with DID method {', '.join(methods)}; "
                                     f"{s.identity.name} is did:{method} (choose another with --holder)")
    suites = request.accepted_cryptosuites
    if suites and plan.options.format == "ldp":
        for s in plan.signers:
            if s.suite not in suites:
                plan.warnings.append(f"the verifier accepts the cryptosuites {', '.join(suites)}; "
                                     f"{s.identity.name} signs with {s.suite}")
