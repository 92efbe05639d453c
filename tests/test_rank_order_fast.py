"""The fast paths of the ranking kernel agree with the plain rule, row by row.

:func:`analyzer.mcda._rank_order` orders rows without a tie by one sort and finds the tied rows
with one flat comparison (:func:`analyzer.mcda._tied_rows`); the reference here sorts each row
on its own with Python's sort by the whole key (higher rounded score, lower tie value,
position).
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from analyzer import mcda


def reference_order(scores: np.ndarray, tie: np.ndarray) -> np.ndarray:
    """Each row sorted by (-score rounded to TIE_DECIMALS, tie value, position)."""
    rounded = np.round(scores, mcda.TIE_DECIMALS)
    return np.array(
        [
            sorted(range(row.size), key=lambda k, r=row, t=ties: (-r[k], t[k], k))
            for row, ties in zip(rounded, tie, strict=True)
        ],
        dtype=np.intp,
    ).reshape(scores.shape)


def reference_tied_rows(scores: np.ndarray) -> np.ndarray:
    """Rows with two equal scores, by counting distinct values row by row."""
    return np.array(
        [k for k, row in enumerate(scores) if len(set(row.tolist())) < row.size], dtype=np.intp
    )


# Few distinct values, so that many rows hold ties (and some none).
SCORES = st.integers(1, 40).flatmap(
    lambda rows: st.integers(1, 9).flatmap(
        lambda width: st.tuples(
            arrays(np.float64, (rows, width), elements=st.sampled_from([0.1, 0.2, 0.3, 0.7])),
            arrays(np.float64, (rows, width), elements=st.sampled_from([1.0, 2.0, 3.0])),
        )
    )
)


@settings(max_examples=200, deadline=None)
@given(SCORES)
def test_rank_order_equals_row_by_row_sort(case: tuple[np.ndarray, np.ndarray]) -> None:
    scores, tie = case
    np.testing.assert_array_equal(mcda._rank_order(scores, tie), reference_order(scores, tie))


@settings(max_examples=200, deadline=None)
@given(SCORES)
def test_tied_rows_are_the_rows_with_equal_scores(case: tuple[np.ndarray, np.ndarray]) -> None:
    scores, _ = case
    order = np.argsort(-scores, axis=-1)
    np.testing.assert_array_equal(mcda._tied_rows(scores, order), reference_tied_rows(scores))


def test_a_tie_across_two_rows_is_no_tie() -> None:
    # Row 0 ends (sorted, highest first) on 0.2 and row 1 starts on 0.2: the flat neighbours
    # are equal, but neither row holds two equal scores.
    scores = np.array([[0.9, 0.2], [0.2, 0.1]])
    order = np.argsort(-scores, axis=-1)
    assert mcda._tied_rows(scores, order).size == 0


def test_only_the_tied_row_is_reported() -> None:
    scores = np.array([[0.9, 0.2, 0.5], [0.4, 0.4, 0.1], [0.3, 0.2, 0.1]])
    order = np.argsort(-scores, axis=-1)
    np.testing.assert_array_equal(mcda._tied_rows(scores, order), [1])
