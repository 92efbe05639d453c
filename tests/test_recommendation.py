import numpy as np
import pandas as pd
import pytest

from analyzer.analysis import analyze
from analyzer.recommendation import columns_by_scenario, rows_by_scenario, table_rows
from tests.conftest import GOLDEN
from tests.conftest import golden_profile as profile


def test_cost_only_weights_pick_the_lowest_npv():
    result = analyze(profile(criteria_weights={"cost": 1.0, "fit": 0.0, "effort": 0.0}), GOLDEN)
    costed = result.scenarios[result.scenarios["status"] == "ok"]
    # Self Host CRM: no license fee, running costs 950 a month for 32 months = 30,400.
    expected = "switch:selfhost/community"
    assert result.recommendation.scenario_id == costed["npv"].idxmin() == expected


def test_downgrade_recommendation_explains_the_role_move():
    # A 50,000 migration project makes switching costly in effort.
    weighted = analyze(
        profile(
            migration={"months": 4, "overlap_months": 1, "fixed_cost": 50_000},
            criteria_weights={"cost": 0.4, "fit": 0.2, "effort": 0.4},
        ),
        GOLDEN,
    )
    rec = weighted.recommendation
    assert rec.scenario_id == "downgrade:legacy/enterprise"
    # Decision view: Stay 302,209.20 - downgrade 201,506.40 = 100,702.80 (DESIGN section 5)
    assert rec.headline == "Right-size Legacy CRM Enterprise: saves $100,703 over 36 months"
    move = next(r for r in rec.reasons if r.startswith("Moving the Viewers role"))
    # (150 - 25) x 15 seats x 30 months after 2027-06-01 = 56,250; forecasting lost: fit
    # (5 x 1 dashboards must + 2 x 1) / 7 = 1 before, (5 x 1 + 2 x 0) / 7 after: 29 points.
    assert move == (
        "Moving the Viewers role (15 seats) to Platform saves about $56,250 over "
        "the 30 months after the change; fit falls 29 points, on Forecasting."
    )


def test_reasons_decompose_the_score():
    result = analyze(profile(), GOLDEN)
    rec = result.recommendation
    winner = result.scenarios.loc[rec.scenario_id]
    total = sum(winner[f"contribution_{c}"] for c in ("cost", "fit", "effort"))
    assert total == pytest.approx(winner["score"])
    assert any(r.startswith(f"Score {winner['score']:.3f} = ") for r in rec.reasons)
    assert rec.runner_up == result.scenarios.index[1]


def test_deadline_warning_when_notice_is_near():
    result = analyze(profile(analysis_start="2027-04-20"), GOLDEN)
    warnings = result.recommendation.warnings
    assert any("notice deadline 2027-05-01 is 11 days" in w for w in warnings)
    assert any("recommended notice date 2027-04-01 has passed" in w for w in warnings)


def test_table_rows_read_the_rows_like_iloc():
    table = pd.DataFrame(
        {"label": ["Stay", "Zoho", "Odoo"], "score": [0.5, 0.75, np.nan], "seats": [3, 4, 5]},
        index=["stay", "zoho", "odoo"],
    )
    rows = table_rows(table, [1, 0], ["label", "score", "seats"])
    assert rows == [
        {"label": "Zoho", "score": 0.75, "seats": 4},
        {"label": "Stay", "score": 0.5, "seats": 3},
    ]
    for row, position in zip(rows, [1, 0], strict=True):
        assert {c: type(v) for c, v in row.items()} == {
            c: type(table.iloc[position][c]) for c in row
        }


def fit_rows(**values: list) -> pd.DataFrame:
    """Five fit rows of three scenarios (odoo, stay and zoho; stay's and zoho's interleaved),
    the two roles in order, with ``values``' columns."""
    return pd.DataFrame(
        {
            "scenario_id": ["stay", "zoho", "stay", "zoho", "odoo"],
            "role_id": ["sellers", "sellers", "viewers", "viewers", "sellers"],
            **values,
        }
    )


def test_rows_by_scenario_keep_table_order_per_scenario():
    table = fit_rows(seats=[40, 40, 15, 15, 40])
    rows = rows_by_scenario(table, ["zoho", "stay", "hubspot"], ["role_id", "seats"])
    assert rows == {
        "zoho": [{"role_id": "sellers", "seats": 40}, {"role_id": "viewers", "seats": 15}],
        "stay": [{"role_id": "sellers", "seats": 40}, {"role_id": "viewers", "seats": 15}],
        "hubspot": [],
    }


def test_columns_by_scenario_are_the_rows_by_scenario_column_by_column():
    table = fit_rows(score=[1.0, 0.5, 0.0, 1.0, 0.25])
    columns = columns_by_scenario(table, ["zoho", "stay", "hubspot"], ["role_id", "score"])
    assert columns == {
        "zoho": {"role_id": ["sellers", "viewers"], "score": [0.5, 1.0]},
        "stay": {"role_id": ["sellers", "viewers"], "score": [1.0, 0.0]},
        "hubspot": {"role_id": [], "score": []},
    }
    # A column asked for twice (the seat and product columns share "role") is read once.
    rows = rows_by_scenario(table, ["odoo"], ["role_id", "score", "role_id"])
    assert rows == {"odoo": [{"role_id": "sellers", "score": 0.25}]}
