"""The QR libraries (qrcode, Pillow, zxing-cpp, cbor2) load only when a QR is made or scanned:
other commands, and verify of a file or of QR text, never pay for them."""

from __future__ import annotations

import json
import subprocess
import sys

from lerwallet.qr import payload
from tests.verify_helpers import Party, badge

HEAVY = ("qrcode", "PIL", "zxingcpp", "cbor2")
PROBE = """
import atexit, sys
atexit.register(lambda: print("LOADED", sorted(m for m in {heavy!r} if m in sys.modules), file=sys.stderr))
from lerwallet.cli import main
sys.argv = ["lerwallet", *{args!r}]
main()
"""


def _loaded(*args: str, env=None) -> list[str]:
    proc = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY, args=list(args))], capture_output=True,
                          text=True, env=env, timeout=120)
    line = [x for x in proc.stderr.splitlines() if x.startswith("LOADED")][-1]
    return eval(line.split(" ", 1)[1])  # a list literal printed by the probe


def test_heavy_imports_only_when_needed(tmp_path, isolated_home):
    issuer = Party()
    cred = tmp_path / "c.json"
    cred.write_text(json.dumps(issuer.sign(badge(issuer))))
    text = tmp_path / "qr.txt"
    text.write_text(payload.encode(cred.read_bytes(), mode="alphanumeric").text())
    assert _loaded("--version") == []
    assert _loaded("verify", str(cred), "--json") == []
    assert _loaded("verify", str(text), "--json") == []  # QR text: no image library, no QR library
    codecs = ("lerwallet.qr.payload", "lerwallet.qr.vpqr", "lerwallet.qr.cborld")
    probe = PROBE.replace(repr(HEAVY), repr(codecs)).format(heavy=codecs, args=["verify", str(cred), "--json"])
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert [x for x in proc.stderr.splitlines() if x.startswith("LOADED")][-1] == "LOADED []"  # sniffing a JSON file is free
    from lerwallet.qr import render

    (image,) = render.write(payload.encode(cred.read_bytes()), str(tmp_path / "qr.png"))
    assert {"PIL", "zxingcpp"} <= set(_loaded("verify", image, "--json"))  # the probe sees what loads
