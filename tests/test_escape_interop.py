"""Control characters in literals and odd characters in IRIs, lerwallet against both generations
of the reference stack (docs/jsonld.md, "How canonical N-Quads escape").

Fixtures: tests/interop/escape/ (README.md there says how each file was made).
- js-table-rdfc{3,4,5}.json: what jsonld.js 8 + rdf-canonize 3, jsonld.js 8 + rdf-canonize 4 and
  jsonld.js 9 + rdf-canonize 5 write for each character, in a literal and in an IRI;
- js-signed-rdfc3/ and js-signed-rdfc5/: badges signed by the first and the current generation;
- lerwallet-signed/: the same badges signed by lerwallet; js-verify-rdfc{3,5}.json: each
  generation's verdict on all of them (CI has no npm: the recorded verdicts are asserted).
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from lerwallet import crypto
from lerwallet.keys import did_key_from_public
from lerwallet.ld import canonize, nquads
from lerwallet.ld.errors import LDError
from lerwallet.proofs import sign
from lerwallet.verify import Options, verify_bytes

HERE = Path(__file__).parent / "interop" / "escape"
AT = datetime(2024, 7, 1, tzinfo=timezone.utc)
TABLE = {g: json.loads((HERE / f"js-table-{g}.json").read_text("utf-8")) for g in ("rdfc3", "rdfc4", "rdfc5")}
JS3 = sorted((HERE / "js-signed-rdfc3").glob("*.json"))
JS5 = sorted((HERE / "js-signed-rdfc5").glob("*.json"))
OURS = sorted((HERE / "lerwallet-signed").glob("*.json"))
VERDICTS = {g: json.loads((HERE / f"js-verify-{g}.json").read_text("utf-8")) for g in ("rdfc3", "rdfc5")}
# Python's \s (pyld's absolute-IRI test) also matches U+001C-U+001F, JavaScript's does not: an id
# holding one is refused by lerwallet's safe mode and kept by jsonld.js (docs/jsonld.md).
STRICTER = {"IRI U+001C", "IRI U+001D", "IRI U+001E", "IRI U+001F"}


def _report(doc: dict):
    [report] = verify_bytes(json.dumps(doc, ensure_ascii=False).encode("utf-8"), Options(at=AT), expect="object")
    return report


def _proof(doc: dict):
    return _report(doc).credentials[0].check("proof")


def _outcome(doc: dict, engine: str) -> tuple[str, str]:
    try:
        return "ok", canonize(copy.deepcopy(doc), engine=engine)
    except LDError as exc:
        return "error", str(exc)


def test_fixtures_are_there():
    assert len(JS3) == len(JS5) == len(OURS) == 5
    assert all(len(t["results"]) == 83 for t in TABLE.values())
    assert TABLE["rdfc3"]["versions"]["rdf-canonize (under jsonld)"] == "3.4.0"
    assert (TABLE["rdfc4"]["versions"]["rdf-canonize"], TABLE["rdfc5"]["versions"]["rdf-canonize"]) == ("4.0.1", "5.0.0")


def test_rdf_canonize_4_and_5_write_every_character_alike_and_3_otherwise():
    same = [a == b for a, b in zip(TABLE["rdfc4"]["results"], TABLE["rdfc5"]["results"])]
    assert all(same)
    differ = {a["name"] for a, b in zip(TABLE["rdfc3"]["results"], TABLE["rdfc5"]["results"]) if a != b}
    # Every control character but LF and CR in a literal, and every character IRIREF cannot hold
    # as itself (except the whitespace that safe mode refuses in both).
    assert differ == {f"literal U+{n:04X}" for n in [*range(0x0A), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]} | {
        f"IRI U+{n:04X}" for n in [*range(0x09), *range(0x0E, 0x20), *b'<>"{}|^`\\']}


@pytest.mark.parametrize("engine", ["pyld", "auto"])
def test_lerwallet_writes_what_rdf_canonize_5_writes(engine):
    for case in TABLE["rdfc5"]["results"]:
        got = _outcome(case["doc"], engine)
        if case["name"] in STRICTER:
            assert case["outcome"] == "ok" and got[0] == "error" and "safe mode" in got[1], case["name"]
        else:
            assert got[0] == case["outcome"], case["name"]
            if got[0] == "ok":
                assert got[1] == case["nquads"], case["name"]


@pytest.mark.parametrize("engine", ["pyld", "auto"])
def test_legacy_spelling_is_what_rdf_canonize_3_writes(engine):
    with nquads.legacy():
        for case in TABLE["rdfc3"]["results"]:
            got = _outcome(case["doc"], engine)
            if case["outcome"] == "ok" and case["name"] not in STRICTER:
                assert got == ("ok", case["nquads"]), case["name"]


def test_rdfc_1_0_spellings_of_the_recommendation():
    """RDFC-1.0 appendix A: ECHAR for BS HT LF FF CR " \\, UCHAR with uppercase HEX for the
    other C0 controls and DEL, everything else as itself; UCHAR for what IRIREF cannot hold."""
    line = canonize({"@context": {"p": "https://e.org/p", "q": {"@id": "https://e.org/q", "@type": "@id"}},
                     "@id": "https://e.org/s", "p": "\b\t\n\f\r\"\\\x00\x07\x0b\x1b\x7f\u00e9\u0085",
                     "q": 'https://e.org/<{x}|^`">'})
    assert '"\\b\\t\\n\\f\\r\\"\\\\\\u0000\\u0007\\u000B\\u001B\\u007F\u00e9\u0085"' in line
    assert "<https://e.org/\\u003C\\u007Bx\\u007D\\u007C\\u005E\\u0060\\u0022\\u003E>" in line


def test_the_reference_generations_refuse_each_other():
    """Recorded: the first generation (rdf-canonize 3) and today's (rdf-canonize 5) each verify
    their own badges and refuse the other's: the same graph, spelled otherwise."""
    for gen, own, other in (("rdfc3", JS3, JS5), ("rdfc5", JS5, JS3)):
        verdicts = VERDICTS[gen]["verdicts"]
        for path in own:
            assert verdicts[f"{path.parent.name}/{path.name}"] == {"verified": True}
        for path in other:
            assert verdicts[f"{path.parent.name}/{path.name}"] == {"verified": False, "error": "Invalid signature."}


