"""The exit plan of DESIGN section 5b, date by date.

Every expected date below is worked out by hand in the comment next to it, from the contract,
the project and the rules: N = term end - notice days (an early exit on X: X - notice days, or
the analysis start when already past); recommended notice = N - 30 (never before the renewal
window, 90 days before the term end, nor in the plan before the analysis start); chase 14 days
after sending; escalate at N - 7 (at least a week after the chase); final export at cutover but
at least one export cycle + 7 days before access ends; users frozen when the old system is last
needed; deactivation after the verified export; data request within data_return_days of X.
"""

import datetime as dt

import pandas as pd
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer import exit_plan
from analyzer.analysis import analyze, build_plans, combination_plans
from analyzer.costs import Current
from analyzer.exitplan import (
    EXIT_PLAN_COLUMNS,
    STEP_CATEGORIES,
    exit_plan_steps,
    exit_plans_table,
)
from analyzer.keydates import all_key_dates, scenario_key_dates
from analyzer.profile import parse_profile
from analyzer.resources import example_profile
from tests.conftest import GOLDEN
from tests.conftest import golden_profile as profile

SWITCH = "switch:target/standard"
D = dt.date


def plan_rows(result, sid):
    """(date, step) of every step, in the plan's order."""
    plan = exit_plan(result, sid)
    return list(zip(plan["date"], plan["step"], strict=True))


def bundled(catalog, change=None):
    """The bundled example profile, its YAML mapping changed in place by ``change``."""
    data = yaml.safe_load(example_profile().read_text(encoding="utf-8"))
    if change:
        change(data)
    return parse_profile(yaml.safe_dump(data), catalog)


# The notice steps every switch of a normal exit has, for a term ending on `end` with `notice`
# days: window end - 90, send N - 30 (with the self-service route and the add-ons on the same
# day), chase +14, escalate max(N - 7, chase + 7), N.
def test_bundled_example_recommended_downgrade_date_by_date(catalog):
    result = analyze(bundled(catalog), catalog, samples=0)
    assert result.recommendation.scenario_id == "downgrade:salesforce/enterprise"
    # Term 2024-09-01 .. 2027-08-31, 30 days' notice: N = 2027-08-01. Enterprise exports every
    # 7 days: the backup before the change is 7 + 7 = 14 days before 2027-09-01.
    assert plan_rows(result, "downgrade:salesforce/enterprise") == [
        (D(2027, 6, 2), "Renewal window opens"),  # 2027-08-31 - 90 days
        (D(2027, 7, 2), "Send written seat and edition reduction notice (recommended)"),  # N-30
        (D(2027, 7, 2), "Check integrations and API access"),  # decided before the notice
        (D(2027, 7, 16), "Chase the written confirmation"),  # 07-02 + 14
        (D(2027, 7, 25), "Escalate if not confirmed"),  # N - 7 = 07-25 > chase + 7 = 07-23
        (D(2027, 8, 1), "Hard notice deadline"),  # 2027-08-31 - 30 days
        (D(2027, 8, 18), "Final full data export"),  # 2027-09-01 - 14 days
        (D(2027, 8, 18), "Retrieve the metadata"),
        (D(2027, 8, 19), "Verify the export"),  # the next day: files are kept 48 hours
        (D(2027, 9, 1), "Downgrade takes effect"),
        (D(2027, 9, 1), "Check the first invoice"),  # the renewal invoice on the term's start
    ]
    plan = exit_plan(result, "downgrade:salesforce/enterprise")
    assert not plan["warning"].any()
    # Enterprise keeps the API: the check only lists integrations to retest.
    api = plan.loc[plan["step"] == "Check integrations and API access", "detail"].item()
    assert "includes API access" in api


