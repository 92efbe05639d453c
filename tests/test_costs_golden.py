"""Golden cases worked out by hand; the arithmetic is written next to each expected value.

The base case is DESIGN section 5's worked example (version 2): analysis start 2026-12-01, 36
months (2026-12 .. 2029-11); 60 full seats bought at 150 USD (list 175), annual billing, term
2024-06-01 to 2027-05-31, auto-renew 12 months, notice 30 days, uplift 7% capped at list. The
fixture catalog (tests/fixtures/model_catalog) lists full seats at 175, Platform seats at 25, a
target CRM at 100 a seat (5% uplift) and a few products for the version-2 rules.
"""

import datetime as dt

import pandas as pd
import pytest
from pydantic import ValidationError

from analyzer.analysis import analyze
from analyzer.catalog import LicenseType, RunningCost
from analyzer.costs import (
    CASH_COMPONENTS,
    DECISION_ONLY_COMPONENTS,
    ONE_TIME_COMPONENTS,
    break_even_month,
    cash_total,
    decision_total,
)
from analyzer.errors import InputError
from analyzer.profile import dump_profile, parse_profile
from tests.conftest import GOLDEN
from tests.conftest import golden_profile as profile

MODEL = GOLDEN
SWITCH = "switch:target/standard"
DOWNGRADE = "downgrade:legacy/enterprise"


def invoices(result, scenario_id, component):
    """Non-zero monthly amounts of one component, keyed by YYYY-MM."""
    table = result.monthly[scenario_id][component]
    return {str(month): round(amount, 3) for month, amount in table.items() if amount}


def totals(result, scenario_id):
    """(cash total, decision total) of a scenario over the horizon."""
    table = result.monthly[scenario_id]
    return cash_total(table), decision_total(table)


# --- DESIGN section 5's worked example, figure by figure -----------------------------------


def test_design_stay_renewals_are_capped_at_list_and_credited_after_the_horizon():
    result = analyze(profile(), MODEL)
    # 2024-06, 2025-06 and 2026-06 invoices are before 2026-12-01: sunk.
    assert invoices(result, "stay", "licenses_current") == {
        "2027-06": 115_560.0,  # 60 x 150 x 1.07 = 60 x 160.50 x 12
        "2028-06": 123_649.2,  # 60 x 171.735 x 12
        "2029-06": 126_000.0,  # 171.735 x 1.07 = 183.76 > list 175: 60 x 175 x 12
    }
    # The 2029-06 invoice pays 2029-06 .. 2030-05; 6 of its 12 months fall after 2029-11.
    assert invoices(result, "stay", "prepaid_after_horizon") == {"2029-11": -63_000.0}
    cash, decision = totals(result, "stay")
    assert cash == pytest.approx(365_209.2)  # 115,560 + 123,649.20 + 126,000
    assert decision == pytest.approx(302_209.2)  # 365,209.20 - 63,000
    assert result.scenarios.loc["stay", "one_time_total"] == 0


def test_design_downgrade_keeps_the_paid_price_and_caps_platform_at_list():
    result = analyze(profile(), MODEL)
    licenses = result.licenses.set_index(["scenario_id", "role_id"])
    assert licenses.loc[(DOWNGRADE, "viewers"), "license_type_id"] == "platform"
    assert licenses.loc[(DOWNGRADE, "sellers"), "license_type_id"] == "full"
    # Effective 2027-06-01 (deadline 2027-05-01 is ahead); the 5 seats no role needs dropped.
    assert result.scenarios.loc[DOWNGRADE, "effective_date"] == dt.date(2027, 6, 1)
    assert invoices(result, DOWNGRADE, "licenses_current") == {
        "2027-06": 76_500.0,  # (40 x 150 + 15 x 25) x 12 = 6,375 x 12
        "2028-06": 81_540.0,  # (40 x 160.50 + 15 x 25: 26.75 capped at 25) x 12
        "2029-06": 86_932.8,  # (40 x 171.735 + 15 x 25) x 12
    }
    assert invoices(result, DOWNGRADE, "prepaid_after_horizon") == {"2029-11": -43_466.4}
    cash, decision = totals(result, DOWNGRADE)
    assert cash == pytest.approx(244_972.8)  # 76,500 + 81,540 + 86,932.80
    assert decision == pytest.approx(201_506.4)  # - 86,932.80 x 6/12
    # Fit, musts weighing 5: sellers (5 x 1 + 4 x 1) / 9 = 1; viewers on Platform
    # (5 x 1 dashboards + 2 x 0 forecasting) / 7 = 5/7; seat-weighted (40 + 15 x 5/7) / 55.
    assert result.scenarios.loc[DOWNGRADE, "fit"] == pytest.approx((40 + 15 * 5 / 7) / 55)


