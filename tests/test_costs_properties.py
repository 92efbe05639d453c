"""Invariants of the cost engine over generated contracts, seats and migration plans."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.analysis import analyze
from analyzer.contract import terms_from
from analyzer.costs import (
    COMPONENTS,
    ONE_TIME_COMPONENTS,
    SeatLine,
    cash_total,
    decision_total,
    line_items,
)
from analyzer.dates import add_months, whole_months_between
from analyzer.profile import Profile
from tests.test_costs_golden import GOLDEN

SETTINGS = settings(max_examples=40, deadline=None)


@st.composite
def profiles(draw, seats=None, uplift=None):
    start = draw(st.dates(dt.date(2023, 1, 1), dt.date(2026, 12, 1)))
    term_months = draw(st.sampled_from([12, 24, 36]))
    end = add_months(start, term_months) - dt.timedelta(days=1)
    analysis_start = draw(st.dates(start, end + dt.timedelta(days=400)))
    sellers = draw(st.integers(0, 200)) if seats is None else seats
    refund = draw(st.sampled_from(["none", "prorated", "full_within_days"]))
    return Profile.model_validate(
        {
            "fx": {"EUR": draw(st.floats(0.5, 2.0))},
            "analysis_start": analysis_start,
            "horizon_months": draw(st.integers(1, 60)),
            "discount_rate": draw(st.floats(0.0, 0.3)),
            "current": {
                "product": "legacy",
                "tier": "enterprise",
                "seats": {"full": sellers + draw(st.integers(0, 20)), "platform": 5},
                "prices": {"full": draw(st.floats(1, 500))},
                "billing": draw(st.sampled_from(["annual", "monthly"])),
                "contract": {
                    "start": start,
                    "end": end,
                    "auto_renew": draw(st.booleans()),
                    "renewal_term_months": draw(st.sampled_from([1, 12, 24])),
                    "notice_days": draw(st.integers(0, 90)),
                    "uplift_pct": draw(st.floats(0, 20)) if uplift is None else uplift,
                    "refund": refund,
                    "full_refund_days": draw(st.integers(0, 60)),
                    "early_termination_fee_pct": draw(st.floats(0, 100)),
                },
            },
            "roles": [
                {
                    "id": "sellers",
                    "name": "Sellers",
                    "seats": sellers,
                    "needs": {"opportunity_management": "must", "forecasting": 3},
                },
                {
                    "id": "viewers",
                    "name": "Viewers",
                    "seats": draw(st.integers(0, 50)),
                    "needs": {"dashboards": "must"},
                },
            ],
            "migration": {
                "months": draw(st.integers(0, 12)),
                "overlap_months": draw(st.integers(0, 6)),
                "records": draw(st.integers(0, 10**7)),
                "cost_per_thousand_records": 3,
                "fixed_cost": draw(st.floats(0, 1e5)),
                "integrations": draw(st.integers(0, 5)),
                "cost_per_integration": 5000,
                "customization_hours": 40,
                "hourly_rate": 100,
                "training_hours_per_user": 2,
            },
            "discount_pct": draw(st.floats(0, 50)),
            "target_discount_pct": draw(st.floats(0, 50)),
        }
    )


@SETTINGS
@given(profiles())
def test_components_are_non_negative_except_refunds_and_the_credit(profile):
    result = analyze(profile, GOLDEN)
    for scenario_id, table in result.monthly.items():
        others = table.drop(columns=["refund", "prepaid_after_horizon"])
        assert (others.to_numpy() >= -1e-9).all(), scenario_id
        assert (table["refund"] <= 0).all(), scenario_id
        assert (table["prepaid_after_horizon"] <= 1e-6).all(), scenario_id
        assert list(table.columns) == COMPONENTS


@SETTINGS
@given(profiles())
def test_the_decision_total_never_exceeds_the_cash_total(profile):
    result = analyze(profile, GOLDEN)
    for scenario_id, table in result.monthly.items():
        assert decision_total(table) <= cash_total(table) + 1e-6, scenario_id


@SETTINGS
@given(
    st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31)),
    st.integers(1, 120),
    st.sampled_from([1, 6, 12, 18, 24, 36]),
    st.sampled_from([12, 24]),
    st.floats(0, 20),
    st.sampled_from(["list", "none"]),
)
def test_annual_and_monthly_billing_at_one_price_cost_the_same_in_the_decision_view(
    start, horizon, first_term, renewal, uplift, cap
):
    """Where the horizon cuts a year no longer matters: the prepaid months are credited."""

    def stay_total(billing):
        profile = Profile.model_validate(
            {
                "fx": {"EUR": 1.1},
                "analysis_start": start,
                "horizon_months": horizon,
                "current": {
                    "product": "legacy",
                    "tier": "enterprise",
                    "seats": {"full": 60, "platform": 5},
                    "prices": {"full": 150},
                    "billing": billing,
                    "contract": {
                        "start": start,
                        "end": add_months(start, first_term) - dt.timedelta(days=1),
                        "renewal_term_months": renewal,
                        "uplift_pct": uplift,
                        "uplift_cap": cap,
                    },
                },
                "roles": [{"id": "all", "name": "All", "seats": 65}],
            }
        )
        return decision_total(analyze(profile, GOLDEN).monthly["stay"])

    assert stay_total("annual") == pytest.approx(stay_total("monthly"), rel=1e-9)


@SETTINGS
@given(profiles())
def test_reordering_roles_changes_no_seat_and_no_cost_but_the_ramp(profile):
    """Roles are assigned and billed per license type, whatever their order. Only the project
    seats of a ramp are taken in profile order, which matters only where the roles sit on
    license types of different prices."""
    reordered = profile.model_copy(update={"roles": list(reversed(profile.roles))})
    before, after = analyze(profile, GOLDEN), analyze(reordered, GOLDEN)
    key = ["scenario_id", "role_id"]
    seats = before.licenses.set_index(key)["license_type_id"]
    assert seats.sort_index().equals(after.licenses.set_index(key)["license_type_id"].sort_index())
    for plan in before.plans:
        if plan.status != "ok":
            continue
        ramped = plan.kind == "switch" and profile.migration.months > 0
        if ramped and len({r.license_type.id for r in plan.mix.roles}) > 1:
            continue
        cost = decision_total(before.monthly[plan.id])
        assert decision_total(after.monthly[plan.id]) == pytest.approx(cost), plan.id


@SETTINGS
@given(
    st.floats(1, 500),
    st.floats(1, 500),
    st.floats(0, 30),
    st.floats(0, 10),
    st.sampled_from([1, 12, 24]),
    st.sampled_from(["annual", "monthly"]),
    st.dates(dt.date(2024, 1, 1), dt.date(2028, 12, 31)),
)
def test_no_renewal_prices_a_seat_above_its_capped_list(
    price, cap, uplift, growth, term_months, billing, first_day
):
    profile = Profile.model_validate(
        {
            "analysis_start": "2026-12-01",
            "current": {
                "product": "legacy",
                "tier": "enterprise",
                "seats": {"full": 1},
                "contract": {
                    "start": "2026-01-01",
                    "end": "2026-12-31",
                    "list_growth_pct": growth,
                },
            },
            "roles": [{"id": "all", "name": "All", "seats": 1}],
        }
    )
    line = SeatLine("licenses_current", "full", 7, price, billing, cap)
    terms = terms_from(first_day, term_months, add_months(first_day, 72))
    for item in line_items(line, terms, uplift, profile):
        per_seat = item.amount / (7 * item.service_months)
        if item.date < terms[1].start:
            assert per_seat == pytest.approx(price)
            continue
        years = whole_months_between(profile.analysis_start, item.date) // 12
        assert per_seat <= cap * (1 + growth / 100) ** years + 1e-9


@SETTINGS
@given(profiles())
def test_a_refund_never_exceeds_what_was_paid(profile):
    result = analyze(profile, GOLDEN)
    for plan in result.plans:
        paid = sum(i.amount for i in plan.items if i.component == "licenses_current")
        refunded = -sum(i.amount for i in plan.items if i.component == "refund")
        assert refunded <= paid + 1e-6, plan.id


@SETTINGS
@given(profiles())
def test_npv_is_at_most_the_total_for_a_positive_rate(profile):
    result = analyze(profile, GOLDEN)
    for scenario_id, table in result.monthly.items():
        if (table.sum(axis=1) >= 0).all():
            row = result.scenarios.loc[scenario_id]
            assert row["npv"] <= row["total"] + 1e-6, scenario_id


@SETTINGS
@given(profiles())
def test_stay_has_no_one_time_costs(profile):
    result = analyze(profile, GOLDEN)
    stay = result.monthly["stay"]
    assert stay[[*ONE_TIME_COMPONENTS, "termination_fee", "refund"]].to_numpy().sum() == 0


@SETTINGS
@given(st.integers(0, 150), st.integers(1, 50), st.data())
def test_totals_do_not_decrease_with_more_seats(seats, extra, data):
    base = data.draw(profiles(seats=seats))
    # More seats needed by the roles: every scenario costs at least as much.
    needed = base.model_copy(
        update={
            "roles": [base.roles[0].model_copy(update={"seats": seats + extra}), base.roles[1]],
        }
    )
    before = analyze(base, GOLDEN).scenarios["total"]
    after = analyze(needed, GOLDEN).scenarios["total"].reindex(before.index)
    both = before.notna() & after.notna()
    assert (after[both] >= before[both] - 1e-6).all()
    # More seats purchased today: Stay costs at least as much. (A switch may cost less: a
    # refund of a larger, already sunk invoice is cash that comes back.)
    purchased = base.model_copy(
        update={
            "current": base.current.model_copy(
                update={"seats": {"full": base.current.seats["full"] + extra, "platform": 5}}
            ),
        }
    )
    stay_after = analyze(purchased, GOLDEN).scenarios.loc["stay", "total"]
    assert stay_after >= before["stay"] - 1e-6


@SETTINGS
@given(st.floats(0, 15), st.floats(0, 15), st.data())
def test_totals_do_not_decrease_with_a_higher_uplift(low, extra, data):
    base = data.draw(profiles(uplift=low))
    contract = base.current.contract.model_copy(update={"uplift_pct": low + extra})
    higher = base.model_copy(
        update={"current": base.current.model_copy(update={"contract": contract})}
    )
    before = analyze(base, GOLDEN).scenarios
    after = analyze(higher, GOLDEN).scenarios
    for scenario_id in ("stay", "downgrade:legacy/enterprise"):
        if before.loc[scenario_id, "status"] == "ok":
            assert after.loc[scenario_id, "total"] >= before.loc[scenario_id, "total"] - 1e-6
