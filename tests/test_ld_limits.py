"""RDFC-1.0 work limit (issue #10, poison graphs): refused fast, on both engines, as
`canonicalization_limit`; ordinary graphs with look-alike blank nodes still canonicalize."""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone

import pytest

from lerwallet import ld
from lerwallet.ld import CanonicalizationLimit
from lerwallet.verify import Options, verify_bytes
from tests.hostile import POISON_CONTEXT, poison_credential, poison_nodes
from tests.verify_helpers import V2, Party, badge

AT = datetime(2024, 6, 1, tzinfo=timezone.utc)


def _doc(nodes):
    return {"@context": [V2, POISON_CONTEXT], "type": ["VerifiableCredential"], "issuer": "did:example:i",
            "validFrom": "2024-01-01T00:00:00Z", "credentialSubject": {"id": "did:example:s", "linked": nodes}}


@pytest.mark.parametrize("engine", ["fast", "pyld"])
def test_poison_graph_is_refused_quickly_on_both_engines(engine):
    start = time.monotonic()
    with pytest.raises(CanonicalizationLimit, match="canonicalization limit"):
        ld.canonize(_doc(poison_nodes(8)), engine=engine)
    # Unbounded, this graph takes about 80 s; refused, it is a handful of hash rounds.
    assert time.monotonic() - start < 10


@pytest.mark.parametrize("engine", ["fast", "pyld"])
def test_look_alike_blank_nodes_within_the_limit_still_canonicalize(engine):
    # Two identical blank nodes (as two identical proofs or evidence entries): first-degree
    # hashing cannot tell them apart, one deep round each settles it.
    twin = {"type": "Thing", "knows": {"id": "https://example.org/x"}}
    out = ld.canonize(_doc([dict(twin), dict(twin)]), engine=engine)
    assert out == ld.canonize(_doc([dict(twin), dict(twin)]), engine="pyld")
    assert "_:c14n" in out


def test_limit_follows_the_work_factor():
    # 3 mutually linked nodes need 3 ** 2 rounds or so: over the default factor 1 (n rounds),
    # like rdf-canonize's default, and canonicalized when the factor allows it.
    from lerwallet.ld import _pyld

    with pytest.raises(CanonicalizationLimit):
        ld.canonize(_doc(poison_nodes(3)), engine="pyld")
    old = _pyld.MAX_WORK_FACTOR
    try:
        _pyld.MAX_WORK_FACTOR = 3
        assert ld.canonize(_doc(poison_nodes(3)), engine="pyld").count("_:c14n2") > 0
    finally:
        _pyld.MAX_WORK_FACTOR = old


def test_poison_credential_is_invalid_with_canonicalization_limit():
    issuer = Party()
    doc = poison_credential(issuer.sign(badge(issuer, subject="did:example:alice")))
    assert len(json.dumps(doc)) < 2600
    start = time.monotonic()
    [report] = verify_bytes(json.dumps(doc).encode(), Options(at=AT))
    assert time.monotonic() - start < 10
    proof = report.credentials[0].check("proof")
    assert (proof.outcome, proof.code) == ("fail", "canonicalization_limit")
    assert report.verdict == "invalid"
