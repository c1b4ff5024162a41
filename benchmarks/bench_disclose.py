"""Selective disclosure and request matching, warm, in-process (medians in ms).

- ecdsa-sd-2023: issue a base proof, derive a disclosure proof, verify the derived credential,
  for a typical OB 3.0 badge; the ratio of deriving to verifying (same run).
- SD-JWT: present with 2 of 6 claims disclosed and a key binding JWT; verify it.
- DCQL / VPR matching over 1,000 stored-credential candidates (500 JSON-LD badges, 500 SD-JWT VCs).
Usage: python benchmarks/bench_disclose.py [--quick]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from lerwallet import crypto  # noqa: E402
from lerwallet.keys.dids import did_key_from_public  # noqa: E402
from lerwallet.keys.jwk import public_to_jwk  # noqa: E402
from lerwallet.keys.resolver import Resolver  # noqa: E402
from lerwallet.present.disclose import disclose_sd_jwt  # noqa: E402
from lerwallet.present.request import Candidate, match, parse_request  # noqa: E402
from lerwallet.proofs import verify_proofs  # noqa: E402
from lerwallet.proofs.ecdsa_sd_derive import create_base_proof, derive  # noqa: E402
from lerwallet.proofs.sdjwt import create_sd_jwt, verify_sd_jwt  # noqa: E402

QUICK = "--quick" in sys.argv
RUNS = 5 if QUICK else 15


def median_ms(fn, runs=RUNS) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def badge(issuer: str, n: int = 1) -> dict:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": f"urn:uuid:9f6c7a4e-6f1e-4c1b-9a52-5d2f0b7b1a{n:02d}", "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Wilderness First Aid", "issuer": {"id": issuer, "type": ["Profile"], "name": "Outdoor School"},
        "validFrom": "2024-03-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner-42", "type": ["AchievementSubject"], "achievement": {
            "id": "https://outdoor.example.edu/achievements/wfa", "type": ["Achievement"], "name": "Wilderness First Aid",
            "description": "Assess, treat and evacuate casualties in remote settings.",
            "criteria": {"narrative": "Complete the 16-hour course."},
            "alignment": [{"type": ["Alignment"], "targetName": f"Skill {i}", "targetUrl": f"https://skills.example/{i}"}
                          for i in range(3)]},
            "result": [{"type": ["Result"], "value": "pass"}]},
    }


def main() -> None:
    key = crypto.generate_private_key("p256")
    did = did_key_from_public("p256", crypto.public_key_of("p256", key))
    vm = f"{did}#{did.split(':')[2]}"
    doc = badge(did)
    mandatory = ["/issuer", "/credentialSubject/achievement/name"]
    base = create_base_proof(doc, private_key=key, verification_method=vm, mandatory_pointers=mandatory)
    derived = derive(base, ["/credentialSubject/result"]).document
    resolver = Resolver()
    issue_ms = median_ms(lambda: create_base_proof(doc, private_key=key, verification_method=vm, mandatory_pointers=mandatory))
    derive_ms = median_ms(lambda: derive(base, ["/credentialSubject/result"]))
    verify_ms = median_ms(lambda: verify_proofs(derived, resolver=resolver))
    print(f"ecdsa-sd-2023 badge: base proof {issue_ms:.1f} ms, derive {derive_ms:.1f} ms, "
          f"verify derived {verify_ms:.1f} ms (derive/verify {derive_ms / verify_ms:.1f}x)")

    holder = crypto.generate_private_key("ed25519")
    token = create_sd_jwt({"iss": did, "iat": 1700000000, "vct": "https://credentials.example/degree",
                           **{f"claim_{i}": f"value {i}" for i in range(6)}}, [f"/claim_{i}" for i in range(6)],
                          key_type="p256", private_key=key, kid=vm,
                          holder_jwk=public_to_jwk("ed25519", crypto.public_key_of("ed25519", holder)))
    present_ms = median_ms(lambda: disclose_sd_jwt(token, ["/claim_1", "/claim_4"], holder_key=("ed25519", holder),
                                                   audience="https://jobs.example", nonce="n"))
    shown, _ = disclose_sd_jwt(token, ["/claim_1", "/claim_4"], holder_key=("ed25519", holder),
                               audience="https://jobs.example", nonce="n")
    sd_verify_ms = median_ms(lambda: verify_sd_jwt(shown, resolver=resolver, audience="https://jobs.example", nonce="n"))
    print(f"SD-JWT (2 of 6 claims, key binding): present {present_ms:.2f} ms, verify {sd_verify_ms:.2f} ms")

    candidates = [Candidate(f"{i:032x}", "ldp_vc", badge(did, i % 100), status="verified") for i in range(500)]
    candidates += [Candidate(f"{i + 500:032x}", "dc+sd-jwt", {"vct": "https://credentials.example/degree",
                                                              "claim_1": "x", "degrees": [{"type": "BSc"}, {"type": "MSc"}]},
                             status="verified", disclosable=["/claim_1"]) for i in range(500)]
    dcql = parse_request({"nonce": "n", "client_id": "c", "dcql_query": {"credentials": [
        {"id": "d", "format": "dc+sd-jwt", "meta": {"vct_values": ["https://credentials.example/degree"]},
         "claims": [{"path": ["degrees", None, "type"], "values": ["MSc"]}]},
        {"id": "b", "format": "ldp_vc", "meta": {"type_values": [["OpenBadgeCredential"]]},
         "claims": [{"path": ["credentialSubject", "achievement", "name"]}]}]}})
    vpr = parse_request({"query": [{"type": "QueryByExample", "credentialQuery": {"example": {
        "type": "OpenBadgeCredential", "credentialSubject": {"achievement": {"name": "Wilderness First Aid"}}}}}],
        "challenge": "c", "domain": "d"})
    dcql_ms = median_ms(lambda: match(dcql, candidates))
    vpr_ms = median_ms(lambda: match(vpr, candidates))
    print(f"matching 1,000 candidates: DCQL (2 queries) {dcql_ms:.1f} ms, VPR (1 query) {vpr_ms:.1f} ms")


if __name__ == "__main__":
    main()
