"""`lerwallet journey`: the timeline, --json, and the transit-style map (--html, --svg) rendered
in headless Chromium with the network off: structure, no overlapping labels at 3 and 150 records
on a phone-width and a desktop-width screen, keyboard use, and nothing fetched. Real wallets,
real signed credentials and self-attested records, the real CLI."""

from __future__ import annotations

import json
import os
import stat
import xml.etree.ElementTree as ET

import pytest

from lerwallet.journey import build, line_of

from browser import Chromium, find_chromium
from journey_helpers import Issuer, add, align, issued, new_wallet, run, self_signed, wallet_with
from lerwallet import identity


def test_every_kind_lerwallet_add_writes_lands_on_its_line():
    """The record lane's kind table (`record.build.KINDS`) and the journey's line table are two
    tables: this holds them to one answer per kind, the one docs/record.md gives."""
    from lerwallet.record.build import KINDS, kind_of

    expected = {"work": "work", "volunteer": "service", "internship": "work", "apprenticeship": "work",
                "education": "education", "military": "service", "conference": "education",
                "publication": "work", "project": "work", "award": "skills"}
    assert set(KINDS) == set(expected), "a new record kind needs its journey line here and in docs/record.md"
    for kind, (achievement_type, _) in KINDS.items():
        assert kind_of(achievement_type) == kind
        assert line_of({"achievement_type": achievement_type}) == expected[kind], kind


def test_lines_come_from_the_achievement_type():
    assert line_of({"achievement_type": "BachelorDegree"}) == "education"
    assert line_of({"achievement_type": "Course"}) == "education"
    assert line_of({"achievement_type": "ext:WorkExperience"}) == "work"
    assert line_of({"achievement_type": "ApprenticeshipCertificate"}) == "work"
    assert line_of({"achievement_type": "ext:Internship"}) == "work"
    assert line_of({"achievement_type": "CommunityService"}) == "service"
    assert line_of({"achievement_type": "ext:MilitaryService"}) == "service"
    assert line_of({"achievement_type": "ext:Conference"}) == "education"
    assert line_of({"achievement_type": "Badge"}) == "skills"
    assert line_of({"achievement_type": ""}) == "skills"
    assert line_of({"kind": "ClrCredential"}) == "education"


def _make_three(w, me, iss):
        return {
            "degree": issued(iss, me, "BSc Computer Science", number=1, date="2019-07-01T00:00:00Z",
                             achievement_type="BachelorDegree", start="2016-09-01", end="2019-06-30",
                             alignments=[align("Python", "ESCO", "esco-py"), align("Algorithms")]),
            "job": self_signed(w, "Junior developer at Acme", number=2, date="2024-01-05T00:00:00Z",
                               achievement_type="ext:WorkExperience", start="2019-09-01", end="2023-12-31",
                               tags=["Python", "Teamwork"]),
            "volunteer": issued(iss, me, "Food bank volunteer", number=3, date="2022-05-01T00:00:00Z",
                                achievement_type="CommunityService", tags=["teamwork"]),
        }


def _three(home):
    return wallet_with(home, _make_three)


def test_terminal_timeline_in_lines_with_marks(isolated_home):
    ids = _three(isolated_home)
    r = run("journey")
    assert r.exit_code == 0, r.stderr
    text = r.stdout
    blocks = text.split("\n\n")
    assert blocks[0].splitlines()[0] == "EDUCATION (1)" and "2016-09 \u2013 2019-06" in blocks[0] and "\u2713 verified" in blocks[0]
    assert blocks[1].splitlines()[0] == "WORK (1)" and "Junior developer at Acme" in blocks[1] and "\u25c7 self-attested" in blocks[1]
    assert blocks[2].splitlines()[0] == "SERVICE AND VOLUNTEERING (1)" and "2022-05-01" in blocks[2]
    assert "INTERCHANGES" in blocks[3]
    assert "Python: Education, Work (2 records)" in blocks[3] and "Teamwork: Work, Service and volunteering (2 records)" in blocks[3]
    data = json.loads(run("journey", "--json").stdout)
    assert [line["line"] for line in data["lines"]] == ["education", "work", "service"]
    assert [s["id"] for s in data["stations"]] == [ids["degree"], ids["job"], ids["volunteer"]]  # by start date
    job = data["stations"][1]
    assert (job["attestation"], job["line"], job["date"], job["end"], job["interchange"]) == ("self", "work", "2019-09-01", "2023-12-31", True)
    assert sorted(job["skills"]) == ["Python", "Teamwork"]
    assert {i["skill"]: i["lines"] for i in data["interchanges"]} == {"Python": ["education", "work"], "Teamwork": ["work", "service"]}
    assert (data["start"], data["end"], data["written"]) == ("2016-09-01", "2023-12-31", [])


