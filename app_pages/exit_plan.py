"""Contract and exit plan: key dates on a timeline and the dated checklist for one option."""

from __future__ import annotations

import streamlit as st

from analyzer.charts import contract_timeline
from app_pages import state

result = state.result()
scenarios = result.scenarios
ranked = scenarios.index[scenarios["rank"].notna()].tolist()
recommended = result.recommendation.scenario_id

st.title("Contract and exit plan")
scenario_id = st.selectbox(
    "Option",
    ranked,
    index=ranked.index(recommended),
    format_func=lambda sid: (
        f"{scenarios.loc[sid, 'label']}{' (recommended)' if sid == recommended else ''}"
    ),
    key="exit_plan_option",
)

urgency = result.notice_urgency
if urgency.level == "passed":
    st.error(
        f"The notice deadline {urgency.deadline} passed {-urgency.days_left} days before the "
        "analysis start: the contract renews, and any change waits for the next term."
    )
elif urgency.level == "near":
    st.warning(
        f"The notice deadline {urgency.deadline} is {urgency.days_left} days after the analysis "
        "start: send written notice now."
    )
else:
    st.caption(
        f"Notice deadline {urgency.deadline}: {urgency.days_left} days after the analysis start."
    )

st.plotly_chart(contract_timeline(result, scenario_id), key="timeline", theme=None)

st.subheader("Checklist")
plan = result.exit_plan(scenario_id)
st.dataframe(
    plan.rename(columns=str.capitalize),
    hide_index=True,
    column_config={
        "Date": st.column_config.DateColumn(format="YYYY-MM-DD"),
        "Detail": st.column_config.TextColumn(width="large"),
        "Warning": st.column_config.CheckboxColumn("Date passed"),
    },
    key="checklist",
)

with st.expander("Key dates of the contract"):
    st.dataframe(
        result.scenario_key_dates(scenario_id)[["event", "date"]].rename(columns=str.capitalize),
        hide_index=True,
        key="key_dates",
    )
