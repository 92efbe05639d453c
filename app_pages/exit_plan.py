"""Contract and exit plan: key dates on a timeline and the dated checklist for one option."""

from __future__ import annotations

from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analyzer.analysis import AnalysisResult
from analyzer.calendar import exit_plan_calendar
from analyzer.charts import contract_timeline
from app_pages import state


def narrow_timeline(result: AnalysisResult, scenario_id: str) -> go.Figure:
    """The contract timeline fitted to narrow screens: the title on two lines, and the left
    margin as wide as the event names need rather than the report's fixed 220 px."""
    figure = contract_timeline(result, scenario_id)
    return figure.update_layout(
        title_text=figure.layout.title.text.replace(": ", ":<br>", 1),
        margin={"l": 10, "r": 10},
        yaxis={"automargin": True},
    )


def checklist(result: AnalysisResult, scenario_id: str) -> pd.DataFrame:
    """The option's exit plan as the page's table."""
    plan = result.exit_plan(scenario_id)
    return plan[["date", "step", "owner", "detail", "why", "warning"]].rename(
        columns=str.capitalize
    )


def key_dates(result: AnalysisResult, scenario_id: str) -> pd.DataFrame:
    """The option's key dates as the page's table."""
    dates = result.scenario_key_dates(scenario_id)
    return dates[["event", "date"]].rename(columns=str.capitalize)


def ranked_options(result: AnalysisResult) -> dict[str, str]:
    """Every ranked option, best first, with its name in the picker."""
    scenarios = result.scenarios
    recommended = result.recommendation.scenario_id
    names = scenarios.loc[scenarios["rank"].notna(), "label"].to_dict()
    return names | {recommended: f"{names[recommended]} (recommended)"}


result = state.result()
options = state.per_result("ranked_options", ranked_options)
ranked = list(options)

st.title("Contract and exit plan")
scenario_id = st.selectbox(
    "Option",
    ranked,
    index=ranked.index(result.recommendation.scenario_id),
    format_func=options.__getitem__,
    key="exit_plan_option",
)

if state.deadline_banner(result) is None:
    urgency = result.notice_urgency
    st.caption(
        f"Notice deadline {urgency.deadline}: {urgency.days_left} days after the analysis start."
    )
st.caption(
    f"Dates are counted from the analysis start ({result.profile.analysis_start}), set on the "
    "Profile page, not from today."
)

state.chart("timeline", narrow_timeline, scenario_id, key="timeline")

st.subheader("Checklist")
st.dataframe(
    state.per_result("checklist", checklist, scenario_id),
    hide_index=True,
    column_config={
        "Date": st.column_config.DateColumn(format="YYYY-MM-DD"),
        "Detail": st.column_config.TextColumn(width="large"),
        "Why": st.column_config.TextColumn(width="medium"),
        "Warning": st.column_config.CheckboxColumn("Overdue"),
    },
    key="checklist",
)
st.download_button(
    "Add to calendar (iCalendar, .ics)",
    partial(exit_plan_calendar, result, scenario_id),  # built only when clicked
    file_name=f"{state.file_stem(result.profile)}-exit-plan.ics",
    mime="text/calendar",
    icon=":material/event:",
    key="exit_plan_calendar",
    on_click="ignore",
    help="Every step as an all-day event with reminders 14 and 3 days before; importing it "
    "again updates the events.",
)

with st.expander("Key dates of the contract"):
    st.dataframe(
        state.per_result("key_dates", key_dates, scenario_id),
        hide_index=True,
        key="key_dates",
    )
