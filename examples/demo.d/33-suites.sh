#!/usr/bin/env bash
# Legacy and newer securing mechanisms (issue #10): Ed25519Signature2018 badges from the Jobs for
# the Future plugfests, eddsa-jcs-2022 / ecdsa-jcs-2019, an SD-JWT VC and a VC-JWT issuer with an
# X.509 chain (x5c) checked against the employer's trust anchor (and the CA's CRL), and a DER-encoded ES256 JWT named as such.
set -euo pipefail
PY="$(dirname "$(command -v lerwallet)")/python"
JFF="$DEMO_EXAMPLES/../tests/interop/ed25519-2018/real-world"
verdict() { "$PY" -c 'import json,sys; r=json.load(sys.stdin); c=r["inputs"][0]["credentials"][0]; p=[x for x in c["checks"] if x["id"]=="proof"][0]; print("  %-14s proof %-7s %s" % (c["verdict"], p["outcome"], p["reason"][:220]))'; }

echo "== Ed25519Signature2018 (JFF plugfest badges, as published in w3c-ccg/vc-ed)"
for f in jff-plugfest-1-ex-1 jff-plugfest-3-signed-badge jff-plugfest-2-signed-badge; do
    echo "\$ lerwallet verify $f.json"
    lerwallet verify "$JFF/$f.json" --json | verdict || true
done
echo "(plugfest 2 fails in the reference verifier too: its OB 3.0 context.json changed after signing)"

echo "== eddsa-jcs-2022 and ecdsa-jcs-2019: an issuer signs (library), the employer verifies"
"$PY" - "$DEMO_WORK" <<'PYEOF'
import json, sys
from lerwallet import crypto
from lerwallet.keys import did_key_from_public
from lerwallet.proofs import sign

work = sys.argv[1]
for suite, key_type in (("eddsa-jcs-2022", "ed25519"), ("ecdsa-jcs-2019", "p384")):
    key = crypto.generate_private_key(key_type)
    did = did_key_from_public(key_type, crypto.public_key_of(key_type, key))
    vc = {"@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
          "type": ["VerifiableCredential"], "issuer": did, "validFrom": "2025-06-01T00:00:00Z",
          "name": "Welding Safety", "credentialSubject": {"id": "did:example:learner", "hours": 12.5}}
    signed = sign(vc, suite=suite, key_type=key_type, private_key=key, verification_method=f"{did}#{did[8:]}")
    json.dump(signed, open(f"{work}/{suite}.json", "w"), indent=2)
PYEOF
for s in eddsa-jcs-2022 ecdsa-jcs-2019; do
    echo "\$ lerwallet verify $s.json"; lerwallet verify "$DEMO_WORK/$s.json" --json | verdict || true
done
sed 's/"hours": 12.5/"hours": 125/' "$DEMO_WORK/eddsa-jcs-2022.json" > "$DEMO_WORK/jcs-tampered.json"
echo "\$ lerwallet verify jcs-tampered.json   (hours 12.5 -> 125)"
lerwallet verify "$DEMO_WORK/jcs-tampered.json" --json | verdict || true

echo "== SD-JWT VC from an issuer identified by an X.509 chain (x5c)"
"$PY" - "$DEMO_WORK" <<'PYEOF'
import base64, datetime as dt, sys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from lerwallet import crypto
from lerwallet.proofs.sdjwt import create_sd_jwt

work, now = sys.argv[1], dt.datetime.now(dt.timezone.utc)
def cert(key, cn, issuer_key, issuer_cn, ca, san=None):
    b = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)]))
         .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer_cn)])).public_key(key.public_key())
         .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
         .not_valid_after(now + dt.timedelta(days=30)).add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
         .add_extension(x509.KeyUsage(not ca, False, False, False, False, ca, ca, False, False), critical=True)
         .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
         .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False))
    if san:
        b = b.add_extension(x509.SubjectAlternativeName(san), critical=False)
    return b.sign(issuer_key, hashes.SHA256())
root_key = ec.generate_private_key(ec.SECP256R1())
root = cert(root_key, "Demo Trust Anchor (demo only)", root_key, "Demo Trust Anchor (demo only)", True)
leaf_private = crypto.generate_private_key("p256")
leaf_key = ec.derive_private_key(int.from_bytes(leaf_private, "big"), ec.SECP256R1())
leaf = cert(leaf_key, "Demo PID Issuer", root_key, "Demo Trust Anchor (demo only)", False,
            [x509.UniformResourceIdentifier("https://pid-issuer.example.eu")])