def test_bundled_example_switch_date_by_date(catalog):
    result = analyze(bundled(catalog), catalog, samples=0)
    sid = "switch:odoo/standard"
    # Project from 2026-12-01, 4 months: go-live 2027-04-01, needed until 2027-05-01; the exit
    # is the term end, access ends 2027-09-01. Final export at cutover, 2027-05-01, well before
    # 2027-09-01 - 14 days.
    assert plan_rows(result, sid) == [
        (D(2026, 12, 1), "Baseline full data export"),  # project start = analysis start
        (D(2027, 4, 1), "Go-live on the new CRM"),
        (D(2027, 5, 1), "Freeze users on the old CRM"),  # the old system is last needed
        (D(2027, 5, 1), "Final full data export"),  # min(05-01, 09-01 - 14 = 08-18)
        (D(2027, 5, 1), "Retrieve the metadata"),
        (D(2027, 5, 2), "Verify the export"),
        (D(2027, 5, 3), "Reassign record ownership"),  # after the verified export
        (D(2027, 5, 4), "Deactivate users and integration users"),
        (D(2027, 6, 2), "Renewal window opens"),
        (D(2027, 7, 2), "Send written cancellation notice (recommended)"),
        (D(2027, 7, 2), "Cancel through the self-service route too"),  # Salesforce only
        (D(2027, 7, 2), "Cancel add-on subscriptions and integration users"),
        (D(2027, 7, 16), "Chase the written confirmation"),
        (D(2027, 7, 25), "Escalate if not confirmed"),
        (D(2027, 8, 1), "Hard notice deadline"),
        (D(2027, 9, 1), "Old CRM access ends"),
        (D(2027, 9, 1), "Check billing statement 1"),  # the renewal invoice it would have sent
        (D(2027, 10, 1), "Last day to request missing data"),  # 09-01 + 30 days
        (D(2028, 9, 1), "Check billing statement 2"),  # the next yearly invoice
    ]
    plan = exit_plan(result, sid)
    route = plan.loc[plan["step"] == "Cancel through the self-service route too", "detail"]
    assert "Manage Subscription" in route.item()
    owners = dict(zip(plan["step"], plan["owner"], strict=True))
    assert owners["Hard notice deadline"] == "procurement"
    assert owners["Final full data export"] == "admin"
    assert owners["Check billing statement 1"] == "finance"
    assert plan["why"].str.len().gt(0).all()
    export = plan.loc[plan["step"] == "Final full data export", "detail"].item()
    assert "Include images, documents, and attachments" in export
    assert "Include Salesforce Files" in export


def test_early_exit_with_a_prorated_refund():
    # Golden case (d): on 2027-05-15 the deadline of the term ending 2027-05-31 has passed; the
    # renewal 2027-06-01 .. 2028-05-31 is left early on X = 2027-08-15 (2-month project, 1
    # month overlap: go-live 2027-07-15). The golden catalog gives no export cycle: 29 days.
    result = analyze(
        profile(
            analysis_start="2027-05-15",
            contract={"refund": "prorated", "early_termination_fee_pct": 10},
            migration={"months": 2, "overlap_months": 1},
        ),
        GOLDEN,
        samples=0,
    )
    assert result.scenarios.loc[SWITCH, "exit_kind"] == "early"
    assert plan_rows(result, SWITCH) == [
        (D(2027, 5, 15), "Baseline full data export"),
        # N = X - 30 = 2027-07-16; send N - 30 = 2027-06-16 (no renewal window: not waited for)
        (D(2027, 6, 16), "Send written cancellation notice (recommended)"),
        (D(2027, 6, 16), "Cancel add-on subscriptions and integration users"),
        (D(2027, 6, 30), "Chase the written confirmation"),  # + 14
        (D(2027, 7, 9), "Escalate if not confirmed"),  # N - 7 = 07-09 > chase + 7 = 07-07
        (D(2027, 7, 10), "Final full data export"),  # X - (29 + 7) = 2027-07-10
        (D(2027, 7, 10), "Retrieve the metadata"),
        (D(2027, 7, 11), "Verify the export"),
        (D(2027, 7, 15), "Go-live on the new CRM"),
        (D(2027, 7, 16), "Hard notice deadline"),
        # Needed until X itself: freeze and offboard on the last day of access.
        (D(2027, 8, 14), "Freeze users on the old CRM"),
        (D(2027, 8, 14), "Reassign record ownership"),
        (D(2027, 8, 14), "Deactivate users and integration users"),
        (D(2027, 8, 15), "Old CRM access ends"),
        (D(2027, 9, 14), "Last day to request missing data"),  # X + 30
        (D(2027, 9, 14), "Check the refund or credit note"),  # X + 30
        (D(2028, 6, 1), "Check billing statement 1"),  # first yearly invoice after X
        (D(2029, 6, 1), "Check billing statement 2"),
    ]
    plan = exit_plan(result, SWITCH)
    export = plan.loc[plan["step"] == "Final full data export", "detail"].item()
    assert "still used until 2027-08-14" in export
    assert not plan["warning"].any()


