import datetime as dt
import shutil

import pytest

from analyzer.catalog import load_catalog
from analyzer.errors import InputError
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
        "license_type, full_seat, amount, currency, unit, billing, source, as_of, confidence"
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
