"""Price provenance: every price a costed scenario uses, with its source, date and currency."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from analyzer.catalog import Price, Product, Tier
from analyzer.costs import ScenarioPlan
from analyzer.licensing import LicenseMix
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
]
"""Columns of :func:`price_sources`."""


def price_sources(
    plans: Iterable[ScenarioPlan], stay_mix: LicenseMix, profile: Profile
) -> pd.DataFrame:
    """Every price a costed scenario uses, with its currency, source address and as-of date.

    Catalog prices are listed in their own currency and converted; net prices paid today and
    quotes come from the profile (no address, no date). One row per product, tier, kind and
    item, sorted by them.
    """
    rows: dict[tuple[str, ...], dict[str, Any]] = {}
    for plan in plans:
        if plan.status != "ok":
            continue
        if plan.kind == "stay":
            rows |= _current_prices(stay_mix, profile)
            continue
        mix = plan.mix
        product, tier = mix.product, mix.tier
        for role in mix.roles:
            if role.license_type is None or role.price is None:
                continue
            name = role.license_type.name
            if role.price.source == "quote in profile":
                rows[(product.id, tier.id, "quote", role.license_type.id)] = _profile_price_row(
                    product, tier, "quote", name, role.price.amount, profile.currency
                )
            else:
                rows[(product.id, tier.id, "license", role.license_type.id)] = _catalog_price_row(
                    product, tier, "license", name, role.license_type
                )
            for feature, _ in role.addons:
                addon = tier.addon(feature)
                rows[(product.id, tier.id, "addon", feature)] = _catalog_price_row(
                    product, tier, "addon", addon.name, addon
                )
        if mix.padding:
            full = tier.license_types[0]
            rows[(product.id, tier.id, "license", full.id)] = _catalog_price_row(
                product, tier, "license", full.name, full
            )
        if plan.kind == "switch":
            for fee in tier.one_time_fees:
                rows[(product.id, tier.id, "one_time_fee", fee.name)] = _catalog_price_row(
                    product, tier, "one_time_fee", fee.name, fee
                )
    frame = pd.DataFrame([rows[key] for key in sorted(rows)], columns=SOURCE_COLUMNS)
    frame["amount_in_profile_currency"] = [
        amount * profile.rate(currency)
        for amount, currency in zip(frame["amount"], frame["currency"], strict=True)
    ]
    return frame


def _current_prices(
    stay_mix: LicenseMix, profile: Profile
) -> dict[tuple[str, ...], dict[str, Any]]:
    """The seats bought today: the net price the profile states, else the catalog's list."""
    current = profile.current
    product, tier = stay_mix.product, stay_mix.tier
    rows = {}
    for lt_id in current.seats:
        license_type = tier.license_type(lt_id)
        paid = current.prices.get(lt_id)
        if paid is None:
            rows[(product.id, tier.id, "license", lt_id)] = _catalog_price_row(
                product, tier, "license", license_type.name, license_type
            )
        else:
            rows[(product.id, tier.id, "net price paid", lt_id)] = _profile_price_row(
                product, tier, "net price paid", license_type.name, paid, profile.currency
            )
    return rows


def _catalog_price_row(product: Product, tier: Tier, kind: str, item: str, priced: Any) -> dict:
    """A row for a catalog object carrying a ``price`` (license type, add-on, one-time fee)."""
    price: Price = priced.price
    return {
        "product": product.name,
        "tier": tier.name,
        "kind": kind,
        "item": item,
        "amount": float(price.amount),
        "currency": price.currency,
        "unit": price.unit,
        "billing": price.billing,
        "source": str(price.source),
        "as_of": price.as_of,
    }


def _profile_price_row(
    product: Product, tier: Tier, kind: str, item: str, amount: float, currency: str
) -> dict:
    """A row for a price the profile states (in its own currency): a quote or a net price."""
    return {
        "product": product.name,
        "tier": tier.name,
        "kind": kind,
        "item": item,
        "amount": float(amount),
        "currency": currency,
        "unit": "per_user_month",
        "billing": None,
        "source": "profile",
        "as_of": None,
    }
