"""Getting credentials back out: originals byte for byte, or re-baked into a badge image.

What leaves is what was imported (signed bytes are never re-serialized), so an exported file
verifies anywhere the original did. One exception, for the learner's privacy: an ecdsa-sd-2023
or bbs-2023 base credential is the issuer's copy for the holder (its base proof carries the key
that links every copy derived from it, and verifiers refuse it, `sd_base_proof`), so it leaves
as a copy derived from it that shows every field (`proofs.holder_copy.full_disclosure`, as a
résumé carries it), unless the holder asks for the holder's copy itself (`holder_copy`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from lerwallet.errors import InputError, UsageError
from lerwallet.store import credentials

EXTENSIONS = {"vc-json-ld": "json", "vc-jwt": "jwt", "sd-jwt": "sd-jwt", "ob2": "json"}
BAKEABLE_TYPES = ("OpenBadgeCredential", "AchievementCredential", "EndorsementCredential")


# What an exported file holds (`Exported.content`)
ORIGINAL = "original"  # the bytes exactly as imported
DERIVED = "derived"  # a base credential's derived copy showing every field (what a verifier accepts)
HOLDER_COPY = "holder-copy"  # a base credential as imported, base proof included (asked for)
_SD_SUITES = (b"ecdsa-sd-2023", b"bbs-2023")


@dataclass
class Exported:
    id: str
    path: str
    size: int
    content: str = ORIGINAL

    def to_dict(self) -> dict:
        return {"id": self.id, "path": self.path, "size": self.size, "content": self.content}


def outgoing(record: credentials.CredentialRecord, original: bytes, *, holder_copy: bool = False) -> tuple[bytes, str]:
    """What leaves the wallet for one credential and what it is (`ORIGINAL`, `DERIVED`,
    `HOLDER_COPY`): `original` as it is, except a selective-disclosure base credential, which
    becomes its derived full-disclosure copy (JSON, UTF-8) unless `holder_copy`."""
    from lerwallet.ld.errors import LDError
    from lerwallet.proofs.ecdsa_sd_derive import DisclosureError
    from lerwallet.proofs.encoding import MalformedValue
    from lerwallet.proofs.holder_copy import full_disclosure

    document = base_credential(record, original)
    if document is None:
        return original, ORIGINAL
    if holder_copy:
        return original, HOLDER_COPY
    try:
        derived = full_disclosure(document)
    except (DisclosureError, MalformedValue, LDError) as exc:  # e.g. the RDFC-1.0 work limit
        raise InputError(f"cannot derive a shareable copy of credential {record.id[:10]}: "
                         f"{getattr(exc, 'message', None) or exc}",
                         hint="export the holder's copy as stored instead: --holder-copy") from None
    return json.dumps(derived, indent=2, ensure_ascii=False).encode("utf-8") + b"\n", DERIVED


def base_credential(record: credentials.CredentialRecord, original: bytes) -> dict | None:
    """The parsed credential when it carries an ecdsa-sd-2023 or bbs-2023 base proof (the
    holder's copy, not to be shared as it is), else None."""
    from lerwallet.proofs.bbs2023_derive import is_base_credential as is_bbs_base
    from lerwallet.proofs.ecdsa_sd_derive import is_base_credential

    if record.format != "vc-json-ld" or not any(suite in original for suite in _SD_SUITES):
        return None
    try:
        document = json.loads(original.decode("utf-8-sig"))
    except ValueError:
        return None
    return document if is_base_credential(document) or is_bbs_base(document) else None


def filename(record: credentials.CredentialRecord, original: bytes = b"") -> str:
    """`<id prefix>-<title slug>.<ext>`: unique in a folder, readable, safe on every system. An
    Open Badges 2.0 signed assertion is its compact JWS (`.jws`), a hosted one JSON."""
    slug = re.sub(r"[^a-z0-9]+", "-", (record.title or "credential").lower()).strip("-")[:48] or "credential"
    ext = EXTENSIONS.get(record.format, "json")
    if record.format == "ob2" and original and not original.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        ext = "jws"
    return f"{record.id[:10]}-{slug}.{ext}"


def export_all(w, folder: Path, *, force: bool = False, holder_copy: bool = False) -> list[Exported]:
    """Every readable credential into `folder` (made 0700 when missing), each as `outgoing`
    gives it (a base credential as its derived copy unless `holder_copy`). Every file is
    derived and reserved before any is written: an existing name (without `force`), an
    unwritable folder or a base credential that cannot be derived stops the export before
    anything is written."""
    from lerwallet.files import Reserved

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is not a folder", hint="export --all writes one file per credential into a folder")
    records = [r for r in credentials.list_credentials(w) if r.status != credentials.STATUS_DAMAGED]
    originals = [(r, credentials.get_original(w, r.id)) for r in records]
    leaving = [(r, raw, *outgoing(r, raw, holder_copy=holder_copy)) for r, raw in originals]
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create {folder}: {exc.strerror or exc}") from None
    reserved = []
    try:
        for record, raw, _, _ in leaving:
            reserved.append(Reserved(folder / filename(record, raw), force=force))
        out = []
        for slot, (record, _, data, content) in zip(reserved, leaving):
            try:
                slot.commit(data)
            except OSError as exc:
                raise InputError(f"cannot write {slot.path}: {exc.strerror or exc}") from None
            out.append(Exported(record.id, str(slot.path), len(data), content))
        return out
    finally:
        for slot in reserved:
            slot.discard()


def baked(w, record_id: str, image_type: str, *, holder_copy: bool = False) -> tuple[bytes, str]:
    """(image, content): the badge image the credential arrived in, byte for byte, when it came
    baked into one of `image_type` (any badge format, Open Badges 2.0 too); else the credential
    baked into a plain generated PNG or SVG badge (OB 3.0 baking). A selective-disclosure base
    credential is baked as its derived copy (`outgoing`; into the PNG it arrived in, when it
    did), unless `holder_copy`."""
    from lerwallet.formats import bake

    record = credentials.get_credential(w, record_id)
    payload, content = outgoing(record, credentials.get_original(w, record_id), holder_copy=holder_copy)
    stored = credentials.get_image(w, record_id)
    arrived_in = stored[1] if stored is not None and stored[0] == credentials.IMAGE_TYPES.get(image_type) else None
    if arrived_in is not None and content != DERIVED:
        return arrived_in, content
    types = set(record.summary.get("types") or []) | {record.summary.get("kind", "")}
    if record.format not in ("vc-json-ld", "vc-jwt") or not types & set(BAKEABLE_TYPES):
        raise UsageError(f"credential {record_id[:10]} is not an Open Badges 3.0 credential; only those can be baked",
                         hint="export the original instead: lerwallet export ID --out FILE")
    payload = payload.strip()
    if content == DERIVED:  # one line of JSON in the image, as a baked original usually is
        payload = json.dumps(json.loads(payload), separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    if image_type == "png":
        return bake.bake_png(payload, arrived_in, title=record.title), content
    if image_type == "svg":
        return bake.bake_svg(payload, title=record.title), content
    raise UsageError(f"--baked writes .png or .svg, not {image_type!r}")
