"""Reports of an analysis: JSON, Markdown, HTML, XLSX, CSV and PDF documents (DESIGN section 7).

One module per format over one shared table layer (:mod:`analyzer.reports.tables`). Reports
only read the :class:`~analyzer.analysis.AnalysisResult` and the figures of
:mod:`analyzer.charts`; they compute no numbers of their own. Text that comes from a catalog or
a profile is escaped in HTML (Jinja2 autoescape, never marked safe) and Markdown, and
neutralized against spreadsheet formulas in CSV and XLSX.

Examples
--------
>>> import json
>>> from analyzer.analysis import analyze
>>> from analyzer.catalog import load_catalog
>>> from analyzer.profile import load_profile
>>> catalog = load_catalog()
>>> result = analyze(load_profile(catalog=catalog), catalog)
>>> json.loads(report_json(result))["recommendation"]["scenario_id"] == (
...     result.recommendation.scenario_id)
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from analyzer.errors import ScenarioError
from analyzer.reports.csv import report_csv
from analyzer.reports.html import report_html
from analyzer.reports.json import report_data, report_json
from analyzer.reports.markdown import report_markdown
from analyzer.reports.tables import (
    assumption_table,
    key_date_table,
    rank_stability_table,
    records,
    scenario_table,
)
from analyzer.reports.xlsx import report_xlsx

if TYPE_CHECKING:
    from analyzer.analysis import AnalysisResult


def report_pdf(result: AnalysisResult) -> bytes:
    """The negotiation pack (:func:`analyzer.reports.pdf.pdf_report`) as PDF bytes."""
    # Imported when first asked for: matplotlib and fpdf2 take a while to load, and the app and
    # the other formats do not need them.
    from analyzer.reports.pdf import pdf_report

    return pdf_report(result)


_RENDERERS: dict[str, Callable[[AnalysisResult], str | bytes]] = {
    "json": report_json,
    "md": report_markdown,
    "html": report_html,
    "xlsx": report_xlsx,
    "csv": report_csv,
    "pdf": report_pdf,
}
REPORT_FORMATS = tuple(_RENDERERS)
"""The formats :func:`render_report` writes: json, md, html, xlsx, csv, pdf."""
BINARY_FORMATS = frozenset({"xlsx", "pdf"})
"""Formats :func:`render_report` returns as bytes: written to a file, never to a terminal."""


def render_report(result: AnalysisResult, report_format: str) -> str | bytes:
    """The report in ``report_format`` (one of :data:`REPORT_FORMATS`); XLSX and PDF are bytes."""
    if report_format not in _RENDERERS:
        raise ScenarioError(f"report format must be one of {', '.join(REPORT_FORMATS)}")
    return _RENDERERS[report_format](result)


__all__ = [
    "BINARY_FORMATS",
    "REPORT_FORMATS",
    "assumption_table",
    "key_date_table",
    "rank_stability_table",
    "records",
    "render_report",
    "report_csv",
    "report_data",
    "report_html",
    "report_json",
    "report_markdown",
    "report_pdf",
    "report_xlsx",
    "scenario_table",
]
