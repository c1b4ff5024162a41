"""`lerwallet export resume`: a real wallet, credentials signed here (issuer-attested badges and the
learner's own self-attested records), the three formats validated against the bundled schemas,
the HTML page's QR code decoded by zxing-cpp and verified by `lerwallet verify`, and bad input
refused with nothing written."""

from __future__ import annotations

import base64
import copy
import json
import random
import re
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from typer.testing import CliRunner

from lerwallet.cli.app import app
from lerwallet.proofs import sign
from lerwallet.qr import payload
from lerwallet.qr.svgraster import rasterize

from present_helpers import OB3, V2, Issuer, badge

PW = "resume pass"
SCHEMAS = Path(__file__).resolve().parents[1] / "src" / "lerwallet" / "resume" / "schemas"


def run(*args, input=None):
    result = CliRunner().invoke(app, list(map(str, args)), env={"LERWALLET_PASSPHRASE": PW}, input=input,
                                catch_exceptions=False)
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    return result


TYPES = {"work": "ext:WorkExperience", "volunteer": "CommunityService", "project": "ext:Project"}


def own_record(wallet_home: Path, did: str, *, kind: str, title: str, org: str, start: str, end: str | None = None,
               role: str | None = None, skill: str | None = None, number: int = 50) -> dict:
    """A self-attested record shaped as `lerwallet add` makes it (lerwallet.record.build: an OB 3.0
    AchievementCredential issued by the learner's own DID about the learner, the organisation as
    the achievement's creator, skills as tags and alignments), signed with the learner's key."""
    from lerwallet import identity
    from lerwallet.store import Wallet

    with Wallet.open(wallet_home, PW.encode()) as w:
        key_type, private, vm = identity.signing_key(w, identity.default_holder(w))
    achievement = {"id": f"urn:uuid:6c1d4f9e-2b7a-4c55-9e0d-{number:012d}", "type": ["Achievement"],
                   "achievementType": TYPES[kind], "name": title,
                   "description": f"{title} at {org}.", "criteria": {"narrative": "Self-reported."},
                   "creator": {"id": f"urn:uuid:9a0e3f1c-7b2d-4e8f-a1b2-{number:012d}", "type": ["Profile"], "name": org,
                               "address": {"type": ["Address"], "addressLocality": "Leeds"}}}
    if skill:
        achievement["tag"] = [skill]
        achievement["alignment"] = [{"type": ["Alignment"], "targetName": skill, "targetFramework": "ESCO",
                                     "targetCode": "S1.2.3", "targetUrl": f"https://skills.example/{skill.lower()}"}]
    subject = {"id": did, "type": ["AchievementSubject"], "achievement": achievement,
               "activityStartDate": f"{start}T00:00:00Z"}
    if end:
        subject["activityEndDate"] = f"{end}T00:00:00Z"
    if role:
        subject["role"] = role
    doc = {"@context": [V2, OB3], "id": f"urn:uuid:0b6f7a3c-1d2e-4f50-8a9b-{number:012d}",
           "type": ["VerifiableCredential", "AchievementCredential"],
           "issuer": {"id": did, "type": ["Profile"], "name": "Me"}, "validFrom": "2025-01-01T00:00:00Z",
           "name": title, "credentialSubject": subject}
    return sign(copy.deepcopy(doc), suite="eddsa-rdfc-2022", key_type=key_type, private_key=private,
                verification_method=vm, created="2025-01-01T00:00:00Z")


@pytest.fixture
def wallet(isolated_home, tmp_path):
    """Two issuer-attested badges, one degree, and two self-attested records (work, volunteer)."""
    assert run("init").exit_code == 0
    did = json.loads(run("did", "list", "--json").stdout)[0]["did"]
    iss = Issuer()
    docs = [badge(iss, did, name="Python basics", skill="Python", number=1),
            badge(iss, did, name="SQL queries", skill="SQL", number=2)]
    degree = badge(iss, did, name="BSc Computing", number=3)
    degree = {k: v for k, v in degree.items() if k != "proof"}
    degree["credentialSubject"]["achievement"]["achievementType"] = "BachelorDegree"
    docs.append(iss.sign(degree))
    docs.append(own_record(isolated_home, did, kind="work", title="Data analyst", org="Acme Corp", start="2023-02-01",
                           end="2024-06-30", role="Analyst", skill="Python", number=1))
    docs.append(own_record(isolated_home, did, kind="volunteer", title="Code club mentor", org="Town Library",
                           start="2022-09-01", number=2))
    files = []
    for i, doc in enumerate(docs):
        f = tmp_path / f"c{i}.json"
        f.write_text(json.dumps(doc))
        files.append(str(f))
    imported = run("import", *files)
    assert imported.exit_code == 0, imported.stderr
    listing = json.loads(run("list", "--json").stdout)
    assert len(listing) == 5 and all(r["status"] == "verified" for r in listing)
    return {"did": did, "tmp": tmp_path, "home": isolated_home, "issuer": iss, "ids": {r["title"]: r["id"] for r in listing}}