def test_design_switch_ramps_from_five_project_seats_to_all_at_go_live():
    result = analyze(profile(), MODEL)
    row = result.scenarios.loc[SWITCH]
    # Go-live 2026-12-01 + 4 months; needed until + 1 month; exit at the term end.
    assert row["go_live"] == dt.date(2027, 4, 1)
    assert row["exit_kind"] == "term_end" and row["exit_date"] == dt.date(2027, 6, 1)
    assert invoices(result, SWITCH, "licenses_current") == {}  # the last old invoice was 2026-06
    assert invoices(result, SWITCH, "licenses_target") == {
        "2026-12": 6_000.0,  # 5 project seats x 100 x 12
        "2027-04": 40_000.0,  # 50 more seats x 100 x 8 months left to 2027-11
        "2027-12": 66_000.0,  # 55 x 100 x 12: 105 capped at the list price 100
        "2028-12": 66_000.0,
    }
    # The 2028-12 period ends with the horizon (2029-11): nothing to credit.
    assert invoices(result, SWITCH, "prepaid_after_horizon") == {}
    assert invoices(result, SWITCH, "onboarding_fee") == {"2026-12": 3_000.0}
    cash, decision = totals(result, SWITCH)
    assert cash == decision == pytest.approx(178_000 + 3_000)


def test_design_switch_variant_with_a_list_price_of_120_and_a_net_quote_of_100():
    quote = {"product": "premium", "tier": "standard", "amount": 100, "currency": "USD"}
    result = analyze(profile(quotes=[quote], target_discount_pct=20), MODEL)
    # A net quote takes no target discount; the renewals rise 5% under the list cap of 120.
    assert invoices(result, "switch:premium/standard", "licenses_target") == {
        "2026-12": 6_000.0,  # 5 x 100 x 12
        "2027-04": 40_000.0,  # 50 x 100 x 8
        "2027-12": 69_300.0,  # 55 x 105 x 12
        "2028-12": 72_765.0,  # 55 x 110.25 x 12
    }


# --- hand-worked goldens for each version-2 rule --------------------------------------------


def test_a_horizon_cutting_an_annual_period_credits_its_months_after_the_horizon():
    result = analyze(profile(horizon_months=24), MODEL)
    # Horizon 2026-12 .. 2028-11; the 2028-06 invoice (123,649.20) pays 2028-06 .. 2029-05,
    # 6 of its 12 months after the horizon: credit 123,649.20 x 6/12 = 61,824.60 in 2028-11.
    assert invoices(result, "stay", "prepaid_after_horizon") == {"2028-11": -61_824.6}
    cash, decision = totals(result, "stay")
    assert cash == pytest.approx(239_209.2)  # 115,560 + 123,649.20
    assert decision == pytest.approx(177_384.6)  # 239,209.20 - 61,824.60


def test_list_growth_moves_the_cap_in_whole_years_from_the_analysis_start():
    result = analyze(profile(contract={"list_growth_pct": 2}), MODEL)
    # 2029-06-01 is 2 whole years after 2026-12-01: cap 175 x 1.02^2 = 182.07 < 183.76.
    # 2028-06-01 is 1 year after: cap 178.50 > 171.735, so the uplift stands.
    stay = invoices(result, "stay", "licenses_current")
    assert stay["2028-06"] == 123_649.2
    assert stay["2029-06"] == pytest.approx(60 * 182.07 * 12)  # 131,090.40


