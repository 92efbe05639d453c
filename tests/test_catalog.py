import copy
import datetime as dt
import os
import pickle
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from analyzer.catalog import (
    ReadOnlyDict,
    _prices,
    catalog_running_costs,
    is_self_hosted,
    load_catalog,
)
from analyzer.errors import InputError
from analyzer.licensing import license_mix
from analyzer.profile import Profile
from tests.conftest import FIXTURES, GOLDEN_TODAY

BAD = FIXTURES / "bad_catalog" / "products"


def test_bad_fixtures_give_one_precise_message_per_defect_in_one_run():
    with pytest.raises(InputError) as caught:
        load_catalog(FIXTURES / "bad_catalog", today=dt.date(2026, 11, 26))
    found = [str(p).replace(str(BAD) + "/", "") for p in caught.value.problems]
    assert found == [
        "alias.yaml:7:5: anchor &tier is not allowed (anchors and aliases can expand a small "
        "file into a huge one; write the values out)",
        "duplicate-key.yaml:9:5: tiers.0.name: duplicate key 'name' (first defined on line 8)",
        "future-as-of.yaml:12:87: tiers.0.license_types.0.price.as_of: as_of 2099-01-01 is in "
        "the future",
        "negative-price.yaml:12:25: tiers.0.license_types.0.price.amount: Input should be "
        "greater than or equal to 0",
        "seat-limits.yaml:9:25: tiers.0.limits.min_seats: min_seats 10 is above max_seats 3",
        "unknown-currency.yaml:12:38: tiers.0.license_types.0.price.currency: unknown currency "
        "'XYZ'; expected an ISO 4217 code such as USD or EUR",
        "unknown-feature.yaml:9:53: tiers.0.features.telepathy: unknown feature 'telepathy'; "
        "see catalog/features.yaml",
        "unknown-field.yaml:9:13: tiers.0.colour: unknown field 'colour'",
        "wrong-type.yaml:9:17: tiers.0.quote_only: Input should be a valid boolean, unable to "
        "interpret input",
    ]


def test_bundled_catalog_size(catalog):
    assert len(catalog.products) >= 15
    assert sum(len(p.tiers) for p in catalog.products) >= 50
    assert 35 <= len(catalog.features) <= 50


def golden_copy(tmp_path, product: str, old: str, new: str):
    """A copy of the golden catalog with one text replacement in one product file."""
    folder = tmp_path / "catalog"
    shutil.copytree(FIXTURES / "golden_catalog", folder)
    path = folder / "products" / f"{product}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return folder


def problems_of(folder, today=GOLDEN_TODAY):
    """The problems loading ``folder`` reports, relative to its products folder."""
    with pytest.raises(InputError) as caught:
        load_catalog(folder, today=today)
    return [str(p).replace(str(folder / "products") + "/", "") for p in caught.value.problems]


def test_a_priced_tier_needs_a_price_on_every_license_type(tmp_path):
    platform_price = (
        "        name: Platform\n"
        "        price: {amount: 25, currency: USD, source: https://legacy.example.com/pricing, "
        "as_of: 2026-01-01}\n"
    )
    folder = golden_copy(tmp_path, "legacy", platform_price, "        name: Platform\n")
    # The Enterprise tier (tiers.1) starts on line 20 of legacy.yaml; its mapping at column 5,
    # after "  - ".
    assert problems_of(folder) == [
        "legacy.yaml:20:5: tiers.1: every license type of a priced tier needs a price"
    ]


def test_a_price_source_must_be_a_web_address(tmp_path):
    folder = golden_copy(
        tmp_path, "euro", "source: https://euro.example.com/pricing", "source: the sales rep"
    )
    (problem,) = problems_of(folder)
    # The seat's price is on line 13; "source: " ends at column 69 of that line.
    assert problem.startswith("euro.yaml:13:70: ")
    assert "tiers.0.license_types.0.price.source: String should match pattern" in problem


def test_as_of_is_checked_against_the_injected_day():
    # Every one of the golden catalog's 7 prices (euro 1, legacy 4, target 2) is dated
    # 2026-01-01: in the future the day before, acceptable on the day itself.
    day_before = problems_of(FIXTURES / "golden_catalog", today=dt.date(2025, 12, 31))
    assert len(day_before) == 7
    assert all(p.endswith("as_of: as_of 2026-01-01 is in the future") for p in day_before)
    assert load_catalog(FIXTURES / "golden_catalog", today=dt.date(2026, 1, 1)).products


