"""The CRM catalog: products, tiers (editions) and the per-user license types they sell.

Pydantic models are the single source of truth: ``catalog/schema.json`` is generated from
:class:`ProductFile` and :class:`FeatureFile`. :func:`load_catalog` reads every file strictly and
reports all problems of all files at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import stat
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

import pandas as pd
from dateutil.relativedelta import relativedelta
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from analyzer import catalog_store
from analyzer.currency import check_currency
from analyzer.errors import InputError, Problem
from analyzer.resources import bundled_catalog
from analyzer.yamlio import YamlDocument, parse_yaml, read_limited, validation_problems

BUNDLED_CATALOG = bundled_catalog()
"""The catalog shipped with the project (used when no other folder is given)."""

Support = Literal["full", "limited", "addon"]
"""How a tier or license type supports a feature; absent from the mapping means not at all."""

SUPPORT_SCORE = {"full": 1.0, "limited": 0.5, "addon": 1.0}
"""Fit credit of each support level (an add-on counts once its price is paid)."""
GATE_SUPPORT: dict[str, tuple[Support, ...]] = {
    "must": ("full", "addon"),
    "must_limited": ("full", "addon", "limited"),
}
"""Support levels that meet each gate of a role's needs (an add-on only once bought)."""

# --- Bounds (DESIGN section 4; README "Limits"). Every number read from a catalog or a profile
# is finite and inside one of these ranges; booleans are never numbers.
MAX_SEATS = 1_000_000
"""Most seats of one license type or one role."""
MAX_PRICE = 1_000_000
"""Highest price per unit (per user per month, per month, one time) and highest hourly rate."""
MAX_PROJECT_COST = 1_000_000_000
"""Highest one-time project amount (a fixed migration cost, a downgrade's one-time cost)."""
MAX_COUNT = 10_000_000_000
"""Highest count of things that are not seats (records to migrate, API calls per day)."""
MAX_RECORDS = MAX_COUNT
"""Most records a migration can move."""
MAX_INTEGRATIONS = 10_000
"""Most integrations a migration can rebuild."""
MAX_HOURS = 1_000_000
"""Most hours of work in one estimate."""
MAX_TRAINING_HOURS = 1_000
"""Most training hours per user."""
MAX_PERCENT_OVERRUN = 1_000
"""Highest migration overrun in percent."""
MIN_FX, MAX_FX = 1e-6, 1e6
"""Range of an exchange rate (profile currency per unit of another currency)."""
MAX_WEIGHT = 1_000
"""Highest criterion weight (weights are relative: only their ratios matter)."""
MIN_YEAR, MAX_YEAR = 2000, 2100
"""Years a date may fall in."""
MAX_ROLES = 500
"""Most roles in a profile."""
MAX_QUOTES = 500
"""Most quotes in a profile."""
MAX_NAME_LENGTH = 200
"""Longest name (of a product, tier, license type, role, feature, profile)."""
MAX_NOTE_LENGTH = 5_000
"""Longest free text (a note or a description)."""
MAX_LIST_ITEMS = 1_000
"""Most items in one list of a catalog file (tiers, license types, add-ons, features...)."""
MAX_PRODUCT_FILES = 200
"""Most product files in a catalog folder."""


def _not_a_boolean(value: object) -> object:
    """Refuse ``true``/``false`` where a number is expected (Python counts them as 1 and 0)."""
    if isinstance(value, bool):
        raise ValueError("expected a number, not true/false")
    return value


def _not_a_number(value: object) -> object:
    """Refuse a number where a date is expected (it would be read as seconds since 1970)."""
    if isinstance(value, bool | int | float | Decimal):
        raise ValueError("expected a date such as 2027-01-31, not a number")
    return value


def _in_calendar_range(day: dt.date) -> dt.date:
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValueError(f"the year must be from {MIN_YEAR} to {MAX_YEAR}, got {day.year}")
    return day


_TEXT_FORBIDDEN = re.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\ud800-\\udfff]")


def _printable(text: str) -> str:
    """Refuse control characters (other than tab and line feed) and lone surrogates."""
    found = _TEXT_FORBIDDEN.search(text)
    if found:
        raise ValueError(f"control character or lone surrogate U+{ord(found.group()):04X} in text")
    return text


