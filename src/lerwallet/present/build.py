"""Building and signing a presentation, and checking it before anything is written.

    plan(wallet, chosen, options) -> Plan          who signs, with which key; refusals; warnings
    build(wallet, plan) -> Presentation            the VP (Data Integrity proof set, VP-JWT, or unsigned)
    self_check(presentation) -> Report             the `verify` pipeline, with the same challenge/domain

The holder of a presentation is the identity each credential was issued to. When the chosen
credentials were issued to several of the learner's identities, every one of them signs (a
proof set: one `authentication` proof per identity), so a verifier can bind each credential to
a key that proved possession. Signing reuses `lerwallet.proofs.sign` and
`lerwallet.proofs.jose.sign_jwt`; there is no second signer here. Both validate the VP first
(`lerwallet.proofs.prepare`, the verify structure rules, issue 14); the unsigned bundle is held to
the same presentation rules here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from lerwallet.errors import UsageError
from lerwallet.present.errors import PresentError, RefusedCredentialError, SelfCheckError
from lerwallet.present.select import REFUSED, Chosen
from lerwallet.utc import iso

V2 = "https://www.w3.org/ns/credentials/v2"
FORMATS = ("ldp", "jwt", "sd-jwt")
SUITE_FOR_KEY = {"ed25519": "eddsa-rdfc-2022", "p256": "ecdsa-rdfc-2019"}
MAX_EXPIRES = timedelta(days=366)
_DURATION = re.compile(r"^\s*(\d{1,4})\s*([mhdw])\s*\Z")
_UNITS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_duration(text: str) -> timedelta:
    """`30m`, `12h`, `7d`, `2w` (at most a year)."""
    match = _DURATION.match(text or "")
    if not match:
        raise UsageError(f"cannot read the duration {text!r}", hint="use a number and a unit: 30m, 12h, 7d or 2w")
    value = timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)])
    if value <= timedelta(0) or value > MAX_EXPIRES:
        raise UsageError(f"--expires {text} is out of range", hint="between 1m and 366d")
    return value


def _stamp(dt: datetime) -> str:
    return iso(dt)


def new_challenge() -> str:
    """A random challenge (128 bits, base64url) for when the verifier sent none."""
    from lerwallet.identity.keyfile import b64url_encode
    from lerwallet import crypto

    return b64url_encode(crypto.random_bytes(16))


@dataclass
class PresentOptions:
    """How to present. `challenge=None` makes a random one (see `Plan.challenge_generated`)."""

    holder: str | None = None  # DID or identity name; default: the credentials' subjects
    challenge: str | None = None
    domain: str | None = None
    expires: timedelta | None = None
    format: str = "ldp"  # ldp (Data Integrity) | jwt (VP-JWT, vp+jwt)
    unsigned: bool = False  # a plain bundle: no holder proof (weaker)
    allow_invalid: bool = False
    now: datetime | None = None  # the proofs' `created` (tests fix it; default: now, whole seconds)

    def check(self) -> None:
        """Every check that needs no wallet: run before asking for a passphrase."""
        if self.format not in FORMATS:
            raise UsageError(f"unknown format {self.format!r}", hint="--format is ldp (default) or jwt")
        if self.unsigned and self.format == "sd-jwt":
            raise UsageError("--unsigned and --format sd-jwt cannot be used together",
                             hint="an SD-JWT presentation carries a key binding JWT")
        if self.format == "sd-jwt" and self.domain is None:
            raise UsageError("--format sd-jwt needs --domain: its key binding JWT names the verifier (aud)",
                             hint="add --domain VERIFIER (their domain or client id)")
        if self.unsigned and self.format == "jwt":
            raise UsageError("--unsigned and --format jwt cannot be used together", hint="a JWT is always signed")
        if self.unsigned and (self.challenge is not None or self.domain is not None or self.expires is not None):
            raise UsageError("--unsigned presentations carry no proof, so no --challenge, --domain or --expires",
                             hint="drop --unsigned to sign the presentation")
        if self.unsigned and self.holder is not None:
            raise UsageError("--unsigned presentations name no holder", hint="drop --holder or --unsigned")
        for name in ("challenge", "domain"):
            value = getattr(self, name)
            if value is not None and (not value.strip() or len(value) > 1024 or not value.isprintable()):
                raise UsageError(f"--{name} must be 1-1024 printable characters")


@dataclass
class Signer:
    identity: object  # lerwallet.identity.Identity
    key_type: str
    private_key: bytes = field(repr=False)
    verification_method: str

    @property
    def suite(self) -> str:
        return SUITE_FOR_KEY[self.key_type]


@dataclass
class Plan:
    chosen: list[Chosen]
    options: PresentOptions
    signers: list[Signer]
    holder: str  # the VP's holder DID ("" for an unsigned bundle)
    challenge: str | None
    challenge_generated: bool
    created: datetime
    warnings: list[str] = field(default_factory=list)

    @property
    def form(self) -> str:
        return "unsigned" if self.options.unsigned else self.options.format

    @property
    def expires_at(self) -> datetime | None:
        return self.created + self.options.expires if self.options.expires else None


def _signer(wallet, identity) -> Signer:
    from lerwallet import identity as ident

    try:
        key_type, private, vm = ident.signing_key(wallet, identity)
    except (KeyError, ValueError, TypeError):
        private = b""
        key_type, vm = identity.key_type, identity.verification_method
    except Exception as exc:  # a damaged key record: one line, not a traceback
        raise PresentError(f"cannot read the private key of identity {identity.name!r}: {exc}") from None
    if not private:
        raise PresentError(f"identity {identity.name!r} ({identity.did}) has no private key in this wallet",
                           hint="present as another identity with --holder NAME (see: lerwallet did list)")
    if key_type not in SUITE_FOR_KEY:
        raise PresentError(f"identity {identity.name!r} has a {key_type} key, which cannot sign presentations",
                           hint="use an Ed25519 or P-256 identity with --holder NAME")
    return Signer(identity, key_type, private, vm)


def _subjects(c: Chosen) -> str:
    from lerwallet.identity import subject_ids

    return ", ".join(sorted(subject_ids(c.document))) or "no subject id"


def plan(wallet, chosen: list[Chosen], options: PresentOptions) -> Plan:
    """Decide who signs and check everything that can fail before signing. Raises
    `RefusedCredentialError` for invalid/damaged credentials unless `allow_invalid`,
    `PresentError` for a holder that cannot sign; the wallet is not written."""
    from lerwallet import identity as ident

    options.check()
    if not chosen:
        raise PresentError("no credential chosen")
    refused = [c for c in chosen if set(c.marks) & set(REFUSED)]
    if refused and not options.allow_invalid:
        c = refused[0]
        raise RefusedCredentialError(
            f"credential {c.id[:10]} ({c.record.title or 'untitled'}) is {c.record.status}: {c.record.reason or 'it failed verification'}",
            hint="leave it out, or pass --allow-invalid to present it anyway (it is marked as such)")
    warnings: list[str] = []
    created = (options.now or datetime.now(timezone.utc)).replace(microsecond=0)
    if options.unsigned:
        warnings.append("unsigned: the verifier cannot tell who sent this bundle, nor that it was meant for them")
        return Plan(chosen, options, [], "", None, False, created, warnings)
    identities = []
    if options.holder is not None:
        named = ident.find(wallet, options.holder)
        identities = [named]
        for c in chosen:
            if c.owner is None or c.owner.did != named.did:
                warnings.append(f"{c.id[:10]} ({c.record.title or 'untitled'}) was issued to {_subjects(c)}, "
                                f"not to {named.name} ({named.did}): {_binding_outcome(c)}")
    else:
        for c in chosen:
            if c.owner is not None and all(c.owner.did != i.did for i in identities):
                identities.append(c.owner)
        if not identities:
            identities = [ident.default_holder(wallet)]
        for c in chosen:
            if c.owner is None:
                warnings.append(f"{c.id[:10]} ({c.record.title or 'untitled'}) was not issued to any of your identities "
                                f"(subject: {_subjects(c)}): {_binding_outcome(c)}")
        try:
            default = ident.default_holder(wallet)
        except Exception:  # no default identity: the first owner holds
            default = None
        if default is not None and any(i.did == default.did for i in identities):
            identities.sort(key=lambda i: i.did != default.did)  # stable: the default first
    if options.format == "sd-jwt" and (len(chosen) != 1 or chosen[0].record.format != "sd-jwt"):
        raise PresentError("--format sd-jwt presents exactly one SD-JWT VC, as its own compact form",
                           hint="choose one SD-JWT credential, or use the default --format ldp for several")
    if options.format == "jwt" and len(identities) > 1:
        names = ", ".join(i.name for i in identities)
        raise PresentError(f"these credentials were issued to {len(identities)} of your identities ({names}); "
                           "a VP-JWT carries one signature",
                           hint="use the default --format ldp (one proof per identity), or present them separately")
    signers = [_signer(wallet, i) for i in identities]
    challenge, generated = options.challenge, False
    if challenge is None:
        challenge, generated = new_challenge(), True
    return Plan(chosen, options, signers, signers[0].identity.did, challenge, generated, created, warnings)


@dataclass
class Presentation:
    """A built presentation: `data` is exactly what is written (JSON, or the compact JWT)."""

    data: bytes
    form: str  # ldp | jwt | unsigned
    document: dict  # the VP (for a JWT: its payload's VP, unsigned)
    plan: Plan

    @property
    def media_type(self) -> str:
        if self.form == "sd-jwt":
            return "application/dc+sd-jwt"
        return "application/vp+jwt" if self.form == "jwt" else "application/vp+ld+json" if self.form == "ldp" else "application/json"


def unsigned_document(plan: Plan) -> dict:
    doc: dict = {"@context": [V2], "type": ["VerifiablePresentation"]}
    if plan.holder:
        doc["holder"] = plan.holder
    doc["verifiableCredential"] = [c.embed for c in plan.chosen]
    return doc


def build(wallet, plan: Plan, *, loader=None) -> Presentation:
    """Sign the presentation as planned (nothing is written anywhere)."""
    doc = unsigned_document(plan)
    expires = plan.expires_at
    if plan.form == "unsigned":
        # Signed forms are validated by the signers (lerwallet.proofs.prepare); the bundle by the
        # same presentation rules, since nothing signs it.
        from lerwallet import vcdm

        problems = vcdm.presentation_problems(doc, securing="ldp")
        if problems:
            code, reason = problems[0]
            raise PresentError(f"the bundle would not be a valid presentation: {reason} ({code})")
        return Presentation(_json_bytes(doc), "unsigned", doc, plan)
    if plan.form == "sd-jwt":
        # the SD-JWT with its key binding JWT, made by present.answer.apply_disclosures
        embed = plan.chosen[0].embed
        token = embed["id"].split(",", 1)[1] if isinstance(embed, dict) and isinstance(embed.get("id"), str) else ""
        if not token.startswith("ey") or token.endswith("~"):
            raise PresentError("the SD-JWT has no key binding JWT yet (a bug: nothing was written)")
        from lerwallet.proofs.sdjwt import all_claims

        return Presentation((token + "\n").encode("ascii"), "sd-jwt", all_claims(token)[0], plan)
    if plan.form == "jwt":
        from lerwallet.proofs.jose import sign_jwt

        s = plan.signers[0]
        token = sign_jwt(doc, key_type=s.key_type, private_key=s.private_key, kid=s.verification_method,
                         audience=plan.options.domain, nonce=plan.challenge, now=plan.created, expires=expires)
        return Presentation((token + "\n").encode("ascii"), "jwt", doc, plan)
    from lerwallet.ld import offline_loader
    from lerwallet.proofs import sign

    loader = loader or offline_loader()
    signed = doc
    for s in plan.signers:
        signed = sign(signed, suite=s.suite, key_type=s.key_type, private_key=s.private_key,
                      verification_method=s.verification_method, purpose="authentication",
                      created=_stamp(plan.created), challenge=plan.challenge, domain=plan.options.domain,
                      expires=_stamp(expires) if expires else None, loader=loader)
    return Presentation(_json_bytes(signed), "ldp", signed, plan)


def _json_bytes(doc: dict) -> bytes:
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _binding_outcome(c: Chosen) -> str:
    """What a verifier's holder-binding check will say about a credential none of the signing
    identities was issued to (docs/verify.md, holder.binding)."""
    from lerwallet.identity import subject_ids

    if any(i.startswith("did:") for i in subject_ids(c.document)):
        return ("a verifier's holder-binding check will fail: this presentation cannot prove control of the DID "
                "it was issued to")
    return "a verifier will see that the holder is not bound to its subject"


def self_check(presentation: Presentation, *, resolver=None):
    """Run the built presentation through the verify pipeline (same challenge and domain, the
    moment it was made). Raises `SelfCheckError` when it would not verify: a failed presentation
    check, or a failed credential check the learner was not shown (an allowed invalid, expired
    or unsigned credential fails as marked). Returns the Report."""
    from lerwallet.formats import decode_bytes
    from lerwallet.verify.options import Options
    from lerwallet.verify.pipeline import verify_envelope
    from lerwallet.verify.report import FAIL

    p = presentation.plan
    if resolver is None:
        from lerwallet import identity as ident
        from lerwallet.keys.resolver import Resolver

        # did:web holders: their documents as the wallet would publish them (verifiers fetch them)
        documents = {s.identity.did: ident.document(s.identity) for s in p.signers if s.identity.method == "web"}
        resolver = Resolver(documents=documents)
    envs = decode_bytes(presentation.data, "presentation")
    expected_kind = "credential" if p.form == "sd-jwt" else "presentation"  # an SD-JWT + KB-JWT stands alone
    if len(envs) != 1 or envs[0].error is not None or envs[0].kind != expected_kind:
        raise SelfCheckError("the built presentation does not read back as a presentation (a bug: nothing was written)")
    opts = Options(challenge=p.challenge, domain=p.options.domain, at=p.created + timedelta(seconds=1), resolver=resolver)
    report = verify_envelope(envs[0], opts)
    skip = {"presentation.proof", "presentation.challenge", "presentation.domain", "presentation.expiration"} if p.form == "unsigned" else set()
    for check in report.presentation_checks:
        if check.outcome == FAIL and check.id not in skip:
            raise SelfCheckError(f"the presentation would not verify ({check.id}: {check.reason}); nothing was written",
                                 report=report)
    if len(report.credentials) != len(p.chosen):
        raise SelfCheckError("the presentation would not verify: credentials are missing from it; nothing was written",
                             report=report)
    for chosen, cred in zip(p.chosen, report.credentials):
        # A credential issued to a DID none of the signing identities controls fails holder
        # binding at every verifier (issue #10); the plan warned the learner about exactly that.
        warned = any(w.startswith(chosen.id[:10] + " ") for w in p.warnings)
        failed = [c for c in cred.checks if c.outcome == FAIL and not (warned and c.id == "holder.binding")]
        if failed and not chosen.marks:
            c = failed[0]
            raise SelfCheckError(
                f"credential {chosen.id[:10]} would not verify in this presentation ({c.id}: {c.reason}); nothing was written",
                hint=f"recheck it with: lerwallet recheck {chosen.id[:10]}", report=report)
    return report
