"""Generate the QR payload test vectors (docs/qr-format.md): `python make_vectors.py`.

Deterministic: fixed set ids, fixed inputs, zlib level 9. One case per file, `NNN-name.txt`:
a `key: value` header, a `---` line, then the scanned codes, one per line, in the order a
reader receives them (`hex:` before a byte-mode code, which is not text). Headers:
  expect: success | reject
  code: the QrError code a reader must report (reject only; formats-level codes are prefixed qr-)
  sha256: SHA-256 of the decoded presentation bytes (success only)
  note: what the case is about
Rerunning overwrites the files; the test checks lerwallet against them, so a change to the
encoder that changes the bytes shows up as a diff here, to be reviewed.
"""

from __future__ import annotations

import hashlib
import json
import sys
import zlib
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parents[2] / "src"))

from lerwallet.qr import base45, payload  # noqa: E402

VP = json.dumps({
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiablePresentation"],
    "holder": "did:example:holder",
    "verifiableCredential": [{"id": f"urn:example:{i}", "name": f"Badge number {i}" * 3} for i in range(40)],
}, sort_keys=True).encode()
SMALL = json.dumps({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"]}).encode()


def series(data: bytes, parts: int, set_id: str, mode: str = "alphanumeric") -> list[bytes]:
    # A small max_version forces a series out of a payload of a few kilobytes.
    for version in range(40, 0, -1):
        enc = payload.encode(data, max_parts=parts, mode=mode, set_id=set_id, max_version=version)
        if enc.parts == parts:
            return [c.content for c in enc.codes]
    raise SystemExit(f"cannot make {parts} parts")


def manual_series(compressed: bytes, count: int, set_id: str) -> list[bytes]:
    """Parts made by hand around given compressed bytes (for streams the encoder would never make)."""
    digest = hashlib.sha256(compressed).hexdigest()[:32].upper()
    size = -(-len(compressed) // count)
    size += size % 2
    return [f"LW1-{i + 1}-{count}-{set_id}-{digest}:".encode() + base45.encode(compressed[i * size:(i + 1) * size]).encode()
            for i in range(count)]


def write(name: str, codes: list[bytes], *, expect: str, note: str, code: str = "", decoded: bytes = b"") -> None:
    lines = [f"expect: {expect}"]
    if code:
        lines.append(f"code: {code}")
    if decoded:
        lines.append(f"sha256: {hashlib.sha256(decoded).hexdigest()}")
    lines.append(f"note: {note}")
    lines.append("---")
    for c in codes:
        try:
            text = c.decode("ascii")
            ok = text.isprintable() and not text.startswith("hex:")
        except UnicodeDecodeError:
            ok = False
        lines.append(text if ok else "hex:" + c.hex())
    (HERE / f"{name}.txt").write_text("\n".join(lines) + "\n")


def whole(data: bytes) -> bytes:
    return b"LW1:" + base45.encode(data).encode()


def main() -> None:
    for old in HERE.glob("*.txt"):
        old.unlink()
    one = payload.encode(SMALL, mode="alphanumeric").codes[0].content
    write("001-whole-base45", [one], expect="success", decoded=SMALL, note="one code, alphanumeric (base45)")
    byte = payload.encode(SMALL, mode="byte").codes[0].content
    write("002-whole-byte", [byte], expect="success", decoded=SMALL, note="one code, byte mode (raw zlib)")
    three = series(VP, 3, "SET0AAAA")
    write("003-series-in-order", three, expect="success", decoded=VP, note="3 parts, in order")
    write("004-series-any-order", [three[2], three[0], three[1]], expect="success", decoded=VP,
          note="3 parts, read in another order")
    three_b = series(VP, 3, "SET0BBBB", mode="byte")
    write("005-series-byte", three_b, expect="success", decoded=VP, note="3 parts, byte mode")

    write("100-not-lerwallet", [b"HTTPS://EXAMPLE.COM/"], expect="reject", code="not-lerwallet", note="another QR code")
    write("101-version-2", [b"LW2:" + one[4:]], expect="reject", code="unsupported-version", note="a later version")
    write("102-no-separator", [b"LW1" + one[4:]], expect="reject", code="unsupported-version",
          note="version 1 must be followed by B, : or -")
    write("103-part-count-1", [three[0].replace(b"-1-3-", b"-1-1-", 1)], expect="reject", code="bad-header",
          note="a series of one is not canonical: a single code uses the whole form")
    write("104-part-index-over-count", [three[0].replace(b"-1-3-", b"-4-3-", 1)], expect="reject", code="bad-header",
          note="index above count")
    write("105-part-leading-zero", [three[0].replace(b"-1-3-", b"-01-3-", 1)], expect="reject", code="bad-header",
          note="numbers have no leading zeros")
    write("106-part-lowercase-digest", [three[0][:20] + three[0][20:60].lower() + three[0][60:]], expect="reject",
          code="bad-header", note="digest is upper-case hex")
    write("107-part-count-over-cap", [three[0].replace(b"-1-3-", b"-1-65-", 1)], expect="reject", code="bad-header",
          note=f"a series announces at most {payload.MAX_PARTS} parts")
    write("110-base45-bad-char", [b"LW1:" + one[4:-1] + b"a"], expect="reject", code="bad-data",
          note="lower case is outside the base45 alphabet")
    write("111-base45-dangling", [one + b"0"], expect="reject", code="bad-data", note="length % 3 == 1")
    write("112-base45-overflow", [b"LW1:" + b":::"], expect="reject", code="bad-data",
          note="group value 91124 > 65535 (RFC 9285 section 4.2)")
    write("113-empty", [b"LW1:"], expect="reject", code="bad-data", note="no data")
    write("120-not-zlib", [whole(b"not a zlib stream")], expect="reject", code="bad-deflate", note="data is not zlib")
    z = zlib.compress(SMALL, 9)
    write("121-truncated-zlib", [whole(z[:-6])], expect="reject", code="bad-deflate", note="zlib stream cut short")
    write("122-trailing-bytes", [whole(z + b"XY")], expect="reject", code="bad-deflate", note="bytes after the zlib stream")
    write("123-bad-adler", [whole(z[:-1] + bytes([z[-1] ^ 1]))], expect="reject", code="bad-deflate",
          note="zlib checksum wrong")
    bomb = zlib.compress(b" " * (payload.MAX_DECOMPRESSED + 1), 9)
    write("124-zip-bomb", manual_series(bomb, 2, "BOMB0000"), expect="reject",
          code="too-large", note=f"inflates past the {payload.MAX_DECOMPRESSED} byte cap: refused, not inflated")
    write("130-missing-part", [three[0], three[2]], expect="reject", code="missing-part", note="part 2 of 3 missing")
    write("131-duplicate-part", [three[0], three[1], three[1], three[2]], expect="reject", code="duplicate-part",
          note="part 2 read twice")
    other = series(VP + b" ", 3, "SET0AAAA")  # same set id, another payload
    write("132-foreign-part", [three[0], other[1], three[2]], expect="reject", code="foreign-part",
          note="part 2 from another series with the same set id (its digest differs)")
    head = three[1].split(b":", 1)[0]
    tampered = head + b":" + base45.encode(b"\x00" * len(base45.decode(three[1].split(b":", 1)[1].decode()))).encode()
    write("133-digest-mismatch", [three[0], tampered, three[2]], expect="reject", code="digest-mismatch",
          note="part 2's data replaced: the series does not reassemble into the announced digest")
    mixed = [three[0], three_b[1].replace(b"SET0BBBB", b"SET0AAAA"), three[2]]
    write("135-mixed-modes", mixed, expect="reject", code="foreign-part", note="one series mixing base45 and byte parts")
    write("114-longer-than-any-code", [whole(bytes(range(256)) * 12)], expect="reject", code="bad-data",
          note=f"more than {payload.MAX_CODE_CHARS} characters: no QR code holds that")


if __name__ == "__main__":
    main()
