"""Verifier requests: VPR (QueryByExample, DIDAuthentication) and OpenID4VP DCQL, parsed and matched."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from lerwallet.errors import EXIT_INVALID, EXIT_USAGE, InputError
from lerwallet.present.request import (
    Candidate,
    NoMatchError,
    match,
    parse_request,
    read_request,
    select_path,
)

V2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def badge(name="Python", issuer="did:example:uni", subject_id="did:example:learner", **extra):
    return {
        "@context": [V2, OB3],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Uni"},
        "validFrom": "2024-01-01T00:00:00Z",
        "name": f"{name} badge",
        "credentialSubject": {
            "id": subject_id, "type": ["AchievementSubject"],
            "achievement": {"id": f"https://uni.example/a/{name}", "type": ["Achievement"], "name": name,
                            "criteria": {"narrative": "did it"}, "description": f"{name} skills"},
        },
        **extra,
    }


def sd_claims(vct="https://credentials.example/degree", **claims):
    return {"iss": "https://uni.example", "vct": vct, "given_name": "Ada", "family_name": "Lovelace",
            "degrees": [{"type": "BSc", "field": "Maths"}, {"type": "MSc", "field": "Computing"}], **claims}


def candidates():
    return [
        Candidate("aaaa1111", "ldp_vc", badge("Python"), title="Python badge", status="verified"),
        Candidate("bbbb2222", "ldp_vc", badge("Welding", issuer="did:example:other"), title="Welding badge",
                  status="verified"),
        Candidate("cccc3333", "dc+sd-jwt", sd_claims(), title="degree", status="verified",
                  disclosable=["/given_name", "/family_name", "/degrees/0", "/degrees/1"]),
        Candidate("dddd4444", "jwt_vc_json", {"@context": [V2], "type": ["VerifiableCredential", "EmployeeCredential"],
                                              "issuer": "did:example:acme",
                                              "credentialSubject": {"id": "did:example:learner", "role": "dev"}},
                  title="employee", status="verified"),
    ]


# --- VPR ---------------------------------------------------------------------------------------


def vpr(*credential_queries, did_auth=False, **extra):
    query = []
    if did_auth:
        query.append({"type": "DIDAuthentication", "acceptedMethods": [{"method": "key"}]})
    if credential_queries:
        query.append({"type": "QueryByExample", "credentialQuery": list(credential_queries)})
    return {"query": query, "challenge": "c-123", "domain": "jobs.example", **extra}


def test_vpr_parses_challenge_domain_and_queries():
    req = parse_request(vpr({"reason": "We need your badge", "example": {"type": "OpenBadgeCredential"}}, did_auth=True))
    assert (req.kind, req.challenge, req.domain, req.did_auth) == ("vpr", "c-123", "jobs.example", True)
    assert req.accepted_did_methods == ["key"]
    assert [q.type_alternatives for q in req.queries] == [[["OpenBadgeCredential"]]]
    assert req.queries[0].reason == "We need your badge"


def test_vpr_wrapped_in_verifiable_presentation_request_is_read():
    req = read_request(json.dumps({"verifiablePresentationRequest": vpr({"example": {"type": "X"}})}).encode())
    assert req.kind == "vpr" and req.challenge == "c-123"


def test_vpr_matches_by_type_and_explains_every_other_credential():
    req = parse_request(vpr({"example": {"type": ["VerifiableCredential", "OpenBadgeCredential"]}}))
    report = match(req, candidates())
    result = report.results[0]
    assert [cid for cid, _ in result.matched] == ["aaaa1111", "bbbb2222"]
    why_not = dict(result.rejected)
    assert "VPR QueryByExample asks for W3C credentials" in why_not["cccc3333"]
    assert why_not["dddd4444"] == ("types VerifiableCredential, EmployeeCredential; the query wants "
                                   "VerifiableCredential+OpenBadgeCredential")
    assert report.satisfied
    assert [s.candidate_id for s in report.selection()] == ["aaaa1111"]  # one per query unless multiple


def test_vpr_trusted_issuer_and_subject_fields():
    req = parse_request(vpr({"example": {
        "type": "OpenBadgeCredential",
        "credentialSubject": {"achievement": {"name": "Welding"}},
        "trustedIssuer": [{"required": True, "issuer": "did:example:other"}]}}))
    report = match(req, candidates())
    assert [cid for cid, _ in report.results[0].matched] == ["bbbb2222"]
    assert dict(report.results[0].rejected)["aaaa1111"] == "issuer did:example:uni is not one the verifier trusts"
    req = parse_request(vpr({"example": {"type": "OpenBadgeCredential", "credentialSubject": {"achievement": {"name": "Welding"}}}}))
    why = dict(match(req, candidates()).results[0].rejected)["aaaa1111"]
    assert why == 'credentialSubject.achievement.name is "Python", the query wants "Welding"'


def test_vpr_empty_example_value_asks_only_for_presence_and_context_is_checked():
    req = parse_request(vpr({"example": {"@context": [V2, OB3], "credentialSubject": {"achievement": ""}}}))
    assert [c for c, _ in match(req, candidates()).results[0].matched] == ["aaaa1111", "bbbb2222"]
    req = parse_request(vpr({"example": {"@context": ["https://example.org/other/v1"]}}))
    report = match(req, candidates())
    assert dict(report.results[0].rejected)["aaaa1111"] == "no @context https://example.org/other/v1"
    assert not report.satisfied


def test_vpr_no_match_is_exit_1_with_the_reason():
    req = parse_request(vpr({"example": {"type": "UniversityDegreeCredential"}}))
    report = match(req, candidates())
    with pytest.raises(NoMatchError) as exc:
        report.require()
    assert exc.value.exit_code == EXIT_INVALID
    assert "query q0.0 (type UniversityDegreeCredential) matched no credential" in exc.value.message
    assert any("no       bbbb2222" in line for line in report.explain())


def test_vpr_optional_query_without_match_does_not_block():
    req = parse_request(vpr({"example": {"type": "OpenBadgeCredential"}},
                            {"required": False, "example": {"type": "UniversityDegreeCredential"}}))
    report = match(req, candidates())
    assert report.satisfied and report.chosen_queries == ["q0.0"]


def test_vpr_did_authentication_only_is_satisfied_with_no_credentials():
    report = match(parse_request(vpr(did_auth=True)), candidates())
    assert report.satisfied and report.selection() == []


def test_invalid_and_damaged_credentials_are_not_offered():
    cands = candidates()
    cands[0].status = "invalid"
    report = match(parse_request(vpr({"example": {"type": "OpenBadgeCredential"}})), cands)
    assert dict(report.results[0].rejected)["aaaa1111"] == "stored as invalid (--allow-invalid to offer it anyway)"
    report = match(parse_request(vpr({"example": {"type": "OpenBadgeCredential"}})), cands, allow_invalid=True)
    assert [c for c, _ in report.results[0].matched] == ["aaaa1111", "bbbb2222"]


# --- DCQL --------------------------------------------------------------------------------------


def dcql(credentials, credential_sets=None, **extra):
    query = {"credentials": credentials}
    if credential_sets is not None:
        query["credential_sets"] = credential_sets
    return {"response_type": "vp_token", "client_id": "x509_san_dns:jobs.example", "nonce": "n-0S6_WzA2Mj",
            "dcql_query": query, **extra}


def test_dcql_nonce_and_client_id_are_challenge_and_domain():
    req = parse_request(dcql([{"id": "degree", "format": "dc+sd-jwt", "meta": {"vct_values": ["x"]}}]))
    assert (req.kind, req.challenge, req.domain) == ("dcql", "n-0S6_WzA2Mj", "x509_san_dns:jobs.example")


def test_dcql_sd_jwt_claims_become_the_disclosure_set():
    req = parse_request(dcql([{"id": "degree", "format": "dc+sd-jwt",
                               "meta": {"vct_values": ["https://credentials.example/degree"]},
                               "claims": [{"path": ["family_name"]}, {"path": ["degrees", None, "type"], "values": ["MSc"]}]}]))
    report = match(req, candidates())
    assert [c for c, _ in report.results[0].matched] == ["cccc3333"]
    assert dict(report.results[0].rejected)["aaaa1111"] == "format ldp_vc, the query wants dc+sd-jwt"
    [sel] = report.selection()
    assert (sel.candidate_id, sel.query_id, sel.disclose) == ("cccc3333", "degree", ["/degrees/1/type", "/family_name"])


def test_dcql_sd_jwt_without_claims_requests_every_claim():
    req = parse_request(dcql([{"id": "d", "format": "dc+sd-jwt", "meta": {"vct_values": ["https://credentials.example/degree"]}}]))
    [sel] = match(req, candidates()).selection()
    assert sel.disclose == ["/given_name", "/family_name", "/degrees/0", "/degrees/1"]


def test_dcql_vct_and_value_mismatches_are_explained():
    req = parse_request(dcql([{"id": "d", "format": "dc+sd-jwt", "meta": {"vct_values": ["https://other/vct"]}}]))
    report = match(req, candidates())
    assert dict(report.results[0].rejected)["cccc3333"] == "vct 'https://credentials.example/degree' is not one of https://other/vct"
    req = parse_request(dcql([{"id": "d", "format": "dc+sd-jwt", "meta": {"vct_values": ["https://credentials.example/degree"]},
                               "claims": [{"path": ["degrees", None, "type"], "values": ["PhD"]}]}]))
    report = match(req, candidates())
    assert dict(report.results[0].rejected)["cccc3333"] == "no claim /degrees/*/type with value PhD"
    with pytest.raises(NoMatchError):
        report.require()


def test_dcql_claim_sets_take_the_first_that_can_be_answered():
    req = parse_request(dcql([{"id": "d", "format": "dc+sd-jwt", "meta": {"vct_values": ["https://credentials.example/degree"]},
                               "claims": [{"id": "a", "path": ["nickname"]}, {"id": "b", "path": ["given_name"]},
                                          {"id": "c", "path": ["family_name"]}],
                               "claim_sets": [["a", "c"], ["b", "c"]]}]))
    [sel] = match(req, candidates()).selection()
    assert sel.disclose == ["/family_name", "/given_name"]


def test_dcql_ldp_vc_type_values_accept_expanded_iris():
    req = parse_request(dcql([{"id": "badge", "format": "ldp_vc", "meta": {"type_values": [[
        "https://www.w3.org/2018/credentials#VerifiableCredential",
        "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"]]},
        "claims": [{"path": ["credentialSubject", "achievement", "name"], "values": ["Welding"]}]}]))
    report = match(req, candidates())
    assert [c for c, _ in report.results[0].matched] == ["bbbb2222"]
    assert dict(report.results[0].rejected)["aaaa1111"] == "no claim /credentialSubject/achievement/name with value Welding"
    assert report.selection()[0].disclose is None  # JSON-LD: no SD-JWT disclosure set


def test_dcql_jwt_vc_json_matches_the_credential_in_the_jwt():
    req = parse_request(dcql([{"id": "job", "format": "jwt_vc_json",
                               "meta": {"type_values": [["EmployeeCredential"]]},
                               "claims": [{"path": ["credentialSubject", "role"]}]}]))
    assert [c for c, _ in match(req, candidates()).results[0].matched] == ["dddd4444"]


def test_dcql_credential_sets_options_and_optional_sets():
    creds = [{"id": "pid", "format": "dc+sd-jwt", "meta": {"vct_values": ["https://pid"]}},
             {"id": "degree", "format": "dc+sd-jwt", "meta": {"vct_values": ["https://credentials.example/degree"]}},
             {"id": "badge", "format": "ldp_vc", "meta": {"type_values": [["OpenBadgeCredential"]]}, "multiple": True}]
    req = parse_request(dcql(creds, [{"options": [["pid"], ["degree"]]}, {"required": False, "options": [["badge"]]}]))
    report = match(req, candidates())
    assert report.satisfied and report.chosen_queries == ["degree", "badge"]
    assert [(s.candidate_id, s.query_id) for s in report.selection()] == [
        ("cccc3333", "degree"), ("aaaa1111", "badge"), ("bbbb2222", "badge")]
    req = parse_request(dcql(creds, [{"options": [["pid", "badge"]]}]))
    report = match(req, candidates())
    assert not report.satisfied
    assert report.problems == ["credential set 1 needs one of: pid and badge; matched queries: badge, degree"]


def test_dcql_queries_not_in_any_credential_set_are_not_answered():
    creds = [{"id": "degree", "format": "dc+sd-jwt", "meta": {"vct_values": ["https://credentials.example/degree"]}},
             {"id": "badge", "format": "ldp_vc", "meta": {"type_values": [["OpenBadgeCredential"]]}}]
    report = match(parse_request(dcql(creds, [{"options": [["badge"]]}])), candidates())
    assert [s.query_id for s in report.selection()] == ["badge"]


def test_dcql_from_an_openid4vp_url():
    query = {"credentials": [{"id": "d", "format": "dc+sd-jwt", "meta": {"vct_values": ["v"]}}]}
    url = f"openid4vp://?client_id={quote('redirect_uri:https://jobs.example/cb')}&nonce=abc&dcql_query={quote(json.dumps(query))}"
    req = read_request(url.encode())
    assert (req.kind, req.challenge, req.domain, req.queries[0].id) == ("dcql", "abc", "redirect_uri:https://jobs.example/cb", "d")


def test_select_path_wildcards_and_indexes():
    doc = {"a": [{"b": 1}, {"b": 2}, {"c": 3}]}
    assert select_path(doc, ("a", None, "b")) == [(("a", 0, "b"), 1), (("a", 1, "b"), 2)]
    assert select_path(doc, ("a", 2, "c")) == [(("a", 2, "c"), 3)]
    assert select_path(doc, ("a", 5)) == []
    assert select_path(doc, ("a", "b")) == []  # a name on an array selects nothing


MALFORMED = [
    (b"", "malformed request: the file is empty"),
    (b"{nope", "malformed request: not JSON"),
    (b"[]", "malformed request: expected a JSON object"),
    (b'{"hello": 1}', "malformed request: no 'query' (VPR) and no 'dcql_query' (OpenID4VP) member"),
    (b'{"query": []}', "malformed request: 'query' must be a non-empty list"),
    (b'{"query": [{"type": "QueryByExample"}]}', "malformed request: query[0].credentialQuery must be an object or a non-empty list"),
    (b'{"query": [{"type": "QueryByExample", "credentialQuery": {"example": {"type": 7}}}]}',
     "malformed request: query[0].credentialQuery[0].example.type must be a list of strings"),
    (b'{"query": {"type": "QueryByExample", "credentialQuery": {"required": "yes"}}}',
     "malformed request: query[0].credentialQuery[0].required must be true or false"),
    (b'{"dcql_query": {"credentials": []}}', "malformed request: dcql_query.credentials must be a non-empty list"),
    (b'{"dcql_query": {"credentials": [{"id": "a b", "format": "ldp_vc"}]}}',
     "malformed request: credentials[0].id must be letters, digits, '_' or '-'"),
    (b'{"dcql_query": {"credentials": [{"id": "a", "format": "ldp_vc"}, {"id": "a", "format": "ldp_vc"}]}}',
     "malformed request: credential query id 'a' is used twice"),
    (b'{"dcql_query": {"credentials": [{"id": "a", "format": "ldp_vc", "claims": [{"path": []}]}]}}',
     "malformed request: credentials[0].claims[0].path must be a non-empty list of names, indexes or null"),
    (b'{"dcql_query": {"credentials": [{"id": "a", "format": "ldp_vc", "claims": [{"path": ["x"], "values": [{"o": 1}]}]}]}}',
     "malformed request: credentials[0].claims[0].values must be a non-empty list of strings, numbers or booleans"),
    (b'{"dcql_query": {"credentials": [{"id": "a", "format": "ldp_vc", "claims": [{"id": "x", "path": ["x"]}], "claim_sets": [["y"]]}]}}',
     "malformed request: credentials[0].claim_sets must be non-empty lists of claim ids defined in claims"),
    (b'{"dcql_query": {"credentials": [{"id": "a", "format": "ldp_vc"}], "credential_sets": [{"options": [["b"]]}]}}',
     "malformed request: credential_sets[0] names an unknown credential query 'b'"),
    (b'{"dcql_query": {"credentials": [{"id": "a", "format": "ldp_vc", "meta": {"type_values": ["X"]}}]}}',
     "malformed request: credentials[0].meta.type_values[] must be a list of strings"),
    (b'{"nonce": 5, "dcql_query": {"credentials": [{"id": "a", "format": "ldp_vc"}]}}',
     "malformed request: nonce must be a non-empty string"),
    (b"openid4vp://?client_id=x", "malformed request: the URL carries no dcql_query parameter"),
]


@pytest.mark.parametrize(("data", "message"), MALFORMED)
def test_malformed_requests_are_exit_2_with_what_is_wrong(data, message):
    with pytest.raises(InputError) as exc:
        read_request(data)
    assert exc.value.exit_code == EXIT_USAGE
    assert exc.value.message.startswith(message)
    assert exc.value.hint


def test_presentation_exchange_is_named_and_refused():
    with pytest.raises(InputError) as exc:
        read_request(b'{"presentation_definition": {"id": "x", "input_descriptors": []}}')
    assert "Presentation Exchange" in exc.value.message


def test_oversized_request_is_refused():
    with pytest.raises(InputError) as exc:
        read_request(b"{" + b" " * (300 * 1024) + b"}")
    assert "larger than 256 KiB" in exc.value.message


def test_dcql_from_a_request_object_jwt_is_read_with_a_warning():
    from lerwallet import crypto
    from lerwallet.proofs.jose import sign_compact

    payload = dcql([{"id": "d", "format": "dc+sd-jwt", "meta": {"vct_values": ["v"]}}])
    token = sign_compact({"alg": "ES256", "typ": "oauth-authz-req+jwt"}, payload, key_type="p256",
                         private_key=crypto.generate_private_key("p256"))
    req = read_request(token.encode())
    assert (req.challenge, req.domain) == ("n-0S6_WzA2Mj", "x509_san_dns:jobs.example")
    assert req.warnings == ["the request object's signature (the verifier's) is not checked: "
                            "trust this request as much as the channel it came through"]
    with pytest.raises(InputError) as exc:
        read_request(b"eyJhbGciOiJub25lIn0.e30x.sig")
    assert exc.value.message.startswith("malformed request: the request object (JWT) cannot be read")


def test_vpr_shapes_seen_in_the_wild():
    """A top-level "type": "VerifiablePresentationRequest" with a single-object query and a single
    string type (as wallets' demo verifiers send); trustedIssuer inside the example."""
    req = parse_request({"type": "VerifiablePresentationRequest", "query": {"type": "QueryByExample", "credentialQuery": {
        "reason": "Sign in", "example": {"@context": [V2], "type": "VerifiableCredential"}}},
        "challenge": "4f34494e", "domain": "demo.example"})
    report = match(req, candidates())
    assert sorted(c for c, _ in report.results[0].matched) == ["aaaa1111", "bbbb2222", "dddd4444"]
    req = parse_request({"query": [{"type": "QueryByExample", "credentialQuery": [{"required": True, "example": {
        "type": "OpenBadgeCredential", "trustedIssuer": [{"required": True, "issuer": "did:example:uni"}]}}]}]})
    assert [c for c, _ in match(req, candidates()).results[0].matched] == ["aaaa1111"]


def test_wildcard_selection_is_bounded():
    from lerwallet.present.request import MAX_SELECTED

    doc = {"a": [[[i, i] for i in range(200)] for _ in range(200)]}
    assert len(select_path(doc, ("a", None, None, None))) == MAX_SELECTED
