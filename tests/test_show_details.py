"""`lerwallet show`: the achievement (name, type, description, criteria, image), results,
alignments, evidence, dates, issuer, subject and the verification outcome; --json keeps its
keys and adds `details`."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from lerwallet.cli.app import app
from lerwallet.model import details
from tests.clr_helpers import achievement_credential
from tests.verify_helpers import Party, write

ENV = {"LERWALLET_PASSPHRASE": "show details"}


def run(*args):
    result = CliRunner().invoke(app, list(args), env=ENV, catch_exceptions=False)
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    return result


def _rich_badge(issuer: Party) -> dict:
    doc = achievement_credential(issuer, 7, name="Welding Level 2", skill="Welding")
    ach = doc["credentialSubject"]["achievement"]
    ach["achievementType"] = "Certificate"
    ach["image"] = {"id": "data:image/png;base64,iVBORw0KGgo=", "type": "Image"}
    ach["alignment"][0].update(targetFramework="ESCO", targetCode="S7.2.1")
    ach["resultDescription"] = [{"id": "urn:uuid:aaaaaaaa-0000-4000-8000-000000000001", "type": ["ResultDescription"],
                                 "name": "Final grade", "resultType": "LetterGrade"}]
    doc["credentialSubject"]["result"] = [{"type": ["Result"], "value": "A",
                                           "resultDescription": "urn:uuid:aaaaaaaa-0000-4000-8000-000000000001"}]
    doc["evidence"] = [{"id": "https://example.edu/portfolio/weld-7", "type": ["Evidence"], "name": "Test piece",
                        "narrative": "A butt weld, photographed and inspected."}]
    return doc


def test_details_reads_every_part():
    d = details(_rich_badge(Party()))
    assert d["achievement"] == {"id": "https://example.edu/achievements/7", "name": "Welding Level 2", "type": "Certificate",
                                "description": "The Welding Level 2 course.", "criteria": "Passed the final exam.",
                                "image": "embedded"}
    assert d["results"] == [{"name": "Final grade", "value": "A", "status": ""}]
    assert d["alignments"] == [{"name": "Welding", "framework": "ESCO", "code": "S7.2.1",
                                "url": "https://example.org/skills/welding"}]
    assert d["evidence"] == [{"name": "Test piece", "description": "", "narrative": "A butt weld, photographed and inspected.",
                              "id": "https://example.edu/portfolio/weld-7"}]
    assert details({"credentialSubject": "odd", "evidence": [1, None]}) == {}  # odd shapes never raise


def test_show_renders_the_achievement_results_skills_evidence_and_outcome(isolated_home, tmp_path):
    assert run("init").exit_code == 0
    issuer = Party()
    f = write(tmp_path / "weld.json", issuer.sign(_rich_badge(issuer)))
    assert run("import", str(f)).exit_code == 0
    rid = json.loads(run("list", "--json").stdout)[0]["id"]
    text = run("show", rid).stdout
    for expected in ("Welding Level 2", "achievement type", "Certificate", "criteria", "Passed the final exam.",
                     "present (embedded in the credential)", "Final grade: A", "Welding (ESCO, S7.2.1)",
                     "Test piece - A butt weld", "issued", "2024-01-01T00:00:00Z", "subject", "did:example:learner",
                     "status", "verified", "pass proof"):
        assert expected in " ".join(text.split()) or expected in text, expected
    shown = json.loads(run("show", rid, "--json").stdout)
    assert {"id", "status", "summary", "checks", "credential"} <= set(shown)
    assert shown["details"]["results"] == [{"name": "Final grade", "value": "A", "status": ""}]
    assert "contents" not in shown
