"""Documents with a blank node that one statement mentions twice (subject and object, or subject
and graph name), for RDFC-1.0's blank node to quads map. Deterministic:
`python make_cases.py > cases.json`; outcomes by jsonld.js in expected.json (see ../PROVENANCE.md)."""

import json

V2 = "https://www.w3.org/ns/credentials/v2"
VOCAB = {"@vocab": "https://example.org/vocab#"}


def badge(n: int) -> dict:
    """A VC 2.0 credential whose subject (a blank node) names itself as its own `sameAs`, beside
    two other blank nodes: the subject's first-degree hash decides the canonical labels."""
    return {
        "@context": [V2, VOCAB],
        "id": f"urn:uuid:0c07a2b4-6f3c-4e32-9c6e-{n:012d}",
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {"id": "_:subject", "sameAs": {"id": "_:subject"}, "name": f"Learner {n}",
                              "result": [{"value": f"A{n}"}, {"value": f"B{n}"}]},
    }


cases = {f"subject_object_{n}": badge(n) for n in range(12)}
for n in range(6):
    # A named graph whose name is a blank node that a statement inside it is about.
    cases[f"subject_graph_{n}"] = {"@context": VOCAB, "@id": "_:g", "label": f"G{n}", "@graph": [
        {"@id": "_:g", "about": f"inside {n}"}, {"@id": "_:x", "label": f"X{n}"}]}
# Two blank nodes that first-degree hashing cannot tell apart (Hash N-Degree Quads), each
# mentioning itself.
cases["n_degree"] = {"@context": VOCAB, "@id": "https://example.org/root", "has": [
    {"@id": "_:a", "knows": [{"@id": "_:a"}, {"@id": "_:b"}]},
    {"@id": "_:b", "knows": [{"@id": "_:b"}, {"@id": "_:a"}]}]}
cases["n_degree_lopsided"] = {"@context": VOCAB, "@id": "https://example.org/root", "has": [
    {"@id": "_:a", "knows": [{"@id": "_:a"}, {"@id": "_:b"}]},
    {"@id": "_:b", "knows": {"@id": "_:c"}}, {"@id": "_:c", "knows": {"@id": "_:c"}}]}

print(json.dumps({"base": badge(99), "cases": cases}, indent=1, ensure_ascii=False))
