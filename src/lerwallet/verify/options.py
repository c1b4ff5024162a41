"""What the verifier was asked to do. Everything defaults to offline and "now"."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from lerwallet.structs import Struct

CLOCK_SKEW_SECONDS = 300  # issuers' and verifiers' clocks disagree by minutes, not hours
TRUST_FILE = "trust.json"  # in the wallet folder: always read, before any --trust file
_EMAIL = None  # the address pattern of `is_email`, compiled when first needed


def is_email(text: object) -> bool:
    """The one rule for an email address lerwallet takes (`verify`, `import` and `recheck --email`,
    `issue --to`, the résumé's `--email`): one address, no spaces, a dotted domain, what a mail
    system would deliver to (RFC 5321 limits: at most 64 characters before the @, 254 in all)."""
    global _EMAIL
    if _EMAIL is None:
        import re

        _EMAIL = re.compile(r"^[^\s@<>()\[\],;:\"\\]{1,64}@(?=.{1,253}\Z)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                            r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\Z")
    return isinstance(text, str) and len(text) <= 254 and bool(_EMAIL.match(text))


def checked_emails(emails: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """`--email` values (one, or several: each is tried, one match is enough): the addresses,
    spaces around them dropped, each once; UsageError naming the first that `is_email` refuses."""
    from lerwallet.errors import UsageError

    given = [emails] if isinstance(emails, str) else list(emails or ())
    out = []
    for address in given:
        text = address.strip() if isinstance(address, str) else address
        if not is_email(text):
            raise UsageError(f"--email {str(address)[:80]!r} is not an email address",
                             hint="one address, no spaces, a dotted domain, e.g. --email ada@example.org")
        out.append(text)
    return tuple(dict.fromkeys(out))


class Options(Struct):
    FIELDS = ("at", "challenge", "domain", "online", "status_cache", "did_web_cache", "ob2_cache", "trust_files",
              "trust_anchors", "crls", "email", "strict", "clock_skew", "max_kb_age", "resolver", "loader", "fetch")

    def __init__(self, at: datetime | None = None, challenge: str | None = None, domain: str | None = None,
                 online: bool = False, status_cache: Path | None = None, did_web_cache: Path | None = None,
                 ob2_cache: Path | None = None, trust_files: list[Path] | None = None,
                 trust_anchors: list[bytes] | None = None, crls: list[bytes] | None = None,
                 email: str | tuple[str, ...] | None = None, strict: bool = False, clock_skew: int = CLOCK_SKEW_SECONDS,
                 max_kb_age: int | None = 300, resolver: Any = None, loader: Any = None, fetch: Any = None) -> None:
        self.at = at  # judge dates at this moment (default: now, UTC)
        self.challenge = challenge
        self.domain = domain
        self.online = online
        self.status_cache = status_cache
        self.did_web_cache = did_web_cache
        # Open Badges 2.0 documents (hosted assertions, BadgeClasses, issuers, keys, revocation lists)
        self.ob2_cache = ob2_cache
        self.trust_files = [] if trust_files is None else trust_files
        self.trust_anchors = [] if trust_anchors is None else trust_anchors  # DER CA certificates for x5c issuers
        self.crls = [] if crls is None else crls  # DER CRLs the x5c chains' revocation is checked against
        self.email = email  # the learner's address(es): OB recipient identities are checked against them
        self.strict = strict
        self.clock_skew = clock_skew
        # seconds an SD-JWT key binding JWT stays fresh (plus clock_skew); None: not judged
        self.max_kb_age = max_kb_age
        # Injected collaborators (tests, the import command); built lazily when None.
        self.resolver = resolver
        self.loader = loader
        self.fetch = fetch  # callable(url) -> bytes; only used when online

    def now(self) -> datetime:
        return self.at or datetime.now(timezone.utc)

    def emails(self) -> list[str]:
        """The addresses to check a badge's recipient against (`--email`, repeatable for import
        and recheck: a learner's badges go to a school and a personal address alike)."""
        given = [self.email] if isinstance(self.email, str) else list(self.email or ())
        return [e for e in dict.fromkeys(e.strip() for e in given if isinstance(e, str)) if e]

    def get_resolver(self):
        if self.resolver is None:
            from lerwallet.keys.resolver import Resolver

            self.resolver = Resolver(online=self.online, did_web_cache=self.did_web_cache)
        return self.resolver

    def get_loader(self):
        if self.loader is None:
            import lerwallet.ld as ld

            online = getattr(ld, "online_loader", None)
            self.loader = online() if (self.online and online) else ld.offline_loader()
        return self.loader

    def get_fetch(self, accept: str | None = None):
        """The https fetcher, or None offline. Nothing else in verify opens a socket. `accept`
        names the media type wanted (the default fetcher asks for JSON)."""
        if not self.online:
            return None
        from lerwallet.formats import limits
        from lerwallet.net import fetch_https

        if self.fetch is None:
            self.fetch = lambda url: fetch_https(url, max_bytes=limits.MAX_STATUS_LIST_BYTES, timeout=10)
            self.fetch.lerwallet_default = True
        if accept and getattr(self.fetch, "lerwallet_default", False):
            return lambda url: fetch_https(url, max_bytes=limits.MAX_STATUS_LIST_BYTES, timeout=10, accept=accept)
        return self.fetch


def prepare(home: Path | None, *, trust=(), status_cache: Path | None = None, did_web_cache: Path | None = None,
            ob2_cache: Path | None = None, trust_anchor=(), crl=(), **fields: Any) -> Options:
    """Options for a command (`verify`, `import`, `recheck`), checked before any other work:
    --status-cache/--did-cache/--ob2-cache must be folders, the wallet's own trust file (HOME/trust.json)
    is read first when there is one, and every trust file is loaded now, so a bad one is a
    usage error before anything is read or unlocked; so is an `email` that is not an address
    (`checked_emails`). `fields` are the other `Options`."""
    from lerwallet.errors import UsageError
    from lerwallet.verify import trust as trust_mod

    if fields.get("email") is not None:
        fields["email"] = checked_emails(fields["email"]) or None
    for folder, flag in ((status_cache, "--status-cache"), (did_web_cache, "--did-cache"), (ob2_cache, "--ob2-cache")):
        if folder is not None and not Path(folder).is_dir():
            raise UsageError(f"{flag} {folder} is not a folder")
    trust_files = [Path(t) for t in trust]
    configured = Path(home) / TRUST_FILE if home is not None else None
    if configured is not None and configured.is_file():
        trust_files.insert(0, configured)
    opts = Options(status_cache=status_cache, did_web_cache=did_web_cache, ob2_cache=ob2_cache, trust_files=trust_files,
                   **fields)
    store = trust_mod.load(trust_files, fetch=opts.get_fetch())
    opts.trust_anchors = [der for path in trust_anchor for der in read_trust_anchor(Path(path))] + list(store.anchors)
    opts.crls = [der for path in crl for der in read_crl(Path(path))] + list(store.crls)
    return opts


def read_crl(path: Path, *, hint: str = "--crl takes a certificate revocation list file (PEM or DER), as the CA "
                                      "publishes it") -> list[bytes]:
    """The DER CRLs of a file (`--crl`, `crls` in a trust file, whose reader gives its own `hint`):
    PEM (several allowed) or DER; a missing or unreadable file, or one without a CRL, is a usage error."""
    from lerwallet import crypto
    from lerwallet.errors import InputError

    try:
        with open(path, "rb") as handle:  # bounded: a device or FIFO reports size 0
            data = handle.read(crypto.MAX_CRL_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read CRL {path}: {exc.strerror or exc}", hint=hint) from None
    if len(data) > crypto.MAX_CRL_BYTES:
        raise InputError(f"CRL {path} is larger than {crypto.MAX_CRL_BYTES // (1024 * 1024)} MiB")
    try:
        return crypto.crls_from_file(data)
    except crypto.CertificateError as exc:
        raise InputError(f"CRL {path}: {exc}", hint=hint) from None


def read_trust_anchor(path: Path, *, hint: str = "--trust-anchor takes a PEM file of CA certificates") -> list[bytes]:
    """The DER certificates of a PEM trust-anchor file (`--trust-anchor`, `trust_anchors` in a
    trust file, whose reader gives its own `hint`); a missing or unreadable file, or one without a
    certificate, is a usage error."""
    from lerwallet import crypto
    from lerwallet.errors import InputError

    try:
        with open(path, "rb") as handle:  # bounded: a device or FIFO reports size 0
            data = handle.read(1024 * 1024 + 1)
    except OSError as exc:
        raise InputError(f"cannot read trust anchor {path}: {exc.strerror or exc}", hint=hint) from None
    if len(data) > 1024 * 1024:
        raise InputError(f"trust anchor {path} is larger than 1 MiB")
    try:
        return crypto.certificates_from_pem(data)
    except crypto.CertificateError as exc:
        raise InputError(f"trust anchor {path}: {exc}", hint=hint) from None
