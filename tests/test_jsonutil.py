"""lerwallet.jsonutil.loads_untrusted: as strict as JSON.parse, one exception type, one line."""

from __future__ import annotations

import pytest

from lerwallet.jsonutil import UntrustedJSONError, loads_untrusted


@pytest.mark.parametrize("text", ['{"x": NaN}', '{"x": Infinity}', '[-Infinity]', "NaN", '{"a": [1, {"b": NaN}]}'])
def test_nan_and_infinity_are_refused(text):
    with pytest.raises(UntrustedJSONError) as err:
        loads_untrusted(text)
    assert "is not a JSON number" in str(err.value) and err.value.code == "not-json"
    with pytest.raises(ValueError):  # callers that catch ValueError keep working
        loads_untrusted(text.encode())


def test_strings_that_spell_the_constants_are_fine():
    assert loads_untrusted('{"NaN": "Infinity", "x": 1e308, "y": -0.5}') == {"NaN": "Infinity", "x": 1e308, "y": -0.5}


@pytest.mark.parametrize("data, code", [
    ("9" * 5000, "not-json"),                      # beyond int's digit limit: ValueError in Python
    ('{"a": ' + "9" * 5000 + "}", "not-json"),
    ("[" * 100_000 + "]" * 100_000, "too-deep"),  # RecursionError in the C scanner
    ('{"a": 1', "not-json"),
    (b"\xff\xfe{}", "not-utf8"),
    ("", "not-json"),
])
def test_every_failure_is_one_line_and_named(data, code):
    with pytest.raises(UntrustedJSONError) as err:
        loads_untrusted(data)
    assert err.value.code == code
    assert "\n" not in str(err.value) and len(str(err.value)) < 200


def test_bytes_with_a_byte_order_mark_and_plain_values():
    assert loads_untrusted(b'\xef\xbb\xbf{"a": [1, true, null]}') == {"a": [1, True, None]}
    assert loads_untrusted(bytearray(b"[1]")) == [1]


def test_lone_surrogate_escapes_are_refused_and_pairs_kept():
    # review 8: a lone \ud800 reached canonicalization and storage as an internal error
    from lerwallet.jsonutil import UntrustedJSONError, loads_untrusted

    assert loads_untrusted(b'{"a": "\\ud83d\\ude00"}') == {"a": "\U0001F600"}
    assert loads_untrusted(b'{"a": "\\\\ud800"}') == {"a": "\\ud800"}  # an escaped backslash, not a surrogate
    for bad in (b'{"a": "x\\ud800"}', b'["\\udfff"]', b'{"\\ud800": 1}', '["\ud800"]'):
        with pytest.raises(UntrustedJSONError, match="lone surrogate") as info:
            loads_untrusted(bad)
        assert info.value.code == "not-unicode"
