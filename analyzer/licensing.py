"""Licensing: which seat each role needs in a tier, and what it costs (DESIGN sections 5-6).

Musts are gates: a license type that lacks one is not eligible for the role; an ``addon``
feature meets a must only with the add-on's price added. Among eligible seats a role gets the
cheapest, ties going to the better fit and then to the tier's order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from analyzer.catalog import SUPPORT_SCORE, LicenseType, Price, Product, Support, Tier
from analyzer.profile import Profile, Role


@dataclass(frozen=True)
class SeatPrice:
    """A price per user per month (or flat per month) in the profile's currency."""

    amount: float
    flat: bool
    billing: str
    source: str
    as_of: str


@dataclass(frozen=True)
class RoleLicense:
    """The seat assigned to one role, or why none fits."""

    role: Role
    license_type: LicenseType | None
    price: SeatPrice | None
    addons: tuple[tuple[str, SeatPrice], ...] = ()
    support: dict[str, Support] = field(default_factory=dict)
    fit: float = 0.0
    problem: str | None = None
    quote_needed: bool = False
    """True when the only obstacle is a price the vendor gives on request."""

    @property
    def monthly_cost(self) -> float:
        """License and per-user add-ons for the role's seats, per month, before discounts."""
        if self.price is None:
            return 0.0
        seats = self.role.seats
        cost = self.price.amount * (1 if self.price.flat else seats)
        return cost + sum(p.amount * seats for _, p in self.addons if not p.flat)


@dataclass(frozen=True)
class LicenseMix:
    """Every role's seat in one tier; feasible when every role has one."""

    product: Product
    tier: Tier
    roles: tuple[RoleLicense, ...]
    padding: float = 0.0
    """Monthly cost of full seats bought only to reach the tier's minimum."""
    limit_problem: str | None = None

    @property
    def problems(self) -> list[str]:
        problems = [r.problem for r in self.roles if r.problem]
        return [*problems, self.limit_problem] if self.limit_problem else problems

    @property
    def feasible(self) -> bool:
        return not self.problems

    @property
    def needs_quote(self) -> bool:
        """Every obstacle is a missing quote: the tier fits once the profile has the prices."""
        blocked = [r for r in self.roles if r.problem]
        return bool(blocked) and all(r.quote_needed for r in blocked) and not self.limit_problem

    def license_cost(self) -> float:
        """Seat cost per month at list (or quoted) prices, add-ons excluded."""
        seats = sum(
            r.price.amount * (1 if r.price.flat else r.role.seats) for r in self.roles if r.price
        )
        return seats + self.padding

    def addon_cost(self) -> float:
        """Add-ons bought for musts, per month: per-user ones per seat, flat ones once."""
        per_user = sum(
            p.amount * r.role.seats for r in self.roles for _, p in r.addons if not p.flat
        )
        flat = {f: p.amount for r in self.roles for f, p in r.addons if p.flat}
        return per_user + sum(flat.values())

    @property
    def billing(self) -> str:
        prices = [r.price for r in self.roles if r.price]
        return prices[0].billing if prices else "annual"

    def fit(self) -> float:
        """Seat-weighted mean of role fits (a plain mean when no role has seats)."""
        seats = sum(r.role.seats for r in self.roles)
        if seats == 0:
            return sum(r.fit for r in self.roles) / len(self.roles)
        return sum(r.fit * r.role.seats for r in self.roles) / seats


def role_fit(needs: dict, support: dict[str, Support], bought: set[str]) -> float:
    """Σ weight x support / Σ weight over weighted needs; 1.0 when a role weighs nothing.

    A feature sold as an add-on counts only where the add-on is bought (for a must).
    """
    weighted = {f: w for f, w in needs.items() if w != "must"}
    if not weighted:
        return 1.0
    total = 0.0
    for feature, weight in weighted.items():
        level = support.get(feature)
        if level == "addon" and feature not in bought:
            continue
        total += weight * SUPPORT_SCORE.get(level, 0.0) if level else 0.0
    return total / sum(weighted.values())


