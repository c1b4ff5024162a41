"""Write cases.json: tamper and edge cases of JSON-LD that canonicalization might silently lose.

Deterministic (no randomness). Each case is an unsigned OB 3.0 credential (VC 2.0 contexts),
changed in one way. tests/test_proofs_tamper.py signs the base and re-applies each change
with `build`; jsonld.js decides the expected outcome of each case (expected.js -> expected.json).
usage: python make_cases.py > cases.json
"""

import copy
import json

V2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def base() -> dict:
    return {
        "@context": [V2, OB3],
        "id": "urn:uuid:2f8c7a8e-4a43-4f9e-9f9b-0d6c1f0a1b2c",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "did:example:issuer", "type": ["Profile"], "name": "Example College"},
        "validFrom": "2024-01-01T00:00:00Z",
        "name": "Teamwork",
        "credentialSubject": {
            "id": "did:example:alice",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://example.edu/achievements/1",
                "type": ["Achievement"],
                "name": "Teamwork",
                "criteria": {"narrative": "Did the work."},
                "description": "A badge.",
            },
        },
    }


DELETE = object()  # as a change's value: remove the key

# A change: (where, key, value). where: "top", "subject", "achievement", or "context" (append
# an inline context entry), "achctx" (embedded @context in the achievement).
CHANGES: dict[str, list] = {
    # keys that look like keywords, at every depth
    "atkey_top": [("top", "@degree", "Doctor of Philosophy")],
    "atkey_subject": [("subject", "@note", "graduated with honours")],
    "atkey_achievement": [("achievement", "@level", "PhD")],
    "atkey_upper_id": [("achievement", "@ID", "urn:x")],
    "atkey_dash": [("achievement", "@level-x", "PhD")],
    "atkey_bare_at": [("achievement", "@", "PhD")],
    "empty_key": [("achievement", "", "PhD")],
    "blank_node_predicate": [("achievement", "_:level", "PhD")],
    # terms defined as null
    "null_term_top": [("context", None, {"note": None}), ("top", "note", "also awarded Distinction")],
    "null_id_term_top": [("context", None, {"note": {"@id": None}}), ("top", "note", "Distinction")],
    "null_term_embedded": [("achctx", None, {"level": None}), ("achievement", "level", "Doctorate")],
    "null_id_term_embedded": [("achctx", None, {"level": {"@id": None}}), ("achievement", "level", "PhD")],
    # null values
    "value_null": [("achievement", "description", {"@value": None})],
    "value_null_lang": [("achievement", "description", {"@value": None, "@language": "en"})],
    "set_null": [("achievement", "description", {"@set": [None]})],
    "list_null": [("achievement", "description", {"@list": [None]})],
    "set_empty": [("achievement", "description", {"@set": []})],
    "type_null": [("achievement", "type", None)],
    "at_type_null": [("achievement", "@type", None)],
    "id_null": [("achievement", "id", None)],
    "plain_null": [("achievement", "description", None)],
    "undefined_null": [("achievement", "level", None)],
    "undefined_set_null": [("achievement", "level", {"@set": [None]})],
    "added_set_null": [("achievement", "description", {"@set": [None, "A badge."]})],
    "null_in_array": [("achievement", "description", [None, "A badge."])],
    "alias_value_null": [("context", None, {"val": "@value"}), ("achievement", "description", {"val": None})],
    # ids
    "id_empty": [("achievement", "id", "")],
    "at_id_empty": [("achievement", "id", DELETE), ("achievement", "@id", "")],
    "id_relative": [("achievement", "id", "achievements/1")],
    # @vocab tricks
    "vocab_empty": [("context", None, {"@vocab": ""}), ("achievement", "level", "PhD")],
    "vocab_relative": [("context", None, {"@vocab": "terms/"}), ("achievement", "level", "PhD")],
    "vocab_blank": [("context", None, {"@vocab": "_:"}), ("achievement", "level", "PhD")],
    "vocab_null_embedded": [("achctx", None, {"@vocab": None}), ("achievement", "level", "PhD")],
    "vocab_absolute": [("context", None, {"@vocab": "https://evil.example/#"}), ("achievement", "level", "PhD")],
    # protected terms
    "protected_redefined": [("context", None, {"name": "https://evil.example/name"})],
    "protected_redefined_embedded": [("achctx", None, {"name": "https://evil.example/name"})],
    "protected_same_definition": [("context", None, {"id": "@id"})],
    # keywords with meaning the RDF drops or moves
    "nest_key": [("achievement", "@nest", {"description": "nested"})],
    "nest_alias": [("context", None, {"extra": "@nest"}), ("achievement", "extra", {"description": "nested"})],
    "included": [("top", "@included", [{"id": "urn:x", "name": "q"}])],
    "included_alias": [("context", None, {"also": "@included"}), ("top", "also", [{"id": "urn:x", "name": "q"}])],
    "reverse": [("top", "@reverse", {"https://example.org/p": {"id": "urn:x"}})],
    "graph_top": [("top", "@graph", [{"id": "urn:x", "name": "q"}])],
    "graph_scalar": [("top", "@graph", ["free-floating"])],
    "index_key": [("achievement", "@index", "PhD")],
    "index_container": [("context", None, {"ix": {"@id": "https://example.org/ix", "@container": "@index"}}),
                        ("achievement", "ix", {"PhD": "x"})],
    "index_alias": [("context", None, {"ix": "@index"}), ("achievement", "ix", "PhD")],
    "json_literal": [("context", None, {"data": {"@id": "https://example.org/data", "@type": "@json"}}),
                     ("achievement", "data", {"level": "PhD"})],
    "json_value": [("achievement", "description", {"@value": {"level": "PhD"}, "@type": "@json"})],
    "value_relative_type": [("achievement", "description", {"@value": "x", "@type": "foo"})],
    "language_alias_only": [("context", None, {"lang": "@language"}), ("achievement", "lang", "en")],
    "reserved_term_value": [("context", None, {"level": "@ignored"}), ("achievement", "level", "PhD")],
    "empty_term_definition": [("context", None, {"": "https://example.org/empty"}), ("achievement", "", "PhD")],
    "null_context_embedded": [("achctx", None, None)],
    "direction": [("achievement", "description", {"@value": "x", "@direction": "rtl"})],
    "nested_array": [("achievement", "description", [["A badge."]])],
    "empty_object_value": [("achievement", "description", {})],
    "compact_iri_key": [("achievement", "ex:level", "PhD")],
    "absolute_iri_key": [("achievement", "https://example.org/level", "PhD")],
    # language tags (finding 2): JSON-LD processors lowercase them
    "lang_value_upper": [("achievement", "description", {"@value": "A badge.", "@language": "en-US"})],
    "lang_context_upper": [("context", None, {"@language": "EN-gb"})],
    "lang_term_upper": [("context", None, {"motto": {"@id": "https://example.org/motto", "@language": "FR"}}),
                        ("achievement", "motto", "Toujours")],
    "lang_map_upper": [("context", None, {"mottos": {"@id": "https://example.org/mottos", "@container": "@language"}}),
                       ("achievement", "mottos", {"EN": "Always", "fr-CA": "Toujours"})],
    "lang_map_invalid": [("context", None, {"mottos": {"@id": "https://example.org/mottos", "@container": "@language"}}),
                         ("achievement", "mottos", {"not a tag": "Always"})],
    "lang_context_invalid": [("context", None, {"@language": "en_US"})],
    "lang_invalid": [("achievement", "description", {"@value": "x", "@language": "not a tag"})],
    # blank-node labels that look canonical: RDFC-1.0 must relabel them like any other (issue
    # #10 audit: pyld's URDNA2015 skipped input labels starting with "_:c14n", so the fast path,
    # which kept the document's labels, printed "_:c14n5" or merged two nodes into one)
    "bnode_label_c14n": [("achievement", "criteria", {"id": "_:c14n5", "narrative": "Did the work."})],
    "bnode_label_c14n_merge": [("top", "id", DELETE),
                               ("achievement", "criteria", {"id": "_:c14n1", "narrative": "Did the work."})],
}


def build(changes, doc: dict | None = None) -> dict:
    """`doc` (default: base()) with the changes applied (in place)."""
    doc = base() if doc is None else doc
    where_of = {"top": doc, "subject": doc["credentialSubject"],
                "achievement": doc["credentialSubject"]["achievement"]}
    for where, key, value in changes:
        if where == "context":
            doc["@context"].append(copy.deepcopy(value))
        elif where == "achctx":
            where_of["achievement"]["@context"] = copy.deepcopy(value)
        elif value is DELETE:
            del where_of[where][key]
        else:
            where_of[where][key] = copy.deepcopy(value)
    return doc


def cases() -> dict:
    return {name: build(changes) for name, changes in CHANGES.items()}


if __name__ == "__main__":
    print(json.dumps({"base": base(), "cases": cases()}, indent=1, ensure_ascii=False))
