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
])
def test_unbundled_contexts_stay_refused_offline_naming_the_url_and_online(url):
    assert not is_bundled(url)
    with pytest.raises(UnknownContext) as info:
        canonize(_vc([url]), offline_loader())
    assert url in str(info.value) and "--online" in str(info.value)
