"""An OB 3.0 credential with ids that end in a line feed (or hold other line breaks, or U+FEFF),
for the absolute-IRI test of safe mode: Python's `$` also matches before a final line feed,
JavaScript's does not; JavaScript's `\s` holds U+FEFF, Python's does not (and Python's holds
U+001C-U+001F and U+0085, JavaScript's does not). Deterministic: `python make_cases.py > cases.json`; outcomes by jsonld.js in
expected.json (see ../PROVENANCE.md)."""

import json

V2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def badge(credential_id: str = "urn:uuid:2f8c7a8e-4a43-4f9e-9f9b-0d6c1f0a1b2c",
          achievement_id: str = "https://example.edu/achievements/1", subject: str = "did:example:alice",
          issuer: str = "did:example:issuer") -> dict:
    return {
        "@context": [V2, OB3],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Example College"},
        "validFrom": "2024-01-01T00:00:00Z",
        "name": "Teamwork",
        "credentialSubject": {"id": subject, "type": ["AchievementSubject"], "achievement": {
            "id": achievement_id, "type": ["Achievement"], "name": "Teamwork",
            "criteria": {"narrative": "Did the work."}, "description": "A badge."}},
    }


cases = {
    "achievement_id_lf": badge(achievement_id="https://example.edu/achievements/1\n"),
    "credential_id_lf": badge(credential_id="urn:uuid:2f8c7a8e-4a43-4f9e-9f9b-0d6c1f0a1b2c\n"),
    "subject_id_lf": badge(subject="did:example:alice\n"),
    "issuer_id_lf": badge(issuer="did:example:issuer\n"),
    "achievement_id_lf_inside": badge(achievement_id="https://example.edu/a\nb"),
    "achievement_id_crlf": badge(achievement_id="https://example.edu/achievements/1\r\n"),
    "achievement_id_cr": badge(achievement_id="https://example.edu/achievements/1\r"),
    "achievement_id_ls": badge(achievement_id="https://example.edu/achievements/1\u2028"),
    "achievement_id_nel": badge(achievement_id="https://example.edu/achievements/1\x85"),
    "achievement_id_fs": badge(achievement_id="https://example.edu/achievements/1\x1c"),
    "achievement_id_bom": badge(achievement_id="https://example.edu/achievements/1\ufeff"),
    "achievement_id_bom_inside": badge(achievement_id="https://example.edu/achieve\ufeffments/1"),
    "issuer_id_bom": badge(issuer="did:example:\ufeffissuer"),
}
print(json.dumps({"base": badge(), "cases": cases}, indent=1, ensure_ascii=True))
