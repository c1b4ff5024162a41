"""Getting credentials back out: originals byte for byte, or re-baked into a badge image.

What leaves is what was imported (signed bytes are never re-serialized), so an exported file
verifies anywhere the original did.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lerwallet.errors import InputError, UsageError
from lerwallet.store import credentials

EXTENSIONS = {"vc-json-ld": "json", "vc-jwt": "jwt", "sd-jwt": "sd-jwt", "ob2": "json"}
BAKEABLE_TYPES = ("OpenBadgeCredential", "AchievementCredential", "EndorsementCredential")


@dataclass
class Exported:
    id: str
    path: str
    size: int

    def to_dict(self) -> dict:
        return {"id": self.id, "path": self.path, "size": self.size}


def filename(record: credentials.CredentialRecord, original: bytes = b"") -> str:
    """`<id prefix>-<title slug>.<ext>`: unique in a folder, readable, safe on every system. An
    Open Badges 2.0 signed assertion is its compact JWS (`.jws`), a hosted one JSON."""
    slug = re.sub(r"[^a-z0-9]+", "-", (record.title or "credential").lower()).strip("-")[:48] or "credential"
    ext = EXTENSIONS.get(record.format, "json")
    if record.format == "ob2" and original and not original.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        ext = "jws"
    return f"{record.id[:10]}-{slug}.{ext}"


def export_all(w, folder: Path, *, force: bool = False) -> list[Exported]:
    """Every readable credential's original into `folder` (made 0700 when missing). Every file
    is reserved before any is written: an existing name (without `force`) or an unwritable
    folder stops the export before anything is written."""
    from lerwallet.files import Reserved

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is not a folder", hint="export --all writes one file per credential into a folder")
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create {folder}: {exc.strerror or exc}") from None
    records = [r for r in credentials.list_credentials(w) if r.status != credentials.STATUS_DAMAGED]
    originals = [(r, credentials.get_original(w, r.id)) for r in records]
    reserved = []
    try:
        for record, data in originals:
            reserved.append(Reserved(folder / filename(record, data), force=force))
        out = []
        for slot, (record, data) in zip(reserved, originals):
            try:
                slot.commit(data)
            except OSError as exc:
                raise InputError(f"cannot write {slot.path}: {exc.strerror or exc}") from None
            out.append(Exported(record.id, str(slot.path), len(data)))
        return out
    finally:
        for slot in reserved:
            slot.discard()


def baked(w, record_id: str, image_type: str) -> bytes:
    """The badge image the credential arrived in, byte for byte, when it came baked into one of
    `image_type` (any badge format, Open Badges 2.0 too); else the credential baked into a plain
    generated PNG or SVG badge (OB 3.0 baking)."""
    from lerwallet.formats import bake

    stored = credentials.get_image(w, record_id)
    if stored is not None and stored[0] == credentials.IMAGE_TYPES.get(image_type):
        return stored[1]
    record = credentials.get_credential(w, record_id)
    types = set(record.summary.get("types") or []) | {record.summary.get("kind", "")}
    if record.format not in ("vc-json-ld", "vc-jwt") or not types & set(BAKEABLE_TYPES):
        raise UsageError(f"credential {record_id[:10]} is not an Open Badges 3.0 credential; only those can be baked",
                         hint="export the original instead: lerwallet export ID --out FILE")
    payload = credentials.get_original(w, record_id).strip()
    if image_type == "png":
        return bake.bake_png(payload, title=record.title)
    if image_type == "svg":
        return bake.bake_svg(payload, title=record.title)
    raise UsageError(f"--baked writes .png or .svg, not {image_type!r}")
