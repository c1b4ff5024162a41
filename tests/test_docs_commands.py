"""Every `sh` command block in README.md and docs/*.md runs, as written, and succeeds (issue 9:
"every command sequence in README and docs runs in a test, as written").

Each block runs in its own copy of one prepared world: a learner's wallet holding the credentials
the guides talk about, a few presentations already shared, and the files the commands name
(badge.json, employer-request.json, for-acme-1.png, scans/). A block that runs `lerwallet init`
starts with no wallet instead. The real `lerwallet` command runs; the one thing the harness adds is
a `lerwallet` in front of it on PATH that replaces the guides' example ids (short prefixes such as
`3f2a`, which differ in every wallet) by the id of the credential they stand for, looked up by
title in the wallet as it is at that moment. The table is PLACEHOLDERS below.

A block that cannot run unattended says why in a comment just above it in the guide:
`<!-- not run: REASON -->`; the reason must name where that behaviour is tested.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUIDES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PASSPHRASE = "docs pass"
# The guides' example ids -> the title of the credential each stands for.
PLACEHOLDERS = {"3f2a": "First Aid at Work", "9c1b": "Teamwork", "9f1b": "degree", "67c3": "Welding",
                "5e1f": "Data engineer"}  # 5e1f: a self-attested record (lerwallet add, docs/record.md)
HOW = ("\n(Make the guide's commands run as written in a fresh wallet, see this module's docstring; a block "
       "that cannot run unattended, such as a server, gets `<!-- not run: REASON -->` on a line above it.)")
NOT_RUN = re.compile(r"<!--\s*not run:\s*(.+?)\s*-->")


def _blocks() -> list:
    found = []
    for guide in GUIDES:
        lines = guide.read_text(encoding="utf-8").splitlines()
        i = 0
        while i < len(lines):
            if lines[i].strip() == "```sh":
                start = i
                body = []
                i += 1
                while lines[i].strip() != "```":
                    body.append(lines[i])
                    i += 1
                above = "\n".join(lines[max(0, start - 3):start])
                skip = NOT_RUN.search(above)
                name = f"{guide.relative_to(ROOT)}:{start + 1}"
                marks = [pytest.mark.skip(reason=f"not run: {skip.group(1)}")] if skip else []
                found.append(pytest.param("\n".join(body), id=name, marks=marks))
            i += 1
    return found


BLOCKS = _blocks()

# The `lerwallet` the blocks call: resolves PLACEHOLDERS in its arguments, then runs the real one.
WRAPPER = """#!{python}
import json, os, subprocess, sys
real = {real!r}
table = {table!r}
args = sys.argv[1:]
if any(a in table for a in args):
    out = subprocess.run([real, "list", "--all", "--json"], capture_output=True, text=True)
    if out.returncode != 0:
        out = subprocess.run([real, "list", "--json"], capture_output=True, text=True)
    ids = {{}}
    for row in json.loads(out.stdout or "[]"):
        ids.setdefault(row.get("title"), row["id"])
    args = [ids.get(table[a], a) if a in table else a for a in args]
