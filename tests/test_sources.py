"""Price sources: the price each costed scenario actually pays, with its provenance.

Read off tests/fixtures/model_catalog: Legacy full seats list at 175 (bought at 150 in the
profile), Platform at 25; Target CRM seats at 100 with a 3,000 onboarding fee; Self Host CRM
has no license fee, hosting at 400 a month and administration at 10 per user (estimates).
Every catalog price there is dated 2026-01-01.
"""

import datetime as dt

from analyzer import analyze
from tests.conftest import GOLDEN, golden_profile


def rows_of(result, product):
    sources = result.sources
    rows = sources[sources["product"] == product]
    return {
        (kind, item): (amount, source, confidence, stale)
        for kind, item, amount, source, confidence, stale in rows[
            ["kind", "item", "amount", "source", "confidence", "stale"]
        ].itertuples(index=False)
    }


def test_the_paid_price_list_prices_fees_and_running_costs_are_listed():
    result = analyze(golden_profile(), GOLDEN, samples=0)
    legacy = rows_of(result, "Legacy CRM")
    # Staying pays 150 (the profile's net price); the right-size pays it too for the sellers and
    # the Platform list price for the viewers.
    assert legacy[("net price paid", "Full user")][:3] == (150.0, "profile", "profile")
    assert legacy[("license", "Platform")][:2] == (25.0, "https://legacy.example.com/pricing")
    target = rows_of(result, "Target CRM")
    assert target[("license", "Seat")][0] == 100.0
    assert target[("one_time_fee", "Onboarding")][0] == 3_000.0
    selfhost = rows_of(result, "Self Host CRM")
    assert selfhost[("running_cost", "Hosting")][:3] == (
        400.0,
        "https://selfhost.example.com/docs",
        "estimate",
    )
    assert selfhost[("running_cost", "Administration")][0] == 10.0


def test_a_price_read_over_twelve_months_before_the_start_is_stale():
    # 2026-01-01 is within 12 months of 2026-12-01, and more than 12 months before 2027-02-01.
    fresh = analyze(golden_profile(), GOLDEN, samples=0).sources
    late = analyze(golden_profile(analysis_start="2027-02-01"), GOLDEN, samples=0).sources
    assert not fresh["stale"].any()
    dated = late["as_of"].notna()
    assert (late.loc[dated, "as_of"] == dt.date(2026, 1, 1)).all()
    assert late.loc[dated, "stale"].all() and not late.loc[~dated, "stale"].any()


def test_a_profile_running_cost_replaces_the_catalog_item_of_its_name():
    own = {"product": "selfhost", "name": "Hosting", "amount": 250, "currency": "USD"}
    result = analyze(golden_profile(running_costs=[own]), GOLDEN, samples=0)
    selfhost = rows_of(result, "Self Host CRM")
    assert selfhost[("running_cost", "Hosting")][:3] == (250.0, "profile", "profile")
    assert selfhost[("running_cost", "Administration")][2] == "estimate"
