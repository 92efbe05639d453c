"""The profile: one organisation's situation, needs and assumptions (DESIGN section 4).

A profile is YAML, read with the same strict loader and ``path:line:col`` errors as the catalog,
and is also what the app's forms build and download. :func:`dump_profile` and
:func:`load_profile` round-trip exactly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import Field, ValidationError, field_validator, model_validator

from analyzer.catalog import (
    MAX_FX,
    MAX_HOURS,
    MAX_INTEGRATIONS,
    MAX_PERCENT_OVERRUN,
    MAX_PRICE,
    MAX_PROJECT_COST,
    MAX_QUOTES,
    MAX_RECORDS,
    MAX_ROLES,
    MAX_SEATS,
    MAX_TRAINING_HOURS,
    MAX_WEIGHT,
    MIN_FX,
    Amount,
    Catalog,
    Count,
    Currency,
    Day,
    Identifier,
    Money,
    Name,
    Product,
    ReadOnlyDict,
    Seats,
    StrictModel,
    load_catalog,
)
from analyzer.errors import InputError, Problem
from analyzer.resources import example_profile
from analyzer.scoring import CRITERIA
from analyzer.yamlio import YamlDocument, parse_yaml, read_yaml, validation_problems

EXAMPLE_PROFILE = example_profile()
"""The bundled example used by default by the app, the CLI and the notebooks."""

Importance = Annotated[int, Field(ge=1, le=5, strict=True)]
Need = Literal["must", "must_limited"] | Importance
"""A role's need for a feature: a gate (``must``: full support or a bought add-on;
``must_limited``: limited support is enough) or an importance weight from 1 to 5."""
GATES = ("must", "must_limited")
"""The needs that gate a license type; ``must`` is the stricter."""

RefundPolicy = Literal["none", "prorated", "full_within_days"]


CriterionId = Literal[tuple(c.id for c in CRITERIA)]
"""The criteria a profile can weigh: the ids of :data:`analyzer.scoring.CRITERIA`."""


class Contract(StrictModel):
    """The current contract's terms. ``end`` is the last day of the term."""

    start: Day
    end: Day
    auto_renew: bool = True
    renewal_term_months: Count(60, 1) = 12
    notice_days: Count(365) = 30
    uplift_pct: Amount(100) = Field(7.0, description="Price increase at each renewal")
    refund: RefundPolicy = "none"
    full_refund_days: Count(365) = 30
    early_termination_fee_pct: Amount(100) = Field(
        0.0, description="Share of the remaining committed fees charged on exit"
    )
    uplift_cap: Literal["list", "none"] = Field(
        "list", description="list: a renewal never prices a seat above its list price"
    )
    list_growth_pct: Amount(100) = Field(
        0.0,
        description="Yearly growth of list prices, in whole-year steps from the analysis "
        "start; it moves the uplift cap",
    )
    data_return_days: Count(365) = Field(
        30, description="Days after termination the vendor still hands data back"
    )

    @model_validator(mode="after")
    def _end_after_start(self) -> Contract:
        if self.end <= self.start:
            raise ValueError(f"end {self.end} must be after start {self.start}")
        return self


CONTRACT_PRESETS: dict[str, dict[str, Any]] = {
    "salesforce_msa": {
        "auto_renew": True,
        "renewal_term_months": 12,
        "notice_days": 30,
        "uplift_pct": 7.0,
        "refund": "none",
        "early_termination_fee_pct": 0.0,
    },
    "refund_friendly": {
        "auto_renew": True,
        "renewal_term_months": 12,
        "notice_days": 30,
        "uplift_pct": 7.0,
        "refund": "full_within_days",
        "full_refund_days": 30,
        "early_termination_fee_pct": 0.0,
    },
}
"""Named contract terms: Salesforce's standard MSA (auto-renew for a year unless notice 30 days
before the end, uplift up to 7%, no refunds) and the refund-friendly terms described in public
cancellation guidance (full refund in the first 30 days, prorated after). See
``shared/facts/contracts.md`` for the sources."""