def test_exit_inside_a_full_refund_window():
    # Term 2026-11-20 .. 2027-11-19 (invoiced on 2026-11-20), full refund within 90 days: the
    # window closes 2027-02-18 (11-20 + 10 + 31 + 31 + 18). A 2-month project without overlap
    # needs the old system until X = 2027-02-01, inside the window.
    result = analyze(
        profile(
            contract={
                "start": "2026-11-20",
                "end": "2027-11-19",
                "refund": "full_within_days",
                "full_refund_days": 90,
            },
            migration={"months": 2, "overlap_months": 0},
        ),
        GOLDEN,
        samples=0,
    )
    assert result.scenarios.loc[SWITCH, "exit_kind"] == "early"
    assert plan_rows(result, SWITCH) == [
        (D(2026, 12, 1), "Baseline full data export"),
        # N = 2027-02-01 - 30 = 2027-01-02; send N - 30 = 2026-12-03.
        (D(2026, 12, 3), "Send written cancellation notice (recommended)"),
        (D(2026, 12, 3), "Cancel add-on subscriptions and integration users"),
        (D(2026, 12, 17), "Chase the written confirmation"),
        (D(2026, 12, 26), "Escalate if not confirmed"),  # N - 7 > chase + 7 = 12-24
        (D(2026, 12, 27), "Final full data export"),  # 02-01 - 36 days
        (D(2026, 12, 27), "Retrieve the metadata"),
        (D(2026, 12, 28), "Verify the export"),
        (D(2027, 1, 2), "Hard notice deadline"),
        (D(2027, 1, 31), "Freeze users on the old CRM"),
        (D(2027, 1, 31), "Reassign record ownership"),
        (D(2027, 1, 31), "Deactivate users and integration users"),
        (D(2027, 2, 1), "Go-live on the new CRM"),
        (D(2027, 2, 1), "Old CRM access ends"),
        (D(2027, 2, 18), "Full-refund window closes"),
        (D(2027, 3, 3), "Last day to request missing data"),  # 02-01 + 30 (28-day February)
        (D(2027, 3, 3), "Check the refund or credit note"),
        (D(2027, 11, 20), "Check billing statement 1"),
        (D(2028, 11, 20), "Check billing statement 2"),
    ]


def test_missed_deadline_forces_a_renewal():
    # On 2027-05-15 the deadline 2027-05-01 of the term ending 2027-05-31 has passed: the
    # contract renews to 2028-05-31 (no refund policy), whose N is 2028-05-01.
    result = analyze(profile(analysis_start="2027-05-15"), GOLDEN, samples=0)
    assert plan_rows(result, "stay") == [
        (D(2028, 3, 2), "Renewal window opens"),  # 2028-05-31 - 90 days (leap year)
        (D(2028, 4, 1), "Negotiation pack ready"),  # N - 30
        (D(2028, 5, 1), "Hard notice deadline"),
    ]
    # The switch goes live 2027-09-15, needs the old system until 2027-10-15 and leaves at the
    # end of the forced renewal, 2028-06-01.
    assert plan_rows(result, SWITCH) == [
        (D(2027, 5, 15), "Baseline full data export"),
        (D(2027, 9, 15), "Go-live on the new CRM"),
        (D(2027, 10, 15), "Freeze users on the old CRM"),
        (D(2027, 10, 15), "Final full data export"),  # min(10-15, 2028-06-01 - 36 days)
        (D(2027, 10, 15), "Retrieve the metadata"),
        (D(2027, 10, 16), "Verify the export"),
        (D(2027, 10, 17), "Reassign record ownership"),
        (D(2027, 10, 18), "Deactivate users and integration users"),
        (D(2028, 3, 2), "Renewal window opens"),
        (D(2028, 4, 1), "Send written cancellation notice (recommended)"),
        (D(2028, 4, 1), "Cancel add-on subscriptions and integration users"),
        (D(2028, 4, 15), "Chase the written confirmation"),
        (D(2028, 4, 24), "Escalate if not confirmed"),  # N - 7 > chase + 7 = 04-22
        (D(2028, 5, 1), "Hard notice deadline"),
        (D(2028, 6, 1), "Old CRM access ends"),
        (D(2028, 6, 1), "Check billing statement 1"),
        (D(2028, 7, 1), "Last day to request missing data"),
        (D(2029, 6, 1), "Check billing statement 2"),
    ]


