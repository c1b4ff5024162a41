"""The verification pipeline is one declared list of named stages, and `import` runs the same
stages as `verify` (the SD-JWT key binding check included)."""

from __future__ import annotations

import json

from lerwallet import crypto
from lerwallet.keys import did_key_from_public
from lerwallet.proofs.sdjwt import create_sd_jwt, holder_jwk_for
from lerwallet.store.importer import examine
from lerwallet.verify import Options, verify_bytes
from lerwallet.verify.pipeline import CREDENTIAL_STAGES

from verify_helpers import Party, badge


def test_stages_are_declared_in_the_documented_order():
    assert [s.name for s in CREDENTIAL_STAGES] == [
        "presentation.expected", "structure", "clr.size", "schema", "proof", "structure.graph", "holder.binding",
        "validity", "status", "trust", "badge", "endorsements", "clr", "sd-jwt.key-binding",
        # Open Badges 2.0 assertions (issue #11, verify/ob2.py)
        "ob2.structure", "ob2.verification", "ob2.validity", "ob2.status", "ob2.trust", "ob2.endorsements", "ob2.recipient",
    ]


def _bound_sd_jwt() -> bytes:
    key = crypto.generate_private_key("ed25519")
    did = did_key_from_public("ed25519", crypto.public_key_of("ed25519", key))
    holder = crypto.generate_private_key("ed25519")
    claims = {"iss": did, "vct": "https://credentials.example/degree", "iat": 1748736000, "degree": "BSc"}
    token = create_sd_jwt(claims, ["/degree"], key_type="ed25519", private_key=key, kid=f"{did}#{did[8:]}",
                          holder_jwk=holder_jwk_for("ed25519", holder))
    return token.encode()


def _pairs(checks) -> list[tuple[str, str]]:
    return [(c["id"], c["outcome"]) if isinstance(c, dict) else (c.id, c.outcome) for c in checks]


def test_import_runs_the_same_stages_as_verify_including_sd_jwt_key_binding():
    data = _bound_sd_jwt()
    verified = verify_bytes(data, Options())[0].credentials[0]
    imported = examine(data, "degree.sd-jwt", Options()).found[0]
    assert _pairs(imported.checks) == _pairs(verified.checks)
    binding = [c for c in imported.checks if c["id"] == "holder.binding"]
    assert binding == [{"id": "holder.binding", "outcome": "warn", "reason": binding[0]["reason"],
                        "code": "holder_binding_not_proven"}]


def test_import_and_verify_agree_on_a_signed_badge():
    issuer = Party()
    data = json.dumps(issuer.sign(badge(issuer))).encode()
    verified = verify_bytes(data, Options())[0].credentials[0]
    imported = examine(data, "badge.json", Options()).found[0]
    assert _pairs(imported.checks) == _pairs(verified.checks)
    assert ("proof", "pass") in _pairs(imported.checks)


def test_a_stopped_run_reports_later_stages_as_skipped():
    issuer = Party()
    signed = issuer.sign(badge(issuer))
    signed["name"] = "Forged"  # the proof no longer verifies
    cred = verify_bytes(json.dumps(signed).encode(), Options())[0].credentials[0]
    pairs = _pairs(cred.checks)
    assert ("proof", "fail") in pairs
    assert [p for p in pairs if p[1] == "skipped"] == [
        ("valid-from", "skipped"), ("expiration", "skipped"), ("status", "skipped"), ("issuer.trust", "skipped")]
