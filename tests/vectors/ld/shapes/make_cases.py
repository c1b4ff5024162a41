"""Write cases.json: documents of one shape with other strings, for canonicalization by shape.

lerwallet.ld.shapes learns a template per JSON shape and fills later documents of that shape
with their own strings. These cases are the same few shapes (named "A", "B", "C", "D") with
strings a template must either carry through byte for byte or refuse to fill: quotes,
backslashes, newlines, control characters, non-ASCII, IRIs of another scheme, compact IRIs,
keyword-like strings, blank-node labels, ids that make two nodes one, values that make two
statements one. jsonld.js decides the expected outcome of each (../tamper/expected.js ->
expected.json); tests/test_ld_shapes.py checks pyld and the template path against it.
Deterministic. usage: python make_cases.py > cases.json
"""

import copy
import json

V2 = "https://www.w3.org/ns/credentials/v2"
V1 = "https://www.w3.org/2018/credentials/v1"
EX1 = "https://www.w3.org/2018/credentials/examples/v1"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def shape_a() -> dict:
    """The typical badge (tests/verify_helpers.badge): OB 3.0 on VC 2.0."""
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


def shape_b() -> dict:
    """A badge whose subject has a name, a status entry and a valid-until date."""
    doc = shape_a()
    doc["credentialSubject"]["name"] = "Alice"
    doc["validUntil"] = "2030-01-01T00:00:00Z"
    doc["credentialStatus"] = {"id": "https://example.edu/status/1#5", "type": "BitstringStatusListEntry",
                               "statusPurpose": "revocation", "statusListIndex": "5",
                               "statusListCredential": "https://example.edu/status/1"}
    return doc


def shape_c() -> dict:
    """VC 1.1 (no @vocab) with the examples context, a language value object and a list of texts."""
    return {
        "@context": [V1, EX1],
        "id": "http://example.edu/credentials/3732",
        "type": ["VerifiableCredential", "UniversityDegreeCredential"],
        "issuer": "https://example.edu/issuers/14",
        "issuanceDate": "2010-01-01T19:23:24Z",
        "credentialSubject": {
            "id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
            "degree": {"type": "BachelorDegree", "name": {"@value": "Bachelor of Science", "@language": "en"}},
            "alumniOf": ["Example University", "Other University"],
        },
    }


def shape_d() -> dict:
    """A badge with two achievements' results in an array of nodes without ids (blank nodes)."""
    doc = shape_a()
    doc["credentialSubject"]["result"] = [{"type": ["Result"], "value": "A"}, {"type": ["Result"], "value": "B"}]
    return doc


