"""BBS proofs: the verifier's and the holder's half of the BBS Signature Scheme, ciphersuite
BLS12-381-SHA-256 (draft-irtf-cfrg-bbs-signatures, the version with the `D` point in the proof,
draft-06 and later; @digitalbazaar/bbs-signatures 3.x and the W3C vc-di-bbs vectors use it).
Signing (3.5.1) is not here: lerwallet never holds a BLS issuer key.

Section numbers below are those of the draft (its table of contents is stable since draft-06):
  3.5.4  ProofVerify                  -> `proof_verify`
  3.6.4  CoreProofVerify              -> the body of `proof_verify`
  3.7.3  Proof Verification Initialization, 3.7.4 Challenge Calculation
  3.5.2  Verify, 3.6.2 CoreVerify     -> `verify_signature` (a holder checks a base proof)
  3.5.3  ProofGen, 3.6.3 CoreProofGen -> `proof_gen` (3.7.1 ProofInit, 3.7.2 ProofFinalize,
         4.2.1 random scalars)
  4.1.1  Generators Calculation       -> `create_generators` (cached: they depend on nothing secret)
  4.1.2  Messages to Scalars, 4.2.2 Hash to Scalar, 4.2.3 Domain Calculation, 4.2.4 Serialization
  7.2.2  BLS12-381-SHA-256            -> the constants below (expand_message_xmd with SHA-256,
         hash_to_curve BLS12381G1_XMD:SHA-256_SSWU_RO_, P1)
  Appendix B.2 point encoding          -> compressed points (48-byte G1, 96-byte G2)

The curve arithmetic (point decoding with subgroup checks, multi-scalar multiplication,
hash_to_curve and the pairing) is py-arkworks-bls12381; scalars are Python ints mod r. This
module is imported only when a bbs-2023 proof is checked: the wheel is not on `verify`'s
start-up path. Hostile input is bounded by the caller (`lerwallet.proofs.bbs2023` caps the
number of messages before any generator is made); `proof_verify` also refuses more than
`MAX_MESSAGES`.
"""

from __future__ import annotations

import hashlib
import threading

from py_arkworks_bls12381 import GT, G1Point, G2Point, Scalar

CIPHERSUITE_ID = b"BBS_BLS12381G1_XMD:SHA-256_SSWU_RO_"  # 7.2.2
API_ID = CIPHERSUITE_ID + b"H2G_HM2S_"  # 3.5: the BBS interface with hash-to-generators, messages hashed
R = 0x73EDA753299D7D483339D80809A1D80553BDA402FFFE5BFEFFFFFFFF00000001  # order of G1, G2
OCTET_SCALAR_LENGTH = 32
OCTET_POINT_LENGTH = 48
G2_POINT_LENGTH = 96
EXPAND_LEN = 48
# 7.2.2: P1, the fixed point every signature's B starts from (compressed, Appendix B.2.1)
P1_HEX = "a8ce256102840821a3e94ea9025e4662b205762f9776b3a766c872b948f1fd225e7c59698588e70d11406d161b4e28c9"
MAX_MESSAGES = 1024  # L = disclosed + undisclosed; also the largest generator set ever made

H2S_DST = API_ID + b"H2S_"
MAP_DST = API_ID + b"MAP_MSG_TO_SCALAR_AS_HASH_"


class BbsError(ValueError):
    """Input that is not a BBS proof or public key at all (INVALID in the draft's terms)."""


