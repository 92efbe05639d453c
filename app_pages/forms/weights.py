"""Criteria weights: set directly as points, or by pairwise comparison (AHP)."""

from __future__ import annotations

import streamlit as st

from analyzer.errors import AnalyzerError
from analyzer.profile import Profile
from analyzer.profile_edits import AHP_RATIOS, ratio_text, starting_judgement, with_changes
from analyzer.scoring import CRITERION_NAMES
from analyzer.weights import ahp_matrix_from_judgements, ahp_weights, direct_weights
from app_pages import state

METHODS = {"weighted_sum": "Weighted sum", "topsis": "TOPSIS"}


def direct_weights_form(profile: Profile) -> None:
    weights = profile.criteria_weights
    with st.form(state.key("weights")):
        st.caption("Points per criterion; they are normalized to sum to 100%.")
        points = {
            criterion: st.slider(
                CRITERION_NAMES.get(criterion, criterion),
                0,
                100,
                round(weights.get(criterion, 0) * 100),
                key=state.key(f"weight_{criterion}"),
            )
            for criterion in CRITERION_NAMES
        }
        method = st.radio(
            "Aggregation",
            list(METHODS),
            index=list(METHODS).index(profile.scoring_method),
            format_func=METHODS.__getitem__,
            horizontal=True,
        )
        if st.form_submit_button("Apply weights"):
            try:
                normalized = direct_weights(points).to_dict()
            except (AnalyzerError, ValueError) as exc:
                state.show_problems([f"criteria_weights: {exc}"], "Not applied.")
                return
            state.apply_profile(
                with_changes(
                    profile, {("criteria_weights",): normalized, ("scoring_method",): method}
                ),
                "Weights",
            )


def ahp_panel(profile: Profile) -> None:
    """Pairwise judgements, live weights and Saaty's consistency ratio."""
    criteria = list(CRITERION_NAMES)
    judgements = {}
    for i, a in enumerate(criteria):
        for b in criteria[i + 1 :]:
            judgements[(a, b)] = st.select_slider(
                f"{CRITERION_NAMES[a]} against {CRITERION_NAMES[b]}",
                AHP_RATIOS,
                value=starting_judgement(profile.criteria_weights, a, b),
                format_func=lambda r, a=a, b=b: ratio_text(a, b, r, CRITERION_NAMES),
                key=state.key(f"ahp_{a}_{b}"),
            )
    result = ahp_weights(ahp_matrix_from_judgements(criteria, judgements))
    columns = st.columns(len(criteria) + 1)
    for column, (criterion, weight) in zip(columns, result.weights.items(), strict=False):
        column.metric(CRITERION_NAMES[criterion], f"{weight:.0%}")
    columns[-1].metric("Consistency ratio", f"{result.consistency_ratio:.3f}")
    if result.warning:
        st.warning(result.warning)
    if st.button("Use these weights", key=state.key("ahp_apply")):
        state.apply_profile(
            with_changes(profile, {("criteria_weights",): result.weights.to_dict()}),
            "AHP weights",
            refresh_forms=True,
        )


def weights_tab(profile: Profile) -> None:
    how = st.radio(
        "Set the weights",
        ["direct", "ahp"],
        format_func={"direct": "Directly", "ahp": "By pairwise comparison (AHP)"}.__getitem__,
        horizontal=True,
        key="weights_method",
    )
    if how == "direct":
        direct_weights_form(profile)
    else:
        ahp_panel(profile)