def apply_preset(contract: Contract, preset: str) -> Contract:
    """``contract`` with the terms of a named preset, keeping its dates."""
    return contract.model_copy(update=CONTRACT_PRESETS[preset])


class CurrentSubscription(StrictModel):
    """What the organisation holds today."""

    product: Identifier
    tier: Identifier
    seats: dict[Identifier, Seats] = Field(description="Seats purchased per license type id")
    prices: dict[Identifier, Money] = Field(
        default_factory=dict,
        description="Net price actually paid per seat per month, in the profile's currency; "
        "a license type not listed is costed at the catalog list price",
    )
    billing: Literal["annual", "monthly"] = "annual"
    contract: Contract


class Role(StrictModel):
    id: Identifier
    name: Name
    seats: Seats
    current_license: Identifier | None = Field(
        None, description="License type held today (default: the tier's full seat)"
    )
    needs: dict[Identifier, Need] = Field(default_factory=dict)


class Migration(StrictModel):
    """Assumptions for switching to another CRM."""

    records: Count(MAX_RECORDS) = 0
    cost_per_thousand_records: Amount(MAX_PRICE) = 0.0
    fixed_cost: Amount(MAX_PROJECT_COST) = 0.0
    integrations: Count(MAX_INTEGRATIONS) = 0
    cost_per_integration: Amount(MAX_PROJECT_COST) = 0.0
    customization_hours: Amount(MAX_HOURS) = 0.0
    hourly_rate: Amount(MAX_PRICE) = 0.0
    training_hours_per_user: Amount(MAX_TRAINING_HOURS) = 0.0
    months: Count(36) = Field(3, description="Project months before go-live")
    overlap_months: Count(24) = Field(1, description="Months both CRMs run after go-live")
    project_seats: Count(MAX_SEATS) = Field(
        5,
        description="Target seats licensed during the project (at most the seats needed, "
        "never below the tier's minimum)",
    )
    overrun_pct: tuple[
        Amount(MAX_PERCENT_OVERRUN), Amount(MAX_PERCENT_OVERRUN), Amount(MAX_PERCENT_OVERRUN)
    ] = Field(
        (0.0, 20.0, 60.0),
        description="Low, most likely and high overrun of one-time costs, in percent",
    )

    @model_validator(mode="after")
    def _ordered_overrun(self) -> Migration:
        low, mode, high = self.overrun_pct
        if not 0 <= low <= mode <= high:
            raise ValueError(
                "overrun_pct must be [low, most likely, high] with 0 <= low <= most likely <= high"
            )
        return self


class Quote(StrictModel):
    """A price quoted by a vendor, for a quote-only tier or to override a list price."""

    product: Identifier
    tier: Identifier
    license_type: Identifier | None = Field(None, description="default: the tier's full seat")
    amount: Money = Field(description="Per user per month, or per month with flat_month")
    currency: Currency
    billing: Literal["annual", "monthly"] = "annual"
    unit: Literal["per_user_month", "flat_month"] = "per_user_month"
    list: bool = Field(
        False,
        description="true: a list price (the target discount applies); false: a net price",
    )


class RunningCostItem(StrictModel):
    """A recurring non-license cost of running a product (hosting, administration, support)."""

    product: Identifier
    name: Name = Field(description="An item named like a catalog item replaces it")
    amount: Money
    currency: Currency
    unit: Literal["flat_month", "per_user_month"] = "flat_month"