def _history():
    return json.loads(run("shared", "--json").stdout)


# -- LER-RS ----------------------------------------------------------------------------------------

def test_ler_rs_carries_every_credential_and_validates(wallet):
    out = wallet["tmp"] / "resume.json"
    result = run("export", "resume", "--format", "ler-rs", "--name", "Ada Lovelace", "--email", "ada@example.com",
                 "--out", out, "--json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["sections"] == {"work": 1, "volunteer": 1, "education": 1, "certificates": 2}
    assert summary["self_attested"] == 2 and summary["verified"] == 3 and summary["history"] is None
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    doc = json.loads(out.read_text())
    assert doc["type"] == "http://schema.hropenstandards.org/4.4/recruiting/json/ler-rs/LER-RSType.json"
    assert doc["person"]["name"]["formattedName"] == "Ada Lovelace"
    # validated here again, with jsonschema directly against the bundled catalog (not our helper)
    from jsonschema import Draft4Validator
    from referencing import Registry, Resource

    root = SCHEMAS / "ler-rs" / "www.hropenstandards.org"
    reg = Registry().with_resources(
        ("https://h.example/" + p.relative_to(root).as_posix(),
         Resource.from_contents({k: v for k, v in json.loads(p.read_text()).items() if k != "$id"}))
        for p in root.rglob("*.json"))
    v = Draft4Validator({"$ref": "https://h.example/recruiting/json/LER-RSType.json"}, registry=reg)
    assert list(v.iter_errors(doc)) == []
    for section, schema in (("employmentHistories", "VerifiableEmploymentHistoryType"),
                            ("educationAndLearnings", "VerifiableEducationAttendanceType"),
                            ("certifications", "VerifiableCertificationType")):
        sv = Draft4Validator({"$ref": f"https://h.example/recruiting/json/ler-rs/{schema}.json"}, registry=reg)
        for entry in doc[section]:
            assert list(sv.iter_errors({"verifications": entry["verifications"]})) == []
    # employment: the organisation named in the record, Volunteering vs Employment
    jobs = {e["organization"]["name"]: e for e in doc["employmentHistories"]}
    assert set(jobs) == {"Acme Corp", "Town Library"}
    assert jobs["Acme Corp"]["positionHistories"][0]["title"] == "Analyst"
    assert jobs["Acme Corp"]["positionHistories"][0]["workRelationshipTypeCode"] == "Employment"
    assert jobs["Acme Corp"]["start"] == "2023-02-01" and jobs["Acme Corp"]["end"] == "2024-06-30"
    assert jobs["Acme Corp"]["positionHistories"][0]["location"] == {"name": "Leeds"}
    assert jobs["Town Library"]["positionHistories"][0]["workRelationshipTypeCode"] == "Volunteering"
    assert jobs["Town Library"]["current"] is True
    assert any("Self-attested" in d for d in jobs["Acme Corp"]["positionHistories"][0]["descriptions"])
    assert doc["educationAndLearnings"][0]["programs"] == ["BSc Computing"]
    assert {c["name"] for c in doc["certifications"]} == {"Python basics", "SQL queries"}
    assert all(c["issuingAuthority"]["name"] == "Example College" for c in doc["certifications"])
    # skills merged across an issued badge and a self-attested record, referencing both credentials
    skills = {s["name"]: s for s in doc["skills"]}
    assert set(skills) == {"Python", "SQL"}
    refs = {v["Verification"]["reference"] for v in skills["Python"]["verifications"]}
    assert refs == {"urn:uuid:2f8c7a8e-4a43-4f9e-9f9b-0d6c1f0a1b01", "urn:uuid:0b6f7a3c-1d2e-4f50-8a9b-000000000001"}


def test_each_embedded_credential_verifies(wallet):
    """An employer takes each credential out of the LER-RS document and verifies it: the issued
    ones as verified, the self-attested ones as signed by their own subject."""
    out = wallet["tmp"] / "resume.json"
    assert run("export", "resume", "--out", out).exit_code == 0
    doc = json.loads(out.read_text())
    creds = [v["otherW3CVerifiableCredential"] for section in ("employmentHistories", "educationAndLearnings", "certifications")
             for e in doc[section] for v in e["verifications"]]
    assert len(creds) == 5
    for i, cred in enumerate(creds):
        f = wallet["tmp"] / f"out{i}.json"
        f.write_text(json.dumps(cred))
        check = run("verify", f, "--json")
        assert check.exit_code == 0, check.stdout
        report = json.loads(check.stdout)
        assert report["verdict"] == "valid"
    tampered = copy.deepcopy(creds[0])
    tampered["credentialSubject"]["achievement"]["name"] = "Chief Data Officer"
    f = wallet["tmp"] / "tampered.json"
    f.write_text(json.dumps(tampered))
    assert run("verify", f, "--json").exit_code == 1


def test_ler_rs_awards_become_narratives_with_attachments(wallet):
    iss = wallet["issuer"]
    award = badge(iss, wallet["did"], name="Best poster", number=9)
    award = {k: v for k, v in award.items() if k != "proof"}
    award["credentialSubject"]["achievement"]["achievementType"] = "Award"
    f = wallet["tmp"] / "award.json"
    f.write_text(json.dumps(iss.sign(award)))
    assert run("import", f).exit_code == 0
    out = wallet["tmp"] / "r.json"
    assert run("export", "resume", "--kind", "OpenBadgeCredential", "--issuer", "Example College", "--out", out).exit_code == 0
    doc = json.loads(out.read_text())
    (narrative,) = doc["narratives"]
    assert narrative["name"] == "Awards"
    (text,) = narrative["texts"]
    ref = text["refScheme"]["reference"]
    (attachment,) = doc["attachments"]
    assert attachment["id"]["value"] == ref
    embedded = json.loads(base64.b64decode(attachment["content"]["value"]))
    assert embedded["id"] == ref and embedded["credentialSubject"]["achievement"]["name"] == "Best poster"
    assert "employmentHistories" not in doc  # --issuer chose the college's credentials only


def test_ler_rs_refused_when_invalid(wallet):
    """A record whose dates are not dates (month 13) makes a document LER-RS does not accept:
    refused with the schema's reason, nothing written."""
    doc = own_record(wallet["home"], wallet["did"], kind="work", title="Odd dates", org="Lab",
                     start="2024-13-45", number=3)
    f = wallet["tmp"] / "odd.json"
    f.write_text(json.dumps(doc))
    imported = run("import", f, "--json")
    assert imported.exit_code == 0, imported.stdout
    out = wallet["tmp"] / "bad.json"
    result = run("export", "resume", "--out", out)
    assert result.exit_code == 1
    assert result.stderr.startswith("lerwallet: error: the LER-RS document would not validate: /employmentHistories/0"), \
        result.stderr
    assert len(result.stderr.strip().splitlines()) == 2  # error + hint
    assert not out.exists() and list(wallet["tmp"].glob(".bad.json*")) == []


# -- JSON Resume -----------------------------------------------------------------------------------

def test_json_resume_validates_and_labels_self_attested(wallet):
    out = wallet["tmp"] / "resume.json"
    result = run("export", "resume", "-f", "json", "--name", "Ada Lovelace", "--headline", "Data analyst", "--out", out)
    assert result.exit_code == 0, result.stderr
    doc = json.loads(out.read_text())
    from jsonschema import Draft7Validator, FormatChecker

    schema = json.loads((SCHEMAS / "jsonresume" / "schema.json").read_text())
    assert list(Draft7Validator(schema, format_checker=FormatChecker()).iter_errors(doc)) == []
    assert doc["basics"]["name"] == "Ada Lovelace" and doc["basics"]["label"] == "Data analyst"
    assert doc["basics"]["profiles"] == [{"network": "DID", "username": wallet["did"]}]
    (job,) = doc["work"]
    assert job["name"] == "Acme Corp" and job["position"] == "Analyst" and job["startDate"] == "2023-02-01"
    assert job["x-lerwallet"]["self_attested"] is True and job["x-lerwallet"]["attestation"] == "self-attested"
    assert doc["volunteer"][0]["organization"] == "Town Library"
    assert doc["education"][0]["area"] == "BSc Computing" and doc["education"][0]["studyType"] == "bachelordegree"
    certs = {c["name"]: c for c in doc["certificates"]}
    assert certs["Python basics"]["issuer"] == "Example College"
    assert certs["Python basics"]["x-lerwallet"]["attestation"] == "verified"
    skills = {s["name"]: s for s in doc["skills"]}
    assert skills["Python"]["x-lerwallet"] == {"credentials": 2, "verified": True, "self_attested_only": False}


def test_json_resume_bad_email_refused_before_the_wallet(wallet):
    out = wallet["tmp"] / "r.json"
    result = run("export", "resume", "-f", "json", "--email", "not-an-address", "--out", out)
    assert result.exit_code == 2 and "is not an email address" in result.stderr
    assert not out.exists()


# -- HTML ------------------------------------------------------------------------------------------

def _qr_from_html(page: str, tmp: Path) -> tuple[bytes, Path]:
    svg = re.search(r"<svg .*?</svg>", page, re.S).group(0)
    path = tmp / "qr-from-page.svg"
    path.write_text(svg)
    pixels, width, height = rasterize(svg.encode())
    image = Image.frombytes("L", (width, height), bytes(pixels))
    (content,) = {bytes(c.bytes) for c in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)}
    return content, path


