"""Tests for analyzer.sensitivity: Monte Carlo rank stability, tornado, weight-flip thresholds."""

from __future__ import annotations

import math
import tracemalloc

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer import sensitivity
from analyzer.errors import ScoringError
from analyzer.scoring import ScoreAnchors, ranking_model, score_scenarios
from analyzer.sensitivity import (
    CostUncertainty,
    RankingModel,
    monte_carlo,
    tornado,
    weight_flip_thresholds,
)

SCENARIOS = pd.DataFrame(
    {
        "status": ["ok", "ok", "ok", "ok", "infeasible"],
        "npv": [300_000.0, 240_000.0, 236_000.0, 225_000.0, np.nan],
        "recurring_npv": [300_000.0, 240_000.0, 180_000.0, 160_000.0, np.nan],
        "fit": [0.92, 0.81, 0.88, 0.70, np.nan],
        "one_time_total": [0.0, 0.0, 56_000.0, 65_000.0, np.nan],
        "project_months": [0, 0, 4, 6, 3],
    },
    index=["stay", "downgrade", "switch:hubspot", "switch:zoho", "switch:odoo"],
)
ANCHORS = ScoreAnchors(stay_npv=300_000.0, annual_spend=100_000.0)
WEIGHTS = {"cost": 0.5, "fit": 0.3, "effort": 0.2}
RANKED = ["stay", "downgrade", "switch:hubspot", "switch:zoho"]
CALM = CostUncertainty(uplift_range=(1.0, 1.0), migration_overrun=(1.0, 1.0, 1.0))


def model(method="weighted_sum", weights=WEIGHTS, scenarios=SCENARIOS):
    return ranking_model(scenarios, weights, ANCHORS, method)


def _loop_monte_carlo(samples, seed, method, uncertainty):
    """The same draws, applied one sample at a time through the public scoring API."""
    streams = sensitivity._Streams.seeded(seed)
    weights = model(method).weights
    sampled, uplift, ratio = sensitivity._draw(streams, weights, samples, 50.0, uncertainty)
    counts = pd.DataFrame(0, index=RANKED, columns=range(1, len(RANKED) + 1))
    for k in range(samples):
        frame = SCENARIOS.copy()
        one_time_npv = frame["npv"] - frame["recurring_npv"]
        frame["npv"] = frame["recurring_npv"] * uplift[k] + one_time_npv * ratio[k]
        frame["one_time_total"] = SCENARIOS["one_time_total"] * ratio[k]
        result = score_scenarios(
            frame, dict(zip(["cost", "fit", "effort"], sampled[k], strict=True)), ANCHORS, method
        )
        for scenario, position in result.ranks.items():
            counts.loc[scenario, position] += 1
    return counts / samples


@pytest.mark.parametrize("method", ["weighted_sum", "topsis"])
@pytest.mark.parametrize("uncertainty", [CALM, CostUncertainty()], ids=["weights", "costs"])
def test_vectorized_result_equals_a_per_sample_loop(method, uncertainty):
    result = monte_carlo(model(method), uncertainty=uncertainty, samples=80, seed=7)
    expected = _loop_monte_carlo(80, 7, method, uncertainty)
    np.testing.assert_allclose(result.rank_distribution.to_numpy(), expected.to_numpy())


TIED = pd.concat(
    [
        SCENARIOS,
        pd.DataFrame(
            {
                "status": ["ok", "ok", "ok"],
                # A copy of hubspot (ties on everything, alphabetical order decides), and two
                # options dearer than twice Stay (cost value 0 unless the uplift draw is low)
                # with the same fit and no one-time cost: they tie on the score, and then the
                # lower NPV (dear-b) wins although dear-a comes first alphabetically.
                "npv": [236_000.0, 700_000.0, 650_000.0],
                "recurring_npv": [180_000.0, 700_000.0, 650_000.0],
                "fit": [0.88, 0.95, 0.95],
                "one_time_total": [56_000.0, 0.0, 0.0],
                "project_months": [4, 0, 0],
            },
            index=["switch:hubspot-copy", "switch:dear-a", "switch:dear-b"],
        ),
    ]
)


