"""Compare: the recommendation, stay / downgrade / switch side by side, costs, fit and ranks."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analyzer.analysis import AnalysisResult
from analyzer.charts import (
    cost_breakdown_chart,
    cumulative_cost_chart,
    fit_heatmap,
    value_for_money_chart,
)
from analyzer.formatting import money, percent, scenario_break_even
from analyzer.plausibility import seat_plausibility
from app_pages import state

KIND_TITLES = {"stay": "Stay", "downgrade": "Downgrade", "switch": "Switch"}
#: st.dataframe's row height in pixels.
ROW_HEIGHT = 35


def breakdown_figure(result: AnalysisResult, shown: tuple[str, ...]) -> go.Figure:
    """The cost breakdown of the options shown (the chart wraps long names itself)."""
    return cost_breakdown_chart(result, list(shown))


def fit_figure(result: AnalysisResult, by: str) -> go.Figure:
    return fit_heatmap(result, by=by)


def break_even_text(result: AnalysisResult, scenario_id: str) -> str:
    """The option's break-even against Stay, in the words every report uses."""
    return scenario_break_even(result.scenarios.loc[scenario_id], list(result.cumulative.index))


class OptionCard(NamedTuple):
    """What a card shows of one option, in words: made once per result and option."""

    excluded: str | None
    """Why the option is excluded (None when it is ranked)."""
    total: str
    difference: str
    fit: str
    facts: str


def kind_options(result: AnalysisResult, kind: str) -> tuple[list[str], int]:
    """The options of ``kind`` (best-ranked first) and how many of them are ranked."""
    scenarios = result.scenarios
    ids = scenarios.index[scenarios["kind"] == kind].tolist()
    return ids, int(scenarios.loc[ids, "rank"].notna().sum())


def option_facts(result: AnalysisResult, scenario_id: str) -> OptionCard:
    """The key numbers of ``scenario_id`` as its card shows them."""
    scenarios = result.scenarios
    row = scenarios.loc[scenario_id]
    if row["status"] != "ok":
        return OptionCard(str(row["problems"]), "", "", "", "")
    currency = result.profile.currency
    facts = {
        "Cash total (invoices as they fall)": money(row["cash_total"], currency),
        "NPV": money(row["npv"], currency),
        "One-time cost": money(row["one_time_total"], currency),
        "Break-even": break_even_text(result, scenario_id),
        "Rank": f"{row['rank']} of {int(scenarios['rank'].notna().sum())}",
    }
    return OptionCard(
        excluded=None,
        total=money(row["total"], currency),
        difference=money(row["total"] - scenarios.loc["stay", "total"], currency),
        fit=percent(row["fit"]),
        facts="\n".join(f"- {name}: **{state.literal(value)}**" for name, value in facts.items())
        + f" (score {row['score']:.3f})",
    )


def option_card(result: AnalysisResult, kind: str) -> str | None:
    """One column: pick an option of ``kind`` (best-ranked first) and show its key numbers."""
    ids, ranked = state.per_result("kind_options", kind_options, kind)
    st.subheader(KIND_TITLES[kind])
    if not ids:
        st.info(f"No {kind} option in the catalog for this profile.")
        return None
    if ranked == 0:
        # Picking one excluded option to show would single it out for no reason.
        st.info(
            f"No {kind} option can be ranked: all {len(ids)} are excluded. Each one's reason is "
            "listed under the options excluded below the ranking."
        )
        return None
    scenario_id = st.selectbox(
        f"{KIND_TITLES[kind]} option",
        ids,
        format_func=state.per_result("option_names", option_names).__getitem__,
        key=f"compare_{kind}",
        disabled=len(ids) == 1,
        help=f"{ranked} ranked, {len(ids) - ranked} excluded; best-ranked first",
        label_visibility="collapsed",
    )
    card = state.per_result("option_facts", option_facts, scenario_id)
    if card.excluded is not None:
        st.error(f"Excluded: {state.literal(card.excluded)}")
        return None
    st.metric(
        f"Total over {result.profile.horizon_months} months",
        card.total,
        delta=None if kind == "stay" else card.difference,
        delta_color="inverse",
        delta_description=None if kind == "stay" else "against staying",
        border=True,
    )
    st.metric("Feature fit", card.fit, border=True)
    st.markdown(card.facts)
    return scenario_id


def option_names(result: AnalysisResult) -> dict[str, str]:
    """Every option's name in a picker: its rank and label, or its label marked excluded."""
    scenarios = result.scenarios
    return {
        sid: f"{label} (excluded)" if pd.isna(rank) else f"#{rank} {label}"
        for sid, label, rank in zip(
            scenarios.index, scenarios["label"], scenarios["rank"], strict=True
        )
    }