def test_html_qr_is_a_signed_presentation_that_verifies(wallet):
    out = wallet["tmp"] / "resume.html"
    result = run("export", "resume", "--format", "html", "--name", "Ada Lovelace", "--paper", "a4", "--out", out, "--json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["qr"]["content"] == "presentation" and len(summary["qr"]["credentials"]) == 3
    page = out.read_text()
    # self-contained: nothing fetched (no src/href/url()/@import), a print size, marks per entry
    assert not re.search(r"\b(src|href)\s*=|url\(|@import", page)
    assert "size: A4;" in page and "@media print" in page
    assert page.count("&#10003; VERIFIED") == 3 and page.count(">SELF-ATTESTED<") == 2
    content, svg_path = _qr_from_html(page, wallet["tmp"])
    vp = json.loads(payload.assemble([payload.parse(content)]))
    assert vp["holder"] == wallet["did"] and len(vp["verifiableCredential"]) == 3
    assert all(c["issuer"]["id"] != wallet["did"] for c in vp["verifiableCredential"])  # no self-attested record
    check = run("verify", svg_path, "--challenge", vp["proof"]["challenge"], "--json")
    assert check.exit_code == 0, check.stdout
    assert json.loads(check.stdout)["verdict"] == "valid"
    (entry,) = _history()
    assert entry["outputs"] == [{"form": "resume-html", "path": str(out.resolve())}]
    assert summary["history"] == entry["n"]


def test_html_falls_back_to_the_link_when_the_presentation_does_not_fit(wallet):
    iss = wallet["issuer"]
    big = "data:image/png;base64," + base64.b64encode(random.Random(3).randbytes(30_000)).decode()  # incompressible
    f = wallet["tmp"] / "big.json"
    f.write_text(json.dumps(badge(iss, wallet["did"], name="Portfolio", number=7, image=big)))
    assert run("import", f).exit_code == 0
    out = wallet["tmp"] / "resume.html"
    link = "https://ada.example/resume"
    result = run("export", "resume", "-f", "html", "--link", link, "--out", out)
    assert result.exit_code == 0, result.stderr
    assert "does not fit in one printable QR code" in result.stderr
    content, _ = _qr_from_html(out.read_text(), wallet["tmp"])
    assert content == link.encode()
    assert _history() == []  # nothing was shared


def test_html_without_link_or_presentation_has_no_qr(wallet):
    out = wallet["tmp"] / "resume.html"
    result = run("export", "resume", "-f", "html", "--issuer", wallet["did"], "--out", out, "--json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["qr"] is None and summary["self_attested"] == 2
    assert "<svg" not in out.read_text()
    assert "no issuer-attested, verified entry" in result.stderr


# -- choosing and bad input -----------------------------------------------------------------------

def test_selectors_are_presents(wallet):
    out = wallet["tmp"] / "r.json"
    result = run("export", "resume", "--skill", "sql", "-f", "json", "--out", out, "--json")
    assert result.exit_code == 0
    assert [e["title"] for e in json.loads(result.stdout)["entries"]] == ["SQL queries"]
    python_id = wallet["ids"]["Python basics"]
    result = run("export", "resume", python_id[:8], "-f", "json", "--out", out, "--force", "--json")
    assert [e["title"] for e in json.loads(result.stdout)["entries"]] == ["Python basics"]


def test_no_match_exits_1_and_writes_nothing(wallet):
    out = wallet["tmp"] / "r.json"
    result = run("export", "resume", "--skill", "cobol", "--out", out)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "lerwallet: error: no credential matches --skill cobol"
    assert not out.exists() and [p.name for p in wallet["tmp"].iterdir() if p.name.startswith(".r.json")] == []


def test_unwritable_out_and_existing_file(wallet):
    result = run("export", "resume", "--out", wallet["tmp"] / "missing" / "r.json")
    assert result.exit_code == 2 and "cannot create" in result.stderr
    existing = wallet["tmp"] / "exists.json"
    existing.write_text("keep")
    result = run("export", "resume", "--out", existing)
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert existing.read_text() == "keep"


def test_usage_errors(wallet):
    out = wallet["tmp"] / "r.html"
    for args, message in (
        (["--format", "pdf", "--out", out], "unknown résumé format 'pdf'"),
        (["--link", "javascript:alert(1)", "-f", "html", "--out", out], "--link must be an http(s) URL"),
        (["--link", "https://x.example", "--out", out], "--link goes into the HTML page's QR code"),
        (["-f", "html"], "say where the résumé goes"),
        (["--status", "shiny", "--out", out], "unknown status 'shiny'"),
        (["--out", "-", "--json"], "--json and --out - both write to standard output"),
    ):
        result = run("export", "resume", *args)
        assert result.exit_code == 2, args
        assert result.stderr.splitlines()[0].startswith(f"lerwallet: error: {message}"), result.stderr
        assert not out.exists()


def test_invalid_credential_is_refused(wallet):
    iss = wallet["issuer"]
    doc = badge(iss, wallet["did"], name="Forged", number=8)
    doc["name"] = "Forged (edited)"
    f = wallet["tmp"] / "forged.json"
    f.write_text(json.dumps(doc))
    imported = run("import", f, "--allow-invalid")
    assert imported.exit_code == 0, imported.stderr  # kept, marked invalid
    rid = next(r["id"] for r in json.loads(run("list", "--json").stdout) if r["status"] == "invalid")
    out = wallet["tmp"] / "r.json"
    result = run("export", "resume", rid[:10], "--out", out)
    assert result.exit_code == 1 and "is invalid" in result.stderr and not out.exists()
    result = run("export", "resume", "--out", out, "--json")  # without selectors: left out
    assert result.exit_code == 0 and rid not in [e["id"] for e in json.loads(result.stdout)["entries"]]


def test_stdout(wallet):
    result = run("export", "resume", "-f", "json", "--out", "-")
    assert result.exit_code == 0 and json.loads(result.stdout)["basics"]["profiles"][0]["username"] == wallet["did"]


def test_plain_export_still_works(wallet):
    rid = wallet["ids"]["SQL queries"]
    out = wallet["tmp"] / "orig.json"
    assert run("export", rid[:8], "--out", out).exit_code == 0
    assert json.loads(out.read_text())["name"] == "SQL queries"
    folder = wallet["tmp"] / "all"
    assert run("export", "--all", "--out", folder).exit_code == 0 and len(list(folder.iterdir())) == 5
    assert run("export").exit_code == 2


OB2_HOSTED = {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "https://example.org/assertions/1",
              "recipient": {"type": "email", "hashed": False, "identity": "alice@example.org"},
              "badge": "https://example.org/badges/1", "verification": {"type": "hosted"},
              "issuedOn": "2016-12-31T23:59:59Z"}


def test_sd_jwt_and_open_badges_2_entries(wallet):
    """An SD-JWT VC and an Open Badges 2.0 assertion go on the résumé; neither goes in the page's
    presentation (an SD-JWT needs a key binding JWT naming a verifier, an OB 2.0 assertion is no
    Verifiable Credential), so the QR code still verifies."""
    from lerwallet import crypto
    from lerwallet.keys import did_key_from_public
    from lerwallet.keys.jwk import public_to_jwk
    from lerwallet.keys.multikey import decode_multikey
    from lerwallet.proofs.sdjwt import create_sd_jwt

    holder = json.loads(run("did", "list", "--json").stdout)[0]["keys"][0]["publicKeyMultibase"]
    p256 = crypto.generate_private_key("p256")
    p256_did = did_key_from_public("p256", crypto.public_key_of("p256", p256))
    token = create_sd_jwt({"iss": p256_did, "iat": 1780000000, "vct": "https://credentials.example/degree",
                           "degree": "MSc Computing"}, ["/degree"], key_type="p256", private_key=p256,
                          kid=f"{p256_did}#{p256_did.split(':')[2]}", holder_jwk=public_to_jwk(*decode_multikey(holder)))
    (wallet["tmp"] / "degree.sd-jwt").write_text(token)
    (wallet["tmp"] / "ob2.json").write_text(json.dumps(OB2_HOSTED))
    imported = run("import", wallet["tmp"] / "degree.sd-jwt", wallet["tmp"] / "ob2.json", "--json")
    assert imported.exit_code == 0, imported.stderr
    statuses = {r["id"]: r["status"] for r in json.loads(run("list", "--json").stdout)}
    assert len(statuses) == 7
    out = wallet["tmp"] / "resume.html"
    result = run("export", "resume", "-f", "html", "--out", out, "--json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert len(summary["entries"]) == 7 and summary["sections"]["certificates"] == 4
    assert summary["qr"]["content"] == "presentation" and len(summary["qr"]["credentials"]) == 3
    content, svg_path = _qr_from_html(out.read_text(), wallet["tmp"])
    vp = json.loads(payload.assemble([payload.parse(content)]))
    check = run("verify", svg_path, "--challenge", vp["proof"]["challenge"], "--json")
    assert check.exit_code == 0 and json.loads(check.stdout)["verdict"] == "valid"
    ler = wallet["tmp"] / "resume.json"
    assert run("export", "resume", "--out", ler).exit_code == 0
    certs = json.loads(ler.read_text())["certifications"]
    verifications = [v for c in certs for v in c.get("verifications", [])]
    assert {"reference": "https://example.org/assertions/1"} in verifications
    enveloped = [v["otherW3CVerifiableCredential"] for v in verifications if "otherW3CVerifiableCredential" in v
                 and v["otherW3CVerifiableCredential"].get("type") == "EnvelopedVerifiableCredential"]
    assert [e["id"] for e in enveloped] == [f"data:application/dc+sd-jwt,{token}"]


def test_verify_reads_a_ler_rs_resume(wallet):
    """The employer runs `lerwallet verify` on the LER-RS file itself: every credential it carries
    is checked, named by where it sits; an edited one fails the whole file."""
    out = wallet["tmp"] / "resume.json"
    assert run("export", "resume", "--out", out).exit_code == 0
    check = run("verify", out, "--json")
    assert check.exit_code == 0, check.stdout
    report = json.loads(check.stdout)
    sources = sorted(i["source"].split("#", 1)[1] for i in report["inputs"])  # one input per credential
    assert len(sources) == 5 and sources[0] == "/certifications/0/verifications/0/otherW3CVerifiableCredential"
    assert report["verdict"] == "valid"
    doc = json.loads(out.read_text())
    doc["certifications"][1]["verifications"][0]["otherW3CVerifiableCredential"]["name"] = "Chief Data Officer"
    tampered = wallet["tmp"] / "tampered.json"
    tampered.write_text(json.dumps(doc))
    assert run("verify", tampered).exit_code == 1
    empty = wallet["tmp"] / "empty.json"
    empty.write_text(json.dumps({"type": doc["type"], "person": {"name": {"formattedName": "X"}}}))
    result = run("verify", empty)
    assert result.exit_code == 2 and "carries no verifiable credential" in result.stdout + result.stderr


def test_untrusted_text_is_escaped_everywhere(wallet):
    """Titles, issuer names and skills come from credentials: on the page they are text, never
    markup; in the JSON formats they are strings."""
    iss = wallet["issuer"]
    hostile = '<img src=x onerror="alert(1)"></li><script>alert(2)</script>'
    doc = badge(iss, wallet["did"], name=hostile, skill="<b>SQL</b>", number=11)
    f = wallet["tmp"] / "hostile.json"
    f.write_text(json.dumps(doc))
    assert run("import", f).exit_code == 0
    out = wallet["tmp"] / "r.html"
    assert run("export", "resume", "--skill", "<b>SQL</b>", "-f", "html", "--no-qr", "--name", "<i>Ada</i>", "--out", out).exit_code == 0
    page = out.read_text()
    assert "<img" not in page and "<script" not in page and "<b>" not in page and "<i>" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page and "&lt;i&gt;Ada&lt;/i&gt;" in page
    ler = wallet["tmp"] / "r.json"
    assert run("export", "resume", "--skill", "<b>SQL</b>", "--out", ler).exit_code == 0
    assert json.loads(ler.read_text())["certifications"][0]["name"] == hostile
