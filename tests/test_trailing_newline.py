"""No pattern that checks one whole value accepts it with a line feed after it.

In Python's `re`, `$` also matches just before a final "\\n", so `^...$` with `match` took
`ada\\n` as the identity name `ada`, `did:key:...\\n` as a DID, a web path segment or a status
list name with a line feed in it (JSON Schema's and JavaScript's `$` do not). Each such pattern
ends in `\\Z` now; the review of issue 10 found the same in the absolute-IRI tests (ld/)."""

from __future__ import annotations

import pytest

from lerwallet.formats import jwt, lerrs, sdjwt
from lerwallet.identity import _NAME as IDENTITY_NAME
from lerwallet.identity import keyfile, webhost
from lerwallet.issue import _DID
from lerwallet.issue import statuslist
from lerwallet.present import request
from lerwallet.record import build
from lerwallet.resume import jsonresume, schema
from lerwallet.verify.options import is_email

CASES = [
    ("identity name", IDENTITY_NAME, "ada"),
    ("key file base64url", keyfile._B64URL, "abc_-0"),
    ("did:web host label", webhost._LABEL, "example"),
    ("did:web path segment", webhost._SEGMENT, "alice"),
    ("DID to issue to", _DID, "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"),
    ("status list name", statuslist._NAME, "list-1"),
    ("DCQL query id", request._QUERY_ID, "q1"),
    ("record date", build._DATE, "2024-05"),
    ("record URL", build._URL, "https://example.edu/course"),
    ("JSON Resume date", jsonresume._ISO8601, "2024-01-02"),
    ("resume URI", schema._URI, "https://example.edu/"),
    ("resume date-time", schema._DATE_TIME, "2024-01-01T00:00:00Z"),
    ("LER-RS type", lerrs.TYPE, "https://schema.hropenstandards.org/4.4/recruiting/json/ler-rs/LER-RSType.json"),
    *[(f"{name} skill code", pattern, code) for name, (_, _, pattern), code in zip(
        build.FRAMEWORKS, build.FRAMEWORKS.values(),
        ("0f6c2a0b-9e01-4d7e-9d7c-1f6c2a0b9e01", "15-1252.00", "KS1200364C9C1LK3V5Q1"))],
]


@pytest.mark.parametrize("what, pattern, valid", CASES, ids=[c[0] for c in CASES])
def test_a_value_with_a_line_feed_after_it_is_refused(what, pattern, valid):
    assert pattern.match(valid)
    assert not pattern.match(valid + "\n")


@pytest.mark.parametrize("pattern, token", [(jwt._COMPACT, b"eyJh.eyJi.c2ln"), (sdjwt._SD, b"eyJh.eyJi.c2ln~")])
def test_tokens_too(pattern, token):
    assert pattern.match(token) and not pattern.match(token + b"\n")


def test_email():
    assert is_email("ada@example.com") and not is_email("ada@example.com\n")