class Profile(StrictModel):
    """One organisation's situation and assumptions."""

    name: Name = "My organisation"
    currency: Currency = "USD"
    fx: dict[Currency, Amount(MAX_FX, MIN_FX)] = Field(
        default_factory=dict,
        description="Units of the profile's currency per one unit of each catalog currency",
    )
    analysis_start: Day = Field(default_factory=dt.date.today)
    horizon_months: Count(120, 1) = 36
    discount_rate: Amount(1) = Field(0.08, description="Annual rate for NPV")
    current: CurrentSubscription
    roles: list[Role] = Field(min_length=1, max_length=MAX_ROLES)
    org_needs: dict[Identifier, Need] = Field(
        default_factory=dict, description="Needs that apply to every role"
    )
    migration: Migration = Migration.model_construct()
    discount_pct: Amount(100) = Field(0.0, lt=100, description="Discount on a downgraded renewal")
    downgrade_one_time_cost: Amount(MAX_PROJECT_COST) = 0.0
    target_discount_pct: Amount(100) = Field(0.0, lt=100)
    target_uplift_pct: Amount(100) = 5.0
    quotes: list[Quote] = Field(default_factory=list, max_length=MAX_QUOTES)
    target_billing: Literal["annual", "monthly"] = Field(
        "annual",
        description="Billing bought from a new vendor where a license publishes both prices",
    )
    running_costs: list[RunningCostItem] = Field(default_factory=list, max_length=MAX_QUOTES)
    criteria_weights: dict[CriterionId, Amount(MAX_WEIGHT)] = Field(
        default_factory=lambda: {c.id: c.default_weight for c in CRITERIA}
    )
    scoring_method: Literal["weighted_sum", "topsis"] = "weighted_sum"

    @field_validator("criteria_weights")
    @classmethod
    def _some_weight(cls, weights: dict[str, float]) -> dict[str, float]:
        # A field validator, so the error points at the weights, not at the document.
        if not any(weights.values()):
            raise ValueError("at least one weight must be above 0")
        return weights

    def role_needs(self, role: Role) -> dict[str, Need]:
        """A role's needs with the org-wide needs merged in; the stricter need wins
        (``must`` over ``must_limited`` over a weight)."""
        needs: dict[str, Need] = dict(self.org_needs)
        for feature, need in role.needs.items():
            if _strictness(need) >= _strictness(needs.get(feature)):
                needs[feature] = need
        return needs

    def rate(self, currency: str) -> float:
        """Units of the profile's currency per unit of ``currency``."""
        return 1.0 if currency == self.currency else self.fx[currency]


def _strictness(need: Need | None) -> int:
    """2 for ``must``, 1 for ``must_limited``, 0 for a weight or no need."""
    return {"must": 2, "must_limited": 1}.get(need, 0) if isinstance(need, str) else 0


