"""Choosing credentials: the filter words shared by `list` and `present`, and the selection.

`Filters` is the one definition of `--skill`, `--kind`, `--issuer`, `--status`, `--since`,
`--until` and `--search`: `list` filters its records with `filter_records`, `present` selects
with `select`. Filters read the stored summary only (no credential original is decrypted to
filter), and combine with AND. `sort_records` is the one definition of `list --sort/--reverse`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lerwallet import skills
from lerwallet.errors import UsageError
from lerwallet.present.errors import NoMatchError, PresentError

MAX_FIELDS = 200  # subject fields listed per credential in a disclosure (and in the history)

# Where a stored credential's format goes inside a presentation.
TOKEN_MEDIA_TYPES = {"vc-jwt": "application/vc+jwt", "sd-jwt": "application/dc+sd-jwt"}


@dataclass(frozen=True)
class Filters:
    """Filter words; None means "any". Matching is case-insensitive.

    - skill: a skill the credential evidences (lerwallet.skills: alignments, tags, competencies,
      results; merged as `lerwallet skills` merges them) has it as whole words of its name (case,
      spaces and punctuation as in `skills.skill_key`), or it equals a code or URL
    - kind: the most specific type (`OpenBadgeCredential`) or any listed type equals it
    - issuer: the issuer's name contains it, or the issuer's id equals it
    - status: the stored status equals it (verified, expired, ..., see docs/wallet.md)
    - since / until: issued on or after / on or before it (a date `2024-01-31`, a whole day, or
      a date-time); a credential without a readable issue date matches neither
    - search: every word of it appears (case-insensitive) in the title, the issuer's name or
      id, the description or a skill's name or code
    """

    skill: str | None = None
    kind: str | None = None
    issuer: str | None = None
    status: str | None = None
    since: str | None = None
    until: str | None = None
    search: str | None = None

    NAMES = ("skill", "kind", "issuer", "status", "since", "until", "search")

    def __post_init__(self) -> None:
        from lerwallet.store.credentials import STATUSES

        for name in self.NAMES:
            value = getattr(self, name)
            if value is not None and not value.strip():
                raise UsageError(f"--{name} needs a value", hint=f"leave --{name} out to match any (see: lerwallet list --help)")
        if self.status is not None and self.status.strip().lower() not in STATUSES:
            raise UsageError(f"unknown status {self.status!r}", hint=f"--status is one of: {', '.join(STATUSES)}")
        since, until = self.bounds()
        if since is not None and until is not None and since > until:
            raise UsageError(f"--since {self.since} is after --until {self.until}",
                             hint=f"nothing could match; did you mean: --since {self.until} --until {self.since}")

    def bounds(self):
        """(since, until) as aware datetimes (None when not given); UsageError for a bad date."""
        return (_bound(self.since, "--since", end=False) if self.since is not None else None,
                _bound(self.until, "--until", end=True) if self.until is not None else None)

    @property
    def active(self) -> bool:
        return any(getattr(self, n) is not None for n in self.NAMES)

    def describe(self) -> str:
        """`--skill python --status verified`: the filters as the user typed them."""
        import shlex

        return " ".join(f"--{n} {shlex.quote(getattr(self, n))}" for n in self.NAMES if getattr(self, n) is not None)

    def matches(self, record) -> bool:
        s = record.summary or {}
        if self.status is not None and record.status != self.status.strip().lower():
            return False
        if self.since is not None or self.until is not None:
            from lerwallet.dates import parse_datetime

            since, until = self.bounds()
            issued = parse_datetime(s.get("issued")) if s.get("issued") else None
            if issued is None or (since is not None and issued < since) or (until is not None and issued > until):
                return False
        if self.search is not None and not _found_in(s, self.search):
            return False
        if self.kind is not None:
            want = self.kind.strip().lower()
            kinds = [s.get("kind", "")] + list(s.get("types") or [])
            if not any(isinstance(k, str) and k.lower() == want for k in kinds):
                return False
        if self.issuer is not None:
            want = self.issuer.strip().lower()
            name, iid = str(s.get("issuer_name") or "").lower(), str(s.get("issuer_id") or "").lower()
            if not (want in name or want == iid):
                return False
        if self.skill is not None and not skills.matches(s.get("skills") or [], self.skill):
            return False
        return True


def filter_records(records: list, filters: Filters | None) -> list:
    """The records every filter accepts (all of them without filters). Damaged records, which
    have no readable summary, match only `--status damaged`."""
    if filters is None or not filters.active:
        return list(records)
    if filters.skill is None:
        return [r for r in records if filters.matches(r)]
    # Skills are merged across the records first (lerwallet.skills.select), as `lerwallet skills`
    # shows them: a credential naming the skill by an alias (the same code) answers too.
    evidencing = {id(r) for r in skills.select(records, filters.skill)}
    rest = Filters(kind=filters.kind, issuer=filters.issuer, status=filters.status, since=filters.since,
                   until=filters.until, search=filters.search)
    return [r for r in records if id(r) in evidencing and rest.matches(r)]


def _bound(text: str, option: str, *, end: bool):
    """A --since/--until value as an aware datetime: a date is its whole day (UTC)."""
    from datetime import datetime, time, timezone

    from lerwallet.dates import parse_datetime

    text = text.strip()
    when = parse_datetime(text)
    if when is None:
        try:
            day = datetime.strptime(text, "%Y-%m-%d").date()
        except ValueError:
            raise UsageError(f"{option} {text!r} is not a date",
                             hint=f"give a date (2024-01-31) or a date-time (2024-01-31T12:00:00Z): {option} 2024-01-31") from None
        when = datetime.combine(day, time.max if end else time.min, tzinfo=timezone.utc)
    return when


def _found_in(summary: dict, text: str) -> bool:
    """Every word of `text` in the title, issuer, description or skills (case-insensitive)."""
    parts = [summary.get("title"), summary.get("issuer_name"), summary.get("issuer_id"), summary.get("description")]
    for entry in summary.get("skills") or []:
        if isinstance(entry, dict):
            parts += [entry.get("name"), entry.get("code")]
    haystack = " ".join(str(p) for p in parts if isinstance(p, str)).casefold()
    return all(word in haystack for word in text.casefold().split())


SORTS = ("issued", "added", "title", "issuer", "expires")


def sort_records(records: list, sort: str | None = None, reverse: bool = False) -> list:
    """`list --sort`: issued (the default order, newest first: `newest_issued_first`), added
    (newest import first), title and issuer (A to Z, case-insensitive), expires (soonest first,
    never-expiring after). `reverse` turns the order round; records without the value sorted by
    (no issue or expiry date) stay after the others, and damaged records last, either way."""
    from lerwallet.dates import parse_datetime
    from lerwallet.store.credentials import STATUS_DAMAGED, newest_issued_first

    sort = (sort or "issued").strip().lower()
    if sort not in SORTS:
        raise UsageError(f"unknown sort {sort!r}", hint=f"--sort is one of: {', '.join(SORTS)}")
    base = newest_issued_first(list(records))  # ties keep the default order
    damaged = [r for r in base if r.status == STATUS_DAMAGED]
    rest = [r for r in base if r.status != STATUS_DAMAGED]

    def value(r):
        s = r.summary or {}
        if sort == "issued":
            when = parse_datetime(s.get("issued")) if s.get("issued") else None
            return -when.timestamp() if when is not None else None
        if sort == "added":
            return r.imported_at or None
        if sort == "title":
            return (s.get("title") or "").casefold() or None
        if sort == "issuer":
            return (s.get("issuer_name") or s.get("issuer_id") or "").casefold() or None
        when = parse_datetime(s.get("valid_until")) if s.get("valid_until") else None
        return when.timestamp() if when is not None else None

    keyed = [(value(r), r) for r in rest]
    present = [(v, r) for v, r in keyed if v is not None]
    present.sort(key=lambda pair: pair[0], reverse=(sort == "added") != reverse)
    return [r for _, r in present] + [r for v, r in keyed if v is None] + damaged


@dataclass
class Disclosure:
    """What a verifier will see of one credential: shown before signing, kept in the history."""

    title: str = ""
    issuer: str = ""  # issuer name (as the credential gives it) and id
    fields: list[str] = field(default_factory=list)  # credentialSubject paths, e.g. achievement.name
    image: str = "none"  # none | embedded (a data: URL inside the credential) | link
    whole: bool = True  # the credential is shared whole (no selective disclosure)

    def to_dict(self) -> dict:
        return {"title": self.title, "issuer": self.issuer, "fields": list(self.fields), "image": self.image,
                "whole": self.whole}


@dataclass
class Chosen:
    """One stored credential chosen for a presentation."""

    record: object  # lerwallet.store.credentials.CredentialRecord
    original: bytes  # the stored bytes, verbatim
    document: dict  # the credential as data (for a JWT: its claims/credential), unverified display data
    token: str | None  # the compact JWT / SD-JWT, when the credential is one
    embed: object  # what goes into verifiableCredential: the stored JSON object, or an enveloped data URL object
    owner: object | None  # the learner's Identity it was issued to (subject id or SD-JWT cnf), or None
    disclosure: Disclosure
    marks: list[str] = field(default_factory=list)  # why the learner must look twice: "invalid", "expired", ...

    @property
    def id(self) -> str:
        return self.record.id


def _leaf_paths(value, prefix: str, out: list[str]) -> None:
    if len(out) >= MAX_FIELDS:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("@context", "type", "@type"):
                continue
            _leaf_paths(item, f"{prefix}.{key}" if prefix else key, out)
    elif isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            if prefix and prefix not in out:
                out.append(prefix)
        else:
            for item in value:
                _leaf_paths(item, prefix, out)
    elif prefix and prefix not in out:
        out.append(prefix)


def _image(doc) -> str:
    """`embedded` when any `image` in the credential is a data: URL, `link` when one is a URL."""
    found = "none"
    stack, seen = [doc], 0
    while stack and seen < 10_000:
        node = stack.pop()
        seen += 1
        if isinstance(node, dict):
            for key, item in node.items():
                if key == "image":
                    url = item.get("id") if isinstance(item, dict) else item
                    if isinstance(url, str) and url.startswith("data:"):
                        return "embedded"
                    if isinstance(url, str) and url:
                        found = "link"
                stack.append(item)
        elif isinstance(node, list):
            stack.extend(node)
    return found


def disclosure_of(record, document: dict) -> Disclosure:
    s = record.summary or {}
    issuer = " ".join(x for x in (s.get("issuer_name", ""), f"<{s['issuer_id']}>" if s.get("issuer_id") else "") if x)
    from lerwallet.model import summary_self_attested

    if summary_self_attested(s):  # the learner's own record (docs/record.md): said so, before sharing it
        issuer = f"self-attested by {s.get('issuer_id', '')} (not verified by a third party)"
    fields: list[str] = []
    subject = document.get("credentialSubject")
    if subject is None and "vct" in document:  # SD-JWT VC: the claims are the subject
        subject = {k: v for k, v in document.items() if k not in ("iss", "iat", "nbf", "exp", "cnf", "_sd", "_sd_alg", "status", "vct")}
    _leaf_paths(subject, "", fields)
    return Disclosure(title=s.get("title", ""), issuer=issuer, fields=fields, image=_image(document))


def _decoded(record, original: bytes) -> tuple[dict, str | None]:
    """(document, token) of a stored original. Baked badge images give up the credential inside."""
    from lerwallet.formats import decode_bytes

    envs = decode_bytes(original, f"credential {record.id[:10]}")
    if len(envs) != 1 or envs[0].error is not None:
        why = envs[0].error.message if envs and envs[0].error is not None else "it holds more than one credential"
        raise PresentError(f"credential {record.id[:10]} cannot be read: {why}",
                           hint=f"check it with: lerwallet show {record.id[:10]}")
    env = envs[0]
    if env.kind != "credential":
        raise PresentError(f"stored record {record.id[:10]} is not a credential")
    if env.securing == "ob2":
        raise PresentError(f"{record.id[:10]} is an Open Badges 2.0 assertion, which cannot go in a Verifiable Presentation",
                           hint="share its file or its hosted URL instead")
    doc = env.unverified or {}
    if env.token is not None:
        doc = dict(doc)
        claims = _claims(env.token)
        for claim in ("sub", "cnf", "iss"):  # VC 1.1 JWTs carry the subject and holder key as claims
            if claim in claims and claim not in doc:
                doc[claim] = claims[claim]
    return doc, env.token


def _claims(token: str) -> dict:
    from lerwallet.formats.errors import FormatError
    from lerwallet.formats.jwt import b64url_json

    try:
        return b64url_json(token.split("~", 1)[0].split(".")[1])
    except (FormatError, IndexError):
        return {}


def envelope_of(token: str, media_type: str) -> dict:
    """A VCDM 2.0 EnvelopedVerifiableCredential: the token as a data: URL (RFC 2397)."""
    return {"@context": "https://www.w3.org/ns/credentials/v2", "id": f"data:{media_type},{token}",
            "type": "EnvelopedVerifiableCredential"}


def owner_of(identities: list, document: dict) -> object | None:
    """The learner's identity a credential was issued to: its subject id, or its SD-JWT / VC-JWT
    `cnf` key (RFC 7800 jwk or jkt) when that is one of the identity's keys."""
    from lerwallet import identity as ident

    found = ident.owner_of(identities, document)
    if found is not None:
        return found
    cnf = document.get("cnf")
    if not isinstance(cnf, dict):
        return None
    from lerwallet.keys.jwk import JwkError, public_to_jwk, thumbprint
    from lerwallet.keys.multikey import decode_multikey

    try:
        wanted = thumbprint(cnf["jwk"]) if isinstance(cnf.get("jwk"), dict) else cnf.get("jkt")
    except JwkError:
        return None
    kid = cnf.get("kid")
    for identity in identities:
        for key in identity.keys:
            if kid is not None and kid == key.id:
                return identity
            try:
                if wanted and thumbprint(public_to_jwk(*decode_multikey(key.public_multibase))) == wanted:
                    return identity
            except Exception:  # an odd stored key: not this one
                continue
    return None


