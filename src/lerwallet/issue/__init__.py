"""Issuing: Open Badges 3.0 credentials signed by one of the wallet's identities.

Library first; `lerwallet issue` and the VC-API issuer route (`POST /credentials/issue`) call it.

    from lerwallet import issue
    doc = issue.build_ob3(issuer=did, recipient=issue.recipient("ada@example.org"),
                          achievement=achievement, valid_until="2030-01-01T00:00:00Z")
    signer = issue.signer_for(wallet, "acme")          # the identity's current key
    signed = issue.sign_credential(doc, signer)         # eddsa-rdfc-2022 / ecdsa-rdfc-2019
    issue.self_check(signed, signer)                    # the verify pipeline: no failed check

`build_ob3` assembles an OpenBadgeCredential (VC 2.0, OB 3.0 context 3.0.3) around an
Achievement, with the recipient either a DID (`credentialSubject.id`) or a hashed email address
(an OB 3.0 IdentityObject: `sha256$` of the address and a random salt, `hashed: true`,
`identityType: emailAddress`), and checks it against the bundled OB 3.0 JSON Schema.
`sign_credential` picks the suite from the key (Ed25519: eddsa-rdfc-2022; P-256:
ecdsa-rdfc-2019, or ecdsa-sd-2023 base proofs with `mandatory_pointers`); every signature goes
through `proofs.prepare` (the VC data model rules, the signer is the issuer, JSON-LD safe mode).
Nothing here prints, and nothing is stored: issuing changes the wallet only through a status
list allocation (`lerwallet.issue.statuslist`).
"""

from __future__ import annotations

import copy
import json
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from lerwallet.errors import InputError, NotFoundError, UsageError
from lerwallet.utc import iso

V2 = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
MAX_ACHIEVEMENT_BYTES = 256 * 1024
SUITES = {"ed25519": ("eddsa-rdfc-2022",), "p256": ("ecdsa-rdfc-2019", "ecdsa-sd-2023")}
_DID = re.compile(r"^did:[a-z0-9]+:[A-Za-z0-9._:%-]+\Z")


@dataclass(frozen=True)
class Signer:
    """An identity's current signing key. `private_key` never leaves the process."""

    name: str
    did: str
    method: str
    key_type: str
    verification_method: str
    private_key: bytes
    document: dict  # the identity's DID document as the wallet publishes it (self-check, did:web)

    def __repr__(self) -> str:  # no key material in logs or tracebacks
        return f"Signer({self.name!r}, {self.did!r}, {self.key_type})"


def signer_for(wallet, ref: str) -> Signer:
    """The current key of the identity `ref` (name or DID). NotFoundError for an unknown identity,
    UsageError for one whose current key has no private part (it cannot sign)."""
    from lerwallet import identity

    try:
        ident = identity.find(wallet, ref)
    except NotFoundError:
        raise NotFoundError(f"no identity {ref!r} in this wallet",
                            hint="see them with: lerwallet did list; create one with: lerwallet did create") from None
    rid, data = identity._find_record(wallet, ident.did)
    key = next((k for k in data.get("keys", []) if k.get("id") == data.get("current")), None)
    if key is None or not key.get("private"):
        raise UsageError(f"identity {ident.name!r} has no private key in this wallet: it cannot sign",
                         hint="choose another with --identity NAME (see: lerwallet did list), "
                              "or import the key with: lerwallet did import")
    key_type, private, vm = identity.signing_key(wallet, ident)
    return Signer(ident.name, ident.did, ident.method, key_type, vm, private, identity.document(ident))


# --- recipients ----------------------------------------------------------------------------------


def hash_email(email: str, salt: str) -> str:
    """OB 3.0 IdentityHash: `sha256$` + hex SHA-256 of the UTF-8 address followed by the salt."""
    from lerwallet import crypto

    return "sha256$" + crypto.sha256((email + salt).encode("utf-8")).hex()


def recipient(to: str, *, salt: str | None = None) -> dict:
    """The credentialSubject members naming the recipient: `{"id": DID}` for a DID, or an
    `identifier` list with one hashed email IdentityObject. The address is lower-cased before
    hashing (verifiers, lerwallet's `verify --email` included, compare it that way); the salt is
    16 random bytes in hex unless given. UsageError for anything else (an address by the one
    rule, `verify.options.is_email`)."""
    from lerwallet.verify.options import is_email

    if not isinstance(to, str) or not to.strip():
        raise UsageError("--to is empty", hint="give the recipient's DID (did:...) or email address")
    to = to.strip()
    if to.startswith("did:"):
        if not _DID.match(to) or len(to) > 2048:
            raise UsageError(f"{to[:80]!r} is not a DID", hint="a DID looks like did:key:z6Mk... or did:web:example.org")
        return {"id": to}
    if not is_email(to):
        raise UsageError(f"{to[:80]!r} is neither a DID nor an email address",
                         hint="give the recipient's DID (did:...) or an email address such as ada@example.org")
    if salt is None:
        from lerwallet import crypto

        salt = crypto.random_bytes(16).hex()
    address = to.lower()
    return {"identifier": [{"type": "IdentityObject", "identityHash": hash_email(address, salt),
                            "identityType": "emailAddress", "hashed": True, "salt": salt}]}


