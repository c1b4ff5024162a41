"""Hostile inputs from the adversarial review of issue #10, built in code (no fixtures needed).

Each builder returns the smallest input that showed the cost; tests/test_hostile_inputs.py runs
them at the size caps in a subprocess with a time and memory bound.
"""

from __future__ import annotations

import copy

POISON_CONTEXT = {
    "linked": "https://example.org/vocab#linked",
    "knows": "https://example.org/vocab#knows",
    "Thing": "https://example.org/vocab#Thing",
}


def poison_nodes(n: int = 8) -> list[dict]:
    """`n` blank nodes, each linked to every other one: first-degree hashing cannot tell them
    apart, so RDFC-1.0's Hash N-Degree Quads explores permutations (factorial work)."""
    return [
        {"id": f"_:n{i}", "type": "Thing", "knows": [{"id": f"_:n{j}"} for j in range(n) if j != i]}
        for i in range(n)
    ]


def poison_credential(signed: dict, n: int = 8) -> dict:
    """A signed credential with the poison graph added to its subject (about 1.9 KB for a
    small badge). The signature no longer matches, but canonicalization comes first."""
    doc = copy.deepcopy(signed)
    ctx = doc["@context"]
    doc["@context"] = (ctx if isinstance(ctx, list) else [ctx]) + [POISON_CONTEXT]
    doc["credentialSubject"]["linked"] = poison_nodes(n)
    return doc
