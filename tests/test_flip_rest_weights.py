"""The closed-form weight flips score "the criterion's weight at 0" with the model's rescaled
rest weights: the same vector, to the bit, as reweighting the criterion to 0."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_ranking_model_parts import WEIGHTS, model_of


@settings(max_examples=200, deadline=None)
@given(WEIGHTS, st.data())
def test_rest_weights_are_the_weights_with_the_criterion_at_zero(weights, data):
    model = model_of(weights, np.full((2, weights.size), 0.5))
    criterion = data.draw(st.integers(0, weights.size - 1))
    at_zero = model.reweighted(criterion, np.array([0.0]))[0]
    rest = model.rest_weights[criterion]
    assert at_zero.tobytes() == rest.tobytes()
    values = np.random.default_rng(criterion).random((7, weights.size))
    assert (values @ at_zero).tobytes() == (values @ rest).tobytes()
