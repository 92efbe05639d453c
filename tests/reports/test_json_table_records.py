"""Several tables converted together give each table's records as converting it alone did."""

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.reports.tables import scenario_records, table_records
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