def _reference_rank_counts(scenarios, weights, uncertainty, samples, seed):
    """Rank counts of a plain Python loop: DESIGN section 6's value functions written out.

    Only the random draws are the library's (so both see the same samples); every value,
    score and ranking is computed here, one sample and one scenario at a time.
    """
    ranked = scenarios[scenarios["status"] == "ok"]
    base = np.array([weights[c] for c in ("cost", "fit", "effort")], dtype=float)
    streams = sensitivity._Streams.seeded(seed)
    drawn, uplift, ratio = sensitivity._draw(streams, base / base.sum(), samples, 50.0, uncertainty)
    counts = {(sid, r): 0 for sid in ranked.index for r in range(1, len(ranked) + 1)}
    for k in range(samples):
        keys = []
        for sid, row in ranked.iterrows():
            npv = row["recurring_npv"] * uplift[k] + (row["npv"] - row["recurring_npv"]) * ratio[k]
            one_time = row["one_time_total"] * ratio[k]
            cost = min(1.0, max(0.0, 0.5 + 0.5 * ((ANCHORS.stay_npv - npv) / ANCHORS.stay_npv)))
            effort_share = (one_time / ANCHORS.annual_spend + row["project_months"] / 12) / 2
            effort = 1.0 - min(1.0, max(0.0, effort_share))
            score = drawn[k, 0] * cost + drawn[k, 1] * row["fit"] + drawn[k, 2] * effort
            # Higher score (to 12 decimals), then lower NPV, then scenario id.
            keys.append((-round(score, 12), npv, sid))
        for rank, (_, _, sid) in enumerate(sorted(keys), start=1):
            counts[sid, rank] += 1
    return pd.Series(counts).unstack()


@pytest.mark.parametrize("scenarios", [SCENARIOS, TIED], ids=["distinct", "tied"])
@pytest.mark.parametrize("uncertainty", [CALM, CostUncertainty()], ids=["weights", "costs"])
def test_rank_counts_equal_a_plain_python_reference(scenarios, uncertainty, monkeypatch):
    # Blocks of 7 samples: the result must not depend on how the samples are cut up.
    monkeypatch.setattr(sensitivity, "BLOCK_CELLS", 7 * len(scenarios))
    result = monte_carlo(model(scenarios=scenarios), uncertainty=uncertainty, samples=300, seed=13)
    expected = _reference_rank_counts(scenarios, WEIGHTS, uncertainty, 300, 13)
    counts = (result.rank_distribution * 300).round().astype(int)
    pd.testing.assert_frame_equal(
        counts.loc[expected.index], expected, check_names=False, check_column_type=False
    )
    if scenarios is TIED:
        # In every sample the copy ranks right after hubspot, and dear-b before dear-a.
        ranks = result.expected_rank
        assert ranks["switch:hubspot-copy"] == pytest.approx(ranks["switch:hubspot"] + 1)
        assert ranks["switch:dear-a"] == pytest.approx(ranks["switch:dear-b"] + 1)


def test_block_size_bounds_the_cells_of_a_block():
    assert sensitivity.block_size(3) == sensitivity.CHUNK_SIZE == 2_000
    # 16,000 cells / 66 scenarios = 242.4: 242 samples per block.
    assert sensitivity.block_size(66) == 242
    assert sensitivity.block_size(10**6) == 1


def test_memory_does_not_grow_with_the_sample_count():
    def peak(samples):
        tracemalloc.start()
        monte_carlo(model(), samples=samples, seed=1)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    # Ten times the samples, same blocks: the peak stays within a few block-sized arrays.
    small, large = peak(20_000), peak(200_000)
    assert large < 2 * small + 1_000_000


def test_result_shape_and_probabilities():
    result = monte_carlo(model(), samples=5_000)
    assert list(result.p_first.index) == RANKED
    assert list(result.rank_distribution.columns) == [1, 2, 3, 4]
    assert result.p_first.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(result.rank_distribution.sum(axis=1), 1.0)
    np.testing.assert_allclose(result.rank_distribution.sum(axis=0), 1.0)
    pd.testing.assert_series_equal(result.p_first, result.rank_distribution[1], check_names=False)
    expected_rank = (result.rank_distribution * [1, 2, 3, 4]).sum(axis=1)
    np.testing.assert_allclose(result.expected_rank, expected_rank)
    assert (result.samples, result.seed) == (5_000, 0)


def test_same_seed_same_result_and_other_seed_differs():
    run = lambda seed: monte_carlo(model(), samples=2_000, seed=seed)  # noqa: E731
    pd.testing.assert_frame_equal(run(3).rank_distribution, run(3).rank_distribution)
    assert not run(3).rank_distribution.equals(run(4).rank_distribution)


def test_result_does_not_depend_on_chunk_size(monkeypatch):
    base = monte_carlo(model(), samples=1_000, seed=5)
    monkeypatch.setattr(sensitivity, "CHUNK_SIZE", 37)
    chunked = monte_carlo(model(), samples=1_000, seed=5)
    pd.testing.assert_frame_equal(base.rank_distribution, chunked.rank_distribution)