open(f"{work}/anchor.pem", "wb").write(root.public_bytes(serialization.Encoding.PEM))
x5c = [base64.b64encode(leaf.public_bytes(serialization.Encoding.DER)).decode()]
sd = create_sd_jwt({"iss": "https://pid-issuer.example.eu", "vct": "urn:eudi:pid:1", "given_name": "Ada"},
                   ["/given_name"], key_type="p256", private_key=leaf_private, extra_header={"x5c": x5c})
open(f"{work}/pid.sd-jwt", "w").write(sd)
from lerwallet.proofs.jose import sign_compact  # a vc+jwt from the same certified issuer
vc = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
      "issuer": "https://pid-issuer.example.eu", "validFrom": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
      "credentialSubject": {"id": "did:example:ada", "name": "Ada Lovelace"}}
open(f"{work}/pid-vc.jwt", "w").write(sign_compact({"typ": "vc+jwt", "x5c": x5c}, vc, key_type="p256", private_key=leaf_private))
def crl(revoked):  # the anchor's certificate revocation list, as a CA publishes it
    b = (x509.CertificateRevocationListBuilder().issuer_name(root.subject)
         .last_update(now - dt.timedelta(hours=1)).next_update(now + dt.timedelta(days=7)))
    for c in revoked:
        b = b.add_revoked_certificate(x509.RevokedCertificateBuilder().serial_number(c.serial_number)
                                      .revocation_date(now - dt.timedelta(minutes=30)).build())
    return b.sign(root_key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)
open(f"{work}/anchor-clean.crl", "wb").write(crl([]))
open(f"{work}/anchor-revoked.crl", "wb").write(crl([leaf]))
PYEOF
echo "\$ lerwallet verify pid.sd-jwt                         (no trust anchor: inconclusive, exit 4)"
lerwallet verify "$DEMO_WORK/pid.sd-jwt" --json | verdict || true
echo "\$ lerwallet verify pid.sd-jwt --trust-anchor anchor.pem"
lerwallet verify "$DEMO_WORK/pid.sd-jwt" --trust-anchor "$DEMO_WORK/anchor.pem" --json | verdict || true
echo "\$ lerwallet verify pid-vc.jwt --trust-anchor anchor.pem   (a VC-JWT with x5c: the same rule)"
lerwallet verify "$DEMO_WORK/pid-vc.jwt" --trust-anchor "$DEMO_WORK/anchor.pem" --json | verdict || true
echo "\$ lerwallet verify pid.sd-jwt --trust-anchor anchor.pem --crl anchor-clean.crl     (the CA's CRL: not revoked)"
lerwallet verify "$DEMO_WORK/pid.sd-jwt" --trust-anchor "$DEMO_WORK/anchor.pem" --crl "$DEMO_WORK/anchor-clean.crl" --json | verdict || true
echo "\$ lerwallet verify pid.sd-jwt --trust-anchor anchor.pem --crl anchor-revoked.crl   (the leaf revoked: exit 1)"
lerwallet verify "$DEMO_WORK/pid.sd-jwt" --trust-anchor "$DEMO_WORK/anchor.pem" --crl "$DEMO_WORK/anchor-revoked.crl" --json | verdict || true

echo "== an ES256 VC-JWT whose signature is DER-encoded instead of R||S"
"$PY" - "$DEMO_WORK" <<'PYEOF'
import sys
from lerwallet import crypto
from lerwallet.keys import did_key_from_public
from lerwallet.keys.multibase import b64url_decode, b64url_encode
from lerwallet.proofs.jose import sign_jwt

work = sys.argv[1]
key = crypto.generate_private_key("p256")
did = did_key_from_public("p256", crypto.public_key_of("p256", key))
vc = {"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiableCredential"], "issuer": did,
      "issuanceDate": "2025-06-01T00:00:00Z", "credentialSubject": {"id": "did:example:learner"}}
head, body, sig = sign_jwt(vc, key_type="p256", private_key=key, kid=f"{did}#{did[8:]}", style="vc11").split(".")
raw = b64url_decode(sig)
def integer(b):
    b = b.lstrip(b"\0") or b"\0"
    return bytes([2, len(b) + (b[0] >> 7)]) + (b"\0" if b[0] >> 7 else b"") + b
der = integer(raw[:32]) + integer(raw[32:])
open(f"{work}/der.jwt", "w").write(f"{head}.{body}.{b64url_encode(bytes([0x30, len(der)]) + der)}")
PYEOF
echo "\$ lerwallet verify der.jwt"
lerwallet verify "$DEMO_WORK/der.jwt" --json | verdict || true
