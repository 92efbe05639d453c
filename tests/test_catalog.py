import datetime as dt

import pytest

from analyzer.catalog import CATALOG_COLUMNS, load_catalog
from analyzer.errors import InputError
from tests.conftest import FIXTURES

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


def test_every_price_has_source_and_date(catalog):
    frame = catalog.to_frame()
    priced = frame[frame["amount"].notna()]
    assert priced["source"].str.match(r"^https?://").all()
    assert priced["as_of"].notna().all()
    quote_only = frame[frame["amount"].isna()]
    assert quote_only["quote_only"].all(), "an unpriced seat must belong to a quote-only tier"


def test_to_frame_columns_are_stable(catalog):
    assert list(catalog.to_frame().columns) == CATALOG_COLUMNS


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