def test_without_a_cap_the_uplift_compounds_above_list():
    result = analyze(profile(contract={"uplift_cap": "none"}), MODEL)
    # 150 x 1.07^3 = 183.762... : 60 x 183.762 x 12 = 132,304.644
    assert invoices(result, "stay", "licenses_current")["2029-06"] == 132_304.644


def test_a_project_seat_ramp_taken_from_the_roles_in_profile_order_into_mixed_prices():
    # Target mixed/suite has a 60-seat minimum, so the ramp is moot there; premium has one
    # price, so use the monthly target billing of premium (130 a month) for a mid-term ramp
    # whose monthly invoices need no pro rata: 8 project seats for 4 months, then 55.
    result = analyze(profile(target_billing="monthly", migration={"project_seats": 8}), MODEL)
    target = invoices(result, "switch:premium/standard", "licenses_target")
    assert target["2026-12"] == target["2027-03"] == 1_040.0  # 8 x 130
    assert target["2027-04"] == 7_150.0  # 55 x 130
    # Renewal 2027-12: 130 x 1.05 = 136.50 above the monthly list 130: capped.
    assert target["2027-12"] == 7_150.0
    assert len(target) == 36
    cash, decision = totals(result, "switch:premium/standard")
    assert cash == decision == pytest.approx(4 * 1_040 + 32 * 7_150)  # 232,960


def test_go_live_in_a_later_term_adds_seats_pro_rata_to_that_terms_end():
    result = analyze(profile(migration={"months": 14, "overlap_months": 0}), MODEL)
    # Go-live 2028-02-01, inside the second 12-month term (2027-12 .. 2028-11): the 2027-12
    # renewal is for the 5 project seats, and the 50 others pay 10 months at go-live.
    assert invoices(result, SWITCH, "licenses_target") == {
        "2026-12": 6_000.0,  # 5 x 100 x 12
        "2027-12": 6_000.0,  # 5 x 100 x 12 (105 capped at 100)
        "2028-02": 50_000.0,  # 50 x 100 x 10 months to 2028-11
        "2028-12": 66_000.0,  # 55 x 100 x 12
    }


def test_a_flat_monthly_quote_is_net_and_renews_uncapped_without_a_list():
    quote = {
        "product": "quoted",
        "tier": "custom",
        "amount": 2000,
        "currency": "USD",
        "unit": "flat_month",
    }
    result = analyze(profile(quotes=[quote], target_discount_pct=10), MODEL)
    # Flat: the whole price from the start, whatever the seats; net: no 10% off; uplift 5%
    # (the profile's target uplift), no list to cap it.
    assert invoices(result, "switch:quoted/custom", "licenses_target") == {
        "2026-12": 24_000.0,  # 2,000 x 12
        "2027-12": 25_200.0,  # 2,100 x 12
        "2028-12": 26_460.0,  # 2,205 x 12
    }


def test_a_flat_list_quote_takes_the_discount_and_is_capped_by_itself():
    quote = {
        "product": "quoted",
        "tier": "custom",
        "amount": 2000,
        "currency": "USD",
        "unit": "flat_month",
        "list": True,
    }
    result = analyze(profile(quotes=[quote], target_discount_pct=10, target_uplift_pct=10), MODEL)
    assert invoices(result, "switch:quoted/custom", "licenses_target") == {
        "2026-12": 21_600.0,  # 2,000 less 10% = 1,800 x 12
        "2027-12": 23_760.0,  # 1,980 x 12 (below the list 2,000)
        "2028-12": 24_000.0,  # 1,980 x 1.10 = 2,178 capped at 2,000: 2,000 x 12
    }


