"""The verdict leads each panel, counts in the last line; the HTML summary, options and dates.

(Regression tests from verification review review2b; each fails on the code before its fix.)"""

from __future__ import annotations

import json

from tests.verify_helpers import write
from tests.verify_regression_helpers import _forged, cli, issuer, signed  # noqa: F401 - fixtures


# --- 8: the verdict leads each panel; counts in the last line; HTML summary, options, dates -------

def test_terminal_verdict_first_and_counts(tmp_path, signed):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / ("a-very-long-file-name-" * 6 + ".json"), signed)
    write(folder / "bad.json", _forged(signed))
    result = cli("verify", str(folder), "--details", env={"COLUMNS": "80"})  # the panels after the summary table
    assert result.exit_code == 1
    tops = [line for line in result.stdout.splitlines() if line.startswith("╭")]
    assert [t.split()[1:3] for t in tops] == [["VERIFIED", "Welding"], ["NOT", "VERIFIED"]]
    last = " ".join(result.stdout.split("\n")[-4:]).split()
    assert "1 valid / 1 invalid / 0 inconclusive;" in " ".join(last)


def test_html_summary_options_and_judged_as_of(tmp_path, signed, issuer):
    cred = write(tmp_path / "c.json", signed)
    trust = write(tmp_path / "t.json", json.dumps({"allow": [issuer.did]}))
    html = tmp_path / "r.html"
    result = cli("verify", str(cred), "--at", "2030-01-01T00:00:00Z", "--trust", str(trust), "--challenge", "n-42",
                 "--html", str(html))
    page = html.read_text()
    assert result.exit_code == 1  # --challenge on a bare credential fails (presentation_expected)
    assert "exit code" not in page
    assert page.index('id="summary"') < page.index("<h2>Details</h2>")
    assert "Judged as of 2030-01-01T00:00:00Z (--at), run at " in page and "Checked at 2030" not in page
    assert "n-42" in page and str(trust) in page and "0 valid / 1 invalid / 0 inconclusive" in page
    as_json = json.loads(cli("verify", str(cred), "--at", "2030-01-01T00:00:00Z", "--json").stdout)
    assert as_json["checkedAt"] == "2030-01-01T00:00:00Z" and as_json["runAt"] < "2030"
    assert as_json["credentialCounts"] == {"valid": 1, "invalid": 0, "inconclusive": 0, "unreadable": 0}
