"""The scenario table's costs, summed for every scenario at once, and its one-pass assembly.

References written here: one scenario's costs summed from its own monthly table (``values``
months x components, as ``monthly_cash_flows`` makes it) with :func:`analyzer.costs.npv` and
:func:`analyzer.costs.break_even_month`, and the scenario table assembled the plain pandas
way (a table of costs, taken in rank order, joined to the scores).
"""

import datetime as dt
from types import SimpleNamespace

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.analysis import (
    CASH_AT,
    COST_COLUMNS,
    EXIT_AT,
    ONE_TIME_AT,
    PREPAID_AT,
    _cost_arrays,
    _monthly_stack,
    _scored,
)
from analyzer.costs import COMPONENTS, break_even_month, npv
from analyzer.frames import columns_table
from analyzer.scoring import ScoreAnchors, score_columns, score_scenarios


def one_scenarios_costs(values, stay_cum, kind, rate):
    """Costs of one scenario from its own table (months x components)."""
    decision = values.sum(axis=1)
    one_time = values[:, ONE_TIME_AT].sum(axis=1)
    recurring = decision - one_time
    return {
        "total": float(decision.sum()),
        "cash_total": float(values[:, CASH_AT].sum()),
        "npv": npv(decision, rate),
        "recurring_total": float(recurring.sum()),
        "recurring_npv": npv(recurring, rate),
        "one_time_total": float(one_time.sum()),
        "exit_costs": float(values[:, EXIT_AT].sum()),
        "prepaid_after_horizon": float(values[:, PREPAID_AT].sum()),
        "break_even_month": (
            None if kind == "stay" else break_even_month(np.cumsum(decision), stay_cum)
        ),
    }


def monthly_table(amounts):
    """A monthly table as ``monthly_cash_flows`` makes it: from the components x months array."""
    months = pd.period_range("2027-01", periods=amounts.shape[1], freq="M")
    return pd.DataFrame(amounts.T, index=months, columns=pd.Index(COMPONENTS))


@st.composite
def scenario_tables(draw):
    months = draw(st.integers(1, 40))
    count = draw(st.integers(1, 8))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    # Amounts of very different sizes, so that the order of the additions shows in the result.
    scale = 10.0 ** rng.integers(-2, 7, (count, len(COMPONENTS), 1))
    amounts = rng.normal(0, 1, (count, len(COMPONENTS), months)) * scale
    uncosted = draw(st.lists(st.integers(0, 3), max_size=2))
    return amounts, uncosted, draw(st.floats(0, 0.3))


@given(scenario_tables())
@settings(max_examples=150, deadline=None)
def test_costs_of_all_scenarios_at_once_equal_each_scenarios_own_bit_for_bit(case):
    amounts, uncosted, rate = case
    ids = ["stay", *(f"switch:{n}" for n in range(1, len(amounts)))]
    monthly = {sid: monthly_table(block) for sid, block in zip(ids, amounts, strict=True)}
    plans = [SimpleNamespace(id=sid, kind=sid.split(":")[0]) for sid in ids]
    for position in uncosted:
        plans.insert(
            min(position, len(plans)), SimpleNamespace(id=f"quote:{position}", kind="switch")
        )
    got = _cost_arrays(plans, _monthly_stack(monthly), SimpleNamespace(discount_rate=rate))
    stay_cum = monthly["stay"].to_numpy().sum(axis=1).cumsum()
    for row, plan in enumerate(plans):
        if plan.id not in monthly:
            assert all(np.isnan(got[column][row]) for column in COST_COLUMNS)
            assert got["break_even_month"][row] is pd.NA
            continue
        expected = one_scenarios_costs(monthly[plan.id].to_numpy(), stay_cum, plan.kind, rate)
        for column in COST_COLUMNS:
            assert np.float64(expected[column]).tobytes() == got[column][row].tobytes(), column
        months = got["break_even_month"][row]
        assert (None if months is pd.NA else months) == expected["break_even_month"]