def catalog_problems(profile: Profile, catalog: Catalog) -> Iterator[tuple[tuple, str]]:
    """Checks that need the catalog: ids exist, every catalog currency has an fx rate.

    Nothing a profile names is silently ignored: a quote for an unknown product, tier or
    license type is a problem. An fx rate for a currency neither the catalog nor a quote uses
    is allowed (a profile may be kept for a later catalog); it is never read.
    """
    feature_ids = catalog.feature_names
    products = _products_by_id(catalog)
    current = profile.current
    product = products.get(current.product)
    if product is None:
        yield ("current", "product"), f"unknown product {current.product!r}"
    else:
        tiers = {t.id: t for t in product.tiers}
        tier = tiers.get(current.tier)
        if tier is None:
            yield (
                ("current", "tier"),
                (
                    f"unknown tier {current.tier!r} of {product.id}; "
                    f"expected one of {', '.join(tiers)}"
                ),
            )
        else:
            licenses = {lt.id for lt in tier.license_types}
            for field in ("seats", "prices"):
                for lt in getattr(current, field):
                    if lt not in licenses:
                        yield (
                            ("current", field, lt),
                            (f"unknown license type {lt!r} of {product.id}/{tier.id}"),
                        )
            for r, role in enumerate(profile.roles):
                if role.current_license and role.current_license not in licenses:
                    yield (
                        ("roles", r, "current_license"),
                        (
                            f"unknown license type {role.current_license!r} of "
                            f"{product.id}/{tier.id}"
                        ),
                    )
    for r, role in enumerate(profile.roles):
        for feature in role.needs:
            if feature not in feature_ids:
                yield ("roles", r, "needs", feature), f"unknown feature {feature!r}"
    for feature in profile.org_needs:
        if feature not in feature_ids:
            yield ("org_needs", feature), f"unknown feature {feature!r}"
    seen = set()
    for r, role in enumerate(profile.roles):
        if role.id in seen:
            yield ("roles", r, "id"), f"duplicate role id {role.id!r}"
        seen.add(role.id)
    for q, quote in enumerate(profile.quotes):
        quoted = products.get(quote.product)
        if quoted is None:
            yield ("quotes", q, "product"), f"unknown product {quote.product!r}"
        elif quote.tier not in {t.id for t in quoted.tiers}:
            yield ("quotes", q, "tier"), f"unknown tier {quote.tier!r} of {quoted.id}"
        elif quote.license_type is not None:
            quoted_licenses = [lt.id for lt in quoted.tier(quote.tier).license_types]
            if quote.license_type not in quoted_licenses:
                yield (
                    ("quotes", q, "license_type"),
                    (
                        f"unknown license type {quote.license_type!r} of {quoted.id}/{quote.tier}; "
                        f"expected one of {', '.join(quoted_licenses)}"
                    ),
                )
    for c, item in enumerate(profile.running_costs):
        if item.product not in products:
            yield ("running_costs", c, "product"), f"unknown product {item.product!r}"
    needed = (
        catalog.currencies()
        | {q.currency for q in profile.quotes}
        | {item.currency for item in profile.running_costs}
    ) - {profile.currency}
    for currency in sorted(needed - set(profile.fx)):
        yield (
            ("fx",),
            (
                f"no fx rate for {currency}, used by the catalog: add `{currency}: "
                f"<{profile.currency} per {currency}>` under fx"
            ),
        )


def _products_by_id(catalog: Catalog) -> Mapping[str, Product]:
    """The catalog's products by id (read-only), made once per catalog and kept in its
    :attr:`~analyzer.catalog.Catalog.derived` store: every profile loaded is checked against
    them, and reading the ids of the catalog's models took longer than the checks."""
    store = catalog.derived
    found = store.get("products by id")
    if found is None:
        found = store.setdefault(
            "products by id", ReadOnlyDict({product.id: product for product in catalog.products})
        )
    return found  # type: ignore[return-value]


def profile_from_document(doc: YamlDocument, catalog: Catalog) -> Profile:
    """Validate a parsed document as a profile against ``catalog``; raise with every problem."""
    try:
        profile = Profile.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(validation_problems(doc, exc)) from None
    problems = [doc.problem(path, message) for path, message in catalog_problems(profile, catalog)]
    if problems:
        raise InputError(problems)
    return profile


def load_profile(path: str | Path | None = None, catalog: Catalog | None = None) -> Profile:
    """Read and check the profile at ``path`` (the bundled example by default).

    Raises :class:`~analyzer.errors.InputError` with a ``path:line:col`` problem for every
    defect, including references the ``catalog`` (the bundled one by default) does not know.
    """
    return profile_from_document(read_yaml(path or EXAMPLE_PROFILE), catalog or load_catalog())


def parse_profile(text: str | bytes, catalog: Catalog, source: str = "<upload>") -> Profile:
    """Like :func:`load_profile` for text already in memory (an upload)."""
    return profile_from_document(parse_yaml(text, source), catalog)


def check_profile(profile: Profile, catalog: Catalog) -> list[Problem]:
    """Catalog checks of a profile built in memory (for example by the app's forms)."""
    return [
        Problem("profile", 0, 0, ".".join(map(str, path)), message)
        for path, message in catalog_problems(profile, catalog)
    ]


def dump_profile(profile: Profile) -> str:
    """The profile as YAML text that :func:`parse_profile` reads back to an equal profile."""
    data = profile.model_dump(mode="json", exclude_defaults=False)
    data["migration"]["overrun_pct"] = list(data["migration"]["overrun_pct"])
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