def test_a_self_hosted_target_pays_its_running_costs_from_go_live():
    result = analyze(profile(), MODEL)
    sid = "switch:selfhost/community"
    # Hosting 400 flat (product) + administration 10 x 55 users (tier) = 950 a month, from
    # go-live 2027-04 to 2029-11: 32 months.
    running = invoices(result, sid, "running_costs")
    assert len(running) == 32 and set(running.values()) == {950.0}
    assert min(running) == "2027-04"
    assert sum(invoices(result, sid, "licenses_target").values()) == 0


def test_a_profile_running_cost_replaces_the_catalog_item_of_the_same_name():
    item = {"product": "selfhost", "name": "Hosting", "amount": 300, "currency": "EUR"}
    extra = {
        "product": "selfhost",
        "name": "Support plan",
        "amount": 2,
        "currency": "USD",
        "unit": "per_user_month",
    }
    result = analyze(profile(running_costs=[item, extra]), MODEL)
    # 300 EUR x 1.1 = 330 for hosting + 10 x 55 administration + 2 x 55 support = 990.
    running = invoices(result, "switch:selfhost/community", "running_costs")
    assert set(running.values()) == {990.0}


def test_a_self_hosted_tier_without_running_costs_needs_a_quote():
    result = analyze(profile(), MODEL)
    row = result.scenarios.loc["switch:barehost/community"]
    assert row["status"] == "needs_quote"
    assert "nothing is free to run" in row["problems"]
    item = {"product": "barehost", "name": "Hosting", "amount": 500, "currency": "USD"}
    costed = analyze(profile(running_costs=[item]), MODEL)
    running = invoices(costed, "switch:barehost/community", "running_costs")
    assert set(running.values()) == {500.0} and len(running) == 32


def test_mixed_billing_each_seat_follows_its_own_license():
    roles = [
        {"id": "viewers", "name": "Viewers", "seats": 15, "needs": {"dashboards": "must"}},
        {
            "id": "sellers",
            "name": "Sellers",
            "seats": 40,
            "needs": {"opportunity_management": "must"},
        },
    ]
    result = analyze(profile(roles=roles, migration={"months": 0, "overlap_months": 0}), MODEL)
    sid = "switch:mixed/suite"
    # Sellers need full opportunities: sales seats at 90, billed annually; viewers take the
    # monthly-billed viewer seat at 20 although they come first; 5 sales seats pad to 60.
    target = invoices(result, sid, "licenses_target")
    assert target["2026-12"] == 48_900.0  # (40 + 5) x 90 x 12 + 15 x 20
    assert target["2027-01"] == 300.0  # 15 x 20 a month
    assert target["2027-12"] == 48_900.0  # 10% uplift capped at list: unchanged
    cash, _ = totals(result, sid)
    assert cash == pytest.approx(3 * 48_600 + 36 * 300)  # 156,600
    # 40 + 15 role seats padded with 5 to the tier's minimum of 60; Stay holds 60 seats.
    assert result.scenarios.loc[sid, "seats"] == 60
    assert result.scenarios.loc["stay", "seats"] == 60


def test_a_limited_must_passes_only_when_written_must_limited():
    def sellers(need):
        return [
            {
                "id": "sellers",
                "name": "Sellers",
                "seats": 55,
                "needs": {"opportunity_management": need, "forecasting": 4},
            }
        ]

    licenses = analyze(profile(roles=sellers("must")), MODEL).licenses
    strict = licenses.set_index(["scenario_id", "role_id"])
    assert strict.loc[("switch:mixed/suite", "sellers"), "license_type_id"] == "sales"
    lenient = analyze(profile(roles=sellers("must_limited")), MODEL)
    chosen = lenient.licenses.set_index(["scenario_id", "role_id"])
    assert chosen.loc[("switch:mixed/suite", "sellers"), "license_type_id"] == "viewer"
    # Fit on the viewer seat: (5 x 0.5 limited opportunities + 4 x 0 forecasting) / 9.
    assert lenient.scenarios.loc["switch:mixed/suite", "fit"] == pytest.approx(2.5 / 9)
    # Pro has dashboards only `limited`: a plain must is infeasible there.
    viewers = [{"id": "v", "name": "V", "seats": 15, "needs": {"dashboards": "must"}}]
    assert analyze(profile(roles=viewers), MODEL).scenarios.loc[
        "downgrade:legacy/pro", "status"
    ] == ("infeasible")


