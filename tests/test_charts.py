"""Charts plot the analysis's own numbers, reshaped, in the profile's currency."""

import datetime as dt

import numpy as np
import pytest

from analyzer import charts
from analyzer.analysis import analyze
from analyzer.profile import load_profile
from analyzer.scoring import CRITERION_NAMES


@pytest.fixture(scope="module")
def result(catalog):
    return analyze(load_profile(catalog=catalog), catalog)


@pytest.fixture(scope="module")
def sensitivity(result):
    return result.rerun_stability(samples=300, seed=3).sensitivity


def test_cumulative_cost_shows_stay_best_downgrade_and_best_switch(result):
    figure = charts.cumulative_cost_chart(result)
    expected = [result.best(kind) for kind in ("stay", "downgrade", "switch")]
    labels = result.scenarios.loc[expected, "label"].tolist()
    assert [trace.name for trace in figure.data] == labels
    for trace, sid in zip(figure.data, expected, strict=True):
        np.testing.assert_allclose(trace.y, result.cumulative[sid].to_numpy())
    assert figure.layout.yaxis.tickprefix == "$"
    assert "USD" in figure.layout.title.text


def test_money_axis_uses_the_iso_code_without_a_symbol():
    assert charts.money_axis("EUR")["tickprefix"] == "€"
    assert charts.money_axis("CHF")["tickprefix"] == "CHF "


def test_cost_breakdown_stacks_to_each_scenario_total(result):
    ids = charts.ranked_scenarios(result)
    figure = charts.cost_breakdown_chart(result)
    stacked = np.sum([trace.y for trace in figure.data], axis=0)
    np.testing.assert_allclose(stacked, result.scenarios.loc[ids, "total"].to_numpy())
    # Components that are zero everywhere are not drawn.
    assert "Refund" not in {trace.name for trace in figure.data}


def test_fit_heatmap_by_role_reads_the_role_fit(result):
    sid = result.best("switch")
    figure = charts.fit_heatmap(result, [sid, "stay"])
    heat = figure.data[0]
    licenses = result.licenses.set_index(["scenario_id", "role"])
    for row, role in enumerate(heat.y):
        assert heat.z[row][0] == pytest.approx(licenses.loc[(sid, role), "fit"])
        assert heat.z[row][1] == pytest.approx(licenses.loc[("stay", role), "fit"])
    # Roles in the profile's order, not alphabetical.
    assert list(heat.y) == [r.name for r in result.profile.roles]
    assert "Sales Cloud Enterprise user" in heat.text[0][1]


def test_fit_heatmap_by_feature_shows_the_worst_support_and_every_role_level(result):
    figure = charts.fit_heatmap(result, ["stay"], by="feature")
    heat = figure.data[0]
    detail = result.fit_detail[result.fit_detail["scenario_id"] == "stay"]
    audit = list(heat.y).index("Audit trail and field history")
    rows = detail[detail["feature"] == "Audit trail and field history"]
    assert heat.z[audit][0] == rows["score"].min()
    for role, support in zip(rows["role"], rows["support"], strict=True):
        assert f"{role}: {support}" in heat.text[audit][0]


def test_fit_heatmap_rejects_an_unknown_axis(result):
    with pytest.raises(ValueError, match="by must be"):
        charts.fit_heatmap(result, by="vendor")


def test_rank_stability_bars_are_the_probabilities_of_ranking_first(result, sensitivity):
    figure = charts.rank_stability_chart(sensitivity, top=3, labels=result.scenarios["label"])
    p_first = sensitivity.monte_carlo.p_first.sort_values(ascending=False).head(3)
    np.testing.assert_allclose(figure.data[0].x, p_first.to_numpy())
    assert list(figure.data[0].y) == result.scenarios.loc[p_first.index, "label"].tolist()


def test_tornado_bars_run_from_the_base_lead_to_the_swung_lead(sensitivity):
    figure = charts.tornado_chart(sensitivity)
    table = sensitivity.tornado
    low, high = figure.data
    np.testing.assert_allclose(np.add(low.base, low.x).astype(float), table["low_value"].to_numpy())
    np.testing.assert_allclose(
        np.add(high.base, high.x).astype(float), table["high_value"].to_numpy()
    )
    assert list(low.y) == [CRITERION_NAMES[c] for c in table["criterion"]]


def test_contract_timeline_marks_the_key_dates_and_the_switch_project(result):
    sid = result.best("switch")
    figure = charts.contract_timeline(result, sid)
    events = dict(zip(figure.data[0].y, figure.data[0].x, strict=True))
    # Acme's term ends 2027-08-31 with 30 days' notice: deadline 2027-08-01, recommended notice
    # 60 days before the end (2027-07-02), renewal window 90 days before it (2027-06-02). The
    # 4-month project from 2026-12-01 goes live 2027-04-01, overlaps a month to 2027-05-01,
    # and the old contract ends at the term end: exit 2027-09-01.
    assert events["Notice deadline"] == dt.date(2027, 8, 1)
    assert events["Recommended notice"] == dt.date(2027, 7, 2)
    assert events["Renewal window opens"] == dt.date(2027, 6, 2)
    assert events["Go-live"] == dt.date(2027, 4, 1)
    assert events["Overlap ends"] == dt.date(2027, 5, 1)
    assert events["Exit from the old contract"] == dt.date(2027, 9, 1)
    assert list(figure.data[0].x) == sorted(figure.data[0].x)
    # Analysis start is marked by a vertical line; the renewal window and overlap are shaded.
    lines = [s for s in figure.layout.shapes if s.type == "line"]
    assert [s.x0 for s in lines] == [result.profile.analysis_start]
    assert len([s for s in figure.layout.shapes if s.type == "rect"]) == 2


def test_contract_timeline_of_stay_has_no_project(result):
    figure = charts.contract_timeline(result, "stay")
    assert "Go-live" not in figure.data[0].y
    assert len([s for s in figure.layout.shapes if s.type == "rect"]) == 1


def test_score_breakdown_stacks_to_the_score(result):
    figure = charts.score_breakdown_chart(result, top=5)
    ids = charts.ranked_scenarios(result, 5)
    stacked = np.sum([trace.x for trace in figure.data], axis=0)
    np.testing.assert_allclose(stacked, result.scenarios.loc[ids, "score"].to_numpy())
    assert len(figure.data) == 3