def Count(maximum: int, minimum: int = 0) -> object:
    """A whole number from ``minimum`` to ``maximum``: no booleans, no floats, no text."""
    return Annotated[int, Field(ge=minimum, le=maximum, strict=True)]


def Amount(maximum: float, minimum: float = 0) -> object:
    """A finite float from ``minimum`` to ``maximum``; booleans refused."""
    return Annotated[
        float, BeforeValidator(_not_a_boolean), Field(ge=minimum, le=maximum, allow_inf_nan=False)
    ]


Seats = Annotated[int, Field(ge=0, le=MAX_SEATS, strict=True)]
"""A number of seats: a whole number from 0 to :data:`MAX_SEATS`."""
Money = Annotated[
    Decimal,
    BeforeValidator(_not_a_boolean),
    Field(ge=0, le=MAX_PRICE, allow_inf_nan=False),
]
"""A price per unit from 0 to :data:`MAX_PRICE`, exact."""
Day = Annotated[dt.date, BeforeValidator(_not_a_number), AfterValidator(_in_calendar_range)]
"""A date from :data:`MIN_YEAR` to :data:`MAX_YEAR`."""
Name = Annotated[str, Field(max_length=MAX_NAME_LENGTH), AfterValidator(_printable)]
"""A short display text."""
Note = Annotated[str, Field(max_length=MAX_NOTE_LENGTH), AfterValidator(_printable)]
"""A free text."""

Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
Url = Annotated[str, Field(pattern=r"^https?://\S+$", max_length=500)]
Currency = Annotated[str, AfterValidator(check_currency)]


class ReadOnlyDict(dict):  # type: ignore[type-arg]
    """A dict that refuses changes: a loaded catalog is shared by every caller (it is cached),
    so no caller may change it for the others. Copies (``dict(...)``) are ordinary dicts."""

    def _refuse(self, *args: object, **kwargs: object) -> None:
        raise TypeError("catalog data is read-only; change a copy, e.g. dict(tier.features)")

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse

    def __reduce__(self) -> tuple[type, tuple[dict]]:  # type: ignore[type-arg]
        return (ReadOnlyDict, (dict(self),))


SupportMap = Annotated[dict[Identifier, Support], AfterValidator(ReadOnlyDict)]
"""Feature id to support level, read-only."""


