"""The shared table layer: what every report shows, and how its numbers are rounded and printed."""

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analyzer.reports.tables import (
    MISSING,
    SCENARIO_COLUMNS,
    assumption_table,
    column_kind,
    fixed,
    key_date_table,
    percent,
    rank_stability_table,
    records,
    rounded,
    scenario_table,
    spreadsheet_cells,
    template_rows,
)

finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)


def test_scenario_table_keeps_the_ranked_order_and_the_report_columns(result):
    table = scenario_table(result)
    assert list(table.columns) == SCENARIO_COLUMNS
    assert list(table["scenario_id"]) == list(result.scenarios.index)
    assert list(table.index) == list(range(len(table)))


def test_assumption_table_flattens_the_profile_with_role_ids(result):
    values = dict(assumption_table(result).itertuples(index=False, name=None))
    # examples/acme-enterprise.yaml: notice_days: 30; role sales_reps has 60 seats.
    assert values["current.contract.notice_days"] == 30
    assert values["roles.sales_reps.seats"] == 60
    assert values["name"] == "Acme Corp"


def test_key_date_table_is_stays_next_term(result):
    table = key_date_table(result)
    assert list(table.columns) == ["event", "date"]
    # Acme's running term started 2024-09-01 (examples/acme-enterprise.yaml).
    assert (table["event"].iloc[0], table["date"].iloc[0]) == ("Term start", dt.date(2024, 9, 1))
    assert list(table["date"]) == sorted(table["date"])


def test_rank_stability_table_is_consistent_with_its_distribution(result):
    table = rank_stability_table(result, result.sensitivity)
    rank_columns = [c for c in table.columns if c.startswith("p_rank_")]
    ranks = np.array([int(c.removeprefix("p_rank_")) for c in rank_columns])
    shares = table[rank_columns].to_numpy()
    # Every sample ranks each scenario exactly once; ranking first is rank 1; the expected
    # rank is the mean of the ranks weighted by their shares.
    assert shares.sum(axis=1) == pytest.approx(np.ones(len(table)))
    assert table["p_first"].to_numpy() == pytest.approx(table["p_rank_1"].to_numpy())
    assert table["expected_rank"].to_numpy() == pytest.approx(shares @ ranks)
    # Most likely winner first; ties broken by scenario id.
    keys = list(zip(-table["p_first"], table["scenario_id"], strict=True))
    assert keys == sorted(keys)
    assert list(table["label"]) == list(result.scenarios.loc[table["scenario_id"], "label"])


@given(amount=finite, share=finite)
def test_records_round_money_to_cents_and_ratios_to_four_decimals(amount, share):
    [row] = records(pd.DataFrame({"total": [amount], "score": [share]}))
    assert row["total"] == float(f"{amount:.2f}")
    assert row["score"] == float(f"{share:.4f}")
    # A rounded -0.0 is written as 0.0, so equal amounts print the same.
    for value in row.values():
        assert value != 0 or math.copysign(1, value) == 1


def test_records_write_a_rounded_negative_zero_as_zero():
    # -0.001 rounds to -0.0 at cents; the report writes 0.0.
    [row] = records(pd.DataFrame({"total": [-0.001]}))
    assert math.copysign(1, row["total"]) == 1


def test_records_write_json_values():
    frame = pd.DataFrame(
        {
            "rank": pd.array([1, None], dtype="Int64"),
            "fit": [float("nan"), 0.5],
            "date": [dt.date(2027, 8, 31), None],
            "month": [pd.Timestamp("2027-01-01"), pd.NaT],
            "warning": [np.bool_(True), False],
        }
    )
    assert records(frame) == [
        {"rank": 1, "fit": None, "date": "2027-08-31", "month": "2027-01-01", "warning": True},
        {"rank": None, "fit": 0.5, "date": None, "month": None, "warning": False},
    ]
    assert type(records(frame)[0]["rank"]) is int


def test_rounded_keeps_cents_for_money_and_four_decimals_elsewhere():
    frame = rounded(pd.DataFrame({"npv": [10.126], "fit": [0.123456], "seats": [3]}))
    # 10.126 -> 10.13 (cents); 0.123456 -> 0.1235 (four decimals); integers untouched.
    assert frame.to_dict("records") == [{"npv": 10.13, "fit": 0.1235, "seats": 3}]


@pytest.mark.parametrize(
    ("column", "values", "kind"),
    [
        ("total", [1.0], "money"),
        ("amount_in_profile_currency", [1.0], "money"),
        ("fit", [0.5], "percent"),
        ("p_rank_12", [0.5], "percent"),
        ("score", [0.5], "ratio"),
        ("seats", [3], None),
        ("label", ["Stay"], None),
    ],
)
def test_column_kind_by_name_then_dtype(column, values, kind):
    assert column_kind(column, pd.Series(values)) == kind


def test_template_rows_give_none_for_missing_values():
    frame = pd.DataFrame({"fit": [float("nan")], "rank": pd.array([None], dtype="Int64")})
    assert template_rows(frame) == [{"fit": None, "rank": None}]


def test_spreadsheet_cells_neutralize_formulas_and_renumber_rows():
    frame = pd.DataFrame({"product": ["=1+1", "Zoho"]}, index=[5, 7])
    cells = spreadsheet_cells(frame)
    assert cells.to_dict("list") == {"product": ["'=1+1", "Zoho"]}
    assert list(cells.index) == [0, 1]


def test_percent_and_fixed_print_by_hand_examples():
    # 0.8949 is 89.49% -> "89%"; 0.08 at one decimal is "8.0%"; 0.70951 at three is "0.710".
    assert percent(0.8949) == "89%"
    assert percent(0.08, 1) == "8.0%"
    assert fixed(0.70951) == "0.710"
    assert fixed(0.5, 1) == "0.5"
    for missing in (None, float("nan")):
        assert percent(missing) == fixed(missing) == MISSING


@given(share=st.floats(min_value=-10, max_value=10, allow_nan=False))
def test_percent_is_within_half_a_unit_of_the_share(share):
    text = percent(share, 1)
    assert text.endswith("%")
    assert abs(float(text[:-1]) - share * 100) <= 0.05 + 1e-9