def test_notice_of_90_days():
    # Term end 2027-05-31, 90 days' notice: N = 2027-03-02, the day the renewal window opens.
    # N - 30 would be before the window, so the recommended notice is the window's first day,
    # which is N itself: the contract leaves no earlier day inside the window.
    result = analyze(profile(contract={"notice_days": 90}), GOLDEN, samples=0)
    assert plan_rows(result, SWITCH) == [
        (D(2026, 12, 1), "Baseline full data export"),
        (D(2027, 3, 2), "Renewal window opens"),
        (D(2027, 3, 2), "Send written cancellation notice (recommended)"),
        (D(2027, 3, 2), "Cancel add-on subscriptions and integration users"),
        (D(2027, 3, 2), "Hard notice deadline"),
        (D(2027, 3, 16), "Chase the written confirmation"),
        (D(2027, 3, 23), "Escalate if not confirmed"),  # chase + 7 > N - 7
        (D(2027, 4, 1), "Go-live on the new CRM"),
        (D(2027, 4, 26), "Final full data export"),  # 2027-06-01 - 36 days < cutover 05-01
        (D(2027, 4, 26), "Retrieve the metadata"),
        (D(2027, 4, 27), "Verify the export"),
        (D(2027, 5, 1), "Freeze users on the old CRM"),
        (D(2027, 5, 1), "Reassign record ownership"),  # max(04-28, freeze 05-01)
        (D(2027, 5, 2), "Deactivate users and integration users"),
        (D(2027, 6, 1), "Old CRM access ends"),
        (D(2027, 6, 1), "Check billing statement 1"),
        (D(2027, 7, 1), "Last day to request missing data"),
        (D(2028, 6, 1), "Check billing statement 2"),
    ]


def _pro_suite(data):
    data["current"]["tier"] = "pro"
    data["current"]["seats"] = {"sales_cloud": 115}
    data["current"]["prices"] = {"sales_cloud": 90}
    for role in data["roles"]:
        role["current_license"] = "sales_cloud"


def _late_cutover(data):
    # A 7-month project: go-live 2027-07-01, needed until 2027-08-01; exit 2027-09-01.
    data["migration"]["months"] = 7


def test_pro_suite_exports_every_29_days(catalog):
    def pro_late(data):
        _pro_suite(data)
        _late_cutover(data)

    pro = analyze(bundled(catalog, pro_late), catalog, samples=0)
    enterprise = analyze(bundled(catalog, _late_cutover), catalog, samples=0)
    sid = "switch:odoo/standard"
    pro_dates = dict((step, day) for day, step in plan_rows(pro, sid))
    # Pro Suite: 29 + 7 = 36 days before 2027-09-01 is 2027-07-27, before the cutover 08-01.
    assert pro_dates["Final full data export"] == D(2027, 7, 27)
    assert pro_dates["Verify the export"] == D(2027, 7, 28)
    assert pro_dates["Freeze users on the old CRM"] == D(2027, 8, 1)
    assert pro_dates["Reassign record ownership"] == D(2027, 8, 1)  # max(07-29, 08-01)
    assert pro_dates["Deactivate users and integration users"] == D(2027, 8, 2)
    # Enterprise: 7 + 7 = 14 days before is 2027-08-18, so the export waits for the cutover.
    enterprise_dates = dict((step, day) for day, step in plan_rows(enterprise, sid))
    assert enterprise_dates["Final full data export"] == D(2027, 8, 1)
    assert enterprise_dates["Reassign record ownership"] == D(2027, 8, 3)


