"""Licensing: gates, fit with musts weighing 5, the price paid else list, seats bought.

Catalog: tests/fixtures/model_catalog (see tests/test_costs_golden.py for its prices).
"""

import pytest

from analyzer.licensing import (
    current_role,
    license_mix,
    meets,
    price_paid_else_list,
    role_fit,
    seat_price,
)
from tests.conftest import GOLDEN as MODEL
from tests.conftest import golden_profile as profile

LEGACY = MODEL.product("legacy")
ENTERPRISE = LEGACY.tier("enterprise")
PREMIUM = MODEL.product("premium")
MIXED = MODEL.product("mixed")


@pytest.mark.parametrize(
    ("need", "level", "passes"),
    [
        ("must", "full", True),
        ("must", "addon", True),  # once the add-on is bought
        ("must", "limited", False),
        ("must", None, False),
        ("must_limited", "full", True),
        ("must_limited", "addon", True),
        ("must_limited", "limited", True),
        ("must_limited", None, False),
        (3, None, True),  # a weight never gates
    ],
)
def test_gates(need, level, passes):
    assert meets(need, level) is passes


def test_role_fit_counts_musts_with_weight_five():
    needs = {"a": "must", "b": "must_limited", "c": 4, "d": 1}
    support = {"a": "full", "b": "limited", "c": "addon", "d": "limited"}
    # a: 5 x 1; b: 5 x 0.5; c: add-on not bought, 0; d: 1 x 0.5 -> 8 / 15.
    assert role_fit(needs, support, set()) == pytest.approx(8 / 15)
    # Bought, the add-on counts 1: (8 + 4) / 15.
    assert role_fit(needs, support, {"c"}) == pytest.approx(12 / 15)
    assert role_fit({}, {}, set()) == 1.0


def test_the_stricter_need_wins_when_org_and_role_needs_meet():
    base = profile(org_needs={"dashboards": "must_limited", "forecasting": "must"})
    needs = base.role_needs(base.roles[1])  # viewers: dashboards must, forecasting 2
    assert needs["dashboards"] == "must"
    assert needs["forecasting"] == "must"


def test_stay_is_never_gated_its_fit_reflects_support():
    roles = [{"id": "v", "name": "V", "seats": 10, "needs": {"case_management": "must"}}]
    held = current_role(profile(roles=roles), LEGACY, ENTERPRISE, profile(roles=roles).roles[0])
    assert held.license_type.id == "full" and held.problem is None
    assert held.fit == 0.0  # the one must (weight 5) is absent


def test_the_price_paid_is_used_for_the_current_seat_else_the_list():
    base = profile()
    full = price_paid_else_list(base, LEGACY, ENTERPRISE, ENTERPRISE.license_type("full"))
    assert (full.amount, full.net, full.list_amount) == (150.0, True, 175.0)
    platform = price_paid_else_list(base, LEGACY, ENTERPRISE, ENTERPRISE.license_type("platform"))
    assert (platform.amount, platform.net, platform.list_amount) == (25.0, False, 25.0)
    # Another tier of the same product is bought at list: the paid price belongs to Enterprise.
    pro = LEGACY.tier("pro")
    assert price_paid_else_list(base, LEGACY, pro, pro.license_types[0]).amount == 100.0


def test_target_billing_picks_the_published_monthly_price_else_keeps_the_only_one():
    tier = PREMIUM.tier("standard")
    seat = tier.license_types[0]
    annual = seat_price(profile(), PREMIUM, tier, seat)
    monthly = seat_price(profile(target_billing="monthly"), PREMIUM, tier, seat)
    assert (annual.amount, annual.billing) == (120.0, "annual")
    assert (monthly.amount, monthly.billing, monthly.list_amount) == (130.0, "monthly", 130.0)
    target = MODEL.product("target").tier("standard")
    kept = seat_price(
        profile(target_billing="monthly"), MODEL.product("target"), target, target.license_types[0]
    )
    assert (kept.amount, kept.billing) == (100.0, "annual")


def test_a_quote_is_net_unless_it_says_list():
    tier = PREMIUM.tier("standard")
    seat = tier.license_types[0]
    quote = {"product": "premium", "tier": "standard", "amount": 90, "currency": "EUR"}
    net = seat_price(profile(quotes=[quote]), PREMIUM, tier, seat)
    # 90 EUR x 1.1 = 99 USD, net, capped by the catalog list 120.
    assert (net.amount, net.net, net.list_amount) == (pytest.approx(99.0), True, 120.0)
    listed = seat_price(profile(quotes=[quote | {"list": True}]), PREMIUM, tier, seat)
    assert (listed.net, listed.list_amount) == (False, pytest.approx(99.0))


def test_seats_bought_include_the_minimum_seat_padding():
    # Mixed Suite sells at least 60 seats; the roles need 40 + 15 = 55.
    mix = license_mix(profile(), MIXED, MIXED.tier("suite"))
    assert mix.seats_bought == 60
    assert mix.padding_seats == 5
    assert mix.padding == 5 * 90.0  # five full (sales) seats a month


def test_a_plain_must_met_only_limited_blocks_the_seat():
    roles = [{"id": "s", "name": "S", "seats": 10, "needs": {"opportunity_management": "must"}}]
    mix = license_mix(profile(roles=roles), MIXED, MIXED.tier("suite"))
    assert mix.roles[0].license_type.id == "sales"
    lenient = [r | {"needs": {"opportunity_management": "must_limited"}} for r in roles]
    mix = license_mix(profile(roles=lenient), MIXED, MIXED.tier("suite"))
    assert mix.roles[0].license_type.id == "viewer"


def test_a_downgrade_on_the_current_product_keeps_the_current_billings_list_price():
    # Premium as the current product, billed annually: its list is 120 even when the
    # profile would buy new targets monthly (130).
    current = {"product": "premium", "tier": "standard", "seats": {"seat": 55}, "billing": "annual"}
    base = profile(current=current, target_billing="monthly")
    tier = PREMIUM.tier("standard")
    price = price_paid_else_list(base, PREMIUM, tier, tier.license_types[0])
    assert (price.amount, price.billing) == (120.0, "annual")
