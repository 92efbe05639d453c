"""Price provenance: every price a costed scenario uses, with its source, date and confidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

import pandas as pd

from analyzer.catalog import Price, Product, Tier, catalog_running_costs, stale_cutoff
from analyzer.costs import ScenarioPlan
from analyzer.frames import columns_table
from analyzer.licensing import (
    PAID_PRICE_SOURCE,
    QUOTE_SOURCE,
    LicenseMix,
    price_paid_else_list,
)
from analyzer.profile import Profile

SOURCE_COLUMNS = [
    "product",
    "tier",
    "kind",
    "item",
    "amount",
    "currency",
    "unit",
    "billing",
    "amount_in_profile_currency",
    "source",
    "as_of",
    "confidence",
    "stale",
]
"""Columns of :func:`sources_table`."""

PROFILE_SOURCES = {PAID_PRICE_SOURCE: "net price paid", QUOTE_SOURCE: "quote"}
"""Seat prices the profile states, by the kind of row they make."""


class SourceRow(NamedTuple):
    """One row of :func:`sources_table` before its amount is converted (every column of
    :data:`SOURCE_COLUMNS` but ``amount_in_profile_currency``)."""

    product: str
    tier: str
    kind: str
    item: str
    amount: float
    currency: str
    unit: str
    billing: str | None
    source: str
    as_of: dt.date | None
    confidence: str | None
    stale: bool


def source_rows(
    plans: Iterable[ScenarioPlan], stay_mix: LicenseMix, profile: Profile
) -> list[SourceRow]:
    """Every price a costed scenario uses, with its currency, source, date and confidence:
    the rows of :func:`sources_table`, in its order (the warnings about prices read them as
    they are).

    Catalog prices are listed as the vendor publishes them in the profile's currency when it
    does (``currency`` is then the profile's), else in their own currency and converted; net
    prices paid today, quotes and running costs from the profile come from the profile (no
    address, no date).
    ``stale`` is True for a catalog price read more than 12 months before the analysis
    start. One row per product, tier, kind and item, sorted by them (where several scenarios
    pay one item, the last one's row)."""
    cutoff = stale_cutoff(profile.analysis_start)
    rows: dict[tuple[str, ...], SourceRow] = {}
    for plan in plans:
        mix = stay_mix if plan.kind == "stay" else plan.mix
        for kind, item_id, row in _plan_rows(plan, mix, profile, cutoff):
            rows[(mix.product.id, mix.tier.id, kind, item_id)] = row
    return [rows[key] for key in sorted(rows)]


def sources_table(rows: list[SourceRow], profile: Profile) -> pd.DataFrame:
    """The :data:`SOURCE_COLUMNS` table of ``rows``, each amount also converted to the
    profile's currency. The table is made once, column by column: the rows transposed, the
    text columns converted as one text array (:func:`~analyzer.frames.columns_table`)."""
    if not rows:
        return pd.DataFrame({name: [] for name in SOURCE_COLUMNS})
    fields = dict(zip(SourceRow._fields, zip(*rows, strict=True), strict=True))
    columns: dict[str, Any] = {name: list(values) for name, values in fields.items()}
    columns["amount_in_profile_currency"] = [
        row.amount * profile.rate(row.currency) for row in rows
    ]
    return columns_table({name: columns[name] for name in SOURCE_COLUMNS})


def _plan_rows(
    plan: ScenarioPlan, mix: LicenseMix, profile: Profile, cutoff: dt.date
) -> Iterator[tuple[str, str, SourceRow]]:
    """(kind, item id, row) for every price one scenario pays; a catalog price read before
    ``cutoff`` is stale."""
    product, tier = mix.product, mix.tier
    if plan.kind == "stay":
        seats = [
            (lt, price_paid_else_list(profile, product, tier, lt))
            for lt in tier.license_types
            if lt.id in profile.current.seats
        ]
    else:
        seats = [(r.license_type, r.price) for r in mix.roles if r.license_type and r.price]
    for lt, price in seats:
        if price is None:
            continue
        if price.source in PROFILE_SOURCES:
            kind = PROFILE_SOURCES[price.source]
            unit = "flat_month" if price.flat else "per_user_month"
            yield (
                kind,
                lt.id,
                _profile_row(product, tier, kind, lt.name, price.amount, profile.currency, unit),
            )
        else:
            yield (
                "license",
                lt.id,
                _catalog_row(
                    product,
                    tier,
                    "license",
                    lt.name,
                    lt.list_price(price.billing),
                    profile.currency,
                    cutoff,
                ),
            )
    for role in mix.roles:
        for feature, _ in role.addons:
            addon = tier.addon(feature)
            yield (
                "addon",
                feature,
                _catalog_row(
                    product, tier, "addon", addon.name, addon.price, profile.currency, cutoff
                ),
            )
    if mix.padding:
        full = tier.license_types[0]
        yield (
            "license",
            full.id,
            _catalog_row(product, tier, "license", full.name, full.price, profile.currency, cutoff),
        )
    if plan.kind != "switch":
        return
    for fee in tier.one_time_fees:
        yield (
            "one_time_fee",
            fee.name,
            _catalog_row(
                product, tier, "one_time_fee", fee.name, fee.price, profile.currency, cutoff
            ),
        )
    own = [item for item in profile.running_costs if item.product == product.id]
    replaced = {item.name for item in own}
    for item in catalog_running_costs(product, tier):
        if item.name not in replaced:
            yield (
                "running_cost",
                item.name,
                _catalog_row(
                    product, tier, "running_cost", item.name, item.price, profile.currency, cutoff
                ),
            )
    for item in own:
        yield (
            "running_cost",
            item.name,
            _profile_row(
                product, tier, "running_cost", item.name, item.amount, item.currency, item.unit
            ),
        )


def _catalog_row(
    product: Product,
    tier: Tier,
    kind: str,
    item: str,
    price: Price,
    currency: str,
    cutoff: dt.date,
) -> SourceRow:
    """A row for a price read from the catalog, as published in ``currency`` when the vendor
    lists it there (else in its own currency); stale when read before ``cutoff``."""
    price = price.in_currency(currency)
    return SourceRow(
        product.name,
        tier.name,
        kind,
        item,
        float(price.amount),
        price.currency,
        price.unit,
        price.billing,
        str(price.source),
        price.as_of,
        price.confidence,
        price.as_of < cutoff,
    )


def _profile_row(
    product: Product,
    tier: Tier,
    kind: str,
    item: str,
    amount: Any,
    currency: str,
    unit: str,
) -> SourceRow:
    """A row for a price the profile states (in its own currency): a quote, a net price paid
    or a running cost."""
    return SourceRow(
        product.name,
        tier.name,
        kind,
        item,
        float(amount),
        currency,
        unit,
        None,
        "profile",
        None,
        "profile",
        False,
    )
