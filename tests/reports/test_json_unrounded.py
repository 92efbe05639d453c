"""Tiny floats are looked for only where the tables' rounding did not make them impossible."""

from __future__ import annotations

import copy
import json

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from analyzer.reports import report_data, report_json
from analyzer.reports.json import _TABLE_SECTIONS, encode_report, unrounded_parts
from analyzer.reports.tables import plain_floats, plain_value


def python_text(data) -> str:
    """The report's text as the standard library writes it."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"


def floats_in(value):
    """Every float anywhere in a JSON-like document."""
    if isinstance(value, float):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from floats_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from floats_in(item)


@given(st.lists(st.floats(allow_infinity=False), min_size=1, max_size=20), st.sampled_from([2, 4]))
def test_rounded_floats_are_zero_or_at_least_a_ten_thousandth(values, places):
    # Rounded to 4 decimals, the smallest non-zero size is 0.0001 itself, which Python writes
    # without an exponent; with 2 decimals it is 0.01.
    for rounded in [*plain_floats(np.array(values), places), plain_value(values[0], places)]:
        assert rounded is None or rounded == 0.0 or abs(rounded) >= 1e-4


def test_the_table_sections_hold_no_tiny_float(result):
    data = report_data(result)
    for section in _TABLE_SECTIONS:
        assert all(value == 0.0 or abs(value) >= 1e-4 for value in floats_in(data[section]))
    for part in ("rank_stability", "tornado", "weight_flips"):
        values = list(floats_in(data["sensitivity"][part]))
        assert all(value == 0.0 or abs(value) >= 1e-4 for value in values)


def test_the_unrounded_parts_are_every_other_section(result):
    data = report_data(result)
    parts = unrounded_parts(data)
    assert any(part is data["profile"] for part in parts)
    assert any(part is data["assumptions"] for part in parts)
    assert not any(part is data["scenarios"] for part in parts)
    assert data["sensitivity"]["samples"] in parts


def test_a_tiny_float_in_the_profile_is_written_as_python_writes_it(result):
    data = copy.deepcopy(report_data(result))
    # Python writes 2e-05 with an exponent; orjson would write 0.00002.
    data["profile"]["discount_rate"] = 2e-05
    text = encode_report(data, unrounded_parts(data))
    assert text == python_text(data)
    assert '"discount_rate": 2e-05' in text


def test_the_report_is_what_the_standard_library_writes(result):
    assert report_json(result) == python_text(report_data(result))
