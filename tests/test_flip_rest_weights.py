"""The closed-form weight flips score "the criterion's weight at 0" with the model's rescaled
rest weights: the same vector, to the bit, as reweighting the criterion to 0."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from analyzer.sensitivity import RankingModel

# Weights with zeros among them (a criterion holding all the weight shares the rest equally).
WEIGHTS = arrays(
    np.float64, st.integers(2, 5), elements=st.sampled_from([0.0, 0.1, 0.15, 0.35, 0.5, 1.0])
).filter(lambda w: w.sum() > 0)


def model_of(weights: np.ndarray) -> RankingModel:
    """A weighted-sum model of two scenarios valued 0.5 on every criterion."""
    criteria = [f"c{k}" for k in range(weights.size)]
    npv = np.arange(2, dtype=float)
    return RankingModel.of_columns(
        pd.Index(["s0", "s1"]),
        {"npv": npv, "recurring_npv": npv},
        lambda columns: np.full((*np.shape(columns["npv"]), weights.size), 0.5),
        criteria,
        dict(zip(criteria, weights / weights.sum(), strict=True)),
    )


@settings(max_examples=200, deadline=None)
@given(WEIGHTS, st.data())
def test_rest_weights_are_the_weights_with_the_criterion_at_zero(weights, data):
    model = model_of(weights)
    criterion = data.draw(st.integers(0, weights.size - 1))
    at_zero = model.reweighted(criterion, np.array([0.0]))[0]
    rest = model.rest_weights[criterion]
    assert at_zero.tobytes() == rest.tobytes()
    values = np.random.default_rng(criterion).random((7, weights.size))
    assert (values @ at_zero).tobytes() == (values @ rest).tobytes()
