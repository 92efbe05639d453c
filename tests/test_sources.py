"""Price sources: the price each costed scenario actually pays, with its provenance.

Read off tests/fixtures/model_catalog: Legacy full seats list at 175 (bought at 150 in the
profile), Platform at 25; Target CRM seats at 100 with a 3,000 onboarding fee; Self Host CRM
has no license fee, hosting at 400 a month and administration at 10 per user (estimates).
Every catalog price there is dated 2026-01-01.
"""

import datetime as dt
import shutil

import pandas as pd

from analyzer import analyze
from analyzer.analysis import TEXT_STORAGE
from analyzer.catalog import load_catalog
from analyzer.licensing import license_mix
from tests.conftest import FIXTURES, GOLDEN, GOLDEN_TODAY, golden_profile


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


def test_a_published_local_price_is_listed_in_the_profile_currency(tmp_path):
    # Legacy's Platform seat lists at USD 25; here its vendor also lists EUR 23 on its EU page.
    folder = tmp_path / "catalog"
    shutil.copytree(FIXTURES / "model_catalog", folder)
    legacy = folder / "products" / "legacy.yaml"
    platform = (
        "price: {amount: 25, currency: USD, source: https://legacy.example.com/pricing, "
        "as_of: 2026-01-01}\n        features: {contact_management: full, dashboards: full"
    )
    text = legacy.read_text(encoding="utf-8")
    assert text.count(platform) == 1
    local = (
        "price: {amount: 25, currency: USD, source: https://legacy.example.com/pricing, "
        "as_of: 2026-01-01, local: [{amount: 23, currency: EUR, "
        "source: https://legacy.example.com/eu/pricing, as_of: 2026-02-01, confidence: vendor}]}"
        "\n        features: {contact_management: full, dashboards: full"
    )
    legacy.write_text(text.replace(platform, local), encoding="utf-8")
    catalog = load_catalog(folder, today=GOLDEN_TODAY)
    euro = analyze(golden_profile(currency="EUR", fx={"USD": 0.9}), catalog, samples=0)
    rows = euro.sources[euro.sources["product"] == "Legacy CRM"].set_index(["kind", "item"])
    platform_row = rows.loc[("license", "Platform")]
    # EUR 23 as listed (25 USD x 0.9 would be EUR 22.50), in EUR, from the EU page and date.
    assert (platform_row["amount"], platform_row["currency"]) == (23.0, "EUR")
    assert platform_row["amount_in_profile_currency"] == 23.0
    assert (platform_row["source"], platform_row["as_of"], platform_row["confidence"]) == (
        "https://legacy.example.com/eu/pricing",
        dt.date(2026, 2, 1),
        "vendor",
    )
    # The 15 viewers get Platform at EUR 23 in Legacy Enterprise: 345 a month.
    legacy_crm = catalog.product("legacy")
    mix = license_mix(euro.profile, legacy_crm, legacy_crm.tier("enterprise"))
    (viewers,) = [r for r in mix.roles if r.role.id == "viewers"]
    assert viewers.license_type.id == "platform"
    assert viewers.monthly_cost == 345.0
    # A USD profile still pays and lists the dollar price.
    dollars = analyze(golden_profile(), catalog, samples=0).sources
    usd_row = dollars[dollars["item"] == "Platform"].iloc[0]
    assert (usd_row["amount"], usd_row["currency"]) == (25.0, "USD")


def test_the_table_has_the_dtypes_pandas_infers_for_its_rows():
    # Built column by column, the table must equal one made from its rows as plain records.
    sources = analyze(golden_profile(), GOLDEN, samples=0).sources
    records = [
        {name: (None if value != value else value) for name, value in row.items()}
        for row in sources.astype(object).to_dict("records")
    ]
    # analyze() keeps text in Python storage (TEXT_STORAGE); infer the reference the same way.
    with pd.option_context("mode.string_storage", TEXT_STORAGE):
        inferred = pd.DataFrame(records, columns=list(sources.columns))
    pd.testing.assert_frame_equal(sources, inferred, check_exact=True)
    assert list(sources.dtypes) == list(inferred.dtypes)
    assert sources["billing"].isna().any()  # the paid price comes from the profile: no billing