def test_an_exit_needed_on_a_renewals_first_day_leaves_before_paying_it():
    # Term 2024-06-15 .. 2027-06-14, notice 60 days (deadline 2027-04-15, already passed on
    # 2027-05-15): the old system is needed until 2027-06-15, the renewal's first day.
    changes = {
        "analysis_start": "2027-05-15",
        "contract": {
            "start": "2024-06-15",
            "end": "2027-06-14",
            "notice_days": 60,
            "refund": "prorated",
            "early_termination_fee_pct": 10,
        },
        "migration": {"months": 1, "overlap_months": 0},
    }
    result = analyze(profile(**changes), MODEL)
    row = result.scenarios.loc[SWITCH]
    assert row["exit_kind"] == "early" and row["exit_date"] == dt.date(2027, 6, 15)
    # Nothing of the renewal is paid: no refund; the fee is 10% of its unbilled invoice
    # 60 x 160.50 x 12 = 115,560, i.e. 11,556, instead of paying 115,560.
    assert invoices(result, SWITCH, "licenses_current") == {}
    assert invoices(result, SWITCH, "refund") == {}
    assert invoices(result, SWITCH, "termination_fee") == {"2027-06": 11_556.0}
    assert "nothing of the term starting 2027-06-15 is paid yet" in row["exit_reason"]
    changes["contract"] |= {"refund": "full_within_days", "full_refund_days": 30}
    free = analyze(profile(**changes), MODEL)
    # Within the full-refund window on day one: no refund due, no fee.
    assert free.scenarios.loc[SWITCH, "exit_kind"] == "early"
    assert invoices(free, SWITCH, "termination_fee") == {}


def test_project_overrun_at_the_most_likely_value_is_spread_like_the_project():
    migration = {
        "records": 100_000,
        "cost_per_thousand_records": 10,  # 1,000
        "fixed_cost": 3_000,  # data migration 4,000
        "integrations": 2,
        "cost_per_integration": 2_000,  # 4,000
        "customization_hours": 40,
        "hourly_rate": 100,  # 4,000
        "training_hours_per_user": 2,
        "overrun_pct": [10, 25, 60],
    }
    result = analyze(profile(migration=migration), MODEL)
    # 25% x (4,000 + 4,000 + 4,000) = 3,000 over the 4 project months: 750 a month.
    assert invoices(result, SWITCH, "project_overrun") == {
        "2026-12": 750.0,
        "2027-01": 750.0,
        "2027-02": 750.0,
        "2027-03": 750.0,
    }
    # Training: 55 users x 2 hours x 100 in the go-live month.
    assert invoices(result, SWITCH, "training") == {"2027-04": 11_000.0}
    assert "project_overrun" in ONE_TIME_COMPONENTS


# --- rules kept from version 1 --------------------------------------------------------------


def test_key_dates_of_the_decision_term():
    dates = analyze(profile(), GOLDEN).decision_key_dates.set_index("event_id")["date"]
    assert dates["notice_deadline"] == dt.date(2027, 5, 1)  # 2027-05-31 - 30 days
    assert dates["recommended_notice"] == dt.date(2027, 4, 1)  # - 60 days
    assert dates["renewal_window_opens"] == dt.date(2027, 3, 2)  # - 90 days


def test_downgrade_to_a_lower_edition_buys_the_api_add_on_for_a_must():
    roles = [
        {"id": "sellers", "name": "Sellers", "seats": 40, "needs": {}},
        {"id": "viewers", "name": "Viewers", "seats": 15, "needs": {"dashboards": "must_limited"}},
    ]
    result = analyze(profile(roles=roles, org_needs={"api_access": "must"}), MODEL)
    sid = "downgrade:legacy/pro"
    # Pro sells API access as an add-on at 25: 55 x (100 + 25) = 6,875 a month.
    assert invoices(result, sid, "licenses_current")["2027-06"] == 55 * 100 * 12
    assert invoices(result, sid, "addons")["2027-06"] == 55 * 25 * 12


