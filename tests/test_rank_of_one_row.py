"""The ranks of the scored scenarios (one row, sorted once by the whole rule) follow the tie
rule written out: higher score to 12 decimals, then lower tie cost, then scenario id."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer import mcda

# Few levels, both zeros and a pair equal to 12 decimals, so that many scenarios tie.
LEVELS = st.sampled_from([0.0, -0.0, 0.25, 0.5, 0.5 + 1e-13, 0.75, 1.0])


def reference_ranks(scores: list[float], tie: list[float], labels: list[str]) -> list[int]:
    """Rank 1 for the first of the scenarios sorted by (-score rounded, tie, label)."""
    order = sorted(range(len(scores)), key=lambda k: (-round(scores[k], 12), tie[k], labels[k]))
    ranks = [0] * len(scores)
    for rank, k in enumerate(order, start=1):
        ranks[k] = rank
    return ranks


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 12).flatmap(
        lambda n: st.tuples(
            st.lists(LEVELS, min_size=n, max_size=n),
            st.lists(st.sampled_from([1.0, 2.0, 3.0]), min_size=n, max_size=n),
            st.lists(
                st.text(alphabet="abcz:/", min_size=1, max_size=4),
                min_size=n,
                max_size=n,
                unique=True,
            ),
        )
    )
)
def test_ranks_follow_the_tie_rule(case):
    scores, tie, labels = case
    ranks = mcda._ranks(np.array(scores), np.array(tie), labels)
    assert ranks.dtype == np.int64
    assert ranks.tolist() == reference_ranks(scores, tie, labels)