# --- the achievement ------------------------------------------------------------------------------


def read_achievement(data: bytes, source: str = "achievement.json") -> dict:
    """An OB 3.0 Achievement from JSON bytes. InputError naming what is wrong; the full
    Achievement rules are the OB 3.0 schema's, checked on the assembled credential."""
    from lerwallet.jsonutil import UntrustedJSONError, loads_untrusted

    if len(data) > MAX_ACHIEVEMENT_BYTES:
        raise InputError(f"{source} is larger than {MAX_ACHIEVEMENT_BYTES // 1024} KiB")
    try:
        doc = loads_untrusted(data)
    except UntrustedJSONError as exc:
        raise InputError(f"{source} is not JSON: {exc}",
                         hint="an OB 3.0 Achievement: {\"id\", \"type\": [\"Achievement\"], \"name\", \"description\", \"criteria\"}") from None
    if not isinstance(doc, dict):
        raise InputError(f"{source} is not a JSON object", hint="an OB 3.0 Achievement object")
    types = doc.get("type")
    types = types if isinstance(types, list) else [types]
    if "Achievement" not in types:
        raise InputError(f"{source} is not an OB 3.0 Achievement (its type lacks \"Achievement\")",
                         hint="add \"type\": [\"Achievement\"]")
    for name in ("id", "name", "description", "criteria"):
        if name not in doc:
            raise InputError(f"{source} has no {name!r} (OB 3.0 requires it in an Achievement)")
    return doc


# --- building -------------------------------------------------------------------------------------


def parse_date(text: str, flag: str = "--valid-until") -> str:
    """A date (2030-06-30) or date-time with a time zone, as the one timestamp format."""
    raw = text.strip() if isinstance(text, str) else ""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            when = datetime.fromisoformat(raw).replace(tzinfo=timezone.utc)
        else:
            when = datetime.fromisoformat(raw.replace("Z", "+00:00"))
            if when.tzinfo is None:
                raise ValueError("no time zone")
    except ValueError:
        raise UsageError(f"{flag} {text!r} is not a date",
                         hint=f"use {flag} 2030-06-30 or {flag} 2030-06-30T12:00:00Z") from None
    return iso(when)


def build_ob3(*, issuer: str, recipient: dict, achievement: dict, issuer_name: str | None = None,
              valid_from: str | None = None, valid_until: str | None = None, credential_id: str | None = None,
              credential_status: dict | None = None, types: tuple[str, ...] = ("VerifiableCredential", "OpenBadgeCredential"),
              extra: dict | None = None) -> dict:
    """An unsigned OB 3.0 credential (VC 2.0). `recipient` is what `recipient()` returns;
    `credential_status` a status entry (`statuslist.entry`). Checked against the bundled OB 3.0
    schema: InputError naming the first deviation. Generic enough for any issuer, the learner
    included (a self-attested record is an OB 3.0 credential issued by the learner's DID)."""
    valid_from = valid_from or iso()
    if valid_until is not None and valid_until <= valid_from:
        raise UsageError(f"validUntil {valid_until} is not after validFrom {valid_from}")
    issuer_node: dict = {"id": issuer, "type": ["Profile"]}
    if issuer_name:
        issuer_node["name"] = issuer_name
    doc: dict = {
        "@context": [V2, OB3_CONTEXT],
        "id": credential_id or f"urn:uuid:{uuid.uuid4()}",
        "type": list(types),
        "issuer": issuer_node,
        "validFrom": valid_from,
    }
    if valid_until is not None:
        doc["validUntil"] = valid_until
    if isinstance(achievement.get("name"), str):
        doc["name"] = achievement["name"]
    doc["credentialSubject"] = {"type": ["AchievementSubject"], **recipient, "achievement": copy.deepcopy(achievement)}
    if credential_status is not None:
        doc["credentialStatus"] = credential_status
    if extra:
        doc.update(copy.deepcopy(extra))
    schema_check(doc)
    return doc


def schema_check(doc: dict) -> None:
    """InputError unless `doc` passes the bundled OB 3.0 AchievementCredential JSON Schema."""
    from lerwallet.verify import schema

    problems = schema.ob3_problems(doc)
    if problems:
        raise InputError(f"the credential would not pass the OB 3.0 schema: {problems[0]}",
                         hint="fix the achievement file; see docs/issue.md")


# --- signing --------------------------------------------------------------------------------------


def default_suite(key_type: str) -> str:
    return SUITES[key_type][0]


