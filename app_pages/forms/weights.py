"""Criteria weights: set directly as points, or by pairwise comparison (AHP)."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from analyzer.errors import AnalyzerError
from analyzer.profile import Profile
from analyzer.profile_edits import AHP_RATIOS, ratio_text, starting_judgement, with_changes
from analyzer.scoring import CRITERION_NAMES
from analyzer.weights import ahp_matrix_from_judgements, ahp_weights, direct_weights
from app_pages import state

METHODS = {"weighted_sum": "Weighted sum", "topsis": "TOPSIS"}


def direct_weights_form(profile: Profile) -> None:
    """Points per criterion and the aggregation method, each applied as it is changed."""
    weights = profile.criteria_weights

    def candidate() -> dict:
        points = {criterion: state.value(f"weight_{criterion}") for criterion in CRITERION_NAMES}
        if not any(points.values()):
            raise AnalyzerError("Criteria weights: give at least one criterion some points")
        return with_changes(
            state.profile(),
            {
                ("criteria_weights",): direct_weights(points).to_dict(),
                ("scoring_method",): state.value("scoring_method"),
            },
        )

    st.caption("Points per criterion; they are normalized to sum to 100%.")
    for criterion in CRITERION_NAMES:
        state.field(
            "slider",
            CRITERION_NAMES.get(criterion, criterion),
            f"weight_{criterion}",
            "weights",
            candidate,
            0,
            100,
            round(weights.get(criterion, 0) * 100),
        )
    state.field(
        "radio",
        "Aggregation",
        "scoring_method",
        "weights",
        candidate,
        list(METHODS),
        index=list(METHODS).index(profile.scoring_method),
        format_func=METHODS.__getitem__,
        horizontal=True,
        help="Weighted sum: each option's score is its criteria scores times the weights. "
        "TOPSIS: how close an option is to the ideal option and how far from the worst.",
    )


def weights_text(weights: Mapping[str, float]) -> str:
    """Weights as "Cost 50%, Feature fit 35%, Switching effort 15%"."""
    return ", ".join(
        f"{CRITERION_NAMES.get(criterion, criterion)} {weight:.0%}"
        for criterion, weight in weights.items()
    )


def ahp_panel(profile: Profile) -> None:
    """Pairwise judgements, live weights and Saaty's consistency ratio."""
    criteria = list(CRITERION_NAMES)
    st.caption(
        "Compare the criteria two at a time; the weights follow from the judgements (Saaty's "
        "analytic hierarchy process). The judgements start from your current weights rounded to "
        "Saaty's 1-9 scale, so the weights shown can differ from yours before you change anything."
    )
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
    columns[-1].metric(
        "Consistency ratio",
        f"{result.consistency_ratio:.3f}",
        help="How far the judgements contradict each other (A over B and B over C, but C over "
        "A): 0 is perfectly consistent; above 0.10 the judgements should be revisited.",
    )
    st.caption(
        "Consistency ratio: 0 when the judgements agree with each other; above 0.10 they "
        "contradict each other enough to revisit them."
    )
    if result.warning:
        st.warning(result.warning)
    current = {c: profile.criteria_weights.get(c, 0.0) for c in criteria}
    proposed = result.weights.to_dict()
    st.caption(
        f"Using these replaces the weights {weights_text(current)} with {weights_text(proposed)}."
    )
    if st.button("Use these weights", key=state.key("ahp_apply")):
        state.apply_profile(
            with_changes(profile, {("criteria_weights",): proposed}),
            f"AHP weights ({weights_text(current)} became {weights_text(proposed)})",
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
