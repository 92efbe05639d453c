"""The column-wise XLSX writer gives the workbook pandas' Excel writer gave, cell for cell.

The reference below is the former writer (pandas ``to_excel`` cell by cell, then XlsxWriter's
own autofit): both workbooks are reopened with openpyxl and compared on every cell's value,
type and number format, every column width, the frozen panes and the filters. The wide Cash
flows sheet is written by the reference the same way, with the currency format on its month
columns and its three key columns frozen (its cells are checked against the long cash flows
in ``test_xlsx_cash_flows.py``).
"""

import io

import openpyxl
import pandas as pd
import pytest

from analyzer.reports import report_xlsx
from analyzer.reports.tables import column_kind, spreadsheet_cells
from analyzer.reports.xlsx import (
    MAX_COLUMN_PIXELS,
    PERCENT_FORMAT,
    RATIO_FORMAT,
    money_format,
    sheet_tables,
)

CASH_FLOW_KEYS = ("label", "scenario_id", "component")


def reference_kind(sheet: str, column: str, values: pd.Series) -> str | None:
    """The number format of a column: money in every month of the cash flows, else by name."""
    if sheet == "Cash flows":
        return None if column in CASH_FLOW_KEYS else "money"
    return column_kind(column, values)


def reference_xlsx(result) -> bytes:
    """The workbook as pandas' Excel writer and XlsxWriter's autofit write it."""
    buffer = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(
        buffer,
        engine="xlsxwriter",
        date_format="yyyy-mm-dd",
        datetime_format="yyyy-mm-dd",
        engine_kwargs={"options": options},
    ) as writer:
        book = writer.book
        formats = {
            "money": book.add_format({"num_format": money_format(result.profile.currency)}),
            "ratio": book.add_format({"num_format": RATIO_FORMAT}),
            "percent": book.add_format({"num_format": PERCENT_FORMAT}),
        }
        for sheet, tables in sheet_tables(result).items():
            first_column = 0
            for table in tables:
                cells = spreadsheet_cells(table)
                cells.to_excel(writer, sheet_name=sheet, index=False, startcol=first_column)
                worksheet = writer.sheets[sheet]
                for position, column in enumerate(table.columns, start=first_column):
                    kind = reference_kind(sheet, str(column), table[column])
                    if kind is not None:
                        worksheet.set_column(position, position, None, formats[kind])
                first_column += len(cells.columns) + 1
            worksheet.freeze_panes(1, len(CASH_FLOW_KEYS) if sheet == "Cash flows" else 0)
            first = tables[0]
            worksheet.autofilter(0, 0, len(first), max(len(first.columns) - 1, 0))
            worksheet.autofit(max_width=MAX_COLUMN_PIXELS)
    return buffer.getvalue()


def widths(sheet) -> dict[int, float]:
    return {
        position: dimension.width
        for dimension in sheet.column_dimensions.values()
        for position in range(dimension.min, dimension.max + 1)
    }


def differences(expected: bytes, actual: bytes) -> list[str]:
    old = openpyxl.load_workbook(io.BytesIO(expected))
    new = openpyxl.load_workbook(io.BytesIO(actual))
    found = [] if old.sheetnames == new.sheetnames else ["sheet names"]
    for name in old.sheetnames:
        x, y = old[name], new[name]
        if (x.freeze_panes, x.auto_filter.ref, x.dimensions) != (
            y.freeze_panes,
            y.auto_filter.ref,
            y.dimensions,
        ):
            found.append(f"{name}: panes, filter or size")
        for row_x, row_y in zip(x.iter_rows(), y.iter_rows(), strict=True):
            for a, b in zip(row_x, row_y, strict=True):
                if (a.value, type(a.value), a.number_format) != (
                    b.value,
                    type(b.value),
                    b.number_format,
                ):
                    found.append(f"{name}!{a.coordinate}: {a.value!r} vs {b.value!r}")
        if widths(x) != widths(y):
            found.append(f"{name}: column widths")
    return found


@pytest.mark.parametrize("fixture", ["result", "unsampled"])
def test_the_workbook_equals_the_one_pandas_wrote(fixture, request):
    result = request.getfixturevalue(fixture)
    assert differences(reference_xlsx(result), report_xlsx(result)) == []


def test_a_hostile_workbook_equals_the_one_pandas_wrote(hostile_result):
    result = hostile_result('=HYPERLINK("http://example.com","x")')
    assert differences(reference_xlsx(result), report_xlsx(result)) == []