def expand_message_xmd(msg: bytes, dst: bytes, length: int) -> bytes:
    """RFC 9380 section 5.3.1 with SHA-256 (the ciphersuite's expand_message, 7.2.2)."""
    if len(dst) > 255 or length > 255 * 32:
        raise BbsError("expand_message_xmd: DST or output too long")
    ell = -(-length // 32)
    dst_prime = dst + bytes([len(dst)])
    b0 = hashlib.sha256(bytes(64) + msg + length.to_bytes(2, "big") + b"\x00" + dst_prime).digest()
    blocks = [hashlib.sha256(b0 + b"\x01" + dst_prime).digest()]
    for i in range(2, ell + 1):
        mixed = bytes(x ^ y for x, y in zip(b0, blocks[-1]))
        blocks.append(hashlib.sha256(mixed + bytes([i]) + dst_prime).digest())
    return b"".join(blocks)[:length]


def hash_to_scalar(msg: bytes, dst: bytes = H2S_DST) -> int:
    """4.2.2: OS2IP(expand_message(msg, dst, expand_len)) mod r."""
    return int.from_bytes(expand_message_xmd(msg, dst, EXPAND_LEN), "big") % R


def messages_to_scalars(messages: list[bytes]) -> list[int]:
    """4.1.2: each message hashed to a scalar with the MAP_MSG_TO_SCALAR_AS_HASH_ tag."""
    return [hash_to_scalar(m, MAP_DST) for m in messages]


# The generators made so far, in order: (v_i, generator_i), index 0 holds the seed's v only.
# 4.1.1 makes each from the previous v, so the list only grows; `serve` verifies in threads,
# hence the lock around growing it.
_CHAIN: list[tuple[bytes, G1Point | None]] = []
_CHAIN_LOCK = threading.Lock()


def create_generators(count: int) -> list[G1Point]:
    """4.1.1: (Q_1, H_1, ..., H_{count-1}) for API_ID; the prefix of a longer run is the same
    points, so they are made once per process and extended as needed."""
    if not 0 < count <= MAX_MESSAGES + 1:
        raise BbsError(f"generator count {count} is out of range")
    if len(_CHAIN) <= count:
        with _CHAIN_LOCK:
            seed_dst = API_ID + b"SIG_GENERATOR_SEED_"
            generator_dst = API_ID + b"SIG_GENERATOR_DST_"
            if not _CHAIN:
                _CHAIN.append((expand_message_xmd(API_ID + b"MESSAGE_GENERATOR_SEED", seed_dst, EXPAND_LEN), None))
            while len(_CHAIN) - 1 < count:
                i = len(_CHAIN)
                v = expand_message_xmd(_CHAIN[-1][0] + i.to_bytes(8, "big"), seed_dst, EXPAND_LEN)
                _CHAIN.append((v, G1Point.hash_to_curve(v, generator_dst)))
    return [point for _, point in _CHAIN[1:count + 1]]


def _scalar(value: int) -> Scalar:
    return Scalar.from_be_bytes((value % R).to_bytes(OCTET_SCALAR_LENGTH, "big"))


def _g1(data: bytes) -> G1Point:
    """Appendix B.2.2 plus the subgroup and identity checks of octets_to_proof (3.6.4)."""
    try:
        point = G1Point.from_compressed_bytes(bytes(data))
    except Exception:
        raise BbsError("a proof point is not a compressed BLS12-381 G1 point") from None
    if point == G1Point.identity() or not point.is_in_subgroup():
        raise BbsError("a proof point is the identity or outside the G1 subgroup")
    return point


def public_key_point(public_key: bytes) -> G2Point:
    """octets_to_pubkey: a compressed G2 point in the subgroup, not the identity (6.1); the
    rules live in `lerwallet.crypto.check_bls12381_g2_public`, shared with key decoding."""
    from lerwallet import crypto

    try:
        crypto.check_bls12381_g2_public(public_key)
    except crypto.BadKey as exc:
        raise BbsError(str(exc)) from None
    return G2Point.from_compressed_bytes(bytes(public_key))


def undisclosed_count(proof: bytes) -> int:
    """U from the proof length (3.5.4): 3 points, then e^, r1^, r3^, U commitments and c."""
    floor = 3 * OCTET_POINT_LENGTH + 4 * OCTET_SCALAR_LENGTH
    if len(proof) < floor or (len(proof) - floor) % OCTET_SCALAR_LENGTH:
        raise BbsError(f"a BBS proof is {floor} + 32*U bytes; this one is {len(proof)}")
    return (len(proof) - floor) // OCTET_SCALAR_LENGTH


def _octets_to_proof(proof: bytes):
    """3.6.4 deserialization: (Abar, Bbar, D, e^, r1^, r3^, (m^_j...), c)."""
    undisclosed_count(proof)
    points = [_g1(proof[i:i + OCTET_POINT_LENGTH]) for i in range(0, 3 * OCTET_POINT_LENGTH, OCTET_POINT_LENGTH)]
    scalars = []
    for i in range(3 * OCTET_POINT_LENGTH, len(proof), OCTET_SCALAR_LENGTH):
        s = int.from_bytes(proof[i:i + OCTET_SCALAR_LENGTH], "big")
        if s == 0 or s >= R:
            raise BbsError("a proof scalar is zero or not below the group order")
        scalars.append(s)
    return points, scalars[0], scalars[1], scalars[2], scalars[3:-1], scalars[-1]


def _serialize(items) -> bytes:
    """4.2.4: points compressed, scalars as 32 bytes, plain integers as 8 bytes."""
    out = []
    for kind, value in items:
        if kind == "point":
            out.append(value.to_compressed_bytes())
        elif kind == "scalar":
            out.append(value.to_bytes(OCTET_SCALAR_LENGTH, "big"))
        else:
            out.append(value.to_bytes(8, "big"))
    return b"".join(out)


def calculate_domain(public_key: bytes, generators: list[G1Point], header: bytes) -> int:
    """4.2.3: hash_to_scalar(PK || serialize((L, Q_1, H_1..H_L)) || api_id || I2OSP(len(header), 8) || header)."""
    dom_array = [("int", len(generators) - 1)] + [("point", g) for g in generators]
    dom_input = (bytes(public_key) + _serialize(dom_array) + API_ID + len(header).to_bytes(8, "big") + header)
    return hash_to_scalar(dom_input, H2S_DST)


def proof_verify(public_key: bytes, proof: bytes, header: bytes, presentation_header: bytes,
                 disclosed_messages: list[bytes], disclosed_indexes: list[int]) -> bool:
    """3.5.4 ProofVerify: True when `proof` proves knowledge of a signature by `public_key` over
    `header` and L messages of which `disclosed_messages` sit at `disclosed_indexes`; False when
    the proof does not verify. `BbsError` for input that is not a proof or key at all."""
    w = public_key_point(public_key)
    u = undisclosed_count(proof)
    r_count = len(disclosed_indexes)
    total = u + r_count
    if total > MAX_MESSAGES:
        raise BbsError(f"the proof covers {total} messages; at most {MAX_MESSAGES} are accepted")
    if len(disclosed_messages) != r_count:
        raise BbsError("disclosed messages and indexes differ in number")
    if any(not isinstance(i, int) or i < 0 or i >= total for i in disclosed_indexes):
        raise BbsError(f"a disclosed index is outside 0..{total - 1}")
    if len(set(disclosed_indexes)) != r_count or list(disclosed_indexes) != sorted(disclosed_indexes):
        raise BbsError("disclosed indexes must be strictly increasing")
    (abar, bbar, d), e_hat, r1_hat, r3_hat, commitments, cp = _octets_to_proof(proof)
    messages = messages_to_scalars(disclosed_messages)
    generators = create_generators(total + 1)
    q1, h = generators[0], generators[1:]
    disclosed = set(disclosed_indexes)
    undisclosed = [j for j in range(total) if j not in disclosed]

    # 3.7.3 ProofVerifyInit
    domain = calculate_domain(public_key, generators, header)
    t1 = G1Point.multiexp_unchecked([bbar, abar, d], [_scalar(cp), _scalar(e_hat), _scalar(r1_hat)])
    p1 = G1Point.from_compressed_bytes(bytes.fromhex(P1_HEX))
    # T2 = Bv * c + D * r3^ + sum H_j * m^_j, with Bv = P1 + Q_1 * domain + sum H_i * msg_i
    points = [p1, q1, d] + [h[i] for i in disclosed_indexes] + [h[j] for j in undisclosed]
    scalars = [cp, domain * cp, r3_hat] + [m * cp for m in messages] + commitments
    t2 = G1Point.multiexp_unchecked(points, [_scalar(s) for s in scalars])

    # 3.7.4 challenge: (R, i1, msg_i1, ..., iR, msg_iR, Abar, Bbar, D, T1, T2, domain) || I2OSP(len(ph), 8) || ph
    c_arr = [("int", r_count)]
    for i, m in zip(disclosed_indexes, messages):
        c_arr += [("int", i), ("scalar", m)]
    c_arr += [("point", abar), ("point", bbar), ("point", d), ("point", t1), ("point", t2), ("scalar", domain)]
    c_octs = _serialize(c_arr) + len(presentation_header).to_bytes(8, "big") + presentation_header
    if hash_to_scalar(c_octs, H2S_DST) != cp:
        return False
    # 3.6.4 step 6: h(Abar, W) * h(Bbar, -BP2) == Identity_GT
    return GT.pairing_check([abar, bbar], [w, -G2Point()])


# --- the holder's and signer's side: 3.5.1 Sign is not here (lerwallet never holds a BLS issuer
# key); 3.5.2 Verify checks a base proof's signature, 3.5.3 ProofGen derives. -------------------


def _signature(signature: bytes) -> tuple[G1Point, int]:
    """octets_to_signature (3.6.2): A (a G1 point, not the identity) and e (0 < e < r)."""
    if not isinstance(signature, (bytes, bytearray)) or len(signature) != OCTET_POINT_LENGTH + OCTET_SCALAR_LENGTH:
        raise BbsError(f"a BBS signature is {OCTET_POINT_LENGTH + OCTET_SCALAR_LENGTH} bytes")
    a = _g1(signature[:OCTET_POINT_LENGTH])
    e = int.from_bytes(signature[OCTET_POINT_LENGTH:], "big")
    if not 0 < e < R:
        raise BbsError("the signature's e is zero or not below the group order")
    return a, e


def _b_point(public_key: bytes, generators: list[G1Point], header: bytes, scalars: list[int]) -> tuple[G1Point, int]:
    """B = P1 + Q_1 * domain + H_1 * msg_1 + ... + H_L * msg_L (3.6.1 step 3), and domain."""
    domain = calculate_domain(public_key, generators, header)
    p1 = G1Point.from_compressed_bytes(bytes.fromhex(P1_HEX))
    points = [p1, generators[0]] + generators[1:]
    return G1Point.multiexp_unchecked(points, [_scalar(s) for s in [1, domain] + scalars]), domain


def verify_signature(public_key: bytes, signature: bytes, header: bytes, messages: list[bytes]) -> bool:
    """3.5.2 Verify / 3.6.2 CoreVerify: h(A, W + BP2 * e) * h(B, -BP2) == Identity_GT."""
    w = public_key_point(public_key)
    if len(messages) > MAX_MESSAGES:
        raise BbsError(f"{len(messages)} messages; at most {MAX_MESSAGES} are accepted")
    a, e = _signature(signature)
    generators = create_generators(len(messages) + 1)
    b, _ = _b_point(public_key, generators, header, messages_to_scalars(messages))
    bp2 = G2Point()
    return GT.pairing_check([a, b], [w + bp2 * _scalar(e), -bp2])


def _random_scalars(count: int) -> list[int]:
    """4.2.1 calculate_random_scalars: OS2IP(48 random bytes) mod r, each."""
    from lerwallet import crypto

    return [int.from_bytes(crypto.random_bytes(EXPAND_LEN), "big") % R for _ in range(count)]


def _challenge(abar, bbar, d, t1, t2, domain: int, disclosed_indexes: list[int], disclosed_scalars: list[int],
               presentation_header: bytes) -> int:
    """3.7.4 ProofChallengeCalculate."""
    c_arr = [("int", len(disclosed_indexes))]
    for i, m in zip(disclosed_indexes, disclosed_scalars):
        c_arr += [("int", i), ("scalar", m)]
    c_arr += [("point", abar), ("point", bbar), ("point", d), ("point", t1), ("point", t2), ("scalar", domain)]
    c_octs = _serialize(c_arr) + len(presentation_header).to_bytes(8, "big") + presentation_header
    return hash_to_scalar(c_octs, H2S_DST)


def proof_gen(public_key: bytes, signature: bytes, header: bytes, presentation_header: bytes,
              messages: list[bytes], disclosed_indexes: list[int], random_scalars: list[int] | None = None) -> bytes:
    """3.5.3 ProofGen / 3.6.3 CoreProofGen (3.7.1 ProofInit, 3.7.4 challenge, 3.7.2 ProofFinalize):
    a zero-knowledge proof of the signature that reveals the messages at `disclosed_indexes`.
    `random_scalars` only for the draft's fixtures (8.1 mocked scalars); fresh ones otherwise."""
    public_key_point(public_key)
    a, e = _signature(signature)
    total = len(messages)
    if total > MAX_MESSAGES:
        raise BbsError(f"{total} messages; at most {MAX_MESSAGES} are accepted")
    if any(not isinstance(i, int) or i < 0 or i >= total for i in disclosed_indexes) or \
            list(disclosed_indexes) != sorted(set(disclosed_indexes)):
        raise BbsError("disclosed indexes must be strictly increasing and below the number of messages")
    disclosed = set(disclosed_indexes)
    undisclosed = [j for j in range(total) if j not in disclosed]
    scalars = messages_to_scalars(messages)
    generators = create_generators(total + 1)
    h = generators[1:]
    rand = random_scalars if random_scalars is not None else _random_scalars(5 + len(undisclosed))
    if len(rand) != 5 + len(undisclosed):
        raise BbsError("wrong number of random scalars")
    r1, r2, e_t, r1_t, r3_t, *m_t = rand
    # 3.7.1 ProofInit
    b, domain = _b_point(public_key, generators, header, scalars)
    d = b * _scalar(r2)
    abar = a * _scalar(r1 * r2)
    bbar = d * _scalar(r1) - abar * _scalar(e)
    t1 = G1Point.multiexp_unchecked([abar, d], [_scalar(e_t), _scalar(r1_t)])
    t2 = G1Point.multiexp_unchecked([d] + [h[j] for j in undisclosed], [_scalar(s) for s in [r3_t] + m_t])
    c = _challenge(abar, bbar, d, t1, t2, domain, list(disclosed_indexes), [scalars[i] for i in disclosed_indexes],
                   presentation_header)
    # 3.7.2 ProofFinalize
    r3 = pow(r2, -1, R)
    hats = [(e_t + e * c) % R, (r1_t - r1 * c) % R, (r3_t - r3 * c) % R]
    hats += [(m + scalars[j] * c) % R for m, j in zip(m_t, undisclosed)]
    return (abar.to_compressed_bytes() + bbar.to_compressed_bytes() + d.to_compressed_bytes()
            + b"".join(s.to_bytes(OCTET_SCALAR_LENGTH, "big") for s in hats + [c]))
