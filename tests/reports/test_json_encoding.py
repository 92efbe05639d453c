"""The JSON report's encoder writes exactly what ``json.dumps`` wrote, only faster."""

import json

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import analyzer.reports.json as json_report
from analyzer.reports.json import encode_report


def python_text(data) -> str:
    """The report's text as the standard library writes it (the layout of the old code)."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"


TEXT = st.text(st.characters(exclude_categories=()), max_size=12)
"""Any text, control characters, non-ASCII and lone surrogates included."""
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(min_value=-1e-3, max_value=1e-3),
    TEXT,
    st.sampled_from(["0.00001", "1e-7", "one-time"]),
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(TEXT, children, max_size=5),
    max_leaves=20,
)


@given(st.dictionaries(TEXT, DOCUMENTS, max_size=6))
@settings(max_examples=150, deadline=None)
def test_the_encoder_writes_what_the_standard_library_writes(document):
    assert encode_report(document) == python_text(document)


def test_floats_below_one_ten_thousandth_keep_pythons_exponent():
    # Python writes 1e-05 and 2.5e-07; orjson would write 0.00001 and 2.5e-7.
    document = {"rate": 1e-05, "tiny": [2.5e-07, 0.0001, -0.0], "big": 1e16}
    assert encode_report(document) == python_text(document)
    assert '"rate": 1e-05' in encode_report(document)


def test_the_example_report_takes_the_fast_path(result, monkeypatch):
    # With the standard library's encoder out of reach, the example still encodes: no float
    # in it sends it to the slow path.
    expected = python_text(json_report.report_data(result))

    def refuse(*args, **kwargs):
        raise AssertionError("the standard library's encoder was used")

    monkeypatch.setattr(json_report.json, "dumps", refuse)
    assert json_report.report_json(result) == expected


def test_values_orjson_leaves_alone_are_written_by_the_standard_library():
    # A numpy float is a float to json.dumps; an integer beyond 64 bits and a key that is
    # not text are beyond orjson: each is written as json.dumps writes it.
    document = {"share": np.float64(0.25), "big": 2**80, "counts": {1: "one"}}
    assert encode_report(document) == python_text(document)
    assert '"big": 1208925819614629174706176' in encode_report(document)