def test_to_frame_has_one_row_per_license_type_with_its_price():
    frame = load_catalog(FIXTURES / "golden_catalog", today=GOLDEN_TODAY).to_frame()
    # The documented fields of `crm-analyzer catalog list --format json`, in order.
    assert ", ".join(frame.columns) == (
        "product_id, product, vendor, status, tier_id, tier, quote_only, license_type_id, "
        "license_type, full_seat, amount, currency, unit, billing, source, as_of, confidence, "
        "stale, kind"
    )
    shown = frame[["product_id", "tier_id", "license_type_id", "full_seat", "amount", "currency"]]
    # Read off tests/fixtures/golden_catalog/products/*.yaml, products in file-name order; the
    # first license type of each tier is its full seat; the quote-only seat has no price.
    assert shown.astype(object).where(shown.notna(), None).values.tolist() == [
        ["euro", "monthly", "seat", True, 80.0, "EUR"],
        ["legacy", "pro", "full", True, 100.0, "USD"],
        ["legacy", "enterprise", "full", True, 150.0, "USD"],
        ["legacy", "enterprise", "platform", False, 25.0, "USD"],
        ["quoted", "custom", "seat", True, None, None],
        ["target", "standard", "seat", True, 100.0, "USD"],
    ]


def test_salesforce_editions_and_platform_licenses(catalog):
    salesforce = catalog.product("salesforce")
    tiers = {t.id for t in salesforce.tiers}
    assert {"starter", "pro", "enterprise", "unlimited", "agentforce_1"} <= tiers
    enterprise = salesforce.tier("enterprise")
    full = enterprise.license_types[0]
    assert full.price.currency == "USD" and full.price.amount > 0
    platform = enterprise.license_type("platform_starter")
    granted = enterprise.support(platform)
    assert {"lead_management", "opportunity_management", "campaigns", "forecasting"}.isdisjoint(
        granted
    )
    assert granted.get("custom_objects") in ("full", "limited")
    assert "api_access" not in salesforce.tier("pro").features or (
        salesforce.tier("pro").features["api_access"] == "addon"
    )


def test_license_support_inherits_tier_less_lacks(catalog):
    enterprise = catalog.product("salesforce").tier("enterprise")
    sales = enterprise.license_types[0]
    support = enterprise.support(sales)
    assert set(support) == set(enterprise.features) - set(sales.lacks)


GOLDEN_CATALOG = load_catalog(FIXTURES / "golden_catalog", today=GOLDEN_TODAY)


# --- catalog v2: staleness and kind in the listing ----------------------------------------------


def test_stale_is_judged_at_the_given_day_and_is_empty_without_a_price():
    catalog = GOLDEN_CATALOG
    # Every golden price is dated 2026-01-01. Twelve months later (2027-01-01) it is not yet
    # stale: the cutoff is 2026-01-01 itself. One day later the cutoff passes it.
    on_the_day = catalog.to_frame(dt.date(2027, 1, 1))
    day_after = catalog.to_frame(dt.date(2027, 1, 2))
    priced = on_the_day["amount"].notna()
    assert not on_the_day.loc[priced, "stale"].any()
    assert day_after.loc[priced, "stale"].all()
    assert on_the_day.loc[~priced, "stale"].isna().all()  # the quote-only seat
    assert set(on_the_day["kind"]) == {"crm"}  # the default kind


@settings(max_examples=60, deadline=None)
@given(day=st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2030, 12, 31)))
def test_stale_means_read_more_than_twelve_months_before(day):
    frame = GOLDEN_CATALOG.to_frame(day)
    as_of = dt.date(2026, 1, 1)
    # Reference: the same day a year back; 29 February has none, so 28 February.
    year_back = dt.date(day.year - 1, day.month, 28 if (day.month, day.day) == (2, 29) else day.day)
    expected = as_of < year_back
    assert frame.loc[frame["amount"].notna(), "stale"].tolist() == [expected] * 5


# --- catalog v2: the bundled data ----------------------------------------------------------------