def test_downgrade_to_pro_suite_checks_the_api(catalog):
    result = analyze(bundled(catalog), catalog, samples=0)
    plan = exit_plan(result, "downgrade:salesforce/pro")
    rows = list(zip(plan["date"], plan["step"], strict=True))
    assert (D(2027, 7, 2), "Check integrations and API access") in rows
    detail = plan.loc[plan["step"] == "Check integrations and API access", "detail"].item()
    assert "no API access unless bought" in detail
    # The backup before the change: the current edition (Enterprise) exports every 7 days.
    assert (D(2027, 8, 18), "Final full data export") in rows
    assert plan.loc[plan["step"] == "Downgrade takes effect", "owner"].item() == "admin"


def test_golden_downgrade():
    # Golden catalog (no export cycle: 29 days): effective 2027-06-01, N = 2027-05-01.
    result = analyze(profile(), GOLDEN, samples=0)
    sid = next(s for s in result.scenarios.index if s.startswith("downgrade:"))
    assert plan_rows(result, sid) == [
        (D(2027, 3, 2), "Renewal window opens"),
        (D(2027, 4, 1), "Send written seat and edition reduction notice (recommended)"),
        (D(2027, 4, 1), "Check integrations and API access"),
        (D(2027, 4, 15), "Chase the written confirmation"),
        (D(2027, 4, 24), "Escalate if not confirmed"),
        (D(2027, 4, 26), "Final full data export"),  # 06-01 - 36 days
        (D(2027, 4, 26), "Retrieve the metadata"),
        (D(2027, 4, 27), "Verify the export"),
        (D(2027, 5, 1), "Hard notice deadline"),
        (D(2027, 6, 1), "Downgrade takes effect"),
        (D(2027, 6, 1), "Check the first invoice"),
    ]


def test_a_late_start_marks_steps_overdue_and_says_so():
    # Full refund within 30 days of 2026-11-20, exit on the analysis start 2026-12-01 (no
    # project): the final export (12-01 - 36 days = 10-26) is already past.
    result = analyze(
        profile(
            contract={
                "start": "2026-11-20",
                "end": "2027-11-19",
                "refund": "full_within_days",
                "full_refund_days": 30,
            },
            migration={"months": 0, "overlap_months": 0},
        ),
        GOLDEN,
        samples=0,
    )
    plan = exit_plan(result, SWITCH)
    export = plan[plan["step"] == "Final full data export"].iloc[0]
    assert export["date"] == D(2026, 10, 26) and export["warning"]
    assert export["detail"].startswith("Overdue: ")
    # N = max(12-01 - 30, start) = the start: act now; the recommended date 11-01 has passed.
    notice = plan[plan["step"] == "Send written cancellation notice (recommended)"].iloc[0]
    assert notice["date"] == D(2026, 12, 1) and not notice["warning"]
    assert "recommended date 2026-11-01 has passed" in notice["detail"]


def test_columns_and_categories(catalog):
    result = analyze(bundled(catalog), catalog, samples=0)
    assert list(result.exit_plans.columns) == EXIT_PLAN_COLUMNS
    assert set(result.exit_plans["category"]) <= set(STEP_CATEGORIES)
    assert set(result.exit_plans["owner"]) <= {"admin", "procurement", "finance"}


@st.composite
def situations(draw):
    start = draw(st.dates(D(2026, 1, 1), D(2028, 12, 31)))
    term_start = draw(st.dates(start - dt.timedelta(days=900), start + dt.timedelta(days=60)))
    years = draw(st.integers(1, 3))
    end = D(term_start.year + years, term_start.month, 1) - dt.timedelta(days=1)
    contract = {
        "start": term_start.isoformat(),
        "end": end.isoformat(),
        "notice_days": draw(st.sampled_from([0, 15, 30, 60, 90, 120])),
        "refund": draw(st.sampled_from(["none", "prorated", "full_within_days"])),
        "full_refund_days": draw(st.integers(0, 120)),
        "early_termination_fee_pct": draw(st.sampled_from([0, 10])),
        "data_return_days": draw(st.integers(0, 90)),
    }
    migration = {"months": draw(st.integers(0, 14)), "overlap_months": draw(st.integers(0, 3))}
    return profile(analysis_start=start.isoformat(), contract=contract, migration=migration)


