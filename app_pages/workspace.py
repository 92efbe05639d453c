"""Workspace: save the current analysis, list the saved ones, open one, compare two.

The workspace is the CLI's (``$CRM_ANALYZER_WORKSPACE``, else a SQLite file in the user's data
folder); every read and write goes through :mod:`analyzer.workspace`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
import yaml

from analyzer.formatting import money
from analyzer.workspace import (
    AnalysisDiff,
    SavedAnalysis,
    current_user,
    diff_analyses,
    new_analysis,
    open_workspace,
)
from analyzer.workspace.cli import listing_frame
from app_pages import state


def label(analysis: SavedAnalysis) -> str:
    note = f" – {analysis.note}" if analysis.note else ""
    return f"#{analysis.id} {analysis.profile_name}, {analysis.saved_at:%Y-%m-%d %H:%M}{note}"


def summary_column(analysis: SavedAnalysis) -> None:
    """One saved analysis's headline figures, for one side of the comparison."""
    summary = analysis.summary
    st.markdown(f"**{state.literal(label(analysis))}**")
    st.metric("Saving of the recommended option", money(summary["saving"], summary["currency"]))
    st.markdown(f"Recommended: {state.literal(summary['winner_label'])}")
    st.caption(
        f"Notice deadline {summary['notice_deadline']} · close call: "
        f"{'yes' if summary['close_call'] else 'no'} · catalog prices up to "
        f"{state.literal(analysis.catalog.version)} · saved by {state.literal(analysis.saved_by)}"
    )


def comparison_tables(diff: AnalysisDiff) -> None:
    """The totals, the inputs and the prices that changed, as tables (shown as plain text)."""
    totals = pd.DataFrame(
        [
            {
                "Option": t.label,
                "Before": money(t.old, diff.currency),
                "After": money(t.new, diff.currency),
                "Change": money(t.delta, diff.currency),
            }
            for t in diff.totals
        ]
    )
    st.dataframe(totals, hide_index=True)
    if diff.inputs:
        st.markdown("**Inputs changed**")
        inputs = pd.DataFrame(
            [{"Field": c.field, "Before": str(c.old), "After": str(c.new)} for c in diff.inputs]
        )
        st.dataframe(inputs, hide_index=True)
    if diff.prices:
        st.markdown("**Prices used that changed**")
        prices = pd.DataFrame(
            [
                {
                    "Price": f"{p.product} {p.tier}, {p.item}",
                    "Before": money(p.old, p.currency, 2),
                    "After": money(p.new, p.currency, 2),
                }
                for p in diff.prices
            ]
        )
        st.dataframe(prices, hide_index=True)


result = state.result()
st.title("Workspace")
with open_workspace() as workspace:
    st.caption(
        f"Saved analyses keep the profile, the catalog they ran on, the result and the full "
        f"JSON report. Workspace: {state.literal(workspace.location)}"
    )
    with st.form("workspace_save"):
        note = st.text_input("Note", max_chars=200, placeholder="e.g. 20 fewer service seats")
        by = st.text_input("Saved by", value=current_user(), max_chars=200)
        if st.form_submit_button("Save the current analysis", icon=":material/save:"):
            saved = workspace.save(new_analysis(result, state.catalog(), by=by, note=note))
            st.success(f"Saved as #{saved.id}")
    analyses = workspace.list()
    if not analyses:
        st.info("No saved analyses yet.")
        st.stop()
    st.dataframe(listing_frame(analyses), hide_index=True)
    by_id = {a.id: a for a in analyses}
    ids = list(by_id)

    st.subheader("Open")
    chosen = st.selectbox(
        "Saved analysis", ids, index=len(ids) - 1, format_func=lambda i: label(by_id[i])
    )
    if st.button("Open it as the current profile", icon=":material/folder_open:"):
        opened = workspace.get(chosen)
        state.apply_profile(
            yaml.safe_load(opened.profile_yaml), f"Saved analysis #{chosen}", refresh_forms=True
        )

    if len(ids) >= 2:
        st.subheader("Compare")
        left, right = st.columns(2)
        old_id = left.selectbox(
            "Before", ids, index=len(ids) - 2, format_func=lambda i: label(by_id[i])
        )
        new_id = right.selectbox(
            "After", ids, index=len(ids) - 1, format_func=lambda i: label(by_id[i])
        )
        old, new = workspace.get(old_id), workspace.get(new_id)
        with left:
            summary_column(old)
        with right:
            summary_column(new)
        diff = diff_analyses(old, new, f"#{old.id}", f"#{new.id}")
        st.markdown("\n".join(f"- {state.literal(reason)}" for reason in diff.reasons))
        comparison_tables(diff)