def test_every_bundled_price_is_graded_and_the_catalog_has_the_v2_breadth(catalog):
    ungraded = [
        (p.id, path) for p in catalog.products for path, pr in _prices([p]) if not pr.confidence
    ]
    assert ungraded == []
    assert len(catalog.products) >= 22
    desks = [p for p in catalog.products if p.kind == "service_desk"]
    assert {
        "zendesk-suite",
        "freshdesk",
        "zoho-desk",
        "hubspot-service-hub",
        "dynamics365-customer-service",
    } <= {p.id for p in desks}
    # A service desk is for support roles: every tier handles cases fully.
    assert all(t.features.get("case_management") == "full" for p in desks for t in p.tiers)


def test_self_hosted_tiers_carry_running_costs(catalog):
    hosted = [(p, t) for p in catalog.products for t in p.tiers if is_self_hosted(p, t)]
    assert hosted  # Odoo Community, SuiteCRM
    assert all(catalog_running_costs(p, t) for p, t in hosted)


def test_a_published_monthly_price_is_never_below_the_annual_one(catalog):
    pairs = [
        (lt.price, lt.monthly_price)
        for p in catalog.products
        for t in p.tiers
        for lt in t.license_types
        if lt.monthly_price is not None
    ]
    assert len(pairs) >= 20  # Close, Copper, monday, Zoho, HubSpot, Zendesk, Salesforce Starter
    assert all(m.amount >= a.amount and m.currency == a.currency for a, m in pairs)


def test_known_errors_are_fixed(catalog):
    premium = catalog.product("dynamics365-sales").tier("premium").license_types[0].price
    assert (premium.amount, premium.currency) == (150, "USD")  # the vendor page, not 135
    odoo = catalog.product("odoo")
    assert "api_access" not in odoo.tier("standard").features  # the Custom plan adds the API
    assert odoo.tier("custom").features["api_access"] == "full"
    hubspot = catalog.product("hubspot")
    for tier in ("professional", "enterprise"):
        core = hubspot.tier(tier).license_type("core_seat").price
        assert core.confidence == "estimate" and core.note  # no longer passed off as read


def test_new_salesforce_editions_make_the_old_ones_legacy(catalog):
    salesforce = catalog.product("salesforce")
    legacy = {t.id for t in salesforce.tiers if t.legacy}
    assert legacy == {"enterprise", "unlimited", "agentforce_1"}
    prices = {t.id: t.license_types[0].price.amount for t in salesforce.tiers}
    assert (prices["core"], prices["advanced"], prices["max"]) == (195, 395, 550)
    assert salesforce.tiers[0].id == "free_suite" and prices["free_suite"] == 0


# --- catalog v2: Salesforce license kinds win the roles they should -----------------------------


def salesforce_profile(*roles: dict) -> Profile:
    """A small Salesforce Enterprise customer with ``roles`` and no organisation-wide needs."""
    return Profile.model_validate(
        {
            "currency": "USD",
            "analysis_start": "2026-12-01",
            "current": {
                "product": "salesforce",
                "tier": "enterprise",
                "seats": {"sales_cloud": sum(r["seats"] for r in roles)},
                "billing": "annual",
                "contract": {"start": "2026-01-01", "end": "2026-12-31"},
            },
            "roles": list(roles),
        }
    )


def role(needs: dict, seats: int = 4) -> dict:
    return {"id": "r", "name": "Role", "seats": seats, "needs": needs}


def seat_for(catalog, needs: dict, tier: str = "enterprise") -> tuple[str | None, float]:
    """The license type ``license_mix`` gives a role with ``needs``, and its monthly price."""
    salesforce = catalog.product("salesforce")
    mix = license_mix(salesforce_profile(role(needs)), salesforce, salesforce.tier(tier))
    (assigned,) = mix.roles
    if assigned.license_type is None:
        return None, 0.0
    return assigned.license_type.id, assigned.price.amount


@pytest.mark.parametrize("tier", ["enterprise", "unlimited", "agentforce_1", "core"])
def test_an_executive_reading_custom_object_dashboards_gets_platform(catalog, tier):
    needs = {"dashboards": "must", "custom_objects": "must_limited", "reports": 3}
    # Platform Starter (25) is the cheapest seat with full dashboards and some custom objects;
    # Chatter Only (15) and the community seats only view dashboards (limited).
    assert seat_for(catalog, needs, tier) == ("platform_starter", 25.0)


