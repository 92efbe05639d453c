"""Golden cases worked out by hand; the arithmetic is written next to each expected value.

The base case is DESIGN section 5's worked example: analysis start 2026-12-01, 36 months; 60
seats at 150 USD, annual billing, term 2024-06-01 to 2027-05-31, auto-renew 12 months, notice 30
days, uplift 7%. The fixture catalog (tests/fixtures/golden_catalog) sells full seats at 150,
Platform seats at 25 and a target CRM at 100 with a 5% renewal uplift.
"""

import datetime as dt

import pandas as pd
import pytest

from analyzer.analysis import analyze
from tests.conftest import GOLDEN
from tests.conftest import golden_profile as profile


def invoices(result, scenario_id, component):
    """Non-zero monthly amounts of one component, keyed by YYYY-MM."""
    table = result.monthly[scenario_id][component]
    return {str(month): round(amount, 3) for month, amount in table.items() if amount}


def test_a_stay_across_renewals_with_uplift_mid_term():
    result = analyze(profile(), GOLDEN)
    # 2024-06, 2025-06 and 2026-06 invoices are before 2026-12-01: sunk.
    assert invoices(result, "stay", "licenses_current") == {
        "2027-06": 115_560.0,  # 60 x 150 x 1.07 = 60 x 160.50 x 12
        "2028-06": 123_649.2,  # 115,560 x 1.07
        "2029-06": 132_304.644,  # 123,649.20 x 1.07
    }
    assert result.scenarios.loc["stay", "total"] == pytest.approx(371_513.844)
    assert result.scenarios.loc["stay", "one_time_total"] == 0


def test_key_dates_of_the_decision_term():
    dates = analyze(profile(), GOLDEN).decision_key_dates.set_index("event_id")["date"]
    assert dates["notice_deadline"] == dt.date(2027, 5, 1)  # 2027-05-31 - 30 days
    assert dates["recommended_notice"] == dt.date(2027, 4, 1)  # - 60 days
    assert dates["renewal_window_opens"] == dt.date(2027, 3, 2)  # - 90 days


def test_f_downgrade_moves_dashboards_only_role_to_platform():
    result = analyze(profile(), GOLDEN)
    sid = "downgrade:legacy/enterprise"
    licenses = result.licenses.set_index(["scenario_id", "role_id"])
    assert licenses.loc[(sid, "viewers"), "license_type_id"] == "platform"
    assert licenses.loc[(sid, "sellers"), "license_type_id"] == "full"
    # 40 x 150 + 15 x 25 = 6,375 a month from 2027-06-01 (deadline 2027-05-01 is ahead);
    # the 5 seats no role needs are dropped.
    assert result.scenarios.loc[sid, "effective_date"] == dt.date(2027, 6, 1)
    assert invoices(result, sid, "licenses_current") == {
        "2027-06": 76_500.0,  # 6,375 x 12
        "2028-06": 81_855.0,  # x 1.07 from the second downgraded term
        "2029-06": 87_584.85,  # x 1.07 again
    }
    assert result.scenarios.loc[sid, "total"] == pytest.approx(245_939.85)
    # The viewers lose forecasting (weight 2): their fit is 0 on Platform, 1 before.
    assert result.scenarios.loc[sid, "fit"] == pytest.approx(40 / 55)
    assert result.scenarios.loc[sid, "break_even_month"] == 0


def test_downgrade_to_a_lower_edition_buys_the_api_add_on_for_a_must():
    result = analyze(profile(org_needs={"api_access": "must"}), GOLDEN)
    sid = "downgrade:legacy/pro"
    # Pro sells API access as an add-on at 25: 55 x (100 + 25) = 6,875 a month.
    assert invoices(result, sid, "licenses_current")["2027-06"] == 55 * 100 * 12
    assert invoices(result, sid, "addons")["2027-06"] == 55 * 25 * 12


def test_design_switch_example():
    result = analyze(profile(), GOLDEN)
    sid = "switch:target/standard"
    row = result.scenarios.loc[sid]
    assert row["go_live"] == dt.date(2027, 4, 1)
    assert row["exit_kind"] == "term_end" and row["exit_date"] == dt.date(2027, 6, 1)
    assert invoices(result, sid, "licenses_current") == {}  # the last old invoice was 2026-06
    assert invoices(result, sid, "licenses_target") == {
        "2026-12": 66_000.0,  # 55 x 100 x 12
        "2027-12": 69_300.0,  # x 1.05
        "2028-12": 72_765.0,  # x 1.05
    }
    assert invoices(result, sid, "onboarding_fee") == {"2026-12": 3000.0}
    assert row["total"] == pytest.approx(208_065 + 3000)


def test_b_switch_going_live_before_the_term_end_pays_the_overlap():
    # A two-year term 2026-06-01 .. 2028-05-31; go-live 2027-06-01, needed until 2027-08-01.
    result = analyze(
        profile(
            contract={"start": "2026-06-01", "end": "2028-05-31"},
            migration={"months": 6, "overlap_months": 2},
        ),
        GOLDEN,
    )
    row = result.scenarios.loc["switch:target/standard"]
    assert row["exit_kind"] == "term_end" and row["exit_date"] == dt.date(2028, 6, 1)
    # The term's second annual invoice (60 x 150 x 12) is still paid beside the new CRM.
    assert invoices(result, "switch:target/standard", "licenses_current") == {"2027-06": 108_000}


