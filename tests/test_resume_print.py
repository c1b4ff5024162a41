"""The HTML résumé prints on one page of A4 and of US Letter (headless Chromium's own PDF
printer, pages counted in the PDF), fetches nothing while it loads, and logs nothing. A résumé too
long for one page is counted as more, so the count can fail. Skips only without Chromium."""

from __future__ import annotations

import base64
import json
import re

import pytest

from browser import Chromium, find_chromium
from test_resume import run, wallet  # noqa: F401 - the wallet fixture: 5 records, 2 self-attested

pytestmark = pytest.mark.skipif(find_chromium() is None, reason="no Chromium installed")
PAPERS = {"a4": (8.27, 11.69), "letter": (8.5, 11.0)}


def _pages(browser, path, paper: str) -> int:
    browser.load(path.as_uri())
    width, height = PAPERS[paper]
    data = browser.call("Page.printToPDF", {"paperWidth": width, "paperHeight": height}, session=True)["data"]
    return len(re.findall(rb"/Type\s*/Page\b", base64.b64decode(data)))


def test_one_page_on_a4_and_letter_and_nothing_fetched(wallet):  # noqa: F811
    out = wallet["tmp"] / "resume.html"
    result = run("export", "resume", "-f", "html", "--name", "Ada Lovelace", "--headline", "Data analyst",
                 "--email", "ada@example.com", "--out", out, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["qr"]["content"] == "presentation"
    with Chromium() as browser:
        assert _pages(browser, out, "a4") == 1
        assert _pages(browser, out, "letter") == 1
        assert set(browser.requests()) == {out.as_uri()}  # loaded twice (once per paper), nothing else
        assert browser.console() == []
        # the page as printed: the QR code is drawn at its stated size, entries marked
        qr_mm = json.loads(result.stdout)["qr"]["size_mm"]
        box = browser.eval("(() => { const r = document.querySelector('figure.qr svg').getBoundingClientRect();"
                           " return [r.width, r.height]; })()")
        assert [round(v / 96 * 25.4) for v in box] == [qr_mm, qr_mm]
        assert browser.eval("document.querySelectorAll('.mark.self').length") == 2
        assert browser.eval("document.querySelectorAll('.mark.verified').length") == 3

        long_page = wallet["tmp"] / "long.html"
        page = out.read_text()
        entries = re.findall(r'<li class="entry".*?</li>', page, re.S)
        long_page.write_text(page.replace(entries[0], entries[0] * 40))  # a record of 44 entries
        assert _pages(browser, long_page, "a4") >= 2