def test_b_switch_going_live_before_the_term_end_pays_the_overlap():
    # A two-year term 2026-06-01 .. 2028-05-31; go-live 2027-06-01, needed until 2027-08-01.
    result = analyze(
        profile(
            contract={"start": "2026-06-01", "end": "2028-05-31"},
            migration={"months": 6, "overlap_months": 2},
        ),
        MODEL,
    )
    row = result.scenarios.loc[SWITCH]
    assert row["exit_kind"] == "term_end" and row["exit_date"] == dt.date(2028, 6, 1)
    # The term's second annual invoice (60 x 150 x 12) is still paid beside the new CRM.
    assert invoices(result, SWITCH, "licenses_current") == {"2027-06": 108_000}


def test_c_switch_after_the_notice_deadline_pays_one_more_renewal():
    # Deadline 2027-05-01 has passed on 2027-05-15: the 2027-06 renewal is paid in full.
    result = analyze(
        profile(analysis_start="2027-05-15", migration={"months": 0, "overlap_months": 0}), MODEL
    )
    assert invoices(result, SWITCH, "licenses_current") == {"2027-06": 115_560.0}
    row = result.scenarios.loc[SWITCH]
    assert row["exit_date"] == dt.date(2028, 6, 1)
    assert "has passed" in row["exit_reason"]


def test_d_prorated_early_exit_with_fee_is_cheaper_than_waiting():
    # As (c), but the contract refunds unused months pro rata and charges a 10% fee.
    result = analyze(
        profile(
            analysis_start="2027-05-15",
            contract={"refund": "prorated", "early_termination_fee_pct": 10},
            migration={"months": 2, "overlap_months": 1},
        ),
        MODEL,
    )
    # Needed until 2027-08-15, inside the renewal 2027-06-01 .. 2028-05-31 (invoiced 115,560).
    # Unused whole months from 2027-08-15 to 2028-06-01: 9 -> refund 115,560 x 9/12 = 86,670.
    # Fee: 10% x (86,670 refunded + 0 unbilled) = 8,667.
    assert invoices(result, SWITCH, "licenses_current") == {"2027-06": 115_560.0}
    assert invoices(result, SWITCH, "refund") == {"2027-08": -86_670.0}
    assert invoices(result, SWITCH, "termination_fee") == {"2027-08": 8_667.0}
    row = result.scenarios.loc[SWITCH]
    assert row["exit_kind"] == "early" and row["exit_date"] == dt.date(2027, 8, 15)
    # Waiting would cost 115,560; the early exit costs 115,560 - 86,670 + 8,667 = 37,557.
    assert "78,003.00 USD less" in row["exit_reason"]


def test_a_refund_inside_the_horizon_gives_back_the_credit_of_its_invoice():
    # As (d) with a 12-month horizon (2027-05 .. 2028-04): the 2027-06 invoice runs one month
    # past the horizon (credit 115,560 / 12 = 9,630), the refund covers that month again
    # (86,670 x 1/9 = 9,630 given back): the month is refunded once, not twice.
    result = analyze(
        profile(
            analysis_start="2027-05-15",
            horizon_months=12,
            contract={"refund": "prorated", "early_termination_fee_pct": 10},
            migration={"months": 2, "overlap_months": 1},
        ),
        MODEL,
    )
    # The target's own invoices (2027-05-15 for 5 seats and 2027-07-15 for 50 more, both
    # paying up to 2028-05-15) have no whole month after 2028-05-01: nothing else to credit.
    assert invoices(result, SWITCH, "refund") == {"2027-08": -86_670.0}
    assert invoices(result, SWITCH, "prepaid_after_horizon") == {}
    cash, decision = totals(result, SWITCH)
    assert decision == pytest.approx(cash)


