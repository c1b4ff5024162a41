"""Helpers for the skills and journey tests: a real wallet, real signed credentials from a test
issuer, and self-attested records signed by the learner's own identity key (issuer = subject =
the learner's DID), imported through the real import pipeline."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from typer.testing import CliRunner

from lerwallet import identity
from lerwallet.cli.app import app
from lerwallet.proofs import sign

from present_helpers import OB3, PW, V2, Issuer, add, new_wallet  # noqa: F401 - re-exported

PASSPHRASE = PW.decode()


def run(*args, input=None):
    result = CliRunner().invoke(app, list(args), env={"LERWALLET_PASSPHRASE": PASSPHRASE}, input=input,
                                catch_exceptions=False)
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    return result


def align(name: str, framework: str = "", code: str = "", url: str = "") -> dict:
    item = {"type": ["Alignment"], "targetName": name, "targetUrl": url or f"https://skills.example/{abs(hash((name, framework, code)))}"}
    if framework:
        item["targetFramework"] = framework
    if code:
        item["targetCode"] = code
    return item


def credential(issuer_did: str, issuer_name: str, subject: str, title: str, *, number: int, date: str,
               achievement_type: str = "Badge", alignments: list | None = None, tags: list | None = None,
               start: str | None = None, end: str | None = None, results: list | None = None) -> dict:
    achievement = {"id": f"https://example.edu/achievements/{number}", "type": ["Achievement"], "name": title,
                   "criteria": {"narrative": "Did the work."}, "description": f"About {title}.",
                   "achievementType": achievement_type}
    if alignments:
        achievement["alignment"] = alignments
    if tags:
        achievement["tag"] = tags
    subject_doc = {"id": subject, "type": ["AchievementSubject"], "achievement": achievement}
    if start:
        subject_doc["activityStartDate"] = start
    if end:
        subject_doc["activityEndDate"] = end
    if results:
        subject_doc["result"] = results
    return {
        "@context": [V2, OB3],
        "id": f"urn:uuid:2f8c7a8e-4a43-4f9e-9f9b-{number:012d}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_did, "type": ["Profile"], "name": issuer_name},
        "validFrom": date,
        "name": title,
        "credentialSubject": subject_doc,
    }


def issued(issuer: Issuer, subject: str, title: str, **kw) -> dict:
    """A credential signed by a third-party issuer (eddsa-rdfc-2022)."""
    return issuer.sign(credential(issuer.did, "Example College", subject, title, **kw))


def self_signed(w, title: str, **kw) -> dict:
    """A self-attested record: issued by the learner's default identity about itself, signed with
    its key (what `lerwallet add` makes)."""
    me = identity.default_holder(w)
    key_type, private, vm = identity.signing_key(w, me)
    doc = credential(me.did, "Me", me.did, title, **kw)
    return sign(copy.deepcopy(doc), suite="eddsa-rdfc-2022", key_type=key_type, private_key=private,
                verification_method=vm, created=kw.get("date", "2024-01-01T00:00:00Z"))


def wallet_with(home: Path, make) -> dict[str, str]:
    """A wallet at `home` filled by `make(w, me_did, issuer) -> {label: document}`; returns
    {label: stored id}."""
    w = new_wallet(home)
    try:
        me = identity.default_holder(w).did
        docs = make(w, me, Issuer())
        return {label: add(w, doc, f"{label}.json") for label, doc in docs.items()}
    finally:
        w.close()


def dump(doc: dict) -> str:
    return json.dumps(doc)
