"""What the stages of one credential's verification share, filled in stage by stage."""

from __future__ import annotations

from typing import Any

from lerwallet.jsonutil import as_list, id_of, types_of
from lerwallet.structs import Struct

__all__ = ["CredentialState", "as_list", "id_of", "types_of"]  # the stages take the document helpers from here


class CredentialState(Struct):
    FIELDS = ("source", "securing", "unverified", "token", "document", "jwt_payload", "proof_outcome", "signer", "depth",
              "extra")

    def __init__(self, source: str, securing: str, unverified: dict, token: str | None = None, document: dict | None = None,
                 jwt_payload: dict | None = None, proof_outcome: str = "", signer: str = "", depth: int = 0,
                 extra: dict[str, Any] | None = None) -> None:
        self.source = source
        self.securing = securing  # ldp | jwt | sd-jwt | ob2
        self.unverified = unverified  # as received; the proof stage replaces `document` with what it verified
        self.token = token
        self.document = document  # verified content (for JWT: the payload's credential)
        self.jwt_payload = jwt_payload  # verified JWT claims (nbf, exp, iss, sub, cnf)
        self.proof_outcome = proof_outcome  # pass | fail | unknown, set by the proof stage
        self.signer = signer  # controller of the key that signed it
        self.depth = depth  # 0 for a credential, 1 for an endorsement of it
        self.extra = {} if extra is None else extra

    @property
    def doc(self) -> dict:
        return self.document if self.document is not None else self.unverified

    def summary(self):
        """`lerwallet.model.summarize(self.doc)`, made once per document (the trust stage and the
        report both need it; a document the proof stage replaces gets its own)."""
        doc = self.doc
        made = self.__dict__.get("_summary")
        if made is None or made[0] is not doc:
            from lerwallet.model import summarize

            made = self.__dict__["_summary"] = (doc, summarize(doc))
        return made[1]

    @property
    def issuer_id(self) -> str:
        # W3C credentials name an `issuer`; SD-JWT VCs only carry the JWT `iss` claim.
        return id_of(self.doc.get("issuer")) or (self.doc.get("iss") if self.securing == "sd-jwt" else "") or ""

    @property
    def types(self) -> list[str]:
        return types_of(self.doc)
