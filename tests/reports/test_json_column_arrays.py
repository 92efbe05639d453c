"""The JSON report's records read from the arrays a frame stores its columns in equal the
records written value by value from the frame's rows.

The reference, :func:`row_by_row`, takes each row out of the frame as pandas gives it
(``itertuples``) and converts each value by itself, with the rules of the JSON report written
out again here: missing values (None, NaN, NA, NaT) as None, dates in ISO form, numpy numbers
as Python ones, floats rounded to cents for money and to four decimals elsewhere.
"""

import datetime as dt
import doctest
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.reports import json as json_report
from analyzer.reports.json import month_labels
from analyzer.reports.tables import (
    MONEY_COLUMNS,
    cell_records,
    column_arrays,
    iso_dates,
    plain_floats,
    plain_value,
    rank_stability_columns,
    records,
    scenario_records,
    table_records,
    text_cells,
)
from analyzer.scoring import Sensitivity
from analyzer.sensitivity import MonteCarloResult


def json_value(value, places):
    """One cell as the JSON report writes it (the rules of the module docstring)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else round(float(value), places) + 0.0
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def row_by_row(frame):
    """The records of ``frame`` made a row at a time, every value by itself."""
    names = [str(name) for name in frame.columns]
    places = [2 if name in MONEY_COLUMNS else 4 for name in names]
    return [
        {
            name: json_value(value, digits)
            for name, value, digits in zip(names, row, places, strict=True)
        }
        for row in frame.itertuples(index=False, name=None)
    ]


def same_json(left, right):
    """Equal, and of the same types cell by cell (True equals 1, 1.0 equals 1)."""
    assert left == right
    for row, expected in zip(left, right, strict=True):
        assert [type(row[name]) for name in expected] == [type(v) for v in expected.values()]


TEXT = st.one_of(st.none(), st.text(max_size=5))
DAYS = st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2060, 12, 31)))
FLOATS = st.floats(allow_nan=True, allow_infinity=False, width=64)
WHOLE = st.integers(-(2**40), 2**40)


@st.composite
def frames(draw):
    """A frame with a column of each kind the analysis's tables hold, in any mix."""
    size = draw(st.integers(0, 6))

    def cells(values):
        return draw(st.lists(values, min_size=size, max_size=size))

    makers = {
        "label": lambda: pd.array(cells(TEXT), dtype="str"),
        "tier": lambda: pd.array(cells(TEXT), dtype="string"),
        "total": lambda: np.array(cells(FLOATS), dtype=float),
        "score": lambda: np.array(cells(FLOATS), dtype=float),
        "seats": lambda: np.array(cells(WHOLE), dtype=np.int64),
        "rank": lambda: pd.array(cells(st.one_of(st.none(), WHOLE)), dtype="Int64"),
        "included": lambda: np.array(cells(st.booleans()), dtype=bool),
        "effective_date": lambda: pd.Series(cells(DAYS), dtype=object),
        "month": lambda: pd.to_datetime(
            pd.Series(cells(DAYS), dtype=object).map(lambda d: pd.NaT if d is None else d)
        ),
    }
    names = draw(st.lists(st.sampled_from(sorted(makers)), min_size=1, max_size=9, unique=True))
    storage = draw(st.sampled_from(["python", "pyarrow"]))
    with pd.option_context("mode.string_storage", storage):
        return pd.DataFrame({name: makers[name]() for name in names})


@given(frames())
@settings(max_examples=300, deadline=None)
def test_records_equal_the_rows_converted_one_value_at_a_time(frame):
    same_json(records(frame), row_by_row(frame))


@given(frames())
@settings(max_examples=50, deadline=None)
def test_column_arrays_are_the_arrays_of_the_columns(frame):
    arrays = column_arrays(frame)
    assert len(arrays) == frame.shape[1]
    for array, name in zip(arrays, frame.columns, strict=True):
        expected = frame[name].array
        if type(expected) is pd.arrays.NumpyExtensionArray:
            expected = expected.to_numpy()  # pandas wraps a numpy column for .array
        assert type(array) is type(expected)
        assert array.dtype == expected.dtype
        assert pd.Series(array).equals(pd.Series(expected))


