"""Costs: every scenario as dated cash items, bucketed into monthly cash flows (DESIGN 5).

A scenario is built as a list of :class:`CashItem` (an invoice, a refund, a fee), each with its
date; :func:`monthly_cash_flows` buckets them by calendar month of the analysis, dropping items
dated before ``analysis_start`` (sunk) or after the horizon.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import pandas as pd

from analyzer.catalog import Product, Tier
from analyzer.contract import (
    Invoice,
    Term,
    billing_periods,
    decision_term,
    earliest_exit,
    notice_deadline,
    renewal_chain,
    terms_from,
)
from analyzer.dates import add_months, month_index, whole_months_between
from analyzer.licensing import LicenseMix, converted, seat_price
from analyzer.profile import Profile

COMPONENTS = [
    "licenses_current",
    "licenses_target",
    "addons",
    "onboarding_fee",
    "data_migration",
    "integrations",
    "customization",
    "training",
    "termination_fee",
    "refund",
    "one_time_other",
]
"""Cash-flow components, in the order reports show them."""

ONE_TIME_COMPONENTS = [
    "onboarding_fee",
    "data_migration",
    "integrations",
    "customization",
    "training",
    "one_time_other",
]
"""One-time costs of making a change (switching effort); exit fees and refunds are separate."""

TARGET_TERM_MONTHS = 12
MAX_PROJECT_MONTHS = 60
"""Upper bound of migration months plus overlap months that a profile allows."""


@dataclass(frozen=True)
class CashItem:
    date: dt.date
    component: str
    amount: float


@dataclass(frozen=True)
class ExitChoice:
    """How the old contract ends in a switch, and why."""

    kind: str
    """``term_end`` or ``early``."""
    date: dt.date
    reason: str


@dataclass(frozen=True)
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


def scenario_label(verb: str, product: Product, tier: Tier) -> str:
    """``verb`` and a product's tier, without repeating words the tier name already has.

    >>> from types import SimpleNamespace as N
    >>> scenario_label("Switch to", N(name="HubSpot Sales Hub"), N(name="Sales Hub Pro"))
    'Switch to HubSpot Sales Hub Pro'
    """
    words = product.name.split()
    tier_words = tier.name.split()
    if tier_words[0] == words[0]:
        return f"{verb} {tier.name}"
    for size in range(len(words), 0, -1):
        if tier_words[:size] == words[-size:]:
            return f"{verb} {' '.join(words + tier_words[size:])}"
    return f"{verb} {product.name} {tier.name}"


def horizon_end(profile: Profile) -> dt.date:
    """The last day of the analysis horizon."""
    return add_months(profile.analysis_start.replace(day=1), profile.horizon_months) - (
        dt.timedelta(days=1)
    )


def monthly_cash_flows(
    items: tuple[CashItem, ...] | list[CashItem], profile: Profile
) -> pd.DataFrame:
    """Months 0 .. horizon-1 by component; items before ``analysis_start`` are sunk."""
    table = np.zeros((profile.horizon_months, len(COMPONENTS)))
    column = {c: i for i, c in enumerate(COMPONENTS)}
    for item in items:
        month = month_index(item.date, profile.analysis_start)
        if item.date >= profile.analysis_start and month < profile.horizon_months:
            table[month, column[item.component]] += item.amount
    index = pd.period_range(profile.analysis_start, periods=profile.horizon_months, freq="M")
    return pd.DataFrame(table, index=index, columns=COMPONENTS)


def npv(cash: np.ndarray, annual_rate: float) -> float:
    """Σ cash(m) / (1 + rate) ** (m / 12) over months m = 0, 1, ..."""
    months = np.arange(len(cash))
    return float(np.sum(cash / (1 + annual_rate) ** (months / 12)))


def break_even_month(cumulative: np.ndarray, stay_cumulative: np.ndarray) -> int | None:
    """First month from which cumulative cost stays at or below Stay's to the horizon's end."""
    above = np.flatnonzero(cumulative > stay_cumulative + 1e-6)
    if len(above) == 0:
        return 0
    first = int(above[-1]) + 1
    return first if first < len(cumulative) else None


def invoice_amount(invoice: Invoice, monthly_rate: float) -> float:
    return monthly_rate * invoice.term.price_factor * invoice.months


def subscription_items(
    terms: list[Term], billing: str, monthly_rate: float, component: str, addon_rate: float = 0.0
) -> list[CashItem]:
    """The invoices of ``terms`` at ``monthly_rate`` (and add-ons) times each term's factor."""
    items = []
    for term in terms:
        for invoice in billing_periods(term, billing):
            items.append(CashItem(invoice.date, component, invoice_amount(invoice, monthly_rate)))
            if addon_rate:
                items.append(CashItem(invoice.date, "addons", invoice_amount(invoice, addon_rate)))
    return items


