"""Tables built column by column: the same table as the rows written out in full."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analyzer.frames import (
    columns_table,
    inferred_column,
    rows_table,
    stacked_table,
    text_column,
    text_dtype,
)

COLUMNS = ["scenario_id", "date", "step", "warning"]
KINDS = ("object", "text", "bool")


def written_out(ids, blocks, block_of):
    """The reference: every id's rows in full, one DataFrame from rows, as pandas infers it."""
    rows = [(sid, *row) for sid, block in zip(ids, block_of, strict=True) for row in blocks[block]]
    return pd.DataFrame(rows, columns=COLUMNS)


rows = st.tuples(
    st.dates(dt.date(2026, 1, 1), dt.date(2030, 12, 31)),
    st.text(min_size=0, max_size=8),
    st.booleans(),
)


@st.composite
def tables(draw):
    blocks = draw(st.lists(st.lists(rows, min_size=0, max_size=6), min_size=1, max_size=5))
    block_of = draw(st.lists(st.integers(0, len(blocks) - 1), min_size=1, max_size=12))
    ids = draw(
        st.lists(st.text(min_size=1, max_size=6), min_size=len(block_of), max_size=len(block_of))
    )
    return ids, blocks, block_of


@given(tables())
def test_a_stacked_table_is_the_table_of_its_rows_written_out(table):
    ids, blocks, block_of = table
    expected = written_out(ids, blocks, block_of)
    got = stacked_table(COLUMNS, KINDS, ids, blocks, block_of)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert list(got.dtypes) == list(expected.dtypes)
    assert got["date"].tolist() == expected["date"].tolist()


def test_ids_sharing_a_block_repeat_its_rows_in_order():
    # "b" and "c" share block 0; "a" has block 1: rows a1; b x, b y; c x, c y.
    blocks = [
        [(dt.date(2027, 1, 1), "x", False), (dt.date(2027, 2, 1), "y", True)],
        [(dt.date(2026, 5, 1), "a1", False)],
    ]
    table = stacked_table(COLUMNS, KINDS, ["a", "b", "c"], blocks, [1, 0, 0])
    assert list(table.itertuples(index=False, name=None)) == [
        ("a", dt.date(2026, 5, 1), "a1", False),
        ("b", dt.date(2027, 1, 1), "x", False),
        ("b", dt.date(2027, 2, 1), "y", True),
        ("c", dt.date(2027, 1, 1), "x", False),
        ("c", dt.date(2027, 2, 1), "y", True),
    ]
    assert table["step"].dtype == text_dtype() and table["warning"].dtype == bool
    assert list(table.index) == [0, 1, 2, 3, 4]


def test_no_rows_give_the_empty_table_pandas_would():
    expected = pd.DataFrame([], columns=COLUMNS)
    got = stacked_table(COLUMNS, KINDS, ["a"], [[]], [0])
    pd.testing.assert_frame_equal(got, expected)
    assert list(got.dtypes) == list(expected.dtypes)


def test_text_columns_have_the_inferred_dtype():
    assert text_column(["a", "b"]).dtype == pd.DataFrame({"c": ["a", "b"]})["c"].dtype


# --- Columns made directly: the arrays pandas infers ---------------------------------------

values = st.one_of(
    st.none(),
    st.text(max_size=4),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(2**70), 2**70),
    st.booleans(),
    st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)),
)
"""Any value an analysis table holds, mixed freely (most mixtures fall back to inference)."""

kinds = st.sampled_from(
    [
        st.one_of(st.text(max_size=4), st.none()),
        st.one_of(st.floats(allow_nan=True), st.integers(-1000, 1000), st.none()),
        st.integers(-(2**63), 2**63 - 1),
        st.booleans(),
        st.one_of(st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)), st.none()),
        values,
    ]
)
"""One column's values: a kind the fast paths make, or anything."""


@st.composite
def column_sets(draw):
    size = draw(st.integers(0, 6))
    count = draw(st.integers(1, 4))
    return {
        f"c{n}": draw(st.lists(draw(kinds), min_size=size, max_size=size)) for n in range(count)
    }


@pytest.mark.parametrize("storage", ["python", "pyarrow"])
@given(columns=column_sets())
def test_a_table_of_columns_is_what_pandas_infers(storage, columns):
    with pd.option_context("mode.string_storage", storage):
        expected = pd.DataFrame(columns)
        got = columns_table(columns)
    assert list(got.dtypes) == list(expected.dtypes)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_the_common_kinds_are_made_directly_and_others_left_to_pandas():
    assert inferred_column(["a", None]).dtype == text_dtype()
    assert inferred_column([1, None]).dtype == np.float64
    assert inferred_column([3, -1]).dtype == np.int64
    assert inferred_column([True]).dtype == np.bool_
    assert inferred_column([dt.date(2027, 1, 1), None]).dtype == object
    # A mixture (a boolean with a missing value; an integer beyond 64 bits) is pandas' to infer.
    assert inferred_column([True, None]) == [True, None]
    assert inferred_column([2**64]) == [2**64]


@given(
    st.lists(
        st.tuples(st.one_of(st.text(max_size=3), st.none()), st.integers(-5, 5), st.booleans()),
        max_size=5,
    )
)
def test_a_table_of_rows_is_what_pandas_makes_of_them(rows):
    columns = ["text", "number", "flag"]
    expected = pd.DataFrame(rows, columns=columns)
    got = rows_table(rows, columns)
    assert list(got.dtypes) == list(expected.dtypes)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


@pytest.mark.parametrize("storage", ["python", "pyarrow"])
@given(st.lists(st.one_of(st.text(max_size=4), st.none()), max_size=6))
def test_a_text_column_is_the_array_pandas_makes_of_the_strings(storage, values):
    with pd.option_context("mode.string_storage", storage):
        expected = pd.array(values, dtype=text_dtype())
        got = text_column(values)
    assert got.dtype == expected.dtype
    pd.testing.assert_extension_array_equal(got, expected)
    # Missing values are the dtype's NA (NaN for pandas' str), as pd.array stores them.
    assert [value is None for value in values] == got.isna().tolist()
