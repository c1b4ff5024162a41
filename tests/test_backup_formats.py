"""Backup and restore of a wallet holding every format lerwallet stores (issue #11, "Round-trip
test"): OB 3.0 JSON-LD, a VC-JWT, an SD-JWT VC, Open Badges 2.0 (a signed JWS and a hosted JSON
assertion, its recipient checked with --email), a CLR 2.0 with its nested credentials (one of
them imported alone first), a self-attested record with an evidence file, two identities and a
presentation in the history. Restored into an empty wallet, every record is compared item by
item: originals byte for byte, statuses, checks, CLR links, identities, history.

Everything is made here: fresh Ed25519/P-256/RSA keys, real signatures."""

from __future__ import annotations

import base64
import json

from typer.testing import CliRunner

from lerwallet import crypto
from lerwallet.cli.app import app
from lerwallet.keys import did_key_from_public
from lerwallet.proofs.jose import sign_jwt
from lerwallet.proofs.sdjwt import create_sd_jwt
from lerwallet.store import Wallet
from tests.clr_helpers import achievement_credential, signed_clr
from tests.ob2_helpers import EMAIL, Issuer
from tests.verify_helpers import Party, badge, write

PW = "every format backup"
ENV = {"LERWALLET_PASSPHRASE": PW}


def run(*args, input=None):
    result = CliRunner().invoke(app, list(args), env=ENV, input=input, catch_exceptions=False)
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    return result


def records(home, kind: str) -> dict[str, dict]:
    with Wallet.open(home, PW.encode()) as w:
        return {e.id: e.data for e in w.entries(kind)}


def test_every_format_round_trips_item_by_item(isolated_home, tmp_path, monkeypatch):
    assert run("init").exit_code == 0
    party, ob2 = Party(), Issuer()
    cache = ob2.cache(tmp_path / "ob2")
    transcript = signed_clr(party, 3)
    key = crypto.generate_private_key("p256")
    did = did_key_from_public("p256", crypto.public_key_of("p256", key))
    sd_jwt = create_sd_jwt({"iss": did, "vct": "https://credentials.example/degree", "iat": 1748736000, "degree": "BSc"},
                           ["/degree"], key_type="p256", private_key=key, kid=f"{did}#{did[8:]}")
    vc_jwt = sign_jwt(achievement_credential(party, 40, name="JWT course"), key_type="ed25519",
                      private_key=party.private, kid=party.vm)
    hosted = ob2.assertion(2)
    ob2.cache(cache, hosted)
    files = {
        "ob3.json": json.dumps(party.sign(badge(party, name="Teamwork"))),
        "course.jwt": vc_jwt,
        "degree.sd-jwt": sd_jwt,
        "ob2.jwt": ob2.sign(ob2.assertion(1, signed=True)),
        "ob2-hosted.json": json.dumps(hosted),
        "course2.json": json.dumps(transcript["credentialSubject"]["verifiableCredential"][1]),
        "clr.json": json.dumps(transcript),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    imported = run("import", *(str(tmp_path / n) for n in files), "--ob2-cache", str(cache), "--email", EMAIL, "--json")
    assert imported.exit_code == 0, imported.stderr
    evidence = tmp_path / "letter.txt"
    evidence.write_text("a reference letter\n")
    added = run("add", "work", "--title", "Data analyst", "--org", "Acme", "--from", "2023-01-01", "--evidence", str(evidence))
    assert added.exit_code == 0, added.stderr
    assert run("did", "create", "--key-type", "p256", "--name", "second").exit_code == 0
    listed = json.loads(run("list", "--json").stdout)
    assert len(listed) == 10  # 6 files + the CLR's 2 other courses + the record
    shared = run("present", listed[0]["id"], "--yes", "--out", str(tmp_path / "vp.json"))
    assert shared.exit_code == 0, shared.stderr

    backup = tmp_path / "w.backup"
    assert run("backup", "--out", str(backup)).exit_code == 0
    restored = tmp_path / "restored"
    monkeypatch.setenv("LERWALLET_HOME", str(restored))
    r = run("restore", str(backup), "--json")
    assert r.exit_code == 0, r.stderr

    def originals(home) -> dict[str, bytes]:
        return {i: base64.b64decode(d["bytes"]) for i, d in records(home, "credential-original").items()}

    assert originals(restored) == originals(isolated_home)  # same ids, byte for byte
    for kind in ("credential-checks", "credential-evidence", "identity", "setting", "presentation-history"):
        assert records(restored, kind) == records(isolated_home, kind), kind
        assert records(restored, kind), kind  # each kind is there to compare
    strip = lambda d: {k: v for k, v in d.items() if k not in ("digest", "content_digest")}  # noqa: E731 - rebuilt keyed index
    assert {i: strip(d) for i, d in records(restored, "credential").items()} == \
           {i: strip(d) for i, d in records(isolated_home, "credential").items()}
    after = json.loads(run("list", "--json").stdout)
    assert after == listed
    formats = {json.loads(run("show", x["id"], "--json").stdout)["format"] for x in after}
    assert formats == {"vc-json-ld", "vc-jwt", "sd-jwt", "ob2"}
    parent = next(x for x in after if x["kind"] == "ClrCredential")
    assert sorted(x["title"] for x in after if x["clr"] == parent["id"]) == ["Course 1", "Course 2", "Course 3"]
    # The restored wallet rechecks what it holds as the first did: the OB 2.0 recipient included.
    again = run("recheck", "--ob2-cache", str(cache), "--json")
    assert again.exit_code == 0, again.stderr
    assert {x["status"] for x in json.loads(again.stdout)} == {"verified"}
    checks = {c["id"]: c for c in json.loads(run("show", next(x["id"] for x in after if x["kind"] == "Assertion"),
                                                   "--json").stdout)["checks"]}
    assert checks["badge.recipient"]["outcome"] == "pass"
    assert run("check").exit_code == 0
