"""`--domain` validation for did:web: strict, and in agreement with the did:web parser."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lerwallet.errors import UsageError
from lerwallet.identity.webhost import parse_domain
from lerwallet.keys.dids import did_web_url, parse_did_web


@pytest.mark.parametrize("domain,did,url", [
    ("learner.example", "did:web:learner.example", "https://learner.example/.well-known/did.json"),
    ("Learner.Example", "did:web:learner.example", "https://learner.example/.well-known/did.json"),
    ("example.org/alice", "did:web:example.org:alice", "https://example.org/alice/did.json"),
    ("example.org/users/alice/", "did:web:example.org:users:alice", "https://example.org/users/alice/did.json"),
    ("example.org:8443", "did:web:example.org%3A8443", "https://example.org:8443/.well-known/did.json"),
    ("example.org:443/a", "did:web:example.org:a", "https://example.org/a/did.json"),
    ("bücher.example", "did:web:xn--bcher-kva.example", "https://xn--bcher-kva.example/.well-known/did.json"),
    ("localhost:8080", "did:web:localhost%3A8080", "https://localhost:8080/.well-known/did.json"),
    ("a-b.c-d.example/x.y_z-1", "did:web:a-b.c-d.example:x.y_z-1", "https://a-b.c-d.example/x.y_z-1/did.json"),
])
def test_accepted_domains(domain, did, url):
    location = parse_domain(domain)
    if did is not None:
        assert location.did == did
        assert location.url == url
    assert did_web_url(location.did) == location.url  # the resolver's reading agrees


@pytest.mark.parametrize("domain,message", [
    ("", "empty"),
    ("https://learner.example", "scheme"),
    ("http://learner.example/alice", "scheme"),
    ("mailto:me", "scheme"),
    ("user@learner.example", "user information"),
    ("user:pw@learner.example", "user information"),
    ("learner.example?x=1", "query"),
    ("learner.example#frag", "fragment"),
    ("learner .example", "spaces"),
    ("learner.example\n", "spaces"),
    ("192.168.1.10", "IP address"),
    ("[::1]:8443", "IP address"),
    ("1.2.3.4:80/x", "IP address"),
    ("learner", "fully qualified"),
    ("learner.example.", "ends with a dot"),
    ("-bad.example", "not a valid host name"),
    ("bad-.example", "not a valid host name"),
    ("a..example", "not a valid host name"),
    ("ex_ample.org", "not a valid host name"),
    ("x" * 64 + ".example", "not a valid host name"),
    ("learner.example:0", "invalid port"),
    ("learner.example:99999", "out of range"),
    ("learner.example:08", "invalid port"),
    ("learner.example:", "invalid port"),
    ("learner.example:a", "invalid port"),
    ("learner.example//alice", "invalid path segment"),
    ("learner.example/../etc", "invalid path segment"),
    ("learner.example/al ice", "spaces"),
    ("learner.example/al:ice", "invalid path segment"),
    ("learner.example/%41", "percent"),
    ("learner.example/.well-known", ".well-known"),
    ("learner.example/alice/did.json", "did.json"),
    ("learner.example\\alice", "backslash"),
    ("/alice", "no host"),
])
def test_refused_domains(domain, message):
    with pytest.raises(UsageError, match=message) as info:
        parse_domain(domain)
    assert info.value.hint  # every refusal names the right form


_label = st.from_regex(r"\A[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?\Z")
_tld = st.from_regex(r"\A[a-z]{2,6}\Z")
_segment = st.from_regex(r"\A[A-Za-z0-9_-][A-Za-z0-9._-]{0,8}\Z").filter(lambda s: s not in ("did.json",))


@settings(max_examples=150, deadline=None)
@given(labels=st.lists(_label, min_size=1, max_size=3), tld=_tld,
       port=st.one_of(st.none(), st.integers(1, 65535)), path=st.lists(_segment, max_size=3))
def test_every_valid_domain_maps_to_a_did_the_resolver_reads_back(labels, tld, port, path):
    host = ".".join(labels + [tld])
    text = host + (f":{port}" if port is not None else "") + "".join("/" + s for s in path)
    if path and path[0] == ".well-known":
        return
    location = parse_domain(text)
    parsed_host, parsed_port, parsed_path = parse_did_web(location.did)
    assert parsed_host == host
    assert parsed_port == (None if port in (None, 443) else port)
    assert parsed_path == path
    assert did_web_url(location.did) == location.url
    assert parse_domain(location.domain) == location  # normalizing twice changes nothing


@pytest.mark.parametrize("domain, did", [
    ("faß.de", "did:web:xn--fa-hia.de"),  # IDNA 2008: ß is kept (IDNA 2003 gave fass.de)
    ("Straße.example", "did:web:xn--strae-oqa.example"),
    ("xn--fa-hia.de", "did:web:xn--fa-hia.de"),
])
def test_idna_2008_non_transitional(domain, did):
    # review 6
    assert parse_domain(domain).did == did


@pytest.mark.parametrize("domain", ["xn--zz.de", "a\u200db.example", "\u0300x.example"])
def test_invalid_idna_labels_refused(domain):
    with pytest.raises(UsageError, match="not a valid host name"):
        parse_domain(domain)
