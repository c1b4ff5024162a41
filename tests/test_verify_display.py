"""What is displayed must come from what was signed (issue #10). A property-scoped context can
swap OB 3.0 `name` and `description`, and `@included` can hide the issuer's name, while the
signature verifies: the fields the report and the wallet show (title, description, issuer name,
subject name, achievement) are compared with the signed graph and a difference fails
(`structure.graph`, `display_mismatch`). Real keys and signatures; the adversary is the issuer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lerwallet.cli.app import app
from lerwallet.verify import Options, verify_bytes
from tests.verify_helpers import OB3, V2, Party, badge

OBV = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
V1 = "https://www.w3.org/2018/credentials/v1"


@pytest.fixture(scope="module")
def issuer():
    return Party()


def _verify(doc: dict):
    [report] = verify_bytes(json.dumps(doc).encode(), Options())
    return report.credentials[0], report


def _swapped(issuer: Party) -> dict:
    """Signed graph: the achievement's schema:name is "First Aid"; the JSON shows "PhD in Physics"
    as its name, because a property-scoped context on `achievement` maps `name` to
    schema:description and `description` to schema:name."""
    doc = badge(issuer, name="First Aid")
    del doc["name"]
    doc["issuanceDate"] = doc.pop("validFrom")
    doc["@context"] = [V1, {
        "name": "https://schema.org/name", "description": "https://schema.org/description",
        "OpenBadgeCredential": OBV + "OpenBadgeCredential", "Achievement": OBV + "Achievement",
        "AchievementSubject": OBV + "AchievementSubject", "Profile": OBV + "Profile",
        "criteria": {"@id": OBV + "Criteria", "@type": "@id"}, "narrative": OBV + "narrative",
        "achievement": {"@id": OBV + "achievement", "@type": "@id",
                        "@context": {"name": "https://schema.org/description", "description": "https://schema.org/name"}},
    }]
    achievement = doc["credentialSubject"]["achievement"]
    achievement["name"], achievement["description"] = "PhD in Physics", "First Aid"
    return issuer.sign(doc)


def test_property_scoped_swap_of_name_and_description_fails(issuer):
    cred, report = _verify(_swapped(issuer))
    assert cred.check("proof").outcome == "pass"  # the signature covers the graph, which is intact
    check = cred.check("structure.graph")
    assert (check.outcome, check.code) == ("fail", "display_mismatch")
    assert "achievement name: signed 'First Aid', shown 'PhD in Physics'" in check.reason
    assert report.verdict == "invalid"


def test_the_same_credential_without_the_swap_is_verified(issuer):
    doc = badge(issuer, name="First Aid")
    del doc["name"]
    doc["issuanceDate"] = doc.pop("validFrom")
    doc["@context"] = [V1, {
        "name": "https://schema.org/name", "description": "https://schema.org/description",
        "OpenBadgeCredential": OBV + "OpenBadgeCredential", "Achievement": OBV + "Achievement",
        "AchievementSubject": OBV + "AchievementSubject", "Profile": OBV + "Profile",
        "criteria": {"@id": OBV + "Criteria", "@type": "@id"}, "narrative": OBV + "narrative",
        "achievement": {"@id": OBV + "achievement", "@type": "@id"},
    }]
    cred, _ = _verify(issuer.sign(doc))
    assert cred.check("structure.graph") is None and cred.check("proof").outcome == "pass"


def test_included_hiding_the_issuers_name_fails(issuer):
    doc = badge(issuer)
    doc["issuer"] = {"id": issuer.did, "type": ["Profile"]}
    doc["@included"] = [{"id": issuer.did, "type": ["Profile"], "name": "Diploma Mill Ltd"}]
    cred, report = _verify(issuer.sign(doc))
    assert cred.check("proof").outcome == "pass"
    check = cred.check("structure.graph")
    assert (check.outcome, check.code) == ("fail", "display_mismatch")
    assert "issuer name: signed 'Diploma Mill Ltd', shown nothing" in check.reason
    assert report.verdict == "invalid"


def test_included_giving_the_subject_a_second_name_fails(issuer):
    doc = badge(issuer, subject="did:example:ada")
    doc["credentialSubject"]["name"] = "Ada Lovelace"
    doc["@included"] = [{"id": "did:example:ada", "name": "Mallory"}]
    cred, _ = _verify(issuer.sign(doc))
    check = cred.check("structure.graph")
    assert check.code == "display_mismatch" and "subject name" in check.reason


@pytest.mark.parametrize("field, value", [("name", "Teamwork"), ("description", "Worked in a team.")])
def test_ordinary_ob3_badges_pass(issuer, field, value):
    doc = badge(issuer, **{field: value})
    doc["credentialSubject"]["name"] = "Ada"
    doc["@context"] = [V2, OB3]
    cred, report = _verify(issuer.sign(doc))
    assert cred.check("structure.graph") is None
    assert report.verdict == "valid"


def test_import_refuses_a_credential_that_would_display_another_title(issuer, isolated_home, tmp_path):
    env = {"LERWALLET_PASSPHRASE": "display tests"}
    runner = CliRunner()
    assert runner.invoke(app, ["init"], env=env).exit_code == 0
    path = tmp_path / "swapped.json"
    path.write_text(json.dumps(_swapped(issuer)))
    result = runner.invoke(app, ["import", str(path), "--json"], env=env)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert "what is displayed is not what was signed" in result.stdout + result.stderr
    assert json.loads(runner.invoke(app, ["list", "--json"], env=env).stdout) == []


CONTEXTS = Path(__file__).resolve().parents[1] / "src" / "lerwallet" / "ld" / "contexts"


def _achievement_iris(context_url: str) -> set[str]:
    """The IRIs a bundled context maps the term `achievement` to, where it defines one."""
    from lerwallet.ld import expand

    found = set()
    for subject in ({"type": "AchievementSubject", "achievement": {"id": "urn:x:a"}}, {"achievement": {"id": "urn:x:a"}}):
        doc = {"@context": ["https://www.w3.org/2018/credentials/v1", context_url], "id": "urn:x:s", **subject}
        try:
            nodes = expand(doc, safe=False)
        except Exception:
            continue
        for node in nodes:
            found |= {k for k, v in node.items() if not k.startswith("@") and v == [{"@id": "urn:x:a"}]}
    return found


def test_every_bundled_definition_of_achievement_is_read_by_the_display_check():
    from lerwallet.ld.loader import manifest
    from lerwallet.verify.graph import OB_ACHIEVEMENT

    checked = {}
    for url, entry in manifest().items():
        if '"achievement"' in (CONTEXTS / entry["file"]).read_text("utf-8"):
            iris = _achievement_iris(url)  # (CLR 2.0 defines `achievement` only for a ClrSubject's list)
            if iris:
                checked[url] = iris
    assert {"https://purl.imsglobal.org/spec/ob/v3p0/context.json", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            "https://w3c-ccg.github.io/vc-ed/plugfest-1-2022/jff-vc-edu-plugfest-1-context.json",
            "https://w3c-ccg.github.io/vc-ed/plugfest-2-2022/jff-vc-edu-plugfest-2-context.json"} <= set(checked)
    for url, iris in checked.items():
        for iri in iris:
            assert OB_ACHIEVEMENT.fullmatch(iri), (url, iri)