def at(doc: dict, path: str, value) -> dict:
    """A copy of `doc` with the member at the dotted `path` (list indexes as numbers) set to `value`."""
    out = copy.deepcopy(doc)
    node = out
    parts = path.split(".")
    for p in parts[:-1]:
        node = node[int(p)] if isinstance(node, list) else node[p]
    last = parts[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return out


def multi(doc: dict, **changes) -> dict:
    for path, value in changes.items():
        doc = at(doc, path.replace("__", "."), value)
    return doc


TEXTS = {
    "quotes": 'Say "hi" \\ back\\slash',
    "newlines": "line one\nline two\r\nthree",
    "tab": "before\tafter",
    "control": "bell \u0007 escape \u001b del \u007f",
    "unicode": "Caf\u00e9 \u2615 \U0001F600 \u2028 \u00a0",
    "empty": "",
    "iri_like": "https://example.org/not-an-iri-here",
    "compact_like": "xsd:string",
    "keyword_like": "@id",
    "blank_like": "_:b0",
    "relative_like": "../up",
    "space_only": " ",
}

IRIS = {
    "same_scheme": "urn:uuid:00000000-0000-0000-0000-000000000000",
    "empty_rest": "urn:",
    "non_ascii": "urn:caf\u00e9",
    "other_scheme": "tag:example.org,2024:x",
    "https_no_slashes": "https:example.org",
    "space": "urn:a b",
    "angle": "urn:a<b>",
    "quote": 'urn:a"b',
    "blank": "_:b7",
    "relative": "relative/path",
    "keyword": "@type",
    "safe_base": "https://relative-iri.invalid/x",
}

TAILS = {"angle": "a<b>", "quote": 'a"b', "non_ascii": "caf\u00e9", "brace": "a{b}|c", "backslash": "a\\b",
         "percent": "a%20b", "empty": "", "space": "a b"}


def cases() -> dict:
    out: dict = {}
    a, b, c, d = shape_a(), shape_b(), shape_c(), shape_d()
    for name, text in TEXTS.items():
        out[f"A/name_{name}"] = at(a, "name", text)
        out[f"A/narrative_{name}"] = at(a, "credentialSubject.achievement.criteria.narrative", text)
        out[f"C/alumni_{name}"] = at(c, "credentialSubject.alumniOf.1", text)
        out[f"C/lang_value_{name}"] = at(c, "credentialSubject.degree.name.@value", text)
    out["A/date_not_a_date"] = at(a, "validFrom", "not a date at all")
    out["A/type_changed"] = at(a, "credentialSubject.achievement.type.0", "Profile")
    out["A/type_undefined"] = at(a, "credentialSubject.achievement.type.0", "NoSuchType")
    for name, iri in IRIS.items():
        out[f"A/credential_id_{name}"] = at(a, "id", iri)
        out[f"A/subject_id_{name}"] = at(a, "credentialSubject.id", iri)
        out[f"A/achievement_id_{name}"] = at(a, "credentialSubject.achievement.id", iri)
        out[f"C/issuer_{name}"] = at(c, "issuer", iri)
    for name, tail in TAILS.items():  # the learnt prefix, other characters after it
        out[f"A/achievement_id_tail_{name}"] = at(a, "credentialSubject.achievement.id", "https://example.edu/" + tail)
        out[f"A/subject_id_tail_{name}"] = at(a, "credentialSubject.id", "did:example:" + tail)
        out[f"C/issuer_tail_{name}"] = at(c, "issuer", "https://example.edu/" + tail)
    # ids that make two nodes one
    out["A/subject_id_other_did"] = at(a, "credentialSubject.id", "did:example:bob")
    out["A/issuer_is_subject"] = at(a, "issuer.id", "did:example:alice")
    out["A/subject_is_issuer"] = at(a, "credentialSubject.id", "did:example:issuer")
    out["A/achievement_is_credential"] = at(a, "credentialSubject.achievement.id", "https://example.edu/c")
    out["A/credential_is_achievement"] = multi(a, id="https://example.edu/achievements/1")
    out["B/issuer_is_subject"] = at(b, "issuer.id", "did:example:alice")
    out["B/issuer_is_subject_same_name"] = multi(b, issuer__id="did:example:alice", issuer__name="Alice")
    out["B/issuer_is_subject_other_name"] = multi(b, issuer__id="did:example:alice", issuer__name="Bob")
    out["B/status_is_list"] = at(b, "credentialStatus.id", "https://example.edu/status/1")
    out["B/status_is_credential"] = multi(b, id="https://example.edu/status/1#5")
    out["B/status_index_text"] = at(b, "credentialStatus.statusListIndex", "five")
    out["B/purpose_suspension"] = at(b, "credentialStatus.statusPurpose", "suspension")
    out["B/dates_equal"] = multi(b, validFrom="2030-01-01T00:00:00Z")
    # blank nodes that become indistinguishable (or not)
    out["D/results_equal"] = at(d, "credentialSubject.result.1.value", "A")
    out["D/results_swapped"] = multi(d, credentialSubject__result__0__value="B", credentialSubject__result__1__value="A")
    out["D/results_unicode"] = at(d, "credentialSubject.result.0.value", "\u00c5ngstr\u00f6m")
    out["C/equal_alumni"] = at(c, "credentialSubject.alumniOf.1", "Example University")
    out["C/language_changed"] = at(c, "credentialSubject.degree.name.@language", "fr")
    out["C/language_upper"] = at(c, "credentialSubject.degree.name.@language", "EN")
    out["C/language_bad"] = at(c, "credentialSubject.degree.name.@language", "not a tag!")
    return {"B": b, "C": c, "D": d, **dict(sorted(out.items()))}


if __name__ == "__main__":
    print(json.dumps({"base": shape_a(), "cases": cases()}, indent=1, ensure_ascii=False))
