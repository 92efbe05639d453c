"""Licensing: which seat each role needs in a tier, and what it costs (DESIGN sections 5-6).

Musts are gates: a license type meets a ``must`` with full support or with a bought add-on
(its price added), and meets a ``must_limited`` with limited support too. Among eligible seats a
role gets the cheapest, ties going to the better fit and then to the tier's order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import NamedTuple

from analyzer.catalog import (
    GATE_SUPPORT,
    SUPPORT_SCORE,
    Catalog,
    LicenseType,
    Price,
    Product,
    ReadOnlyDict,
    Support,
    Tier,
)
from analyzer.profile import GATES, Need, Profile, Role
from analyzer.records import dict_init

MUST_WEIGHT = 5
"""Weight of a must (or must_limited) in a role's fit (DESIGN section 6)."""


QUOTE_SOURCE = "quote in profile"
"""The source of a price quoted in the profile."""
PAID_PRICE_SOURCE = "price paid (profile)"
"""The source of the net price paid today, stated in the profile."""


@dict_init
@dataclass(frozen=True, init=False)
class SeatPrice:
    """A price per user per month (or flat per month) in the profile's currency."""

    amount: float
    flat: bool
    billing: str
    source: str
    as_of: str
    net: bool = False
    """True for a price already negotiated (paid today, a net quote): no discount on top."""
    list_amount: float | None = None
    """The list price per unit per month in the profile's currency: the renewal cap (None:
    no list known, so no cap)."""


class RoleLicense(NamedTuple):
    """The seat assigned to one role, or why none fits. A named tuple: an analysis makes one
    per role and tier of the catalog, and a frozen dataclass costs twice as much to create."""

    role: Role
    license_type: LicenseType | None
    price: SeatPrice | None
    addons: tuple[tuple[str, SeatPrice], ...] = ()
    support: Mapping[str, Support] = ReadOnlyDict()
    fit: float = 0.0
    problem: str | None = None
    quote_needed: bool = False
    """True when the only obstacle is a price the vendor gives on request."""

    @property
    def monthly_cost(self) -> float:
        """License and per-user add-ons for the role's seats, per month, before discounts."""
        return self.cost_for(self.role.seats)

    def cost_for(self, seats: int) -> float:
        """License and per-user add-ons for ``seats`` seats, per month, before discounts."""
        if self.price is None:
            return 0.0
        cost = self.price.amount * (1 if self.price.flat else seats)
        return cost + sum(p.amount * seats for _, p in self.addons if not p.flat)


role_license_of = partial(tuple.__new__, RoleLicense)
"""A :class:`RoleLicense` of a tuple of all its eight fields, made without a Python call (the
named tuple's ``__new__`` is a Python function): seats are judged for every role and tier
of the catalog."""


