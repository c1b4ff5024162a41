"""An HR Open LER-RS résumé (what `lerwallet export resume --format ler-rs` writes, or any
LER-RS document) read as the credentials it carries, so that `verify` and `import` take a résumé
as they take a bundle: every W3C credential in an entry's `verifications`
(`otherW3CVerifiableCredential`, or the credential itself as LER-RS's Open Badges 3.0 and CLR 2.0
alternatives allow) and every attachment whose content is a credential (base64 or plain JSON).

A document is LER-RS when its `type` is an HR Open LER-RSType URL (any version). Each credential
is named `FILE#/certifications/0/verifications/0/...` so a report says where it was. What the
résumé says around the credentials (names, dates, descriptions) is not checked: it is the
holder's text; only the credentials are.
"""

from __future__ import annotations

import base64
import re

from lerwallet.formats import limits
from lerwallet.formats.errors import FormatError

TYPE = re.compile(r"^https?://schema\.hropenstandards\.org/[0-9.]+/recruiting/json/(?:ler-rs/)?LER-RSType\.json\Z")
SECTIONS = ("employmentHistories", "educationAndLearnings", "certifications", "licenses", "skills")


def is_lerrs(doc: object) -> bool:
    return isinstance(doc, dict) and isinstance(doc.get("type"), str) and bool(TYPE.match(doc["type"])) \
        and "credentialSubject" not in doc


def _is_credential(item: object) -> bool:
    return isinstance(item, dict) and ("credentialSubject" in item or "@context" in item
                                       or item.get("type") == "EnvelopedVerifiableCredential")


def credentials(doc: dict) -> list[tuple[str, object]]:
    """(JSON pointer, credential) for every credential the document carries, in document order."""
    found: list[tuple[str, object]] = []
    for section in SECTIONS:
        entries = doc.get(section)
        for i, entry in enumerate(entries if isinstance(entries, list) else []):
            verifications = entry.get("verifications") if isinstance(entry, dict) else None
            for j, item in enumerate(verifications if isinstance(verifications, list) else []):
                if not isinstance(item, dict):
                    continue
                if "otherW3CVerifiableCredential" in item:
                    found.append((f"/{section}/{i}/verifications/{j}/otherW3CVerifiableCredential",
                                  item["otherW3CVerifiableCredential"]))
                elif _is_credential(item):
                    found.append((f"/{section}/{i}/verifications/{j}", item))
    attachments = doc.get("attachments")
    for i, attachment in enumerate(attachments if isinstance(attachments, list) else []):
        content = attachment.get("content") if isinstance(attachment, dict) else None
        if not isinstance(content, dict) or not isinstance(content.get("value"), str):
            continue
        media = str(content.get("mimeType") or "")
        if not (media.endswith("json") or media.startswith("application/vc")):
            continue
        value = content["value"]
        if content.get("encoding") == "base64":
            try:
                value = base64.b64decode(value, validate=True).decode("utf-8")
            except (ValueError, UnicodeDecodeError):
                continue
        found.append((f"/attachments/{i}/content", value))
    if len(found) > limits.MAX_CREDENTIALS:
        raise FormatError(f"more than {limits.MAX_CREDENTIALS} credentials in one résumé", code="too-many")
    return found


def decode(doc: dict, source: str) -> list:
    """The envelopes of the credentials a LER-RS document carries; one error envelope when it
    carries none."""
    from lerwallet.formats import decode_bytes
    from lerwallet.formats.json_doc import _envelope

    out = []
    for pointer, item in credentials(doc):
        sub = f"{source}#{pointer}"
        if isinstance(item, str):
            out.extend(decode_bytes(item.encode("utf-8"), sub))
        else:
            try:
                out.append(_envelope(item, sub))
            except FormatError as exc:
                from lerwallet.formats import _failed

                out.append(_failed(sub, exc.message, exc.code))
    if not out:
        raise FormatError("an LER-RS résumé that carries no verifiable credential", code="not-a-credential")
    return out
