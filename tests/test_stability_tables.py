"""The tornado's and the weight flips' tables, made from their finished column arrays, equal the
frames pandas makes of a dict of the same columns (the way they were made before), dtypes
included, whatever the string storage in force."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer import sensitivity

NAMES = st.lists(
    st.text(alphabet="abcdefxyz_", min_size=1, max_size=6), min_size=1, max_size=5, unique=True
)
FLOATS = st.floats(allow_nan=True, allow_infinity=False, width=64)


def dict_frame(criteria: list, order: np.ndarray, columns: dict) -> pd.DataFrame:
    """The reference: the frame of a dict, the criterion column a list in ``order``, an object
    column as a Series of Python objects."""
    made = {"criterion": [criteria[k] for k in order]}
    for name, values in columns.items():
        made[name] = pd.Series(values.tolist(), dtype=object) if values.dtype == object else values
    return pd.DataFrame(made)


@settings(max_examples=120, deadline=None)
@given(
    criteria=NAMES,
    storage=st.sampled_from(["python", "pyarrow"]),
    with_winner=st.booleans(),
    data=st.data(),
)
def test_criterion_table_equals_the_frame_of_a_dict(criteria, storage, with_winner, data):
    count = len(criteria)
    order = np.array(data.draw(st.permutations(range(count))), dtype=np.intp)
    columns = {
        "low_weight": np.array(data.draw(st.lists(FLOATS, min_size=count, max_size=count))),
        "span": np.array(data.draw(st.lists(FLOATS, min_size=count, max_size=count))),
    }
    if with_winner:
        ids = st.sampled_from(["stay", "zoho", None])
        column = np.empty(count, dtype=object)
        column[:] = data.draw(st.lists(ids, min_size=count, max_size=count))
        columns["new_winner"] = column
    with pd.option_context("mode.string_storage", storage):
        expected = dict_frame(criteria, order, columns)
        made = sensitivity._criterion_table(pd.Index(criteria), order, columns)
    pd.testing.assert_frame_equal(made, expected, check_exact=True)
    assert made["criterion"].tolist() == [criteria[k] for k in order]


def test_criterion_table_keeps_no_link_to_the_cached_labels():
    with pd.option_context("mode.string_storage", "python"):
        criteria = pd.Index(["cost", "fit"])
        first = sensitivity._criterion_table(criteria, np.array([1, 0]), {"span": np.ones(2)})
        first.columns.name = "renamed"
        first.loc[0, "criterion"] = "changed"
        second = sensitivity._criterion_table(criteria, np.array([1, 0]), {"span": np.ones(2)})
    assert second.columns.name is None
    assert second["criterion"].tolist() == ["fit", "cost"]