class StrictModel(BaseModel):
    """Base of every input model: unknown fields are errors, values are immutable. Validators
    are built on first use: a catalog read from the disk store never needs them."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


Confidence = Literal["vendor", "secondary", "estimate"]
"""How far a price can be trusted (DESIGN section 3)."""


class LocalPrice(StrictModel):
    """The same list price as the vendor publishes it in another currency.

    Its unit and billing are those of the price it belongs to; it has its own address, date and
    confidence because a local price list is often read on another page or at another time.
    """

    amount: Money = Field(description="Amount in `currency`, before tax")
    currency: Currency = Field(description="ISO 4217 code, other than the price's own")
    source: Url = Field(description="Address of the public page the local price was read from")
    as_of: Day = Field(description="Date the local price was read or published")
    confidence: Confidence | None = Field(
        None, description="vendor, secondary or estimate, as for a price"
    )
    note: Note | None = Field(None, description="How the figure was read or reasoned")

    @model_validator(mode="after")
    def _estimate_explained(self) -> LocalPrice:
        if self.confidence == "estimate" and not self.note:
            raise ValueError("an `estimate` price needs its reasoning in `note`")
        return self


class Price(StrictModel):
    """A list price with where it was read and when, and its published local prices."""

    amount: Money = Field(description="Amount in `currency`, before tax")
    currency: Currency = Field(description="ISO 4217 code")
    unit: Literal["per_user_month", "flat_month", "one_time"] = "per_user_month"
    billing: Literal["annual", "monthly"] = Field(
        "annual",
        description="annual: committed for a year (often paid upfront); monthly: month to month",
    )
    source: Url = Field(description="Address of the public page the price was read from")
    as_of: Day = Field(description="Date the price was read or published")
    confidence: Confidence | None = Field(
        None,
        description="vendor: read on the vendor's own page; secondary: a dated third-party "
        "copy or advisor; estimate: a modelled figure with its reasoning in `note`",
    )
    note: Note | None = Field(None, description="How the figure was read or reasoned")
    local: tuple[LocalPrice, ...] = Field(
        (),
        max_length=MAX_LIST_ITEMS,
        description="The list price as published in other currencies (one entry per currency); "
        "a profile in one of them uses it instead of converting this price with its fx rate",
    )

    @model_validator(mode="after")
    def _estimate_explained(self) -> Price:
        if self.confidence == "estimate" and not self.note:
            raise ValueError("an `estimate` price needs its reasoning in `note`")
        return self

    def in_currency(self, currency: str) -> Price:
        """This price as published in ``currency`` if the vendor lists it there, else itself.

        The local price keeps this price's unit and billing and brings its own source, date,
        confidence and note.

        >>> price = Price.model_validate({
        ...     "amount": 175, "currency": "USD", "source": "https://example.com/us",
        ...     "as_of": "2026-08-13",
        ...     "local": [{"amount": 140, "currency": "GBP", "source": "https://example.com/uk",
        ...                "as_of": "2026-08-13"}]})
        >>> price.in_currency("GBP").amount, price.in_currency("EUR").currency
        (Decimal('140'), 'USD')
        """
        return self.published_prices.get(currency, self)

    @cached_property
    def conversion_terms(self) -> tuple[float, bool, str, str, str]:
        """The amount as a float, whether the price is flat per month, its billing, source
        and date as text: what every conversion of the price into a profile's currency
        (:func:`analyzer.licensing.converted`) copies, worked out once (the price is frozen)."""
        flat = self.unit == "flat_month"
        return float(self.amount), flat, self.billing, self.source, self.as_of.isoformat()

    @cached_property
    def published_prices(self) -> Mapping[str, Price]:
        """This price as published in each currency of :attr:`local` (the first entry for a
        currency), made once (the price is frozen): every seat of every analysis in such a
        currency asks for it."""
        # model_copy copies the instance's dict, this price's cached values with it: a copy
        # drops them and works out its own.
        cached = [name for name, value in vars(Price).items() if isinstance(value, cached_property)]
        published: dict[str, Price] = {}
        for local in self.local:
            if local.currency not in published:
                copied = self.model_copy(update={**dict(local), "local": ()})
                for name in cached:
                    copied.__dict__.pop(name, None)
                published[local.currency] = copied
        return ReadOnlyDict(published)


class RunningCost(StrictModel):
    """A recurring cost that is not a license: hosting, administration, a support plan."""

    name: Name
    price: Price

    @model_validator(mode="after")
    def _recurring_unit(self) -> RunningCost:
        if self.price.unit == "one_time":
            raise ValueError("a running cost is `flat_month` or `per_user_month`, not one_time")
        return self


class Feature(StrictModel):
    id: Identifier
    name: Name
    category: Literal[
        "sales",
        "service",
        "marketing",
        "analytics",
        "platform",
        "integration",
        "security",
        "ai",
        "hosting",
    ]
    description: Note


class FeatureFile(StrictModel):
    """``catalog/features.yaml``: the feature taxonomy."""

    features: tuple[Feature, ...] = Field(min_length=1, max_length=MAX_LIST_ITEMS)


class LicenseType(StrictModel):
    """A per-user seat sold in a tier. The tier's first license type is its full seat."""

    id: Identifier
    name: Name
    price: Price | None = Field(None, description="null when the tier is quote-only")
    monthly_price: Price | None = Field(
        None,
        description="The monthly-billing price when the vendor publishes one beside an "
        "annual-commitment `price`; the profile's `target_billing` picks between them",
    )
    features: SupportMap | None = Field(
        None, description="What this seat grants; omitted: everything the tier has, less `lacks`"
    )
    lacks: tuple[Identifier, ...] = Field(
        (),
        max_length=MAX_LIST_ITEMS,
        description="Tier features this seat does not grant",
    )
    note: Note | None = None

    @model_validator(mode="after")
    def _features_or_lacks(self) -> LicenseType:
        if self.features is not None and self.lacks:
            raise ValueError("give either `features` (an explicit grant) or `lacks`, not both")
        return self

    @model_validator(mode="after")
    def _second_price_is_monthly(self) -> LicenseType:
        if self.monthly_price is None:
            return self
        if self.price is None or self.price.billing != "annual":
            raise ValueError("`monthly_price` needs an annual-billing `price` beside it")
        if self.monthly_price.billing != "monthly":
            raise ValueError("`monthly_price` must have `billing: monthly`")
        return self

    def list_price(self, billing: str) -> Price | None:
        """The published price for ``billing`` where the seat has both, else its only one."""
        if billing == "monthly" and self.monthly_price is not None:
            return self.monthly_price
        return self.price


