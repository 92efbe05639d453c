"""The CSV report is the scenario table, rounded like the JSON report, with inert text."""

import csv
import io

import pandas as pd
import pytest

from analyzer.reports import report_csv
from analyzer.reports.tables import SCENARIO_COLUMNS

HYPERLINK = '=HYPERLINK("http://example.com","x")'


def decimals(text):
    return len(text.partition(".")[2])


def test_csv_is_the_scenario_table(result):
    rows = list(csv.DictReader(io.StringIO(report_csv(result))))
    assert list(rows[0]) == SCENARIO_COLUMNS
    assert [r["scenario_id"] for r in rows] == list(result.scenarios.index)
    for row in rows:
        expected = result.scenarios.loc[row["scenario_id"], "total"]
        if expected == expected:
            assert float(row["total"]) == pytest.approx(expected, abs=0.005)
        else:
            assert row["total"] == ""


def test_csv_rounds_money_to_cents_and_ratios_to_four_decimals(result):
    rows = list(csv.DictReader(io.StringIO(report_csv(result))))
    for row in rows:
        assert all(decimals(row[c]) <= 2 for c in ("total", "npv", "saving_vs_stay"))
        assert all(decimals(row[c]) <= 4 for c in ("fit", "score", "contribution_cost"))
    # Rounding keeps the nearest cent and the nearest ten-thousandth of the analysis's figures.
    for row in rows:
        scenario = result.scenarios.loc[row["scenario_id"]]
        if scenario["rank"] is not pd.NA:
            assert abs(float(row["npv"]) - scenario["npv"]) <= 0.005 + 1e-9
            assert abs(float(row["score"]) - scenario["score"]) <= 0.00005 + 1e-12


def test_csv_neutralizes_a_formula_in_catalog_text(hostile_result):
    rows = list(csv.DictReader(io.StringIO(report_csv(hostile_result(HYPERLINK)))))
    products = {r["scenario_id"]: r["product"] for r in rows}
    assert products["switch:target/standard"] == "'" + HYPERLINK