os.execv(real, [real, *args])
"""


def _lerwallet() -> str:
    found = Path(sys.executable).parent / "lerwallet"
    assert found.exists(), "the lerwallet command is installed next to the test interpreter (make test does it)"
    return str(found)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The prepared world (see the module docstring), built once in-process with the real CLI."""
    from typer.testing import CliRunner

    from lerwallet import crypto
    from lerwallet.cli.app import app
    from lerwallet.keys import did_key_from_public
    from lerwallet.keys.jwk import public_to_jwk
    from lerwallet.keys.multikey import decode_multikey
    from lerwallet.proofs.ecdsa_sd_derive import create_base_proof
    from lerwallet.proofs.sdjwt import create_sd_jwt
    from lerwallet.store import vault

    from present_helpers import OB3, V2, Issuer, badge

    base = tmp_path_factory.mktemp("docs-world")
    work, home = base / "work", base / "home"
    work.mkdir()
    home.mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LERWALLET_HOME", str(home / "wallet"))
        mp.setenv("NO_COLOR", "1")
        mp.setattr(vault, "new_wallet_kdf", crypto.KdfParams.unsafe_fast_for_tests)

        def run(*args):
            result = CliRunner().invoke(app, [str(a) for a in args], env={"LERWALLET_PASSPHRASE": PASSPHRASE},
                                        catch_exceptions=False)
            assert result.exit_code == 0, (args, result.output, result.stderr)
            return result

        run("init")
        me = json.loads(run("did", "list", "--json").stdout)[0]["did"]
        holder = json.loads(run("did", "list", "--json").stdout)[0]["keys"][0]["publicKeyMultibase"]
        school = Issuer()
        p256 = crypto.generate_private_key("p256")
        p256_did = did_key_from_public("p256", crypto.public_key_of("p256", p256))
        p256_vm = f"{p256_did}#{p256_did.split(':')[2]}"
        files = {
            "first-aid.json": json.dumps(badge(school, me, name="First Aid at Work", number=1)),
            "teamwork.json": json.dumps(badge(school, me, name="Teamwork", number=2)),
            "python.json": json.dumps(badge(school, me, name="Python Programming", skill="Python", number=3)),
            "degree.sd-jwt": create_sd_jwt(
                {"iss": p256_did, "iat": 1780000000, "vct": "https://credentials.example/degree",
                 "given_name": "Ada", "family_name": "Lovelace", "degree": "MSc Computing"},
                ["/given_name", "/family_name", "/degree"], key_type="p256", private_key=p256, kid=p256_vm,
                holder_jwk=public_to_jwk(*decode_multikey(holder))),
            "welding.json": json.dumps(create_base_proof({
                "@context": [V2, OB3], "id": "urn:uuid:1b4e28ba-2fa1-41d2-883f-0016d3cca427",
                "type": ["VerifiableCredential", "OpenBadgeCredential"], "name": "Welding",
                "issuer": {"id": p256_did, "type": ["Profile"], "name": "Trade School"},
                "validFrom": "2024-01-01T00:00:00Z",
                "credentialSubject": {"id": me, "type": ["AchievementSubject"], "achievement": {
                    "id": "https://trade.example/a/weld", "type": ["Achievement"], "name": "Welding",
                    "criteria": {"narrative": "Welded"}, "description": "MIG and TIG"}}},
                private_key=p256, verification_method=p256_vm,
                mandatory_pointers=["/issuer", "/credentialSubject/achievement/name"])),
        }
        held = base / "held"
        held.mkdir()
        for name, text in files.items():
            (held / name).write_text(text)
        run("import", *sorted(held.iterdir()))
        # docs/record.md and README's record blocks: evidence files, a --from-file document, and one
        # self-attested record (the learner's own, `lerwallet add`) the 5e1f placeholder stands for.
        for name in ("reference-letter.pdf", "reference.pdf"):
            (work / name).write_bytes(b"%PDF-1.4 a reference letter (docs test)\n")
        (work / "records.json").write_text(json.dumps([
            {"kind": "conference", "title": "Talk on LERs", "org": "EdTech Summit", "from": "2024-05-02",
             "evidence": ["reference.pdf"]},
            {"kind": "project", "title": "Garden robot", "org": "Makerspace", "from": "2023"}]))
        run("add", "work", "--title", "Data engineer", "--org", "Acme GmbH", "--from", "2021-03",
            "--evidence", work / "reference-letter.pdf")
        ids = {r["title"]: r["id"] for r in json.loads(run("list", "--json").stdout)}
        # What the guides assume happened before: presentations shared, QR codes made and scanned.
        # A series of codes (for-acme-1-of-N.png), so a block that writes for-acme.png finds it free.
        run("present", *(ids[t] for t in ("First Aid at Work", "Teamwork", "Python Programming", "Welding")),
            "--domain", "jobs.example.com", "--challenge", "8f3e1c", "--qr", work / "for-acme.png", "--qr-ecc", "H",
            "--yes")
        (work / "scans").mkdir()
        for png in work.glob("for-acme*.png"):
            shutil.copy(png, work / "scans" / png.name)
        run("present", ids["Teamwork"], "--challenge", "8f3e1c", "--out", base / "vp2.json", "--yes")
        run("present", ids["Welding"], "--challenge", "8f3e1c", "--out", base / "vp3.json", "--yes")
        # Files the commands name.
        (work / "badge.json").write_text(json.dumps(badge(school, me, name="First Aid at Work", number=4)))
        # README "Finding things": the bundled CLR 2.0 example, and a downloads folder read by content.
        shutil.copy(ROOT / "examples" / "credentials" / "clr-transcript.json", work / "transcript.json")
        (work / "downloads").mkdir()
        (work / "downloads" / "badge.1ob").write_text(json.dumps(badge(school, me, name="Odd Name Badge", number=6)))
        (work / "downloads" / "notes.md").write_text("# notes\n")
        (work / "employer-request.json").write_text(json.dumps({
            "query": [{"type": "QueryByExample", "credentialQuery": [{
                "reason": "We need proof of your welding badge",
                "example": {"type": "OpenBadgeCredential",
                            "credentialSubject": {"achievement": {"name": "Welding"}}}}]}],
            "challenge": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "domain": "jobs.example.com"}))
        stdin = badge(school, me, name="Teamwork", number=5)
    assert not (work / "for-acme.png").exists() and len(list(work.glob("for-acme-*-of-*.png"))) >= 2
    assert ids.keys() >= set(PLACEHOLDERS.values())
    return {"base": base, "stdin": json.dumps(stdin)}


@pytest.mark.parametrize("block", BLOCKS)
def test_guide_block_runs_as_written(block, world, tmp_path):
    sandbox = tmp_path / "sandbox"
    shutil.copytree(world["base"], sandbox)
    home, work, bin_dir = sandbox / "home", sandbox / "work", sandbox / "bin"
    if re.search(r"^\s*lerwallet init\b", block, re.M):
        shutil.rmtree(home / "wallet")
    bin_dir.mkdir()
    wrapper = bin_dir / "lerwallet"
    wrapper.write_text(WRAPPER.format(python=sys.executable, real=_lerwallet(), table=PLACEHOLDERS))
    wrapper.chmod(0o755)
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(home), "LERWALLET_HOME": str(home / "wallet"), "NO_COLOR": "1", "COLUMNS": "120",
        "LERWALLET_PASSPHRASE": PASSPHRASE, "LERWALLET_NEW_PASSPHRASE": "a new docs pass",
        "LANG": "C.UTF-8",
    }
    script = "set -euo pipefail\n" + block + "\n"
    stdin = world["stdin"] if re.search(r"\bimport\b.*\s-(\s|$)", block) else "y\n"
    try:
        result = subprocess.run(["bash", "-c", script], cwd=work, env=env, input=stdin, capture_output=True,
                                text=True, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the block did not finish in 120 s{HOW}")
    assert result.returncode == 0, (f"exit {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n"
                                    f"{result.stderr}{HOW}")
    assert "Traceback" not in result.stderr


def test_the_guides_have_blocks_to_run():
    """The harness finds the guides' command blocks (a parser that found none would pass vacuously)."""
    ids = [p.id for p in BLOCKS]
    assert sum(i.startswith("README.md") for i in ids) >= 5 and any(i.startswith("docs/present.md") for i in ids)
