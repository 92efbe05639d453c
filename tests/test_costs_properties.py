"""Invariants of the cost engine over generated contracts, seats and migration plans."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.analysis import analyze, build_plans
from analyzer.costs import COMPONENTS, ONE_TIME_COMPONENTS, Current
from analyzer.dates import add_months
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
def test_components_are_non_negative_except_refunds(profile):
    result = analyze(profile, GOLDEN)
    for scenario_id, table in result.monthly.items():
        others = table.drop(columns="refund")
        assert (others.to_numpy() >= -1e-9).all(), scenario_id
        assert (table["refund"] <= 0).all(), scenario_id
        assert list(table.columns) == COMPONENTS


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
