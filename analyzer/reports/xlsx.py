"""The XLSX report: one sheet per table, number formats by column, frozen and filtered headers.

Written by XlsxWriter through pandas. Every text cell is neutralized against formulas, and
XlsxWriter never reads a string as a formula or a link.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

import pandas as pd

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
MAX_COLUMN_PIXELS = 420
"""Autofit stops here (about 60 characters): a long reason wraps nowhere, so cap its column."""


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
            *key_date_table(result).itertuples(index=False, name=None),
        ],
        columns=["item", "value"],
    )


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


def sheet_tables(result: AnalysisResult) -> dict[str, list[pd.DataFrame]]:
    """The workbook's sheets, in order, each a list of tables (Sensitivity has three)."""
    labels = result.cash_flows["scenario_id"].map(result.scenarios["label"])
    return {
        "Summary": [_summary(result)],
        "Scenarios": [scenario_table(result)],
        "Cash flows": [result.cash_flows.assign(label=labels)],
        "Feature fit": [result.fit_detail],
        "Licenses": [result.licenses],
        "Sensitivity": _stability(result),
        "Exit plan": [recommended_exit_plan(result)],
        "Assumptions": [assumption_table(result)],
        "Sources": [result.sources],
    }


def report_xlsx(result: AnalysisResult) -> bytes:
    """An Excel workbook: one sheet per table, currency formats, frozen headers, filters."""
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
            _write_sheet(writer, sheet, tables, formats)
    return buffer.getvalue()


def _write_sheet(
    writer: pd.ExcelWriter, sheet: str, tables: list[pd.DataFrame], formats: dict[str, Any]
) -> None:
    """``tables`` side by side, one empty column apart, so each column keeps one number format.

    The first table is the one to filter: its header row is frozen and carries the sheet's one
    autofilter. Widths come from XlsxWriter's autofit once every table is written.
    """
    first_column = 0
    for table in tables:
        cells = spreadsheet_cells(table)
        cells.to_excel(writer, sheet_name=sheet, index=False, startcol=first_column)
        worksheet = writer.sheets[sheet]
        for position, column in enumerate(table.columns, start=first_column):
            kind = column_kind(str(column), table[column])
            if kind is not None:
                worksheet.set_column(position, position, None, formats[kind])
        first_column += len(cells.columns) + 1
    worksheet.freeze_panes(1, 0)
    first = tables[0]
    worksheet.autofilter(0, 0, len(first), max(len(first.columns) - 1, 0))
    worksheet.autofit(max_width=MAX_COLUMN_PIXELS)
