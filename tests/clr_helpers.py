"""CLR 2.0 credentials made in the test: a ClrCredential signed by a fresh key, holding OB 3.0
AchievementCredentials each signed by their own issuer (real Ed25519, real RDFC-1.0)."""

from __future__ import annotations

from tests.verify_helpers import OB3, V2, Party

CLR = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
LEARNER = "did:example:learner"


def achievement_credential(issuer: Party, n: int, *, name: str | None = None, skill: str | None = None,
                           valid_from: str = "2024-01-01T00:00:00Z", subject: str = LEARNER, **extra) -> dict:
    name = name or f"Course {n}"
    achievement = {
        "id": f"https://example.edu/achievements/{n}",
        "type": ["Achievement"],
        "name": name,
        "description": f"The {name} course.",
        "criteria": {"narrative": "Passed the final exam."},
    }
    if skill:
        achievement["alignment"] = [{"type": ["Alignment"], "targetName": skill,
                                     "targetUrl": f"https://example.org/skills/{skill.lower()}"}]
    doc = {
        "@context": [V2, OB3],
        "id": f"urn:uuid:00000000-0000-4000-8000-{n:012d}",
        "type": ["VerifiableCredential", "AchievementCredential"],
        "issuer": {"id": issuer.did, "type": ["Profile"], "name": "Example University"},
        "validFrom": valid_from,
        "name": name,
        "credentialSubject": {"id": subject, "type": ["AchievementSubject"], "achievement": achievement},
    }
    doc.update(extra)
    return doc


def clr(issuer: Party, nested: list, *, name: str = "Transcript", associations: bool = True,
        subject: str = LEARNER) -> dict:
    """An (unsigned) ClrCredential holding `nested` credentials."""
    achievements = [c["credentialSubject"]["achievement"] for c in nested
                    if isinstance(c, dict) and isinstance(c.get("credentialSubject"), dict)
                    and isinstance(c["credentialSubject"].get("achievement"), dict)]
    clr_subject = {"id": subject, "type": ["ClrSubject"], "verifiableCredential": nested}
    if achievements:
        clr_subject["achievement"] = achievements
    if associations and len(achievements) >= 2:
        clr_subject["association"] = [{"type": "Association", "associationType": "isParentOf",
                                   "sourceId": achievements[0]["id"], "targetId": achievements[1]["id"]}]
    return {
        "@context": [V2, CLR, OB3],
        "id": "urn:uuid:11111111-0000-4000-8000-000000000001",
        "type": ["VerifiableCredential", "ClrCredential"],
        "issuer": {"id": issuer.did, "type": ["Profile"], "name": "Example University Registrar"},
        "validFrom": "2024-06-01T00:00:00Z",
        "name": name,
        "credentialSubject": clr_subject,
    }


def signed_clr(issuer: Party, count: int = 3, *, skills=("Python", "Statistics", "Writing"), name: str = "Transcript",
               subject: str = LEARNER) -> dict:
    nested = [issuer.sign(achievement_credential(issuer, i + 1, skill=skills[i % len(skills)] if skills else None,
                                                 subject=subject))
              for i in range(count)]
    return issuer.sign(clr(issuer, nested, name=name, subject=subject))
