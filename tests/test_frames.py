"""Tables built column by column: the same table as the rows written out in full."""

import datetime as dt

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from analyzer.frames import stacked_table, text_column, text_dtype

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
