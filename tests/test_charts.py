"""Charts plot the analysis's own numbers, reshaped, in the profile's currency."""

import dataclasses
import datetime as dt
import itertools
import textwrap

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analyzer import charts
from analyzer.analysis import analyze
from analyzer.profile import load_profile
from analyzer.safety import inert_label
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
    figure = charts.rank_stability_chart(
        sensitivity, top=3, labels=result.scenarios["label"], kinds=result.scenarios["kind"]
    )
    p_first = sensitivity.monte_carlo.p_first.sort_values(ascending=False).head(3)
    bars = figure.data[0]
    np.testing.assert_allclose(bars.x, p_first.to_numpy())
    labels = result.scenarios.loc[p_first.index, "label"].tolist()
    # Ticks wrapped onto lines (the longest name, 62 characters, fits); the hover has it too.
    assert [" ".join(tick.split("<br>")) for tick in bars.y] == labels
    assert [name for name, _ in bars.customdata] == labels
    kinds = result.scenarios.loc[p_first.index, "kind"]
    assert list(bars.marker.color) == [charts.KIND_COLOURS[kind] for kind in kinds]


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


# --- Value for money: the Pareto frontier -------------------------------------------------------


def dominated_by_brute_force(cost, fit):
    """Reference: option i is dominated when some j costs no more, fits no worse and is strictly
    better on one of the two."""
    flags = []
    for i in range(len(cost)):
        flags.append(
            any(
                cost[j] <= cost[i] and fit[j] >= fit[i] and (cost[j] < cost[i] or fit[j] > fit[i])
                for j in range(len(cost))
            )
        )
    return flags


def test_a_single_option_is_the_frontier():
    assert charts.pareto_frontier([250_000.0], [0.6]) == [True]


def test_identical_options_are_on_the_frontier_together():
    # Two options at 100 and 90% neither beat each other; 120 at 80% is beaten by both.
    assert charts.pareto_frontier([100, 100, 120], [0.9, 0.9, 0.8]) == [True, True, False]


def test_a_tie_on_cost_goes_to_the_better_fit_and_a_tie_on_fit_to_the_cheaper():
    # Same cost, 90% beats 80%; same fit, 100 beats 130.
    assert charts.pareto_frontier([100, 100], [0.9, 0.8]) == [True, False]
    assert charts.pareto_frontier([100, 130], [0.9, 0.9]) == [True, False]


def test_all_dominated_but_one():
    # 50 at 100% costs least and fits best: every other option is beaten by it.
    assert charts.pareto_frontier([60, 50, 70, 55], [0.9, 1.0, 0.5, 0.99]) == [
        False,
        True,
        False,
        False,
    ]


def test_a_trade_off_keeps_every_option_that_buys_fit_with_money():
    # 90/70%, 100/80% and 120/90% each buy fit with money; 130/85% is beaten by 120/90%.
    assert charts.pareto_frontier([100, 120, 90, 130], [0.8, 0.9, 0.7, 0.85]) == [
        True,
        True,
        True,
        False,
    ]


@given(
    st.lists(
        st.tuples(st.integers(0, 20), st.integers(0, 20)),
        min_size=1,
        max_size=12,
    )
)
def test_the_frontier_is_every_option_no_other_dominates(options):
    # Small integers make ties on cost, on fit and on both frequent.
    cost = [float(c) for c, _ in options]
    fit = [f / 20 for _, f in options]
    frontier = charts.pareto_frontier(cost, fit)
    assert frontier == [not d for d in dominated_by_brute_force(cost, fit)]
    # Someone always survives: the cheapest of the best-fitting options.
    best = max(fit)
    cheapest_best = min(c for c, f in zip(cost, fit, strict=True) if f == best)
    assert all(
        on for on, c, f in zip(frontier, cost, fit, strict=True) if (c, f) == (cheapest_best, best)
    )
    # Along the frontier, paying more always buys a strictly better fit.
    points = sorted({(c, f) for on, c, f in zip(frontier, cost, fit, strict=True) if on})
    for (c1, f1), (c2, f2) in itertools.pairwise(points):
        assert c2 > c1 and f2 > f1


def test_value_chart_marks_the_frontier_and_fades_the_dominated(result):
    figure = charts.value_for_money_chart(result)
    ranked = result.scenarios[result.scenarios["rank"].notna()]
    dominated = dominated_by_brute_force(list(ranked["total"]), list(ranked["fit"]))
    on_frontier = ranked[[not d for d in dominated]].sort_values("total")
    line = figure.data[0]
    assert line.name == "Pareto frontier"
    np.testing.assert_allclose(line.x, on_frontier["total"].to_numpy())
    np.testing.assert_allclose(line.y, on_frontier["fit"].to_numpy())
    markers = figure.data[1:]
    # Every ranked option is drawn once, in its kind's colour.
    assert sum(len(trace.x) for trace in markers) == len(ranked)
    for trace in markers:
        kind = trace.name.split(" ")[0].lower()
        assert trace.marker.color == charts.KIND_COLOURS[kind]
        faded = trace.name.endswith("(dominated)")
        assert trace.opacity == (charts.DOMINATED_OPACITY if faded else 1.0)
        # Frontier options are named on the chart; every hover has the full name.
        assert (trace.text is None) == faded
        for name, _ in trace.customdata:
            assert name in set(ranked["label"])


