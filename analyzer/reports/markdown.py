"""The Markdown report: recommendation, scenarios, key dates, exit plan and prices used.

The layout is ``analyzer/templates/report.md.j2``. Every value the template prints passes
through :func:`markdown_cell`, so catalog and profile text cannot break a table row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from analyzer.reports.tables import MISSING, template_environment, template_tables

if TYPE_CHECKING:
    from analyzer.analysis import AnalysisResult


def markdown_cell(value: Any) -> str:
    """Table-safe text: a pipe or a line break would split the row.

    A backslash is doubled first: one before a pipe would otherwise escape the escape, and the
    pipe would split the row.

    >>> print(markdown_cell("a|b\\nc\\\\"), markdown_cell(None))
    a\\|b c\\\\ –
    """
    text = MISSING if value is None or value is pd.NA or value is pd.NaT else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


# Markdown is not HTML: Jinja's HTML autoescape is off and every printed value goes through
# markdown_cell instead.
_TEMPLATES = template_environment(autoescape=False, finalize=markdown_cell)


def report_markdown(result: AnalysisResult) -> str:
    """A Markdown report: recommendation, scenarios, key dates, exit plan, sources."""
    template = _TEMPLATES.get_template("report.md.j2")
    return template.render(template_tables(result))
