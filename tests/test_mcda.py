"""Tests for analyzer.mcda: normalization, weighted sum, TOPSIS and the ranking rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from pymcdm.helpers import rankdata
from pymcdm.methods import TOPSIS, WSM
from pymcdm.normalizations import vector_normalization

from analyzer import mcda
from analyzer.errors import ScoringError
from analyzer.mcda import (
    normalize_vector,
    rank,
    topsis,
    value_sum,
)

CRM = pd.DataFrame(
    {
        "cost": [120_000.0, 95_000.0, 80_000.0, 80_000.0],
        "fit": [0.92, 0.81, 0.88, 0.70],
        "effort": [0.0, 10.0, 160.0, 140.0],
    },
    index=["stay", "downgrade", "switch_hubspot", "switch_zoho"],
)
CRM_DIRECTIONS = {"cost": "min", "fit": "max", "effort": "min"}
CRM_WEIGHTS = {"cost": 0.5, "fit": 0.3, "effort": 0.2}


def test_tzeng_huang_2011_topsis_example():
    # Tzeng, G.-H. & Huang, J.-J. (2011). Multiple Attribute Decision Making: Methods and
    # Applications. CRC Press, TOPSIS numerical example: four alternatives, three benefit
    # criteria, weights (0.3, 0.4, 0.3), vector normalization; relative closeness
    # 0.5037, 0.6581, 0.7482, 0.3340 (also the golden test of scikit-criteria,
    # tests/agg/test_topsis.py::test_TOPSIS_tzeng2011multiple).
    matrix = pd.DataFrame(
        [[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]],
        index=["A1", "A2", "A3", "A4"],
        columns=["c1", "c2", "c3"],
        dtype=float,
    )
    result = topsis(matrix, {"c1": 0.3, "c2": 0.4, "c3": 0.3}, dict.fromkeys(matrix, "max"))
    assert result.scores.round(3).tolist() == [0.504, 0.658, 0.748, 0.334]
    assert result.ranks.tolist() == [3, 2, 1, 4]


def test_topsis_with_a_cost_criterion_matches_hand_computation():
    # Opricovic & Tzeng (2004), Eur. J. Oper. Res. 156(2), 445-455, section 4 example: A1-A3
    # with f1 = (1, 2, 5) to minimize and f2 = (3000, 3750, 4500) to maximize, equal weights.
    # Closeness with vector normalization, computed step by step: v1 = 0.5 * (1, 2, 5)/sqrt(30),
    # v2 = 0.5 * (3000, 3750, 4500)/6581.2; ideal (min v1, max v2), anti-ideal (max v1, min v2).
    matrix = pd.DataFrame(
        {"f1": [1.0, 2.0, 5.0], "f2": [3000.0, 3750.0, 4500.0]}, index=["A1", "A2", "A3"]
    )
    v1 = 0.5 * matrix["f1"].to_numpy() / np.sqrt(30)
    v2 = 0.5 * matrix["f2"].to_numpy() / np.sqrt((matrix["f2"] ** 2).sum())
    d_plus = np.hypot(v1 - v1.min(), v2 - v2.max())
    d_minus = np.hypot(v1 - v1.max(), v2 - v2.min())
    result = topsis(matrix, {"f1": 1, "f2": 1}, {"f1": "min", "f2": "max"})
    np.testing.assert_allclose(result.scores, d_minus / (d_plus + d_minus))
    assert result.scores.round(3).tolist() == [0.762, 0.722, 0.238]


def test_vector_normalization_leaves_direction_to_topsis():
    matrix = pd.DataFrame({"cost": [3.0, 4.0], "fit": [0.0, 0.0]}, index=["a", "b"])
    normalized = normalize_vector(matrix, {"cost": "min", "fit": "max"})
    assert normalized["cost"].tolist() == pytest.approx([0.6, 0.8])
    assert normalized["fit"].tolist() == [0.0, 0.0]


def test_topsis_contributions_sum_to_the_score():
    result = topsis(CRM, CRM_WEIGHTS, CRM_DIRECTIONS)
    pd.testing.assert_series_equal(
        result.contributions.sum(axis=1), result.scores, check_names=False
    )
    assert (result.contributions >= 0).all().all()
    assert result.method == "topsis"


def test_ties_go_to_the_cheaper_scenario_then_alphabetical():
    matrix = pd.DataFrame(
        {"fit": [0.5, 0.5, 0.5, 0.9], "cost": [200.0, 100.0, 100.0, 300.0]},
        index=["zeta", "beta", "alpha", "gamma"],
    )
    scores = pd.Series([0.7, 0.7, 0.7, 0.7], index=matrix.index)
    ranks = rank(scores, matrix, {"fit": "max", "cost": "min"})
    # All tied: cost decides (alpha and beta at 100 before zeta at 200 and gamma at 300), then
    # the id decides between alpha and beta.
    assert ranks.to_dict() == {"alpha": 1, "beta": 2, "zeta": 3, "gamma": 4}


def test_round_off_does_not_break_a_tie():
    matrix = pd.DataFrame({"cost": [2.0, 1.0]}, index=["a", "b"])
    scores = pd.Series([0.3, 0.1 + 0.2], index=["a", "b"])  # 0.30000000000000004
    assert rank(scores, matrix, {"cost": "min"}).to_dict() == {"a": 2, "b": 1}


def test_missing_value_names_scenario_and_criterion():
    matrix = CRM.copy()
    matrix.loc["switch_zoho", "fit"] = np.nan
    with pytest.raises(ScoringError, match=r"'switch_zoho'.*'fit'"):
        topsis(matrix, CRM_WEIGHTS, CRM_DIRECTIONS)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"cost": 0.0, "fit": 0.0, "effort": 0.0}, "all weights are zero"),
        ({"cost": -0.5, "fit": 1.0, "effort": 0.5}, "negative"),
        ({"cost": 0.5, "fit": 0.5}, "no weight for criterion 'effort'"),
        ({"cost": 1, "fit": 1, "effort": 1, "risk": 1}, "'risk' is not a criterion"),
    ],
)
def test_bad_weights_raise_clear_errors(weights, message):
    with pytest.raises(ScoringError, match=message):
        topsis(CRM, weights, CRM_DIRECTIONS)
    with pytest.raises(ScoringError, match=message):
        value_sum(CRM.rank(pct=True), weights)


def test_bad_direction_raises():
    with pytest.raises(ScoringError, match=r"'effort'.*'min' or 'max'"):
        topsis(CRM, CRM_WEIGHTS, {"cost": "min", "fit": "max", "effort": "low"})


def test_weights_need_not_sum_to_one():
    a = topsis(CRM, {"cost": 5, "fit": 3, "effort": 2}, CRM_DIRECTIONS)
    b = topsis(CRM, pd.Series(CRM_WEIGHTS), CRM_DIRECTIONS)
    pd.testing.assert_series_equal(a.scores, b.scores)


def test_value_sum_adds_weighted_values_without_normalizing():
    values = pd.DataFrame(
        {"cost": [0.5, 0.8, 0.8], "fit": [1.0, 0.6, 0.2]}, index=["stay", "zoho", "odoo"]
    )
    result = value_sum(values, {"cost": 3, "fit": 1})
    # 0.75 x 0.5 + 0.25 x 1.0 = 0.625; 0.75 x 0.8 + 0.25 x 0.6 = 0.75; 0.6 + 0.05 = 0.65
    assert result.scores.to_dict() == pytest.approx({"stay": 0.625, "zoho": 0.75, "odoo": 0.65})
    assert result.ranks.to_dict() == {"zoho": 1, "odoo": 2, "stay": 3}
    pd.testing.assert_frame_equal(result.normalized, values)
    assert result.relative is False
    # Dropping an option changes nothing for the others.
    pd.testing.assert_series_equal(
        value_sum(values.drop("odoo"), {"cost": 3, "fit": 1}).scores, result.scores.drop("odoo")
    )


def test_value_sum_breaks_ties_on_cost_then_name():
    values = pd.DataFrame({"fit": [0.5, 0.5, 0.5]}, index=["c", "a", "b"])
    assert value_sum(values, {"fit": 1}).ranks.to_dict() == {"a": 1, "b": 2, "c": 3}
    costs = pd.Series({"c": 1.0, "a": 3.0, "b": 2.0})
    assert value_sum(values, {"fit": 1}, costs).ranks.to_dict() == {"c": 1, "b": 2, "a": 3}


def test_value_sum_rejects_values_outside_0_and_1():
    values = pd.DataFrame({"fit": [0.5, 1.2]}, index=["a", "b"])
    with pytest.raises(ScoringError, match=r"'b' for criterion 'fit' is 1\.2, outside 0\.\.1"):
        value_sum(values, {"fit": 1})


def test_topsis_says_it_is_relative():
    result = topsis(CRM, CRM_WEIGHTS, CRM_DIRECTIONS)
    assert result.relative is True
    # And it is: dropping Stay moves the other scenarios' closeness.
    without_stay = topsis(CRM.drop("stay"), CRM_WEIGHTS, CRM_DIRECTIONS)
    assert not np.allclose(without_stay.scores, result.scores.drop("stay"))


# --- agreement with pymcdm (kotbaton/pymcdm 1.4): types 1 = benefit (max), -1 = cost (min) ----


@pytest.mark.parametrize("seed", range(40))
def test_rankings_agree_with_pymcdm(seed):
    rng = np.random.default_rng(seed)
    n_scenarios, n_criteria = rng.integers(3, 12), rng.integers(2, 6)
    # Continuous random values: no ties, so every ranking is strict and comparable.
    values = rng.uniform(1, 1_000, size=(n_scenarios, n_criteria))
    types = rng.choice([1, -1], size=n_criteria)
    w = rng.dirichlet(np.ones(n_criteria))
    columns = [f"c{j}" for j in range(n_criteria)]
    matrix = pd.DataFrame(values, index=[f"s{i}" for i in range(n_scenarios)], columns=columns)
    directions = {c: ("max" if t == 1 else "min") for c, t in zip(columns, types, strict=True)}
    weights = dict(zip(columns, w, strict=True))

    # The value sum is pymcdm's WSM over values that are already 0..1, benefit, not normalized.
    unit = values / 1_000
    wsm = WSM(lambda x, cost: x)(unit, w, np.ones(n_criteria), validation=False)
    ours = value_sum(pd.DataFrame(unit, index=matrix.index, columns=columns), weights)
    np.testing.assert_allclose(ours.scores.to_numpy(), wsm)
    assert ours.ranks.tolist() == rankdata(wsm, reverse=True).astype(int).tolist()

    closeness = TOPSIS(vector_normalization)(values, w, types, validation=False)
    ours = topsis(matrix, weights, directions)
    np.testing.assert_allclose(ours.scores.to_numpy(), closeness)
    assert ours.ranks.tolist() == rankdata(closeness, reverse=True).astype(int).tolist()


# --- properties ------------------------------------------------------------------------------


@st.composite
def decision_problems(draw, min_scenarios=2):
    n_scenarios = draw(st.integers(min_scenarios, 7))
    n_criteria = draw(st.integers(1, 4))
    values = draw(
        arrays(
            float,
            (n_scenarios, n_criteria),
            elements=st.floats(0, 1_000, allow_nan=False, allow_subnormal=False),
        )
    )
    columns = ["cost", *(f"c{j}" for j in range(1, n_criteria))]
    directions = {"cost": "min"} | {c: draw(st.sampled_from(["min", "max"])) for c in columns[1:]}
    weights = {c: draw(st.floats(0.01, 10)) for c in columns}
    matrix = pd.DataFrame(values, index=[f"s{i}" for i in range(n_scenarios)], columns=columns)
    return matrix, directions, weights


methods = st.sampled_from(["value_sum", "topsis"])


def fixed_values(matrix, directions):
    """Values on fixed anchors, as analyzer.scoring's value functions make them: -100 is worth
    0 (max) or 1 (min), 1,100 the reverse, linear in between and clipped outside."""
    gain = ((matrix + 100) / 1_200).clip(0, 1)
    return pd.DataFrame(
        {c: 1 - gain[c] if directions[c] == "min" else gain[c] for c in matrix.columns}
    )


def score(matrix, weights, directions, method):
    if method == "topsis":
        return topsis(matrix, weights, directions)
    return value_sum(fixed_values(matrix, directions), weights, matrix["cost"])


@given(decision_problems(), st.floats(0.001, 1_000), methods)
@settings(deadline=None)
def test_scaling_all_weights_changes_nothing(problem, factor, method):
    matrix, directions, weights = problem
    base = score(matrix, weights, directions, method)
    scaled = score(matrix, {c: w * factor for c, w in weights.items()}, directions, method)
    np.testing.assert_allclose(scaled.scores, base.scores, rtol=1e-9, atol=1e-12)
    pd.testing.assert_series_equal(scaled.ranks, base.ranks)


@given(decision_problems(), st.data(), st.floats(0.5, 100), methods)
@settings(deadline=None)
def test_a_dominating_scenario_ranks_first(problem, data, margin, method):
    matrix, directions, weights = problem
    best = {
        c: matrix[c].min() if directions[c] == "min" else matrix[c].max() for c in matrix.columns
    }
    improved = data.draw(st.sampled_from(list(matrix.columns)))
    # Make the last scenario at least as good as everyone everywhere, strictly better on one.
    best[improved] += -margin if directions[improved] == "min" else margin
    dominant = matrix.index[-1]
    matrix = matrix.copy()
    matrix.loc[dominant] = pd.Series(best)
    result = score(matrix, weights, directions, method)
    assert result.ranks[dominant] == 1
    assert (result.scores.drop(dominant) < result.scores[dominant]).all()


@given(decision_problems(), st.data(), st.floats(0.01, 1_000))
@settings(max_examples=100, deadline=None)
def test_raising_a_cost_never_improves_that_score_nor_moves_another(problem, data, increase):
    matrix, directions, weights = problem
    scenario = data.draw(st.sampled_from(list(matrix.index)))
    before = score(matrix, weights, directions, "value_sum").scores
    dearer = matrix.copy()
    dearer.loc[scenario, "cost"] += increase
    after = score(dearer, weights, directions, "value_sum").scores
    assert after[scenario] <= before[scenario] + 1e-12
    pd.testing.assert_series_equal(after.drop(scenario), before.drop(scenario))


@given(decision_problems(), methods)
@settings(deadline=None)
def test_ranks_are_a_permutation_consistent_with_scores(problem, method):
    matrix, directions, weights = problem
    result = score(matrix, weights, directions, method)
    assert sorted(result.ranks) == list(range(1, len(matrix) + 1))
    ordered = result.scores.loc[result.ranks.sort_values().index].to_numpy()
    assume(len(ordered) > 1)
    assert (np.diff(np.round(ordered, 12)) <= 0).all()
    np.testing.assert_allclose(result.contributions.sum(axis=1), result.scores, atol=1e-12)


# Scores from a handful of levels (and both zeros), so that most rows hold ties; costs too.
_LEVELS = st.sampled_from([0.0, -0.0, 0.25, 0.5, 0.5 + 1e-13, 0.75, 1.0])


# The share of tied rows above which every row gets the full sort: -1 always, 1 never (then
# only the tied rows do), so that both ways are checked.
@pytest.mark.parametrize("full_sort_above", [-1.0, 0.5, 1.0])
@settings(max_examples=100, deadline=None)
@given(st.integers(1, 6), st.integers(1, 7), st.data())
def test_rank_order_follows_the_tie_rule_row_by_row(full_sort_above, rows, scenarios, data):
    scores = np.array(
        data.draw(st.lists(_LEVELS, min_size=rows * scenarios, max_size=rows * scenarios))
    )
    scores = scores.reshape(rows, scenarios)
    costs = np.array(
        data.draw(
            st.lists(st.sampled_from([1.0, 2.0, 3.0]), min_size=scenarios, max_size=scenarios)
        )
    )
    # The rule written out: higher score to 12 decimals, then lower cost, then position.
    expected = [
        sorted(range(scenarios), key=lambda j, row=row: (-round(row[j], 12), costs[j], j))
        for row in scores.tolist()
    ]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mcda, "TIED_SHARE_FOR_FULL_SORT", full_sort_above)
        order = mcda._rank_order(scores, costs)
    assert order.tolist() == expected
    assert mcda._first_positions(scores, costs).tolist() == [row[0] for row in expected]


def test_rank_order_sorts_rows_with_and_without_ties_alike():
    scores = np.array([[0.2, 0.9, 0.5], [0.5, 0.9, 0.5], [0.7, 0.1, 0.4]])
    costs = np.array([3.0, 1.0, 2.0])
    # Row 1: 0.9 first, then 0.5 and 0.5 by cost (position 2 costs 2, position 0 costs 3).
    # One row in three holds a tie: the plain sort orders the others, the full rule row 1.
    rounded = np.round(scores, 12)
    assert mcda._tied_rows(rounded, np.argsort(-rounded, axis=-1)).tolist() == [1]
    assert mcda._rank_order(scores, costs).tolist() == [[1, 2, 0], [1, 2, 0], [0, 2, 1]]


def test_value_sum_of_arrays_scores_and_ranks_like_the_hand_worked_sum():
    values = np.array([[0.5, 1.0], [0.8, 0.6], [0.8, 0.6]])
    index = pd.Index(["stay", "zoho", "hubspot"])
    result = mcda.value_sum_of_arrays(
        values, index, ["cost", "fit"], {"cost": 3, "fit": 1}, np.array([10.0, 20.0, 20.0])
    )
    # Weights 0.75 and 0.25: stay 0.375 + 0.25 = 0.625; zoho and hubspot 0.6 + 0.15 = 0.75.
    assert result.scores.tolist() == pytest.approx([0.625, 0.75, 0.75])
    # zoho and hubspot tie on score and cost: alphabetical order puts hubspot first.
    assert result.ranks.to_dict() == {"stay": 3, "zoho": 2, "hubspot": 1}
    assert result.contributions.loc["stay"].tolist() == pytest.approx([0.375, 0.25])
    assert result.weights.to_dict() == {"cost": 0.75, "fit": 0.25}


@given(decision_problems(), st.data())
@settings(max_examples=50, deadline=None)
def test_value_sum_of_arrays_equals_value_sum(problem, data):
    matrix, directions, weights = problem
    values = fixed_values(matrix, directions)
    costs = pd.Series(
        data.draw(
            st.lists(st.sampled_from([1.0, 2.0]), min_size=len(values), max_size=len(values))
        ),
        index=values.index,
    )
    expected = value_sum(values, weights, costs)
    result = mcda.value_sum_of_arrays(
        values.to_numpy(), values.index, list(values.columns), weights, costs.to_numpy()
    )
    pd.testing.assert_series_equal(result.scores, expected.scores)
    pd.testing.assert_series_equal(result.ranks, expected.ranks)
    pd.testing.assert_frame_equal(result.contributions, expected.contributions)
    pd.testing.assert_series_equal(result.weights, expected.weights)


@pytest.mark.parametrize(
    ("values", "index", "message"),
    [
        (np.zeros((0, 2)), [], "at least one scenario"),
        (np.full((2, 2), 0.5), ["stay", "stay"], "listed twice: stay"),
        (np.array([[0.5, 1.5]]), ["stay"], "'fit' is 1.5, outside 0..1"),
    ],
)
def test_value_sum_of_arrays_rejects_what_value_sum_rejects(values, index, message):
    with pytest.raises(ScoringError, match=message):
        mcda.value_sum_of_arrays(
            values,
            pd.Index(index, dtype=object),
            ["cost", "fit"],
            {"cost": 1, "fit": 1},
            np.zeros(len(index)),
        )