def test_value_chart_escapes_names(result):
    hostile = result.scenarios.assign(label=lambda s: "<b>" + s["label"] + "</b>")
    figure = charts.value_for_money_chart(dataclasses.replace(result, scenarios=hostile))
    for trace in figure.data[1:]:
        for name, _ in trace.customdata:
            assert name.startswith("&lt;b&gt;") and "<b>" not in name
        for text in trace.text or []:
            assert "<b>" not in text


# --- Readable labels ----------------------------------------------------------------------------


def test_short_label_keeps_short_names_and_cuts_long_ones_at_a_word():
    assert charts.short_label("Stay") == "Stay"
    name = "Switch to Microsoft Dynamics 365 Customer Service Professional"
    short = charts.short_label(name)
    assert len(short) <= charts.LABEL_CHARACTERS
    assert short.endswith("…")
    assert name.startswith(short.removesuffix("…"))
    # The first 31 characters (room for the ellipsis) end "Dynamics 36": cut at the space
    # before, not inside "365".
    assert short == "Switch to Microsoft Dynamics…"


def test_heatmap_is_sized_to_its_rows_and_shows_every_label(result):
    figure = charts.fit_heatmap(result, by="feature")
    rows = len(figure.data[0].y)
    assert rows > 10
    assert figure.layout.height == 200 + charts.HEATMAP_ROW_PIXELS * rows
    assert figure.layout.yaxis.tickmode == "linear" and figure.layout.yaxis.dtick == 1
    assert figure.layout.xaxis.tickmode == "linear" and figure.layout.xaxis.dtick == 1


def test_heatmap_wraps_long_option_names_and_hovers_the_full_name(result):
    figure = charts.fit_heatmap(result)
    heat = figure.data[0]
    ids = charts.ranked_scenarios(result)
    labels = result.scenarios.loc[ids, "label"].tolist()
    assert max(len(label) for label in labels) > 60
    for tick, label in zip(heat.x, labels, strict=True):
        # Wrapped onto lines of at most 22 characters, four lines at most: a name of up to
        # four such lines (a 62-character switch) shows in full; a longer one (a partial
        # switch naming the roles it keeps) is cut with an ellipsis, its start kept.
        lines = tick.split("<br>")
        assert len(lines) <= 4 and max(len(line) for line in lines) <= 22
        # Lines may also break after a hyphen ("self-" / "hosted"): compare without spaces.
        shown, name = "".join(lines), label.replace(" ", "")
        if len(textwrap.wrap(label, 22)) <= 4:
            assert shown.replace(" ", "") == name
        else:
            assert shown.endswith("…") and name.startswith(shown[:-1].replace(" ", ""))
    for row, role in zip(heat.customdata, heat.y, strict=True):
        assert [cell.split(" · ")[1] for cell in row] == labels
        assert all(cell.startswith(role) for cell in row)


def plotly_drawn_timeline(result, scenario_id):
    """Reference: the timeline's bands and analysis-start marker drawn with plotly's own
    ``add_vrect``/``add_vline``/``add_annotation`` (slow, but the meaning of each shape)."""
    events = charts.timeline_events(result, scenario_id)
    dates = result.scenario_key_dates(scenario_id).set_index("event_id")["date"]
    figure = go.Figure(charts.contract_timeline(result, scenario_id).data)
    figure.layout = {}

    def band(start, end, colour, label):
        figure.add_vrect(
            x0=start,
            x1=end,
            fillcolor=colour,
            opacity=0.4,
            line_width=0,
            layer="below",
            annotation_text=label,
            annotation_position="bottom left",
        )

    band(dates["renewal_window_opens"], dates["term_end"], "#fee08b", "renewal window")
    if "go_live" in dates.index:
        band(dates["go_live"], dates["needed_until"], "#9ecae1", "both systems run")
    start = result.profile.analysis_start
    figure.add_vline(x=start, line_dash="dash", line_color="grey")
    figure.add_annotation(x=start, y=1.02, yref="paper", text="analysis start", showarrow=False)
    margin = dt.timedelta(days=20)
    figure.update_layout(
        title="Contract timeline: " + inert_label(result.scenarios.loc[scenario_id, "label"]),
        xaxis={
            "type": "date",
            "title": "Date",
            "range": [events[0][1] - margin, events[-1][1] + 3 * margin],
        },
        yaxis={"autorange": "reversed"},
        showlegend=False,
        margin={"l": 220},
    )
    return figure


def test_contract_timeline_draws_what_plotlys_shape_helpers_draw(result):
    for scenario_id in ("stay", result.best("switch")):
        assert (
            charts.contract_timeline(result, scenario_id).to_dict()
            == plotly_drawn_timeline(result, scenario_id).to_dict()
        )
