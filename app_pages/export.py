"""Export: the negotiation pack (PDF), the analysis as HTML, XLSX, Markdown, JSON and CSV,
each built only when clicked, and the recommended exit plan as a calendar."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import streamlit as st

from analyzer.analysis import AnalysisResult
from analyzer.calendar import exit_plan_calendar
from analyzer.reports import (
    report_csv,
    report_html,
    report_json,
    report_markdown,
    report_pdf,
    report_xlsx,
)
from app_pages import state


@dataclass(frozen=True)
class Export:
    """One downloadable report format."""

    label: str
    extension: str
    mime: str
    build: Callable[[AnalysisResult], str | bytes]


EXPORTS = (
    Export("Negotiation pack (PDF)", "pdf", "application/pdf", report_pdf),
    Export("HTML report (opens offline)", "html", "text/html", report_html),
    Export(
        "Excel workbook (XLSX)",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        report_xlsx,
    ),
    Export("Markdown", "md", "text/markdown", report_markdown),
    Export("JSON", "json", "application/json", report_json),
    Export("CSV (scenario table)", "csv", "text/csv", report_csv),
)


def deferred(export: Export, result: AnalysisResult):
    """A no-argument builder for ``st.download_button``: it runs on click, off the script
    thread, so it calls the analyzer directly rather than through Streamlit."""

    def build() -> str | bytes:
        return export.build(result)

    return build


result = state.result()
stability = result.stability

st.title("Export")
state.deadline_banner(result)
name = state.literal(state.display_name(result.profile))
st.caption(
    f"Reports of the current profile ({name}). Every report "
    f"carries the analysis's rank stability ({stability.samples:,} samples, seed "
    f"{stability.seed}) or says why there is none. Each file is built when you click."
)
for export in EXPORTS:
    st.download_button(
        export.label,
        deferred(export, result),
        file_name=f"{state.file_stem(result.profile)}-crm-analysis.{export.extension}",
        mime=export.mime,
        icon=":material/download:",
        key=f"export_{export.extension}",
        on_click="ignore",
    )
st.download_button(
    "Calendar of the recommended exit plan (iCalendar, .ics)",
    partial(exit_plan_calendar, result),  # built only when clicked, like the reports
    file_name=f"{state.file_stem(result.profile)}-exit-plan.ics",
    mime="text/calendar",
    icon=":material/event:",
    key="export_ics",
    on_click="ignore",
)