def test_progress_is_reported_per_chunk():
    seen: list[float] = []
    monte_carlo(model(), samples=5_000, progress=seen.append)
    assert len(seen) == math.ceil(5_000 / sensitivity.CHUNK_SIZE)
    assert seen == sorted(seen)
    assert seen[-1] == 1.0


def test_zero_weight_stays_zero():
    streams = sensitivity._Streams.seeded(0)
    weights, _, _ = sensitivity._draw(
        streams, np.array([0.6, 0.0, 0.4]), 1_000, 50.0, CostUncertainty()
    )
    assert (weights[:, 1] == 0).all()
    np.testing.assert_allclose(weights.sum(axis=1), 1.0)
    # Dirichlet(50 x w) is centred on w.
    np.testing.assert_allclose(weights.mean(axis=0), [0.6, 0.0, 0.4], atol=0.01)


def test_sampled_costs_follow_the_formula():
    built = model()
    columns = built.sampled_columns(np.array([1.0, 1.1]), np.array([1.0, 1.5]))
    hubspot = list(built.index).index("switch:hubspot")
    # recurring 180,000 and one-time part 236,000 - 180,000 = 56,000.
    assert columns["npv"][:, hubspot].tolist() == pytest.approx([236_000, 180_000 * 1.1 + 84_000])
    assert columns["one_time_total"][:, hubspot].tolist() == pytest.approx([56_000, 84_000])
    assert columns["fit"][hubspot] == 0.88


def test_overrun_covers_the_whole_triangle_relative_to_the_most_likely_value():
    streams = sensitivity._Streams.seeded(1)
    _, uplift, ratio = sensitivity._draw(streams, np.array([1.0]), 20_000, 50.0, CostUncertainty())
    # Triangle (1.0, 1.2, 1.6) divided by its mode 1.2: from 1/1.2 to 1.6/1.2, mean 1.2667/1.2.
    assert ratio.min() >= 1.0 / 1.2
    assert ratio.max() <= 1.6 / 1.2
    assert ratio.min() < 0.86 and ratio.max() > 1.3
    assert ratio.mean() == pytest.approx((1.0 + 1.2 + 1.6) / 3 / 1.2, abs=0.01)
    assert uplift.min() >= 0.9 and uplift.max() <= 1.2


def test_high_concentration_without_cost_noise_keeps_the_scored_winner():
    result = monte_carlo(model(), uncertainty=CALM, samples=2_000, concentration=1e6)
    winner = score_scenarios(SCENARIOS, WEIGHTS, ANCHORS).ranks.idxmin()
    assert result.p_first[winner] == 1.0


def test_migration_overrun_hurts_switch_scenarios():
    calm = monte_carlo(model(), uncertainty=CALM, samples=2_000)
    overrun = monte_carlo(
        model(),
        uncertainty=CostUncertainty(uplift_range=(1.0, 1.0), migration_overrun=(1.0, 1.0, 3.0)),
        samples=2_000,
    )
    switching = ["switch:hubspot", "switch:zoho"]
    assert overrun.expected_rank[switching].mean() > calm.expected_rank[switching].mean()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"samples": 0}, "samples"), ({"samples": 2.5}, "samples"), ({"concentration": 0}, "conc")],
)
def test_monte_carlo_rejects_bad_input(kwargs, message):
    with pytest.raises(ScoringError, match=message):
        monte_carlo(model(), **kwargs)


def test_model_rejects_an_unknown_method():
    with pytest.raises(ScoringError, match="method"):
        model("vikor")


def test_cost_uncertainty_validates_ranges():
    with pytest.raises(ScoringError, match="uplift_range"):
        CostUncertainty(uplift_range=(1.2, 0.9))
    with pytest.raises(ScoringError, match="migration_overrun"):
        CostUncertainty(migration_overrun=(1.0, 2.0, 1.5))
    with pytest.raises(ScoringError, match="above 0"):
        CostUncertainty(migration_overrun=(0.0, 0.0, 0.0))


@given(
    st.integers(1, 300),
    st.integers(0, 2**32 - 1),
    st.floats(0.5, 500),
    st.sampled_from(["weighted_sum", "topsis"]),
)
@settings(max_examples=40, deadline=None)
def test_probabilities_always_sum_to_one(samples, seed, concentration, method):
    result = monte_carlo(model(method), samples=samples, seed=seed, concentration=concentration)
    assert result.p_first.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(result.rank_distribution.sum(axis=1), 1.0)