def test_early_exit_not_taken_when_the_fee_makes_it_dearer():
    result = analyze(
        profile(
            analysis_start="2027-05-15",
            contract={"refund": "prorated", "early_termination_fee_pct": 100},
            migration={"months": 2, "overlap_months": 1},
        ),
        MODEL,
    )
    # Refund 86,670 and a fee of 100% of it: 115,560 either way, so no gain in leaving early.
    assert result.scenarios.loc[SWITCH, "exit_kind"] == "term_end"


def test_e_full_refund_inside_the_first_30_days():
    # Term 2026-11-20 .. 2027-11-19 invoiced 108,000 on 2026-11-20 (sunk); leaving on
    # 2026-12-01, 11 days in, refunds the whole invoice with no fee.
    result = analyze(
        profile(
            contract={
                "start": "2026-11-20",
                "end": "2027-11-19",
                "refund": "full_within_days",
                "full_refund_days": 30,
                "early_termination_fee_pct": 10,
            },
            migration={"months": 0, "overlap_months": 0},
        ),
        MODEL,
    )
    assert invoices(result, SWITCH, "refund") == {"2026-12": -108_000.0}
    assert invoices(result, SWITCH, "termination_fee") == {}
    assert result.scenarios.loc[SWITCH, "exit_kind"] == "early"


def test_g_monthly_billing():
    result = analyze(
        profile(
            contract={"start": "2026-01-01", "end": "2026-12-31"},
            current={"billing": "monthly"},
            horizon_months=12,
        ),
        MODEL,
    )
    stay = invoices(result, "stay", "licenses_current")
    assert stay["2026-12"] == 9_000.0  # 60 x 150, the last month of the term
    assert stay["2027-01"] == 9_630.0  # 60 x 160.50 after the renewal
    assert totals(result, "stay")[1] == pytest.approx(9_000 + 11 * 9_630)


def test_h_fx_conversion_of_a_euro_priced_monthly_target():
    result = analyze(profile(), MODEL)
    # 80 EUR x 1.1 USD/EUR = 88 USD a seat, billed monthly: 5 project seats (440 a month)
    # for 4 months, then 55 x 88 = 4,840; the 5% renewal is capped at the list price 88.
    target = invoices(result, "switch:euro/monthly", "licenses_target")
    assert target["2026-12"] == pytest.approx(440.0)
    assert target["2027-04"] == pytest.approx(4_840.0)
    assert target["2027-12"] == pytest.approx(4_840.0)
    assert len(target) == 36


def test_npv_discounts_the_decision_view_by_month_over_twelve():
    result = analyze(profile(discount_rate=0.1), MODEL)
    # Stay's invoices fall in months 6, 18 and 30; the credit in month 35.
    expected = (
        115_560 / 1.1**0.5 + 123_649.2 / 1.1**1.5 + 126_000 / 1.1**2.5 - 63_000 / 1.1 ** (35 / 12)
    )
    assert result.scenarios.loc["stay", "npv"] == pytest.approx(expected)


def test_break_even_month_of_a_switch():
    result = analyze(profile(), MODEL)
    cumulative = result.cumulative
    month = result.scenarios.loc[SWITCH, "break_even_month"]
    # Cumulative, switch vs stay: months 0-3 9,000 vs 0 and months 4-5 49,000 vs 0 (above);
    # month 6 49,000 vs 115,560, month 12 115,000 vs 115,560, month 24 181,000 vs 239,209.20,
    # month 35 181,000 vs 302,209.20 (below for good): the break-even month is 6.
    assert month == 6
    assert (cumulative[SWITCH].iloc[6:] <= cumulative["stay"].iloc[6:]).all()
    assert cumulative[SWITCH].iloc[5] > cumulative["stay"].iloc[5]


def test_break_even_is_none_when_nothing_differs_and_zero_when_cheaper_throughout():
    same = pd.Series([0.0, 10.0, 10.0]).to_numpy()
    assert break_even_month(same, same.copy()) is None
    assert break_even_month(same * 0.5, same) == 0
    assert break_even_month(same * 2, same) is None


