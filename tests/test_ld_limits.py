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


def _linked_nquads(n: int) -> str:
    """n mutually linked blank nodes, labelled as canonical N-Quads are (`_:c14n0` ...)."""
    lines = [f"_:c14n{i} <https://example.org/linked> _:c14n{j} .\n" for i in range(n) for j in range(n) if i != j]
    return "".join(sorted(lines))


@pytest.mark.parametrize("rdfc_hash", ["sha256", "sha384"])
def test_the_p384_relabel_step_is_under_the_same_work_limit(rdfc_hash):
    # ecdsa-rdfc-2019 with P-384 re-runs RDFC-1.0 with SHA-384 over the SHA-256 output. That
    # second run went through pyoxigraph without a limit: 7 linked nodes took 0.6 s, each more
    # node multiplies it (10: hours). Now it is pyld's bounded URDNA2015 again.
    from lerwallet.proofs.suites import relabel

    start = time.monotonic()
    with pytest.raises(CanonicalizationLimit, match="canonicalization limit"):
        relabel(_linked_nquads(10), rdfc_hash)
    assert time.monotonic() - start < 5


def test_p384_relabel_still_gives_the_w3c_sha384_labels():
    # (tests/test_proofs_vectors.py checks the whole P-384 "employ" vector; this is the step alone)
    from lerwallet.proofs.suites import relabel

    twins = ("_:c14n0 <https://example.org/p> \"a\" .\n_:c14n0 <https://example.org/q> _:c14n1 .\n"
             "_:c14n1 <https://example.org/p> \"b\" .\n")
    assert relabel(twins, "sha256") == twins
    assert relabel(twins, "sha384").count("_:c14n") == 4


def test_poison_p384_credential_is_invalid_with_canonicalization_limit():
    # The W3C P-384 "employ" vector (ecdsa-rdfc-2019, RDFC-1.0 with SHA-384 inside), poisoned.
    from pathlib import Path

    signed = json.loads((Path(__file__).parent / "vectors/proofs/w3c-ecdsa/ecdsa-rdfc-2019-p384-employ-signed.json")
                        .read_text("utf-8"))
    [report] = verify_bytes(json.dumps(signed).encode(), Options(at=AT))
    # As published, it gets as far as the key: its did:key names another controller than the
    # issuer (docs/verify.md, "Controller binding").
    assert report.credentials[0].check("proof").code == "controller_mismatch"
    start = time.monotonic()
    [report] = verify_bytes(json.dumps(poison_credential(signed)).encode(), Options(at=AT))
    assert time.monotonic() - start < 10
    proof = report.credentials[0].check("proof")
    assert (proof.outcome, proof.code) == ("fail", "canonicalization_limit")