def test_one_month_blocks_sum_as_one_table_does():
    # One month: a scenario's cash components are 13 numbers; the selection of them across
    # scenarios is laid out component by component, and summed as it lies (without making it
    # contiguous first) it adds them in another order than one table's pairwise sum.
    rng = np.random.default_rng(7)
    scale = 10.0 ** rng.integers(-2, 7, (6, len(COMPONENTS), 1))
    amounts = rng.normal(0, 1, (6, len(COMPONENTS), 1)) * scale
    ids = ["stay", *(f"switch:{n}" for n in range(1, 6))]
    monthly = {sid: monthly_table(block) for sid, block in zip(ids, amounts, strict=True)}
    plans = [SimpleNamespace(id=sid, kind=sid.split(":")[0]) for sid in ids]
    got = _cost_arrays(plans, _monthly_stack(monthly), SimpleNamespace(discount_rate=0.0))
    for row, sid in enumerate(ids):
        expected = float(monthly[sid].to_numpy()[:, CASH_AT].sum())
        assert np.float64(expected).tobytes() == got["cash_total"][row].tobytes()


def test_costs_of_a_hand_worked_pair():
    # Stay pays 100 a month in licenses for 3 months; the switch pays 50 a month and a 90 fee
    # in month 0, and is credited 30 of prepaid service in the last month.
    stay = np.zeros((len(COMPONENTS), 3))
    stay[COMPONENTS.index("licenses_current")] = 100.0
    switch = np.zeros((len(COMPONENTS), 3))
    switch[COMPONENTS.index("licenses_target")] = 50.0
    switch[COMPONENTS.index("onboarding_fee"), 0] = 90.0
    switch[COMPONENTS.index("prepaid_after_horizon"), 2] = -30.0
    monthly = {"stay": monthly_table(stay), "switch:x": monthly_table(switch)}
    plans = [SimpleNamespace(id="stay", kind="stay"), SimpleNamespace(id="switch:x", kind="switch")]
    got = _cost_arrays(plans, _monthly_stack(monthly), SimpleNamespace(discount_rate=0.0))
    # Switch: 3 x 50 + 90 - 30 = 210 decision, 240 cash, one-time 90, recurring 120.
    assert got["total"].tolist() == [300.0, 210.0]
    assert got["cash_total"].tolist() == [300.0, 240.0]
    assert got["one_time_total"].tolist() == [0.0, 90.0]
    assert got["recurring_total"].tolist() == [300.0, 120.0]
    assert got["prepaid_after_horizon"].tolist() == [0.0, -30.0]
    # Cumulative: stay 100, 200, 300; switch 140, 190, 210: cheaper from month 1 on.
    assert got["break_even_month"].tolist() == [pd.NA, 1]


def test_the_scenario_table_is_the_cost_table_in_rank_order_beside_the_scores():
    index = pd.Index(["stay", "switch:a", "quote:b", "switch:c"], name="scenario_id")
    costs = {
        "kind": ["stay", "switch", "switch", "switch"],
        "status": ["ok", "ok", "needs_quote", "ok"],
        "label": ["Stay", "A", "B", "C"],
        "npv": [300.0, 240.0, np.nan, 310.0],
        "fit": [0.9, 0.8, np.nan, 0.95],
        "one_time_total": [0.0, 60.0, np.nan, 10.0],
        "project_months": [0, 4, 4, 1],
        "effective_date": [dt.date(2027, 1, 1)] * 4,
    }
    arrays = dict(columns_table(costs, index=index).items())
    arrays = {name: column.array for name, column in arrays.items()}
    anchors = ScoreAnchors(stay_npv=300.0, annual_spend=120.0)
    weights = {"cost": 0.5, "fit": 0.35, "effort": 0.15}
    table = columns_table(costs, index=index)
    scored = score_columns(index, arrays, weights, anchors)
    # Scored from the columns as from the table.
    reference = score_scenarios(table, weights, anchors)
    pd.testing.assert_series_equal(scored.scores, reference.scores, check_exact=True)
    pd.testing.assert_series_equal(scored.ranks, reference.ranks, check_exact=True)
    # The plain assembly: the cost table taken in rank order, the scores joined beside it.
    ranks = scored.ranks.reindex(index).to_numpy(dtype=float)
    order = np.argsort(np.where(np.isnan(ranks), len(index) + 1, ranks), kind="stable")
    ordered = table.take(order)
    beside = pd.DataFrame(
        {
            "score": scored.scores.reindex(ordered.index),
            "rank": pd.array(ranks[order], dtype="Int64"),
            **{
                f"contribution_{c}": scored.contributions[c].reindex(ordered.index)
                for c in scored.contributions.columns
            },
        },
        index=ordered.index,
    )
    expected = pd.concat([ordered, beside], axis=1)
    got = _scored(index, arrays, scored)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    # The unranked quote comes last, after the three ranked by score.
    assert got.index[-1] == "quote:b"
    assert got["rank"].tolist()[:3] == [1, 2, 3]