def test_an_unrelated_option_leaves_the_others_samples_alone():
    # Absolute scores: each sample ranks the others in the same order whether or not a
    # dominated option is present, so their first-place shares are unchanged.
    hopeless = pd.DataFrame(
        {
            "status": ["ok"],
            "npv": [900_000.0],
            "recurring_npv": [900_000.0],
            "fit": [0.0],
            "one_time_total": [400_000.0],
            "project_months": [24],
        },
        index=["switch:hopeless"],
    )
    base = monte_carlo(model(), samples=2_000, seed=11)
    more = monte_carlo(model(scenarios=pd.concat([SCENARIOS, hopeless])), samples=2_000, seed=11)
    assert more.p_first["switch:hopeless"] == 0.0
    pd.testing.assert_series_equal(more.p_first.drop("switch:hopeless"), base.p_first)


# --- tornado ---------------------------------------------------------------------------------


def _lead(weights, winner, method="weighted_sum"):
    scores = score_scenarios(SCENARIOS, weights, ANCHORS, method).scores
    return scores[winner] - scores.drop(winner).max()


@pytest.mark.parametrize("method", ["weighted_sum", "topsis"])
def test_tornado_values_are_the_winners_lead(method):
    table = tornado(model(method), swing=0.5)
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
    winner = score_scenarios(SCENARIOS, WEIGHTS, ANCHORS, method).ranks.idxmin()
    assert table["base_value"].iloc[0] == pytest.approx(_lead(WEIGHTS, winner, method))
    cost = table.set_index("criterion").loc["cost"]
    assert (cost.low_weight, cost.high_weight) == pytest.approx((0.25, 0.75))
    # Lowering cost to 0.25 leaves 0.75 for fit and effort in their 3:2 proportion.
    low = {"cost": 0.25, "fit": 0.45, "effort": 0.30}
    assert cost.low_value == pytest.approx(_lead(low, winner, method))
    assert cost.span == pytest.approx(abs(cost.high_value - cost.low_value))


def test_tornado_caps_weights_at_one_and_needs_two_scenarios():
    table = tornado(model(weights={"cost": 0.8, "fit": 0.1, "effort": 0.1}), swing=0.5)
    assert table.set_index("criterion").loc["cost", "high_weight"] == 1.0
    alone = RankingModel.build(
        pd.DataFrame({"npv": [1.0]}, index=["stay"]),
        lambda c: np.stack([c["npv"] * 0], axis=-1),
        ["cost"],
        {"cost": 1},
    )
    with pytest.raises(ScoringError, match="two scenarios"):
        tornado(alone)


# --- weight-flip thresholds ------------------------------------------------------------------


def _two_criteria_model(values: dict[str, tuple[float, float]], weights, method="weighted_sum"):
    """A model whose values are given directly: {scenario: (cost value, fit value)}."""
    table = pd.DataFrame(values, index=["cost", "fit"]).T
    table["npv"] = 1.0 - table["cost"]

    def values_of(columns):
        return np.stack(np.broadcast_arrays(columns["cost"], columns["fit"]), axis=-1)

    return RankingModel.build(table, values_of, ["cost", "fit"], weights, method)


def test_flip_threshold_matches_the_analytic_answer():
    # cheap scores w_cost, rich scores w_fit, so the winner changes where w_cost = w_fit = 0.5.
    built = _two_criteria_model(
        {"cheap": (1.0, 0.0), "rich": (0.0, 1.0)}, {"cost": 0.7, "fit": 0.3}
    )
    table = weight_flip_thresholds(built)
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


def test_flip_threshold_with_three_options_takes_the_first_crossing():
    # Values (cost, fit): a (0.9, 0.2), b (0.6, 0.6), c (0.2, 0.9); weights cost 0.8, fit 0.2.
    # Scores at cost weight t: a = 0.2 + 0.7 t, b = 0.6, c = 0.9 - 0.7 t. a wins at t = 0.8
    # (0.76). Lowering t: a meets b at t = 4/7 = 0.5714 (both 0.6), long before c at 0.5.
    built = _two_criteria_model(
        {"a": (0.9, 0.2), "b": (0.6, 0.6), "c": (0.2, 0.9)}, {"cost": 0.8, "fit": 0.2}
    )
    rows = weight_flip_thresholds(built).set_index("criterion")
    assert rows.loc["cost", "flip_weight"] == pytest.approx(4 / 7, abs=1e-8)
    assert rows.loc["cost", "new_winner"] == "b"
    # The fit weight is 1 - t: it must rise to 3/7.
    assert rows.loc["fit", "flip_weight"] == pytest.approx(3 / 7, abs=1e-8)


def test_no_flip_when_the_winner_dominates():
    built = _two_criteria_model({"best": (1.0, 1.0), "worst": (0.0, 0.0)}, {"cost": 1, "fit": 1})
    table = weight_flip_thresholds(built)
    assert table["flip_weight"].isna().all()
    assert table["change"].isna().all()
    assert table["new_winner"].isna().all()