@pytest.mark.parametrize("tier", ["enterprise", "core"])
def test_a_pipeline_reader_is_not_put_on_platform(catalog, tier):
    needs = {"dashboards": "must", "opportunity_management": "must_limited", "forecasting": 2}
    # Platform sees no opportunities; Partner Community sees them but its dashboards are
    # limited, so the reader needs the full Sales Cloud seat: 175 (Enterprise), 195 (Core).
    assert seat_for(catalog, needs, tier) == (
        "sales_cloud",
        {"enterprise": 175.0, "core": 195.0}[tier],
    )


def test_an_external_partner_gets_partner_community(catalog):
    needs = {"customer_portal": "must", "lead_management": "must_limited"}
    needs |= {"opportunity_management": "must_limited"}
    # Customer Community (Plus) has no leads or opportunities; the Sales Cloud seat needs the
    # unpriced Experience Cloud add-on for the portal. Per login (10) is below per member (25).
    assert seat_for(catalog, needs) == ("partner_community_login", 10.0)


def test_an_internal_seller_is_not_put_on_partner_community(catalog):
    needs = {"lead_management": "must", "opportunity_management": "must"}
    assert seat_for(catalog, needs) == ("sales_cloud", 175.0)  # partners get both only limited


def test_portal_customers_get_customer_community_and_reporting_ones_the_plus_license(catalog):
    portal = {"customer_portal": "must", "case_management": "must_limited"}
    assert seat_for(catalog, portal) == ("customer_community_login", 2.0)
    reporting = portal | {"dashboards": "must_limited"}
    assert seat_for(catalog, reporting) == ("customer_community_plus_login", 6.0)
    # A support agent works cases fully: no community seat does, the Service Cloud seat does.
    assert seat_for(catalog, {"case_management": "must"})[0] in ("sales_cloud", "service_cloud")


def test_member_licenses_cost_more_than_one_login_a_month(catalog):
    enterprise = catalog.product("salesforce").tier("enterprise")
    for kind in ("customer_community", "customer_community_plus", "partner_community"):
        member = enterprise.license_type(f"{kind}_member")
        login = enterprise.license_type(f"{kind}_login")
        assert enterprise.support(member) == enterprise.support(login)
        assert member.price.amount > login.price.amount


def test_single_sign_on_only_users_get_identity(catalog):
    assert seat_for(catalog, {"sso": "must"}) == ("identity", 5.0)
    # Needing the CRM's contacts as well, Identity is out; Platform Starter is the cheapest.
    assert seat_for(catalog, {"sso": "must", "contact_management": "must"}) == (
        "platform_starter",
        25.0,
    )


def test_a_system_integration_gets_the_free_integration_user(catalog):
    assert seat_for(catalog, {"api_access": "must", "data_import_export": "must"}) == (
        "integration_user",
        0.0,
    )
    # A person who also works contacts in the UI cannot use the API-only license.
    needs = {"api_access": "must", "contact_management": "must"}
    assert seat_for(catalog, needs) == ("platform_starter", 25.0)


def test_collaborators_get_chatter_only_unless_they_need_full_dashboards(catalog):
    needs = {"collaboration": "must", "contact_management": "must_limited"}
    needs |= {"dashboards": "must_limited"}
    assert seat_for(catalog, needs) == ("chatter_only", 15.0)
    assert seat_for(catalog, needs | {"dashboards": "must"}) == ("platform_starter", 25.0)


def test_chatter_external_is_a_free_seat_for_group_members_only(catalog):
    enterprise = catalog.product("salesforce").tier("enterprise")
    external = enterprise.license_type("chatter_external")
    assert external.price.amount == 0
    assert enterprise.support(external) == {"collaboration": "limited"}
    # It meets a group member's gate; with Chatter Free at the same price, the better fit
    # (full collaboration) wins the tie: the engine cannot tell external people apart.
    assert seat_for(catalog, {"collaboration": "must_limited"}) == ("chatter_free", 0.0)
    assert seat_for(catalog, {"collaboration": "must_limited", "sso": "must"})[0] == (
        "platform_starter"
    )


