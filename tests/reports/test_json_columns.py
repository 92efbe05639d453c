"""Whole-column conversion of the JSON report equals converting value by value."""

import datetime as dt
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.reports.tables import plain_columns, plain_floats, plain_value, rank_stability_table
from analyzer.scoring import Sensitivity
from analyzer.sensitivity import MonteCarloResult

FLOATS = st.floats(allow_nan=True, allow_infinity=False, width=64)


@given(st.lists(FLOATS, max_size=30), st.sampled_from([2, 4]))
@settings(max_examples=200, deadline=None)
def test_a_float_column_converts_like_each_value(values, places):
    column = pd.Series(values, dtype=float)
    (converted,) = plain_columns(column.to_frame(), [places])
    assert converted == [plain_value(v, places) for v in column]
    # The same float bit for bit, -0.0 included (written as 0.0).
    assert [repr(v) for v in converted] == [repr(plain_value(v, places)) for v in column]


@pytest.mark.parametrize(
    "column",
    [
        pd.Series([3, -1, 0], dtype="int64"),
        pd.Series([True, False]),
        pd.array([1, None], dtype="Int64"),
        pd.Series([dt.date(2027, 1, 31), None, "text", np.float64(1.005)], dtype=object),
        pd.Series([pd.Timestamp("2027-01-01"), pd.NaT]),
        pd.Series(["a", None], dtype="string"),
    ],
    ids=["int", "bool", "nullable-int", "mixed", "timestamps", "strings"],
)
def test_other_columns_convert_like_each_value(column):
    column = pd.Series(column)
    (converted,) = plain_columns(column.to_frame(), [2])
    expected = [plain_value(v, 2) for v in column]
    assert converted == expected
    assert [type(v) for v in converted] == [type(v) for v in expected]


class _Result:
    """Just what rank_stability_table reads of an analysis: the scenario labels."""

    def __init__(self, labels: pd.Series):
        self.scenarios = pd.DataFrame({"label": labels})


def test_the_rank_table_of_many_scenarios_is_built_at_once():
    # 150 scenarios: the column-by-column table warned of fragmentation from about 139.
    n = 150
    ids = [f"s{k:03d}" for k in range(n)]
    # Scenario k ranks (k + r) mod n + 1 in a quarter of the samples each, r = 0..3.
    distribution = np.zeros((n, n))
    for r in range(4):
        distribution[np.arange(n), (np.arange(n) + r) % n] = 0.25
    frame = pd.DataFrame(distribution, index=ids, columns=pd.RangeIndex(1, n + 1, name="rank"))
    mc = MonteCarloResult(
        p_first=frame[1].rename("p_first"),
        rank_distribution=frame,
        expected_rank=(frame * np.arange(1, n + 1)).sum(axis=1),
        samples=4,
        seed=0,
    )
    sensitivity = Sensitivity(mc, pd.DataFrame(), pd.DataFrame())
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.PerformanceWarning)
        table = rank_stability_table(_Result(pd.Series(ids, index=ids)), sensitivity)
    assert list(table.columns[:4]) == ["scenario_id", "label", "p_first", "expected_rank"]
    assert list(table.columns[4:]) == [f"p_rank_{r}" for r in range(1, n + 1)]
    # p_first is 0.25 for the four scenarios that reach rank 1 (k = 0, n-1, n-2, n-3), first
    # by id among equals; every row of the distribution sums to 1.
    assert list(table["scenario_id"][:4]) == ["s000", "s147", "s148", "s149"]
    assert table.filter(like="p_rank_").sum(axis=1).tolist() == [1.0] * n
    row = table.set_index("scenario_id").loc["s010"]
    assert row[[f"p_rank_{r}" for r in (11, 12, 13, 14)]].tolist() == [0.25] * 4


HALF_CENTS = st.integers(-(10**12), 10**12).map(lambda k: (k + 0.5) / 100)
"""Floats that print as x.xx5, the half-way points where rounding a product can go wrong."""
HALF_TEN_THOUSANDTHS = st.integers(-(10**10), 10**10).map(lambda k: (k + 0.5) / 10_000)
ANY_FLOAT = st.floats(allow_nan=True, allow_infinity=False, width=64)


@given(
    st.lists(st.one_of(ANY_FLOAT, HALF_CENTS, HALF_TEN_THOUSANDTHS), max_size=40),
    st.sampled_from([2, 4]),
)
@settings(max_examples=300, deadline=None)
def test_whole_array_rounding_equals_python_round_bit_for_bit(values, places):
    converted = plain_floats(np.array(values, dtype=float), places)
    expected = [plain_value(v, places) for v in values]
    assert [repr(v) for v in converted] == [repr(v) for v in expected]


def test_whole_array_rounding_of_known_values():
    values = np.array([2.675, 0.125, 0.375, -0.001, 1e300, float("nan"), 12.345678])
    # 2.675 is stored just below 2.675 (2.67499999...), so it rounds down; 0.125 and 0.375 are
    # exact ties, rounded to the even cent; -0.001 rounds to -0.0, written 0.0; 1e300 has no
    # fraction at all; NaN is null.
    converted = plain_floats(values, 2)
    assert converted[:5] == [2.67, 0.12, 0.38, 0.0, 1e300]
    assert math.copysign(1, converted[3]) == 1
    assert converted[5] is None
    assert converted[6] == 12.35


def test_a_block_converts_row_by_row():
    block = np.array([[1.004, float("nan"), 0.125], [2.5, -3.14159, 1e16]])
    assert plain_floats(block, 2) == [plain_floats(row, 2) for row in block]
    assert plain_floats(block, 2) == [[1.0, None, 0.12], [2.5, -3.14, 1e16]]


def test_an_infinite_amount_has_no_json_value():
    # json.dumps(allow_nan=False) refused it; the report still does, before any encoder.
    with pytest.raises(ValueError, match="not JSON compliant"):
        plain_floats(np.array([1.0, float("inf")]), 2)
    with pytest.raises(ValueError, match="not JSON compliant"):
        plain_value(float("-inf"), 4)
