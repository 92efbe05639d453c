"""``column_values`` reads a column as ``table[column].to_numpy()`` does, whatever its dtype.

The reference is pandas' own Series path; the values, their dtype and the Python type of every
cell (what the recommendation's sentences format) must agree.
"""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.scoring import column_values

DTYPES = ["float64", "int64", "Int64", "bool", "str", "object-dates"]


def column(kind: str, draw_values: list) -> pd.Series | list:
    """A column of ``kind`` from drawn whole numbers (some of them standing for missing)."""
    if kind == "float64":
        return pd.Series([np.nan if v < 0 else v / 7 for v in draw_values], dtype="float64")
    if kind == "int64":
        return pd.Series(draw_values, dtype="int64")
    if kind == "Int64":
        return pd.Series([None if v < 0 else v for v in draw_values], dtype="Int64")
    if kind == "bool":
        return pd.Series([v % 2 == 0 for v in draw_values], dtype="bool")
    if kind == "str":
        return pd.Series([None if v < 0 else f"s{v}" for v in draw_values], dtype="str")
    start = dt.date(2026, 1, 1)
    return pd.Series(
        [None if v < 0 else start + dt.timedelta(days=v) for v in draw_values], dtype=object
    )


def missing_or(value):
    """``value``, or a marker for a missing one (NaN, NA and None never equal themselves)."""
    return "<missing>" if value is None or value is pd.NA or value != value else value


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.integers(-3, 50), min_size=1, max_size=12),
    kinds=st.lists(st.sampled_from(DTYPES), min_size=1, max_size=6),
    storage=st.sampled_from(["python", "pyarrow"]),
)
def test_column_values_equal_the_series_path(values, kinds, storage):
    with pd.option_context("mode.string_storage", storage):
        table = pd.DataFrame({f"c{k}": column(kind, values) for k, kind in enumerate(kinds)})
        for name in table.columns:
            expected = table[name].to_numpy()
            got = column_values(table, name)
            assert got.dtype == expected.dtype
            assert [type(v) for v in got.tolist()] == [type(v) for v in expected.tolist()]
            assert [missing_or(v) for v in got.tolist()] == [
                missing_or(v) for v in expected.tolist()
            ]


def test_column_values_cannot_write_into_the_table():
    table = pd.DataFrame({"npv": [1.0, 2.0], "seats": [3, 4]})
    with pytest.raises(ValueError, match="read-only"):
        column_values(table, "npv")[0] = 5.0
    assert table["npv"].tolist() == [1.0, 2.0]


def test_column_values_of_a_label_listed_twice_are_pandas_own():
    table = pd.DataFrame([[1.0, 2.0], [3.0, 4.0]], columns=["npv", "npv"])
    np.testing.assert_array_equal(column_values(table, "npv"), [[1.0, 2.0], [3.0, 4.0]])


def test_column_values_of_a_missing_column_raise_like_pandas():
    table = pd.DataFrame({"npv": [1.0]})
    with pytest.raises(KeyError):
        table["fit"]
    with pytest.raises(KeyError):
        column_values(table, "fit")
