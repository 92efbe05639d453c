"""Several tables converted together give each table's records as converting it alone did."""

from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.reports.tables import table_records
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
