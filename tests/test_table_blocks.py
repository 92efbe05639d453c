"""Tables made from their blocks directly are the tables pandas' own constructors make.

References: ``pd.DataFrame`` of the same columns (which copies and consolidates them),
pandas' own ``take`` and slicing, ``PeriodIndex.astype(str)``, the fit detail written out
row by row, and the warning rule reading Stay's rows from the finished fit detail.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer import analyze
from analyzer.analysis import (
    TEXT_STORAGE,
    _fit_detail,
    _month_labels,
    _stay_needs,
    scenario_plans,
)
from analyzer.frames import frame, taken, taken_texts, text_array, text_column
from analyzer.profile import GATES
from analyzer.warning_rules import stay_must_row_warnings, stay_must_warnings
from tests.conftest import GOLDEN, golden_profile, written_out_fit_detail

STORAGES = ["python", "pyarrow"]
DAY = dt.date(2027, 3, 1)


def layout(table: pd.DataFrame) -> list[tuple[list[int], str]]:
    """Each block's column positions and dtype, in the table's block order."""
    return [(block.mgr_locs.as_array.tolist(), str(block.dtype)) for block in table._mgr.blocks]


def column_of(kind: str, rows: int, seed: int):
    """One column of ``kind`` with ``rows`` values, as the analysis stores it."""
    values = [(seed + n) % 3 for n in range(rows)]
    if kind == "float":
        return np.array(values, dtype=float) / 2
    if kind == "int":
        return np.array(values, dtype=np.int64)
    if kind == "bool":
        return np.array(values, dtype=bool)
    if kind == "date":
        stored = np.empty(rows, dtype=object)
        stored[:] = [DAY + dt.timedelta(days=v) if v else None for v in values]
        return stored
    if kind == "text":
        return text_column([f"t{v}" if v else None for v in values])
    return pd.arrays.IntegerArray(np.array(values, dtype=np.int64), np.array(values) == 1)


KINDS = ["float", "int", "bool", "date", "text", "count"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(KINDS), min_size=1, max_size=9),
    st.integers(0, 5),
    st.sampled_from(STORAGES),
)
def test_frame_is_the_table_pandas_makes_and_lays_out_of_the_same_columns(kinds, rows, storage):
    with pd.option_context("mode.string_storage", storage):
        columns = {f"c{n}": column_of(kind, rows, n) for n, kind in enumerate(kinds)}
        # pandas' constructor with copy=True stacks each numpy dtype's columns into one
        # block (consolidates), keeps each pandas array a block of its own, and copies.
        expected = pd.DataFrame(columns, copy=True)
        got = frame(columns)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert list(got.dtypes) == list(expected.dtypes)
    assert got.columns.dtype == expected.columns.dtype
    assert sorted(layout(got)) == sorted(layout(expected))
    # The numpy columns are copied into their block, as pandas copies them when stacking.
    for name, values in columns.items():
        if isinstance(values, np.ndarray) and rows:
            assert not np.shares_memory(got[name].to_numpy(), values)


def test_frame_keeps_pandas_layout_for_columns_it_does_not_stack():
    # datetime64 columns are left to pandas' own constructor (it wraps them first).
    columns = {
        "when": np.array(["2027-01-01", "2027-02-01"], dtype="datetime64[ns]"),
        "amount": np.array([1.0, 2.0]),
    }
    got = frame(columns)
    expected = pd.DataFrame(columns, copy=True)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert sorted(layout(got)) == sorted(layout(expected))


def test_a_column_of_another_length_is_refused():
    with pytest.raises(ValueError):
        frame({"a": text_array(["x", "y"]), "b": np.array([1.0, 2.0, 3.0])})
    with pytest.raises(ValueError):
        frame({"b": np.array([1.0, 2.0, 3.0]), "a": text_array(["x", "y"])})


@given(
    st.lists(st.text(max_size=4), min_size=1, max_size=8),
    st.lists(st.integers(0, 100), max_size=12),
    st.sampled_from(STORAGES),
)
def test_taken_is_pandas_take_of_any_array(values, positions, storage):
    with pd.option_context("mode.string_storage", storage):
        at = np.array([p % len(values) for p in positions], dtype=np.int64)
        text = text_array(values)
        got = taken(text, at)
        pd.testing.assert_extension_array_equal(got, text.take(at))
        numbers = np.arange(len(values), dtype=float)
        np.testing.assert_array_equal(taken(numbers, at), numbers.take(at))


@given(
    st.lists(
        st.tuples(st.lists(st.text(max_size=3), min_size=1, max_size=5), st.integers(0, 9)),
        min_size=1,
        max_size=4,
    )
)
def test_taken_texts_is_each_columns_own_take(specs):
    with pd.option_context("mode.string_storage", TEXT_STORAGE):
        columns = {
            f"c{n}": (values, np.arange(rows) % len(values))
            for n, (values, rows) in enumerate(specs)
        }
        got = taken_texts(columns)
        for name, (values, at) in columns.items():
            expected = pd.array([values[p] for p in at], dtype=text_array(["x"]).dtype)
            pd.testing.assert_extension_array_equal(got[name], expected)


@given(
    st.dates(dt.date(1990, 1, 1), dt.date(2090, 12, 1)),
    st.integers(1, 60),
    st.sampled_from([None, "month"]),
)
def test_month_labels_are_the_months_as_text(start, count, name):
    with pd.option_context("mode.string_storage", TEXT_STORAGE):
        months = pd.period_range(start, periods=count, freq="M", name=name)
        expected = months.astype(str)
        got = _month_labels(months)
        # A second call (formatted labels reused) gives an equal, separate index.
        again = _month_labels(months)
    pd.testing.assert_index_equal(got, expected, exact=True)
    assert got.dtype == expected.dtype
    assert again is not got
    assert got[0] == f"{start.year:04d}-{start.month:02d}"


def test_month_labels_of_text_months_are_those_months():
    months = pd.Index(["2027-01", "2027-02"])
    pd.testing.assert_index_equal(_month_labels(months), months.astype(str), exact=True)


NEEDS = ["opportunity_management", "forecasting", "dashboards", "case_management"]
need_values = st.sampled_from(["must", "must_limited", 1, 3, 5])


@st.composite
def role_lists(draw):
    """Roles with any needs (some with the same, some with none), seats 1-30."""
    count = draw(st.integers(1, 6))
    return [
        {
            "id": f"r{n}",
            "name": f"Role {n}",
            "seats": draw(st.integers(1, 30)),
            "needs": draw(st.dictionaries(st.sampled_from(NEEDS), need_values, max_size=3)),
        }
        for n in range(count)
    ]


@settings(max_examples=20, deadline=None)
@given(role_lists())
def test_the_fit_detail_by_position_is_its_rows_written_out(roles):
    profile = golden_profile(roles=roles)
    _, plans, _, stay_mix = scenario_plans(profile, GOLDEN)
    mixes = {p.id: p.mixes or (stay_mix,) for p in plans if p.status == "ok"}
    with pd.option_context("mode.string_storage", TEXT_STORAGE):
        expected = written_out_fit_detail(profile, GOLDEN, mixes)
        got = _fit_detail(mixes, profile, GOLDEN)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert list(got.dtypes) == list(expected.dtypes)


MUST_MISSED = [
    {"id": "viewers", "name": "Viewers", "seats": 50, "needs": {"case_management": "must"}},
    {
        "id": "sellers",
        "name": "Sellers",
        "seats": 10,
        "needs": {"opportunity_management": "must_limited", "dashboards": "must"},
    },
]


@pytest.mark.parametrize("roles", [None, MUST_MISSED])
def test_stays_must_warnings_from_its_seats_are_those_read_from_the_table(roles):
    profile = golden_profile(roles=roles) if roles else golden_profile()
    result = analyze(profile, GOLDEN, samples=0)
    stay_mix = scenario_plans(profile, GOLDEN).stay_mix
    from_seats = stay_must_row_warnings(_stay_needs((stay_mix,), profile, GOLDEN), GATES)
    assert from_seats == stay_must_warnings(result.fit_detail, GATES)
    if roles:
        # GOLDEN's legacy Enterprise has no case management: the viewers' must fails.
        assert ("stay", "stay_must_unmet") in [(s, k) for s, k, _ in from_seats]
    # No Stay mix (Stay not costed): no rows, no warning.
    assert list(_stay_needs((), profile, GOLDEN)) == []
