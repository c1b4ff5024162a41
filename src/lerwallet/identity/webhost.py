"""Turn what the learner types after `--domain` into a did:web DID, strictly.

did:web (W3C CCG did-method-web) names a host and an optional path: `did:web:HOST`,
`did:web:HOST%3APORT`, `did:web:HOST:seg1:seg2`. The spec forbids IP addresses, requires the
port's colon to be percent-encoded, and maps `did:web:HOST` to
`https://HOST/.well-known/did.json` and a path DID to `https://HOST/seg1/seg2/did.json`.

We accept only what maps to one unambiguous URL: no scheme, no userinfo, no query or fragment,
no IP literal, IDNA host names converted to their ASCII (A-label) form, path segments made of
DID `idchar`s. Anything else is a `UsageError` before any state changes.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from lerwallet.errors import UsageError

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)\Z")
_SEGMENT = re.compile(r"^[A-Za-z0-9._-]+\Z")  # DID idchar minus pct-encoding: keep paths plain
_HINT = "give a host name and optional path, e.g. --domain learner.example or --domain example.org/alice"


@dataclass(frozen=True)
class WebLocation:
    """A validated did:web location: the DID and where its document must be hosted."""

    host: str  # ASCII, lower case
    port: int | None
    path: tuple[str, ...]

    @property
    def did(self) -> str:
        port = f"%3A{self.port}" if self.port is not None else ""
        return "did:web:" + self.host + port + "".join(":" + seg for seg in self.path)

    @property
    def url(self) -> str:
        port = f":{self.port}" if self.port is not None else ""
        where = "/".join(self.path) if self.path else ".well-known"
        return f"https://{self.host}{port}/{where}/did.json"

    @property
    def domain(self) -> str:
        """The normalized `--domain` value (what `did list` shows)."""
        port = f":{self.port}" if self.port is not None else ""
        return self.host + port + "".join("/" + seg for seg in self.path)


def parse_domain(text: str) -> WebLocation:
    """Validate `HOST[:PORT][/path/segments]`; raise `UsageError` with a hint otherwise."""
    raw = text
    if not isinstance(text, str) or not text:
        raise UsageError("--domain is empty", hint=_HINT)
    if any(ch.isspace() or ord(ch) < 0x20 or ch == "\x7f" for ch in text):
        raise UsageError(f"domain {raw!r} contains spaces or control characters", hint=_HINT)
    if "@" in text:
        raise UsageError(f"domain {raw!r} contains user information", hint=_HINT)
    if "://" in text or re.match(r"^[A-Za-z][A-Za-z0-9+-]*:(?!\d)", text):  # https://, mailto:, did:
        raise UsageError(f"domain {raw!r} has a URL scheme; give the host name only", hint=_HINT)
    for bad, what in (("@", "user information"), ("?", "a query"), ("#", "a fragment"), ("\\", "a backslash"), ("%", "percent-encoding")):
        if bad in text:
            raise UsageError(f"domain {raw!r} contains {what}", hint=_HINT)
    if text.endswith("/"):
        text = text[:-1]
    hostport, _, path_text = text.partition("/")
    path = tuple(path_text.split("/")) if path_text else ()
    host, port = _split_port(hostport, raw)
    host = _ascii_host(host, raw)
    for seg in path:
        if not seg or not _SEGMENT.match(seg) or seg in (".", ".."):
            raise UsageError(f"domain {raw!r} has an invalid path segment {seg!r}", hint=_HINT)
    if path and path[0] == ".well-known":
        raise UsageError(
            f"domain {raw!r} starts its path with .well-known",
            hint=f"drop it: --domain {host} already publishes at /.well-known/did.json",
        )
    if path and path[-1] == "did.json":
        raise UsageError(f"domain {raw!r} ends in did.json", hint="give the folder, not the file")
    return WebLocation(host=host, port=port, path=path)


def _split_port(hostport: str, raw: str) -> tuple[str, int | None]:
    if hostport.startswith("["):
        raise UsageError(f"domain {raw!r} is an IP address; did:web needs a host name", hint=_HINT)
    if hostport.count(":") > 1:
        raise UsageError(f"domain {raw!r} is not a host name", hint=_HINT)
    host, sep, port_text = hostport.partition(":")
    if not sep:
        return host, None
    if not port_text.isascii() or not port_text.isdigit() or port_text.startswith("0"):
        raise UsageError(f"domain {raw!r} has an invalid port {port_text!r}", hint=_HINT)
    port = int(port_text)
    if not 1 <= port <= 65535:
        raise UsageError(f"domain {raw!r} has a port out of range", hint=_HINT)
    return host, (None if port == 443 else port)


def _ascii_host(host: str, raw: str) -> str:
    if not host:
        raise UsageError(f"domain {raw!r} has no host name", hint=_HINT)
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        raise UsageError(f"domain {raw!r} is an IP address; did:web needs a host name", hint=_HINT)
    if host.endswith("."):
        raise UsageError(f"domain {raw!r} ends with a dot", hint=_HINT)
    ascii_host = host.lower()
    if not host.isascii() or any(label.startswith("xn--") for label in ascii_host.split(".")):
        # IDNA 2008 with UTS #46 non-transitional mapping, as browsers and registries use:
        # "faß.de" is xn--fa-hia.de. Python's own "idna" codec is IDNA 2003 and would give
        # fass.de, another domain. Lazy import: only non-ASCII or punycode hosts need it.
        import idna

        try:
            ascii_host = idna.encode(host, uts46=True, transitional=False).decode("ascii")
        except (idna.IDNAError, UnicodeError) as exc:
            raise UsageError(f"domain {raw!r} is not a valid host name (IDNA 2008: {exc})", hint=_HINT) from None
    labels = ascii_host.split(".")
    if len(ascii_host) > 253 or not all(_LABEL.match(label) for label in labels):
        raise UsageError(f"domain {raw!r} is not a valid host name", hint=_HINT)
    if ascii_host != "localhost" and len(labels) < 2:
        raise UsageError(f"domain {raw!r} is not a fully qualified host name", hint=_HINT)
    if labels[-1].isdigit():
        raise UsageError(f"domain {raw!r} looks like an IP address; did:web needs a host name", hint=_HINT)
    return ascii_host
