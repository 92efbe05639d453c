"""Invariants of the cost engine over generated contracts, seats and migration plans."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.analysis import analyze, build_plans
from analyzer.contract import terms_from
from analyzer.costs import (
    COMPONENTS,
    ONE_TIME_COMPONENTS,
    Current,
    SeatLine,
    cash_total,
    decision_total,
    line_items,
)
from analyzer.dates import add_months, whole_months_between
from analyzer.profile import Profile
from tests.conftest import GOLDEN

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
    kinds = before.licenses.groupby("scenario_id")["license_type_id"].nunique()
    for scenario_id, table in before.monthly.items():
        switch = before.scenarios.loc[scenario_id, "kind"] == "switch"
        if switch and profile.migration.months > 0 and kinds.get(scenario_id, 0) > 1:
            continue
        cost = decision_total(table)
        assert decision_total(after.monthly[scenario_id]) == pytest.approx(cost), scenario_id


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
    product = GOLDEN.product(profile.current.product)
    current = Current(profile, product, product.tier(profile.current.tier))
    for plan in build_plans(current, GOLDEN):
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


# --- an independent reference for Stay and a ramped target (DESIGN section 5) ---------------


def _months_from(day: dt.date, months: int) -> dt.date:
    return day + relativedelta(months=months)


def _whole_months(start: dt.date, stop: dt.date) -> int:
    if stop <= start:
        return 0
    delta = relativedelta(stop, start)
    return delta.years * 12 + delta.months


def reference_stay(profile: Profile, list_price: float) -> tuple[float, float]:
    """(cash, decision) of keeping the full seats, written straight from DESIGN section 5."""
    current = profile.current
    contract = current.contract
    first = profile.analysis_start.replace(day=1)
    stop = _months_from(first, profile.horizon_months)
    seats = current.seats["full"]
    price = float(current.prices["full"])
    term_start, term_end = contract.start, contract.end
    cash = credit = 0.0
    renewal = 0
    while term_start < stop:
        if renewal:
            price *= 1 + contract.uplift_pct / 100
            if contract.uplift_cap == "list":
                years = _whole_months(profile.analysis_start, term_start) // 12
                price = min(price, list_price * (1 + contract.list_growth_pct / 100) ** years)
        # Every term here is a whole number of months (the contract's end is a day before a
        # month boundary), so its length is the whole months to the day after its end.
        length = _whole_months(term_start, term_end + dt.timedelta(days=1))
        step = 12 if current.billing == "annual" else 1
        for offset in range(0, length, step):
            months = min(step, length - offset)
            day = _months_from(term_start, offset)
            if profile.analysis_start <= day < stop:
                amount = seats * price * months
                cash += amount
                after = _whole_months(stop, _months_from(day, months))
                credit += amount * after / months
        term_start = term_end + dt.timedelta(days=1)
        term_end = _months_from(term_start, contract.renewal_term_months) - dt.timedelta(days=1)
        renewal += 1
    return cash, cash - credit


@SETTINGS
@given(
    st.dates(dt.date(2023, 1, 1), dt.date(2026, 12, 1)),
    st.sampled_from([12, 24, 36]),
    st.integers(0, 700),
    st.integers(1, 96),
    st.sampled_from(["annual", "monthly"]),
    st.sampled_from([1, 12, 24]),
    st.floats(0, 25),
    st.floats(50, 250),
    st.sampled_from(["list", "none"]),
    st.floats(0, 10),
)
def test_stay_matches_an_independent_reference(
    start, term, delay, horizon, billing, renewal, uplift, paid, cap, growth
):
    profile = Profile.model_validate(
        {
            "fx": {"EUR": 1.1},
            "analysis_start": start + dt.timedelta(days=delay),
            "horizon_months": horizon,
            "current": {
                "product": "legacy",
                "tier": "enterprise",
                "seats": {"full": 30},
                "prices": {"full": paid},
                "billing": billing,
                "contract": {
                    "start": start,
                    "end": _months_from(start, term) - dt.timedelta(days=1),
                    "renewal_term_months": renewal,
                    "uplift_pct": uplift,
                    "uplift_cap": cap,
                    "list_growth_pct": growth,
                },
            },
            "roles": [{"id": "all", "name": "All", "seats": 30}],
        }
    )
    table = analyze(profile, GOLDEN).monthly["stay"]
    cash, decision = reference_stay(profile, 175.0)
    assert cash_total(table) == pytest.approx(cash, rel=1e-9, abs=1e-6)
    assert decision_total(table) == pytest.approx(decision, rel=1e-9, abs=1e-6)


@SETTINGS
@given(
    st.integers(0, 30),
    st.integers(1, 60),
    st.integers(0, 10),
    st.integers(1, 120),
    st.floats(10, 120),
)
def test_a_ramped_target_matches_an_independent_reference(months, seats, project, horizon, quote):
    """Premium lists 120 a seat with a 5% uplift; a net quote sets the first price."""
    profile = Profile.model_validate(
        {
            "fx": {"EUR": 1.1},
            "analysis_start": "2026-12-01",
            "horizon_months": horizon,
            "current": {
                "product": "legacy",
                "tier": "enterprise",
                "seats": {"full": 60},
                "contract": {"start": "2024-06-01", "end": "2027-05-31"},
            },
            "roles": [{"id": "all", "name": "All", "seats": seats}],
            "migration": {"months": months, "overlap_months": 0, "project_seats": project},
            "quotes": [
                {"product": "premium", "tier": "standard", "amount": quote, "currency": "USD"}
            ],
        }
    )
    start = dt.date(2026, 12, 1)
    stop = _months_from(start, horizon)
    go_live = _months_from(start, months)
    before = seats if months == 0 else min(project, seats)
    cash = 0.0
    price = quote
    for k in range(0, horizon, 12):
        if k:
            price = min(price * 1.05, 120.0)
        day = _months_from(start, k)
        term_stop = _months_from(start, k + 12)
        cash += (before if day < go_live else seats) * price * 12
        if day < go_live < term_stop and go_live < stop:
            cash += (seats - before) * price * _whole_months(go_live, term_stop)
    table = analyze(profile, GOLDEN).monthly["switch:premium/standard"]
    assert table["licenses_target"].sum() == pytest.approx(cash, rel=1e-9, abs=1e-6)
