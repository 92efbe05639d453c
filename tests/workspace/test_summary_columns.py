"""The per-scenario summary read a whole column at a time gives what cell-by-cell reading gave."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from analyzer.workspace.record import scenario_summaries

TEXT = pd.StringDtype("python", na_value=np.nan)


def reference(scenarios: pd.DataFrame) -> dict:
    """Cell by cell, as the summary was first written: NaN/NA as None, totals to the cent."""
    rows = {}
    for sid, label, total, rank in zip(
        scenarios.index, scenarios["label"], scenarios["total"], scenarios["rank"], strict=True
    ):
        rows[sid] = {
            "label": label,
            "total": None if pd.isna(total) else round(float(total), 2),
            "rank": None if pd.isna(rank) else int(rank),
        }
    return rows


@given(
    st.lists(
        st.tuples(
            st.text(min_size=1, max_size=5),
            st.one_of(st.none(), st.floats(-1e9, 1e9)),
            st.one_of(st.none(), st.integers(1, 200)),
        ),
        max_size=12,
        unique_by=lambda row: row[0],
    )
)
def test_the_scenario_rows_match_a_cell_by_cell_reading(rows):
    ids = [f"s{position}" for position in range(len(rows))]
    scenarios = pd.DataFrame(
        {
            "label": pd.array([label for label, _, _ in rows], dtype=TEXT),
            "total": np.array([np.nan if t is None else t for _, t, _ in rows], dtype=float),
            "rank": pd.array([rank for _, _, rank in rows], dtype="Int64"),
        },
        index=pd.Index(ids, dtype=TEXT),
    )
    summary = scenario_summaries(SimpleNamespace(scenarios=scenarios))
    assert summary == reference(scenarios)
    assert list(summary) == ids


def test_a_missing_total_and_rank_are_none_and_totals_keep_cents():
    scenarios = pd.DataFrame(
        {
            "label": pd.array(["Stay", "Switch"], dtype=TEXT),
            # 1234.567 to the cent is 1234.57; the second scenario is not costed.
            "total": [1234.567, np.nan],
            "rank": pd.array([1, None], dtype="Int64"),
        },
        index=["stay", "switch"],
    )
    assert scenario_summaries(SimpleNamespace(scenarios=scenarios)) == {
        "stay": {"label": "Stay", "total": 1234.57, "rank": 1},
        "switch": {"label": "Switch", "total": None, "rank": None},
    }