def current_monthly_rate(profile: Profile, product: Product, tier: Tier) -> float:
    """What the purchased seats cost per month today, at the net prices paid (else list)."""
    total = 0.0
    for lt_id, seats in profile.current.seats.items():
        paid = profile.current.prices.get(lt_id)
        if paid is None:
            price = seat_price(profile, product, tier, tier.license_type(lt_id))
            amount = price.amount if price else 0.0
        else:
            amount = float(paid)
        total += seats * amount
    return total


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
    def monthly_rate(self) -> float:
        return current_monthly_rate(self.profile, self.product, self.tier)

    @cached_property
    def stay_items(self) -> list[CashItem]:
        return subscription_items(
            self.chain, self.profile.current.billing, self.monthly_rate, "licenses_current"
        )


def stay_plan(current: Current) -> ScenarioPlan:
    """Keep the purchased seats at today's price, renewing with the uplift through the horizon."""
    label = scenario_label("Stay on", current.product, current.tier)
    return ScenarioPlan(
        "stay", "stay", label, current.product, current.tier, None, tuple(current.stay_items)
    )


def downgrade_plan(current: Current, mix: LicenseMix, scenario_id: str) -> ScenarioPlan:
    """Right-size at the first renewal that can still be changed: each role on its cheapest
    eligible seat, unused seats dropped, the user's renewal discount applied."""
    profile = current.profile
    contract = profile.current.contract
    effective = decision_term(current.chain, contract, profile.analysis_start).exit_date
    verb = "Downgrade to" if mix.tier.id != profile.current.tier else "Right-size"
    label = scenario_label(verb, mix.product, mix.tier)
    base = ScenarioPlan(
        scenario_id, "downgrade", label, mix.product, mix.tier, mix, effective_date=effective
    )
    if not mix.feasible:
        return _unavailable(base, mix)
    discount = 1 - profile.discount_pct / 100
    new_terms = terms_from(
        effective, contract.renewal_term_months, contract.uplift_pct, horizon_end(profile)
    )
    items = [i for i in current.stay_items if i.date < effective]
    items += subscription_items(
        new_terms,
        profile.current.billing,
        mix.license_cost() * discount,
        "licenses_current",
        mix.addon_cost(),
    )
    if profile.downgrade_one_time_cost:
        items.append(CashItem(effective, "one_time_other", profile.downgrade_one_time_cost))
    return replace(base, items=tuple(items))


def switch_plan(current: Current, mix: LicenseMix, scenario_id: str) -> ScenarioPlan:
    """Move to another product: project, go-live, overlap, then the old contract's exit."""
    profile = current.profile
    start = profile.analysis_start
    migration = profile.migration
    go_live = add_months(start, migration.months)
    needed_until = add_months(go_live, migration.overlap_months)
    base = ScenarioPlan(
        scenario_id,
        "switch",
        scenario_label("Switch to", mix.product, mix.tier),
        mix.product,
        mix.tier,
        mix,
        go_live=go_live,
        needed_until=needed_until,
    )
    # The old contract's exit does not depend on the target: every switch has one, so every
    # switch has its key dates and exit plan, ranked or not.
    old, exit_choice = _old_contract_exit(current, needed_until)
    base = replace(base, exit=exit_choice, effective_date=exit_choice.date)
    if mix.product.status == "not_sold":
        return replace(
            base,
            status="infeasible",
            problems=(f"{mix.product.name} is no longer sold to new customers",),
        )
    if not mix.feasible:
        return _unavailable(base, mix)
    return replace(base, items=tuple(old + _target_items(profile, mix, go_live)))