def test_quote_only_tier_needs_a_quote_then_is_costed():
    result = analyze(profile(), MODEL)
    row = result.scenarios.loc["switch:quoted/custom"]
    assert row["status"] == "needs_quote" and pd.isna(row["total"])
    assert "needs a quote for Custom Seat" in row["problems"]
    quote = {"product": "quoted", "tier": "custom", "amount": 90, "currency": "EUR"}
    quoted = analyze(profile(quotes=[quote]), MODEL)
    # 90 EUR x 1.1 = 99 USD a seat, billed annually: 5 project seats x 99 x 12 = 5,940 in
    # month 0, then 50 x 99 x 8 = 39,600 at go-live.
    target = invoices(quoted, "switch:quoted/custom", "licenses_target")
    assert target["2026-12"] == pytest.approx(5_940.0)
    assert target["2027-04"] == pytest.approx(39_600.0)


def test_a_role_missing_a_must_is_infeasible_even_where_a_quote_is_missing_too():
    result = analyze(
        profile(
            org_needs={"api_access": "must"},
            roles=[
                {"id": "agents", "name": "Agents", "seats": 5, "needs": {"case_management": "must"}}
            ],
        ),
        MODEL,
    )
    assert result.scenarios.loc["switch:quoted/custom", "status"] == "infeasible"


def test_the_cash_view_is_every_component_but_the_credit():
    assert DECISION_ONLY_COMPONENTS == ("prepaid_after_horizon",)
    assert "prepaid_after_horizon" not in CASH_COMPONENTS


# --- inputs of the cost model ---------------------------------------------------------------


def test_a_profile_running_cost_for_an_unknown_product_is_a_located_error():
    text = dump_profile(profile()) + (
        "running_costs:\n- product: nosuchcrm\n  name: Hosting\n  amount: 100\n  currency: USD\n"
    )
    text = text.replace("running_costs: []\n", "")
    with pytest.raises(InputError) as caught:
        parse_profile(text, MODEL, "p.yaml")
    (problem,) = caught.value.problems
    assert problem.field == "running_costs.0.product"
    assert problem.line == text.splitlines().index("- product: nosuchcrm") + 1
    assert "unknown product 'nosuchcrm'" in problem.message


def test_version_two_profile_fields_round_trip_and_default_for_old_profiles():
    old = profile()
    assert old.target_billing == "annual" and old.migration.project_seats == 5
    assert old.running_costs == [] and old.current.contract.uplift_cap == "list"
    quote = {"product": "quoted", "tier": "custom", "amount": 10, "currency": "USD"}
    new = profile(
        quotes=[quote | {"unit": "flat_month", "list": True}],
        running_costs=[{"product": "selfhost", "name": "Hosting", "amount": 1, "currency": "USD"}],
        target_billing="monthly",
        contract={"uplift_cap": "none", "list_growth_pct": 3, "data_return_days": 60},
    )
    assert parse_profile(dump_profile(new), MODEL) == new


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"confidence": "estimate"}, "needs its reasoning in `note`"),
        ({"unit": "one_time"}, "not one_time"),
    ],
)
def test_catalog_running_costs_are_recurring_and_estimates_explain_themselves(changes, message):
    price = {
        "amount": 100,
        "currency": "USD",
        "unit": "flat_month",
        "source": "https://example.com/pricing",
        "as_of": "2026-01-01",
    }
    with pytest.raises(ValidationError, match=message):
        RunningCost.model_validate({"name": "Hosting", "price": price | changes})


def test_a_second_price_must_be_the_monthly_one_beside_an_annual_one():
    price = {"amount": 10, "currency": "USD", "source": "https://e.com/p", "as_of": "2026-01-01"}
    seat = {"id": "seat", "name": "Seat", "price": price}
    LicenseType.model_validate(seat | {"monthly_price": price | {"billing": "monthly"}})
    with pytest.raises(ValidationError, match="must have `billing: monthly`"):
        LicenseType.model_validate(seat | {"monthly_price": price})
