"""The XLSX report, reopened with openpyxl: sheets, values, number formats, widths."""

import io

import openpyxl
import pytest

from analyzer.reports import report_xlsx
from analyzer.reports.xlsx import MAX_COLUMN_PIXELS, money_format

HYPERLINK = '=HYPERLINK("http://example.com","x")'


@pytest.fixture(scope="module")
def workbook(result):
    return openpyxl.load_workbook(io.BytesIO(report_xlsx(result)))


def sheet_rows(sheet):
    """Rows of the first table of ``sheet`` as dicts keyed by the header."""
    values = sheet.iter_rows(values_only=True)
    header = next(values)
    rows = []
    for row in values:
        if all(v is None for v in row):
            break
        rows.append(dict(zip(header, row, strict=False)))
    return rows


def cell(sheet, column, row=2):
    """The cell of ``column`` (by header name, first match) in ``row``."""
    header = [c.value for c in sheet[1]]
    return sheet.cell(row=row, column=header.index(column) + 1)


def test_xlsx_warnings_sheet_holds_every_warning(workbook, result):
    rows = sheet_rows(workbook["Warnings"])
    assert [(r["kind"], r["message"]) for r in rows] == list(
        zip(result.warnings["kind"], result.warnings["message"], strict=True)
    )
    assert len(rows) > 0


def test_xlsx_has_the_sheets(workbook):
    assert workbook.sheetnames == [
        "Summary",
        "Scenarios",
        "Cash flows",
        "Feature fit",
        "Licenses",
        "Sensitivity",
        "Exit plan",
        "Assumptions",
        "Sources",
        "Warnings",
    ]
    for sheet in workbook.worksheets:
        # The wide cash flows keep their label, id and component (columns A-C) in view too.
        assert sheet.freeze_panes == ("D2" if sheet.title == "Cash flows" else "A2")
        assert sheet.auto_filter.ref


def test_xlsx_scenarios_match_the_analysis_in_currency_format(workbook, result):
    sheet = workbook["Scenarios"]
    rows = sheet_rows(sheet)
    assert [r["scenario_id"] for r in rows] == list(result.scenarios.index)
    for row in rows:
        expected = result.scenarios.loc[row["scenario_id"], "total"]
        if expected == expected:
            assert row["total"] == pytest.approx(expected)
        else:
            assert row["total"] is None
    assert cell(sheet, "total").number_format == '"$"#,##0.00'
    assert cell(sheet, "fit").number_format == "0.0%"
    assert cell(sheet, "score").number_format == "0.0000"
    # Whole numbers and text keep the General format.
    assert cell(sheet, "seats").number_format == "General"
    # The autofilter covers the header and one row per scenario.
    assert sheet.auto_filter.ref.endswith(str(len(result.scenarios) + 1))


def test_xlsx_cash_flows_add_up_to_each_total(workbook, result):
    sheet = workbook["Cash flows"]
    header = [c.value for c in sheet[1]]
    months = header[3:]
    totals = {}
    for row in sheet_rows(sheet):
        totals[row["scenario_id"]] = totals.get(row["scenario_id"], 0.0) + sum(
            row[month] for month in months
        )
    assert set(totals) == set(result.monthly)
    for sid, total in totals.items():
        assert total == pytest.approx(result.scenarios.loc[sid, "total"])


def test_xlsx_sensitivity_sheet_holds_the_probabilities(workbook, result):
    sensitivity = result.sensitivity
    sheet = workbook["Sensitivity"]
    p_first = {r["scenario_id"]: r["p_first"] for r in sheet_rows(sheet)}
    assert p_first == pytest.approx(sensitivity.monte_carlo.p_first.to_dict())
    # The tornado and weight-flip tables stand beside it, each column in one format.
    header = [c.value for c in sheet[1]]
    assert header.count("criterion") == 2
    assert cell(sheet, "p_first").number_format == "0.0%"
    assert cell(sheet, "p_rank_2").number_format == "0.0%"
    low = cell(sheet, "low_weight")
    assert low.value == pytest.approx(sensitivity.tornado["low_weight"].iloc[0])


def test_xlsx_without_sensitivity_says_why(unsampled):
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(unsampled)))
    sheet = book["Sensitivity"]
    # The absence analyze() states for 0 samples.
    assert [sheet["A1"].value, sheet["A2"].value] == [
        "note",
        "Rank stability was not run (0 samples).",
    ]


def test_xlsx_columns_are_autofitted_up_to_a_cap(workbook, result):
    sheet = workbook["Scenarios"]
    header = [c.value for c in sheet[1]]
    # openpyxl keys a run of equally wide columns by its first letter: expand each run.
    by_position = {
        position: dimension.width
        for dimension in sheet.column_dimensions.values()
        for position in range(dimension.min, dimension.max + 1)
    }
    widths = {name: by_position[position] for position, name in enumerate(header, start=1)}
    # The file stores a width of p pixels as p / 7 characters, padding included: 420 px is 60.
    cap = MAX_COLUMN_PIXELS / 7
    assert max(widths.values()) == pytest.approx(cap, abs=0.01)
    # The problems of an infeasible option run to hundreds of characters: capped.
    assert widths["problems"] == pytest.approx(cap, abs=0.01)
    # A short column (rank: a header and numbers up to two digits) stays narrow; labels are wider.
    assert widths["rank"] < 10 < widths["label"]


def test_xlsx_neutralizes_a_formula_in_catalog_text(hostile_result):
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(hostile_result(HYPERLINK))))
    for sheet, column in (("Scenarios", "product"), ("Sources", "product")):
        cells = [row[column] for row in sheet_rows(book[sheet])]
        assert "'" + HYPERLINK in cells
        assert not any(str(c).startswith("=") for c in cells)
    # Written as text, never as a formula cell.
    sheet = book["Sources"]
    assert {c.data_type for c in sheet["A"][1:]} == {"s"}


def test_money_format_puts_an_unknown_symbol_after_the_amount():
    assert money_format("CHF") == '#,##0.00 "CHF"'
    assert money_format("EUR") == '"€"#,##0.00'
