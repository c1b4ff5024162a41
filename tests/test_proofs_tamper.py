"""Tampering that JSON-LD could silently drop must never keep a signature valid.

Each case of tests/vectors/ld/tamper (keyword-like keys, null term definitions, null
@value, @vocab tricks, @index, ...) is applied to a credential signed here with a fresh key;
`lerwallet.verify.verify_bytes` must not call it valid. The verdict must not depend on
which canonicalization engine runs: every case is checked as in a fresh process (pyld's
JSON-LD module not loaded yet, so the fast path goes first) and with pyld loaded, and
a subprocess checks the reviewer's scenario (a tampered file alone, then after a
float-bearing credential that forces pyld to load) for real.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import subprocess
import sys
import types
from pathlib import Path

import pytest

from lerwallet.ld import canon
from lerwallet.verify import verify_bytes
from verify_helpers import Party

TAMPER = Path(__file__).parent / "vectors" / "ld" / "tamper"
_spec = importlib.util.spec_from_file_location("make_cases", TAMPER / "make_cases.py")
make_cases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_cases)

# Changes that leave the data unchanged for JSON-LD and jsonld.js alike (a null next to a
# value, a nested array, restating a protected term identically, a node-level @language).
HARMLESS = {"added_set_null", "null_in_array", "protected_same_definition", "nested_array", "language_alias_only",
            "bnode_label_c14n"}

ISSUER = Party()


def _signed() -> dict:
    doc = make_cases.base()
    doc["issuer"]["id"] = ISSUER.did
    return ISSUER.sign(doc)


SIGNED = _signed()


def _tampered(name: str) -> dict:
    doc = copy.deepcopy(SIGNED)
    return make_cases.build(make_cases.CHANGES[name], doc)


def _verdict(doc: dict) -> tuple[str, str]:
    [report] = verify_bytes(json.dumps(doc).encode("utf-8"))
    [cred] = report.credentials
    failed = [f"{c.id}: {c.reason}" for c in cred.checks if c.outcome == "fail"]
    return cred.verdict, "; ".join(failed)


@pytest.fixture(params=["fresh", "pyld-loaded"])
def engine_state(request, monkeypatch):
    """'fresh': canon sees no pyld.jsonld, as in a new process (auto tries the fast path)."""
    from lerwallet.ld import _pyld

    _pyld.jsonld()  # make sure pyld is really there for the fallback
    if request.param == "fresh":
        view = {k: v for k, v in sys.modules.items() if k != "pyld.jsonld"}
        monkeypatch.setattr(canon, "sys", types.SimpleNamespace(modules=view))
    return request.param


def test_untampered_credential_verifies(engine_state):
    assert _verdict(SIGNED) == ("valid", "")


@pytest.mark.parametrize("name", sorted(set(make_cases.CHANGES) - HARMLESS))
def test_tampered_credential_never_verifies(name, engine_state):
    verdict, failed = _verdict(_tampered(name))
    assert verdict == "invalid", name
    assert "proof" in failed


@pytest.mark.parametrize("name", sorted(HARMLESS))
def test_changes_without_data_keep_the_signature(name, engine_state):
    [report] = verify_bytes(json.dumps(_tampered(name)).encode("utf-8"))
    proof = report.credentials[0].check("proof")
    assert proof.outcome == "pass", proof.reason  # (the OB 3.0 schema may still object)


_SCRIPT = r"""
import json, sys
from lerwallet.verify import verify_bytes
tampered, floaty = (open(p, "rb").read() for p in sys.argv[1:3])
out = []
def run(data):
    [report] = verify_bytes(data)
    out.append([report.credentials[0].verdict, "pyld.jsonld" in sys.modules])
run(tampered); run(floaty); run(tampered)
print(json.dumps(out))
"""


@pytest.mark.parametrize("name", ["atkey_top", "null_term_embedded", "null_term_top", "value_null"])
def test_verdict_does_not_depend_on_what_ran_before(name, tmp_path):
    floaty = make_cases.base()
    floaty["issuer"]["id"] = ISSUER.did
    floaty["credentialSubject"]["achievement"]["creditsAvailable"] = 2.5  # fast path declines floats
    (tmp_path / "tampered.json").write_text(json.dumps(_tampered(name)))
    (tmp_path / "float.json").write_text(json.dumps(ISSUER.sign(floaty)))
    proc = subprocess.run([sys.executable, "-c", _SCRIPT, str(tmp_path / "tampered.json"), str(tmp_path / "float.json")],
                          capture_output=True, text=True, timeout=120, check=True)
    runs = json.loads(proc.stdout)
    assert runs[1] == ["valid", True]  # the float-bearing credential loaded pyld
    assert runs[0][0] == runs[2][0] == "invalid"
