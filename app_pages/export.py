"""Export: the analysis as HTML, XLSX, Markdown, JSON and CSV, each built only when clicked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from analyzer.analysis import AnalysisResult
from analyzer.reports import report_csv, report_html, report_json, report_markdown, report_xlsx
from analyzer.scoring import Sensitivity
from app_pages import state

DEFAULT_SAMPLES = 10_000


@dataclass(frozen=True)
class Export:
    """One downloadable report format."""

    label: str
    extension: str
    mime: str
    build: Callable[[AnalysisResult, Sensitivity], str | bytes]


EXPORTS = (
    Export("HTML report (opens offline)", "html", "text/html", report_html),
    Export(
        "Excel workbook (XLSX)",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        report_xlsx,
    ),
    Export("Markdown", "md", "text/markdown", lambda result, _: report_markdown(result)),
    Export("JSON", "json", "application/json", report_json),
    Export("CSV (scenario table)", "csv", "text/csv", lambda result, _: report_csv(result)),
)


def deferred(export: Export, result: AnalysisResult, sensitivity: Sensitivity | None):
    """A no-argument builder for ``st.download_button``: it runs on click, off the script
    thread, so it calls the analyzer directly rather than through Streamlit."""

    def build() -> str | bytes:
        return export.build(
            result, sensitivity or result.sensitivity(samples=DEFAULT_SAMPLES, seed=0)
        )

    return build


result = state.result()
last = st.session_state.get(state.LAST_SENSITIVITY_RUN)
if last and last[0] == state.profile_yaml():
    _, samples, seed, sensitivity = last
else:
    samples, seed, sensitivity = DEFAULT_SAMPLES, 0, None

st.title("Export")
st.caption(
    f"Reports of the current profile ({state.literal(result.profile.name)}). The HTML, XLSX "
    f"and JSON reports include rank stability from {samples:,} samples (seed {seed}): the last "
    "run on the Sensitivity page, or the default. Each file is built when you click."
)
for export in EXPORTS:
    st.download_button(
        export.label,
        deferred(export, result, sensitivity),
        file_name=f"{state.file_stem(result.profile)}-crm-analysis.{export.extension}",
        mime=export.mime,
        icon=":material/download:",
        key=f"export_{export.extension}",
        on_click="ignore",
    )
