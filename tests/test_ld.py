"""lerwallet.ld: bundled contexts, offline loader, safe mode, published canonicalization vectors."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lerwallet import ld
from lerwallet.ld import LDError, SafeModeError, UnknownContext, canonize, expand, offline_loader
from lerwallet.ld import fast
from lerwallet.ld.loader import CONTEXTS_DIR, manifest

VECTORS = Path(__file__).parent / "vectors" / "ld"
ENGINES = ["pyld", "fast"]
V2 = "https://www.w3.org/ns/credentials/v2"
OB303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def _json(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))


# --- bundled contexts -------------------------------------------------------------------

def test_every_bundled_file_matches_its_manifest_hash():
    entries = manifest()
    assert len(entries) >= 30
    for url, entry in entries.items():
        data = (Path(CONTEXTS_DIR) / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], url
        assert entry["source"], url
        assert isinstance(json.loads(data).get("@context"), (dict, list)), url


def test_every_context_file_is_in_the_manifest():
    listed = {e["file"] for e in manifest().values()} | {"manifest.json"}
    present = {p.name for p in Path(CONTEXTS_DIR).iterdir() if p.suffix in (".json", ".jsonld")}
    assert present == listed


@pytest.mark.parametrize("url", [
    "https://www.w3.org/2018/credentials/v1", V2,
    "https://www.w3.org/2018/credentials/examples/v1", "https://www.w3.org/ns/credentials/examples/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json", OB303,
    "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
    "https://w3id.org/security/data-integrity/v1", "https://w3id.org/security/data-integrity/v2",
    "https://w3id.org/security/suites/ed25519-2020/v1", "https://w3id.org/security/multikey/v1",
    "https://w3id.org/security/v1", "https://w3id.org/security/v2", "https://www.w3.org/ns/did/v1",
    "https://w3id.org/vc/status-list/2021/v1", "https://www.w3.org/ns/credentials/status/v1",
    "https://www.w3.org/ns/odrl.jsonld",
])
def test_issue_contexts_are_bundled(url):
    assert "@context" in offline_loader()(url)


def test_loader_returns_private_copies():
    load = offline_loader()
    first = load(V2)
    first["@context"]["VerifiableCredential"] = "https://evil.example/VC"
    assert load(V2)["@context"]["VerifiableCredential"] != "https://evil.example/VC"


def _keys(node):
    if isinstance(node, dict):
        for k, v in node.items():
            yield k
            yield from _keys(v)
    elif isinstance(node, list):
        for v in node:
            yield from _keys(v)


def test_v2_context_has_no_vocab():
    # The VC 2.0 Recommendation moved @vocab into a separate undefined-terms context, so
    # undefined terms under plain v2 are dropped by JSON-LD: hence safe mode.
    assert "@vocab" not in set(_keys(offline_loader()(V2)))
    assert "@vocab" in set(_keys(offline_loader()("https://www.w3.org/ns/credentials/undefined-terms/v2")))


# --- offline ------------------------------------------------------------------------------

def test_unknown_context_is_refused_without_any_connection(network_attempts):
    doc = {"@context": [V2, "https://contexts.example.org/unknown/v1"], "type": ["VerifiableCredential"]}
    for engine in ("auto", *ENGINES):
        with pytest.raises(UnknownContext) as err:
            canonize(doc, engine=engine)
        assert str(err.value) == ("unknown context: https://contexts.example.org/unknown/v1 "
                                  "(not bundled; verify with --online to fetch it)")
    assert network_attempts == []


def test_import_is_cheap_and_loads_no_network_stack():
    code = (
        "import sys, json; import lerwallet.ld as ld; before = set(sys.modules);"
        "d = json.load(open(sys.argv[1])); ld.canonize(d);"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('pyld', 'asyncio', 'ssl', 'requests', 'aiohttp', 'http', 'lxml')"
        " and m not in ('pyld', 'pyld.canon', 'pyld.identifier_issuer', 'pyld.nquads')];"
        "heavy = [m for m in before if m.split('.')[0] in ('pyld', 'pyoxigraph', 'jsonschema')];"
        "print(json.dumps([bad, heavy]))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(VECTORS / "1edtech/obv3p0/credential-unsigned.json")],
                         capture_output=True, text=True, check=True).stdout
    bad, heavy = json.loads(out)
    assert heavy == [], "importing lerwallet.ld must not import heavy modules"
    assert bad == [], "the offline fast path must not import pyld.jsonld or a network stack"


def test_pyld_engine_imports_no_http_client_library():
    # pyld.jsonld itself imports its aiohttp loader module (and so asyncio) at import time;
    # that cannot be avoided without patching pyld, but no HTTP library gets loaded.
    code = (
        "import sys, json; import lerwallet.ld as ld; d = json.load(open(sys.argv[1]));"
        "ld.canonize(d, engine='pyld');"
        "print(json.dumps([m for m in sys.modules if m.split('.')[0] in ('requests', 'aiohttp', 'urllib3', 'httpx')]))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(VECTORS / "1edtech/obv3p0/credential-unsigned.json")],
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == []


# --- published canonicalization vectors ------------------------------------------------

@pytest.mark.parametrize("engine", ["auto", *ENGINES])
@pytest.mark.parametrize("spec", ["obv3p0", "clrv2p0"])
def test_1edtech_document_and_proof_canon(spec, engine):
    folder = VECTORS / "1edtech" / spec
    doc = _json(folder / "credential-unsigned.json")
    if engine == "fast" and fast.eligible(doc):
        assert fast.eligible(doc) == "a node has several types with scoped contexts"
        doc = None
    assert doc is None or canonize(doc, engine=engine) == (folder / "document-canon.txt").read_text("utf-8")
    signed = _json(folder / "credential-signed.json")
    proof = dict(_json(folder / "proof.json"))
    proof.pop("proofValue")
    proof["@context"] = signed["@context"]
    assert canonize(proof, engine=engine) == (folder / "proof-canon.txt").read_text("utf-8")


W3C_CASES = _json(VECTORS / "w3c" / "cases.json")


@pytest.mark.parametrize("engine", ["auto", *ENGINES])
@pytest.mark.parametrize("case", W3C_CASES, ids=[c["expected"] for c in W3C_CASES])
def test_w3c_di_vectors(case, engine):
    doc = _json(VECTORS / "w3c" / case["input"])
    if engine == "fast" and fast.eligible(doc):
        # Declined (pyoxigraph applies one of several type-scoped contexts); auto falls back.
        assert fast.eligible(doc) == "a node has several types with scoped contexts"
        return
    assert canonize(doc, engine=engine) == (VECTORS / "w3c" / case["expected"]).read_text("utf-8")


# --- safe mode ------------------------------------------------------------------------

def _cred(**extra) -> dict:
    doc = {"@context": [V2], "type": ["VerifiableCredential"], "issuer": "did:example:issuer",
           "credentialSubject": {"id": "did:example:subject"}}
    doc.update(extra)
    return doc


@pytest.mark.parametrize("engine", ["auto", *ENGINES])
def test_safe_mode_breaker_fixture_fails(engine):
    doc = _json(VECTORS / "corpus/dcc/verifier-core/verifiableCredentials/eddsa/v2/safeModeBreaker.json")
    with pytest.raises(SafeModeError) as err:
        canonize(doc, engine=engine)
    assert "StatusList2021Entry" in str(err.value)
    assert canonize(doc, engine="pyld", safe=False)  # what an unsafe processor would sign


@pytest.mark.parametrize("engine", ["auto", *ENGINES])
def test_ob3_schema_type_mistake_under_v2(engine):
    doc = _cred(credentialSchema={"id": "https://example.org/schema.json", "type": "1EdTechJsonSchemaValidator2019"})
    with pytest.raises(SafeModeError, match="type '1EdTechJsonSchemaValidator2019' is not defined"):
        canonize(doc, engine=engine)
    # pyld without safe mode turns it into a made-up IRI: exactly the silent change we refuse.
    assert "example.org/base/1EdTechJsonSchemaValidator2019" in canonize(doc, engine="pyld", safe=False)


@pytest.mark.parametrize("engine", ["auto", *ENGINES])
@pytest.mark.parametrize("extra, fragment", [
    ({"favouriteColour": "blue"}, "property 'favouriteColour'"),
    ({"credentialSubject": {"id": "did:example:s", "nickname": "x"}}, "property 'nickname'"),
    ({"type": ["VerifiableCredential", "MadeUpCredential"]}, "type 'MadeUpCredential'"),
    ({"id": "relative/credential/1"}, "'relative/credential/1'"),
    ({"credentialSubject": {"id": "did:example:s", "@type": "Unscoped"}}, "type 'Unscoped'"),
    ({"issuer": {"id": "did:example:issuer", "name": "n", "url": "x"}}, "property 'url'"),
    ({"evidence": {"id": "#fragment-only"}}, "'#fragment-only'"),
    ({"credentialSubject": {"id": "did:example:\u00a0space"}}, "not an absolute IRI"),
])
def test_safe_mode_refuses_what_canonicalization_would_lose(extra, fragment, engine):
    with pytest.raises(SafeModeError) as err:
        canonize(_cred(**extra), engine=engine)
    assert fragment in str(err.value)
    assert str(err.value).startswith("safe mode: ")


@pytest.mark.parametrize("engine", ["auto", *ENGINES])
def test_undefined_terms_context_makes_extra_terms_legitimate(engine):
    doc = _cred(favouriteColour="blue")
    doc["@context"] = [V2, "https://www.w3.org/ns/credentials/undefined-terms/v2"]
    assert "https://www.w3.org/ns/credentials/undefined-term#favouriteColour" in canonize(doc, engine=engine)


def test_expand_is_safe_too():
    with pytest.raises(SafeModeError):
        expand(_cred(favouriteColour="blue"))
    out = expand(_cred())
    assert out[0]["@type"] == ["https://www.w3.org/2018/credentials#VerifiableCredential"]
    assert expand(_cred(favouriteColour="blue"), safe=False)


def test_tampering_with_a_defined_field_changes_the_canonical_form():
    base = canonize(_cred(name="Badge"))
    assert canonize(_cred(name="Badge!")) != base


# --- errors are LDErrors, never tracebacks ---------------------------------------------

@pytest.mark.parametrize("engine", ["auto", *ENGINES])
@pytest.mark.parametrize("doc", [
    {"@context": 5},
    {"@context": [V2], "@id": 5},
    {"@context": {"@version": 2.0}},
    {"@context": [V2], "type": {"not": "a string"}},
])
def test_malformed_json_ld_is_an_ld_error(doc, engine):
    with pytest.raises(LDError):
        canonize(doc, engine=engine)


def test_non_object_document_is_an_ld_error():
    with pytest.raises(LDError):
        canonize(["not", "an", "object"])


def test_unknown_engine_is_a_programming_error():
    with pytest.raises(ValueError):
        canonize(_cred(), engine="turbo")


def test_custom_loader_is_honoured_and_not_cached_across_calls():
    ctx = {"@context": {"name": "https://example.org/first#name"}}

    def loader(url):
        if url == "https://example.org/ctx":
            return json.loads(json.dumps(ctx))
        return offline_loader()(url)

    doc = {"@context": ["https://example.org/ctx"], "@id": "urn:x", "name": "n"}
    for engine in ENGINES:
        assert "first#name" in canonize(doc, loader, engine=engine)
    ctx["@context"]["name"] = "https://example.org/second#name"
    for engine in ENGINES:
        assert "second#name" in canonize(doc, loader, engine=engine)


def test_public_api_is_stable():
    for name in ("canonize", "offline_loader", "LDError", "UnknownContext", "SafeModeError", "expand", "online_loader"):
        assert hasattr(ld, name)
    assert canonize(_cred(), None) == canonize(_cred())


# --- language tags (JSON-LD 1.1 processors lowercase them: jsonld.js expand.js, pyld) ------

@pytest.mark.parametrize("engine", ["auto", *ENGINES])
@pytest.mark.parametrize("extra_ctx, extra, tag", [
    ({}, {"name": {"@value": "Badge", "@language": "en-US"}}, "en-us"),
    ({"@language": "EN-gb"}, {"name": "Badge"}, "en-gb"),
    ({"motto": {"@id": "https://example.org/motto", "@language": "FR"}}, {"motto": "Toujours"}, "fr"),
    ({"m": {"@id": "https://example.org/m", "@container": "@language"}}, {"m": {"DE-at": "Immer"}}, "de-at"),
])
def test_language_tags_are_lowercased(extra_ctx, extra, tag, engine):
    doc = _cred(**extra)
    if extra_ctx:
        doc["@context"] = [V2, extra_ctx]
    out = canonize(doc, engine="pyld" if engine == "fast" and fast.eligible(doc) else engine)
    assert f'"@{tag} .' in out
    assert re.search(r'"@[A-Za-z0-9-]*[A-Z]', out) is None
    assert out == canonize(doc, engine="pyld")
