"""Several tables converted together give each table's records as converting it alone did."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.reports.tables import plain_floats, plain_value, scenario_records, table_records
from tests.reports.test_json_column_arrays import frames, row_by_row, same_json


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