def test_free_suite_is_free_for_two_users_only(catalog):
    salesforce = catalog.product("salesforce")
    free = salesforce.tier("free_suite")
    needs = {"opportunity_management": "must_limited"}
    two = license_mix(salesforce_profile(role(needs, seats=2)), salesforce, free)
    three = license_mix(salesforce_profile(role(needs, seats=3)), salesforce, free)
    assert two.limit_problem is None and two.license_cost() == 0.0
    assert three.limit_problem == "Free Suite allows at most 2 users; the roles need 3"


# --- local list prices ---------------------------------------------------------------------------

EURO_PRICE_END = "as_of: 2026-01-01}"
"""The end of the one price in the golden catalog's euro.yaml (line 13): EUR 80 a seat."""


def with_local(tmp_path, local: str):
    """The golden catalog with ``local`` (flow YAML) added to euro.yaml's seat price, and the
    text of that price's line."""
    new = f"as_of: 2026-01-01, local: {local}}}"
    folder = golden_copy(tmp_path, "euro", EURO_PRICE_END, new)
    line = (folder / "products" / "euro.yaml").read_text(encoding="utf-8").splitlines()[12]
    return folder, line


def column_of(line: str, text: str, nth: int = 1) -> int:
    """1-based column where the ``nth`` ``text`` starts in ``line``."""
    index = -1
    for _ in range(nth):
        index = line.index(text, index + 1)
    return index + 1


def test_local_prices_load_and_price_in_their_currency(tmp_path):
    folder, _ = with_local(
        tmp_path,
        "[{amount: 95, currency: CHF, source: https://euro.example.com/ch, as_of: 2026-01-01, "
        "confidence: vendor}, {amount: 70, currency: GBP, source: https://euro.example.com/uk, "
        "as_of: 2025-12-01}]",
    )
    price = load_catalog(folder, today=GOLDEN_TODAY).product("euro").tiers[0].license_types[0].price
    assert [(p.currency, float(p.amount)) for p in price.local] == [("CHF", 95.0), ("GBP", 70.0)]
    chf = price.in_currency("CHF")
    assert (chf.amount, chf.currency, chf.source, chf.confidence) == (
        95,
        "CHF",
        "https://euro.example.com/ch",
        "vendor",
    )
    # Unit and billing stay the price's own; a currency without a local price gives the price.
    assert (chf.unit, chf.billing, chf.local) == ("per_user_month", "monthly", ())
    assert price.in_currency("USD") is price


def test_a_bad_local_currency_and_amount_are_located(tmp_path):
    folder, line = with_local(
        tmp_path,
        "[{amount: -5, currency: EURO, source: https://euro.example.com/ch, as_of: 2026-01-01}]",
    )
    field = "tiers.0.license_types.0.price.local.0"
    # The values after "amount: " and the second "currency: " on line 13.
    amount_col = column_of(line, "-5")
    currency_col = column_of(line, "EURO")
    assert problems_of(folder) == [
        f"euro.yaml:13:{amount_col}: {field}.amount: Input should be greater than or equal to 0",
        f"euro.yaml:13:{currency_col}: {field}.currency: unknown currency 'EURO'; expected an "
        "ISO 4217 code such as USD or EUR",
    ]


def test_a_local_price_is_in_another_currency_once_and_not_in_the_future(tmp_path):
    folder, line = with_local(
        tmp_path,
        "[{amount: 81, currency: EUR, source: https://euro.example.com/a, as_of: 2026-01-01}, "
        "{amount: 95, currency: CHF, source: https://euro.example.com/b, as_of: 2026-01-01}, "
        "{amount: 96, currency: CHF, source: https://euro.example.com/c, as_of: 2027-01-01}]",
    )
    field = "tiers.0.license_types.0.price.local"
    # Line 13 holds the price's own "currency: EUR" first, then one per local price.
    assert problems_of(folder) == [
        f"euro.yaml:13:{column_of(line, 'EUR,', 2)}: {field}.0.currency: a local price must be "
        "in another currency than the price's own EUR",
        f"euro.yaml:13:{column_of(line, 'CHF', 2)}: {field}.2.currency: a second local price in "
        "CHF",
        f"euro.yaml:13:{column_of(line, '2027-01-01')}: {field}.2.as_of: as_of 2027-01-01 is in "
        "the future",
    ]