class Addon(StrictModel):
    """A feature bought on top of a tier."""

    feature: Identifier
    name: Name
    price: Price | None = Field(None, description="null when the add-on is priced on request")


class OneTimeFee(StrictModel):
    name: Name
    price: Price


class Limits(StrictModel):
    min_seats: Count(MAX_SEATS, 1) | None = None
    max_seats: Count(MAX_SEATS, 1) | None = None
    storage_gb: Amount(MAX_COUNT) | None = None
    api_calls_per_day: Count(MAX_COUNT) | None = None


class Tier(StrictModel):
    """An edition or plan."""

    id: Identifier
    name: Name
    quote_only: bool = Field(False, description="No public price: costed only with a quote")
    legacy: bool = Field(
        False,
        description="Renewable by existing customers but no longer sold to new ones",
    )
    features: SupportMap = Field(default_factory=ReadOnlyDict)
    limits: Limits = Limits.model_construct()
    one_time_fees: tuple[OneTimeFee, ...] = Field((), max_length=MAX_LIST_ITEMS)
    addons: tuple[Addon, ...] = Field((), max_length=MAX_LIST_ITEMS)
    license_types: tuple[LicenseType, ...] = Field(min_length=1, max_length=MAX_LIST_ITEMS)
    hosting: tuple[Literal["saas", "self_hosted"], ...] | None = Field(
        None, description="Where this tier runs, when it differs from the product's hosting"
    )
    running_costs: tuple[RunningCost, ...] = Field(
        (),
        max_length=MAX_LIST_ITEMS,
        description="Recurring non-license costs of this tier; one named like a product-level "
        "item replaces it",
    )
    export_every_days: Count(365, 1) | None = Field(
        None,
        description="How often the vendor's scheduled full data export can run, in days "
        "(Salesforce: 7 in Enterprise and above, 29 in other editions); the exit plan schedules "
        "the final export at least one cycle plus 7 days before access ends, 29 when unknown",
    )
    """Days between two runs of the scheduled full data export; None when unknown."""
    note: Note | None = None

    @model_validator(mode="after")
    def _priced_unless_quote_only(self) -> Tier:
        if not self.quote_only and self.license_types[0].price is None:
            raise ValueError("the full seat needs a price, or set `quote_only: true`")
        return self

    def support(self, license_type: LicenseType) -> Mapping[str, Support]:
        """Effective feature support of one of this tier's seats (read-only, shared)."""
        known = self.seat_support.get(license_type.id)
        return known if known is not None else _seat_support(self, license_type)

    @cached_property
    def seat_support(self) -> Mapping[str, Mapping[str, Support]]:
        """Per license type id, its effective feature support. Worked out once (the tier is
        frozen): assigning seats asks for it for every role, tier and license type."""
        return ReadOnlyDict({lt.id: _seat_support(self, lt) for lt in self.license_types})

    @cached_property
    def features_meeting(self) -> Mapping[str, Mapping[str, frozenset[str]]]:
        """Per license type id and gate (:data:`GATE_SUPPORT`), the features the seat meets
        it with. Worked out once (the tier is frozen): seats are judged against every role's
        musts as set differences."""
        return ReadOnlyDict(
            {
                lt_id: ReadOnlyDict(
                    {
                        gate: frozenset(f for f, level in support.items() if level in levels)
                        for gate, levels in GATE_SUPPORT.items()
                    }
                )
                for lt_id, support in self.seat_support.items()
            }
        )

    def addon(self, feature: str) -> Addon | None:
        return next((a for a in self.addons if a.feature == feature), None)

    def license_type(self, license_type_id: str) -> LicenseType:
        for lt in self.license_types:
            if lt.id == license_type_id:
                return lt
        raise KeyError(license_type_id)


class ContractDefaults(StrictModel):
    """Contract terms the vendor publishes; a user's own contract overrides them."""

    notice_days: Count(365) | None = None
    auto_renew: bool | None = None
    renewal_term_months: Count(120, 1) | None = None
    renewal_uplift_pct: Amount(100) | None = None
    refund: Literal["none", "prorated", "full_within_days"] | None = None
    full_refund_days: Count(365) | None = None
    minimum_term_months: Count(120, 1) | None = None
    source: Url | None = None
    note: Note | None = None