def test_empty_wallet(isolated_home):
    new_wallet(isolated_home).close()
    r = run("journey")
    assert r.exit_code == 0 and "No records yet" in r.stderr
    out = isolated_home.parent / "empty.html"
    assert run("journey", "--html", str(out)).exit_code == 0
    assert 'data-stations="0"' in out.read_text()


def test_files_written_atomically_and_bad_paths_refused(isolated_home, tmp_path):
    _three(isolated_home)
    html, svg = tmp_path / "j.html", tmp_path / "j.svg"
    r = run("journey", "--html", str(html), "--svg", str(svg), "--json")
    assert r.exit_code == 0, r.stderr
    written = json.loads(r.stdout)["written"]
    assert [w["format"] for w in written] == ["html", "svg"] and written[0]["bytes"] == html.stat().st_size
    assert stat.S_IMODE(html.stat().st_mode) == 0o600 and stat.S_IMODE(svg.stat().st_mode) == 0o600
    root = ET.fromstring(svg.read_text())  # well-formed XML, an SVG root with its title and description
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == ns + "svg" and root.find(ns + "title") is not None and root.find(ns + "desc") is not None
    assert len(root.findall(f".//{ns}g[@class='station']")) == 3
    # an existing file needs --force; nothing else is changed
    before = html.read_bytes()
    r = run("journey", "--html", str(html))
    assert r.exit_code == 2 and r.stderr.splitlines()[0] == f"lerwallet: error: {html} already exists"
    assert html.read_bytes() == before
    assert run("journey", "--html", str(html), "--force").exit_code == 0
    # a folder that does not exist: refused before the passphrase is asked
    missing = tmp_path / "no" / "such" / "j.html"
    from typer.testing import CliRunner
    from lerwallet.cli.app import app
    r = CliRunner().invoke(app, ["journey", "--html", str(missing)], catch_exceptions=False)
    assert r.exit_code == 2 and r.stderr.startswith(f"lerwallet: error: cannot create {missing}")
    assert "passphrase" not in r.stderr.lower() and not missing.parent.exists()
    r = run("journey", "--html", str(tmp_path / "same"), "--svg", str(tmp_path / "same"))
    assert r.exit_code == 2 and "--html and --svg name the same file" in r.stderr
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left behind


def test_hostile_text_is_escaped(isolated_home, tmp_path):
    def make(w, me, iss):
        return {"x": issued(iss, me, '<script>alert(1)</script>\u0007 & "quotes"', number=9, date="2024-01-01T00:00:00Z",
                            tags=["</text><script>x</script>"])}
    wallet_with(isolated_home, make)
    html, svg = tmp_path / "h.html", tmp_path / "h.svg"
    assert run("journey", "--html", str(html), "--svg", str(svg)).exit_code == 0
    page = html.read_text()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<script") == 1  # the page's own script, nothing else
    assert "\u0007" not in page and "</script><script>x" not in page
    ET.fromstring(svg.read_text())  # still well-formed


# --- in the browser ---------------------------------------------------------------------------

needs_chromium = pytest.mark.skipif(find_chromium() is None, reason="no headless Chromium installed")

KINDS = ["Course", "ext:WorkExperience", "CommunityService", "Badge", "BachelorDegree", "Certification", "ext:Volunteer"]
SKILLS = ["Python", "SQL", "Teamwork", "Leadership", "First aid", "Data analysis", "Public speaking", "Java"]


