"""`lerwallet skills`, the merge rule, and `list --skill` / `present --skill` agreeing with it:
real wallets, real signed credentials, the real CLI."""

from __future__ import annotations

import json

import pytest

from lerwallet import skills
from lerwallet.model import summarize

from journey_helpers import align, issued, run, self_signed, wallet_with


def test_the_merge_rule_is_case_whitespace_and_punctuation_only():
    k = skills.skill_key
    assert k("Problem-Solving.") == k("problem  solving") == k("PROBLEM_SOLVING") == "problem solving"
    assert k("Ｐｙｔｈｏｎ") == k("python")  # NFKC: full-width letters
    assert k("Customer “service”") == k("customer service")
    assert len({k("C"), k("C++"), k("C#")}) == 3  # symbols are kept: three languages
    assert k("Python") != k("Python programming")  # never a guess about meaning
    assert k("Data analysis") != k("Data analytics")
    assert k("...") == "..."  # nothing but punctuation stays itself, not empty


def test_extract_reads_every_source():
    doc = {"credentialSubject": {
        "id": "did:example:me",
        "achievement": {
            "name": "Active listening", "achievementType": "Competency", "humanCode": "AL-1",
            "alignment": [align("Python", "ESCO", "S1.2")], "tag": ["teamwork", "  "],
            "resultDescription": [{"name": "Grade", "alignment": [align("Final project", "Catalog", "project")]}]},
        "result": [{"alignment": [align("Presenting", "Catalog", "present")]}],
    }}
    found = {(e["name"], e["source"]) for e in skills.extract(doc)}
    assert found == {("Python", "alignment"), ("teamwork", "tag"), ("Active listening", "competency"),
                     ("Final project", "result"), ("Presenting", "result")}


def test_extract_reads_a_clr_and_its_nested_credentials():
    nested = {"credentialSubject": {"achievement": {"name": "Course", "alignment": [align("SQL", "O*NET", "2.B")]}}}
    clr = {"type": ["VerifiableCredential", "ClrCredential"], "credentialSubject": {
        "id": "did:example:me", "achievement": [{"name": "Program", "tag": ["Databases"]}],
        "verifiableCredential": [nested, {"credentialSubject": {"verifiableCredential": [
            {"credentialSubject": {"achievement": {"tag": ["too deep"]}}}]}}]}}
    assert sorted(e["name"] for e in skills.extract(clr)) == ["Databases", "SQL"]  # nested one level only
    assert [e["name"] for e in summarize(clr).skills] == ["Databases", "SQL"]


def test_extract_is_bounded_and_never_raises():
    many = {"credentialSubject": {"achievement": {"tag": [f"skill {i}" for i in range(5000)]}}}
    assert len(skills.extract(many)) == skills.MAX_PER_CREDENTIAL
    for odd in (None, [], "x", {"credentialSubject": "x"}, {"credentialSubject": [{"achievement": [1, None, {"alignment": "x"}]}]},
                {"credentialSubject": {"achievement": {"tag": [1, {"a": 1}], "alignment": [{"targetName": 5}]}}}):
        assert skills.extract(odd) == []
    long = skills.extract({"credentialSubject": {"achievement": {"tag": ["x" * 10_000]}}})
    assert len(long[0]["name"]) == skills.MAX_TEXT


def _wallet(isolated_home):
    def make(w, me, iss):
        return {
            "python_esco": issued(iss, me, "Python basics", number=1, date="2023-03-01T00:00:00Z", alignments=[
                align("Python", "ESCO", "esco-py"), align("Problem-solving", "ESCO", "esco-ps"), align("C++", "ESCO", "esco-cpp")]),
            "python_lightcast": issued(iss, me, "Data course", number=2, date="2024-05-01T00:00:00Z", alignments=[
                align("python", "Lightcast Open Skills", "KS125"), align("C", "Lightcast Open Skills", "KS-C")]),
            "teams": issued(iss, me, "Team project", number=3, date="2022-01-01T00:00:00Z", alignments=[
                align("Teamwork", "ESCO", "esco-team"), align("Working in teams", "ESCO", "esco-team")]),
            "self": self_signed(w, "Volunteer coding club", number=4, date="2025-02-01T00:00:00Z",
                                achievement_type="CommunityService", tags=["Problem Solving.", "Mentoring"]),
        }
    return wallet_with(isolated_home, make)


def _by_name(rows):
    return {s["name"]: s for s in rows}