class ProductFile(StrictModel):
    """``catalog/products/<id>.yaml``: one CRM product and its tiers."""

    id: Identifier
    vendor: Name
    name: Name
    website: Url
    status: Literal["active", "not_sold"] = Field(
        "active", description="not_sold: no longer sold to new customers"
    )
    kind: Literal["crm", "service_desk"] = Field(
        "crm",
        description="crm: sales, or sales and service; service_desk: support only (DESIGN 3)",
    )
    hosting: tuple[Literal["saas", "self_hosted"], ...] = Field(min_length=1)
    data_residency: tuple[Name, ...] = Field((), max_length=MAX_LIST_ITEMS)
    contract: ContractDefaults = ContractDefaults.model_construct()
    running_costs: tuple[RunningCost, ...] = Field(
        (),
        max_length=MAX_LIST_ITEMS,
        description="Recurring non-license costs (hosting, administration, support) of every tier",
    )
    tiers: tuple[Tier, ...] = Field(min_length=1, max_length=MAX_LIST_ITEMS)
    note: Note | None = None

    def tier(self, tier_id: str) -> Tier:
        for tier in self.tiers:
            if tier.id == tier_id:
                return tier
        raise KeyError(tier_id)


Product = ProductFile


def _seat_support(tier: Tier, license_type: LicenseType) -> Mapping[str, Support]:
    """The features a license type of ``tier`` supports: its own list, else the tier's less
    what it lacks."""
    if license_type.features is not None:
        return ReadOnlyDict(license_type.features)
    lacks = set(license_type.lacks)
    return ReadOnlyDict({f: s for f, s in tier.features.items() if f not in lacks})


def is_self_hosted(product: Product, tier: Tier) -> bool:
    """A tier runs on the customer's own servers only (its hosting, else its product's)."""
    hosting = tier.hosting if tier.hosting is not None else product.hosting
    return list(hosting) == ["self_hosted"]


def catalog_running_costs(product: Product, tier: Tier) -> list[RunningCost]:
    """The product's running costs with the tier's own items added (same name: the tier's)."""
    tier_names = {item.name for item in tier.running_costs}
    return [item for item in product.running_costs if item.name not in tier_names] + list(
        tier.running_costs
    )


STALE_AFTER_MONTHS = 12
"""A price read more than this many months before the analysis start is stale (DESIGN 3)."""


def stale_cutoff(analysis_start: dt.date) -> dt.date:
    """The earliest as-of date of a price that is not stale at ``analysis_start``.

    >>> stale_cutoff(dt.date(2026, 2, 28))
    datetime.date(2025, 2, 28)
    """
    return analysis_start - relativedelta(months=STALE_AFTER_MONTHS)


def is_stale(as_of: dt.date, analysis_start: dt.date) -> bool:
    """A price is stale when it was read more than 12 months before the analysis start."""
    return as_of < stale_cutoff(analysis_start)


