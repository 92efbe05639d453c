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
>>> from analyzer.reports import report_json
>>> catalog = load_catalog()
>>> result = analyze(load_profile(catalog=catalog), catalog)
>>> json.loads(report_json(result))["recommendation"]["scenario_id"] == (
...     result.recommendation.scenario_id)
True
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from analyzer.errors import ScenarioError

if TYPE_CHECKING:
    from analyzer.analysis import AnalysisResult

_FORMAT_MODULES = {
    "json": "json",
    "md": "markdown",
    "html": "html",
    "xlsx": "xlsx",
    "csv": "csv",
    "pdf": "pdf",
}
"""Report format -> the module of ``analyzer.reports`` that writes it (``report_<module>``).

A format's module is imported when that format is first asked for: the JSON report never
loads plotly, XlsxWriter, Jinja, matplotlib or fpdf2, so ``crm-analyzer compare --format json``
starts fast."""
REPORT_FORMATS = tuple(_FORMAT_MODULES)
"""The formats :func:`render_report` writes: json, md, html, xlsx, csv, pdf."""
BINARY_FORMATS = frozenset({"xlsx", "pdf"})
"""Formats :func:`render_report` returns as bytes: written to a file, never to a terminal."""

_LAZY = {
    "report_csv": "csv",
    "report_data": "json",
    "report_html": "html",
    "report_json": "json",
    "report_markdown": "markdown",
    "report_pdf": "pdf",
    "report_xlsx": "xlsx",
    "assumption_table": "tables",
    "key_date_table": "tables",
    "rank_stability_table": "tables",
    "records": "tables",
    "scenario_table": "tables",
}
"""Public names of this package -> the module that defines them, imported on first use."""


def render_report(result: AnalysisResult, report_format: str) -> str | bytes:
    """The report in ``report_format`` (one of :data:`REPORT_FORMATS`); XLSX and PDF are bytes.

    The tables a report makes keep their text as the analysis's do
    (:data:`~analyzer.analysis.TEXT_STORAGE`): a new string index or column is not converted to
    pyarrow, whose first use in a process costs about 10 ms.
    """
    if report_format not in _FORMAT_MODULES:
        raise ScenarioError(f"report format must be one of {', '.join(REPORT_FORMATS)}")
    import pandas as pd

    from analyzer.analysis import TEXT_STORAGE

    module = _FORMAT_MODULES[report_format]
    write = getattr(import_module(f"analyzer.reports.{module}"), f"report_{module}")
    with pd.option_context("mode.string_storage", TEXT_STORAGE):
        return write(result)


def __getattr__(name: str) -> Any:
    """``analyzer.reports.report_xlsx`` and the other public names, imported when first used."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"analyzer.reports.{_LAZY[name]}"), name)


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
