"""Status entries, status list issuers, status cache shadowing.

(Regression tests from verification review review; each fails on the code before its fix.)"""

from __future__ import annotations

import pytest

from lerwallet.verify import Options, verify_inputs
from tests.verify_helpers import Party, badge, write
from tests.verify_binding_helpers import AT, holder, issuer  # noqa: F401 - fixtures


# --- 5: status entries, list issuers, cache shadowing ------------------------------------------

LIST_URL = "https://status.example.edu/lists/1"


def _status_list(signer: Party, *, revoked=(), purpose="revocation", size=1, issuer_did=None) -> dict:
    from lerwallet.verify.bitstring import encode

    bits = bytearray(16 * 1024)
    for index in revoked:
        for b in range(index * size, index * size + size):
            bits[b // 8] |= 0x80 >> (b % 8)  # every bit of the entry set: value 2**size - 1
    return signer.sign({
        "@context": ["https://www.w3.org/ns/credentials/v2"], "id": LIST_URL,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"], "issuer": issuer_did or signer.did,
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {"id": LIST_URL + "#list", "type": "BitstringStatusList", "statusPurpose": purpose,
                              "encodedList": encode(bytes(bits))},
    })


def _with_status(issuer: Party, **entry) -> dict:
    status = {"id": LIST_URL + "#5", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
              "statusListIndex": "5", "statusListCredential": LIST_URL}
    status.update(entry)
    status = {k: v for k, v in status.items() if v is not None}
    return issuer.sign(badge(issuer, credentialStatus=status))


def _cache(tmp_path, *lists, name="lists"):
    folder = tmp_path / name
    folder.mkdir()
    for i, doc in enumerate(lists):
        write(folder / f"list{i}.json", doc)
    return folder


def _status_checks(tmp_path, cred, cache) -> dict:
    [report] = verify_inputs([str(write(tmp_path / "c.json", cred))], Options(at=AT, status_cache=cache))
    return {c.id: c for c in report.credentials[0].checks if c.id.startswith("status")}


def test_revoked_bit_found_baseline(tmp_path, issuer):
    cache = _cache(tmp_path, _status_list(issuer, revoked=[5]))
    assert _status_checks(tmp_path, _with_status(issuer), cache)["status.revocation"].outcome == "fail"


@pytest.mark.parametrize("purpose", [None, "", "bogus", 7])
def test_missing_or_unknown_purpose_is_a_malformed_entry(tmp_path, issuer, purpose):
    cache = _cache(tmp_path, _status_list(issuer, revoked=[5]))
    checks = _status_checks(tmp_path, _with_status(issuer, statusPurpose=purpose), cache)
    assert [(c.outcome, c.code) for c in checks.values()] == [("unknown", "malformed_status_entry")]


@pytest.mark.parametrize("index", [True, False, -1, 5.0, "5.0", "-5", " 5", "٥", None, "9" * 40])
def test_bad_status_list_index_is_a_malformed_entry(tmp_path, issuer, index):
    cache = _cache(tmp_path, _status_list(issuer, revoked=[1, 5]))
    check = _status_checks(tmp_path, _with_status(issuer, statusListIndex=index), cache)["status.revocation"]
    assert (check.outcome, check.code) == ("unknown", "malformed_status_entry")


def test_integer_index_and_out_of_range_index(tmp_path, issuer):
    cache = _cache(tmp_path, _status_list(issuer, revoked=[5]))
    assert _status_checks(tmp_path, _with_status(issuer, statusListIndex=5), cache)["status.revocation"].outcome == "fail"
    far = _status_checks(tmp_path, _with_status(issuer, statusListIndex="999999999"), cache)["status.revocation"]
    assert (far.outcome, far.code) == ("unknown", "status_index_out_of_range")


def test_list_signed_by_someone_else_is_not_believed(tmp_path, issuer):
    other = Party()
    cache = _cache(tmp_path, _status_list(other))  # a clean list with the right id, by another issuer
    checks = _status_checks(tmp_path, _with_status(issuer), cache)
    assert checks["status.revocation"].outcome == "unknown" and checks["status.revocation"].code == "status_list_issuer_differs"
    assert checks["status.list-issuer"].outcome == "unknown"


def test_duplicate_ids_in_cache_are_ambiguous_unless_urls_json_names_one(tmp_path, issuer):
    real, planted = _status_list(issuer, revoked=[5]), _status_list(issuer)
    cache = _cache(tmp_path, planted, real)  # list0.json (clean) would have shadowed list1.json
    check = _status_checks(tmp_path, _with_status(issuer), cache)["status.revocation"]
    assert (check.outcome, check.code) == ("unknown", "status_list_ambiguous")
    named = _cache(tmp_path, planted, real, name="named")
    write(named / "urls.json", {LIST_URL: "list1.json"})
    assert _status_checks(tmp_path, _with_status(issuer), named)["status.revocation"].outcome == "fail"


def test_identical_copies_are_not_ambiguous(tmp_path, issuer):
    doc = _status_list(issuer, revoked=[5])
    cache = _cache(tmp_path, doc, doc)
    assert _status_checks(tmp_path, _with_status(issuer), cache)["status.revocation"].outcome == "fail"


def test_status_size_and_messages(tmp_path, issuer):
    messages = [{"status": "0x0", "message": "valid"}, {"status": "0x1", "message": "pending"},
                {"status": "0x2", "message": "revoked for fraud"}, {"status": "0x3", "message": "revoked"}]
    cache = _cache(tmp_path, _status_list(issuer, revoked=[5], size=2, purpose="message"))
    check = _status_checks(tmp_path, _with_status(issuer, statusPurpose="message", statusSize=2, statusMessage=messages),
                           cache)["status.message"]
    assert check.outcome == "pass" and "0x3" in check.reason and "revoked" in check.reason
    assert check.details["message"] == "revoked"
    incomplete = _with_status(issuer, statusPurpose="message", statusSize=2, statusMessage=messages[:2])
    assert _status_checks(tmp_path, incomplete, cache)["status.message"].code == "malformed_status_entry"
    for size in (0, -1, True, "x", 99):
        bad = _with_status(issuer, statusSize=size, statusMessage=messages)
        assert _status_checks(tmp_path, bad, cache)["status.revocation"].code == "malformed_status_entry", size