class Catalog(BaseModel):
    """The whole catalog: the feature taxonomy and every product."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    features: tuple[Feature, ...]
    products: tuple[Product, ...]

    def feature(self, feature_id: str) -> Feature:
        return self.feature_index[feature_id]

    @property
    def feature_index(self) -> dict[str, Feature]:
        return {f.id: f for f in self.features}

    @cached_property
    def feature_names(self) -> Mapping[str, str]:
        """Feature id to name (read-only), worked out once (the catalog is frozen): every
        analysis names the must-haves a seat lacks with it."""
        return ReadOnlyDict({f.id: f.name for f in self.features})

    @cached_property
    def derived(self) -> dict[str, object]:
        """What other modules work out from this catalog alone, by name (the seat
        judgements of :func:`analyzer.licensing.catalog_judgements`): the catalog is frozen,
        so it never goes stale, and a batch worker analysing many profiles with one catalog
        works it out once. Not catalog data: never validated, compared or exported."""
        return {}

    def product(self, product_id: str) -> Product:
        for product in self.products:
            if product.id == product_id:
                return product
        raise KeyError(product_id)

    def currencies(self) -> set[str]:
        """Every currency any price in the catalog is quoted in."""
        return set(self.price_currencies)

    @cached_property
    def price_currencies(self) -> frozenset[str]:
        """:meth:`currencies`, worked out once (the catalog is frozen): every profile is
        checked against them."""
        return frozenset(price.currency for _, price in _prices(self.products))

    def to_frame(self, as_of: dt.date | None = None) -> pd.DataFrame:
        """One row per product x tier x license type, with price and its source.

        Parameters
        ----------
        as_of
            The day staleness is judged at (default today): a price read more than
            :data:`STALE_AFTER_MONTHS` months before it is ``stale``.

        Returns
        -------
        pandas.DataFrame
            Columns (also the fields of ``crm-analyzer catalog list --format json``):
            product_id, product, vendor, status, tier_id, tier, quote_only, license_type_id,
            license_type, full_seat, amount, currency, unit, billing, source, as_of,
            confidence, stale (None without a price), kind.
        """
        day = as_of or dt.date.today()
        rows = []
        for product in self.products:
            for tier in product.tiers:
                for index, lt in enumerate(tier.license_types):
                    price = lt.price
                    rows.append(
                        {
                            "product_id": product.id,
                            "product": product.name,
                            "vendor": product.vendor,
                            "status": product.status,
                            "tier_id": tier.id,
                            "tier": tier.name,
                            "quote_only": tier.quote_only,
                            "license_type_id": lt.id,
                            "license_type": lt.name,
                            "full_seat": index == 0,
                            "amount": float(price.amount) if price else None,
                            "currency": price.currency if price else None,
                            "unit": price.unit if price else None,
                            "billing": price.billing if price else None,
                            "source": price.source if price else None,
                            "as_of": price.as_of.isoformat() if price else None,
                            "confidence": price.confidence if price else None,
                            "stale": is_stale(price.as_of, day) if price else None,
                            "kind": product.kind,
                        }
                    )
        return pd.DataFrame(rows, columns=CATALOG_COLUMNS)


CATALOG_COLUMNS = [
    "product_id",
    "product",
    "vendor",
    "status",
    "tier_id",
    "tier",
    "quote_only",
    "license_type_id",
    "license_type",
    "full_seat",
    "amount",
    "currency",
    "unit",
    "billing",
    "source",
    "as_of",
    "confidence",
    "stale",
    "kind",
]


def _prices(products: list[Product]) -> Iterator[tuple[tuple[str | int, ...], Price]]:
    """Every price in ``products`` with its field path inside its product file."""
    for product in products:
        for i, item in enumerate(product.running_costs):
            yield ("running_costs", i, "price"), item.price
        for t, tier in enumerate(product.tiers):
            for i, lt in enumerate(tier.license_types):
                if lt.price:
                    yield ("tiers", t, "license_types", i, "price"), lt.price
                if lt.monthly_price:
                    yield ("tiers", t, "license_types", i, "monthly_price"), lt.monthly_price
            for i, item in enumerate(tier.running_costs):
                yield ("tiers", t, "running_costs", i, "price"), item.price
            for i, addon in enumerate(tier.addons):
                if addon.price:
                    yield ("tiers", t, "addons", i, "price"), addon.price
            for i, fee in enumerate(tier.one_time_fees):
                yield ("tiers", t, "one_time_fees", i, "price"), fee.price


def _product_problems(
    product: Product, doc: YamlDocument, feature_ids: set[str], today: dt.date
) -> Iterator[Problem]:
    """Semantic checks beyond types for one product file."""
    stem = Path(doc.path).stem
    if product.id != stem:
        yield doc.problem(("id",), f"id {product.id!r} must equal the file name {stem!r}")
    yield from _duplicates(
        doc, [(("tiers", t, "id"), tier.id) for t, tier in enumerate(product.tiers)], "tier"
    )
    for t, tier in enumerate(product.tiers):
        tier_path = ("tiers", t)
        yield from _duplicates(
            doc,
            [
                ((*tier_path, "license_types", i, "id"), lt.id)
                for i, lt in enumerate(tier.license_types)
            ],
            "license type",
        )
        limits = tier.limits
        if limits.min_seats and limits.max_seats and limits.min_seats > limits.max_seats:
            yield doc.problem(
                (*tier_path, "limits", "min_seats"),
                f"min_seats {limits.min_seats} is above max_seats {limits.max_seats}",
            )
        feature_refs = [((*tier_path, "features", f), f) for f in tier.features]
        feature_refs += [
            ((*tier_path, "addons", i, "feature"), a.feature) for i, a in enumerate(tier.addons)
        ]
        for i, lt in enumerate(tier.license_types):
            lt_path = (*tier_path, "license_types", i)
            feature_refs += [((*lt_path, "features", f), f) for f in lt.features or {}]
            feature_refs += [((*lt_path, "lacks", j), f) for j, f in enumerate(lt.lacks)]
            for feature, level in tier.support(lt).items():
                if level == "addon" and tier.addon(feature) is None:
                    yield doc.problem(
                        (*lt_path,),
                        f"feature {feature!r} is an add-on but the tier lists no add-on for it",
                    )
        for path, feature in feature_refs:
            if feature not in feature_ids:
                yield doc.problem(path, f"unknown feature {feature!r}; see catalog/features.yaml")
        if not tier.quote_only and any(lt.price is None for lt in tier.license_types):
            yield doc.problem(tier_path, "every license type of a priced tier needs a price")
    for path, price in _prices([product]):
        if price.as_of > today:
            yield doc.problem((*path, "as_of"), f"as_of {price.as_of} is in the future")
        yield from _local_price_problems(price, path, doc, today)


def _local_price_problems(
    price: Price, path: tuple[str | int, ...], doc: YamlDocument, today: dt.date
) -> Iterator[Problem]:
    """A local price is in another currency than its price, once per currency, not in the future."""
    seen: set[str] = set()
    for i, local in enumerate(price.local):
        local_path = (*path, "local", i)
        if local.currency == price.currency:
            yield doc.problem(
                (*local_path, "currency"),
                f"a local price must be in another currency than the price's own {price.currency}",
            )
        elif local.currency in seen:
            yield doc.problem(
                (*local_path, "currency"), f"a second local price in {local.currency}"
            )
        seen.add(local.currency)
        if local.as_of > today:
            yield doc.problem((*local_path, "as_of"), f"as_of {local.as_of} is in the future")


def _duplicates(
    doc: YamlDocument, items: list[tuple[tuple[str | int, ...], str]], what: str
) -> Iterator[Problem]:
    seen: set[str] = set()
    for path, value in items:
        if value in seen:
            yield doc.problem(path, f"duplicate {what} id {value!r}")
        seen.add(value)


CATALOG_CACHE_SIZE = 8
"""Most catalogs (folder, day and content) :func:`load_catalog` keeps parsed at once."""

_catalog_cache: OrderedDict[tuple[str, dt.date, bytes], Catalog] = OrderedDict()
_catalog_cache_lock = threading.Lock()


def load_catalog(path: str | Path | None = None, today: dt.date | None = None) -> Catalog:
    """Load and check the catalog folder at ``path`` (the bundled catalog by default).

    Raises :class:`~analyzer.errors.InputError` listing every problem of every file.

    A catalog that loaded without problems is kept (the last :data:`CATALOG_CACHE_SIZE`), keyed
    on the folder, ``today`` and a hash of every file's name and bytes: the files are read on
    every call, so an edited, added or removed file is picked up, but parsed and validated only
    when their content changed. Every caller gets the same object, which is read-only (frozen
    models, tuples and :class:`ReadOnlyDict`). On a miss, the catalog an earlier process stored
    on disk under the same key is used (:mod:`analyzer.catalog_store`), else the files are
    parsed and the result stored.

    >>> catalog = load_catalog()
    >>> catalog.product("salesforce").tier("enterprise").license_types[0].price.currency
    'USD'
    >>> load_catalog() is catalog
    True
    """
    root = Path(path) if path is not None else BUNDLED_CATALOG
    today = today or dt.date.today()
    problems: list[Problem] = []
    if not root.is_dir():
        raise InputError([Problem(str(root), 1, 1, "", "catalog folder not found")])
    feature_path = root / "features.yaml"
    product_paths = _product_paths(root, problems)
    contents = {file: _read_catalog_file(file, problems) for file in [feature_path, *product_paths]}
    if problems:
        # A file could not be read: report it with every problem of the others, uncached.
        _parse_catalog(contents, feature_path, product_paths, today, problems)
    key = (str(root.resolve()), today, _content_hash(contents))
    with _catalog_cache_lock:
        if key in _catalog_cache:
            _catalog_cache.move_to_end(key)
            return _catalog_cache[key]
    catalog = catalog_store.load_stored(*key)
    if not isinstance(catalog, Catalog):
        catalog = _parse_catalog(contents, feature_path, product_paths, today, [])
        catalog_store.store(*key, catalog)
    with _catalog_cache_lock:
        _catalog_cache[key] = catalog
        while len(_catalog_cache) > CATALOG_CACHE_SIZE:
            _catalog_cache.popitem(last=False)
    return catalog


def clear_catalog_cache() -> None:
    """Forget every catalog :func:`load_catalog` keeps (the next load parses again)."""
    with _catalog_cache_lock:
        _catalog_cache.clear()


def _product_paths(root: Path, problems: list[Problem]) -> list[Path]:
    """The product files of the catalog at ``root``, in name order, at most
    :data:`MAX_PRODUCT_FILES`; too many or none is a problem."""
    product_files = sorted((root / "products").glob("*.yaml"))[: MAX_PRODUCT_FILES + 1]
    if len(product_files) > MAX_PRODUCT_FILES:
        problems.append(
            Problem(
                str(root / "products"), 1, 1, "", f"more than {MAX_PRODUCT_FILES} product files"
            )
        )
        product_files = product_files[:MAX_PRODUCT_FILES]
    if not product_files:
        problems.append(Problem(str(root / "products"), 1, 1, "", "no product files found"))
    return product_files


def _read_catalog_file(path: Path, problems: list[Problem]) -> bytes | None:
    """The bytes of one catalog file, or None with its problem appended."""
    kind = _file_kind_problem(path)
    if kind is not None:
        problems.append(kind)
        return None
    try:
        return read_limited(path)
    except InputError as exc:
        problems += exc.problems
    return None


def _content_hash(contents: dict[Path, bytes | None]) -> bytes:
    """A digest of every file's name and bytes (lengths included, so no two splits collide)."""
    digest = hashlib.blake2b(digest_size=32)
    for file, data in contents.items():
        name = file.name.encode("utf-8", "surrogateescape")
        body = data or b""
        digest.update(len(name).to_bytes(8, "big") + name + len(body).to_bytes(8, "big"))
        digest.update(body)
    return digest.digest()