def seat_price(profile: Profile, product: Product, tier: Tier, lt: LicenseType) -> SeatPrice | None:
    """The quoted price if the profile has one, else the list price; None if neither exists."""
    for quote in profile.quotes:
        quoted_lt = quote.license_type or tier.license_types[0].id
        if (quote.product, quote.tier, quoted_lt) == (product.id, tier.id, lt.id):
            return SeatPrice(
                float(quote.amount) * profile.rate(quote.currency),
                False,
                quote.billing,
                "quote in profile",
                "",
            )
    return None if lt.price is None else converted(lt.price, profile)


def converted(price: Price, profile: Profile) -> SeatPrice:
    """A catalog price in the profile's currency, keeping its source and date."""
    return SeatPrice(
        float(price.amount) * profile.rate(price.currency),
        price.unit == "flat_month",
        price.billing,
        price.source,
        price.as_of.isoformat(),
    )


def _candidate(
    profile: Profile,
    product: Product,
    tier: Tier,
    role: Role,
    lt: LicenseType,
    names: Mapping[str, str],
) -> RoleLicense:
    needs = profile.role_needs(role)
    support = tier.support(lt)
    missing = [f for f, need in needs.items() if need == "must" and f not in support]

    def blocked(problem: str, quote_needed: bool = False) -> RoleLicense:
        return RoleLicense(
            role, lt, None, support=support, problem=problem, quote_needed=quote_needed
        )

    if missing:
        return blocked(
            f"{lt.name} lacks must-have {', '.join(sorted(names.get(f, f) for f in missing))}"
        )
    price = seat_price(profile, product, tier, lt)
    if price is None:
        return blocked(f"needs a quote for {tier.name} {lt.name}", quote_needed=True)
    addons = []
    for feature in sorted(f for f, need in needs.items() if need == "must"):
        if support[feature] != "addon":
            continue
        addon = tier.addon(feature)
        if addon is None or addon.price is None:
            return blocked(
                f"needs a quote for the {names.get(feature, feature)} add-on", quote_needed=True
            )
        addons.append((feature, converted(addon.price, profile)))
    fit = role_fit(needs, support, {f for f, _ in addons})
    return RoleLicense(role, lt, price, tuple(addons), support, fit)


def assign_role(
    profile: Profile, product: Product, tier: Tier, role: Role, names: Mapping[str, str]
) -> RoleLicense:
    """The cheapest eligible seat for ``role`` in ``tier``; ties: better fit, then tier order."""
    candidates = [_candidate(profile, product, tier, role, lt, names) for lt in tier.license_types]
    eligible = [c for c in candidates if c.problem is None]
    if eligible:
        return min(eligible, key=lambda c: (c.monthly_cost, -c.fit))
    full = candidates[0]
    quote = next((c for c in candidates if c.quote_needed), None)
    reason = quote.problem if quote else full.problem
    return RoleLicense(
        role,
        None,
        None,
        support=full.support,
        problem=f"{role.name}: {reason}",
        quote_needed=quote is not None,
    )


def current_role(profile: Profile, product: Product, tier: Tier, role: Role) -> RoleLicense:
    """The seat a role holds today at the price actually paid (else list), with its fit."""
    lt_id = role.current_license or tier.license_types[0].id
    lt = tier.license_type(lt_id)
    needs = profile.role_needs(role)
    support = tier.support(lt)
    price = seat_price(profile, product, tier, lt)
    paid = profile.current.prices.get(lt_id)
    if paid is not None:
        price = SeatPrice(float(paid), False, profile.current.billing, "price paid (profile)", "")
    return RoleLicense(role, lt, price, support=support, fit=role_fit(needs, support, set()))


def license_mix(
    profile: Profile, product: Product, tier: Tier, names: Mapping[str, str] | None = None
) -> LicenseMix:
    """Assign every role of ``profile`` its cheapest eligible seat in ``tier``."""
    names = names or {}
    roles = tuple(assign_role(profile, product, tier, role, names) for role in profile.roles)
    seats = sum(r.role.seats for r in roles)
    limits = tier.limits
    limit_problem = None
    if limits.max_seats is not None and seats > limits.max_seats:
        limit_problem = (
            f"{tier.name} allows at most {limits.max_seats} users; the roles need {seats}"
        )
    padding = 0.0
    missing_seats = max(0, (limits.min_seats or 0) - seats)
    full_price = seat_price(profile, product, tier, tier.license_types[0])
    if missing_seats and full_price and not full_price.flat:
        padding = missing_seats * full_price.amount
    return LicenseMix(product, tier, roles, padding, limit_problem)
