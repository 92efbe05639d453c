"""Tests for analyzer.sensitivity: Monte Carlo rank stability, tornado, weight-flip thresholds."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer import sensitivity
from analyzer.mcda import score, weighted_sum
from analyzer.sensitivity import (
    CostUncertainty,
    monte_carlo,
    tornado,
    weight_flip_thresholds,
)

MATRIX = pd.DataFrame(
    {
        "cost": [120_000.0, 95_000.0, 90_000.0, 84_000.0],
        "fit": [0.92, 0.81, 0.88, 0.70],
        "effort": [0.0, 10.0, 160.0, 140.0],
    },
    index=["stay", "downgrade", "switch_hubspot", "switch_zoho"],
)
DIRECTIONS = {"cost": "min", "fit": "max", "effort": "min"}
WEIGHTS = {"cost": 0.5, "fit": 0.3, "effort": 0.2}
COST_PARTS = pd.DataFrame(
    {
        "recurring": [120_000.0, 95_000.0, 60_000.0, 50_000.0],
        "one_time": [0.0, 0.0, 30_000.0, 34_000.0],
    },
    index=MATRIX.index,
)


def _loop_monte_carlo(matrix, directions, weights, cost_parts, samples, seed, method):
    """The same calculation one sample at a time through the public scoring API."""
    problem = sensitivity._Problem.build(matrix, directions, weights, method)
    rng = np.random.default_rng(seed)
    sampled, uplift, overrun = sensitivity._draw(
        rng, problem.weights, samples, 50.0, CostUncertainty()
    )
    counts = pd.DataFrame(0, index=matrix.index, columns=range(1, len(matrix) + 1))
    for k in range(samples):
        sample = matrix.copy()
        if cost_parts is not None:
            sample["cost"] = (
                cost_parts["recurring"] * uplift[k] + cost_parts["one_time"] * overrun[k]
            )
            sample["effort"] = matrix["effort"] * overrun[k]
        result = score(
            sample, dict(zip(matrix.columns, sampled[k], strict=True)), directions, method
        )
        for scenario, position in result.ranks.items():
            counts.loc[scenario, position] += 1
    return counts / samples


@pytest.mark.parametrize("method", ["weighted_sum", "topsis"])
@pytest.mark.parametrize("cost_parts", [None, COST_PARTS], ids=["weights-only", "with-costs"])
def test_vectorized_result_equals_a_per_sample_loop(method, cost_parts):
    result = monte_carlo(
        MATRIX, DIRECTIONS, WEIGHTS, cost_parts=cost_parts, samples=300, seed=7, method=method
    )
    expected = _loop_monte_carlo(MATRIX, DIRECTIONS, WEIGHTS, cost_parts, 300, 7, method)
    np.testing.assert_allclose(result.rank_distribution.to_numpy(), expected.to_numpy())


def test_result_shape_and_probabilities():
    result = monte_carlo(MATRIX, DIRECTIONS, WEIGHTS, cost_parts=COST_PARTS, samples=5_000)
    assert list(result.p_first.index) == list(MATRIX.index)
    assert list(result.rank_distribution.columns) == [1, 2, 3, 4]
    assert result.p_first.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(result.rank_distribution.sum(axis=1), 1.0)
    np.testing.assert_allclose(result.rank_distribution.sum(axis=0), 1.0)
    pd.testing.assert_series_equal(result.p_first, result.rank_distribution[1], check_names=False)
    expected_rank = (result.rank_distribution * [1, 2, 3, 4]).sum(axis=1)
    np.testing.assert_allclose(result.expected_rank, expected_rank)
    assert (result.samples, result.seed) == (5_000, 0)


def test_same_seed_same_result_and_other_seed_differs():
    run = lambda seed: monte_carlo(  # noqa: E731
        MATRIX, DIRECTIONS, WEIGHTS, cost_parts=COST_PARTS, samples=2_000, seed=seed
    )
    pd.testing.assert_frame_equal(run(3).rank_distribution, run(3).rank_distribution)
    assert not run(3).rank_distribution.equals(run(4).rank_distribution)


def test_result_does_not_depend_on_chunk_size(monkeypatch):
    base = monte_carlo(MATRIX, DIRECTIONS, WEIGHTS, cost_parts=COST_PARTS, samples=1_000)
    monkeypatch.setattr(sensitivity, "CHUNK_SIZE", 37)
    chunked = monte_carlo(MATRIX, DIRECTIONS, WEIGHTS, cost_parts=COST_PARTS, samples=1_000)
    pd.testing.assert_frame_equal(base.rank_distribution, chunked.rank_distribution)


def test_progress_is_reported_per_chunk():
    seen: list[float] = []
    monte_carlo(MATRIX, DIRECTIONS, WEIGHTS, samples=5_000, progress=seen.append)
    assert len(seen) == math.ceil(5_000 / sensitivity.CHUNK_SIZE)
    assert seen == sorted(seen)
    assert seen[-1] == 1.0


def test_zero_weight_stays_zero():
    rng = np.random.default_rng(0)
    weights, _, _ = sensitivity._draw(
        rng, np.array([0.6, 0.0, 0.4]), 1_000, 50.0, CostUncertainty()
    )
    assert (weights[:, 1] == 0).all()
    np.testing.assert_allclose(weights.sum(axis=1), 1.0)
    # Dirichlet(50 x w) is centred on w.
    np.testing.assert_allclose(weights.mean(axis=0), [0.6, 0.0, 0.4], atol=0.01)


def test_sampled_costs_follow_the_formula():
    problem = sensitivity._Problem.build(MATRIX, DIRECTIONS, WEIGHTS, "weighted_sum", COST_PARTS)
    uplift, overrun = np.array([1.0, 1.1]), np.array([1.0, 1.5])
    values = sensitivity._sampled_values(problem, problem.cost_parts, uplift, overrun)
    scenarios = list(problem.index)
    hubspot = scenarios.index("switch_hubspot")
    assert values[0, hubspot].tolist() == [90_000.0, 0.88, 160.0]
    assert values[1, hubspot].tolist() == pytest.approx([60_000 * 1.1 + 30_000 * 1.5, 0.88, 240.0])


def test_overrun_is_asymmetric_by_default():
    rng = np.random.default_rng(1)
    _, uplift, overrun = sensitivity._draw(rng, np.array([1.0]), 20_000, 50.0, CostUncertainty())
    assert overrun.min() >= 1.0
    assert overrun.max() <= 1.6
    assert overrun.mean() == pytest.approx((1.0 + 1.2 + 1.6) / 3, abs=0.01)
    assert uplift.min() >= 0.9 and uplift.max() <= 1.2


def test_high_concentration_without_cost_noise_keeps_a_clear_winner():
    result = monte_carlo(MATRIX, DIRECTIONS, WEIGHTS, samples=2_000, concentration=1e6)
    winner = weighted_sum(MATRIX, WEIGHTS, DIRECTIONS).ranks.idxmin()
    assert result.p_first[winner] == 1.0


def test_migration_overrun_hurts_switch_scenarios():
    calm = monte_carlo(
        MATRIX,
        DIRECTIONS,
        WEIGHTS,
        cost_parts=COST_PARTS,
        uncertainty=CostUncertainty(uplift_range=(1.0, 1.0), migration_overrun=(1.0, 1.0, 1.0)),
        samples=2_000,
    )
    overrun = monte_carlo(
        MATRIX,
        DIRECTIONS,
        WEIGHTS,
        cost_parts=COST_PARTS,
        uncertainty=CostUncertainty(uplift_range=(1.0, 1.0), migration_overrun=(1.5, 1.8, 2.5)),
        samples=2_000,
    )
    switching = ["switch_hubspot", "switch_zoho"]
    assert overrun.expected_rank[switching].mean() > calm.expected_rank[switching].mean()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"samples": 0}, "samples"),
        ({"concentration": 0}, "concentration"),
        ({"method": "vikor"}, "method"),
        ({"cost_parts": COST_PARTS.drop("stay")}, "no row for scenario 'stay'"),
        ({"cost_parts": COST_PARTS.assign(one_time=0.0)}, "does not equal"),
        ({"cost_parts": COST_PARTS.drop(columns="one_time")}, "'one_time'"),
    ],
)
def test_monte_carlo_rejects_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        monte_carlo(MATRIX, DIRECTIONS, WEIGHTS, **kwargs)


def test_cost_uncertainty_validates_ranges():
    with pytest.raises(ValueError, match="uplift_range"):
        CostUncertainty(uplift_range=(1.2, 0.9))
    with pytest.raises(ValueError, match="migration_overrun"):
        CostUncertainty(migration_overrun=(1.0, 2.0, 1.5))


@given(
    st.integers(1, 300),
    st.integers(0, 2**32 - 1),
    st.floats(0.5, 500),
    st.sampled_from(["weighted_sum", "topsis"]),
)
@settings(max_examples=40, deadline=None)
def test_probabilities_always_sum_to_one(samples, seed, concentration, method):
    result = monte_carlo(
        MATRIX,
        DIRECTIONS,
        WEIGHTS,
        cost_parts=COST_PARTS,
        samples=samples,
        seed=seed,
        concentration=concentration,
        method=method,
    )
    assert result.p_first.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(result.rank_distribution.sum(axis=1), 1.0)


# --- tornado ---------------------------------------------------------------------------------


def _lead(matrix, weights, directions, winner, method="weighted_sum"):
    scores = score(matrix, weights, directions, method).scores
    return scores[winner] - scores.drop(winner).max()


@pytest.mark.parametrize("method", ["weighted_sum", "topsis"])
def test_tornado_values_are_the_winners_lead(method):
    table = tornado(MATRIX, DIRECTIONS, WEIGHTS, swing=0.5, method=method)
    assert list(table.columns) == [
        "criterion",
        "low_weight",
        "high_weight",
        "low_value",
        "high_value",
        "base_value",
        "span",
    ]
    assert table["span"].is_monotonic_decreasing
    winner = score(MATRIX, WEIGHTS, DIRECTIONS, method).ranks.idxmin()
    assert table["base_value"].iloc[0] == pytest.approx(
        _lead(MATRIX, WEIGHTS, DIRECTIONS, winner, method)
    )
    cost = table.set_index("criterion").loc["cost"]
    assert (cost.low_weight, cost.high_weight) == pytest.approx((0.25, 0.75))
    # Lowering cost to 0.25 leaves 0.75 for fit and effort in their 3:2 proportion.
    low = {"cost": 0.25, "fit": 0.45, "effort": 0.30}
    assert cost.low_value == pytest.approx(_lead(MATRIX, low, DIRECTIONS, winner, method))
    assert cost.span == pytest.approx(abs(cost.high_value - cost.low_value))


def test_tornado_caps_weights_at_one_and_needs_two_scenarios():
    table = tornado(MATRIX, DIRECTIONS, {"cost": 0.8, "fit": 0.1, "effort": 0.1}, swing=0.5)
    assert table.set_index("criterion").loc["cost", "high_weight"] == 1.0
    with pytest.raises(ValueError, match="two scenarios"):
        tornado(MATRIX.iloc[:1], DIRECTIONS, WEIGHTS)


# --- weight-flip thresholds ------------------------------------------------------------------


def test_flip_threshold_matches_the_analytic_answer():
    # Two scenarios, two criteria, min-max normalized: cheap scores w_cost, rich scores w_fit,
    # so the winner changes where w_cost = w_fit = 0.5.
    matrix = pd.DataFrame({"cost": [1.0, 2.0], "fit": [0.0, 1.0]}, index=["cheap", "rich"])
    directions = {"cost": "min", "fit": "max"}
    table = weight_flip_thresholds(matrix, directions, {"cost": 0.7, "fit": 0.3})
    rows = table.set_index("criterion")
    assert rows.loc["cost", "flip_weight"] == pytest.approx(0.5, abs=1e-8)
    assert rows.loc["cost", "change"] == pytest.approx(-0.2, abs=1e-8)
    assert rows.loc["fit", "change"] == pytest.approx(0.2, abs=1e-8)
    assert set(table["new_winner"]) == {"rich"}
    assert list(table.columns) == [
        "criterion",
        "base_weight",
        "flip_weight",
        "change",
        "new_winner",
    ]


def test_no_flip_when_the_winner_dominates():
    matrix = pd.DataFrame({"cost": [1.0, 2.0], "fit": [1.0, 0.0]}, index=["best", "worst"])
    table = weight_flip_thresholds(matrix, {"cost": "min", "fit": "max"}, {"cost": 1, "fit": 1})
    assert table["flip_weight"].isna().all()
    assert table["change"].isna().all()
    assert table["new_winner"].isna().all()


@pytest.mark.parametrize("method", ["weighted_sum", "topsis"])
@pytest.mark.parametrize("seed", range(6))
def test_flip_thresholds_are_real_and_sorted(method, seed):
    rng = np.random.default_rng(seed)
    matrix = pd.DataFrame(
        rng.uniform(1, 100, size=(6, 3)),
        index=[f"s{i}" for i in range(6)],
        columns=["cost", "fit", "effort"],
    )
    weights = dict(zip(matrix.columns, rng.dirichlet(np.ones(3)), strict=True))
    base_winner = score(matrix, weights, DIRECTIONS, method).ranks.idxmin()
    table = weight_flip_thresholds(matrix, DIRECTIONS, weights, method)
    changes = table["change"].abs().dropna()
    assert changes.is_monotonic_increasing
    for row in table.dropna(subset=["change"]).itertuples():
        position = list(matrix.columns).index(row.criterion)
        base = np.array(list(weights.values()))

        def winner(weight, position=position, base=base):
            vector = sensitivity._reweighted(base, position, np.array([weight]))[0]
            ranks = score(
                matrix, dict(zip(matrix.columns, vector, strict=True)), DIRECTIONS, method
            )
            return ranks.ranks.idxmin()

        assert winner(row.flip_weight) == row.new_winner != base_winner
        # Just short of the threshold the base winner still wins.
        assert winner(row.flip_weight - math.copysign(1e-6, row.change)) == base_winner
