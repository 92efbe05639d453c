"""What the ranking model works out once (base winner, rescaled rest weights) equals what the
tornado and the weight flips worked out on every call before."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from analyzer import sensitivity
from analyzer.sensitivity import RankingModel


def reference_reweighted(base: np.ndarray, criterion: int, new: np.ndarray) -> np.ndarray:
    """The reweighting written out vector by vector: ``criterion`` gets ``t``, the others share
    ``1 - t`` in proportion to their weights (equally when they have none)."""
    others = [w for k, w in enumerate(base) if k != criterion]
    total = sum(others)
    vectors = []
    for t in new:
        vector = []
        for k, w in enumerate(base):
            if k == criterion:
                vector.append(t)
            elif total > 0:
                vector.append((1.0 - t) * (w / total))
            else:
                vector.append((1.0 - t) * (1.0 / (base.size - 1)))
        vectors.append(vector)
    return np.array(vectors)


WEIGHTS = arrays(
    np.float64, st.integers(2, 5), elements=st.sampled_from([0.0, 0.1, 0.15, 0.35, 0.5, 1.0])
).filter(lambda w: w.sum() > 0)
NEW = arrays(np.float64, st.integers(1, 4), elements=st.floats(0, 1))


def model_of(weights: np.ndarray, values: np.ndarray) -> RankingModel:
    """A weighted-sum model of scenarios with criterion ``values`` ``[scenarios, criteria]``."""
    criteria = [f"c{k}" for k in range(weights.size)]
    index = pd.Index([f"s{j}" for j in range(values.shape[0])])
    npv = np.arange(values.shape[0], dtype=float)
    return RankingModel.of_columns(
        index,
        {"npv": npv, "recurring_npv": npv},
        lambda columns: np.broadcast_to(values, (*np.shape(columns["npv"]), values.shape[1])),
        criteria,
        dict(zip(criteria, weights / weights.sum(), strict=True)),
    )


@settings(max_examples=150, deadline=None)
@given(WEIGHTS, NEW, st.data())
def test_model_reweighted_is_the_reweighting_of_its_weights(weights, new, data):
    model = model_of(weights, np.full((2, weights.size), 0.5))
    criterion = data.draw(st.integers(0, weights.size - 1))
    reweighted = model.reweighted(criterion, new)
    np.testing.assert_array_equal(
        reweighted, sensitivity._reweighted(model.weights, criterion, new)
    )
    np.testing.assert_allclose(
        reweighted, reference_reweighted(model.weights, criterion, new), rtol=1e-12, atol=0
    )
    np.testing.assert_allclose(reweighted.sum(axis=1), 1.0, rtol=1e-12)


def test_all_the_weight_on_one_criterion_is_shared_equally_by_the_others():
    model = model_of(np.array([0.0, 1.0, 0.0]), np.full((2, 3), 0.5))
    # Criterion 1 held everything: at 0.4 the other two share the remaining 0.6 equally.
    np.testing.assert_array_equal(model.reweighted(1, np.array([0.4])), [[0.3, 0.4, 0.3]])


def test_base_winner_is_the_highest_weighted_sum():
    # Scores with weights (0.5, 0.5): s0 = 0.5, s1 = 0.65, s2 = 0.6; s1 wins.
    values = np.array([[0.2, 0.8], [0.9, 0.4], [0.6, 0.6]])
    model = model_of(np.array([1.0, 1.0]), values)
    assert model.base_winner == 1
    assert model.base_winner == int(model.winners(model.weights[None, :])[0])