def _random_scenarios(rng, n=6):
    npv = rng.uniform(100_000, 500_000, n)
    return pd.DataFrame(
        {
            "status": "ok",
            "npv": npv,
            "recurring_npv": npv,
            "fit": rng.uniform(0, 1, n),
            "one_time_total": rng.uniform(0, 150_000, n),
            "project_months": rng.integers(0, 12, n),
        },
        index=[f"s{i}" for i in range(n)],
    )


@pytest.mark.parametrize("method", ["weighted_sum", "topsis"])
@pytest.mark.parametrize("seed", range(6))
def test_flip_thresholds_are_real_and_sorted(method, seed):
    rng = np.random.default_rng(seed)
    scenarios = _random_scenarios(rng)
    weights = dict(zip(["cost", "fit", "effort"], rng.dirichlet(np.ones(3)), strict=True))
    built = ranking_model(scenarios, weights, ANCHORS, method)
    base_winner = score_scenarios(scenarios, weights, ANCHORS, method).ranks.idxmin()
    table = weight_flip_thresholds(built)
    changes = table["change"].abs().dropna()
    assert changes.is_monotonic_increasing
    for row in table.dropna(subset=["change"]).itertuples():
        position = ["cost", "fit", "effort"].index(row.criterion)
        base = np.array(list(weights.values()))

        def winner(weight, position=position, base=base):
            vector = sensitivity._reweighted(base, position, np.array([weight]))[0]
            result = score_scenarios(
                scenarios,
                dict(zip(["cost", "fit", "effort"], vector, strict=True)),
                ANCHORS,
                method,
            )
            return result.ranks.idxmin()

        assert winner(row.flip_weight) == row.new_winner != base_winner
        # Just short of the threshold the base winner still wins.
        assert winner(row.flip_weight - math.copysign(1e-6, row.change)) == base_winner


@pytest.mark.parametrize("seed", range(8))
def test_closed_form_flips_agree_with_bisection(seed):
    rng = np.random.default_rng(100 + seed)
    scenarios = _random_scenarios(rng, n=int(rng.integers(2, 8)))
    weights = dict(zip(["cost", "fit", "effort"], rng.dirichlet(np.ones(3)), strict=True))
    built = ranking_model(scenarios, weights, ANCHORS)
    base_winner = int(built.winners(built.weights[None, :])[0])
    for position in range(3):

        def winner_at(new, position=position):
            return built.winners(sensitivity._reweighted(built.weights, position, new))

        closed = sensitivity._linear_flips(built, position, base_winner, winner_at)
        bisected = sensitivity._grid_flips(built, position, base_winner, winner_at)
        assert len(closed) == len(bisected)
        for (w_closed, who_closed), (w_bisected, who_bisected) in zip(
            sorted(closed), sorted(bisected), strict=True
        ):
            assert w_closed == pytest.approx(w_bisected, abs=1e-7)
            assert who_closed == who_bisected


def test_a_model_of_columns_equals_the_model_of_the_table():
    table = SCENARIOS.iloc[:4][["npv", "recurring_npv", "fit", "one_time_total", "project_months"]]
    built = model()
    of_columns = RankingModel.of_columns(
        table.index,
        {c: table[c].to_numpy(dtype=float) for c in table.columns},
        built.values_of,
        ["cost", "fit", "effort"],
        WEIGHTS,
    )
    # Alphabetical: downgrade, stay, switch:hubspot, switch:zoho; the table lists stay first.
    assert of_columns.ids == ("downgrade", "stay", "switch:hubspot", "switch:zoho")
    assert of_columns.order.tolist() == [1, 0, 2, 3]
    assert list(of_columns.index) == list(built.index) == list(of_columns.ids)
    assert list(of_columns.table_index) == RANKED
    np.testing.assert_array_equal(of_columns.values, built.values)
    np.testing.assert_array_equal(of_columns.weights, built.weights)
    # npv in alphabetical order: downgrade 240,000, stay 300,000, hubspot 236,000, zoho 225,000.
    assert of_columns.columns["npv"].tolist() == [240_000.0, 300_000.0, 236_000.0, 225_000.0]


def test_winners_are_the_first_of_the_full_ranking():
    built = model(scenarios=TIED)
    weights = np.random.default_rng(5).dirichlet([5.0, 3.0, 2.0], size=400)
    scores = built.scores(built.values, weights)
    first = built.ranking(built.columns["npv"], scores)[:, 0]
    np.testing.assert_array_equal(built.winners(weights), first)
