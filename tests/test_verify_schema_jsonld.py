"""Schema stage: JSON-LD single values where the plain-JSON schema wants arrays are a warning;
CLR 2.0 credentials are checked with the bundled CLR 2.0 ClrCredential schema.

The 1EdTech validator validates against its plain-JSON schema first and, if that fails but its
JSON-LD variant passes, reports the errors as warnings. The credential nested in the signed
1EdTech CLR 2.0 vector (valid per the specification repository) needs exactly that; it is
checked on its own (its OB 3.0 schema) as every credential inside a CLR is (`verify.clr`).
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


def _nested() -> dict:
    return _clr()["credentialSubject"]["verifiableCredential"][0]


def test_1edtech_clr_vector_is_valid_against_the_bundled_clr_schema():
    check = _schema_check(_clr())
    assert (check.outcome, check.reason) == ("pass", "valid against CLR 2.0 clrcredential")


def test_a_clr_schema_error_is_a_conformance_warning():
    doc = _clr()
    del doc["name"]  # ClrCredential requires a name
    check = _schema_check(doc)
    assert (check.outcome, check.code) == ("warn", "schema_invalid")
    assert "CLR 2.0 clrcredential: (root): 'name' is a required property" in check.reason


def test_the_nested_credential_is_valid_as_json_ld_with_a_warning():
    check = _schema_check(_nested())
    assert check.outcome == "warn", check.reason
    assert check.code == "schema_single_values"
    assert "OB 3.0 achievementcredential: credentialSubject/type" in check.details["paths"]


def test_arrays_where_the_schema_wants_them_pass_cleanly():
    doc = _nested()
    paths = _schema_check(doc).details["paths"]
    for label in paths:
        *parents, last = label.split(": ", 1)[1].split("/")
        node = doc
        for key in parents:
            node = node[key]
        node[last] = [node[last]]
    check = _schema_check(doc)
    assert (check.outcome, check.reason) == ("pass", "valid against OB 3.0 achievementcredential"), check.reason


def test_a_real_schema_error_still_fails_beside_single_values():
    doc = _nested()
    del doc["credentialSubject"]["achievement"]["name"]
    check = _schema_check(doc)
    assert (check.outcome, check.code) == ("warn", "schema_invalid")  # conformance, not authenticity
    assert "name" in check.reason


def test_a_single_value_that_is_wrong_even_as_an_array_fails():
    doc = _nested()
    doc["credentialSubject"]["type"] = "SomethingElse"  # wrapped, still lacks AchievementSubject
    check = _schema_check(copy.deepcopy(doc))
    assert (check.outcome, check.code) == ("warn", "schema_invalid")
