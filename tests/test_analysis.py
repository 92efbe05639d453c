"""The analysis result: complete when returned, one computation per fact, clear errors."""

import dataclasses
import datetime as dt
import json

import pandas as pd
import pytest

from analyzer import analyze, exit_plan, load_profile, reports
from analyzer.charts import timeline_events
from analyzer.errors import AnalyzerError, ScenarioError
from analyzer.profile import dump_profile, parse_profile
from analyzer.recommendation import RecommendationInputs, recommend
from analyzer.scoring import CloseCall
from tests.conftest import GOLDEN, golden_profile


@pytest.fixture(scope="module")
def result(catalog):
    return analyze(load_profile(catalog=catalog), catalog, samples=200)


def with_changes(catalog, text_changes):
    text = dump_profile(load_profile(catalog=catalog))
    for old, new in text_changes:
        assert old in text
        text = text.replace(old, new)
    return parse_profile(text, catalog)


def test_the_result_is_complete_and_frozen(result):
    # Every field is a value, not a lazily computed property a reader must warm.
    for field in dataclasses.fields(result):
        assert getattr(result, field.name) is not None, field.name
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.scenarios = None
    # Every scenario, ranked or not, has key dates and an exit plan.
    assert set(result.key_dates["scenario_id"]) == set(result.scenarios.index)
    assert set(result.exit_plans["scenario_id"]) == set(result.scenarios.index)


def test_one_key_dates_computation_for_timeline_checklist_and_report(catalog):
    # A 12-month project from 2026-12-01 goes live 2027-12-01 and needs Salesforce until
    # 2028-01-01 (one month of overlap). That falls in the renewal 2027-09-01 .. 2028-08-31,
    # whose notice deadline is 2028-08-31 - 30 days = 2028-08-01; the old contract ends
    # 2028-09-01. (The first version's timeline said 2027-08-01 here, its checklist 2028-08-01.)
    profile = with_changes(catalog, [("  months: 4\n", "  months: 12\n")])
    result = analyze(profile, catalog, samples=0)
    switch = result.best("switch", shape="single")
    timeline = dict(timeline_events(result, switch))
    checklist = dict(zip(*result.exit_plan(switch)[["step", "date"]].T.values, strict=True))
    assert timeline["Notice deadline"] == checklist["Hard notice deadline"] == dt.date(2028, 8, 1)
    assert timeline["Exit from the old contract"] == checklist["Old CRM access ends"]
    assert checklist["Old CRM access ends"] == dt.date(2028, 9, 1)
    assert timeline["Go-live"] == checklist["Go-live on the new CRM"] == dt.date(2027, 12, 1)
    # The report's plan is the recommended scenario's, from the same steps.
    recommended = result.recommendation.scenario_id
    data = json.loads(reports.report_json(result))
    steps = result.exit_plan(recommended)
    assert [s["date"] for s in data["exit_plan"]["steps"]] == [d.isoformat() for d in steps["date"]]
    # Every dated step of every scenario is on or after the start, or flagged as passed.
    plans = result.exit_plans
    assert ((plans["date"] >= profile.analysis_start) | plans["warning"]).all()


def test_exit_plan_of_an_unranked_option_is_dated(catalog, result):
    unranked = result.scenarios[
        (result.scenarios["kind"] == "switch") & result.scenarios["rank"].isna()
    ]
    assert not unranked.empty
    sid = unranked.index[0]
    steps = exit_plan(result, sid)
    # The old contract's exit does not depend on the target: the term ending 2027-08-31.
    assert dict(zip(steps["step"], steps["date"], strict=True))["Hard notice deadline"] == (
        dt.date(2027, 8, 1)
    )


def test_unknown_option_is_a_clear_error(result):
    with pytest.raises(ScenarioError, match="unknown option 'switch:nope/nope'"):
        exit_plan(result, "switch:nope/nope")
    with pytest.raises(AnalyzerError):
        result.scenario_key_dates("nope")


def test_fewer_than_two_rankable_options_is_a_stated_absence(catalog):
    # Musts that no alternative meets: only staying can be ranked.
    profile = with_changes(
        catalog,
        [
            (
                "org_needs:\n",
                "org_needs:\n  self_hosting: must\n  ai_assistant: must\n  sla_management: must\n",
            )
        ],
    )
    result = analyze(profile, catalog)
    assert list(result.scenarios.index[result.scenarios["rank"].notna()]) == ["stay"]
    assert result.sensitivity is None
    assert "only Stay on" in result.stability.absence
    # Every report format still renders, and says why rank stability is missing.
    for fmt in reports.REPORT_FORMATS:
        assert reports.render_report(result, fmt)


def test_the_stability_summary_uses_one_documented_sample_count(catalog):
    from analyzer.analysis import STABILITY_SAMPLES

    result = analyze(load_profile(catalog=catalog), catalog)
    assert result.stability.samples == STABILITY_SAMPLES
    assert result.sensitivity.monte_carlo.samples == STABILITY_SAMPLES
    assert result.sensitivity.monte_carlo.p_first.sum() == pytest.approx(1.0)


def test_quoting_an_unrelated_option_changes_no_other_score():
    # Scores are absolute (DESIGN section 6): a quote that makes Quoted CRM rankable moves no
    # other option's score, and their order stays as it was.
    before = analyze(golden_profile(), GOLDEN, samples=0)
    quote = {"product": "quoted", "tier": "custom", "amount": 90, "currency": "USD"}
    after = analyze(golden_profile(quotes=[quote]), GOLDEN, samples=0)
    assert pd.isna(before.scenarios.loc["switch:quoted/custom", "score"])
    assert not pd.isna(after.scenarios.loc["switch:quoted/custom", "score"])
    ranked = before.scenarios.index[before.scenarios["rank"].notna()]
    assert len(ranked) >= 3
    pd.testing.assert_series_equal(
        after.scenarios.loc[ranked, "score"], before.scenarios.loc[ranked, "score"]
    )


def test_a_close_call_is_said_in_the_headline(catalog):
    result = analyze(golden_profile(), GOLDEN, samples=0)
    ranked = result.scenarios[result.scenarios["rank"].notna()]
    winner, second = ranked.index[:2]
    call = CloseCall(winner, (winner, second), 0.01, None, True, False)
    recommendation = recommend(
        RecommendationInputs(
            result.profile,
            result.scenarios,
            result.licenses,
            result.fit_detail,
            result.score_result.weights,
            [],
            call,
        )
    )
    labels = result.scenarios["label"]
    assert recommendation.headline.startswith(
        f"Close call between {labels[winner]} and {labels[second]}; narrowly ahead: "
    )
    assert recommendation.contenders == (winner, second)
    assert recommendation.reasons[0].startswith("Not a clear winner: the runner-up scores within")


def test_the_bundled_example_keeps_its_winner_wherever_the_horizon_cuts(catalog):
    # The first version's winner flipped between 33 and 34 months: Stay's yearly invoice of
    # 2029-09 counted in full at 34 months. In the decision view it is credited back for the
    # months after the horizon, so the horizon's cut no longer decides.
    profile = load_profile(catalog=catalog)
    winners = {
        months: analyze(
            profile.model_copy(update={"horizon_months": months}), catalog, samples=0
        ).recommendation.scenario_id
        for months in (24, 33, 34, 36, 48)
    }
    assert len(set(winners.values())) == 1, winners
