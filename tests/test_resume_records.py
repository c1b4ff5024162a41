"""`export resume` on records made the real way (`lerwallet add` for every kind, `edit`): each kind
lands in its résumé section, self-attested everywhere, and an edited record appears once, as its
current version."""

from __future__ import annotations

import json

import pytest

from test_resume import run

KINDS = [  # kind, title, org, the section it goes in (export resume --json), JSON Resume key
    ("work", "Data engineer", "Acme GmbH", "work", "work"),
    ("internship", "Summer intern", "Lab One", "work", "work"),
    ("apprenticeship", "Electrician apprentice", "Sparks Ltd", "work", "work"),
    ("military", "Signals officer", "Army", "work", "work"),
    ("volunteer", "Youth football coach", "City Youth FC", "volunteer", "volunteer"),
    ("education", "Evening course in statistics", "Open College", "education", "education"),
    ("conference", "Talk at PyCon", "PyCon", "education", "education"),
    ("publication", "A paper on graphs", "Journal of Graphs", "publications", "publications"),
    ("project", "Open data portal", "Civic Tech", "projects", "projects"),
    ("award", "Volunteer of the year", "City Council", "awards", "awards"),
]


@pytest.fixture
def records(isolated_home, tmp_path):
    assert run("init").exit_code == 0
    for i, (kind, title, org, _, _) in enumerate(KINDS):
        result = run("add", kind, "--title", title, "--org", org, "--from", f"20{10 + i}-03", "--to", f"20{11 + i}-06",
                     "--skill", "Python" if i % 2 else "Teamwork", "--location", "Leeds")
        assert result.exit_code == 0, result.stderr
    return tmp_path


def test_every_kind_lands_in_its_section(records):
    out = records / "r.json"
    result = run("export", "resume", "-f", "json", "--out", out, "--json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["self_attested"] == len(KINDS) and summary["verified"] == 0
    placed = {e["title"]: e["section"] for e in summary["entries"]}
    assert placed == {title: section for _, title, _, section, _ in KINDS}
    doc = json.loads(out.read_text())
    for _, title, org, _, key in KINDS:
        (item,) = [x for x in doc[key] if title in json.dumps(x)]
        assert org in json.dumps(item) and item["x-lerwallet"]["self_attested"] is True
    ler = records / "ler.json"
    assert run("export", "resume", "--out", ler).exit_code == 0
    jobs = {e["organization"]["name"]: e for e in json.loads(ler.read_text())["employmentHistories"]}
    assert jobs["Acme GmbH"]["start"] == "2010-03-01" and jobs["Acme GmbH"]["end"] == "2011-06-01"
    assert jobs["Acme GmbH"]["positionHistories"][0]["location"] == {"name": "Leeds"}
    assert jobs["City Youth FC"]["positionHistories"][0]["workRelationshipTypeCode"] == "Volunteering"
    page = records / "r.html"
    result = run("export", "resume", "-f", "html", "--out", page, "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["qr"] is None  # nothing issuer-attested to present
    assert page.read_text().count(">SELF-ATTESTED<") == len(KINDS)


def test_an_edited_record_appears_once_as_its_current_version(records):
    rows = json.loads(run("list", "--json").stdout)
    rid = next(r["id"] for r in rows if r["title"] == "Data engineer")
    edited = run("edit", rid[:10], "--title", "Senior data engineer")
    assert edited.exit_code == 0, edited.stderr
    out = records / "r.json"
    result = run("export", "resume", "--out", out, "--json")
    titles = [e["title"] for e in json.loads(result.stdout)["entries"]]
    assert "Senior data engineer" in titles and "Data engineer" not in titles and len(titles) == len(KINDS)
    result = run("export", "resume", "--skill", "Teamwork", "-f", "json", "--out", records / "t.json", "--json")
    titles = [e["title"] for e in json.loads(result.stdout)["entries"]]
    assert "Senior data engineer" in titles and "Data engineer" not in titles
    result = run("export", "resume", rid[:10], "-f", "json", "--out", records / "old.json", "--json")
    assert [e["title"] for e in json.loads(result.stdout)["entries"]] == ["Data engineer"]  # named: included