@pytest.mark.parametrize("path", JS3 + JS5, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_both_generations_verify_here(path):
    doc = json.loads(path.read_text("utf-8"))
    report = _report(doc)
    proof = report.credentials[0].check("proof")
    assert proof.outcome == "pass", (proof.code, proof.reason)
    # The *-iri badges too: the signed-graph cross-check reads their { | < ids (pyoxigraph, leniently).
    assert report.verdict == "valid", [(c.id, c.outcome, c.reason) for c in report.all_checks()]


def _tampered(doc: dict) -> list[tuple[str, dict]]:
    out = []
    for label, change in (
        ("tab to space", lambda d: d.__setitem__("name", d["name"].replace("\t", " "))),
        ("bell dropped", lambda d: d.__setitem__("name", d["name"].replace("\u0007", ""))),
        ("DEL to U+007E", lambda d: d["credentialSubject"]["achievement"].__setitem__(
            "description", d["credentialSubject"]["achievement"]["description"].replace("\u007f", "~"))),
        ("escape written out", lambda d: d["credentialSubject"]["achievement"]["criteria"].__setitem__(
            "narrative", "Pass\\tthe\\u0001test")),
        ("id changed", lambda d: d["credentialSubject"]["achievement"].__setitem__(
            "id", d["credentialSubject"]["achievement"]["id"].replace("{", "(").replace("escape-interop", "escape_interop"))),
    ):
        changed = copy.deepcopy(doc)
        change(changed)
        assert changed != doc, label
        out.append((label, changed))
    return out


@pytest.mark.parametrize("path", JS3 + JS5 + OURS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_tampered_copies_fail_by_name(path):
    for label, doc in _tampered(json.loads(path.read_text("utf-8"))):
        proof = _proof(doc)
        assert (proof.outcome, proof.code) == ("fail", "invalid_signature"), label


def test_the_current_reference_verified_what_lerwallet_signs_and_refused_tampered_copies():
    verdicts = VERDICTS["rdfc5"]["verdicts"]
    assert VERDICTS["rdfc5"]["versions"]["rdf-canonize"] == "5.0.0"
    ours = {k: v for k, v in verdicts.items() if k.startswith("lerwallet-signed/")}
    assert {k for k in ours if "tab-changed" not in k} == {f"lerwallet-signed/{p.name}" for p in OURS}
    for name, verdict in ours.items():
        assert verdict["verified"] is ("tab-changed" not in name), name


@pytest.mark.parametrize("path", OURS, ids=lambda p: p.name)
def test_lerwallet_signed_badges_verify_here(path):
    doc = json.loads(path.read_text("utf-8"))
    assert _proof(doc).outcome == "pass"
    assert "\t" in doc["name"] and "\u007f" in doc["credentialSubject"]["achievement"]["description"]


def test_lerwallet_signing_is_reproducible(tmp_path):
    """The Ed25519 fixtures are deterministic: re-running the generator gives the same bytes,
    so what the reference verified is what lerwallet signs today."""
    script = HERE / "make_lerwallet_signed.py"
    copy_dir = tmp_path / "escape"
    copy_dir.mkdir()
    (copy_dir / script.name).write_text(script.read_text())
    subprocess.run([sys.executable, str(copy_dir / script.name)], check=True, capture_output=True)
    for path in OURS:
        if not path.name.startswith("ecdsa"):  # ECDSA signatures are randomized
            assert (copy_dir / "lerwallet-signed" / path.name).read_bytes() == path.read_bytes(), path.name


# Signing in the first generation's spelling (what jsonld.js 8 did), to test the verifier's rule.
SEED = hashlib.sha256(b"lerwallet escape tests DEMO ONLY ed25519").digest()
DID = did_key_from_public("ed25519", crypto.public_key_of("ed25519", SEED))
V2 = "https://www.w3.org/ns/credentials/v2"


def _credential(name: str, subject_id: str = "did:example:learner") -> dict:
    return {"@context": [V2], "type": ["VerifiableCredential"], "issuer": DID, "validFrom": "2024-06-01T00:00:00Z",
            "name": name, "credentialSubject": {"id": subject_id}}


def _signed(doc: dict, *, legacy: bool = False) -> dict:
    def run():
        return sign(doc, suite="eddsa-rdfc-2022", key_type="ed25519", private_key=SEED,
                    verification_method=f"{DID}#{DID.split(':')[-1]}", created="2024-06-02T00:00:00Z")

    if legacy:
        with nquads.legacy():
            return run()
    return run()


@pytest.fixture()
def legacy_attempts(monkeypatch):
    """Counts how often verification enters rdf-canonize 3's spelling (the real one runs)."""
    entered = []
    real = nquads.legacy

    def counting():
        entered.append(1)
        return real()

    monkeypatch.setattr(nquads, "legacy", counting)
    return entered


def test_legacy_signature_verifies_with_exactly_one_more_attempt(legacy_attempts):
    doc = _signed(_credential("Tab\there"), legacy=True)
    legacy_attempts.clear()
    assert _proof(doc).outcome == "pass"
    assert len(legacy_attempts) == 1
    assert _proof(_signed(_credential("Tab\there"))).outcome == "pass"  # RDFC-1.0 signature: first try
    assert len(legacy_attempts) == 1


def test_a_credential_without_such_characters_takes_exactly_the_old_path(legacy_attempts):
    doc = _signed(_credential("Plain name, \"quoted\", back\\slash, line\nbreak"))
    assert _proof(doc).outcome == "pass"
    forged = dict(doc, name="Another name")
    assert (_proof(forged).outcome, _proof(forged).code) == ("fail", "invalid_signature")
    assert legacy_attempts == []  # no second attempt: both spellings are the same bytes here


def test_a_legacy_spelling_that_is_another_graphs_text_is_never_accepted(legacy_attempts):
    """rdf-canonize 3 writes IRIs as they are: an id holding the six characters \\u003C comes out
    as RDFC-1.0 writes an id holding `<`. A signature over one graph must not verify the other."""
    signed = _signed(_credential("Name", "https://example.edu/learners/a<b"))
    forged = json.loads(json.dumps(signed).replace("a<b", "a\\\\u003Cb"))
    assert forged["credentialSubject"]["id"] == "https://example.edu/learners/a\\u003Cb"
    signed_text = canonize({k: v for k, v in signed.items() if k != "proof"})
    with nquads.legacy():
        assert canonize({k: v for k, v in forged.items() if k != "proof"}) == signed_text
    legacy_attempts.clear()
    proof = _proof(forged)
    assert (proof.outcome, proof.code) == ("fail", "invalid_signature")
    assert legacy_attempts == []


def test_p384_legacy_signature_round_trips_through_canonical_nquads():
    """ecdsa-rdfc-2019 with P-384 canonicalizes again with SHA-384 inside RDFC-1.0, from the
    canonical N-Quads text (suites.relabel): that text must read back in both spellings.
    (lerwallet signs P-256 only, so the proof is made here with the suite itself.)"""
    from lerwallet.proofs.suites import ECDSA_RDFC_2019, Canonical

    secret = crypto.generate_private_key("p384")
    did = did_key_from_public("p384", crypto.public_key_of("p384", secret))
    doc = {"@context": [V2], "type": ["VerifiableCredential"], "issuer": did, "validFrom": "2024-06-01T00:00:00Z",
           "name": "Bell\u0007 and tab\t", "credentialSubject": {"name": "a blank-node subject\u001f"}}
    for legacy in (False, True):
        proof = {"type": "DataIntegrityProof", "cryptosuite": "ecdsa-rdfc-2019", "created": "2024-06-02T00:00:00Z",
                 "verificationMethod": f"{did}#{did.split(':')[-1]}", "proofPurpose": "assertionMethod"}
        with nquads.legacy() if legacy else contextlib.nullcontext():
            proof["proofValue"] = ECDSA_RDFC_2019.sign_value(Canonical(doc, None), proof, "p384", secret)
        assert _proof(dict(doc, proof=proof)).outcome == "pass", legacy
        assert (_proof(dict(doc, name="Bell", proof=proof)).code) == "invalid_signature", legacy


def test_shape_templates_are_neither_used_nor_learnt_in_the_legacy_spelling():
    """Templates hold RDFC-1.0 text (lerwallet.ld.shapes): inside nquads.legacy() pyld decides,
    and nothing learnt there is reused outside."""
    from lerwallet.ld import _pyld, shapes

    _pyld.jsonld()  # the auto engine takes the shape path once pyld is loaded
    doc = {k: v for k, v in json.loads(JS5[-1].read_text("utf-8")).items() if k != "proof"}
    with nquads.legacy():
        legacy_text = canonize(doc, engine="pyld")
    rdfc_text = canonize(doc, engine="pyld")
    assert legacy_text != rdfc_text
    shapes.clear()
    try:
        with nquads.legacy():
            assert [canonize(doc) for _ in range(3)] == [legacy_text] * 3
        assert not shapes._shapes.templates
        assert [canonize(doc) for _ in range(3)] == [rdfc_text] * 3
        assert shapes._shapes.templates  # learnt on the second sighting, used on the third
        with nquads.legacy():
            assert canonize(doc) == legacy_text
        assert canonize(doc) == rdfc_text
    finally:
        shapes.clear()


def test_what_pyld_and_pyoxigraph_write_themselves():
    """The pyld and pyoxigraph rows of docs/jsonld.md's table: pyld 3.3's own serializer escapes
    only `"` `\\` HT LF CR and writes IRIs as they are; pyoxigraph 0.5 escapes literals as RDFC-1.0
    asks (U+FFFE too) and writes IRIs as they are."""
    import pyoxigraph as ox

    from lerwallet.ld import _pyld

    _pyld._bare_package()
    from pyld.nquads import serialize_nquad

    text = "\b\t\n\"\\\x07\x7f\ufffe"
    iri = {"type": "IRI", "value": "https://e.org/a<b>{c}"}
    p = {"type": "IRI", "value": "https://e.org/p"}
    literal = {"type": "literal", "value": text, "datatype": nquads.XSD_STRING}
    assert serialize_nquad({"subject": iri, "predicate": p, "object": literal}) == (
        '<https://e.org/a<b>{c}> <https://e.org/p> "\b\\t\\n\\"\\\\\x07\x7f\ufffe" .\n')
    quads = ox.parse('<https://e.org/a\\u003Cb\\u003E\\u007Bc\\u007D> <https://e.org/p> "\\b\\t\\n\\"\\\\\\u0007\\u007F\\uFFFE" .\n',
                     format=ox.RdfFormat.N_QUADS, lenient=True)
    assert ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode() == (
        '<https://e.org/a<b>{c}> <https://e.org/p> "\\b\\t\\n\\"\\\\\\u0007\\u007F\\uFFFE" .\n')
    assert nquads.serialize_nquad({"subject": iri, "predicate": p, "object": literal}) == (
        '<https://e.org/a\\u003Cb\\u003E\\u007Bc\\u007D> <https://e.org/p> "\\b\\t\\n\\"\\\\\\u0007\\u007F\ufffe" .\n')


def test_differs_and_legacy_ambiguous_read_escapes_not_text():
    assert nquads.differs('<https://e.org/s> <https://e.org/p> "a\\tb" .\n')
    assert nquads.differs('<https://e.org/s\\u003C> <https://e.org/p> "ab" .\n')
    assert not nquads.differs('<https://e.org/s> <https://e.org/p> "a\\\\tb \\"q\\" \\n\\r" .\n')  # a backslash, then t
    assert nquads.differs('<https://e.org/s> <https://e.org/p> "a\\\\\\tb" .\n')  # a backslash, then a tab
    assert nquads.legacy_ambiguous('<https://e.org/a\\u005Cb> <https://e.org/p> "x" .\n')
    assert not nquads.legacy_ambiguous('<https://e.org/a> <https://e.org/p> "x\\\\u005C" .\n')


def test_canonical_nquads_read_back_exactly():
    doc = {k: v for k, v in json.loads(JS5[0].read_text("utf-8")).items() if k != "proof"}
    for legacy in (False, True):
        with nquads.legacy() if legacy else contextlib.nullcontext():
            text = canonize(doc, engine="pyld")
            dataset = nquads.parse(text)
            lines = [nquads.serialize_nquad(t, None if g == "@default" else g) for g, ts in dataset.items() for t in ts]
            assert "".join(sorted(lines)) == text
    for bad in ('<https://e.org/s> <https://e.org/p> "a\\qb" .\n', '<https://e.org/a\\tb> <https://e.org/p> "x" .\n',
                '<https://e.org/s> <https://e.org/p> "x" .', "not N-Quads\n"):
        with pytest.raises(ValueError):
            nquads.parse(bad)


def test_a_control_character_in_the_proof_options_alone_also_gets_the_second_check(legacy_attempts):
    """The signer spelled the proof options and the document the same way: a tab in `domain`
    (the document itself plain) is checked in rdf-canonize 3's spelling too."""
    def signed(legacy: bool) -> dict:
        with nquads.legacy() if legacy else contextlib.nullcontext():
            return sign(_credential("Plain"), suite="eddsa-rdfc-2022", key_type="ed25519", private_key=SEED,
                        verification_method=f"{DID}#{DID.split(':')[-1]}", created="2024-06-02T00:00:00Z",
                        domain="https://verifier.example/\tdesk")

    old, new = signed(True), signed(False)
    assert old["proof"]["proofValue"] != new["proof"]["proofValue"]
    legacy_attempts.clear()
    assert _proof(new).outcome == "pass" and legacy_attempts == []
    assert _proof(old).outcome == "pass" and len(legacy_attempts) == 1
    tampered = copy.deepcopy(old)
    tampered["proof"]["domain"] = "https://verifier.example/ desk"
    assert _proof(tampered).code == "invalid_signature"
