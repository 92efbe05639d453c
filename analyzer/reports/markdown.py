"""The Markdown report: recommendation, scenarios, key dates, exit plan and prices used.

The layout is ``analyzer/templates/report.md.j2``. Every value the template prints passes
through :func:`markdown_cell`, so catalog and profile text cannot break a table row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from analyzer.reports.pack import break_even_texts, source_rows
from analyzer.reports.tables import MISSING, template_environment, template_tables
from analyzer.safety import markdown_escape

if TYPE_CHECKING:
    from analyzer.analysis import AnalysisResult


def markdown_cell(value: Any) -> str:
    """Inert, table-safe text: no tag, link, image, emphasis or row break in it works.

    >>> print(markdown_cell("a|b"), markdown_cell(None))
    a\\|b –
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return MISSING
    return markdown_escape(value)


# Markdown is not HTML: Jinja's HTML autoescape is off and every printed value goes through
# markdown_cell instead.
_TEMPLATES = template_environment(autoescape=False, finalize=markdown_cell)


def report_markdown(result: AnalysisResult) -> str:
    """A Markdown report: recommendation, warnings, scenarios with both totals and break-even,
    rank stability, key dates, exit plan, and the prices used with source, age and confidence."""
    template = _TEMPLATES.get_template("report.md.j2")
    return template.render(
        template_tables(result),
        break_even=break_even_texts(result),
        priced_sources=source_rows(result),
    )
