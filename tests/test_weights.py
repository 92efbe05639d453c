"""Tests for analyzer.weights: direct, AHP and rank-order centroid weights."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analyzer.errors import ScoringError
from analyzer.weights import (
    ahp_matrix_from_judgements,
    ahp_weights,
    direct_weights,
    normalized_weights,
    rank_order_centroid,
)

# Saaty, T. L. (2008). Decision making with the analytic hierarchy process. Int. J. Services
# Sciences 1(1), 83-98, section 4 ("Which drink is consumed more in the U.S.?"): the pairwise
# matrix of relative consumption, its derived priorities and its consistency ratio 0.022.
DRINKS = ["coffee", "wine", "tea", "beer", "soda", "milk", "water"]
DRINK_JUDGEMENTS = {
    ("coffee", "wine"): 9,
    ("coffee", "tea"): 5,
    ("coffee", "beer"): 2,
    ("coffee", "soda"): 1,
    ("coffee", "milk"): 1,
    ("water", "coffee"): 2,
    ("tea", "wine"): 3,
    ("beer", "wine"): 9,
    ("beer", "tea"): 3,
    ("beer", "milk"): 1,
    ("soda", "wine"): 9,
    ("soda", "tea"): 4,
    ("soda", "beer"): 2,
    ("soda", "milk"): 2,
    ("milk", "wine"): 9,
    ("milk", "tea"): 3,
    ("water", "wine"): 9,
    ("water", "tea"): 9,
    ("water", "beer"): 3,
    ("water", "soda"): 2,
    ("water", "milk"): 3,
}
DRINK_PRIORITIES = {
    "coffee": 0.177,
    "wine": 0.019,
    "tea": 0.042,
    "beer": 0.116,
    "soda": 0.190,
    "milk": 0.129,
    "water": 0.327,
}


def test_ahp_reproduces_saaty_2008_drinks_example():
    result = ahp_weights(ahp_matrix_from_judgements(DRINKS, DRINK_JUDGEMENTS))
    assert result.weights.round(3).to_dict() == DRINK_PRIORITIES
    assert round(result.consistency_ratio, 3) == 0.022
    assert result.consistent
    assert result.warning is None
    assert result.lambda_max == pytest.approx(7.177, abs=1e-3)
    assert result.consistency_index == pytest.approx((result.lambda_max - 7) / 6)


def test_ahp_consistent_matrix_recovers_the_ratios():
    truth = np.array([0.5, 0.3, 0.2])
    labels = ["cost", "fit", "effort"]
    matrix = pd.DataFrame(truth[:, None] / truth[None, :], index=labels, columns=labels)
    result = ahp_weights(matrix)
    np.testing.assert_allclose(result.weights.to_numpy(), truth)
    assert result.lambda_max == pytest.approx(3.0)
    assert result.consistency_ratio == pytest.approx(0.0, abs=1e-12)


def test_ahp_warns_on_inconsistent_judgements_and_names_the_worst_pair():
    # Consistent judgements from weights 0.4/0.3/0.2/0.1, except cost vs risk turned around
    # (1/9 where 4 is implied): the warning must point at that slider.
    truth = {"cost": 0.4, "fit": 0.3, "effort": 0.2, "risk": 0.1}
    judgements = {(a, b): truth[a] / truth[b] for a, b in itertools.combinations(truth, 2)}
    judgements["cost", "risk"] = 1 / 9
    result = ahp_weights(ahp_matrix_from_judgements(list(truth), judgements))
    assert result.consistency_ratio > 0.10
    assert not result.consistent
    assert "0.10" in result.warning
    assert "'cost' versus 'risk'" in result.warning


def test_ahp_cycle_is_maximally_inconsistent():
    # cost > fit, fit > effort, effort > cost: no weights can satisfy a cycle.
    matrix = ahp_matrix_from_judgements(
        ["cost", "fit", "effort"],
        {("cost", "fit"): 5, ("fit", "effort"): 5, ("effort", "cost"): 5},
    )
    result = ahp_weights(matrix)
    assert result.consistency_ratio > 1
    assert result.warning is not None


def test_ahp_two_criteria_has_zero_consistency_ratio():
    result = ahp_weights(ahp_matrix_from_judgements(["cost", "fit"], {("fit", "cost"): 3}))
    assert result.weights.to_dict() == pytest.approx({"cost": 0.25, "fit": 0.75})
    assert result.consistency_ratio == 0.0
    assert result.consistent


def test_ahp_aligns_rows_to_columns():
    matrix = ahp_matrix_from_judgements(DRINKS, DRINK_JUDGEMENTS)
    shuffled = matrix.loc[list(reversed(DRINKS))]
    pd.testing.assert_series_equal(ahp_weights(shuffled).weights, ahp_weights(matrix).weights)


def test_ahp_rejects_a_non_reciprocal_cell_by_name():
    labels = ["cost", "fit", "effort"]
    matrix = pd.DataFrame(np.ones((3, 3)), index=labels, columns=labels)
    matrix.loc["cost", "effort"] = 3.0
    with pytest.raises(
        ScoringError, match=r"matrix\['cost', 'effort'\] = 3.0 is not the reciprocal"
    ):
        ahp_weights(matrix)


def test_ahp_accepts_rounded_reciprocals():
    labels = ["cost", "fit"]
    matrix = pd.DataFrame([[1.0, 3.0], [0.333, 1.0]], index=labels, columns=labels)
    assert ahp_weights(matrix).weights["cost"] == pytest.approx(0.75, abs=1e-3)


@pytest.mark.parametrize(
    ("value", "message"),
    [(0.0, "positive"), (-2.0, "positive"), (np.nan, "positive")],
)
def test_ahp_rejects_non_positive_cells(value, message):
    labels = ["cost", "fit"]
    matrix = pd.DataFrame([[1.0, value], [1.0, 1.0]], index=labels, columns=labels)
    with pytest.raises(ScoringError, match=message):
        ahp_weights(matrix)


def test_ahp_rejects_mismatched_labels():
    matrix = pd.DataFrame(np.ones((2, 2)), index=["cost", "fit"], columns=["cost", "effort"])
    with pytest.raises(ScoringError, match="same criteria"):
        ahp_weights(matrix)


def test_ahp_rejects_more_than_fifteen_criteria():
    labels = [f"c{i}" for i in range(16)]
    matrix = pd.DataFrame(np.ones((16, 16)), index=labels, columns=labels)
    with pytest.raises(ScoringError, match="at most 15"):
        ahp_weights(matrix)


def test_judgements_fill_reciprocals_and_diagonal():
    matrix = ahp_matrix_from_judgements(
        ["cost", "fit", "effort"],
        {("cost", "fit"): 3, ("effort", "cost"): 0.5, ("fit", "effort"): 1},
    )
    assert matrix.loc["fit", "cost"] == pytest.approx(1 / 3)
    assert matrix.loc["cost", "effort"] == pytest.approx(2.0)
    assert (np.diag(matrix.to_numpy()) == 1).all()
    assert list(matrix.index) == list(matrix.columns) == ["cost", "fit", "effort"]


def test_judgements_reject_missing_unknown_and_contradictory_pairs():
    with pytest.raises(ScoringError, match=r"not compared: \('fit', 'effort'\)"):
        ahp_matrix_from_judgements(
            ["cost", "fit", "effort"], {("cost", "fit"): 3, ("cost", "effort"): 2}
        )
    with pytest.raises(ScoringError, match="unknown criterion 'price'"):
        ahp_matrix_from_judgements(["cost", "fit"], {("price", "fit"): 3})
    with pytest.raises(ScoringError, match="contradicts"):
        ahp_matrix_from_judgements(["cost", "fit"], {("cost", "fit"): 3, ("fit", "cost"): 3})


def test_direct_weights_normalize():
    weights = direct_weights({"cost": 50, "fit": 30, "effort": 20})
    assert weights.to_dict() == pytest.approx({"cost": 0.5, "fit": 0.3, "effort": 0.2})
    assert list(weights.index) == ["cost", "fit", "effort"]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"cost": -1, "fit": 2}, "negative"),
        ({"cost": 0, "fit": 0}, "all weights are zero"),
        ({"cost": float("nan"), "fit": 1}, "not a number"),
        ({}, "at least one"),
    ],
)
def test_direct_weights_reject_bad_input(values, message):
    with pytest.raises(ScoringError, match=message):
        direct_weights(values)


def test_rank_order_centroid_matches_barron_barrett_formula():
    # Barron & Barrett (1996), Management Science 42(11): for three criteria the ROC weights are
    # (1 + 1/2 + 1/3)/3, (1/2 + 1/3)/3, (1/3)/3 = 0.6111, 0.2778, 0.1111.
    weights = rank_order_centroid(["cost", "fit", "effort"])
    assert weights.round(4).to_dict() == {"cost": 0.6111, "fit": 0.2778, "effort": 0.1111}


def test_rank_order_centroid_rejects_repeats():
    with pytest.raises(ScoringError, match="twice"):
        rank_order_centroid(["cost", "fit", "cost"])


@given(st.integers(min_value=1, max_value=30))
def test_rank_order_centroid_sums_to_one_and_decreases(n):
    weights = rank_order_centroid([f"c{i}" for i in range(n)]).to_numpy()
    assert weights.sum() == pytest.approx(1.0)
    assert (np.diff(weights) < 0).all()


@given(
    st.lists(st.floats(min_value=0.05, max_value=1.0), min_size=3, max_size=6),
)
def test_ahp_on_any_consistent_matrix_returns_the_generating_weights(raw):
    truth = np.array(raw) / sum(raw)
    labels = [f"c{i}" for i in range(len(raw))]
    judgements = {
        (labels[i], labels[j]): truth[i] / truth[j]
        for i, j in itertools.combinations(range(len(raw)), 2)
    }
    result = ahp_weights(ahp_matrix_from_judgements(labels, judgements))
    np.testing.assert_allclose(result.weights.to_numpy(), truth, rtol=1e-8)
    assert result.consistent


def test_normalized_weights_divide_by_the_sum_in_the_given_order():
    # 3 / (3 + 1) = 0.75 and 1 / 4 = 0.25.
    weights = normalized_weights(["cost", "fit"], np.array([3.0, 1.0]))
    assert weights.tolist() == [0.75, 0.25]


@pytest.mark.parametrize(
    ("criteria", "values", "message"),
    [
        (["cost", "fit"], [-1.0, 2.0], "weight of 'cost' is negative"),
        (["cost", "fit"], [0.0, 0.0], "all weights are zero"),
        (["cost", "fit"], [1.0, float("inf")], "weight of 'fit' is not a number"),
        ([], [], "at least one"),
    ],
)
def test_normalized_weights_reject_what_direct_weights_rejects(criteria, values, message):
    with pytest.raises(ScoringError, match=message):
        normalized_weights(criteria, np.array(values, dtype=float))
    with pytest.raises(ScoringError, match=message):
        direct_weights(dict(zip(criteria, values, strict=True)))