def test_bundled_local_prices_are_sourced_and_never_in_the_price_currency(catalog):
    local = [(price, item) for _, price in _prices(catalog.products) for item in price.local]
    assert local, "the bundled catalog publishes local prices (Salesforce EUR and GBP)"
    for price, item in local:
        assert item.currency != price.currency and item.source.startswith("https://")
        assert item.confidence in ("vendor", "secondary")
    enterprise = catalog.product("salesforce").tier("enterprise").license_types[0].price
    assert (enterprise.in_currency("EUR").amount, enterprise.in_currency("GBP").amount) == (
        175,
        140,
    )


# --- the catalog cache ----------------------------------------------------------------------


def test_a_second_load_returns_the_same_catalog(tmp_path):
    folder = golden_copy(tmp_path, "euro", "name: Seat", "name: Seat")
    first = load_catalog(folder, today=GOLDEN_TODAY)
    assert load_catalog(folder, today=GOLDEN_TODAY) is first
    # Another day is another check (as_of against it): loaded anew, equal.
    other_day = load_catalog(folder, today=GOLDEN_TODAY + dt.timedelta(days=1))
    assert other_day is not first and other_day == first


def test_an_edited_file_is_picked_up_even_with_its_size_and_time_kept(tmp_path):
    folder = golden_copy(tmp_path, "euro", "name: Seat", "name: Seat")
    path = folder / "products" / "euro.yaml"
    before = load_catalog(folder, today=GOLDEN_TODAY)
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("amount: 80,", "amount: 90,"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    after = load_catalog(folder, today=GOLDEN_TODAY)
    assert after.product("euro").tiers[0].license_types[0].price.amount == 90
    assert before.product("euro").tiers[0].license_types[0].price.amount == 80


def test_an_added_or_removed_product_file_is_picked_up(tmp_path):
    folder = golden_copy(tmp_path, "euro", "name: Seat", "name: Seat")
    assert "euro" in [p.id for p in load_catalog(folder, today=GOLDEN_TODAY).products]
    (folder / "products" / "euro.yaml").unlink()
    assert "euro" not in [p.id for p in load_catalog(folder, today=GOLDEN_TODAY).products]


def test_a_failed_load_is_not_kept(tmp_path):
    folder = golden_copy(tmp_path, "euro", "amount: 80,", "amount: -80,")
    assert len(problems_of(folder)) == 1
    assert len(problems_of(folder)) == 1


def test_the_shared_catalog_cannot_be_changed_by_a_caller(catalog):
    salesforce = catalog.product("salesforce")
    tier = salesforce.tier("enterprise")
    with pytest.raises(AttributeError):
        catalog.products.append(salesforce)
    with pytest.raises(TypeError, match="read-only"):
        tier.features["telepathy"] = "full"
    with pytest.raises(TypeError, match="read-only"):
        tier.features.update({"telepathy": "full"})
    with pytest.raises(ValidationError):
        tier.name = "Changed"
    # A copy is an ordinary dict; the catalog's own stays as it was.
    own = dict(tier.features)
    own["telepathy"] = "full"
    assert "telepathy" not in tier.features


def test_the_catalog_survives_pickling_and_deep_copies(catalog):
    # Streamlit's cache pickles results that hold catalog objects.
    tier = catalog.product("salesforce").tier("enterprise")
    assert pickle.loads(pickle.dumps(tier)) == tier
    assert copy.deepcopy(tier) == tier
    assert type(pickle.loads(pickle.dumps(tier)).features) is ReadOnlyDict
    assert tier.model_dump()["features"] == dict(tier.features)


def test_an_estimated_local_price_needs_its_reasoning(tmp_path):
    folder, line = with_local(
        tmp_path,
        "[{amount: 95, currency: CHF, source: https://euro.example.com/ch, as_of: 2026-01-01, "
        "confidence: estimate}]",
    )
    # The local price's mapping opens at the "{" after "local: [".
    assert problems_of(folder) == [
        f"euro.yaml:13:{column_of(line, '{amount: 95')}: tiers.0.license_types.0.price.local.0: "
        "an `estimate` price needs its reasoning in `note`"
    ]