@dataclass(frozen=True, init=False)
class LicenseMix:
    """Every role's seat in one tier; feasible when every role has one."""

    product: Product
    tier: Tier
    roles: tuple[RoleLicense, ...]
    padding: float = 0.0
    """Monthly cost of full seats bought only to reach the tier's minimum."""
    limit_problem: str | None = None
    padding_seats: int = 0
    """Full seats bought only to reach the tier's minimum."""
    padding_price: SeatPrice | None = None

    key: tuple[str, str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    """Product id, tier id and role ids: what tells the mixes of one analysis apart."""
    problems: list[str] = field(init=False, repr=False, compare=False)
    """Every role's problem, then the tier's limit problem."""
    role_seats: int = field(init=False, repr=False, compare=False)
    """The seats the roles need (padding aside)."""

    def __init__(
        self,
        product: Product,
        tier: Tier,
        roles: tuple[RoleLicense, ...],
        padding: float = 0.0,
        limit_problem: str | None = None,
        padding_seats: int = 0,
        padding_price: SeatPrice | None = None,
    ) -> None:
        self._fill(
            product,
            tier,
            roles,
            role_facts(roles),
            padding,
            limit_problem,
            padding_seats,
            padding_price,
        )

    @classmethod
    def of_roles(
        cls,
        product: Product,
        tier: Tier,
        roles: tuple[RoleLicense, ...],
        facts: RoleFacts,
        padding: float = 0.0,
        limit_problem: str | None = None,
        padding_seats: int = 0,
        padding_price: SeatPrice | None = None,
    ) -> LicenseMix:
        """The mix of ``roles`` whose :func:`role_facts` are known (:func:`assigned_mix`
        finds them to check the tier's limits), without a second pass over the roles: an
        analysis makes a mix for every tier of the catalog and for every part of the
        combinations it compares."""
        mix = object.__new__(cls)
        mix._fill(product, tier, roles, facts, padding, limit_problem, padding_seats, padding_price)
        return mix

    def _fill(
        self,
        product: Product,
        tier: Tier,
        roles: tuple[RoleLicense, ...],
        facts: RoleFacts,
        padding: float,
        limit_problem: str | None,
        padding_seats: int,
        padding_price: SeatPrice | None,
    ) -> None:
        # Every field, and what comparing stacks and partial switches asks every mix for again
        # and again, written into the instance's dict at once (the class is frozen and has no
        # slots): an analysis makes hundreds of mixes, and the generated __init__ set each
        # field on its own.
        problems, ids, seats = facts
        self.__dict__.update(
            product=product,
            tier=tier,
            roles=roles,
            padding=padding,
            limit_problem=limit_problem,
            padding_seats=padding_seats,
            padding_price=padding_price,
            key=(product.id, tier.id, ids),
            problems=[*problems, limit_problem] if limit_problem else problems,
            role_seats=seats,
        )

    @property
    def feasible(self) -> bool:
        return not self.problems

    @property
    def needs_quote(self) -> bool:
        """Every obstacle is a missing quote: the tier fits once the profile has the prices."""
        if self.limit_problem:
            return False
        blocked = False
        for r in self.roles:
            if r.problem:
                if not r.quote_needed:
                    return False
                blocked = True
        return blocked

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
    def seats_bought(self) -> int:
        """Seats the roles need plus the full seats bought to reach the tier's minimum."""
        return self.role_seats + self.padding_seats

    def fit(self) -> float:
        """Seat-weighted mean of role fits (a plain mean when no role has seats)."""
        return combined_fit([self])


RoleFacts = tuple[list[str], tuple[str, ...], int]
"""What a mix reads off its roles: their problems, ids and seats (:func:`role_facts`)."""


def role_facts(roles: Sequence[RoleLicense]) -> RoleFacts:
    """The problems, ids and seats of ``roles``, in one pass."""
    problems = []
    ids = []
    seats = 0
    for r in roles:
        if r.problem:
            problems.append(r.problem)
        ids.append(r.role.id)
        seats += r.role.seats
    return problems, tuple(ids), seats


def roles_lacking_musts(mix: LicenseMix) -> tuple[Role, ...]:
    """Roles that no license type of the mix's tier can serve because a must-have is missing
    (a missing price is not a lack: a quote fixes it)."""
    return tuple(r.role for r in mix.roles if r.problem and not r.quote_needed)


def combined_fit(mixes: Sequence[LicenseMix]) -> float:
    """Seat-weighted mean of the role fits over every product of a scenario (a plain mean
    when no role has seats): each role counts once, on the product it is assigned to."""
    roles = [r for mix in mixes for r in mix.roles]
    seats = sum(r.role.seats for r in roles)
    if seats == 0:
        return sum(r.fit for r in roles) / len(roles)
    return sum(r.fit * r.role.seats for r in roles) / seats


@dataclass(frozen=True)
class NeedsShape:
    """A role's merged needs, prepared once for judging many seats.

    ``key`` tells apart roles whose needs differ (sorted items), ``gates`` are the musts
    (feature, need) in feature order, ``weights`` each need's weight in the fit (a must
    weighs :data:`MUST_WEIGHT`) in the needs' order.
    """

    needs: Mapping[str, Need]
    key: tuple[tuple[str, Need], ...]
    gates: tuple[tuple[str, Need], ...]
    weights: tuple[tuple[str, float], ...]
    gate_sets: Mapping[str, frozenset[str]]
    """Per gate, the features that need it."""
    gate_checks: tuple[tuple[str, frozenset[str]], ...]
    """The gates some feature needs, with those features (:attr:`gate_sets` without the
    empty ones): what judging a seat checks."""
    weight_total: float
    """The sum of the weights (the fit's denominator)."""

    @classmethod
    def of(cls, needs: Mapping[str, Need]) -> NeedsShape:
        gates = tuple(sorted((f, need) for f, need in needs.items() if need in GATES))
        weights = tuple((f, MUST_WEIGHT if w in GATES else w) for f, w in needs.items())
        gate_sets = {gate: frozenset(f for f, need in gates if need == gate) for gate in GATES}
        return cls(
            needs,
            tuple(sorted(needs.items())),
            gates,
            weights,
            gate_sets,
            tuple((gate, features) for gate, features in gate_sets.items() if features),
            sum(weight for _, weight in weights),
        )

    def fit(self, support: Mapping[str, Support], bought: set[str]) -> float:
        """:func:`role_fit` of these needs."""
        if not self.weights:
            return 1.0
        total = 0.0
        for feature, weight in self.weights:
            level = support.get(feature)
            # No support adds nothing (weights are positive, so skipping it is the same sum).
            if not level or (level == "addon" and feature not in bought):
                continue
            total += weight * SUPPORT_SCORE.get(level, 0.0)
        return total / self.weight_total


def role_fit(needs: Mapping[str, Need], support: Mapping[str, Support], bought: set[str]) -> float:
    """Σ weight x support / Σ weight over all needs, musts weighing 5; 1.0 without needs.

    Support counts full 1, limited 0.5, absent 0, and an add-on 1 only where it is bought.

    >>> role_fit({"a": "must", "b": 5}, {"a": "full", "b": "limited"}, set())
    0.75
    """
    return NeedsShape.of(needs).fit(support, bought)


def meets(need: object, level: Support | None) -> bool:
    """Whether support ``level`` passes the gate ``need`` (weights never gate)."""
    return need not in GATES or level in GATE_SUPPORT[need]


def seat_price(profile: Profile, product: Product, tier: Tier, lt: LicenseType) -> SeatPrice | None:
    """The quoted price if the profile has one, else the list price for the billing bought
    (the profile's ``target_billing``; the current billing on the current product); None if
    neither exists.

    A quote is net (no discount on top) unless it says ``list: true``; it is capped at
    renewals by the catalog's list price, or by itself when it is a list price.
    """
    current = profile.current
    billing = current.billing if product.id == current.product else profile.target_billing
    listed = lt.list_price(billing)
    for quote in profile.quotes:
        quoted_lt = quote.license_type or tier.license_types[0].id
        if (quote.product, quote.tier, quoted_lt) == (product.id, tier.id, lt.id):
            amount = float(quote.amount) * profile.rate(quote.currency)
            cap = converted(listed, profile).amount if listed and not quote.list else None
            return SeatPrice(
                amount,
                quote.unit == "flat_month",
                quote.billing,
                QUOTE_SOURCE,
                "",
                net=not quote.list,
                list_amount=amount if quote.list else cap,
            )
    return None if listed is None else converted(listed, profile)


def price_paid_else_list(
    profile: Profile, product: Product, tier: Tier, lt: LicenseType
) -> SeatPrice | None:
    """The net price paid today for a seat of the current subscription, else
    :func:`seat_price`: the one place where "price paid, else list" is decided."""
    current = profile.current
    paid = current.prices.get(lt.id)
    listed = seat_price(profile, product, tier, lt)
    if (product.id, tier.id) != (current.product, current.tier) or paid is None:
        return listed
    cap = None
    if lt.list_price(current.billing) is not None:
        cap = converted(lt.list_price(current.billing), profile).amount
    return SeatPrice(float(paid), False, current.billing, PAID_PRICE_SOURCE, "", True, cap)


def converted(price: Price, profile: Profile) -> SeatPrice:
    """A catalog price in the profile's currency, keeping its source and date.

    The vendor's own list price in the profile's currency is used when the catalog has one
    (with its own source and date); otherwise the price is converted at the profile's fx rate.
    """
    price = price.in_currency(profile.currency)
    amount, flat, billing, source, as_of = price.conversion_terms
    amount *= profile.rate(price.currency)
    return SeatPrice(amount, flat, billing, source, as_of, list_amount=amount)


_UNKNOWN = object()
"""A price not yet worked out (None is a price that does not exist)."""


class SeatPrices:
    """The price of each seat and add-on of the catalog for one profile, each worked out once
    (:func:`price_paid_else_list`, :func:`converted`): judging seats asks for the same price
    for every role."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self._seats: dict[tuple[str, str, str], SeatPrice | None] = {}
        self._addons: dict[tuple[str, str, str], SeatPrice | None] = {}

    def seat(self, product: Product, tier: Tier, lt: LicenseType) -> SeatPrice | None:
        key = (product.id, tier.id, lt.id)
        price = self._seats.get(key, _UNKNOWN)
        if price is _UNKNOWN:
            price = self._seats[key] = price_paid_else_list(self.profile, product, tier, lt)
        return price  # type: ignore[return-value]

    def addon(self, product: Product, tier: Tier, feature: str) -> SeatPrice | None:
        """The add-on's price in the profile's currency; None when it has none (or none is
        sold)."""
        key = (product.id, tier.id, feature)
        if key not in self._addons:
            addon = tier.addon(feature)
            self._addons[key] = (
                None
                if addon is None or addon.price is None
                else converted(addon.price, self.profile)
            )
        return self._addons[key]


class SeatOption:
    """A license type of a tier that meets every must of a needs shape, as the catalog alone
    tells: what it supports, the add-ons it needs bought for the musts (feature ids, in the
    shape's gate order), the first of them the catalog has no price for (None: every one is
    priced) and the role's fit once they are bought. Whether the seat itself is
    priced depends on the profile (a quote, the price paid): :func:`_candidate` asks."""

    __slots__ = ("addon_features", "fit", "license_type", "support", "unpriced_addon")

    def __init__(self, tier: Tier, lt: LicenseType, shape: NeedsShape) -> None:
        support = tier.support(lt)
        features = []
        unpriced = None
        for feature, _ in shape.gates:
            if support[feature] != "addon":
                continue
            addon = tier.addon(feature)
            if addon is None or addon.price is None:
                unpriced = feature
                break
            features.append(feature)
        self.license_type = lt
        self.support = support
        self.addon_features = tuple(features)
        self.unpriced_addon = unpriced
        self.fit = 0.0 if unpriced else shape.fit(support, set(features))


class SeatRefusal(NamedTuple):
    """Why no seat of a tier fits a needs shape, in words that do not yet name the role, and
    the support shown for it (the tier's full seat's)."""

    problem: str
    quote_needed: bool
    support: Mapping[str, Support]


Judged = SeatOption | tuple[str, ...]
"""What the catalog alone tells of one seat for a needs shape: a :class:`SeatOption`, or the
musts it lacks (feature ids)."""


class TierJudgement:
    """Every seat of ``tier`` judged for a needs shape from the catalog alone (the musts each
    lacks, else its :class:`SeatOption`), and, when every seat lacks a must, the refusal that
    no price can change.

    It depends on the tier, the shape and the feature names only, so a catalog's
    :class:`SeatJudgements` keeps it for every analysis: judging a role's needs against a seat
    (set differences, the fit, the problem's words) is done once per catalog, tier and needs.
    The judgement holds its tier, so the tier's id, its key, is never reused while it is kept.
    """

    __slots__ = ("options", "refusal", "seats", "tier")

    def __init__(self, tier: Tier, shape: NeedsShape, names: Mapping[str, str]) -> None:
        meeting = tier.features_meeting
        self.tier = tier
        self.seats: tuple[tuple[LicenseType, Judged], ...] = tuple(
            (lt, _missing_musts(meeting[lt.id], shape) or SeatOption(tier, lt, shape))
            for lt in tier.license_types
        )
        self.options: tuple[SeatOption, ...] = tuple(
            judged for _, judged in self.seats if isinstance(judged, SeatOption)
        )
        """The seats that meet every must, in tier order: the only ones a price can make
        eligible."""
        self.refusal = None
        if not self.options:
            self.refusal = _refusal_of(tier, self.seats, names)  # type: ignore[arg-type]


class SeatJudgements:
    """The :class:`TierJudgement` of each tier for each needs shape, worked out once and
    kept, with the feature names their problems use.

    An analysis makes its own (its lifetime bounds the store); :func:`catalog_judgements`
    keeps one per catalog, shared by every analysis with it (a batch worker analyses many
    profiles with one catalog). Nothing in it depends on a profile but the needs it is asked
    about, so sharing it changes no result. The shared store is bounded: past
    :attr:`MAX_SHAPES` needs shapes it starts again empty.
    """

    MAX_SHAPES = 512

    def __init__(self, names: Mapping[str, str]) -> None:
        self.names = names
        self._by_shape: dict[tuple, dict[int, TierJudgement]] = {}

    def __reduce__(self) -> tuple[type, tuple[Mapping[str, str]]]:
        # A copy (pickled with its catalog, say) starts empty: the store is derived data.
        return (SeatJudgements, (self.names,))

    def for_shape(self, shape: NeedsShape) -> dict[int, TierJudgement]:
        """The judgements for ``shape`` by tier id (filled by :meth:`judge`)."""
        found = self._by_shape.get(shape.key)
        if found is None:
            if len(self._by_shape) >= self.MAX_SHAPES:
                self._by_shape.clear()
            found = self._by_shape.setdefault(shape.key, {})
        return found

    def judge(
        self, judged: dict[int, TierJudgement], tier: Tier, shape: NeedsShape
    ) -> TierJudgement:
        """``tier``'s judgement for ``shape`` (``judged``, from :meth:`for_shape`, keeps it)."""
        judgement = judged.get(id(tier))
        if judgement is None:
            judgement = judged[id(tier)] = TierJudgement(tier, shape, self.names)
        return judgement


def catalog_judgements(catalog: Catalog) -> SeatJudgements:
    """The :class:`SeatJudgements` every analysis with ``catalog`` shares (kept in its
    :attr:`~analyzer.catalog.Catalog.derived` store), naming features as the catalog does."""
    store = catalog.derived
    found = store.get("seat judgements")
    if found is None:
        found = store.setdefault("seat judgements", SeatJudgements(catalog.feature_names))
    return found  # type: ignore[return-value]


def _candidate(
    prices: SeatPrices, product: Product, tier: Tier, role: Role, option: SeatOption
) -> RoleLicense | tuple[str, ...]:
    """``role``'s seat of ``option`` when the seat is priced (and its add-ons, which the
    catalog tells); else ``("quote",)`` for a missing seat price, or ``("quote", feature)``
    for a missing add-on price. The words are put together only for the reason a verdict
    shows (:func:`_refusal`)."""
    lt = option.license_type
    price = prices.seat(product, tier, lt)
    if price is None:
        return ("quote",)
    if option.unpriced_addon is not None:
        return ("quote", option.unpriced_addon)
    addons = ()
    if option.addon_features:
        addons = tuple(
            [(feature, prices.addon(product, tier, feature)) for feature in option.addon_features]
        )
    return role_license_of((role, lt, price, addons, option.support, option.fit, None, False))


def _missing_musts(met: Mapping[str, frozenset[str]], shape: NeedsShape) -> tuple[str, ...]:
    """The features of ``shape``'s gates that a seat meeting gates with features ``met``
    (:attr:`~analyzer.catalog.Tier.features_meeting`) does not meet."""
    missing: tuple[str, ...] = ()
    for gate, features in shape.gate_checks:
        if not features <= met[gate]:
            missing += tuple(features - met[gate])
    return missing


def _refusal_of(
    tier: Tier, refused: Sequence[tuple[LicenseType, tuple[str, ...]]], names: Mapping[str, str]
) -> SeatRefusal:
    """Why no seat of ``tier`` fits, from each seat's reason (``refused``, in tier order):
    the first seat that only needs a quote, else the first seat."""
    quote = next((seat for seat in refused if seat[1][0] == "quote"), None)
    return _refusal(tier, *(quote or refused[0]), names)


def _refusal(
    tier: Tier, lt: LicenseType, reason: tuple[str, ...], names: Mapping[str, str]
) -> SeatRefusal:
    """No seat in ``tier``, for ``reason`` (from :func:`_missing_musts` or :func:`_candidate`
    for ``lt``) in words; the support shown is the full seat's."""
    support = tier.support(tier.license_types[0])
    if reason[0] != "quote":
        problem = (
            f"{lt.name} lacks must-have {', '.join(sorted([names.get(f, f) for f in reason]))}"
        )
        return SeatRefusal(problem, False, support)
    if len(reason) == 1:
        problem = f"needs a quote for {tier.name} {lt.name}"
    else:
        problem = f"needs a quote for the {names.get(reason[1], reason[1])} add-on"
    return SeatRefusal(problem, True, support)


def assign_role(
    profile: Profile,
    product: Product,
    tier: Tier,
    role: Role,
    names: Mapping[str, str],
    needs: Mapping[str, Need] | None = None,
) -> RoleLicense:
    """The cheapest eligible seat for ``role`` in ``tier``; ties: better fit, then tier order.

    ``needs`` are the role's merged needs (computed when not given).
    """
    shape = NeedsShape.of(profile.role_needs(role) if needs is None else needs)
    judgement = TierJudgement(tier, shape, names)
    return _for_role(_best_seat(SeatPrices(profile), product, role, judgement, names), role)


def _best_seat(
    prices: SeatPrices,
    product: Product,
    role: Role,
    judgement: TierJudgement,
    names: Mapping[str, str],
) -> RoleLicense | SeatRefusal:
    """The seat of :func:`assign_role` (the role's, or another's with the same needs and
    seats), or why there is none: the first seat that only needs a quote, else why the full
    seat fails."""
    if judgement.refusal is not None:
        return judgement.refusal
    tier = judgement.tier
    # Only the seats that meet every must can be eligible; the others matter only for the
    # refusal (below), which a missing price alone causes.
    eligible = []
    for option in judgement.options:
        verdict = _candidate(prices, product, tier, role, option)
        if verdict.__class__ is RoleLicense:
            eligible.append(verdict)
    if len(eligible) == 1:
        return eligible[0]
    if eligible:
        return min(eligible, key=lambda c: (c.monthly_cost, -c.fit))
    refused = [
        (lt, _candidate(prices, product, tier, role, judged))
        if isinstance(judged, SeatOption)
        else (lt, judged)
        for lt, judged in judgement.seats
    ]
    return _refusal_of(tier, refused, names)  # type: ignore[arg-type]


def _for_role(verdict: RoleLicense | SeatRefusal, role: Role) -> RoleLicense:
    """``verdict`` (from :func:`_best_seat`) given to ``role``, a problem naming the role
    (the verdict itself when it is already ``role``'s seat)."""
    if isinstance(verdict, SeatRefusal):
        problem = f"{role.name}: {verdict.problem}"
        return role_license_of(
            (role, None, None, (), verdict.support, 0.0, problem, verdict.quote_needed)
        )
    if verdict.role is role:
        return verdict
    return role_license_of((role, *verdict[1:]))


def current_role(profile: Profile, product: Product, tier: Tier, role: Role) -> RoleLicense:
    """The seat a role holds today at the price actually paid (else list), with its fit.

    Stay is never gated: the fit just reflects the support the seat has.
    """
    lt_id = role.current_license or tier.license_types[0].id
    lt = tier.license_type(lt_id)
    needs = profile.role_needs(role)
    support = tier.support(lt)
    price = price_paid_else_list(profile, product, tier, lt)
    return RoleLicense(role, lt, price, support=support, fit=role_fit(needs, support, set()))


def license_mix(
    profile: Profile,
    product: Product,
    tier: Tier,
    names: Mapping[str, str] | None = None,
    roles: Sequence[Role] | None = None,
) -> LicenseMix:
    """Assign every role of ``profile`` (or of ``roles``, a part of them for one product of a
    stack) its cheapest eligible seat in ``tier``, each role judged on its own (an analysis
    shares the work through a :class:`SeatAssigner`)."""
    chosen = profile.roles if roles is None else roles
    assigned = tuple(assign_role(profile, product, tier, role, names or {}) for role in chosen)
    return assigned_mix(SeatPrices(profile), product, tier, assigned)


def assigned_mix(
    prices: SeatPrices, product: Product, tier: Tier, assigned: tuple[RoleLicense, ...]
) -> LicenseMix:
    """The mix of the roles' seats ``assigned`` in ``tier``, checked against the tier's
    maximum users and padded with full seats up to its minimum."""
    facts = role_facts(assigned)
    seats = facts[2]
    limits = tier.limits
    limit_problem = None
    if limits.max_seats is not None and seats > limits.max_seats:
        limit_problem = (
            f"{tier.name} allows at most {limits.max_seats} users; the roles need {seats}"
        )
    missing_seats = max(0, (limits.min_seats or 0) - seats)
    # The full seat's price only where padding needs it.
    full_price = prices.seat(product, tier, tier.license_types[0]) if missing_seats else None
    if not (full_price and not full_price.flat):
        return LicenseMix.of_roles(product, tier, assigned, facts, 0.0, limit_problem)
    return LicenseMix.of_roles(
        product,
        tier,
        assigned,
        facts,
        missing_seats * full_price.amount,
        limit_problem,
        missing_seats,
        full_price,
    )


class SeatAssigner:
    """License mixes of one profile's roles, each worked out once per analysis.

    An analysis asks for the same tier's mix again and again (each downgrade and switch, then
    each stack and partial switch for a part of the roles), and roles often share their needs.
    Caches live as long as the assigner (one analysis, so they are bounded by its catalog and
    roles): the prices, each tier's seat per role and the mixes keyed on (product id, tier
    id, role ids). Within a tier, roles with the same needs and seat count get the same seat,
    worked out once (the seat count matters because flat and per-user prices compare
    differently). A mix of some of the roles takes their seats from the tier's mix of all
    roles: a role's seat does not depend on the others.

    What the catalog alone tells of each seat for a needs shape comes from ``judgements``
    (:class:`SeatJudgements`; an analysis passes its catalog's, :func:`catalog_judgements`,
    so that it is worked out once per catalog; a new one, kept by this assigner, when None).
    """

    def __init__(
        self,
        profile: Profile,
        names: Mapping[str, str],
        judgements: SeatJudgements | None = None,
    ) -> None:
        self.profile = profile
        self.names = names
        self._judgements = judgements or SeatJudgements(names)
        # Roles with the same needs share one shape, and roles with the same shape and seat
        # count share one verdict per tier: each role comes with its verdict's group (the
        # group's number), its shape and the shape's judgements.
        shapes: dict[tuple, tuple[NeedsShape, dict[int, TierJudgement]]] = {}
        groups: dict[tuple[int, tuple], int] = {}
        self._role_shapes = []
        for role in profile.roles:
            shape = NeedsShape.of(profile.role_needs(role))
            if shape.key not in shapes:
                shapes[shape.key] = (shape, self._judgements.for_shape(shape))
            group = groups.setdefault((role.seats, shape.key), len(groups))
            self._role_shapes.append((role, group, *shapes[shape.key]))
        self._prices = SeatPrices(profile)
        self._mixes: dict[tuple, LicenseMix] = {}
        self._seats: dict[tuple[str, str], dict[str, RoleLicense]] = {}
        self._role_ids = tuple(role.id for role in profile.roles)

    def mix(self, product: Product, tier: Tier, roles: Sequence[Role] | None = None) -> LicenseMix:
        """:func:`license_mix` of ``roles`` (the profile's, all of them when None)."""
        ids = self._role_ids if roles is None else tuple([role.id for role in roles])
        key = (product.id, tier.id, ids)
        mix = self._mixes.get(key)
        if mix is None:
            seats = self._tier_seats(product, tier)
            assigned = tuple([seats[role_id] for role_id in ids])
            mix = self._mixes[key] = assigned_mix(self._prices, product, tier, assigned)
        return mix

    def served_mix(self, product: Product, tier: Tier, roles: Sequence[Role]) -> LicenseMix | None:
        """:meth:`mix` of ``roles`` when each of them has a seat in ``tier``; None, without
        making the mix, when one has not (such a mix is infeasible: it cannot be costed,
        kept or stacked, and the combination search meets more of them than of the others).
        """
        seats = self._tier_seats(product, tier)
        for role in roles:
            if seats[role.id].problem:
                return None
        return self.mix(product, tier, roles)

    def _tier_seats(self, product: Product, tier: Tier) -> dict[str, RoleLicense]:
        """Every role's seat in ``tier``, by role id: the refusal the catalog alone tells
        (:class:`TierJudgement`), else the verdict for the role's needs and seats."""
        product_id, tier_id = product.id, tier.id
        seats = self._seats.get((product_id, tier_id))
        if seats is not None:
            return seats
        seats = {}
        identity = id(tier)
        prices, names = self._prices, self.names
        verdicts: dict[int, RoleLicense | SeatRefusal] = {}
        for role, group, shape, judged in self._role_shapes:
            judgement = judged.get(identity) or self._judgements.judge(judged, tier, shape)
            verdict = judgement.refusal
            if verdict is None:
                verdict = verdicts.get(group)
                if verdict is None:
                    verdict = verdicts[group] = _best_seat(prices, product, role, judgement, names)
            seats[role.id] = _for_role(verdict, role)
        self._seats[product_id, tier_id] = seats
        return seats
