"""Start-up budget, guarded structurally: which modules a command loads, not how long it takes.

Timings live in benchmarks/ (they depend on the machine); these tests fail when a module-level
import drags a heavy dependency into a path that does not need it.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.verify_helpers import V2, Party, badge, write

HEAVY = ("pyld", "jsonschema", "qrcode", "pyoxigraph", "rich", "asyncio", "aiohttp", "requests", "PIL", "zxingcpp")


def loaded_after(code: str, *args: str) -> set[str]:
    """Top-level and dotted module names in sys.modules after running `code` in a fresh Python."""
    probe = (
        "import sys, json, io, contextlib\n"
        f"{code}\n"
        "print('\\n' + json.dumps(sorted(sys.modules)))"
    )
    proc = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stdout.strip().splitlines()[-1]))


def heavy_in(modules: set[str], names=HEAVY) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in names)


CLI = (
    "sys.argv = ['lerwallet'] + sys.argv[1:]\n"
    "from lerwallet.cli import main\n"
    "out = io.StringIO()\n"
    "try:\n"
    "    with contextlib.redirect_stdout(out): main()\n"
    "except SystemExit as e:\n"
    "    sys.stderr.write(f'exit {e.code}')\n"
)


def test_importing_the_cli_app_loads_no_heavy_dependency():
    assert heavy_in(loaded_after("import lerwallet.cli.app")) == []


def test_version_loads_neither_typer_nor_the_library():
    mods = loaded_after(CLI, "--version")
    assert heavy_in(mods, HEAVY + ("typer", "cryptography")) == []


@pytest.fixture(scope="module")
def creds(tmp_path_factory):
    root = tmp_path_factory.mktemp("budget")
    issuer = Party()
    plain = {"@context": [V2], "id": "urn:uuid:0d3f5e9c-3b7a-4d8e-9a51-2b1c7f0e6a01",
             "type": ["VerifiableCredential"], "issuer": issuer.did, "validFrom": "2024-01-01T00:00:00Z",
             "credentialSubject": {"id": "did:example:alice", "name": "Alice"}}
    ob3 = issuer.sign(badge(issuer))
    broken = dict(ob3, awardedDate=7)  # schema-invalid (and no longer matching its proof)
    return {
        "plain": write(root / "plain.json", issuer.sign(plain)),
        "ob3": write(root / "ob3.json", ob3),
        "broken": write(root / "broken.json", broken),
    }


def test_verifying_a_plain_vc2_credential_never_imports_jsonschema(creds):
    mods = loaded_after(CLI, "verify", "--json", str(creds["plain"]))
    assert "lerwallet.verify.pipeline" in mods  # it really verified
    assert heavy_in(mods, ("jsonschema", "typer", "rich", "qrcode", "asyncio", "zipfile", "lzma", "bz2")) == []


def test_verifying_a_valid_ob3_badge_decides_its_schema_without_jsonschema(creds):
    mods = loaded_after(CLI, "verify", "--json", str(creds["ob3"]))
    assert "lerwallet.verify.schemacheck" in mods
    assert heavy_in(mods, ("jsonschema", "typer", "rich", "qrcode", "asyncio", "zipfile", "lzma", "bz2")) == []
    assert "pyld.jsonld" not in mods  # the fast canonicalization path, not pyld's JSON-LD processor
    # Readers and stages of other formats load when such an input arrives, not for every badge.
    assert {"lerwallet.verify.ob2", "lerwallet.formats.lerrs", "lerwallet.formats.ob2", "lerwallet.formats.archive",
            "lerwallet.verify.clr"} & mods == set()
    # No @dataclass on the verify path (lerwallet.structs): importing dataclasses pulls inspect,
    # ast and dis (about 6 ms), and each class compiles its methods at import.
    assert {"dataclasses", "inspect", "ast", "unicodedata"} & mods == set()


def test_an_invalid_ob3_badge_is_explained_by_jsonschema(creds):
    # The other side of the coin: the probe above can see jsonschema when it is loaded.
    mods = loaded_after(CLI, "verify", "--json", str(creds["broken"]))
    assert "jsonschema" in mods


def test_terminal_report_loads_rich_but_not_typer(creds):
    mods = loaded_after(CLI, "verify", str(creds["ob3"]))
    assert "rich.panel" in mods and heavy_in(mods, ("typer", "jsonschema")) == []


def test_status_loads_no_verification_or_rendering_stack():
    mods = loaded_after(CLI, "status")
    assert heavy_in(mods) == []
    assert not any(m.startswith(("lerwallet.verify", "lerwallet.proofs", "lerwallet.ld")) for m in mods)


@pytest.mark.parametrize("args", [("verify", "--json"), ("verify",), ("status",)])
def test_start_up_imports_are_frozen_and_the_collector_is_on_after(creds, tmp_path, args):
    """cli.loading: no garbage collection while the start-up imports run (they create no
    garbage), those objects frozen out of later collections, and the collector on again for
    the command itself."""
    files = [str(creds["ob3"])] if args[0] == "verify" else []
    probe = (
        "import sys, json, io, contextlib, gc, os\n"
        f"os.environ['LERWALLET_HOME'] = {str(tmp_path / 'home')!r}\n"
        "import lerwallet.verify.batch as batch\n"
        "states = []\n"
        "real = batch.run_all\n"
        "batch.run_all = lambda *a, **k: (states.append(gc.isenabled()), real(*a, **k))[1]\n"
        + CLI +
        "print('\\n' + json.dumps([gc.isenabled(), gc.get_freeze_count(), states]))"
    )
    proc = subprocess.run([sys.executable, "-c", probe, *args[:1], *files, *args[1:]], capture_output=True, text=True,
                          timeout=60)
    enabled, frozen, during = json.loads(proc.stdout.strip().splitlines()[-1])
    assert enabled is True and frozen > 5000
    assert during == ([True] if args[0] == "verify" else [])


def test_plain_list_loads_the_store_without_dataclasses(tmp_path):
    """`lerwallet list` (the fast path, timed over 10,000 credentials) loads the store, and no
    `@dataclass` on the way (lerwallet.structs): importing dataclasses costs about 6 ms."""
    probe = (
        f"import os\nos.environ['LERWALLET_HOME'] = {str(tmp_path / 'home')!r}\n"
        "import lerwallet.cli as cli\n"
        "cli._exit_now = sys.exit  # the fast path ends the process with os._exit: let the probe print first\n"
        + CLI
    )
    mods = loaded_after(probe, "list", "--json")
    assert {"lerwallet.store.vault", "lerwallet.store.credentials", "lerwallet.cli.listing"} <= mods
    assert {"dataclasses", "inspect", "ast"} & mods == set()
    assert heavy_in(mods) == []
