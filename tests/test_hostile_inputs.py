"""Hostile input must cost little (issue #10): every decoder and the canonicalizer, fed an input
at the size caps that once cost minutes or gigabytes, must finish within a generous bound and
with bounded peak memory. Each case runs `verify_bytes` (detection, decoding, the whole pipeline)
in a fresh subprocess that reports its CPU time (so a loaded machine does not make the bound
flaky) and peak resident memory (getrusage), so one case's memory cannot hide behind another's.

These are hostile-input bounds, not speed targets (those live in benchmarks/): the bounds are
an order of magnitude above what the fixed code needs on a loaded 2-core machine, and far
below what the unfixed code took (noted per case).
"""

from __future__ import annotations

import base64
import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from lerwallet.formats import limits
from tests.hostile import poison_credential
from tests.verify_helpers import V2, Party, badge

ROOT = Path(__file__).resolve().parents[1]
SECONDS = 30.0  # CPU seconds, generous: every case below needs under 5 on the development machine
PEAK_MB = 400  # generous: the interpreter with lerwallet loaded is about 60 MB; 8 MiB of input

RUNNER = r"""
import json, resource, sys, time
data = open(sys.argv[1], "rb").read()
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
start = cpu()
from lerwallet.verify import Options, verify_bytes
reports = verify_bytes(data, Options(), source="hostile")
elapsed = cpu() - start
report = reports[0]
first = report.credentials[0] if report.credentials else None
codes = sorted({c.code for c in (first.checks if first else []) if c.code})
print(json.dumps({"seconds": elapsed, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "verdict": report.verdict, "codes": codes, "error": getattr(report, "error", None) or ""}))
"""