def _target_items(profile: Profile, mix: LicenseMix, go_live: dt.date) -> list[CashItem]:
    start = profile.analysis_start
    migration = profile.migration
    uplift = mix.product.contract.renewal_uplift_pct
    uplift = profile.target_uplift_pct if uplift is None else uplift
    terms = terms_from(start, TARGET_TERM_MONTHS, uplift, horizon_end(profile))
    discount = 1 - profile.target_discount_pct / 100
    items = subscription_items(
        terms, mix.billing, mix.license_cost() * discount, "licenses_target", mix.addon_cost()
    )
    for fee in mix.tier.one_time_fees:
        amount = converted(fee.price, profile).amount
        items.append(CashItem(start, "onboarding_fee", amount))
    spread = {
        "data_migration": migration.records / 1000 * migration.cost_per_thousand_records
        + migration.fixed_cost,
        "integrations": migration.integrations * migration.cost_per_integration,
        "customization": migration.customization_hours * migration.hourly_rate,
    }
    months = max(1, migration.months)
    for component, amount in spread.items():
        if amount:
            items += [
                CashItem(add_months(start, m), component, amount / months) for m in range(months)
            ]
    users = sum(role.seats for role in profile.roles)
    training = users * migration.training_hours_per_user * migration.hourly_rate
    if training:
        items.append(CashItem(go_live, "training", training))
    return items


def _old_contract_exit(
    current: Current, needed_until: dt.date
) -> tuple[list[CashItem], ExitChoice]:
    """The old contract's cash items until its exit: at a term end, or early where the refund
    policy allows it and that costs less over the horizon."""
    profile = current.profile
    contract = profile.current.contract
    chain = current.chain
    start = profile.analysis_start
    stay = current.stay_items
    term = earliest_exit(chain, contract, start, needed_until)
    deadline = notice_deadline(term, contract)
    normal = [i for i in stay if i.date < term.exit_date]
    missed = [t for t in chain if t.start <= needed_until <= t.end and t.index < term.index]
    if missed:
        reason = (
            f"the notice deadline {notice_deadline(missed[0], contract)} of the term "
            f"ending {missed[0].end} has passed: the contract renews once more and ends "
            f"{term.end}; give notice by {deadline}"
        )
    else:
        reason = (
            f"give notice by {deadline}; the contract ends {term.end}, after the old "
            f"system is last needed ({needed_until - dt.timedelta(days=1)})"
        )
    normal_choice = ExitChoice("term_end", term.exit_date, reason)
    containing = next((t for t in chain if t.start < needed_until <= t.end), None)
    if contract.refund == "none" or containing is None or containing.exit_date <= needed_until:
        return normal, normal_choice
    early, how = _early_exit_items(current, containing, needed_until)
    normal_total = monthly_cash_flows(normal, profile).to_numpy().sum()
    early_total = monthly_cash_flows(early, profile).to_numpy().sum()
    currency = profile.currency
    if early_total < normal_total:
        saving = normal_total - early_total
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
    """Stop the old contract on ``exit_date`` inside ``term``: refund and termination fee."""
    profile = current.profile
    rate = current.monthly_rate
    contract = profile.current.contract
    invoices = billing_periods(term, profile.current.billing)
    paid = [inv for inv in invoices if inv.date < exit_date]
    unbilled = [inv for inv in invoices if inv.date >= exit_date]
    items = [i for i in current.stay_items if i.date < exit_date]
    full_window_end = term.start + dt.timedelta(days=contract.full_refund_days)
    if contract.refund == "full_within_days" and exit_date <= full_window_end:
        refund = sum(invoice_amount(inv, rate) for inv in paid)
        items.append(CashItem(exit_date, "refund", -refund))
        return items, f"full refund of {refund:,.2f} within {contract.full_refund_days} days"
    last = paid[-1]
    period_end = add_months(last.date, last.months)
    unused = whole_months_between(exit_date, period_end)
    refund = invoice_amount(last, rate) * unused / last.months
    fee = (
        contract.early_termination_fee_pct
        / 100
        * (refund + sum(invoice_amount(inv, rate) for inv in unbilled))
    )
    if refund:
        items.append(CashItem(exit_date, "refund", -refund))
    if fee:
        items.append(CashItem(exit_date, "termination_fee", fee))
    return items, (f"{unused} unused month(s) refunded pro rata, termination fee {fee:,.2f}")


def _unavailable(plan: ScenarioPlan, mix: LicenseMix) -> ScenarioPlan:
    status = "needs_quote" if mix.needs_quote else "infeasible"
    return replace(plan, status=status, problems=tuple(mix.problems))
