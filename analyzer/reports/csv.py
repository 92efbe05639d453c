"""The CSV report: the scenario table, rounded like the JSON report and safe to open."""

from __future__ import annotations

from typing import TYPE_CHECKING

from analyzer.reports.tables import rounded, scenario_table, spreadsheet_cells

if TYPE_CHECKING:
    from analyzer.analysis import AnalysisResult


def report_csv(result: AnalysisResult) -> str:
    """The scenario table as CSV, every text cell neutralized against formulas."""
    return spreadsheet_cells(rounded(scenario_table(result))).to_csv(
        index=False, lineterminator="\n"
    )