def ranking_table(result: AnalysisResult) -> pd.DataFrame:
    """Every ranked option with money in the profile's currency, best first."""
    currency = result.profile.currency
    ranked = result.scenarios[result.scenarios["rank"].notna()]
    recommended = result.recommendation.scenario_id
    return pd.DataFrame(
        {
            "Rank": ranked["rank"].astype(int),
            "Option": [
                f"{label}  ★ recommended" if sid == recommended else label
                for sid, label in ranked["label"].items()
            ],
            f"Total ({result.profile.horizon_months} months)": ranked["total"].map(
                lambda v: money(v, currency)
            ),
            "Cash total": ranked["cash_total"].map(lambda v: money(v, currency)),
            "NPV": ranked["npv"].map(lambda v: money(v, currency)),
            "One-time cost": ranked["one_time_total"].map(lambda v: money(v, currency)),
            "Break-even": [break_even_text(result, sid) for sid in ranked.index],
            "Fit": ranked["fit"].map(percent),
            "Score": ranked["score"].round(3),
        }
    ).reset_index(drop=True)


def excluded_table(result: AnalysisResult) -> pd.DataFrame:
    """Every option that cannot be ranked, with why."""
    excluded = result.scenarios[result.scenarios["rank"].isna()]
    return pd.DataFrame({"Option": excluded["label"], "Why": excluded["problems"]})


def deadline_messages(result: AnalysisResult) -> set[str]:
    """The warnings the deadline banner already says, so they are not repeated below it."""
    warnings = result.warnings
    return {
        message
        for kind, message in zip(warnings["kind"], warnings["message"], strict=True)
        if kind in ("deadline_passed", "deadline_near")
    }


result = state.result()
profile = result.profile
recommendation = result.recommendation

st.title("Stay, downgrade or switch?")
st.caption(
    f"{state.literal(state.display_name(profile))} · {profile.horizon_months} months from "
    f"{profile.analysis_start} · "
    f"amounts in {profile.currency}, NPV at {profile.discount_rate:.0%} a year · "
    "edit the inputs on the Profile page"
)

with st.container(border=True):
    st.markdown(f"### Recommended: {state.literal(recommendation.headline)}")
    st.markdown("\n".join(f"- {state.literal(reason)}" for reason in recommendation.reasons))
state.deadline_banner(result)
if close_call := state.close_call_note(result):
    st.info(state.literal(close_call), icon=":material/balance:")
already_said = deadline_messages(result)
for warning in recommendation.warnings:
    if warning not in already_said:
        st.warning(state.literal(warning), icon=":material/schedule:")
for warning in seat_plausibility(profile):
    st.warning(state.literal(warning.message), icon=":material/rule:")

columns = st.columns(3, gap="medium")
shown = []
for column, kind in zip(columns, KIND_TITLES, strict=True):
    with column:
        chosen = option_card(result, kind)
        if chosen is not None:
            shown.append(chosen)

state.chart("cumulative", cumulative_cost_chart, tuple(shown), key="cumulative")
state.chart("breakdown", breakdown_figure, tuple(shown), key="breakdown")
state.chart("value", value_for_money_chart, key="value")
st.caption(
    "Value for money: each ranked option's decision total against its feature fit. Options on "
    "the frontier are the ones no other option beats on both; faded ones are dominated (another "
    "option costs less and fits at least as well)."
)

st.subheader("All ranked options")
table = state.per_result("ranking", ranking_table)
st.dataframe(
    table,
    hide_index=True,
    # Tall enough for every row: a ranking read through a scrollbar hides its tail.
    height=ROW_HEIGHT * (len(table) + 1) + 3,
    column_config={
        "Rank": st.column_config.NumberColumn(width="small"),
        "Fit": st.column_config.TextColumn(width="small"),
        "Score": st.column_config.NumberColumn(width="small", format="%.3f"),
    },
    key="ranking",
)
st.caption(
    "Totals are the decision view: service paid for inside the horizon but delivered after it is "
    "credited back, so where the horizon cuts a yearly invoice does not decide the ranking. The "
    "cash total beside it is the invoices as they fall."
)

st.subheader("Feature fit")
by = st.segmented_control("Fit by", ["role", "feature"], default="role", key="fit_by") or "role"
state.chart("fit", fit_figure, by, key="fit")

excluded = state.per_result("excluded", excluded_table)
with st.expander(f"{len(excluded)} options excluded: a must-have is missing or a quote is needed"):
    st.dataframe(excluded, hide_index=True, key="excluded")