def test_a_table_of_every_kind_by_hand():
    frame = pd.DataFrame(
        {
            "label": pd.array(["Stay", None], dtype="str"),
            "rank": pd.array([None, 2], dtype="Int64"),
            "total": [1.005, float("nan")],
            "fit": [0.123449, 0.5],
            "go_live": [dt.date(2027, 3, 1), None],
            "included": [True, False],
        }
    )
    # 1.005 is stored a little below the half cent (1.00499999999999989...), so it rounds
    # down to 1.0; 0.123449 keeps four decimals: 0.1234.
    same_json(
        records(frame),
        [
            {
                "label": "Stay",
                "rank": None,
                "total": 1.0,
                "fit": 0.1234,
                "go_live": "2027-03-01",
                "included": True,
            },
            {
                "label": None,
                "rank": 2,
                "total": None,
                "fit": 0.5,
                "go_live": None,
                "included": False,
            },
        ],
    )


@given(st.lists(TEXT, max_size=20), st.sampled_from(["str", "string"]))
@settings(max_examples=100, deadline=None)
def test_text_cells_are_the_texts_with_none_for_missing(values, dtype):
    for storage in ("python", "pyarrow"):
        with pd.option_context("mode.string_storage", storage):
            converted = text_cells(pd.array(values, dtype=dtype))
        assert converted == values
        assert [type(v) for v in converted] == [type(v) for v in values]


@given(st.lists(DAYS, max_size=30))
def test_iso_dates_write_each_date_as_isoformat_does(days):
    assert iso_dates(days) == [None if day is None else day.isoformat() for day in days]


@given(st.integers(-3000, 3000), st.integers(0, 40))
def test_month_labels_are_the_periods_as_text(ordinal, count):
    # Month ``ordinal`` counts from January 1970 (negative before it).
    months = pd.period_range(pd.Period(ordinal=ordinal, freq="M"), periods=count, freq="M")
    assert month_labels(months) == [str(month) for month in months]


def test_month_labels_by_hand():
    months = pd.period_range("2026-11", periods=3, freq="M")
    assert month_labels(months) == ["2026-11", "2026-12", "2027-01"]


def test_month_labels_refuse_periods_other_than_months():
    with pytest.raises(ValueError, match="by month"):
        month_labels(pd.period_range("2027-01-01", periods=2, freq="D"))


@given(st.lists(st.sampled_from(["b", "a", "c", "a"]), min_size=1, max_size=4), st.data())
def test_rows_hold_their_keys_sorted_and_a_repeated_name_its_last_value(names, data):
    values = data.draw(st.lists(st.integers(), min_size=len(names), max_size=len(names)))
    [row] = cell_records(names, [[value] for value in values])
    assert list(row) == sorted(set(names))
    assert row == dict(zip(names, values, strict=True))


def test_a_scenarios_rows_read_as_the_rows_of_its_table():
    table = pd.DataFrame(
        {
            "scenario_id": pd.array(["stay", "switch", "stay", None], dtype="str"),
            "step": pd.array(["notice", "sign", None, "x"], dtype="str"),
            "order": pd.array([1, None, 3, 4], dtype="Int64"),
            "amount": [2.675, 2.0, float("nan"), 1.0],
            "date": [dt.date(2027, 1, 1), None, None, dt.date(2027, 2, 1)],
        }
    )
    columns = ["step", "order", "amount", "date"]
    shown = table.loc[table["scenario_id"] == "stay", columns].reset_index(drop=True)
    assert scenario_records(table, "stay", columns) == row_by_row(shown)
    # By hand: 2.675 is stored just below the half cent (2.67499999999999982...): 2.67.
    assert scenario_records(table, "stay", columns) == [
        {"step": "notice", "order": 1, "amount": 2.67, "date": "2027-01-01"},
        {"step": None, "order": 3, "amount": None, "date": None},
    ]