def test_skills_merged_with_codes_counts_and_dates(isolated_home):
    ids = _wallet(isolated_home)
    r = run("skills", "--json")
    assert r.exit_code == 0, r.stderr
    found = _by_name(json.loads(r.stdout))
    assert set(found) == {"Python", "Problem-solving", "C++", "C", "Teamwork", "Mentoring"}
    py = found["Python"]
    assert py["aliases"] == ["python"]
    assert {(c["framework"], c["code"]) for c in py["codes"]} == {("ESCO", "esco-py"), ("Lightcast Open Skills", "KS125")}
    assert sorted(py["frameworks"]) == ["ESCO", "Lightcast Open Skills"]
    assert {c["id"] for c in py["credentials"]} == {ids["python_esco"], ids["python_lightcast"]}
    assert (py["issuer_verified"], py["issuer_unverified"], py["self_attested"]) == (2, 0, 0)
    assert py["most_recent"] == "2024-05-01T00:00:00Z"
    ps = found["Problem-solving"]  # the issuer's spelling before the learner's tag
    assert {c["id"] for c in ps["credentials"]} == {ids["python_esco"], ids["self"]}
    assert (ps["issuer_verified"], ps["self_attested"]) == (1, 1)
    assert {c["id"]: c["attestation"] for c in ps["credentials"]} == {ids["python_esco"]: "issuer", ids["self"]: "self"}
    assert ps["most_recent"] == "2025-02-01T00:00:00Z"
    team = found["Teamwork"]
    assert team["aliases"] == ["Working in teams"]  # the same ESCO code
    assert len(team["codes"]) == 2 and {c["code"] for c in team["codes"]} == {"esco-team"}
    assert found["C"]["credentials"][0]["id"] == ids["python_lightcast"] and len(found["C++"]["credentials"]) == 1


def test_skills_table_and_verified_only(isolated_home):
    _wallet(isolated_home)
    r = run("skills")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split()[:2] == ["SKILL", "CREDENTIALS"]
    row = next(line for line in lines if line.lower().startswith("problem"))
    assert "1 verified, 1 self-attested" in row and "2025-02-01" in row and "ESCO esco-ps" in row
    verified = _by_name(json.loads(run("skills", "--verified", "--json").stdout))
    assert "Mentoring" not in verified  # self-attested only
    ps = verified.get("Problem-solving")
    assert ps is not None and (ps["issuer_verified"], ps["self_attested"], len(ps["credentials"])) == (1, 0, 1)


def test_skills_by_framework(isolated_home):
    _wallet(isolated_home)
    data = json.loads(run("skills", "--framework", "esco", "--json").stdout)
    assert [g["framework"] for g in data["groups"]] == ["ESCO"]
    names = {s["name"] for s in data["groups"][0]["skills"]}
    assert names >= {"C++", "Teamwork"} and "C" not in names and "Mentoring" not in names
    py = next(s for s in data["groups"][0]["skills"] if s["key"] == "python")
    assert [c["code"] for c in py["codes"]] == ["esco-py"]  # this framework's codes under its heading
    r = run("skills", "--framework", "lightcast")
    assert r.exit_code == 0 and r.stdout.splitlines()[0] == "Lightcast Open Skills"
    r = run("skills", "--framework", "onet")
    assert r.exit_code == 0 and "no skills aligned to a framework matching 'onet'" in r.stderr
    r = run("skills", "--framework", " ")
    assert r.exit_code == 2 and r.stderr.startswith("lerwallet: error: --framework needs a value")


def _listed(name):
    return {row["id"] for row in json.loads(run("list", "--skill", name, "--json").stdout)}


def _presented(name):
    r = run("present", "--skill", name, "--unsigned", "--yes", "--out", "-")
    assert r.exit_code == 0, r.stderr
    return {c["id"] for c in json.loads(r.stdout)["verifiableCredential"]}


def test_list_and_present_pick_what_skills_shows(isolated_home):
    ids = _wallet(isolated_home)
    by_doc_id = {}
    from lerwallet.store import Wallet, credentials
    from journey_helpers import PW
    with Wallet.open(isolated_home, PW) as w:
        for rid in ids.values():
            by_doc_id[rid] = json.loads(credentials.get_original(w, rid))["id"]
    rows = json.loads(run("skills", "--json").stdout)
    for skill in rows:
        shown = {c["id"] for c in skill["credentials"]}
        for name in [skill["name"], *skill["aliases"], *(c["code"] for c in skill["codes"] if c["code"])]:
            assert _listed(name) == shown, (name, skill["name"])  # no skill name is words of another here
        assert _presented(skill["name"]) == {by_doc_id[i] for i in shown}
    assert _listed("PROBLEM solving") == {ids["python_esco"], ids["self"]}  # case and punctuation aside
    assert _listed("Working in teams") == {ids["teams"]}  # an alias of Teamwork (same code)
    assert _listed("pyth") == set()  # whole words, not any substring
    assert _listed("c") == {ids["python_lightcast"]}  # "C" is not "C++"


def test_the_ascii_fast_path_is_the_same_rule():
    for c in map(chr, range(128)):
        assert skills.skill_key(f"A{c}b") + "\u00e9" == skills.skill_key(f"A{c}b\u00e9"), repr(c)
