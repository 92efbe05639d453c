"""The XLSX report: one sheet per table, number formats by column, frozen and filtered headers.

The cash flows are laid out wide (:func:`cash_flow_table`): one row per scenario and component,
one column per month, so a reader sees a component's year at a glance and the sheet holds one
cell per amount instead of six.

Written by XlsxWriter one column at a time: numbers, booleans, dates and text each go through
their own XlsxWriter call, so the time grows with the cells and nothing else (pandas' Excel
writer styles every cell one by one). Every text cell is neutralized against formulas, and
XlsxWriter never reads a string as a formula or a link.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import xlsxwriter
from xlsxwriter.utility import xl_pixel_width

from analyzer.formatting import SYMBOLS
from analyzer.reports.tables import (
    assumption_table,
    column_kind,
    key_date_table,
    rank_stability_table,
    recommended_exit_plan,
    scenario_table,
    spreadsheet_cells,
)

if TYPE_CHECKING:
    from analyzer.analysis import AnalysisResult

RATIO_FORMAT = "0.0000"
PERCENT_FORMAT = "0.0%"
DATE_FORMAT = "yyyy-mm-dd"
MAX_COLUMN_PIXELS = 420
"""Autofit stops here (about 60 characters): a long reason wraps nowhere, so cap its column."""
DATE_PIXELS = 68
"""Width of a date cell, as XlsxWriter's autofit counts it."""
FILTER_BUTTON_PIXELS = 16
"""Room for the autofilter's drop-down button in a filtered header cell."""
CASH_FLOW_SHEET = "Cash flows"
CASH_FLOW_KEYS = ["label", "scenario_id", "component"]
"""The columns that name a row of the wide cash flow sheet; every column after them is a month."""


def money_format(currency: str) -> str:
    """An Excel number format for ``currency``: its symbol in front, else its ISO code after.

    >>> money_format("USD"), money_format("CHF")
    ('"$"#,##0.00', '#,##0.00 "CHF"')
    """
    symbol = SYMBOLS.get(currency)
    return f'"{symbol}"#,##0.00' if symbol else f'#,##0.00 "{currency}"'


def _summary(result: AnalysisResult) -> pd.DataFrame:
    """``item, value`` rows: the situation, the recommendation and the key dates."""
    profile = result.profile
    rec = result.recommendation
    return pd.DataFrame(
        [
            ("Organisation", profile.name),
            ("Currency", profile.currency),
            ("Analysis start", profile.analysis_start),
            ("Horizon (months)", profile.horizon_months),
            ("Recommendation", rec.headline),
            *[("Reason", reason) for reason in rec.reasons],
            *[("Warning", warning) for warning in rec.warnings],
            ("Runner-up", rec.runner_up),
            *_stability_rows(result),
            *([("Not listed", result.unlisted_note)] if result.unlisted_note else []),
            *key_date_table(result).itertuples(index=False, name=None),
        ],
        columns=["item", "value"],
    )


def _stability_rows(result: AnalysisResult) -> list[tuple[str, object]]:
    """How the rank stability was drawn (samples and seed), or why there is none."""
    stability = result.stability
    if result.sensitivity is None:
        return [("Rank stability", stability.absence)]
    return [("Rank stability samples", stability.samples), ("Rank stability seed", stability.seed)]


def _stability(result: AnalysisResult) -> list[pd.DataFrame]:
    """Rank stability, tornado and weight flips side by side; else why there are none."""
    sensitivity = result.sensitivity
    if sensitivity is None:
        return [pd.DataFrame({"note": [result.stability.absence]})]
    return [
        rank_stability_table(result, sensitivity),
        sensitivity.tornado,
        sensitivity.weight_flips,
    ]


def cash_flow_table(result: AnalysisResult) -> pd.DataFrame:
    """The cash flows wide: one row per scenario and component, one column per month.

    Columns :data:`CASH_FLOW_KEYS` (the scenario's label and id, the component), then one per
    month (``YYYY-MM``) holding that component's amount in that month. Rows run as
    ``result.cash_flows`` does: scenario by scenario, each scenario's components in the order of
    its monthly table, a component that costs nothing included. A month a scenario's table
    lacks is left empty (NaN).
    """
    tables = list(result.monthly.values())
    ids = np.repeat(list(result.monthly), [table.shape[1] for table in tables])
    keys = pd.DataFrame(
        {
            "label": result.scenarios["label"].reindex(ids).to_numpy(),
            "scenario_id": ids,
            "component": [component for table in tables for component in table.columns],
        },
        columns=CASH_FLOW_KEYS,
    )
    amounts = [
        pd.DataFrame(table.to_numpy().T, columns=table.index.astype(str)) for table in tables
    ]
    if not amounts:
        return keys
    return pd.concat([keys, pd.concat(amounts, ignore_index=True)], axis=1)


def _cash_flow_kind(column: str, values: pd.Series) -> str | None:
    """Number formats of the wide cash flow sheet: money in every month, none for the keys."""
    return None if column in CASH_FLOW_KEYS else "money"


def sheet_tables(result: AnalysisResult) -> dict[str, list[pd.DataFrame]]:
    """The workbook's sheets, in order, each a list of tables (Sensitivity has three)."""
    return {
        "Summary": [_summary(result)],
        "Scenarios": [scenario_table(result)],
        CASH_FLOW_SHEET: [cash_flow_table(result)],
        "Feature fit": [result.fit_detail],
        "Licenses": [result.licenses],
        "Sensitivity": _stability(result),
        "Exit plan": [recommended_exit_plan(result)],
        "Assumptions": [assumption_table(result)],
        "Sources": [result.sources],
        "Warnings": [result.warnings],
    }


