"""Key dates per scenario, on DESIGN section 5's worked example, dated by hand.

Term 2024-06-01 .. 2027-05-31, 30 days' notice, analysis start 2026-12-01: the running term's
deadline 2027-05-31 - 30 days = 2027-05-01 is ahead, so it is the term that can next be changed.
Its renewal window opens 90 days before the end (2027-03-02) and the recommended notice is 60
days before the end (2027-04-01).
"""

import datetime as dt

import pandas as pd

from analyzer import analyze
from analyzer.analysis import build_plans, combination_plans
from analyzer.costs import Current
from analyzer.keydates import (
    KEY_DATE_COLUMNS,
    all_key_dates,
    key_date_rows,
    key_dates_table,
    scenario_key_dates,
)
from tests.conftest import GOLDEN, golden_profile

TERM = {
    "term_start": dt.date(2024, 6, 1),
    "renewal_window_opens": dt.date(2027, 3, 2),
    "recommended_notice": dt.date(2027, 4, 1),
    "notice_deadline": dt.date(2027, 5, 1),
    "term_end": dt.date(2027, 5, 31),
}


def dates_of(result, scenario_id):
    rows = result.scenario_key_dates(scenario_id)
    return dict(zip(rows["event_id"], rows["date"], strict=True))


def test_stay_acts_on_the_term_that_can_next_be_changed():
    result = analyze(golden_profile(), GOLDEN, samples=0)
    assert dates_of(result, "stay") == TERM


def test_a_downgrade_takes_effect_the_day_after_that_term():
    result = analyze(golden_profile(), GOLDEN, samples=0)
    assert dates_of(result, "downgrade:legacy/enterprise") == TERM | {
        "effective": dt.date(2027, 6, 1)
    }


def test_a_switch_adds_its_project_and_exit():
    # 4 project months from 2026-12-01: go-live 2027-04-01; 1 month of overlap: the old system
    # is needed until 2027-05-01, inside the running term, which ends at its term end (no
    # refunds): exit 2027-06-01.
    result = analyze(golden_profile(), GOLDEN, samples=0)
    assert dates_of(result, "switch:target/standard") == TERM | {
        "go_live": dt.date(2027, 4, 1),
        "needed_until": dt.date(2027, 5, 1),
        "exit": dt.date(2027, 6, 1),
    }


def test_after_a_missed_deadline_the_next_renewal_is_the_one_to_act_on():
    # From 2027-05-15 the deadline 2027-05-01 has passed: the renewal 2027-06-01 .. 2028-05-31
    # is the term that can next be changed (deadline 2028-05-01; 2028 is a leap year, so 90
    # days before 2028-05-31 is 2028-03-02).
    result = analyze(golden_profile(analysis_start="2027-05-15"), GOLDEN, samples=0)
    assert dates_of(result, "stay") == {
        "term_start": dt.date(2027, 6, 1),
        "renewal_window_opens": dt.date(2028, 3, 2),
        "recommended_notice": dt.date(2028, 4, 1),
        "notice_deadline": dt.date(2028, 5, 1),
        "term_end": dt.date(2028, 5, 31),
    }


def test_events_are_listed_in_date_order_for_every_scenario():
    result = analyze(golden_profile(), GOLDEN, samples=0)
    for _, rows in result.key_dates.groupby("scenario_id"):
        assert list(rows["date"]) == sorted(rows["date"])


# --- Every scenario's key dates in one call ----------------------------------------------------


def plans_of(profile, catalog):
    """Every plan an analysis of ``profile`` makes, and the current subscription."""
    product = catalog.product(profile.current.product)
    current = Current(profile, product, product.tier(profile.current.tier))
    return build_plans(current, catalog) + combination_plans(current, catalog)[0], current


def test_all_key_dates_are_each_plans_and_shared_by_plans_that_leave_alike():
    plans, current = plans_of(golden_profile(), GOLDEN)
    dates = all_key_dates(plans, current)
    assert dates == [scenario_key_dates(plan, current) for plan in plans]
    # Every switch of the example leaves at the term end after the same project: one dict.
    switches = [
        d
        for plan, d in zip(plans, dates, strict=True)
        if plan.kind == "switch" and plan.shape != "partial"
    ]
    assert len(switches) > 1 and len({id(d) for d in switches}) == 1
    assert switches[0]["exit"] == dt.date(2027, 6, 1)  # term end 2027-05-31 + 1 day


def test_the_key_dates_table_lists_every_plans_rows_in_plan_order():
    profile = golden_profile(analysis_start="2027-05-15", contract={"renewal_term_months": 24})
    plans, current = plans_of(profile, GOLDEN)
    dates = all_key_dates(plans, current)
    rows = [row for plan in plans for row in key_date_rows(plan, current)]
    expected = pd.DataFrame(rows, columns=KEY_DATE_COLUMNS)
    table = key_dates_table(plans, dates)
    pd.testing.assert_frame_equal(table, expected, check_exact=True)
    assert list(table.dtypes) == list(expected.dtypes)


def test_key_date_rows_take_the_dates_the_caller_has():
    plans, current = plans_of(golden_profile(), GOLDEN)
    switch = next(plan for plan in plans if plan.id == "switch:target/standard")
    given_dates = scenario_key_dates(switch, current)
    assert list(key_date_rows(switch, current, given_dates)) == list(key_date_rows(switch, current))
    # The rows follow the dates given: term start first, the exit (2027-06-01) last.
    rows = list(key_date_rows(switch, current, given_dates))
    assert rows[0] == (switch.id, "term_start", "Term start", dt.date(2024, 6, 1))
    assert rows[-1] == (switch.id, "exit", "Exit from the old contract", dt.date(2027, 6, 1))
