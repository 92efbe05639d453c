"""Costs: every scenario as dated cash items, bucketed into monthly cash flows (DESIGN 5).

A scenario is built as a list of :class:`CashItem` (an invoice, a refund, a fee), each with its
date and, for an invoice, the service period it pays for; :func:`monthly_cash_flows` buckets
them by calendar month of the analysis, dropping items dated before ``analysis_start`` (sunk) or
after the horizon, and adds the decision view's ``prepaid_after_horizon`` credit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache, partial
from typing import NamedTuple, TypeVar

import numpy as np
import pandas as pd

from analyzer.catalog import Product, Tier, catalog_running_costs, is_self_hosted
from analyzer.contract import (
    Term,
    billing_periods,
    decision_term,
    earliest_exit,
    notice_deadline,
    renewal_chain,
    renewed_price,
    terms_from,
)
from analyzer.dates import add_months, whole_months_between
from analyzer.licensing import LicenseMix, converted, price_paid_else_list
from analyzer.profile import Profile
from analyzer.records import dict_init

COMPONENTS = [
    "licenses_current",
    "licenses_target",
    "addons",
    "running_costs",
    "onboarding_fee",
    "data_migration",
    "integrations",
    "customization",
    "project_overrun",
    "training",
    "termination_fee",
    "refund",
    "one_time_other",
    "prepaid_after_horizon",
]
"""Cash-flow components, in the order reports show them."""

DECISION_ONLY_COMPONENTS = ("prepaid_after_horizon",)
"""Components of the decision view only: the cash view is every other component."""

SMALLEST_SAVING = 0.005
"""An early exit is taken only when it is cheaper than the normal exit by more than half a cent
(DESIGN 5: "only when its decision total is lower"): the same money summed in another order
differs in its last bits, and such a tie keeps the normal exit."""

CASH_COMPONENTS = [c for c in COMPONENTS if c not in DECISION_ONLY_COMPONENTS]
"""Invoices and one-time payments as they fall."""

ONE_TIME_COMPONENTS = [
    "onboarding_fee",
    "data_migration",
    "integrations",
    "customization",
    "project_overrun",
    "training",
    "one_time_other",
]
"""One-time costs of making a change (switching effort); exit fees and refunds are separate."""

PROJECT_COMPONENTS = ("data_migration", "integrations", "customization")
"""One-time costs spread over the project months, on which the overrun falls."""

TARGET_TERM_MONTHS = 12
MAX_PROJECT_MONTHS = 60
"""Upper bound of migration months plus overlap months that a profile allows."""

T = TypeVar("T")


class CashItem(NamedTuple):
    """A dated payment (positive) or credit (negative) in the profile's currency.

    An invoice also carries the service period it pays for (``service_months`` whole months up
    to ``service_end``, the first day after it), from which the decision view credits the share
    after the horizon; a one-time payment has none. A named tuple: an analysis makes
    thousands, and a frozen dataclass costs twice as much to create.
    """

    date: dt.date
    component: str
    amount: float
    service_months: int = 0
    service_end: dt.date | None = None


cash_item_of = partial(tuple.__new__, CashItem)
"""A :class:`CashItem` of a tuple of its five fields, made without a Python call (the named
tuple's ``__new__`` is a Python function): for the invoices and monthly items that every
scenario and every part of the combination search makes by the dozen."""


@dict_init
@dataclass(frozen=True, init=False)
class SeatLine:
    """Seats of one license type (or one add-on) bought together and billed the same way."""

    component: str
    key: str
    seats: float
    """Units invoiced: seats, or 1 for a flat monthly price."""
    price: float
    """Net price per unit per month in the first term, in the profile's currency."""
    billing: str
    cap: float | None = None
    """List price per unit per month that renewals may not exceed (None: uncapped)."""
    project_seats: float | None = None
    """Units bought before go-live (None: all units from the start)."""

    @property
    def monthly(self) -> float:
        return self.seats * self.price


@dataclass(frozen=True)
class ExitChoice:
    """How the old contract ends in a switch, and why."""

    kind: str
    """``term_end`` or ``early``."""
    date: dt.date
    reason: str


@dict_init
@dataclass(frozen=True, init=False)
class ScenarioPlan:
    """One scenario's dated cash items and the facts behind them."""

    id: str
    kind: str
    label: str
    product: Product
    tier: Tier
    mix: LicenseMix | None
    items: tuple[CashItem, ...] = ()
    status: str = "ok"
    problems: tuple[str, ...] = ()
    effective_date: dt.date | None = None
    go_live: dt.date | None = None
    needed_until: dt.date | None = None
    exit: ExitChoice | None = None
    seats_bought: int = 0
    """Seats paid for: the purchased seats for Stay, else the roles' seats plus any
    minimum-seat padding."""
    shape: str = "single"
    """``single`` (one product), ``stack`` (a CRM plus a service desk) or ``partial`` (another
    CRM for some roles, the current subscription kept, reduced, for the others)."""
    parts: tuple[LicenseMix, ...] = ()
    """Every product's license mix of a stack or partial switch, the new CRM first (``mix``
    is that first part); empty for a single product."""

    def with_changes(self, **changes: object) -> ScenarioPlan:
        """This plan with ``changes`` to its fields, as :func:`dataclasses.replace` makes it
        (which passes every field through ``__init__`` again): the scenario builders make a
        plan's facts first and add its items or its problems to them."""
        plan = object.__new__(ScenarioPlan)
        plan.__dict__.update(self.__dict__, **changes)
        return plan

    @property
    def mixes(self) -> tuple[LicenseMix, ...]:
        """The license mixes the scenario pays for: its parts, else its one mix (none for
        Stay)."""
        if self.parts:
            return self.parts
        return () if self.mix is None else (self.mix,)


def product_tier_name(product: Product, tier: Tier) -> str:
    """A product's tier by name, without repeating words the tier name already has.

    >>> from types import SimpleNamespace as N
    >>> product_tier_name(N(name="HubSpot Sales Hub"), N(name="Sales Hub Pro"))
    'HubSpot Sales Hub Pro'
    """
    return _product_tier_name(product.name, tier.name)


@lru_cache(maxsize=1024)
def _product_tier_name(product_name: str, tier_name: str) -> str:
    """:func:`product_tier_name` of the two names. Cached on them: every scenario, stack and
    partial switch names its products' tiers, and a catalog has a few dozen."""
    words = product_name.split()
    tier_words = tier_name.split()
    if tier_words[0] == words[0]:
        return tier_name
    for size in range(len(words), 0, -1):
        if tier_words[:size] == words[-size:]:
            return " ".join(words + tier_words[size:])
    return f"{product_name} {tier_name}"


def scenario_label(verb: str, product: Product, tier: Tier) -> str:
    """``verb`` and a product's tier (:func:`product_tier_name`).

    >>> from types import SimpleNamespace as N
    >>> scenario_label("Switch to", N(name="HubSpot Sales Hub"), N(name="Sales Hub Pro"))
    'Switch to HubSpot Sales Hub Pro'
    """
    return f"{verb} {product_tier_name(product, tier)}"


def horizon_end(profile: Profile) -> dt.date:
    """The last day of the analysis horizon."""
    return _horizon_end(profile.analysis_start, profile.horizon_months)


def horizon_stop(profile: Profile) -> dt.date:
    """The first day after the analysis horizon."""
    return _horizon_stop(profile.analysis_start, profile.horizon_months)


@lru_cache(maxsize=256)
def _horizon_stop(start: dt.date, months: int) -> dt.date:
    """:func:`horizon_stop` of a horizon of ``months`` from ``start``'s month. Cached on the
    two: every monthly table and every total of the combination search asks for it."""
    return _horizon_end(start, months) + dt.timedelta(days=1)


@lru_cache(maxsize=256)
def _horizon_end(start: dt.date, months: int) -> dt.date:
    """:func:`horizon_end` of a horizon of ``months`` from ``start``'s month. Cached on the
    two: costing every part of every scenario asks for it."""
    return add_months(start.replace(day=1), months) - dt.timedelta(days=1)


def monthly_cash_flows(
    items: tuple[CashItem, ...] | list[CashItem], profile: Profile
) -> pd.DataFrame:
    """Months 0 .. horizon-1 by component; items before ``analysis_start`` are sunk.

    Every item dated inside the horizon whose service period runs past the horizon's end is
    credited, in the last month, the share of its whole months after the horizon
    (``prepaid_after_horizon``, the decision view's only component).
    """
    index, columns = _table_axes(profile.analysis_start, profile.horizon_months)
    # The table takes the array as it is (it is made here for the table alone): copying
    # it cost a third of making the table.
    return pd.DataFrame(
        component_months(items, profile).T, index=index, columns=columns, copy=False
    )


def component_months(items: tuple[CashItem, ...] | list[CashItem], profile: Profile) -> np.ndarray:
    """The table of :func:`monthly_cash_flows` as a bare array, components by months (row
    ``n`` is ``COMPONENTS[n]``): for totals that need no table, e.g. comparing stacks.

    Each cell is summed in item order in Python floats (the same additions, so the same
    floats, as adding into the array item by item, without indexing numpy per item), keyed by
    its position in the flattened table, and the array is filled once at the end."""
    months = profile.horizon_months
    stop = horizon_stop(profile)
    start = profile.analysis_start
    rows = _row_cells(months)
    credit = rows["prepaid_after_horizon"] + months - 1
    # month_index(item.date, start), inlined: this runs for every item of every scenario.
    origin = start.year * 12 + start.month
    cells: dict[int, float] = {}
    for day, component, amount, service_months, service_end in items:
        month = day.year * 12 + day.month - origin
        if day < start or month >= months:
            continue
        cell = rows[component] + month
        cells[cell] = cells.get(cell, 0.0) + amount
        if service_months and service_end and service_end > stop:
            after = whole_months_between(stop, service_end)
            cells[credit] = cells.get(credit, 0.0) - amount * after / service_months
    table = np.zeros(len(COMPONENTS) * months)
    # Cell by cell: an analysis's tables have a few dozen cells, fewer than fancy indexing
    # pays for.
    for cell, total in cells.items():
        table[cell] = total
    return table.reshape(len(COMPONENTS), months)


COMPONENT_ROW = {component: n for n, component in enumerate(COMPONENTS)}
"""Position of each component in :data:`COMPONENTS`."""
RUNNING_ROW = COMPONENT_ROW["running_costs"]


@lru_cache(maxsize=32)
def _row_cells(months: int) -> dict[str, int]:
    """Per component, the position of its first cell in the flattened table of
    :func:`component_months` over ``months`` months."""
    return {component: row * months for component, row in COMPONENT_ROW.items()}


@lru_cache(maxsize=32)
def _table_axes(start: dt.date, months: int) -> tuple[pd.PeriodIndex, pd.Index]:
    """The months and components of a monthly table. Cached, keyed on (analysis start,
    horizon months): building the two indexes cost more than filling the table, and every
    scenario of an analysis has the same (pandas indexes are immutable, so sharing is safe)."""
    return pd.period_range(start, periods=months, freq="M"), pd.Index(COMPONENTS)


def cash_total(table: pd.DataFrame) -> float:
    """Invoices and one-time payments as they fall, over the horizon."""
    return float(table[CASH_COMPONENTS].to_numpy().sum())


def decision_total(table: pd.DataFrame) -> float:
    """The cash total with the service prepaid for after the horizon credited back."""
    return float(table.to_numpy().sum())


def npv(cash: np.ndarray, annual_rate: float) -> float:
    """Σ cash(m) / (1 + rate) ** (m / 12) over months m = 0, 1, ..."""
    months = np.arange(len(cash))
    return float(np.sum(cash / (1 + annual_rate) ** (months / 12)))


def break_even_month(cumulative: np.ndarray, stay_cumulative: np.ndarray) -> int | None:
    """First month from which cumulative cost stays at or below Stay's to the horizon's end.

    None when there is no such month, and None (not 0) when the two never differ.
    """
    # Within a millionth everywhere (np.allclose with rtol=0, without its generality).
    if (np.abs(cumulative - stay_cumulative) <= 1e-6).all():
        return None
    above = np.flatnonzero(cumulative > stay_cumulative + 1e-6)
    if len(above) == 0:
        return 0
    first = int(above[-1]) + 1
    return first if first < len(cumulative) else None


def list_cap(cap: float | None, profile: Profile, day: dt.date) -> float | None:
    """The list price ``cap`` grown by ``list_growth_pct`` per whole year from the analysis
    start to ``day``; None when there is no list or the contract does not cap uplifts."""
    contract = profile.current.contract
    if cap is None or contract.uplift_cap == "none":
        return None
    return cap * _list_growth(profile.analysis_start, day, contract.list_growth_pct)


@lru_cache(maxsize=1024)
def _list_growth(start: dt.date, day: dt.date, growth_pct: float) -> float:
    """The factor :func:`list_cap` grows a list price by from ``start`` to ``day``. Cached on
    the three: every seat line of every scenario renews on the same few term starts."""
    return (1 + growth_pct / 100) ** (whole_months_between(start, day) // 12)


def line_items(
    line: SeatLine,
    terms: list[Term],
    uplift_pct: float,
    profile: Profile,
    ramp: dt.date | None = None,
) -> list[CashItem]:
    """The invoices of one seat line over back-to-back ``terms``.

    The first term is at the line's price; each later term raises it by ``uplift_pct``,
    capped at the (grown) list price. Before ``ramp`` (go-live) only the project seats are
    billed; at ``ramp`` the other seats are added co-terminously, invoiced at once for the whole
    months left in the billing period.
    """
    items: list[CashItem] = []
    append = items.append
    price = line.price
    component, seats_all, project_seats = line.component, line.seats, line.project_seats
    billing = line.billing
    ramps = ramp is not None and project_seats is not None
    for n, term in enumerate(terms):
        if n:
            price = renewed_price(price, uplift_pct, list_cap(line.cap, profile, term.start))
        invoices = term.invoices.get(billing) or billing_periods(term, billing)
        if not ramps:
            # Every seat from the start: one invoice per billing period (the common case,
            # and the only one of the old contract and of a downgrade).
            if seats_all:
                for invoice in invoices:
                    months = invoice.months
                    amount = seats_all * price * months
                    append(
                        cash_item_of((invoice.date, component, amount, months, invoice.service_end))
                    )
            continue
        for invoice in invoices:
            day, months, end = invoice.date, invoice.months, invoice.service_end
            ramping = day < ramp
            seats = project_seats if ramping else seats_all
            if seats:
                append(cash_item_of((day, component, seats * price * months, months, end)))
            if ramping and ramp < end and seats_all > seats:
                left = whole_months_between(ramp, end)
                if left:
                    amount = (seats_all - seats) * price * left
                    append(cash_item_of((ramp, component, amount, left, end)))
    return items


def current_lines(profile: Profile, product: Product, tier: Tier) -> list[SeatLine]:
    """The purchased seats per license type at the price paid (else list), current billing."""
    lines = []
    for lt_id, seats in profile.current.seats.items():
        price = price_paid_else_list(profile, product, tier, tier.license_type(lt_id))
        if price is None or not seats:
            continue
        units = 1 if price.flat else seats
        lines.append(
            SeatLine(
                "licenses_current",
                lt_id,
                units,
                price.amount,
                profile.current.billing,
                price.list_amount,
            )
        )
    return lines


def project_allocation(mix: LicenseMix, project_seats: int) -> dict[str, int]:
    """Seats per role licensed during the project: ``project_seats`` (at most the seats
    needed, never below the tier's minimum) taken from the roles in profile order."""
    needed = sum(r.role.seats for r in mix.roles)
    left = min(max(project_seats, mix.tier.limits.min_seats or 0), needed)
    allocation = {}
    for r in mix.roles:
        allocation[r.role.id] = min(left, r.role.seats)
        left -= allocation[r.role.id]
    return allocation


def stack_project_allocation(
    parts: tuple[LicenseMix, ...], project_seats: int, role_order: list[str]
) -> list[dict[str, int]]:
    """Seats per role licensed during the project, for each product of a stack.

    ``project_seats`` are taken from the roles in profile order (``role_order``, role ids)
    across the whole stack, each role's seats on the product it is assigned to. Each product
    then gets at least one seat (someone must set it up during the project; none when
    ``project_seats`` is 0) and at least its tier's minimum, never more than its roles' seats
    (:func:`project_allocation` within the product). The stack may so license a seat or two
    more than ``project_seats``.

    >>> from types import SimpleNamespace as N
    >>> role = lambda i, s: N(role=N(id=i, seats=s))
    >>> crm = N(roles=(role("reps", 8),), tier=N(limits=N(min_seats=None)))
    >>> desk = N(roles=(role("agents", 4),), tier=N(limits=N(min_seats=None)))
    >>> stack_project_allocation((crm, desk), 5, ["reps", "agents"])
    [{'reps': 5}, {'agents': 1}]
    """
    seats = {r.role.id: r.role.seats for part in parts for r in part.roles}
    ahead = seats_ahead(sorted(seats, key=role_order.index), seats)
    return [stack_part_allocation(part, project_seats, ahead) for part in parts]


def seats_ahead(role_ids: list[str], seats: Mapping[str, int]) -> dict[str, int]:
    """Per role id, the seats of the roles before it in ``role_ids`` (profile order)."""
    ahead, total = {}, 0
    for role_id in role_ids:
        ahead[role_id] = total
        total += seats[role_id]
    return ahead


def stack_part_allocation(
    part: LicenseMix, project_seats: int, ahead: Mapping[str, int]
) -> dict[str, int]:
    """The project seats of one product of a stack (:func:`stack_project_allocation`): its
    roles take what the roles ``ahead`` of each (:func:`seats_ahead`) leave of
    ``project_seats``; at least one seat, within the product as :func:`project_allocation`.
    It depends on the part alone, so a search over stacks works it out once per part."""
    quota = sum(min(max(0, project_seats - ahead[r.role.id]), r.role.seats) for r in part.roles)
    return project_allocation(part, max(quota, 1 if project_seats else 0))


def mix_lines(
    mix: LicenseMix,
    component: str,
    discount_pct: float,
    billing: str | None = None,
    project: dict[str, int] | None = None,
) -> list[SeatLine]:
    """A license mix as seat lines: one per license type, per-user add-on and flat add-on.

    List prices are discounted by ``discount_pct``; net prices (paid today, a net quote) and
    add-ons are not. ``billing`` overrides each price's own billing (a downgrade keeps the
    contract's); ``project`` gives each role's seats before go-live.
    """
    # Per line (kind, key): units, units before go-live and the price, in order of first use.
    totals: dict[tuple[str, str], list] = {}
    for r in mix.roles:
        role = r.role
        before = None if project is None else project[role.id]
        priced = ((component, r.license_type.id, r.price),)
        if r.addons:
            priced += tuple([("addons", feature, price) for feature, price in r.addons])
        for kind, key, price in priced:
            line = (kind, key)
            if price.flat:
                if line in totals:
                    continue
                units = units_before = 1
            else:
                units = role.seats
                units_before = units if before is None else before
            total = totals.get(line)
            if total is None:
                totals[line] = [units, units_before, price]
            else:
                total[0] += units
                total[1] += units_before
                total[2] = price
    if mix.padding_seats and mix.padding_price:
        totals[component, "padding"] = [mix.padding_seats, mix.padding_seats, mix.padding_price]
    lines = []
    for (kind, key), (units, units_before, price) in totals.items():
        keep = price.net or kind == "addons"
        lines.append(
            SeatLine(
                kind,
                key,
                units,
                price.amount if keep else price.amount * (1 - discount_pct / 100),
                billing or price.billing,
                price.list_amount,
                None if project is None else units_before,
            )
        )
    return lines


@dataclass(frozen=True)
class Current:
    """The current subscription: its renewal chain and the invoices of staying on it."""

    profile: Profile
    product: Product
    tier: Tier

    @cached_property
    def chain(self) -> list[Term]:
        """Terms through the horizon and on past the latest date a switch can need the old
        system (project and overlap months at their maximum), so that an exit always exists."""
        contract = self.profile.current.contract
        latest_need = add_months(
            self.profile.analysis_start, MAX_PROJECT_MONTHS + 2 * contract.renewal_term_months
        )
        return renewal_chain(contract, max(horizon_end(self.profile), latest_need))

    @cached_property
    def lines(self) -> list[SeatLine]:
        return current_lines(self.profile, self.product, self.tier)

    @cached_property
    def monthly_rate(self) -> float:
        """What the purchased seats cost per month today, at the prices paid (else list)."""
        return sum(line.monthly for line in self.lines)

    @cached_property
    def invoice_dates(self) -> list[dt.date]:
        """Distinct dates of every invoice the old contract would send if kept, in order.

        Cached: every scenario's exit plan looks its statements up here.
        """
        return sorted(
            {
                invoice.date
                for term in self.chain
                for line in self.lines
                for invoice in billing_periods(term, line.billing)
            }
        )

    @cached_property
    def switch_exit(self) -> tuple[list[CashItem], ExitChoice]:
        """The old contract's items until a switch's exit, and the exit: the same for every
        switch, whatever its products."""
        return _old_contract_exit(self, switch_dates(self.profile)[1])

    @cached_property
    def stay_items(self) -> list[CashItem]:
        uplift = self.profile.current.contract.uplift_pct
        items = []
        for line in self.lines:
            items += line_items(line, self.chain, uplift, self.profile)
        return sorted(items, key=lambda item: item.date)

    @cached_property
    def go_live(self) -> dt.date:
        """Go-live of every switch (:func:`switch_dates`)."""
        return switch_dates(self.profile)[0]

    @cached_property
    def _target_terms(self) -> list[Term]:
        """The 12-month terms of every target subscription (:func:`target_items`)."""
        profile = self.profile
        return terms_from(profile.analysis_start, TARGET_TERM_MONTHS, horizon_end(profile))

    @cached_property
    def _running_terms(self) -> dict[tuple[str, str], tuple[tuple[float, bool], ...] | None]:
        """The running-cost items of :meth:`running_cost_rate` by product and tier id
        (None is a self-hosted tier without any)."""
        return {}

    @cached_property
    def _memos(self) -> dict[tuple, tuple[object, object]]:
        """The results of
        :meth:`target_items`, :meth:`_subscription`,
        :meth:`project_items`, :meth:`kept_plan` and the old contract's exit term
        (:func:`_exit_term`), keyed on what they are of. A license mix
        is keyed by identity (the analysis's :class:`~analyzer.licensing.SeatAssigner`
        hands out one object per product, tier and roles) and kept alive beside the result,
        so its id is never reused while it is stored."""
        return {}

    def _memo(self, key: tuple, mix: LicenseMix | None, work: Callable[[], T]) -> T:
        """What ``work`` gives, worked out on the first call for ``key`` (``mix`` kept with
        it when the key holds the mix's id)."""
        found = self._memos.get(key)
        if found is None:
            found = self._memos[key] = (mix, work())
        return found[1]  # type: ignore[return-value]

    def target_problems(self, mix: LicenseMix) -> tuple[str, tuple[str, ...]] | None:
        """:func:`target_problems` of ``mix``, its running cost rate from
        :meth:`running_cost_rate` (nearly every mix asked is a new one, so the problems
        themselves are not kept)."""
        return _target_problems(mix, lambda: self.running_cost_rate(mix))

    def running_cost_rate(self, mix: LicenseMix) -> float | None:
        """:func:`running_cost_rate` of ``mix``, its items (:func:`running_cost_terms`)
        worked out once per product and tier: the parts of many stacks and switches share
        them, with different seats."""
        product, tier = mix.product, mix.tier
        key = (product.id, tier.id)
        known = self._running_terms
        if key not in known:
            known[key] = running_cost_terms(self.profile, product, tier)
        return _rate_for(known[key], mix.seats_bought)

    def target_items(self, mix: LicenseMix, project: dict[str, int] | None) -> tuple[CashItem, ...]:
        """:func:`target_items` of ``mix`` at the switches' go-live, worked out once per mix
        and project seats: the listed stacks and partial switches are built from parts the
        combination search has costed (:meth:`target_total`)."""

        def items() -> tuple[CashItem, ...]:
            subscription = self._subscription(mix, project)
            running = _running_items(self.profile, self.running_cost_rate(mix) or 0.0, self.go_live)
            return (*subscription, *running) if running else subscription

        seats = None if project is None else tuple(project.items())
        return self._memo(("target", id(mix), seats), mix, items)

    def _subscription(
        self, mix: LicenseMix, project: dict[str, int] | None
    ) -> tuple[CashItem, ...]:
        """The items of :meth:`target_items` but the running costs (:func:`_subscription_items`),
        worked out once per mix and project seats."""
        seats = None if project is None else tuple(project.items())
        return self._memo(
            ("subscription", id(mix), seats),
            mix,
            lambda: tuple(
                _subscription_items(self.profile, mix, self.go_live, project, self._target_terms)
            ),
        )

    def target_total(self, mix: LicenseMix, project: dict[str, int] | None) -> float:
        """The sum of :func:`component_months` of :meth:`target_items`, bit for bit, without
        making the running-cost items: the combination search compares many targets and
        lists few.

        Each running-cost item is alone in its cell (one a month from the go-live month to
        the horizon's end, and no other item of the target is a running cost), so its cells
        hold the rate itself; and its service ends within a month after the horizon, so it
        credits nothing. The row is filled at once, and the table summed as it is.
        """
        profile = self.profile
        table = component_months(self._subscription(mix, project), profile)
        rate = self.running_cost_rate(mix) or 0.0
        if rate:
            go_live, start = self.go_live, profile.analysis_start
            first = (go_live.year - start.year) * 12 + go_live.month - start.month
            table[RUNNING_ROW, first:] = rate
        return float(table.sum())

    def project_items(self, users: int) -> tuple[CashItem, ...]:
        """:func:`project_items` for ``users`` moving users at the switches' go-live, worked
        out once per count: every switch of an analysis has the same project."""

        def items() -> tuple[CashItem, ...]:
            return tuple(project_items(self.profile, self.go_live, users))

        return self._memo(("project", users), None, items)

    def kept_plan(self, kept: LicenseMix) -> ScenarioPlan:
        """:func:`kept_plan` of ``kept`` (its id ``kept``), worked out once per mix: the
        partial switch search costs every kept tier, and the listed ones are built from it."""
        return self._memo(("kept", id(kept)), kept, lambda: kept_plan(self, kept, "kept"))


def stay_plan(current: Current) -> ScenarioPlan:
    """Keep the purchased seats at today's price, renewing with the uplift through the horizon."""
    label = scenario_label("Stay on", current.product, current.tier)
    return ScenarioPlan(
        "stay",
        "stay",
        label,
        current.product,
        current.tier,
        None,
        tuple(current.stay_items),
        seats_bought=sum(current.profile.current.seats.values()),
    )


def downgrade_plan(
    current: Current, mix: LicenseMix, scenario_id: str, effective: dt.date | None = None
) -> ScenarioPlan:
    """Right-size at the first renewal that can still be changed: each role on its cheapest
    eligible seat, unused seats dropped, the user's renewal discount on list prices; the
    price rises by the (capped) uplift from the second downgraded term on.

    ``effective`` sets another term end for the change (a partial switch reduces the contract
    at the term end after the moved roles last need it)."""
    profile = current.profile
    contract = profile.current.contract
    if effective is None:
        effective = decision_term(current.chain, contract, profile.analysis_start).exit_date
    verb = "Downgrade to" if mix.tier.id != profile.current.tier else "Right-size"
    label = scenario_label(verb, mix.product, mix.tier)
    base = ScenarioPlan(
        scenario_id,
        "downgrade",
        label,
        mix.product,
        mix.tier,
        mix,
        effective_date=effective,
        seats_bought=mix.seats_bought,
    )
    if not mix.feasible:
        return _unavailable(base, mix)
    new_terms = terms_from(effective, contract.renewal_term_months, horizon_end(profile))
    items = [i for i in current.stay_items if i.date < effective]
    for line in mix_lines(mix, "licenses_current", profile.discount_pct, profile.current.billing):
        items += line_items(line, new_terms, contract.uplift_pct, profile)
    if profile.downgrade_one_time_cost:
        items.append(CashItem(effective, "one_time_other", profile.downgrade_one_time_cost))
    return base.with_changes(items=tuple(items))


def switch_dates(profile: Profile) -> tuple[dt.date, dt.date]:
    """Go-live (``migration.months`` after the analysis start) and the first day the old
    system is no longer needed (``overlap_months`` after go-live)."""
    go_live = add_months(profile.analysis_start, profile.migration.months)
    return go_live, add_months(go_live, profile.migration.overlap_months)


def switch_plan(current: Current, mix: LicenseMix, scenario_id: str) -> ScenarioPlan:
    """Move to another product: project, go-live, overlap, then the old contract's exit."""
    profile = current.profile
    go_live, needed_until = switch_dates(profile)
    # The old contract's exit does not depend on the target: every switch has one, so every
    # switch has its key dates and exit plan, ranked or not.
    old, exit_choice = current.switch_exit
    blocked = current.target_problems(mix)
    items: list[CashItem] = []
    if blocked is None:
        project = None
        if go_live > profile.analysis_start:
            project = project_allocation(mix, profile.migration.project_seats)
        users = sum(role.seats for role in profile.roles)
        items = [*old, *current.project_items(users), *current.target_items(mix, project)]
    status, problems = blocked or ("ok", ())
    return ScenarioPlan(
        scenario_id,
        "switch",
        scenario_label("Switch to", mix.product, mix.tier),
        mix.product,
        mix.tier,
        mix,
        go_live=go_live,
        needed_until=needed_until,
        seats_bought=mix.seats_bought,
        exit=exit_choice,
        effective_date=exit_choice.date,
        status=status,
        problems=problems,
        items=tuple(items),
    )


def stack_plan(current: Current, parts: tuple[LicenseMix, ...], scenario_id: str) -> ScenarioPlan:
    """Move to a CRM for the roles it serves plus a service desk for the others (``parts``,
    the CRM first), each product with its own subscription as in a single switch.

    One migration project for the whole stack (one set of one-time costs, one go-live, one
    overlap); the old contract exits as in a single switch. Project seats are split across the
    products by :func:`stack_project_allocation`.
    """
    profile = current.profile
    go_live, needed_until = switch_dates(profile)
    old, exit_choice = current.switch_exit
    names = " + ".join(product_tier_name(part.product, part.tier) for part in parts)
    base = ScenarioPlan(
        scenario_id,
        "switch",
        f"Switch to {names}",
        parts[0].product,
        parts[0].tier,
        parts[0],
        go_live=go_live,
        needed_until=needed_until,
        exit=exit_choice,
        effective_date=exit_choice.date,
        seats_bought=sum(part.seats_bought for part in parts),
        shape="stack",
        parts=parts,
    )
    for part in parts:
        blocked = current.target_problems(part)
        if blocked is not None:
            return base.with_changes(status=blocked[0], problems=blocked[1])
    projects: list[dict[str, int] | None] = [None] * len(parts)
    if go_live > profile.analysis_start:
        order = [role.id for role in profile.roles]
        projects = list(stack_project_allocation(parts, profile.migration.project_seats, order))
    users = sum(r.role.seats for part in parts for r in part.roles)
    items = [*old, *current.project_items(users)]
    for part, project in zip(parts, projects, strict=True):
        items += current.target_items(part, project)
    return base.with_changes(items=tuple(items))


def partial_switch_plan(
    current: Current, moved: LicenseMix, kept: LicenseMix, scenario_id: str
) -> ScenarioPlan:
    """Move the roles ``moved`` covers to another CRM and keep the current subscription,
    reduced, for the roles of ``kept`` (a tier of the current product).

    The moved roles follow the switch rules (project, go-live, overlap, target subscription);
    the kept part is :func:`downgrade_plan` taking effect at the end of the first term that
    ends after the moved roles last need the old system and whose notice deadline is still
    ahead (the normal exit of a switch). The contract continues: no early exit, no refund.
    """
    profile = current.profile
    contract = profile.current.contract
    go_live, needed_until = switch_dates(profile)
    term, missed = _exit_term(current, needed_until)
    deadline = notice_deadline(term, contract)
    change = (
        f"give notice by {deadline} to reduce the contract to {kept.seats_bought} seats of "
        f"{product_tier_name(kept.product, kept.tier)} from {term.exit_date}"
    )
    if missed is not None:
        change = (
            f"the notice deadline {notice_deadline(missed, contract)} of the term ending "
            f"{missed.end} has passed: the contract renews once more in full; {change}"
        )
    reduced = current.kept_plan(kept)
    base = ScenarioPlan(
        scenario_id,
        "switch",
        f"Partial switch to {product_tier_name(moved.product, moved.tier)}, keep {kept_name(kept)}",
        moved.product,
        moved.tier,
        moved,
        go_live=go_live,
        needed_until=needed_until,
        exit=ExitChoice("term_end", term.exit_date, change),
        effective_date=term.exit_date,
        seats_bought=moved.seats_bought + kept.seats_bought,
        shape="partial",
        parts=(moved, kept),
    )
    blocked = current.target_problems(moved)
    if blocked is None and reduced.status != "ok":
        blocked = (reduced.status, reduced.problems)
    if blocked is not None:
        return base.with_changes(status=blocked[0], problems=blocked[1])
    project = None
    if go_live > profile.analysis_start:
        project = project_allocation(moved, profile.migration.project_seats)
    users = moved.role_seats
    items = [*reduced.items, *current.project_items(users), *current.target_items(moved, project)]
    return base.with_changes(items=tuple(items))


def kept_plan(current: Current, kept: LicenseMix, scenario_id: str) -> ScenarioPlan:
    """The kept part of a partial switch: :func:`downgrade_plan` to ``kept`` at the end of the
    first term that ends after the moved roles last need the old system and whose notice
    deadline is still ahead."""
    term, _ = _exit_term(current, switch_dates(current.profile)[1])
    return downgrade_plan(current, kept, scenario_id, effective=term.exit_date)


def kept_name(kept: LicenseMix) -> str:
    """The kept part of a partial switch: the product's first word, the tier and the roles
    kept on it, e.g. "Salesforce Enterprise for Support agents"."""
    roles = ", ".join(r.role.name for r in kept.roles)
    return f"{kept.product.name.split()[0]} {kept.tier.name} for {roles}"


def target_problems(profile: Profile, mix: LicenseMix) -> tuple[str, tuple[str, ...]] | None:
    """Why a target product's tier cannot be costed (status, problems), or None."""
    return _target_problems(mix, lambda: running_cost_rate(profile, mix))


def _target_problems(
    mix: LicenseMix, running: Callable[[], float | None]
) -> tuple[str, tuple[str, ...]] | None:
    """:func:`target_problems` of ``mix``, its ``running`` cost rate asked for only when the
    tier is sold and every role has a seat."""
    if mix.product.status == "not_sold":
        return "infeasible", (f"{mix.product.name} is no longer sold to new customers",)
    if not mix.feasible:
        return ("needs_quote" if mix.needs_quote else "infeasible"), tuple(mix.problems)
    if running() is None:
        return "needs_quote", (
            f"{mix.tier.name} is self-hosted and has no running costs (hosting, "
            "administration, support) in the catalog or the profile: nothing is free to "
            "run; add them under running_costs",
        )
    return None


def running_cost_rate(profile: Profile, mix: LicenseMix) -> float | None:
    """Monthly running costs of a target in the profile's currency, for its seats bought.

    The catalog's items of the product and tier, each replaced by a profile item of the same
    name, plus the profile's other items for the product. None when a self-hosted tier has
    none: nothing is free to run.
    """
    return _rate_for(running_cost_terms(profile, mix.product, mix.tier), mix.seats_bought)


def running_cost_terms(
    profile: Profile, product: Product, tier: Tier
) -> tuple[tuple[float, bool], ...] | None:
    """The running-cost items of :func:`running_cost_rate` (the catalog's, each replaced by
    the profile's item of the same name, then the profile's others), each as its monthly
    amount in the profile's currency and whether it is flat (else per user); None when a
    self-hosted tier has none. They do not depend on the seats."""
    terms = {}
    for item in catalog_running_costs(product, tier):
        price = converted(item.price, profile)
        terms[item.name] = (price.amount, price.flat)
    for item in profile.running_costs:
        if item.product == product.id:
            amount = float(item.amount) * profile.rate(item.currency)
            terms[item.name] = (amount, item.unit == "flat_month")
    if not terms and is_self_hosted(product, tier):
        return None
    return tuple(terms.values())


def _rate_for(terms: tuple[tuple[float, bool], ...] | None, users: int) -> float | None:
    """The monthly rate of running-cost ``terms`` (:func:`running_cost_terms`) for ``users``
    seats: the items summed in order."""
    if terms is None:
        return None
    return sum([amount * (1 if flat else users) for amount, flat in terms])


def _running_items(profile: Profile, rate: float, go_live: dt.date) -> list[CashItem]:
    """Running costs each month from go-live to the horizon's end (no uplift)."""
    if not rate:
        return []
    months = _running_months(go_live, horizon_end(profile))
    return [
        cash_item_of((month, "running_costs", rate, 1, following)) for month, following in months
    ]


@lru_cache(maxsize=256)
def _running_months(go_live: dt.date, end: dt.date) -> tuple[tuple[dt.date, dt.date], ...]:
    """Each month's first day and the next month's, from ``go_live`` to ``end``. Cached on
    the two dates: every target of an analysis runs from the same go-live to the same end."""
    months: list[tuple[dt.date, dt.date]] = []
    month = go_live
    while month <= end:
        following = add_months(go_live, len(months) + 1)
        months.append((month, following))
        month = following
    return tuple(months)


def target_items(
    profile: Profile, mix: LicenseMix, go_live: dt.date, project: dict[str, int] | None
) -> list[CashItem]:
    """One target product's subscription, onboarding fee and running costs.

    The subscription starts at the analysis start with ``project`` seats per role (None: all
    seats from the start), in 12-month terms; the other seats are added at go-live; running
    costs start at go-live. The tier must be costable (:func:`target_problems` is None).
    """
    terms = terms_from(profile.analysis_start, TARGET_TERM_MONTHS, horizon_end(profile))
    running = running_cost_rate(profile, mix) or 0.0
    return _target_items(profile, mix, go_live, project, terms, running)


def _target_items(
    profile: Profile,
    mix: LicenseMix,
    go_live: dt.date,
    project: dict[str, int] | None,
    terms: list[Term],
    running: float,
) -> list[CashItem]:
    """:func:`target_items` over the target's ``terms``, with its monthly ``running`` costs."""
    items = _subscription_items(profile, mix, go_live, project, terms)
    return items + _running_items(profile, running, go_live)


def _subscription_items(
    profile: Profile,
    mix: LicenseMix,
    go_live: dt.date,
    project: dict[str, int] | None,
    terms: list[Term],
) -> list[CashItem]:
    """The items of :func:`_target_items` but the running costs: the subscription over
    ``terms`` and the onboarding fees."""
    start = profile.analysis_start
    uplift = mix.product.contract.renewal_uplift_pct
    uplift = profile.target_uplift_pct if uplift is None else uplift
    ramp = go_live if project is not None else None
    items = []
    for line in mix_lines(mix, "licenses_target", profile.target_discount_pct, None, project):
        items += line_items(line, terms, uplift, profile, ramp)
    for fee in mix.tier.one_time_fees:
        items.append(CashItem(start, "onboarding_fee", converted(fee.price, profile).amount))
    return items


def project_items(profile: Profile, go_live: dt.date, users: int) -> list[CashItem]:
    """The migration project's one-time costs, once per switch whatever its products: data
    migration, integrations and customization (and their most likely overrun) spread over the
    project months, and training of the ``users`` who move (every role's seats, but only the
    moved roles' in a partial switch) in the go-live month."""
    start = profile.analysis_start
    migration = profile.migration
    spread = {
        "data_migration": migration.records / 1000 * migration.cost_per_thousand_records
        + migration.fixed_cost,
        "integrations": migration.integrations * migration.cost_per_integration,
        "customization": migration.customization_hours * migration.hourly_rate,
    }
    project_cost = sum(spread[c] for c in PROJECT_COMPONENTS)
    spread["project_overrun"] = migration.overrun_pct[1] / 100 * project_cost
    months = max(1, migration.months)
    items = []
    for component, amount in spread.items():
        if amount:
            items += [
                CashItem(add_months(start, m), component, amount / months) for m in range(months)
            ]
    training = users * migration.training_hours_per_user * migration.hourly_rate
    if training:
        items.append(CashItem(go_live, "training", training))
    return items


def _exit_term(current: Current, needed_until: dt.date) -> tuple[Term, Term | None]:
    """The term at whose end the old contract can first stop or change after
    ``needed_until``, and the term whose notice deadline has already passed (None if none).
    Worked out once per date and analysis (:meth:`Current._memo`): every partial switch and
    its kept part asks for the same one."""

    def work() -> tuple[Term, Term | None]:
        contract = current.profile.current.contract
        chain = current.chain
        term = earliest_exit(chain, contract, current.profile.analysis_start, needed_until)
        missed = [t for t in chain if t.start <= needed_until <= t.end and t.index < term.index]
        return term, missed[0] if missed else None

    return current._memo(("exit term", needed_until), None, work)


def _old_contract_exit(
    current: Current, needed_until: dt.date
) -> tuple[list[CashItem], ExitChoice]:
    """The old contract's cash items until its exit: at a term end, or early where the refund
    policy allows it and that costs less over the horizon (decision view)."""
    profile = current.profile
    contract = profile.current.contract
    chain = current.chain
    stay = current.stay_items
    term, missed = _exit_term(current, needed_until)
    deadline = notice_deadline(term, contract)
    normal = [i for i in stay if i.date < term.exit_date]
    if missed is not None:
        reason = (
            f"the notice deadline {notice_deadline(missed, contract)} of the term "
            f"ending {missed.end} has passed: the contract renews once more and ends "
            f"{term.end}; give notice by {deadline}"
        )
    else:
        reason = (
            f"give notice by {deadline}; the contract ends {term.end}, after the old "
            f"system is last needed ({needed_until - dt.timedelta(days=1)})"
        )
    normal_choice = ExitChoice("term_end", term.exit_date, reason)
    # The term the old system is needed into, its first day included; a term that starts on
    # the day after the normal exit is never entered.
    containing = next((t for t in chain if t.start <= needed_until <= t.end), None)
    if contract.refund == "none" or containing is None or containing.index > term.index:
        return normal, normal_choice
    early, how = _early_exit_items(current, containing, needed_until)
    normal_total = float(component_months(normal, profile).sum())
    early_total = float(component_months(early, profile).sum())
    currency = profile.currency
    saving = normal_total - early_total
    if saving > SMALLEST_SAVING:
        return early, ExitChoice(
            "early",
            needed_until,
            f"early exit on {needed_until} ({how}) costs {saving:,.2f} "
            f"{currency} less than waiting for the term end {term.end}",
        )
    extra = early_total - normal_total
    return normal, ExitChoice(
        "term_end",
        term.exit_date,
        f"{reason}; an early exit ({how}) would cost {extra:,.2f} {currency} more",
    )


def _early_exit_items(
    current: Current, term: Term, exit_date: dt.date
) -> tuple[list[CashItem], str]:
    """Stop the old contract on ``exit_date`` inside ``term`` (its first day included).

    A refund carries the refunded service period of an invoice inside the horizon, so that the
    decision view's credit for that invoice is given back: the months are refunded once.
    """
    profile = current.profile
    contract = profile.current.contract
    invoices = [i for i in current.stay_items if term.start <= i.date <= term.end]
    paid = [i for i in invoices if i.date < exit_date]
    unbilled = sum(i.amount for i in invoices if i.date >= exit_date)
    items = [i for i in current.stay_items if i.date < exit_date]

    def refund_of(invoice: CashItem, months: int) -> CashItem:
        counted = invoice.date >= profile.analysis_start
        amount = -invoice.amount * months / invoice.service_months
        return CashItem(exit_date, "refund", amount, months if counted else 0, invoice.service_end)

    full_window_end = term.start + dt.timedelta(days=contract.full_refund_days)
    if contract.refund == "full_within_days" and exit_date <= full_window_end:
        refunds = [refund_of(i, i.service_months) for i in paid]
        refunded = -sum(r.amount for r in refunds)
        return items + refunds, (
            f"full refund of {refunded:,.2f} within {contract.full_refund_days} days"
        )
    last = [i for i in paid if i.date == paid[-1].date] if paid else []
    unused = whole_months_between(exit_date, last[0].service_end) if last else 0
    refunds = [refund_of(i, unused) for i in last] if unused else []
    refunded = -sum(r.amount for r in refunds)
    fee = contract.early_termination_fee_pct / 100 * (refunded + unbilled)
    items += refunds
    if fee:
        items.append(CashItem(exit_date, "termination_fee", fee))
    if not paid:
        return items, (
            f"nothing of the term starting {term.start} is paid yet: nothing refunded, "
            f"termination fee {fee:,.2f} on its unbilled invoices"
        )
    return items, f"{unused} unused month(s) refunded pro rata, termination fee {fee:,.2f}"


def _unavailable(plan: ScenarioPlan, mix: LicenseMix) -> ScenarioPlan:
    status = "needs_quote" if mix.needs_quote else "infeasible"
    return plan.with_changes(status=status, problems=tuple(mix.problems))