def _run(tmp_path: Path, data: bytes) -> dict:
    assert len(data) <= limits.MAX_INPUT_BYTES
    path = tmp_path / "hostile.bin"
    path.write_bytes(data)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    out = subprocess.run([sys.executable, "-c", RUNNER, str(path)], capture_output=True, text=True,
                         timeout=SECONDS * 4, env=env, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["seconds"] < SECONDS, result
    assert result["peak_mb"] < PEAK_MB, result
    return result


def _fill(prefix: bytes, unit: bytes, suffix: bytes, cap: int = limits.MAX_INPUT_BYTES) -> bytes:
    count = (cap - len(prefix) - len(suffix)) // len(unit)
    return prefix + unit * count + suffix


@pytest.fixture(scope="module")
def signed():
    issuer = Party()
    return issuer.sign(badge(issuer, subject="did:example:alice"))


def _cred_json(signed: dict, **extra) -> bytes:
    return json.dumps({**signed, **extra}).encode()


def test_svg_of_unclosed_start_tags_at_the_cap(tmp_path):
    # Quadratic before (a lazy .*? to the closing tag, retried at each start tag): 368 KB took
    # 60 s, 8 MiB hours.
    data = _fill(b"<svg xmlns='http://www.w3.org/2000/svg'>", b"<openbadges:credential>x", b"</svg>")
    result = _run(tmp_path, data)
    assert result["verdict"] == "unreadable"


def test_svg_of_start_tags_without_a_closing_angle_bracket(tmp_path):
    data = _fill(b"<svg xmlns='http://www.w3.org/2000/svg'>", b"<openbadges:credential verify=", b"")
    assert _run(tmp_path, data)["verdict"] == "unreadable"


def test_json_array_of_700000_items(tmp_path, signed):
    # 15 s and 1.35 GB before; now refused by the array cap.
    items = b",".join([b"1"] * 700_000)
    data = _cred_json(signed)[:-1] + b', "evidence": [' + items + b"]}"
    result = _run(tmp_path, data)
    assert result["verdict"] == "unreadable"


def test_many_small_arrays_hit_the_value_cap(tmp_path, signed):
    # Under the array cap one by one, 700,000 values together.
    arrays = b",".join([b"[" + b",".join([b"1"] * 9_000) + b"]"] * 80)
    data = _cred_json(signed)[:-1] + b', "evidence": [' + arrays + b"]}"
    assert _run(tmp_path, data)["verdict"] == "unreadable"


def test_20000_proofs(tmp_path, signed):
    # 5.7 s before; now refused by the proof cap.
    doc = dict(signed, proof=[signed["proof"]] * 20_000)
    assert _run(tmp_path, json.dumps(doc).encode())["verdict"] == "unreadable"


def test_proof_set_at_the_cap_is_checked(tmp_path, signed):
    doc = dict(signed, proof=[signed["proof"]] * limits.MAX_PROOFS)
    result = _run(tmp_path, json.dumps(doc).encode())
    assert result["verdict"] != "unreadable"


def test_16000_copies_of_one_context(tmp_path, signed):
    # 44 s and 2 GB before (120,000 copies: 13.9 GB); now refused by the @context cap.
    doc = dict(signed)
    doc["@context"] = [V2] + [signed["@context"][1]] * 16_000
    assert _run(tmp_path, json.dumps(doc).encode())["verdict"] == "unreadable"


def test_context_copies_at_the_cap_cost_one(tmp_path, signed):
    doc = dict(signed)
    doc["@context"] = [V2] + [signed["@context"][1]] * (limits.MAX_CONTEXT_ENTRIES - 1)
    result = _run(tmp_path, json.dumps(doc).encode())
    # The signature covers the graph, and repeating a context does not change the graph.
    assert result["verdict"] == "valid"


def test_deep_json_at_the_cap(tmp_path):
    data = _fill(b"", b"[", b"")
    assert _run(tmp_path, data)["verdict"] == "unreadable"


def test_duplicate_keys_at_the_cap(tmp_path, signed):
    body = b",".join(b'"name":"x"' for _ in range(400_000))
    data = b"{" + body + b"," + _cred_json(signed)[1:]
    assert _run(tmp_path, data)["verdict"] == "unreadable"


def test_png_of_many_chunks_at_the_cap(tmp_path):
    chunk = struct.pack(">I", 0) + b"tEXt" + struct.pack(">I", zlib.crc32(b"tEXt"))
    data = _fill(b"\x89PNG\r\n\x1a\n", chunk, b"")
    assert _run(tmp_path, data)["verdict"] == "unreadable"


def test_jwt_at_the_cap(tmp_path):
    header = base64.urlsafe_b64encode(b'{"alg":"EdDSA"}').rstrip(b"=")
    payload = base64.urlsafe_b64encode(b'{"vc":{"a":[' + b"1," * 2_500_000 + b'1]}}').rstrip(b"=")
    data = header + b"." + payload[: limits.MAX_INPUT_BYTES - len(header) - 3] + b".x"
    assert _run(tmp_path, data)["verdict"] == "unreadable"


def test_sd_jwt_of_many_disclosures_at_the_cap(tmp_path, signed):
    header = base64.urlsafe_b64encode(b'{"alg":"EdDSA","typ":"vc+sd-jwt"}').rstrip(b"=")
    payload = base64.urlsafe_b64encode(b'{"iss":"did:example:i","vct":"x","_sd":[]}').rstrip(b"=")
    disclosure = base64.urlsafe_b64encode(b'["salt","name","x"]').rstrip(b"=")
    data = _fill(header + b"." + payload + b".c2ln~", disclosure + b"~", b"")
    assert _run(tmp_path, data)["verdict"] in ("unreadable", "invalid")


def test_poison_graph_credential(tmp_path, signed):
    # 80 s before (RDFC-1.0 deep hashing of 8 mutually linked blank nodes).
    result = _run(tmp_path, json.dumps(poison_credential(signed)).encode())
    assert result["verdict"] == "invalid" and "canonicalization_limit" in result["codes"]


def test_largest_legal_credential_canonicalizes_within_bounds(tmp_path, signed):
    # Just under every cap: the canonicalizer's work grows linearly with it.
    per = limits.MAX_JSON_ARRAY - 1
    results = [{"type": "Result", "value": f"r{i}"} for i in range(per)]
    subject = dict(signed["credentialSubject"], result=results)
    doc = dict(signed, credentialSubject=subject)
    result = _run(tmp_path, json.dumps(doc).encode())
    assert result["verdict"] == "invalid"  # the subject changed after signing


def test_fifo_is_refused_without_blocking(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    fifo = tmp_path / "nobody-writes"
    os.mkfifo(fifo)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), LERWALLET_HOME=str(tmp_path / "home"))
    out = subprocess.run([sys.executable, "-m", "lerwallet", "verify", str(fifo)], capture_output=True, text=True,
                         timeout=60, env=env, cwd=ROOT)
    assert out.returncode == 2
    assert "not a regular file" in out.stdout + out.stderr


# --- SVG through the hardened XML parser (issue #11, defusedxml) --------------------------------


def test_svg_billion_laughs_is_refused_before_any_expansion(tmp_path):
    # Ten levels of ten references: 10^10 "lol"s (30 GB) if entities were expanded.
    decls = b'<!ENTITY lol0 "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, b"".join(b"&lol%d;" % (i - 1) for _ in range(10))) for i in range(1, 11))
    data = b'<?xml version="1.0"?><!DOCTYPE svg [' + decls + b']><svg xmlns:openbadges="http://openbadges.org">' \
           b'<openbadges:assertion verify="&lol10;"/></svg>'
    result = _run(tmp_path, data)
    assert result["verdict"] == "unreadable"


def test_svg_at_the_cap_large_and_deep(tmp_path):
    # 8 MiB of nested groups, then 8 MiB of attributes: linear in the parser, nothing kept.
    deep = _fill(b"<svg xmlns='http://www.w3.org/2000/svg'>", b"<g>", b"")
    assert _run(tmp_path, deep)["verdict"] == "unreadable"
    wide = _fill(b"<svg xmlns='http://www.w3.org/2000/svg'><rect ", b'a="b" ', b"/></svg>")
    assert _run(tmp_path, wide)["verdict"] == "unreadable"
    big = _fill(b"<svg xmlns:openbadges='http://openbadges.org'><openbadges:assertion><![CDATA[", b"x",
                b"]]></openbadges:assertion></svg>")
    assert _run(tmp_path, big)["verdict"] == "unreadable"