def report_xlsx(result: AnalysisResult) -> bytes:
    """An Excel workbook: one sheet per table, currency formats, frozen headers, filters."""
    buffer = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False, "in_memory": True}
    with xlsxwriter.Workbook(buffer, options) as book:
        formats = {
            "money": book.add_format({"num_format": money_format(result.profile.currency)}),
            "ratio": book.add_format({"num_format": RATIO_FORMAT}),
            "percent": book.add_format({"num_format": PERCENT_FORMAT}),
            "date": book.add_format({"num_format": DATE_FORMAT}),
        }
        for sheet, tables in sheet_tables(result).items():
            worksheet = book.add_worksheet(sheet)
            if sheet == CASH_FLOW_SHEET:
                _write_sheet(
                    worksheet,
                    tables,
                    formats,
                    kind_of=_cash_flow_kind,
                    frozen_columns=len(CASH_FLOW_KEYS),
                )
            else:
                _write_sheet(worksheet, tables, formats)
    return buffer.getvalue()


def _write_sheet(
    worksheet: Any,
    tables: list[pd.DataFrame],
    formats: dict[str, Any],
    kind_of: Callable[[str, pd.Series], str | None] = column_kind,
    frozen_columns: int = 0,
) -> None:
    """``tables`` side by side, one empty column apart, so each column keeps one number format.

    The first table is the one to filter: its header row is frozen, with its first
    ``frozen_columns`` columns, and carries the sheet's one autofilter. ``kind_of(name, values)``
    names each column's number format (a key of ``formats``, or None for none). Each column is
    as wide as its widest cell (:func:`_fitted_width`).
    """
    first_column = 0
    for number, table in enumerate(tables):
        cells = spreadsheet_cells(table)
        headers = [str(c) for c in cells.columns]
        worksheet.write_row(0, first_column, headers)
        for position, (column, name, header) in enumerate(
            zip(cells.columns, table.columns, headers, strict=True), start=first_column
        ):
            kind = kind_of(str(name), table[name])
            _write_column(worksheet, position, cells[column], formats["date"])
            width = _fitted_width(header, cells[column], filtered=number == 0)
            worksheet.set_column_pixels(
                position, position, width, formats[kind] if kind is not None else None
            )
        first_column += len(cells.columns) + 1
    worksheet.freeze_panes(1, frozen_columns)
    first = tables[0]
    worksheet.autofilter(0, 0, len(first), max(len(first.columns) - 1, 0))


def _fitted_width(header: str, values: pd.Series, filtered: bool) -> int:
    """Pixels to show the widest cell of a column, at most :data:`MAX_COLUMN_PIXELS`.

    The cells are measured as XlsxWriter's autofit measures them (text by its characters'
    widths, a number at 7 pixels a character, a date at :data:`DATE_PIXELS`, a boolean at 31
    or 36 pixels; 7 pixels of padding), but each distinct value once.
    """
    widest = xl_pixel_width(header) + (FILTER_BUTTON_PIXELS if filtered else 0)
    for value in pd.unique(values.dropna().to_numpy(dtype=object)):
        widest = max(widest, _cell_pixels(value))
    return min(widest + 7, MAX_COLUMN_PIXELS)


def _cell_pixels(value: Any) -> int:
    """Pixels one written cell needs (see :func:`_fitted_width`)."""
    if isinstance(value, str):
        return max(xl_pixel_width(line) for line in value.split("\n"))
    if isinstance(value, (bool, np.bool_)):
        return 31 if value else 36
    if isinstance(value, dt.date):
        return DATE_PIXELS
    return 7 * len(str(_cell_number(value)))


def _cell_number(value: Any) -> int | float:
    """The Python number written for a numeric value: ints stay ints (``3``, not ``3.0``)."""
    return int(value) if isinstance(value, (int, np.integer)) else float(value)


def _write_column(worksheet: Any, column: int, values: pd.Series, date_format: Any) -> None:
    """One column below its header row; a missing value leaves its cell empty.

    Numeric and boolean columns are written as whole arrays of Python numbers; only text and
    mixed columns look at each value's type.
    """
    if pd.api.types.is_bool_dtype(values.dtype):
        for row, value in enumerate(values.tolist(), start=1):
            worksheet.write_boolean(row, column, value)
    elif pd.api.types.is_numeric_dtype(values.dtype):
        numbers = values.to_numpy(dtype=float, na_value=np.nan)
        present = np.flatnonzero(~np.isnan(numbers))
        written = numbers[present]
        if pd.api.types.is_integer_dtype(values.dtype):
            written = written.astype(np.int64)
        for row, number in zip((present + 1).tolist(), written.tolist(), strict=True):
            worksheet.write_number(row, column, number)
    elif isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        # Text only (Arrow hands it over in one call, a missing value as None).
        write_string = worksheet.write_string
        for row, value in enumerate(pa.array(values.array).to_pylist(), start=1):
            if value:
                write_string(row, column, value)
    else:
        for row, value in enumerate(values.tolist(), start=1):
            _write_value(worksheet, row, column, value, date_format)


def _write_value(worksheet: Any, row: int, column: int, value: Any, date_format: Any) -> None:
    """One cell of a text or mixed column, by the value's type (missing or "": left empty)."""
    if value is None or value is pd.NA or value is pd.NaT or value == "":
        return
    if isinstance(value, str):
        worksheet.write_string(row, column, value)
    elif isinstance(value, (bool, np.bool_)):
        worksheet.write_boolean(row, column, bool(value))
    elif isinstance(value, (int, float, np.integer, np.floating)):
        if not math.isnan(value):
            worksheet.write_number(row, column, _cell_number(value))
    elif isinstance(value, dt.date):
        worksheet.write_datetime(row, column, value, date_format)
    else:
        worksheet.write_string(row, column, str(value))
