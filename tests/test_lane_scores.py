"""The Monte Carlo's weighted sums of unstacked values equal einsum's to the bit.

:func:`analyzer.mcda._wsm_lane_scores` adds the products in the order of einsum's vector code
(``(p0 + p2) + p1`` for three criteria) instead of stacking the values for einsum. The
reference is the einsum path itself (:func:`analyzer.mcda._wsm_scores` of the stacked values);
a plain left-to-right sum would differ in the last bit for about a quarter of random values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from analyzer import mcda, sensitivity
from analyzer.scoring import ScoreAnchors, ranking_model

UNIT = st.floats(0, 1, allow_subnormal=False)


@st.composite
def unstacked(draw):
    """Values ``[samples, scenarios]`` or ``[scenarios]`` per criterion, and weights."""
    criteria = draw(st.integers(1, mcda.EINSUM_LANES))
    samples, scenarios = draw(st.integers(1, 30)), draw(st.integers(1, 15))
    parts = [
        draw(
            arrays(
                np.float64,
                (samples, scenarios) if draw(st.booleans()) else scenarios,
                elements=UNIT,
            )
        )
        for _ in range(criteria)
    ]
    weights = draw(arrays(np.float64, (samples, criteria), elements=UNIT))
    return parts, weights


def stacked(parts: list[np.ndarray], samples: int) -> np.ndarray:
    """The ``[samples, scenarios, criteria]`` array einsum reads."""
    shape = (samples, max(part.shape[-1] for part in parts))
    return np.stack([np.broadcast_to(part, shape) for part in parts], axis=-1)


def test_this_machine_adds_like_einsum_for_the_registry_criteria():
    # The analysis scores three criteria; the fast path is what these tests check.
    assert mcda.lane_sums_are_einsums(3)


@settings(max_examples=300, deadline=None)
@given(unstacked())
def test_lane_scores_are_einsum_scores_to_the_bit(case):
    parts, weights = case
    if not mcda.lane_sums_are_einsums(len(parts)):
        pytest.skip("this machine's einsum adds in another order")
    expected = mcda._wsm_scores(stacked(parts, weights.shape[0]), weights)
    got = mcda._wsm_lane_scores(parts, weights)
    assert got.shape == expected.shape
    # Equal as numbers (a zero's sign aside), and the same bits for every other value.
    np.testing.assert_array_equal(got, expected)
    nonzero = expected != 0
    assert (got[nonzero].view(np.int64) == expected[nonzero].view(np.int64)).all()


def test_a_plain_sum_is_not_einsums_order():
    # Why the order matters: on random values a left-to-right sum differs in the last bit.
    generator = np.random.default_rng(5)
    values = generator.random((400, 13, 3))
    weights = generator.dirichlet(np.ones(3), size=400)
    plain = sum(values[..., c] * weights[:, c, None] for c in range(3))
    assert (plain != mcda._wsm_scores(values, weights)).any()
    parts = [values[..., c] for c in range(3)]
    np.testing.assert_array_equal(
        mcda._wsm_lane_scores(parts, weights), mcda._wsm_scores(values, weights)
    )


def test_probe_refuses_more_criteria_than_lanes():
    assert not mcda.lane_sums_are_einsums(0)
    assert not mcda.lane_sums_are_einsums(mcda.EINSUM_LANES + 1)


# Four options, and the same with a copy of one (tied in every sample) and two options so
# dear that they tie on the score and are ordered by NPV.
SCENARIOS = pd.DataFrame(
    {
        "status": ["ok", "ok", "ok", "ok"],
        "npv": [300_000.0, 240_000.0, 236_000.0, 225_000.0],
        "recurring_npv": [300_000.0, 240_000.0, 180_000.0, 160_000.0],
        "fit": [0.92, 0.81, 0.88, 0.70],
        "one_time_total": [0.0, 0.0, 56_000.0, 65_000.0],
        "project_months": [0, 0, 4, 6],
    },
    index=["stay", "downgrade", "switch:hubspot", "switch:zoho"],
)
TIED = pd.concat(
    [
        SCENARIOS,
        SCENARIOS.loc[["switch:hubspot"]].set_axis(["switch:hubspot-copy"]),
        pd.DataFrame(
            {
                "status": ["ok", "ok"],
                "npv": [700_000.0, 650_000.0],
                "recurring_npv": [700_000.0, 650_000.0],
                "fit": [0.95, 0.95],
                "one_time_total": [0.0, 0.0],
                "project_months": [0, 0],
            },
            index=["switch:dear-a", "switch:dear-b"],
        ),
    ]
)
ANCHORS = ScoreAnchors(stay_npv=300_000.0, annual_spend=100_000.0)
WEIGHTS = {"cost": 0.5, "fit": 0.3, "effort": 0.2}


@pytest.mark.parametrize("scenarios", [SCENARIOS, TIED], ids=["distinct", "tied"])
@pytest.mark.parametrize("seed", [0, 3, 11])
def test_monte_carlo_is_the_same_with_and_without_the_lane_scores(scenarios, seed, monkeypatch):
    built = ranking_model(scenarios, WEIGHTS, ANCHORS)
    fast = sensitivity.monte_carlo(built, samples=3_000, seed=seed)
    monkeypatch.setattr(mcda, "lane_sums_are_einsums", lambda criteria: False)
    einsum = sensitivity.monte_carlo(built, samples=3_000, seed=seed)
    np.testing.assert_array_equal(
        fast.rank_distribution.to_numpy(), einsum.rank_distribution.to_numpy()
    )
    np.testing.assert_array_equal(fast.expected_rank.to_numpy(), einsum.expected_rank.to_numpy())