class _Result:
    """Just what rank_stability_columns reads of an analysis: the scenario labels."""

    def __init__(self, labels: pd.Series):
        self.scenarios = pd.DataFrame({"label": labels})


def test_rank_stability_reads_the_monte_carlo_tables_by_scenario_whatever_their_order():
    ids = ["a", "b", "c"]
    # b ranks first in 60% of the samples, a in 30%, c in 10%.
    distribution = pd.DataFrame(
        [[0.3, 0.5, 0.2], [0.6, 0.3, 0.1], [0.1, 0.2, 0.7]],
        index=ids,
        columns=pd.RangeIndex(1, 4, name="rank"),
    )
    # Expected rank = sum of rank x share: a 1.9, b 1.5, c 2.6.
    expected_rank = pd.Series([1.9, 1.5, 2.6], index=ids)
    p_first = distribution[1].rename("p_first")
    aligned = MonteCarloResult(p_first, distribution, expected_rank, samples=10, seed=0)
    shuffled = MonteCarloResult(
        p_first, distribution.iloc[[2, 0, 1]], expected_rank.iloc[[1, 2, 0]], samples=10, seed=0
    )
    result = _Result(pd.Series(["A", "B", "C"], index=ids))
    columns = {
        name: rank_stability_columns(result, Sensitivity(mc, pd.DataFrame(), pd.DataFrame()))
        for name, mc in (("aligned", aligned), ("shuffled", shuffled))
    }
    for found in columns.values():
        assert list(found["scenario_id"]) == ["b", "a", "c"]
        assert list(found["label"]) == ["B", "A", "C"]
        assert found["expected_rank"].tolist() == [1.5, 1.9, 2.6]
        assert found["p_rank_3"].tolist() == [0.1, 0.2, 0.7]


def test_the_json_modules_examples_hold():
    failures, tried = doctest.testmod(json_report)
    assert tried > 0
    assert failures == 0


@given(st.lists(frames(), max_size=4))
@settings(max_examples=150, deadline=None)
def test_tables_of_any_lengths_convert_together_as_each_alone(tables):
    # Each frame has its own number of rows (0 to 6), so float columns of different lengths
    # are rounded in one array and split again.
    converted = table_records(tables)
    assert len(converted) == len(tables)
    for rows, frame in zip(converted, tables, strict=True):
        same_json(rows, row_by_row(frame))


@given(frames(), st.data())
@settings(max_examples=150, deadline=None)
def test_one_scenarios_rows_are_its_rows_converted_one_value_at_a_time(frame, data):
    ids = data.draw(st.lists(st.sampled_from(["stay", "switch"]), min_size=len(frame)))
    table = frame.assign(scenario_id=pd.array(ids[: len(frame)], dtype="str"))
    columns = [str(name) for name in frame.columns]
    shown = frame[[scenario_id == "stay" for scenario_id in table["scenario_id"]]]
    same_json(scenario_records(table, "stay", columns), row_by_row(shown.reset_index(drop=True)))


HALVES = st.sampled_from([0.125, 2.675, 1.005, -0.375, float("nan"), 1e17 + 0.5])
"""Half-way and missing values: the ones :func:`plain_floats` hands to ``plain_value``."""


@given(
    st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 4)).flatmap(
        lambda shape: st.lists(
            st.one_of(st.floats(-1e6, 1e6), HALVES),
            min_size=shape[0] * shape[1] * shape[2],
            max_size=shape[0] * shape[1] * shape[2],
        ).map(lambda cells: np.array(cells, dtype=float).reshape(shape))
    ),
    st.sampled_from([2, 4]),
)
def test_nested_arrays_round_as_each_value_alone(values, places):
    expected = [
        [[plain_value(value, places) for value in row] for row in block] for block in values
    ]
    assert plain_floats(values, places) == expected