def assert_plan_invariants(result, cycle):
    """DESIGN 5b's invariants for every scenario of ``result``; ``cycle`` is the export cycle."""
    start = result.profile.analysis_start
    for sid in result.scenarios.index:
        plan = exit_plan(result, sid)
        dates = dict(zip(plan["step"], plan["date"], strict=True))
        assert list(plan["date"]) == sorted(plan["date"]), sid
        assert (plan["warning"] == (plan["date"] < start)).all()
        assert plan["detail"].str.startswith("Overdue: ").eq(plan["warning"]).all()
        access_ends = dates.get("Old CRM access ends") or dates.get("Downgrade takes effect")
        deadline = dates["Hard notice deadline"]
        notices = plan[plan["category"] == "notice"]
        assert (notices["date"] <= deadline).all(), sid
        if access_ends is None:
            continue
        # Before access ends, unless the exit leaves no time at all and the plan says act on
        # the analysis start (an early exit on the start day with no notice period).
        assert ((notices["date"] < access_ends) | (notices["date"] == start)).all(), sid
        backups = plan[plan["category"] == "backup"]
        final = backups[backups["step"] == "Final full data export"].iloc[0]
        assert final["date"] <= access_ends - dt.timedelta(days=cycle + 7) or final["warning"]
        assert (backups["date"] < access_ends).all()
        offboarding = plan[plan["category"] == "offboarding"]
        assert (offboarding["date"] >= final["date"]).all(), sid
        assert (offboarding["date"] < access_ends).all(), sid


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(situations())
def test_exit_plan_invariants(situation):
    # The golden catalog gives no export cycle: 29 days.
    assert_plan_invariants(analyze(situation, GOLDEN, samples=0), 29)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=st.dates(D(2026, 6, 1), D(2028, 6, 1)),
    notice=st.sampled_from([0, 30, 60, 90]),
    refund=st.sampled_from(["none", "prorated", "full_within_days"]),
    months=st.integers(0, 12),
)
def test_exit_plan_invariants_of_salesforce_enterprise(catalog, start, notice, refund, months):
    def change(data):
        data["analysis_start"] = start.isoformat()
        data["current"]["contract"] |= {"notice_days": notice, "refund": refund}
        data["migration"]["months"] = months

    # Enterprise exports every 7 days (catalog/products/salesforce.yaml).
    assert_plan_invariants(analyze(bundled(catalog, change), catalog, samples=0), 7)


# --- Every scenario's exit plan in one table ---------------------------------------------------


def plans_of(profile, catalog):
    """Every plan an analysis of ``profile`` makes, and the current subscription."""
    product = catalog.product(profile.current.product)
    current = Current(profile, product, product.tier(profile.current.tier))
    return build_plans(current, catalog) + combination_plans(current, catalog)[0], current


def assert_table_is_every_plans_steps(profile, catalog):
    """The table equals each plan's own steps written out, plan by plan: plans share steps
    only where exit_plan_steps gives them the same rows."""
    plans, current = plans_of(profile, catalog)
    dates = all_key_dates(plans, current)
    rows = [
        row
        for plan in plans
        for row in exit_plan_steps(plan, scenario_key_dates(plan, current), current)
    ]
    expected = pd.DataFrame(rows, columns=EXIT_PLAN_COLUMNS)
    table = exit_plans_table(plans, dates, current)
    pd.testing.assert_frame_equal(table, expected, check_exact=True)
    assert list(table.dtypes) == list(expected.dtypes)
    return plans, table


def test_the_table_of_the_bundled_example_is_every_plans_steps(catalog):
    plans, table = assert_table_is_every_plans_steps(bundled(catalog), catalog)
    # Two downgrades with different editions keep their own API check (Pro Suite has no API).
    api = table[table["step"] == "Check integrations and API access"].set_index("scenario_id")
    assert "includes API access" in api.loc["downgrade:salesforce/enterprise", "detail"]
    assert "no API access unless bought" in api.loc["downgrade:salesforce/pro", "detail"]
    # Partial switches name their own moved roles: their steps are not shared.
    partials = [plan for plan in plans if plan.shape == "partial"]
    freezes = table[table["step"] == "Freeze the moved users on the old CRM"]
    assert len(freezes) == len(partials) > 0


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(situations())
def test_the_table_is_every_plans_steps_in_any_situation(situation):
    assert_table_is_every_plans_steps(situation, GOLDEN)
