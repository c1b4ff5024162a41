"""What the stages of one credential's verification share, filled in stage by stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lerwallet.jsonutil import as_list, id_of, types_of

__all__ = ["CredentialState", "as_list", "id_of", "types_of"]  # the stages take the document helpers from here


@dataclass
class CredentialState:
    source: str
    securing: str  # ldp | jwt | sd-jwt | ob2
    unverified: dict  # as received; the proof stage replaces `document` with what it verified
    token: str | None = None
    document: dict | None = None  # verified content (for JWT: the payload's credential)
    jwt_payload: dict | None = None  # verified JWT claims (nbf, exp, iss, sub, cnf)
    proof_outcome: str = ""  # pass | fail | unknown, set by the proof stage
    signer: str = ""  # controller of the key that signed it
    depth: int = 0  # 0 for a credential, 1 for an endorsement of it
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def doc(self) -> dict:
        return self.document if self.document is not None else self.unverified

    @property
    def issuer_id(self) -> str:
        # W3C credentials name an `issuer`; SD-JWT VCs only carry the JWT `iss` claim.
        return id_of(self.doc.get("issuer")) or (self.doc.get("iss") if self.securing == "sd-jwt" else "") or ""

    @property
    def types(self) -> list[str]:
        return types_of(self.doc)