def sign_credential(doc: dict, signer: Signer, *, suite: str | None = None, mandatory_pointers: list[str] | None = None,
                    created: str | None = None, loader=None) -> dict:
    """`doc` signed by `signer` (a new dict). The suite defaults to the key's (eddsa-rdfc-2022 for
    Ed25519, ecdsa-rdfc-2019 for P-256); `ecdsa-sd-2023` makes a base proof with
    `mandatory_pointers`. A VC 1.1 document gets the Data Integrity context appended. Refusals
    (`proofs.prepare.NotSignable`, exit 2) name the rule."""
    suite = suite or default_suite(signer.key_type)
    if suite not in SUITES.get(signer.key_type, ()):
        raise UsageError(f"a {signer.key_type} identity cannot sign {suite}",
                         hint=f"{signer.key_type} signs: {', '.join(SUITES.get(signer.key_type, ()))}")
    if mandatory_pointers is not None and suite != "ecdsa-sd-2023":
        raise UsageError("mandatory pointers apply to ecdsa-sd-2023 only")
    if suite == "ecdsa-sd-2023":
        from lerwallet.proofs.ecdsa_sd_derive import create_base_proof

        return create_base_proof(doc, private_key=signer.private_key, verification_method=signer.verification_method,
                                 mandatory_pointers=list(mandatory_pointers or []), created=created, loader=loader)
    from lerwallet.proofs import sign

    return sign(doc, suite=suite, key_type=signer.key_type, private_key=signer.private_key,
                verification_method=signer.verification_method, created=created, loader=loader)


class SelfCheckError(UsageError):
    """The signed credential would not verify: nothing is written or stored."""


def self_check(signed: dict, signer: Signer, *, skip: tuple[str, ...] = ("status",), at: datetime | None = None):
    """Run the signed credential through the verify pipeline (offline; the identity's own DID
    document for did:web). SelfCheckError on any failed check; `skip` names checks allowed to
    fail or be unknown (the status list is published after issuing). Returns the report."""
    from lerwallet.keys.resolver import Resolver
    from lerwallet.proofs.holder_copy import holder_copies
    from lerwallet.verify import verify_bytes
    from lerwallet.verify.options import Options
    from lerwallet.verify.report import FAIL, UNKNOWN

    resolver = Resolver(documents={signer.did: signer.document} if signer.method == "web" else None)
    data = json.dumps(signed, ensure_ascii=False).encode("utf-8")
    with holder_copies():  # an ecdsa-sd-2023 base proof is checked in full, as its holder will
        reports = verify_bytes(data, Options(resolver=resolver, at=at), expect="object")
    creds = reports[0].credentials if reports else []
    if len(creds) != 1:
        raise SelfCheckError("the issued credential does not read back as one credential (a bug: nothing was written)")
    for check in creds[0].checks:
        if check.outcome in (FAIL, UNKNOWN) and not any(check.id == s or check.id.startswith(s + ".") for s in skip):
            raise SelfCheckError(f"the issued credential would not verify ({check.id}: {check.reason}); nothing was written")
    return reports[0]


# --- the whole job --------------------------------------------------------------------------------


@dataclass
class Issued:
    credential: dict
    status_list: str | None = None
    status_index: int | None = None
    status_url: str | None = None

    def summary(self) -> dict:
        subject = self.credential.get("credentialSubject", {})
        out = {"id": self.credential.get("id"), "issuer": self.credential["issuer"]["id"],
               "recipient": subject.get("id") or "hashed email",
               "achievement": subject.get("achievement", {}).get("name"),
               "validFrom": self.credential.get("validFrom"), "validUntil": self.credential.get("validUntil"),
               "proof": self.credential.get("proof", {}).get("cryptosuite")}
        if self.status_list is not None:
            out["status"] = {"list": self.status_list, "index": self.status_index, "url": self.status_url}
        return out


def issue_ob3(wallet, *, identity: str, to: str, achievement: dict, valid_until: str | None = None,
              status_list: str | None = None, issuer_name: str | None = None, now: datetime | None = None) -> Issued:
    """Build, sign and self-check an OB 3.0 credential from identity `identity` to `to` (a DID or
    an email address). With `status_list`, a random free index of that list is taken in the same
    wallet transaction, and only if everything else succeeded: a failure stores nothing."""
    from lerwallet.issue import statuslist

    person = recipient(to)
    signer = signer_for(wallet, identity)
    valid_from = iso(now) if now else iso()
    with wallet.transaction():
        entry = allocation = None
        if status_list is not None:
            _, entry, allocation = statuslist.allocate(wallet, status_list)
            if allocation.did != signer.did:
                raise UsageError(f"status list {status_list!r} belongs to {allocation.did}, not to {signer.did}",
                                 hint="issue with the identity the list was created for, or create a list for this one")
        doc = build_ob3(issuer=signer.did, recipient=person, achievement=achievement, issuer_name=issuer_name,
                        valid_from=valid_from, valid_until=valid_until, credential_status=entry)
        signed = sign_credential(doc, signer)
        self_check(signed, signer)
        if allocation is not None:
            allocation.commit()
    if allocation is None:
        return Issued(signed)
    return Issued(signed, status_list, allocation.index, entry["statusListCredential"])