def _big(home, n: int) -> None:
    """A wallet of `n` records: signed credentials from a college and the learner's own records,
    over twenty years, some in bursts on the same day (the hardest case for labels)."""
    w = new_wallet(home)
    try:
        me = identity.default_holder(w).did
        iss = Issuer()
        for i in range(n):
            year = 2005 + (i * 7) % 20
            day = "01" if i % 5 == 0 else f"{1 + i % 27:02d}"
            kw = dict(number=100 + i, date=f"{year}-{1 + i % 12:02d}-{day}T00:00:00Z", achievement_type=KINDS[i % len(KINDS)],
                      tags=[SKILLS[i % len(SKILLS)], SKILLS[(i * 3 + 1) % len(SKILLS)]])
            title = f"Record {i}: " + "a long and winding title that must be cut " * (i % 3)
            doc = self_signed(w, title, **kw) if i % 4 == 0 else issued(iss, me, title, **kw)
            add(w, doc, f"r{i}.json")
    finally:
        w.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    if find_chromium() is None:
        pytest.skip("no headless Chromium installed")
    from typer.testing import CliRunner
    from lerwallet.cli.app import app

    out = {}
    for n in (3, 150):
        base = tmp_path_factory.mktemp(f"journey{n}")
        home = base / "wallet"
        _three(home) if n == 3 else _big(home, n)
        html, svg = base / "j.html", base / "j.svg"
        r = CliRunner().invoke(app, ["--home", str(home), "journey", "--html", str(html), "--svg", str(svg), "--json"],
                               env={"LERWALLET_PASSPHRASE": "correct horse battery"}, catch_exceptions=False)
        assert r.exit_code == 0, r.stderr
        out[n] = (html, svg, json.loads(r.stdout))
    return out


MEASURE = """(() => {
  const svg = document.querySelector('svg.journey');
  const box = svg.getBoundingClientRect();
  const labels = [...document.querySelectorAll('.journey .station .label-box')].map(g => {
    const r = g.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; });
  return {
    stations: document.querySelectorAll('.journey .station').length,
    focusable: [...document.querySelectorAll('.journey .station')].filter(g => g.tabIndex === 0 && g.getAttribute('aria-label')).length,
    lines: [...document.querySelectorAll('.journey line.line')].map(l => l.dataset.line),
    interchanges: document.querySelectorAll('.journey .station[data-interchange="true"]').length,
    connectors: document.querySelectorAll('.journey .connector').length,
    legend: [...document.querySelectorAll('.journey .legend-line')].map(g => g.dataset.line),
    svg: [box.left, box.top, box.right, box.bottom],
    labels: labels,
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
    title: svg.querySelector('title') && svg.querySelector('title').textContent,
    desc: svg.querySelector('desc') && svg.querySelector('desc').textContent,
    fonts: [...document.fonts].length,
  };
})()"""


def _overlaps(boxes):
    boxes = sorted(boxes, key=lambda b: b[1])
    bad = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if b[1] >= a[3]:
                break
            if a[0] < b[2] and b[0] < a[2]:
                bad.append((a, b))
    return bad


@needs_chromium
@pytest.mark.parametrize("n", [3, 150])
@pytest.mark.parametrize("width", [375, 1280])
def test_map_renders_legibly_offline(pages, n, width):
    html, svg, data = pages[n]
    with Chromium() as browser:
        browser.viewport(width, 800, mobile=width < 600)
        browser.load(html.as_uri())
        got = browser.eval(MEASURE)
        fetched = [u for u in browser.requests() if u != html.as_uri()]
        console = browser.console()
    assert fetched == [] and console == []  # nothing loaded, no CSP violation, no script error
    assert got["stations"] == got["focusable"] == n == len(data["stations"])
    assert got["lines"] == [line["line"] for line in data["lines"]] == got["legend"]
    expected = sum(1 for s in data["stations"] if s["interchange"])
    assert got["interchanges"] == expected and (expected > 0 if n > 3 else expected == 3)
    assert got["connectors"] > 0
    assert len(got["labels"]) == n and _overlaps(got["labels"]) == []
    left, top, right, bottom = got["svg"]
    assert all(b[0] >= left - 0.5 and b[2] <= right + 0.5 for b in got["labels"])  # no label spills out of the map
    assert got["scrollWidth"] <= got["innerWidth"]  # no sideways scrolling on a phone
    assert 300 <= right - left <= width
    heights = [b[3] - b[1] for b in got["labels"]]
    scale = (right - left) / 400
    assert min(heights) * 1 >= 22 * scale * 0.9  # two lines of text per station, at the map's scale
    assert got["title"] and f"{n} records" in got["desc"]