def test_c_switch_after_the_notice_deadline_pays_one_more_renewal():
    # Deadline 2027-05-01 has passed on 2027-05-15: the 2027-06 renewal is paid in full.
    result = analyze(
        profile(analysis_start="2027-05-15", migration={"months": 0, "overlap_months": 0}), GOLDEN
    )
    sid = "switch:target/standard"
    assert invoices(result, sid, "licenses_current") == {"2027-06": 115_560.0}
    row = result.scenarios.loc[sid]
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
        GOLDEN,
    )
    sid = "switch:target/standard"
    # Needed until 2027-08-15, inside the renewal 2027-06-01 .. 2028-05-31 (invoiced 115,560).
    # Unused whole months from 2027-08-15 to 2028-06-01: 9 -> refund 115,560 x 9/12 = 86,670.
    # Fee: 10% x (86,670 refunded + 0 unbilled) = 8,667.
    assert invoices(result, sid, "licenses_current") == {"2027-06": 115_560.0}
    assert invoices(result, sid, "refund") == {"2027-08": -86_670.0}
    assert invoices(result, sid, "termination_fee") == {"2027-08": 8_667.0}
    row = result.scenarios.loc[sid]
    assert row["exit_kind"] == "early" and row["exit_date"] == dt.date(2027, 8, 15)
    # Waiting would cost 115,560; the early exit costs 115,560 - 86,670 + 8,667 = 37,557.
    assert "78,003.00 USD less" in row["exit_reason"]


def test_early_exit_not_taken_when_the_fee_makes_it_dearer():
    result = analyze(
        profile(
            analysis_start="2027-05-15",
            contract={"refund": "prorated", "early_termination_fee_pct": 100},
            migration={"months": 2, "overlap_months": 1},
        ),
        GOLDEN,
    )
    row = result.scenarios.loc["switch:target/standard"]
    # Refund 86,670 and a fee of 100% of it: 115,560 either way, so no gain in leaving early.
    assert row["exit_kind"] == "term_end"


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
        GOLDEN,
    )
    sid = "switch:target/standard"
    assert invoices(result, sid, "refund") == {"2026-12": -108_000.0}
    assert invoices(result, sid, "termination_fee") == {}
    assert result.scenarios.loc[sid, "exit_kind"] == "early"


def test_g_monthly_billing():
    result = analyze(
        profile(
            contract={"start": "2026-01-01", "end": "2026-12-31"},
            current={"billing": "monthly"},
            horizon_months=12,
        ),
        GOLDEN,
    )
    stay = invoices(result, "stay", "licenses_current")
    assert stay["2026-12"] == 9_000.0  # 60 x 150, the last month of the term
    assert stay["2027-01"] == 9_630.0  # 60 x 160.50 after the renewal
    assert result.scenarios.loc["stay", "total"] == pytest.approx(9_000 + 11 * 9_630)


def test_h_fx_conversion_of_a_euro_priced_monthly_target():
    result = analyze(profile(), GOLDEN)
    # 80 EUR x 1.1 USD/EUR = 88 USD a seat, billed monthly: 55 x 88 = 4,840 a month, then the
    # profile's target uplift of 5% after 12 months.
    target = invoices(result, "switch:euro/monthly", "licenses_target")
    assert target["2026-12"] == pytest.approx(4_840.0)
    assert target["2027-12"] == pytest.approx(5_082.0)
    assert len(target) == 36


def test_npv_discounts_by_month_over_twelve():
    result = analyze(profile(discount_rate=0.1), GOLDEN)
    # Stay's invoices fall in months 6, 18 and 30.
    expected = 115_560 / 1.1**0.5 + 123_649.2 / 1.1**1.5 + 132_304.644 / 1.1**2.5
    assert result.scenarios.loc["stay", "npv"] == pytest.approx(expected)


def test_break_even_month_of_a_switch():
    result = analyze(profile(), GOLDEN)
    cumulative = result.cumulative
    sid = "switch:target/standard"
    month = result.scenarios.loc[sid, "break_even_month"]
    # Cumulative, switch vs stay: month 6 69,000 vs 115,560 (below), month 12 138,300 vs
    # 115,560 (above again), month 18 138,300 vs 239,209.20 and month 24 211,065 vs 239,209.20
    # (below for good): the break-even month is 18, not 6.
    assert month == 18
    assert (cumulative[sid].iloc[18:] <= cumulative["stay"].iloc[18:]).all()
    assert cumulative[sid].iloc[17] > cumulative["stay"].iloc[17]


def test_quote_only_tier_needs_a_quote_then_is_costed():
    result = analyze(profile(), GOLDEN)
    row = result.scenarios.loc["switch:quoted/custom"]
    assert row["status"] == "needs_quote" and pd.isna(row["total"])
    assert "needs a quote for Custom Seat" in row["problems"]
    quote = {"product": "quoted", "tier": "custom", "amount": 90, "currency": "EUR"}
    quoted = analyze(profile(quotes=[quote]), GOLDEN)
    # 90 EUR x 1.1 = 99 USD a seat, 55 seats, billed annually: 65,340 in month 0.
    assert invoices(quoted, "switch:quoted/custom", "licenses_target")["2026-12"] == (
        pytest.approx(65_340.0)
    )


def test_a_role_missing_a_must_is_infeasible_even_where_a_quote_is_missing_too():
    result = analyze(
        profile(
            org_needs={"api_access": "must"},
            roles=[
                {"id": "agents", "name": "Agents", "seats": 5, "needs": {"case_management": "must"}}
            ],
        ),
        GOLDEN,
    )
    row = result.scenarios.loc["switch:quoted/custom"]
    assert row["status"] == "infeasible"
