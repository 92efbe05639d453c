"""The CSV report: the scenario table, rounded like the JSON report and safe to open."""

from __future__ import annotations

from typing import TYPE_CHECKING

from analyzer.reports.tables import rounded, scenario_table
from analyzer.safety import csv_text

if TYPE_CHECKING:
    from analyzer.analysis import AnalysisResult


def report_csv(result: AnalysisResult) -> str:
    """The scenario table as CSV, every text cell neutralized against formulas and quoted
    where it holds a separator (``,`` or ``;``), a quote or a line break."""
    return csv_text(rounded(scenario_table(result)))
