"""Tests for analyzer.scoring: the criteria registry, absolute value functions, close calls."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer import scoring
from analyzer.errors import AnalyzerError, ScenarioError, ScoringError
from analyzer.scoring import (
    CLOSE_CALL_MIN_P_FIRST,
    CLOSE_CALL_SCORE_GAP,
    CRITERIA,
    CRITERION_NAMES,
    ScoreAnchors,
    close_call,
    cost_value,
    effort_value,
    fit_value,
    score_scenarios,
    value_table,
)

ANCHORS = ScoreAnchors(stay_npv=200_000.0, annual_spend=120_000.0)
WEIGHTS = {"cost": 5.0, "fit": 3.0, "effort": 2.0}  # normalized: 0.5, 0.3, 0.2

SCENARIOS = pd.DataFrame(
    {
        "status": ["ok", "ok", "ok", "infeasible"],
        "label": ["Stay", "Downgrade", "Switch to Zoho", "Switch to HubSpot"],
        "npv": [200_000.0, 150_000.0, 120_000.0, np.nan],
        "recurring_npv": [200_000.0, 150_000.0, 90_000.0, np.nan],
        "fit": [0.9, 0.8, 0.85, np.nan],
        "one_time_total": [0.0, 12_000.0, 30_000.0, np.nan],
        "project_months": [0, 0, 6, 4],
    },
    index=["stay", "downgrade", "switch:zoho", "switch:hubspot"],
)


def _columns(**arrays):
    return {name: np.asarray(values, dtype=float) for name, values in arrays.items()}


# --- value functions: hand-worked goldens ----------------------------------------------------


def test_cost_value_goldens():
    npv = [200_000, 0, 400_000, 150_000, 500_000, -10_000]
    values = cost_value(_columns(npv=npv), ANCHORS)
    # 0.5 + 0.5 x (200,000 - NPV) / 200,000: Stay 0.5, free 1, twice Stay 0;
    # 150,000: 0.5 + 0.5 x 0.25 = 0.625; 500,000: -0.25 clipped to 0; -10,000: 1.025 clipped to 1.
    np.testing.assert_allclose(values, [0.5, 1.0, 0.0, 0.625, 0.0, 1.0])


def test_cost_value_without_a_stay_cost_scales_by_todays_annual_spend():
    anchors = ScoreAnchors(stay_npv=0.0, annual_spend=100_000.0)
    values = cost_value(_columns(npv=[50_000, 0, -100_000]), anchors)
    # 0.5 + 0.5 x (0 - 50,000) / 100,000 = 0.25; Stay's cost 0.5; a 100,000 credit 1.
    np.testing.assert_allclose(values, [0.25, 0.5, 1.0])
    assert anchors.cost_scale == 100_000.0


def test_cost_value_without_any_scale_is_a_step_around_stay():
    anchors = ScoreAnchors(stay_npv=-5.0, annual_spend=0.0)
    # Scale 1: -5 - 1 = -6 below, so 0; -5 exactly 0.5; -10 is 5 cheaper, 1.
    np.testing.assert_allclose(cost_value(_columns(npv=[1, -5, -10]), anchors), [0.0, 0.5, 1.0])


def test_fit_value_is_the_fit():
    np.testing.assert_array_equal(fit_value(_columns(fit=[0.0, 0.37, 1.0]), ANCHORS), [0, 0.37, 1])


def test_effort_value_goldens():
    columns = _columns(
        one_time_total=[30_000, 240_000, 0, 60_000, 12_000, -6_000],
        project_months=[6, 0, 0, 18, 3, 0],
    )
    # annual spend 120,000:
    # 30,000 + 6 months: (0.25 + 0.5) / 2 = 0.375 -> 0.625
    # 240,000 + 0: (2 + 0) / 2 = 1 -> 0
    # nothing: 1
    # 60,000 + 18 months: (0.5 + 1.5) / 2 = 1 -> 0
    # 12,000 + 3 months: (0.1 + 0.25) / 2 = 0.175 -> 0.825
    # a 6,000 credit cannot beat no effort at all: 1
    np.testing.assert_allclose(effort_value(columns, ANCHORS), [0.625, 0.0, 1.0, 0.0, 0.825, 1.0])


def test_effort_value_with_no_annual_spend_counts_any_one_time_cost_as_a_full_half():
    anchors = ScoreAnchors(stay_npv=100.0, annual_spend=0.0)
    columns = _columns(one_time_total=[0, 1, 5_000], project_months=[0, 0, 6])
    # (0 + 0) / 2 -> 1; (1 + 0) / 2 -> 0.5; (1 + 0.5) / 2 -> 0.25
    np.testing.assert_allclose(effort_value(columns, anchors), [1.0, 0.5, 0.25])


def test_anchors_reject_what_cannot_anchor():
    with pytest.raises(ScoringError, match="annual spend"):
        ScoreAnchors(stay_npv=1.0, annual_spend=-1.0)
    with pytest.raises(ScoringError, match="Stay's NPV"):
        ScoreAnchors(stay_npv=float("nan"), annual_spend=1.0)


# --- the registry ----------------------------------------------------------------------------


def test_registry_is_the_one_list_of_criteria():
    assert [c.id for c in CRITERIA] == ["cost", "fit", "effort"]
    assert {c.id: c.name for c in CRITERIA} == CRITERION_NAMES
    assert scoring.criterion_columns() == ["npv", "fit", "one_time_total", "project_months"]


def test_a_criterion_added_to_the_registry_is_scored(monkeypatch):
    def seats_value(columns, anchors):
        return np.asarray(columns["seats"], dtype=float) / 100

    extra = scoring.Criterion("seats", "Seats", ("seats",), seats_value, "seats / 100", 0.1)
    monkeypatch.setattr(scoring, "CRITERIA", (*CRITERIA, extra))
    frame = SCENARIOS.assign(seats=[60, 55, 50, 40])
    result = score_scenarios(frame, {**WEIGHTS, "seats": 10.0}, ANCHORS)
    # Weights 5, 3, 2, 10 of 20; Stay's values 0.5, 0.9, 1.0, 0.6:
    # 0.25 x 0.5 + 0.15 x 0.9 + 0.1 x 1.0 + 0.5 x 0.6 = 0.125 + 0.135 + 0.1 + 0.3 = 0.66
    assert result.scores["stay"] == pytest.approx(0.66)
    assert list(result.contributions.columns) == ["cost", "fit", "effort", "seats"]


# --- scores ----------------------------------------------------------------------------------


def test_value_table_of_the_ranked_scenarios():
    table = value_table(SCENARIOS, ANCHORS)
    assert list(table.index) == ["stay", "downgrade", "switch:zoho"]
    # downgrade: cost 0.5 + 0.5 x 50/200 = 0.625; effort 1 - (12/120) / 2 = 0.95
    # zoho: cost 0.5 + 0.5 x 80/200 = 0.7; effort 1 - (0.25 + 0.5) / 2 = 0.625
    expected = [[0.5, 0.9, 1.0], [0.625, 0.8, 0.95], [0.7, 0.85, 0.625]]
    np.testing.assert_allclose(table.to_numpy(), expected)


def test_weighted_sum_golden():
    result = score_scenarios(SCENARIOS, WEIGHTS, ANCHORS)
    # stay      0.5 x 0.5   + 0.3 x 0.9  + 0.2 x 1.0   = 0.25   + 0.27  + 0.2   = 0.72
    # downgrade 0.5 x 0.625 + 0.3 x 0.8  + 0.2 x 0.95  = 0.3125 + 0.24  + 0.19  = 0.7425
    # zoho      0.5 x 0.7   + 0.3 x 0.85 + 0.2 x 0.625 = 0.35   + 0.255 + 0.125 = 0.73
    assert result.scores.to_dict() == pytest.approx(
        {"stay": 0.72, "downgrade": 0.7425, "switch:zoho": 0.73}
    )
    assert result.ranks.to_dict() == {"downgrade": 1, "switch:zoho": 2, "stay": 3}
    assert result.contributions.loc["downgrade"].to_dict() == pytest.approx(
        {"cost": 0.3125, "fit": 0.24, "effort": 0.19}
    )
    pd.testing.assert_frame_equal(result.normalized, value_table(SCENARIOS, ANCHORS))
    assert result.weights.to_dict() == pytest.approx({"cost": 0.5, "fit": 0.3, "effort": 0.2})
    assert result.method == "weighted_sum"
    assert result.relative is False


def test_equal_scores_go_to_the_cheaper_option():
    # Two options with equal values except that B costs more and fits better, by amounts that
    # cancel: cost 0.5 x 0.5 + fit 0.5 x 0.8 = 0.65 for A; 0.5 x 0.4 + 0.5 x 0.9 = 0.65 for B.
    frame = pd.DataFrame(
        {
            "status": ["ok", "ok"],
            "npv": [100.0, 120.0],
            "fit": [0.8, 0.9],
            "one_time_total": [0.0, 0.0],
            "project_months": [0, 0],
        },
        index=["a_dear", "b_cheap"][::-1],
    )
    result = score_scenarios(frame, {"cost": 1, "fit": 1, "effort": 0}, ScoreAnchors(100.0, 1.0))
    assert result.scores["b_cheap"] == pytest.approx(result.scores["a_dear"])
    assert result.ranks.to_dict() == {"b_cheap": 1, "a_dear": 2}


def test_topsis_is_available_and_says_it_is_relative():
    result = score_scenarios(SCENARIOS, WEIGHTS, ANCHORS, method="topsis")
    assert result.method == "topsis"
    assert result.relative is True
    np.testing.assert_allclose(result.contributions.sum(axis=1), result.scores)
    # Relative: dropping Stay changes the others' TOPSIS scores (the ideal moves).
    without_stay = score_scenarios(SCENARIOS.drop("stay"), WEIGHTS, ANCHORS, method="topsis")
    assert without_stay.scores["downgrade"] != pytest.approx(result.scores["downgrade"])


def test_scoring_errors_are_analyzer_errors():
    with pytest.raises(ScoringError, match="method"):
        score_scenarios(SCENARIOS, WEIGHTS, ANCHORS, method="vikor")
    with pytest.raises(ScoringError, match="no weight for criterion 'effort'"):
        score_scenarios(SCENARIOS, {"cost": 1, "fit": 1}, ANCHORS)
    with pytest.raises(ScoringError, match="'project_months'"):
        score_scenarios(SCENARIOS.drop(columns="project_months"), WEIGHTS, ANCHORS)
    broken = SCENARIOS.copy()
    broken.loc["downgrade", "fit"] = np.nan
    with pytest.raises(AnalyzerError, match=r"'downgrade' .* column 'fit'"):
        score_scenarios(broken, WEIGHTS, ANCHORS)


# --- property: absolute scores ---------------------------------------------------------------

option = st.fixed_dictionaries(
    {
        "npv": st.floats(0, 2_000_000),
        "fit": st.floats(0, 1),
        "one_time_total": st.floats(0, 500_000),
        "project_months": st.integers(0, 24),
    }
)


def _frame(options: list[dict], statuses: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(options, index=[f"option{k}" for k in range(len(options))])
    frame.insert(0, "status", statuses)
    return frame


def _reference_score(row: dict, anchors: ScoreAnchors, weights: dict) -> float:
    """DESIGN section 6 written out for one option, in plain Python floats."""
    cost = min(1.0, max(0.0, 0.5 + 0.5 * (anchors.stay_npv - row["npv"]) / anchors.stay_npv))
    share = row["one_time_total"] / anchors.annual_spend + row["project_months"] / 12
    effort = 1 - min(1.0, share / 2)
    total = sum(weights.values())
    return (weights["cost"] * cost + weights["fit"] * row["fit"] + weights["effort"] * effort) / (
        total
    )


weights_strategy = st.fixed_dictionaries(
    {"cost": st.floats(0.01, 10), "fit": st.floats(0.01, 10), "effort": st.floats(0.01, 10)}
)
anchors_strategy = st.builds(ScoreAnchors, st.floats(1_000, 2_000_000), st.floats(1_000, 1_000_000))


@given(
    st.lists(option, min_size=2, max_size=6),
    option,
    st.data(),
    weights_strategy,
    anchors_strategy,
)
@settings(max_examples=60, deadline=None)
def test_an_unrelated_option_never_changes_another_options_score(
    options, newcomer, data, weights, anchors
):
    base = score_scenarios(_frame(options, ["ok"] * len(options)), weights, anchors)
    # Adding an option.
    added = score_scenarios(
        _frame([*options, newcomer], ["ok"] * (len(options) + 1)), weights, anchors
    )
    pd.testing.assert_series_equal(added.scores.loc[base.scores.index], base.scores)
    # Removing one.
    gone = data.draw(st.integers(0, len(options) - 1))
    kept = [o for k, o in enumerate(options) if k != gone]
    frame = _frame(options, ["ok"] * len(options)).drop(f"option{gone}")
    removed = score_scenarios(frame, weights, anchors)
    pd.testing.assert_series_equal(removed.scores, base.scores.drop(f"option{gone}"))
    assert len(kept) == len(removed.scores)
    # Quoting one: from needing a quote (not ranked) to ranked at the quoted cost.
    unquoted = _frame([*options, newcomer], ["ok"] * len(options) + ["needs_quote"])
    unquoted.loc[f"option{len(options)}", ["npv", "one_time_total"]] = np.nan
    before = score_scenarios(unquoted, weights, anchors)
    pd.testing.assert_series_equal(before.scores, base.scores)
    pd.testing.assert_series_equal(added.scores.drop(f"option{len(options)}"), base.scores)
    # And every score is DESIGN section 6's formula for that option alone.
    for k, row in enumerate(options):
        assert base.scores[f"option{k}"] == pytest.approx(_reference_score(row, anchors, weights))


@given(st.lists(option, min_size=1, max_size=6), weights_strategy, anchors_strategy)
@settings(max_examples=60, deadline=None)
def test_contributions_sum_to_the_score_and_values_stay_within_0_and_1(options, weights, anchors):
    result = score_scenarios(_frame(options, ["ok"] * len(options)), weights, anchors)
    np.testing.assert_allclose(result.contributions.sum(axis=1), result.scores, atol=1e-12)
    assert ((result.normalized >= 0) & (result.normalized <= 1)).all().all()
    assert ((result.scores >= -1e-12) & (result.scores <= 1 + 1e-12)).all()


# --- close calls -----------------------------------------------------------------------------


def test_runner_up_within_the_gap_is_a_close_call():
    call = close_call(pd.Series({"zoho": 0.75, "stay": 0.735, "hubspot": 0.70}), None)
    assert call is not None
    assert call.winner == "zoho"
    assert call.contenders == ("zoho", "stay")
    # 0.75 - 0.735
    assert call.score_gap == pytest.approx(0.015)
    assert (call.by_score, call.by_stability, call.winner_p_first) == (True, False, None)
    assert "gap 0.015" in call.reasons({"zoho": "Zoho CRM"})[0]


def test_a_gap_of_exactly_the_threshold_is_still_close():
    # 0.75 - 0.73 is 0.020000000000000018 in binary floating point: still "within 0.02".
    assert close_call(pd.Series({"a": 0.75, "b": 0.73}), None) is not None
    assert close_call(pd.Series({"a": 0.75, "b": 0.7299}), None) is None


def test_a_clear_winner_is_no_close_call():
    scores = pd.Series({"a": 0.8, "b": 0.7})
    assert close_call(scores, pd.Series({"a": 0.9, "b": 0.1})) is None
    # Exactly 60% of first places is enough.
    assert close_call(scores, pd.Series({"a": CLOSE_CALL_MIN_P_FIRST, "b": 0.4})) is None


def test_an_unstable_winner_is_a_close_call_naming_the_likely_winners():
    scores = pd.Series({"a": 0.8, "b": 0.7, "c": 0.6, "d": 0.5})
    call = close_call(scores, pd.Series({"a": 0.37, "b": 0.33, "c": 0.20, "d": 0.10}))
    # a alone takes 37% of first places, a and b 70% >= 60%: they are the contenders.
    assert call.contenders == ("a", "b")
    assert (call.by_score, call.by_stability, call.winner_p_first) == (False, True, 0.37)
    assert call.reasons() == [
        "a ranks first in only 37% of the sampled weights and costs (a clear winner needs 60%)"
    ]


def test_both_rules_name_every_contender_once():
    scores = pd.Series({"a": 0.75, "b": 0.74, "c": 0.6})
    call = close_call(scores, pd.Series({"a": 0.5, "c": 0.45, "b": 0.05}))
    # Within the gap: a, b. Most first places: a (50%), then c (95% >= 60%).
    assert call.contenders == ("a", "b", "c")
    assert call.by_score and call.by_stability
    assert len(call.reasons()) == 2


def test_one_option_is_never_a_close_call():
    assert close_call(pd.Series({"stay": 0.5}), pd.Series({"stay": 1.0})) is None
    # Unranked options carry no score and are no contenders.
    assert close_call(pd.Series({"stay": 0.5, "odoo": np.nan}), None) is None
    call = close_call(pd.Series({"stay": 0.5, "odoo": np.nan, "zoho": 0.49}), None)
    assert call.contenders == ("stay", "zoho")


def test_close_call_thresholds_are_the_documented_ones():
    assert (CLOSE_CALL_SCORE_GAP, CLOSE_CALL_MIN_P_FIRST) == (0.02, 0.60)


# --- sensitivity entry point -----------------------------------------------------------------


def test_sensitivity_with_fewer_than_two_ranked_options_raises_a_scenario_error():
    alone = SCENARIOS.assign(status=["ok", "infeasible", "needs_quote", "infeasible"])
    with pytest.raises(ScenarioError, match="only Stay can be ranked") as caught:
        scoring.sensitivity(alone, WEIGHTS, ANCHORS, samples=10)
    assert isinstance(caught.value, scoring.TooFewRankedOptions)


def test_sensitivity_returns_all_three_parts():
    result = scoring.sensitivity(SCENARIOS, WEIGHTS, ANCHORS, samples=500, seed=2)
    assert list(result.monte_carlo.p_first.index) == ["stay", "downgrade", "switch:zoho"]
    assert result.monte_carlo.samples == 500 and result.monte_carlo.seed == 2
    assert set(result.tornado["criterion"]) == {"cost", "fit", "effort"}
    assert set(result.weight_flips["criterion"]) == {"cost", "fit", "effort"}


@pytest.mark.parametrize(
    ("statuses", "ranked"),
    [
        (["ok", "ok", "infeasible", "infeasible"], ["stay", "downgrade"]),  # a leading run
        (["ok", "infeasible", "ok", "ok"], ["stay", "switch:zoho", "switch:hubspot"]),
        (["infeasible", "ok", "ok", "infeasible"], ["downgrade", "switch:zoho"]),
        (["infeasible"] * 4, []),
    ],
)
def test_ranked_columns_hold_the_ok_rows_in_table_order(statuses, ranked):
    table = SCENARIOS.assign(status=statuses, npv=[1.0, 2.0, 3.0, 4.0], fit=0.5)
    table["one_time_total"] = 0.0
    index, columns = scoring.ranked_columns(table, ["npv", "fit"])
    assert index.tolist() == ranked
    # The npv column counts the rows 1..4, so it names which rows were kept.
    assert columns["npv"].tolist() == [1.0 + list(table.index).index(s) for s in ranked]
    assert list(columns) == ["npv", "fit"]
    frame = scoring.ranked_scenarios(table, ["npv", "fit"])
    assert frame.index.tolist() == ranked and frame["npv"].tolist() == columns["npv"].tolist()


def _close_call_reference(scores: dict, gap: float):
    """Winner, gap and the options within ``gap`` of it, written out with sorted()."""
    ranked = sorted(
        ((s, v) for s, v in scores.items() if not np.isnan(v)), key=lambda sv: -sv[1]
    )  # sorted() is stable: equal scores keep the given order
    if len(ranked) < 2:
        return None
    top = ranked[0][1]
    near = [s for s, v in ranked if round(top - v, 12) <= gap]
    return ranked[0][0], top - ranked[1][1], near


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from([np.nan, 0.5, 0.51, 0.52, 0.53, 0.7, 0.71, 0.72]), min_size=1, max_size=6
    )
)
def test_close_call_by_score_follows_the_rule_written_out(levels):
    scores = {f"s{k}": v for k, v in enumerate(levels)}
    expected = _close_call_reference(scores, CLOSE_CALL_SCORE_GAP)
    call = close_call(pd.Series(scores), None)
    if expected is None or len(expected[2]) < 2:
        assert call is None
    else:
        assert (call.winner, call.score_gap, list(call.contenders)) == expected