@needs_chromium
def test_map_works_with_the_keyboard_and_says_so_to_screen_readers(pages):
    html, svg, data = pages[3]
    first = data["stations"][0]
    with Chromium() as browser:
        browser.viewport(1280, 900)
        browser.load(html.as_uri())
        browser.key("Tab", keycode=9)
        focused = browser.eval("document.activeElement.id")
        cards = browser.eval("document.querySelectorAll('.journey .detail').length")  # the panel instead
        panel = browser.eval("document.getElementById('details').textContent")
        live = browser.eval("document.getElementById('details').getAttribute('aria-live')")
        browser.key("ArrowDown", keycode=40)
        second = browser.eval("document.activeElement.id")
        browser.key("Enter", keycode=13)
        pressed = browser.eval("document.activeElement.getAttribute('aria-pressed')")
        label = browser.eval("document.activeElement.getAttribute('aria-label')")
        role = browser.eval("document.activeElement.getAttribute('role')")
        svg_role = browser.eval("document.querySelector('svg.journey').getAttribute('aria-labelledby')")
        console = browser.console()
    assert focused == "st-0" and cards == 0  # focus shows the station's details in the panel
    assert first["title"] in panel and "verified" in panel and live == "polite"
    assert second == "st-1" and pressed == "true" and role == "button"
    assert data["stations"][1]["title"] in label and "self-attested" in label and "Work line" in label
    assert svg_role == "journey-title journey-desc" and console == []


@needs_chromium
def test_the_svg_alone_shows_details_on_focus(pages):
    html, svg, data = pages[3]
    with Chromium() as browser:
        browser.viewport(800, 900)
        browser.load(svg.as_uri())
        before = browser.eval("getComputedStyle(document.getElementById('dt-2')).display")
        browser.eval("document.getElementById('st-2').focus()")
        after = browser.eval("getComputedStyle(document.getElementById('dt-2')).display")
        text = browser.eval("document.getElementById('dt-2').textContent")
        fetched = [u for u in browser.requests() if u != svg.as_uri()]
    assert (before, after) == ("none", "inline") and data["stations"][2]["title"] in text
    assert fetched == []


@needs_chromium
def test_a_page_that_tries_to_fetch_is_caught(tmp_path):
    """The checks above can fail: a page loading an image is seen (the request is recorded)."""
    page = tmp_path / "bad.html"
    page.write_text('<!doctype html><img src="https://example.com/x.png"><p>hi</p>')
    with Chromium() as browser:
        browser.load(page.as_uri())
        browser.eval("1")
        fetched = [u for u in browser.requests() if u != page.as_uri()]
    assert fetched == ["https://example.com/x.png"]


def test_records_made_with_add_and_edit(isolated_home):
    """`lerwallet add` records are self-attested stations on their line, and `edit` leaves one:
    the superseded version is left out of the journey and of skills, as `list` leaves it out."""
    wallet_with(isolated_home, lambda w, me, iss: {"degree": issued(
        iss, me, "BSc Computer Science", number=1, date="2019-07-01T00:00:00Z", achievement_type="BachelorDegree",
        alignments=[align("Problem-solving", "ESCO", "esco-ps")])})
    r = run("add", "work", "--title", "Data engineer", "--org", "Acme GmbH", "--from", "2021-03", "--to", "2023-12",
            "--skill", "Problem Solving", "--skill", "Data modelling")
    assert r.exit_code == 0, r.stderr
    first = next(row["id"] for row in json.loads(run("list", "--json").stdout) if row["title"] == "Data engineer")
    assert run("edit", first, "--to", "2024-06").exit_code == 0
    data = json.loads(run("journey", "--json").stdout)
    work = [s for s in data["stations"] if s["line"] == "work"]
    assert len(data["stations"]) == 2 and len(work) == 1 and work[0]["id"] != first
    assert (work[0]["date"], work[0]["end"], work[0]["attestation"], work[0]["interchange"]) == ("2021-03-01", "2024-06-01", "self", True)
    found = {s["name"]: s for s in json.loads(run("skills", "--json").stdout)}
    assert (found["Problem-solving"]["issuer_verified"], found["Problem-solving"]["self_attested"]) == (1, 1)
    assert [c["id"] for c in found["Data modelling"]["credentials"]] == [work[0]["id"]]
    text = run("journey").stdout
    assert "WORK (1)" in text and "2021-03 \u2013 2024-06" in text and "\u25c7 self-attested" in text


def test_long_texts_and_many_skills_stay_bounded(isolated_home, tmp_path):
    def make(w, me, iss):
        return {"x": issued(iss, me, "T" * 5000, number=9, date="2024-01-01T00:00:00Z",
                            tags=[f"skill number {i}" for i in range(400)])}
    wallet_with(isolated_home, make)
    svg = tmp_path / "h.svg"
    assert run("journey", "--svg", str(svg)).exit_code == 0
    root = ET.fromstring(svg.read_text())
    station = root.find(".//{http://www.w3.org/2000/svg}g[@class='station']")
    assert len(station.get("aria-label")) < 700 and len(station.get("data-title")) == 300
    assert svg.stat().st_size < 30_000
