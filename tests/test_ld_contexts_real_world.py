"""Contexts real credentials use (issue #10): bundled ones work offline in safe mode; others are
refused offline with a message naming the URL and the --online hint."""

from __future__ import annotations

import pytest

from lerwallet.ld import canonize, offline_loader
from lerwallet.ld.errors import UnknownContext
from lerwallet.ld.loader import is_bundled, manifest

V1 = "https://www.w3.org/2018/credentials/v1"


def _vc(contexts, **extra):
    doc = {"@context": [V1, *contexts], "id": "urn:uuid:0d8c3a4e-1f6a-4d1b-9b77-000000000010",
           "type": ["VerifiableCredential"], "issuer": "did:example:issuer", "issuanceDate": "2022-05-01T00:00:00Z",
           "credentialSubject": {"id": "did:example:subject"}}
    doc.update(extra)
    return doc


CASES = {
    "https://w3c-ccg.github.io/vc-ed/plugfest-1-2022/jff-vc-edu-plugfest-1-context.json": _vc(
        ["https://w3c-ccg.github.io/vc-ed/plugfest-1-2022/jff-vc-edu-plugfest-1-context.json"],
        type=["VerifiableCredential", "OpenBadgeCredential"],
        credentialSubject={"id": "did:example:subject", "type": "AchievementSubject",
                           "achievement": {"type": "Achievement", "name": "Plugfest 1", "criteria": {"type": "Criteria", "narrative": "n"}}}),
    "https://w3c-ccg.github.io/vc-ed/plugfest-2-2022/jff-vc-edu-plugfest-2-context.json": _vc(
        ["https://w3c-ccg.github.io/vc-ed/plugfest-2-2022/jff-vc-edu-plugfest-2-context.json"],
        type=["VerifiableCredential", "OpenBadgeCredential"], name="Plugfest 2",
        credentialSubject={"id": "did:example:subject", "type": ["AchievementSubject"],
                           "achievement": {"id": "urn:uuid:1", "type": ["Achievement"], "name": "Plugfest 2",
                                           "image": {"id": "https://example.org/badge.png", "type": "Image"}}}),
    "https://w3id.org/vc-revocation-list-2020/v1": _vc(
        ["https://w3id.org/vc-revocation-list-2020/v1"],
        credentialStatus={"id": "https://example.com/credentials/status/3#94567", "type": "RevocationList2020Status",
                          "revocationListIndex": "94567", "revocationListCredential": "https://example.com/credentials/status/3"}),
    "https://w3id.org/vdl/v1": _vc(
        ["https://w3id.org/vdl/v1"], type=["VerifiableCredential", "Iso18013DriversLicenseCredential"],
        credentialSubject={"id": "did:example:subject", "type": "LicensedDriver",
                           "driversLicense": {"type": "Iso18013DriversLicense", "family_name": "TURNER"}}),
}


# The Open Badges 3.0 working drafts' context (2022): the URL served whatever the spec's develop
# branch held, and that changed (docs/jsonld.md, "Not bundled"), so no one copy is its content.
EARLY_OB3 = "https://imsglobal.github.io/openbadges-specification/context.json"

# Every context issue #10 names, and the other widely used ones the audit looked for.
ISSUE_10_CONTEXTS = [
    "https://w3c-ccg.github.io/vc-ed/plugfest-1-2022/jff-vc-edu-plugfest-1-context.json",
    "https://w3c-ccg.github.io/vc-ed/plugfest-2-2022/jff-vc-edu-plugfest-2-context.json",
    "https://w3id.org/vc-revocation-list-2020/v1",
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
    "https://purl.imsglobal.org/spec/clr/v2p0/context.json",
    "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
    "https://w3id.org/vc/status-list/2021/v1",
    "https://www.w3.org/ns/credentials/status/v1",
    "https://w3id.org/dcc/v1",
    "https://w3id.org/security/suites/ed25519-2020/v1",
    "https://w3id.org/security/suites/ed25519-2018/v1",
    "https://w3id.org/security/data-integrity/v1",
    "https://w3id.org/security/data-integrity/v2",
    "https://w3id.org/security/suites/jws-2020/v1",
    "https://w3id.org/security/multikey/v1",
    "https://w3id.org/security/bbs/v1",
]


@pytest.mark.parametrize("url", ISSUE_10_CONTEXTS)
def test_the_contexts_issue_10_names_are_bundled_with_source_and_hash(url):
    entry = manifest()[url]
    assert len(entry["sha256"]) == 64 and entry["source"]


def test_a_badge_on_the_early_ob3_context_is_inconclusive_offline_naming_it():
    import json

    from lerwallet.verify import verify_bytes

    from lerwallet.keys.multibase import encode_base58btc
    from tests.verify_helpers import Party

    issuer = Party()
    # Signed as its issuer would have (the proof's bytes do not matter: nothing can be checked
    # without the context's content).
    doc = _vc([EARLY_OB3], type=["VerifiableCredential", "OpenBadgeCredential"], issuer=issuer.did,
              proof={"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "2022-05-01T00:00:00Z",
                     "verificationMethod": issuer.vm, "proofPurpose": "assertionMethod",
                     "proofValue": encode_base58btc(bytes(range(64)))})
    [report] = verify_bytes(json.dumps(doc).encode())
    context = report.credentials[0].check("context")
    assert (context.outcome, context.code) == ("unknown", "unknown_context")
    assert EARLY_OB3 in context.reason and "--online" in context.reason
    assert report.verdict == "inconclusive"


def test_the_new_contexts_are_bundled_with_source_and_hash():
    for url in [*CASES, "https://w3id.org/security/suites/x25519-2020/v1", "https://w3id.org/vdl/aamva/v1"]:
        assert is_bundled(url), url
        entry = manifest()[url]
        assert len(entry["sha256"]) == 64 and entry["source"], url


@pytest.mark.parametrize("url", list(CASES))
def test_credentials_using_them_canonicalize_offline_in_safe_mode(url):
    nquads = canonize(CASES[url], offline_loader())
    assert "did:example:subject" in nquads and nquads.count("\n") >= 5


def test_a_term_the_jff_context_does_not_define_is_refused():
    from lerwallet.ld.errors import SafeModeError

    doc = CASES["https://w3c-ccg.github.io/vc-ed/plugfest-1-2022/jff-vc-edu-plugfest-1-context.json"]
    with pytest.raises(SafeModeError):
        canonize(dict(doc, notInTheContext="x"), offline_loader())


@pytest.mark.parametrize("url", [
    "https://kayaelle.github.io/vc-ed/plugfest-1-2022/jff-vc-edu-plugfest-1-context.json",
    "https://w3id.org/security/suites/bls12381-2020/v1",
    "https://dc.imsglobal.org/draft/clr/v2p0/context",
    "https://w3id.org/vaccination/v1",
    EARLY_OB3,
])
def test_unbundled_contexts_stay_refused_offline_naming_the_url_and_online(url):
    assert not is_bundled(url)
    with pytest.raises(UnknownContext) as info:
        canonize(_vc([url]), offline_loader())
    assert url in str(info.value) and "--online" in str(info.value)
