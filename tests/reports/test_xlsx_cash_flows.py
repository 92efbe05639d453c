"""The wide Cash flows sheet: one row per scenario and component, one money column per month.

Its cells are checked against ``result.cash_flows`` (the long table: one row per scenario,
component and month) pivoted by pandas here, and :func:`cash_flow_table` against a loop over the
monthly tables for any shape hypothesis draws.
"""

import io
from types import SimpleNamespace

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from xlsxwriter.utility import xl_col_to_name

from analyzer.reports import report_xlsx
from analyzer.reports.xlsx import cash_flow_table, money_format
from analyzer.safety import neutralize

HYPERLINK = '=HYPERLINK("http://example.com","x")'
KEYS = ["label", "scenario_id", "component"]
COMPONENTS = ["licenses", "migration", "training"]


def pivoted(result) -> pd.DataFrame:
    """``result.cash_flows`` pivoted wide by pandas, each label made inert for a spreadsheet.

    Rows in the order the long table first names each (scenario, component); months in
    calendar order (``YYYY-MM`` sorts as text the way it does as a date).
    """
    long = result.cash_flows
    wide = long.pivot(index=["scenario_id", "component"], columns="month", values="amount")
    order = pd.MultiIndex.from_frame(long[["scenario_id", "component"]].drop_duplicates())
    wide = wide.reindex(index=order, columns=sorted(set(long["month"]))).reset_index()
    labels = wide["scenario_id"].map(result.scenarios["label"]).map(neutralize)
    wide.insert(0, "label", labels)
    return wide


def sheet_values(result) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(result)))
    return list(book["Cash flows"].iter_rows(values_only=True))


def assert_sheet_is_the_pivot(result):
    expected = pivoted(result)
    header, *rows = sheet_values(result)
    assert list(header) == [str(c) for c in expected.columns]
    assert [row[:3] for row in rows] == list(expected[KEYS].itertuples(index=False, name=None))
    amounts = np.array([row[3:] for row in rows], dtype=float)
    np.testing.assert_allclose(amounts, expected.iloc[:, 3:].to_numpy(dtype=float), rtol=1e-15)


@pytest.mark.parametrize("fixture", ["result", "unsampled"])
def test_the_sheet_holds_the_cash_flows_pivoted(fixture, request):
    result = request.getfixturevalue(fixture)
    assert_sheet_is_the_pivot(result)
    # Every (scenario, component) of every monthly table has its row, zero rows included.
    header, *rows = sheet_values(result)
    assert len(rows) == sum(table.shape[1] for table in result.monthly.values())
    # The bundled example's horizon is 36 months, from its analysis start.
    start = pd.Period(result.profile.analysis_start, "M")
    assert header[3:] == tuple(str(start + k) for k in range(36))


def test_a_hostile_label_is_inert_in_the_sheet(hostile_result):
    result = hostile_result(HYPERLINK)
    assert_sheet_is_the_pivot(result)
    _, *rows = sheet_values(result)
    labels = {row[0] for row in rows}
    assert any(HYPERLINK[1:] in label for label in labels)
    assert not any(label.lstrip(" ").startswith("=") for label in labels)


def test_the_sheet_is_formatted_frozen_and_filtered(result):
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(result)))
    sheet = book["Cash flows"]
    rows = sum(table.shape[1] for table in result.monthly.values())
    # Three key columns and 36 months: the last column is the 39th, AM.
    assert xl_col_to_name(3 + 36 - 1) == "AM"
    assert sheet.auto_filter.ref == f"A1:AM{rows + 1}"
    assert sheet.freeze_panes == "D2"
    body = list(sheet.iter_rows(min_row=2))
    # The keys are text in the General format; every month cell is a number in the currency's.
    assert {(c.data_type, c.number_format) for row in body for c in row[:3]} == {("s", "General")}
    assert {(c.data_type, c.number_format) for row in body for c in row[3:]} == {
        ("n", money_format("USD"))
    }
    assert result.profile.currency == "USD"


@st.composite
def analyses(draw):
    """A stand-in result: 1-4 scenarios over one 1-6 month index, each with its own components."""
    months = pd.period_range("2026-11", periods=draw(st.integers(1, 6)), freq="M")
    ids = draw(st.lists(st.sampled_from(["stay", "a", "b", "c"]), min_size=1, unique=True))
    monthly = {}
    for sid in ids:
        components = draw(st.lists(st.sampled_from(COMPONENTS), min_size=1, unique=True))
        amounts = draw(
            st.lists(
                st.floats(-1e9, 1e9, allow_nan=False),
                min_size=len(months) * len(components),
                max_size=len(months) * len(components),
            )
        )
        values = np.array(amounts).reshape(len(months), len(components))
        monthly[sid] = pd.DataFrame(values, index=months, columns=components)
    scenarios = pd.DataFrame({"label": [f"Label of {sid}" for sid in ids]}, index=ids)
    return SimpleNamespace(monthly=monthly, scenarios=scenarios)


@given(analyses())
def test_the_table_has_a_row_per_scenario_and_component(result):
    table = cash_flow_table(result)
    months = next(iter(result.monthly.values())).index
    assert list(table.columns) == [*KEYS, *(f"{m.year}-{m.month:02d}" for m in months)]
    expected = [
        (f"Label of {sid}", sid, component, *monthly[component].tolist())
        for sid, monthly in result.monthly.items()
        for component in monthly.columns
    ]
    assert list(table.itertuples(index=False, name=None)) == expected
