"""The one way lerwallet reaches the network: a small, careful HTTPS GET.

Used only when the user passes `--online` (did:web documents, status lists, contexts). It
refuses plain http, hosts that resolve to private, loopback, link-local or otherwise
non-public addresses (checked after DNS resolution, then connecting to the checked address so
DNS cannot change its answer in between), redirects to any such place, slow servers and
oversized bodies.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urljoin, urlsplit

from lerwallet.errors import LerwalletError

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
DEFAULT_TIMEOUT = 10.0
MAX_REDIRECTS = 3


class NetError(LerwalletError):
    """A refused or failed fetch. `code`: not_https, blocked_address, dns, timeout, http_status,
    too_large, redirect, network."""

    def __init__(self, code: str, message: str, *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.code = code


def is_public_address(address: str) -> bool:
    """True only for globally routable unicast addresses (no private, loopback, link-local,
    multicast, reserved, unspecified, shared CGNAT ranges).

    An IPv6 address that carries an IPv4 address is judged by that IPv4 address, since a
    gateway delivers it there: IPv4-mapped ::ffff:0:0/96, 6to4 2002::/16 (RFC 3056) and
    NAT64 64:ff9b::/96 (RFC 6052), so 2002:7f00:1:: (127.0.0.1) is not public. Forms with
    no legitimate use for a fetch are refused outright: IPv4-compatible ::/96 (deprecated,
    RFC 4291), Teredo 2001::/32 (RFC 4380, obfuscated client address) and local-use NAT64
    64:ff9b:1::/48 (RFC 8215).
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if any(ip in net for net in _REFUSED_V6):
            return False
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            ip = embedded
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback
                                 or ip.is_link_local or ip.is_private or ip.is_unspecified)


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_REFUSED_V6 = (ipaddress.IPv6Network("::/96"), ipaddress.IPv6Network("2001::/32"),
               ipaddress.IPv6Network("64:ff9b:1::/48"))


def check_url(url: str) -> tuple[str, int, str]:
    """(host, port, path+query) of an acceptable https URL, or `NetError`."""
    try:
        parts = urlsplit(url)
        port = parts.port or 443
    except ValueError:
        raise NetError("not_https", f"not a valid URL: {url}") from None
    if parts.scheme != "https":
        raise NetError("not_https", f"refusing non-https URL: {url}")
    if not parts.hostname or parts.username or parts.password:
        raise NetError("not_https", f"refusing URL without a plain host: {url}")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.hostname, port, path


def resolve_public(host: str, port: int) -> str:
    """A public address for `host`; refuses if ANY address it resolves to is not public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise NetError("dns", f"cannot resolve {host}: {exc}") from None
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise NetError("dns", f"cannot resolve {host}")
    for address in addresses:
        if not is_public_address(address):
            raise NetError("blocked_address",
                           f"refusing {host}: it resolves to a non-public address ({address})")
    return addresses[0]


def _get_once(url: str, *, max_bytes: int, timeout: float, accept: str):
    import http.client
    import ssl

    host, port, path = check_url(url)
    address = resolve_public(host, port)
    context = ssl.create_default_context()

    class _PinnedConnection(http.client.HTTPSConnection):
        def connect(self) -> None:  # connect to the vetted address, verify the cert for `host`
            sock = socket.create_connection((address, port), timeout)
            self.sock = context.wrap_socket(sock, server_hostname=host)

    conn = _PinnedConnection(host, port, timeout=timeout, context=context)
    try:
        conn.request("GET", path, headers={"Accept": accept, "User-Agent": "lerwallet",
                                           "Accept-Encoding": "identity"})
        resp = conn.getresponse()
        if resp.status in (301, 302, 303, 307, 308):
            location = resp.getheader("Location")
            if not location:
                raise NetError("redirect", f"redirect without Location from {url}")
            return None, urljoin(url, location)
        if resp.status != 200:
            raise NetError("http_status", f"{url} answered HTTP {resp.status}")
        length = resp.getheader("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise NetError("too_large", f"{url} is larger than {max_bytes} bytes")
        body = resp.read(max_bytes + 1)
        if len(body) > max_bytes:
            raise NetError("too_large", f"{url} is larger than {max_bytes} bytes")
        return body, None
    except socket.timeout:
        raise NetError("timeout", f"timed out fetching {url}") from None
    except (OSError, http.client.HTTPException) as exc:
        raise NetError("network", f"cannot fetch {url}: {exc}") from None
    finally:
        conn.close()


def fetch_https(url: str, *, max_bytes: int = DEFAULT_MAX_BYTES, timeout: float = DEFAULT_TIMEOUT,
                accept: str = "application/json") -> bytes:
    """GET `url` over https with the address policy above; follows up to 3 checked redirects."""
    for _ in range(MAX_REDIRECTS + 1):
        body, location = _get_once(url, max_bytes=max_bytes, timeout=timeout, accept=accept)
        if location is None:
            return body
        url = location
    raise NetError("redirect", f"too many redirects fetching {url}")