def _parse_catalog(
    contents: dict[Path, bytes | None],
    feature_path: Path,
    product_paths: list[Path],
    today: dt.date,
    problems: list[Problem],
) -> Catalog:
    """Parse, validate and cross-check the files' ``contents`` (None: a file that could not be
    read); raise with every problem, ``problems`` found before included."""
    feature_file = _load_model(feature_path, contents[feature_path], FeatureFile, problems)
    features = feature_file[1].features if feature_file else ()
    feature_ids = {f.id for f in features}
    if feature_file:
        doc = feature_file[0]
        problems += _duplicates(
            doc, [(("features", i, "id"), f.id) for i, f in enumerate(features)], "feature"
        )
    products: list[Product] = []
    for file in product_paths:
        loaded = _load_model(file, contents[file], ProductFile, problems)
        if loaded:
            doc, product = loaded
            problems += _product_problems(product, doc, feature_ids, today)
            products.append(product)
    if problems:
        raise InputError(problems)
    return Catalog(features=features, products=products)


def _file_kind_problem(path: Path) -> Problem | None:
    """A problem if ``path`` is not a regular file, found without opening it.

    Opening a FIFO would wait for a writer and a device can stream forever, so the kind is
    checked with ``os.stat`` first (a link is followed to what it names).
    """
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return Problem(str(path), 1, 1, "", f"cannot read: {exc.strerror}")
    if not stat.S_ISREG(mode):
        return Problem(str(path), 1, 1, "", "not a regular file (a pipe, device or folder)")
    return None


def _load_model(path: Path, data: bytes | None, model: type[StrictModel], problems: list[Problem]):  # type: ignore[no-untyped-def]
    """Parse ``data``, the bytes of ``path``, into ``model``, appending problems instead of
    raising (None: the file could not be read, its problem is already listed)."""
    if data is None:
        return None
    try:
        doc = parse_yaml(data, str(path))
        return doc, model.model_validate(doc.data)
    except InputError as exc:
        problems += exc.problems
    except ValidationError as exc:
        problems += validation_problems(doc, exc)
    return None
