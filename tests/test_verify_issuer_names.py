"""Names an issuer gives itself are shown as self-asserted; a registry's name replaces them.

(Regression tests from verification review review2; each fails on the code before its fix.)"""

from __future__ import annotations

import json

from tests.verify_helpers import Party
from tests.verify_jwt_helpers import _verify, issuer  # noqa: F401 - fixtures


# --- 5: names an issuer gives itself are not shown as verified ---------------------------------

def _endorsed_badge(issuer: Party, endorser: Party) -> dict:
    from tests.verify_helpers import OB3, V2, badge

    endorsement = endorser.sign({
        "@context": [V2, OB3], "id": "urn:uuid:0f1b2c3d-1111-2222-3333-444455556666",
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "issuer": {"id": endorser.did, "type": ["Profile"], "name": "Harvard University"},
        "validFrom": "2024-01-01T00:00:00Z", "name": "Endorsed",
        "credentialSubject": {"id": "https://example.edu/achievements/1", "type": ["EndorsementSubject"], "endorsementComment": "good"},
    })
    doc = badge(issuer)
    doc["issuer"]["name"] = "MIT"
    doc["credentialSubject"]["achievement"]["endorsement"] = [endorsement]
    return issuer.sign(doc)


def _trust(tmp_path, **names) -> list:
    path = tmp_path / "trust.json"
    path.write_text(json.dumps({"name": "State Registry", "allow": {did: {"name": name} for did, name in names.items()}}))
    return [path]


def test_self_asserted_issuer_name_is_marked(issuer):
    cred = _verify(_endorsed_badge(issuer, Party())).credentials[0]
    assert cred.summary["issuer_label"] == "MIT (self-asserted)"
    check = cred.check("endorsements")
    assert check.outcome == "warn" and "unknown issuers" in check.reason and "Harvard" not in check.reason


def test_registry_name_replaces_the_asserted_one(tmp_path, issuer):
    endorser = Party()
    trust = _trust(tmp_path, **{issuer.did: "Acme Bootcamp", endorser.did: "Real Accreditor"})
    cred = _verify(_endorsed_badge(issuer, endorser), trust_files=trust).credentials[0]
    assert cred.summary["issuer_label"] == "Acme Bootcamp (registry: State Registry)"
    check = cred.check("endorsements")
    assert check.outcome == "pass" and "Real Accreditor (registry: State Registry)" in check.reason
    assert "Harvard" not in check.reason


def test_terminal_and_html_show_the_label(tmp_path, issuer):
    from typer.testing import CliRunner

    from lerwallet.cli.app import app

    path = tmp_path / "vc.json"
    path.write_text(json.dumps(_endorsed_badge(issuer, Party())))
    html = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["verify", "--at", "2024-06-01T00:00:00Z", "--html", str(html), str(path)])
    assert "MIT (self-asserted)" in result.output
    assert "MIT (self-asserted)" in html.read_text()
