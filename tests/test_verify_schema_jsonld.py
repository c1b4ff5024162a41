"""Schema stage: JSON-LD single values where the plain-JSON schema wants arrays are a warning.

The 1EdTech validator validates against its plain-JSON schema first and, if that fails but its
JSON-LD variant passes, reports the errors as warnings. The signed 1EdTech CLR 2.0 vector
(valid per the specification repository) needs exactly that.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from lerwallet.verify import schema
from lerwallet.verify.state import CredentialState

VECTOR = Path(__file__).parent / "vectors" / "proofs" / "1edtech" / "clrv2p0" / "credential-signed.json"


def _schema_check(doc: dict):
    [check] = schema.run(CredentialState(source="t", securing="ldp", unverified=doc))
    return check


def _clr() -> dict:
    return json.loads(VECTOR.read_text())


def test_1edtech_clr_vector_is_valid_as_json_ld_with_a_warning():
    check = _schema_check(_clr())
    assert check.outcome == "warn", check.reason
    assert check.code == "schema_single_values"
    assert "nested credential 0: credentialSubject/type" in check.details["paths"]


def test_arrays_where_the_schema_wants_them_pass_cleanly():
    doc = _clr()
    paths = _schema_check(doc).details["paths"]
    nested = doc["credentialSubject"]["verifiableCredential"][0]
    for label in paths:
        *parents, last = label.split(": ", 1)[1].split("/")
        node = nested
        for key in parents:
            node = node[key]
        node[last] = [node[last]]
    check = _schema_check(doc)
    # Still a warning, but only because the CLR 2.0 schema itself is not bundled.
    assert check.code == "schema_not_bundled", check.reason
    assert "valid against nested credential 0" in check.reason


def test_a_real_schema_error_still_fails_beside_single_values():
    doc = _clr()
    del doc["credentialSubject"]["verifiableCredential"][0]["credentialSubject"]["achievement"]["name"]
    check = _schema_check(doc)
    assert (check.outcome, check.code) == ("warn", "schema_invalid")  # conformance, not authenticity
    assert "name" in check.reason


def test_a_single_value_that_is_wrong_even_as_an_array_fails():
    doc = _clr()
    nested = doc["credentialSubject"]["verifiableCredential"][0]
    nested["credentialSubject"]["type"] = "SomethingElse"  # wrapped, still lacks AchievementSubject
    check = _schema_check(copy.deepcopy(doc))
    assert (check.outcome, check.code) == ("warn", "schema_invalid")
