"""The JSON report's rows made without pandas rows equal the rows of the tables they stand for.

The references are the plain ways of writing the same rows: ``dict(zip(columns, row))`` per
row, :func:`~analyzer.reports.tables.records` of the table pandas makes, and the records of
:meth:`~analyzer.analysis.AnalysisResult.exit_plan` and ``scenario_key_dates``.
"""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.reports.tables import (
    cell_records,
    column_records,
    rank_stability_columns,
    rank_stability_table,
    record_maker,
    records,
    scenario_records,
)

NAMES = st.lists(st.text(max_size=6), min_size=1, max_size=6)
"""Column names, any text: quotes, backslashes, braces and repeats included."""


@given(NAMES, st.data())
def test_a_row_is_the_dict_of_its_names_and_values(names, data):
    values = data.draw(st.lists(st.integers(), min_size=len(names), max_size=len(names)))
    row = record_maker(tuple(names))(*values)
    assert row == dict(zip(names, values, strict=True))
    # A repeated name keeps its last value, in the place of its first, as dict(zip) does.
    assert list(row.items()) == list(dict(zip(names, values, strict=True)).items())


def test_names_are_written_as_text_never_run():
    name = "'}, __import__('os').system('exit 1'), {'"
    assert record_maker((name, "b"))(1, 2) == {name: 1, "b": 2}


@given(NAMES, st.integers(0, 5), st.data())
def test_cells_become_one_dict_per_row(names, rows, data):
    cells = [data.draw(st.lists(st.integers(), min_size=rows, max_size=rows)) for _ in names]
    expected = [dict(zip(names, row, strict=True)) for row in zip(*cells, strict=True)]
    assert cell_records(names, cells) == expected


def test_columns_of_unequal_length_are_refused():
    with pytest.raises(ValueError, match="as many cells"):
        cell_records(["a", "b"], [[1, 2], [3]])


def test_no_columns_give_no_rows():
    assert cell_records([], []) == []


column_values = st.sampled_from(
    [
        st.floats(allow_nan=True, allow_infinity=False),
        st.integers(-(2**62), 2**62),
        st.booleans(),
        st.one_of(st.text(max_size=4), st.none()),
        st.one_of(st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)), st.none()),
    ]
)


@st.composite
def array_columns(draw):
    size = draw(st.integers(0, 5))
    names = draw(
        st.lists(
            st.sampled_from(["total", "fit", "label", "n", "p_rank_1"]),
            min_size=1,
            max_size=5,
            unique=True,
        )
    )
    columns = {}
    for name in names:
        values = draw(st.lists(draw(column_values), min_size=size, max_size=size))
        kinds = set(map(type, values))
        if kinds <= {float, int, bool} and values:
            columns[name] = np.array(values)
        else:
            stored = np.empty(size, dtype=object)
            stored[:] = values
            columns[name] = stored
    return columns


@given(array_columns())
@settings(max_examples=200, deadline=None)
def test_records_of_columns_are_the_records_of_their_table(columns):
    # Money ("total") keeps cents, the rest four decimals, as in the table's records.
    assert column_records(columns) == records(pd.DataFrame(columns))


def test_every_scenarios_exit_plan_and_key_dates_read_as_their_tables(result):
    plans, dates = result.exit_plans, result.key_dates
    steps = [c for c in plans.columns if c != "scenario_id"]
    for scenario_id in result.scenarios.index:
        assert scenario_records(plans, scenario_id, steps) == records(result.exit_plan(scenario_id))
        shown = result.scenario_key_dates(scenario_id)[["event", "date"]]
        assert scenario_records(dates, scenario_id, ["event", "date"]) == records(shown)


def test_an_unknown_scenario_has_no_rows(result):
    assert scenario_records(result.key_dates, "no such option", ["event", "date"]) == []


def test_the_rank_stability_columns_are_the_table_and_its_records(result):
    columns = rank_stability_columns(result, result.sensitivity)
    table = rank_stability_table(result, result.sensitivity)
    assert list(columns) == list(table.columns)
    assert column_records(columns) == records(table)
    # The most likely winner first: p_first never rises down the table.
    p_first = table["p_first"].to_numpy()
    assert (np.diff(p_first) <= 0).all()