REFUSED = ("invalid", "damaged")  # need --allow-invalid
NOTED = ("expired", "not-yet-valid", "unsigned", "inconclusive", "unverified")  # shown, with why


def select(wallet, ids: list[str] | None = None, filters: Filters | None = None, *, identities=None) -> list[Chosen]:
    """The stored credentials named by `ids` (unique prefixes) and/or accepted by `filters`, in
    the order named (else import order), decoded and with their owner and disclosure.

    Unknown or ambiguous ids raise `NotFoundError` / `UsageError` (exit 2); nothing matching
    raises `NoMatchError` (exit 1). Invalid and damaged credentials are returned with a mark:
    `plan` refuses them unless allowed.
    """
    from lerwallet import identity as ident
    from lerwallet.errors import IntegrityError
    from lerwallet.store import credentials

    if identities is None:
        identities = ident.list_identities(wallet)
    if ids:
        full = list(dict.fromkeys(credentials.resolve(wallet, i) for i in ids))
        records = []
        for rid in full:
            try:
                records.append(credentials.get_credential(wallet, rid))
            except IntegrityError as exc:
                raise PresentError(f"credential {rid[:10]} is damaged: {exc.message}",
                                   hint=f"remove it with: lerwallet delete {rid[:10]}") from None
        chosen_records = filter_records(records, filters)
        if not chosen_records:
            raise NoMatchError(f"none of the named credentials matches {filters.describe()}",
                               hint="drop a filter, or see them with: lerwallet list")
    else:
        if filters is None or not filters.active:
            raise UsageError("choose what to present", hint="name credentials (lerwallet present ID...) "
                             "or filter them (--skill, --kind, --issuer, --status); see: lerwallet list")
        # Versions replaced by `lerwallet edit` are not picked by filters (named by id, they are).
        all_records = [r for r in credentials.list_credentials(wallet) if not r.summary.get("superseded_by")]
        chosen_records = filter_records(all_records, filters)
        if not chosen_records:
            raise NoMatchError(f"no credential matches {filters.describe()}", hint="see what you have with: lerwallet list")
    out = []
    for record in chosen_records:
        if record.status == credentials.STATUS_DAMAGED:
            raise PresentError(f"credential {record.id[:10]} is damaged: {record.error}",
                               hint=f"remove it with: lerwallet delete {record.id[:10]}")
        try:
            original = credentials.get_original(wallet, record.id)
        except IntegrityError as exc:
            raise PresentError(f"credential {record.id[:10]} is damaged: {exc.message}",
                               hint=f"remove it with: lerwallet delete {record.id[:10]}") from None
        document, token = _decoded(record, original)
        if token is not None:
            media = TOKEN_MEDIA_TYPES.get(record.format) or ("application/dc+sd-jwt" if "~" in token else "application/vc+jwt")
            embed: object = envelope_of(token, media)
        else:
            embed = document
        marks = [record.status] if record.status in REFUSED + NOTED else []
        out.append(Chosen(record=record, original=original, document=document, token=token, embed=embed,
                          owner=owner_of(identities, document), disclosure=disclosure_of(record, document), marks=marks))
    return out
