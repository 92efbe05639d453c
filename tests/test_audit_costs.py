"""An independent audit of DESIGN sections 4 (version 2 additions) and 5 (contract and cost rules).

The figures here come from a small reference model written straight from DESIGN's text, not from
the analyzer's code; each test compares the analyzer's monthly tables with it. The rules, as
checkable statements:

- Months: month 0 is the month of ``analysis_start``; the horizon is months 0 .. H - 1. A payment
  dated before ``analysis_start`` is sunk, one in month H or later is not counted.
- A term runs ``start`` .. ``end`` (both inside); its length is the months from ``start`` to
  ``end + 1 day``, rounded; its notice deadline is ``end - notice_days``. Renewals of
  ``renewal_term_months`` follow back to back; each multiplies the seat price by
  ``1 + uplift_pct / 100``, capped (``uplift_cap: list``) at the list price in the profile's
  currency grown by ``list_growth_pct`` for each whole year from the analysis start.
- Annual billing: an invoice on the first day of each 12-month period of a term, a shorter last
  period billed for its months only; monthly billing: an invoice each month of the term.
- Seats added mid-term are invoiced at once, pro rata for the whole months left in the period.
- ``prepaid_after_horizon``: each invoice dated inside the horizon whose service period runs past
  the horizon's end is credited (whole months after / months of the period) in month H - 1.
- NPV sums ``decision(m) / (1 + r) ** (m / 12)``; the break-even month is the first month from
  which the scenario's cumulative decision cost stays at or below Stay's to the end, None when
  there is none or when the two never differ.
- Stay renews the purchased seats at the current price through the horizon.
- Downgrade takes effect the day after the end of the first term whose deadline is on or after
  ``analysis_start``; renewals from then on hold the roles' seats, the price rising from the
  second downgraded term on; ``downgrade_one_time_cost`` falls on the effective date.
- Switch: go-live ``migration.months`` after the start, the old system needed until go-live +
  ``overlap_months``; the normal exit is the end of the first term ending by then whose deadline
  is not past; the early exit (``prorated`` / ``full_within_days``) is taken only when its
  decision total is lower. The target starts with ``project_seats`` (default 5, at most the seats
  needed) in 12-month terms, adds the other seats co-terminously at go-live, renews all seats
  with its uplift (catalog, else ``target_uplift_pct``) capped at list; a quote is net unless
  ``list: true``. Onboarding in month 0; migration, integrations and customization (and the most
  likely overrun on them) spread over the project months (month 0 without any); training in the
  go-live month; running costs from go-live, without uplift.

Where DESIGN allows two readings, the reference follows the analyzer and says so at the spot:
an exact half-month in a term's length, where the last period of a term of rounded length ends,
and the current contract's ``uplift_cap`` and ``list_growth_pct`` applied to a switch target's
list cap too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.analysis import analyze
from analyzer.catalog import load_catalog
from analyzer.costs import break_even_month
from tests.conftest import FIXTURES, GOLDEN, GOLDEN_TODAY, golden_profile

D = dt.date
SWITCH = "switch:target/standard"
DOWNGRADE = "downgrade:legacy/enterprise"
AUDIT = settings(max_examples=25, deadline=None)


# --- the reference model, from DESIGN's text alone ------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole calendar months, clamped to the month's last day (Jan 31 + 1 =
    Feb 28)."""
    return day + relativedelta(months=months)


def month_of(day: dt.date, start: dt.date) -> int:
    """The month bucket of ``day``: 0 for the month of ``start``."""
    return (day.year - start.year) * 12 + day.month - start.month


def whole_months(since: dt.date, until: dt.date) -> int:
    """The whole months from ``since`` to ``until`` (0 when ``until`` is not later)."""
    months = (until.year - since.year) * 12 + until.month - since.month
    if add_months(since, months) > until:
        months -= 1
    return max(months, 0)


def term_length(start: dt.date, end: dt.date) -> int:
    """Months from ``start`` to the day after ``end``, rounded to the nearest whole month."""
    after = end + dt.timedelta(days=1)
    months = whole_months(start, after)
    left = (after - add_months(start, months)).days
    month_days = (add_months(start, months + 1) - add_months(start, months)).days
    # An exact half goes to the even month, as Python's round() does: DESIGN's "nearest"
    # has no answer there (12.5 months is 12, 13.5 is 14).
    return round(months + left / month_days)


def whole_years(since: dt.date, until: dt.date) -> int:
    return whole_months(since, until) // 12


@dataclass(frozen=True)
class Term:
    start: dt.date
    end: dt.date

    @property
    def months(self) -> int:
        return term_length(self.start, self.end)


@dataclass(frozen=True)
class Payment:
    """A dated payment; an invoice also has its service period (``months`` > 0)."""

    day: dt.date
    component: str
    amount: float
    months: int = 0
    service_end: dt.date | None = None


@dataclass
class Ledger:
    """The payments of one scenario and the horizon they are read over."""

    start: dt.date
    horizon: int
    payments: list[Payment] = field(default_factory=list)

    @property
    def horizon_end(self) -> dt.date:
        return add_months(self.start.replace(day=1), self.horizon)

    def counted(self, payment: Payment) -> bool:
        return payment.day >= self.start and month_of(payment.day, self.start) < self.horizon

    def cash(self) -> dict[tuple[int, str], float]:
        """Counted amounts by (month, component)."""
        table: dict[tuple[int, str], float] = {}
        for p in self.payments:
            if self.counted(p) and p.amount:
                key = (month_of(p.day, self.start), p.component)
                table[key] = table.get(key, 0.0) + p.amount
        return table

    def credit(self) -> float:
        """The decision view's credit for the whole months paid for after the horizon."""
        total = 0.0
        for p in self.payments:
            if self.counted(p) and p.months:
                after = whole_months(self.horizon_end, p.service_end)
                total -= p.amount * after / p.months
        return total

    def monthly_decision(self) -> list[float]:
        months = [0.0] * self.horizon
        for (month, _), amount in self.cash().items():
            months[month] += amount
        months[-1] += self.credit()
        return months


def renewal_chain(contract, until: dt.date) -> list[Term]:
    """The current term and its renewals, up to the first one starting on or after ``until``."""
    terms = [Term(contract.start, contract.end)]
    while contract.auto_renew and terms[-1].end < until:
        start = terms[-1].end + dt.timedelta(days=1)
        terms.append(Term(start, add_months(start, contract.renewal_term_months) - dt.timedelta(1)))
    return terms


def notice_deadline(term: Term, contract) -> dt.date:
    return term.end - dt.timedelta(days=contract.notice_days)


def invoice_periods(term: Term, billing: str) -> list[tuple[dt.date, int, dt.date]]:
    """(invoice day, months paid, service end) for each invoice of a term."""
    total = term.months
    step = 12 if billing == "annual" else 1
    periods = []
    for first in range(0, total, step):
        months = min(step, total - first)
        day = add_months(term.start, first)
        # A period paid for N months serves N months from its invoice day, as the analyzer
        # reads it; DESIGN also allows "to the term's end" for a term of rounded length (a
        # last period of 2026-08-31 .. 2027-07-31 billed as 11 months).
        periods.append((day, months, add_months(day, months)))
    return periods


def capped(price: float, uplift_pct: float, cap: float | None) -> float:
    raised = price * (1 + float(uplift_pct) / 100)
    return raised if cap is None else min(raised, cap)


def list_cap(profile, list_price: float, day: dt.date) -> float | None:
    """The current contract's cap on a renewal starting ``day``."""
    contract = profile.current.contract
    if contract.uplift_cap == "none":
        return None
    growth = (1 + contract.list_growth_pct / 100) ** whole_years(profile.analysis_start, day)
    return list_price * growth


def current_invoices(profile, terms, seats, prices, lists, first_term=0) -> list[Payment]:
    """Invoices of ``seats`` per license over ``terms``; the price of ``terms[first_term]`` is
    ``prices`` and rises at each later term."""
    contract = profile.current.contract
    payments = []
    price = dict(prices)
    for index, term in enumerate(terms):
        if index > first_term:
            price = {
                lic: capped(p, contract.uplift_pct, list_cap(profile, lists[lic], term.start))
                for lic, p in price.items()
            }
        if index < first_term:
            continue
        for day, months, end in invoice_periods(term, profile.current.billing):
            amount = sum(seats[lic] * price[lic] * months for lic in seats)
            payments.append(Payment(day, "licenses_current", amount, months, end))
    return payments


LEGACY_LIST = {"full": 175.0, "platform": 25.0}


def stay_ledger(profile) -> Ledger:
    ledger = Ledger(profile.analysis_start, profile.horizon_months)
    terms = renewal_chain(profile.current.contract, ledger.horizon_end)
    seats = profile.current.seats
    prices = {lic: float(profile.current.prices.get(lic, LEGACY_LIST[lic])) for lic in seats}
    ledger.payments = current_invoices(profile, terms, seats, prices, LEGACY_LIST)
    return ledger


def decision_term_index(profile, terms) -> int:
    """The first term whose notice deadline is on or after the analysis start."""
    contract = profile.current.contract
    return next(
        i for i, t in enumerate(terms) if notice_deadline(t, contract) >= profile.analysis_start
    )


def downgrade_ledger(profile, seats: dict[str, int], one_time: float = 0.0) -> Ledger:
    """Legacy Enterprise with ``seats`` per license from the effective date; a license held
    today keeps its paid price (the worked example's 150), another one starts at its list price
    less ``discount_pct``."""
    ledger = Ledger(profile.analysis_start, profile.horizon_months)
    contract = profile.current.contract
    terms = renewal_chain(contract, add_months(ledger.horizon_end, 24))
    first = decision_term_index(profile, terms)
    held = profile.current.seats
    paid = {lic: float(profile.current.prices.get(lic, LEGACY_LIST[lic])) for lic in held}
    old = current_invoices(profile, terms[: first + 1], held, paid, LEGACY_LIST)
    ledger.payments = old
    base = {
        lic: paid[lic] if lic in held else LEGACY_LIST[lic] * (1 - profile.discount_pct / 100)
        for lic in seats
    }
    ledger.payments += current_invoices(
        profile, terms[first + 1 :], seats, base, LEGACY_LIST, first_term=0
    )
    effective = terms[first].end + dt.timedelta(days=1)
    ledger.payments.append(Payment(effective, "one_time_other", one_time))
    return ledger


@dataclass(frozen=True)
class Target:
    """One target license as the fixture catalog sells it, converted into USD."""

    price: float  # the first term's seat price, after any discount
    cap: float | None  # the list price renewals are capped at (None: no list)
    billing: str
    uplift_pct: float
    onboarding: float = 0.0
    flat: bool = False  # a flat monthly price, whatever the seats


def target_invoices(profile, target: Target, needed: list[int]) -> list[Payment]:
    """The target subscription: project seats from the start, all ``needed`` seats at go-live,
    12-month terms from the analysis start."""
    start = profile.analysis_start
    migration = profile.migration
    go_live = add_months(start, migration.months)
    seats = 1 if target.flat else sum(needed)
    project = seats if target.flat else min(migration.project_seats, seats)
    last = add_months(start.replace(day=1), profile.horizon_months)
    payments = []
    price = target.price
    year = 0
    while add_months(start, 12 * year) < last:
        term_start, term_end = add_months(start, 12 * year), add_months(start, 12 * (year + 1))
        if year:
            # Read as the analyzer does (DESIGN is open to two readings here): the current
            # contract's `uplift_cap` and `list_growth_pct` govern the target's cap too.
            cap = None if target.cap is None else list_cap(profile, target.cap, term_start)
            price = capped(price, target.uplift_pct, cap)
        step = 12 if target.billing == "annual" else 1
        for first in range(0, 12, step):
            day = add_months(start, 12 * year + first)
            end = add_months(start, 12 * year + first + step)
            held = seats if day >= go_live else project
            payments.append(Payment(day, "licenses_target", held * price * step, step, end))
        if target.billing == "annual" and term_start < go_live < term_end:
            months = whole_months(go_live, term_end)
            added = (seats - project) * price * months
            payments.append(Payment(go_live, "licenses_target", added, months, term_end))
        year += 1
    return payments


def project_costs(profile, users: int, onboarding: float) -> list[Payment]:
    """Onboarding in month 0, the three project costs and their most likely overrun spread over
    the project months, training in the go-live month."""
    m = profile.migration
    start = profile.analysis_start
    spread = {
        "data_migration": m.records / 1000 * m.cost_per_thousand_records + m.fixed_cost,
        "integrations": m.integrations * m.cost_per_integration,
        "customization": m.customization_hours * m.hourly_rate,
    }
    spread["project_overrun"] = sum(spread.values()) * sorted(m.overrun_pct)[1] / 100
    months = max(m.months, 1)
    payments = [Payment(start, "onboarding_fee", onboarding)]
    for component, amount in spread.items():
        payments += [
            Payment(add_months(start, i), component, amount / months) for i in range(months)
        ]
    training = users * m.training_hours_per_user * m.hourly_rate
    payments.append(Payment(add_months(start, m.months), "training", training))
    return payments


@dataclass(frozen=True)
class Exit:
    kind: str
    day: dt.date


def old_side(profile) -> tuple[list[Payment], list[tuple[Exit, list[Payment]]]]:
    """The old contract's payments under a switch: the normal exit's invoices, and each early
    exit the refund policy allows as (exit, payments)."""
    contract = profile.current.contract
    start = profile.analysis_start
    needed = add_months(
        add_months(start, profile.migration.months), profile.migration.overlap_months
    )
    terms = renewal_chain(contract, add_months(max(needed, start), 24))
    held = profile.current.seats
    paid = {lic: float(profile.current.prices.get(lic, LEGACY_LIST[lic])) for lic in held}
    invoices = current_invoices(profile, terms, held, paid, LEGACY_LIST)
    normal = next(
        t.end + dt.timedelta(days=1)
        for t in terms
        if t.end + dt.timedelta(days=1) >= needed and notice_deadline(t, contract) >= start
    )
    normal_payments = [p for p in invoices if p.day < normal]
    early = []
    inside = [t for t in terms if t.start <= needed <= t.end]
    if contract.refund != "none" and inside and needed < normal:
        (term,) = inside
        of_term = [p for p in invoices if term.start <= p.day <= term.end]
        paid_now = [p for p in invoices if p.day < needed]
        unbilled = sum(p.amount for p in of_term if p.day >= needed)
        full = contract.refund == "full_within_days" and (
            needed <= term.start + dt.timedelta(days=contract.full_refund_days)
        )
        if full:
            refunded = [(p, p.months) for p in of_term if p.day < needed]
        else:
            refunded = [
                (p, whole_months(needed, p.service_end))
                for p in of_term
                if p.day < needed < p.service_end
            ]
        # A refund pays back months of its invoice's service period: the credit that invoice
        # has for months after the horizon is given back with it, so no month is refunded
        # twice. (A sunk invoice has no credit to give back.)
        refunds = [
            Payment(
                needed,
                "refund",
                -p.amount * months / p.months,
                months if p.day >= start else 0,
                p.service_end,
            )
            for p, months in refunded
            if months
        ]
        refund = -sum(r.amount for r in refunds)
        fee = 0.0 if full else contract.early_termination_fee_pct / 100 * (refund + unbilled)
        payments = paid_now + refunds + [Payment(needed, "termination_fee", fee)]
        early.append((Exit("early", needed), payments))
    return (Exit("term_end", normal), normal_payments), early


def switch_ledger(profile, target: Target, needed: list[int]) -> tuple[Exit, Ledger]:
    """The switch's ledger with the exit DESIGN says is taken (early only when cheaper)."""

    def ledger_of(old: list[Payment]) -> Ledger:
        ledger = Ledger(profile.analysis_start, profile.horizon_months)
        ledger.payments = (
            old
            + target_invoices(profile, target, needed)
            + project_costs(profile, sum(needed), target.onboarding)
        )
        return ledger

    (normal, normal_old), early = old_side(profile)
    best = (normal, ledger_of(normal_old))
    for exit_, old in early:
        candidate = ledger_of(old)
        if sum(candidate.monthly_decision()) < sum(best[1].monthly_decision()) - 1e-6:
            best = (exit_, candidate)
    return best


# --- reading the analyzer's result ----------------------------------------------------------


def program_cash(result, scenario_id) -> dict[tuple[int, str], float]:
    """The analyzer's non-zero cash amounts by (month, component)."""
    table = result.monthly[scenario_id].drop(columns="prepaid_after_horizon")
    return {
        (month, component): amount
        for month, (_, row) in enumerate(table.iterrows())
        for component, amount in row.items()
        if abs(amount) > 1e-9
    }


def program_credit(result, scenario_id) -> dict[int, float]:
    column = result.monthly[scenario_id]["prepaid_after_horizon"].to_numpy()
    return {month: amount for month, amount in enumerate(column) if abs(amount) > 1e-9}


def assert_same_money(result, scenario_id, ledger: Ledger) -> None:
    """The analyzer's cash table, credit, totals and NPV equal the reference ledger's."""
    expected = {key: amount for key, amount in ledger.cash().items() if abs(amount) > 1e-9}
    assert program_cash(result, scenario_id) == pytest.approx(expected, rel=1e-9, abs=1e-6)
    credit = ledger.credit()
    expected_credit = {ledger.horizon - 1: credit} if abs(credit) > 1e-9 else {}
    assert program_credit(result, scenario_id) == pytest.approx(
        expected_credit, rel=1e-12, abs=1e-6
    )
    row = result.scenarios.loc[scenario_id]
    decision = ledger.monthly_decision()
    assert row["cash_total"] == pytest.approx(sum(ledger.cash().values()), rel=1e-12, abs=1e-6)
    assert row["total"] == pytest.approx(sum(decision), rel=1e-12, abs=1e-6)
    rate = result.profile.discount_rate
    npv = sum(amount / (1 + rate) ** (m / 12) for m, amount in enumerate(decision))
    assert row["npv"] == pytest.approx(npv, rel=1e-12, abs=1e-6)


def reference_break_even(scenario: list[float], stay: list[float]) -> int | None:
    """The first month from which the scenario's cumulative cost stays at or below Stay's."""
    if all(abs(a - b) <= 1e-6 for a, b in zip(scenario, stay, strict=True)):
        return None
    ours = theirs = 0.0
    cumulative = []
    for a, b in zip(scenario, stay, strict=True):
        ours, theirs = ours + a, theirs + b
        cumulative.append(ours - theirs)
    for month in range(len(cumulative)):
        if all(gap <= 1e-6 for gap in cumulative[month:]):
            return month
    return None


# --- a bounded family of profiles -----------------------------------------------------------

MONTH_ENDS = [D(2024, 1, 31), D(2024, 2, 29), D(2025, 2, 28), D(2024, 8, 31), D(2025, 3, 31)]


@st.composite
def contracts(draw):
    """A current contract and an analysis start around it (month ends included)."""
    start = draw(st.one_of(st.dates(D(2023, 1, 1), D(2027, 6, 30)), st.sampled_from(MONTH_ENDS)))
    months = draw(st.sampled_from([1, 6, 12, 18, 24, 36]))
    whole = add_months(start, months) - dt.timedelta(days=1)
    # Also terms of any length, whose months are rounded and whose last period is shorter.
    end = draw(st.sampled_from([whole, start + dt.timedelta(days=draw(st.integers(20, 1100)))]))
    analysis_start = draw(st.dates(start - dt.timedelta(days=60), end + dt.timedelta(days=400)))
    contract = {
        "start": start,
        "end": end,
        "renewal_term_months": draw(st.sampled_from([1, 6, 12, 24, 36, 60])),
        "notice_days": draw(st.integers(0, 90)),
        "uplift_pct": draw(st.integers(0, 20)),
        "uplift_cap": draw(st.sampled_from(["list", "none"])),
        "list_growth_pct": draw(st.sampled_from([0, 3, 10])),
        "refund": draw(st.sampled_from(["none", "prorated", "full_within_days"])),
        "full_refund_days": draw(st.integers(0, 60)),
        "early_termination_fee_pct": draw(st.integers(0, 100)),
    }
    return analysis_start, contract


RUNNING_COST_CHOICES = [
    [],
    [{"product": "selfhost", "name": "Hosting", "amount": 300, "currency": "EUR"}],
    [
        {
            "product": "selfhost",
            "name": "Support plan",
            "amount": 2,
            "currency": "USD",
            "unit": "per_user_month",
        }
    ],
]


def running_costs(profile, users: int) -> list[Payment]:
    """The self-hosted fixture's running costs each month from go-live: the catalog's hosting
    (400 flat) and administration (10 a user), a profile item of the same name replacing a
    catalog item, other profile items added; no uplift."""
    items = {"Hosting": (400.0, "flat_month"), "Administration": (10.0, "per_user_month")}
    for item in profile.running_costs:
        items[item.name] = (float(item.amount) * profile.fx.get(item.currency, 1.0), item.unit)
    monthly = sum(a * (users if unit == "per_user_month" else 1) for a, unit in items.values())
    start = profile.analysis_start
    first = profile.migration.months
    return [
        Payment(add_months(start, m), "running_costs", monthly)
        for m in range(first, profile.horizon_months + 1)
    ]


def quotes():
    """A quote for the quote-only fixture tier."""
    return st.fixed_dictionaries(
        {
            "product": st.just("quoted"),
            "tier": st.just("custom"),
            "amount": st.sampled_from([40, 95, 2_000]),
            "currency": st.sampled_from(["USD", "EUR"]),
            "unit": st.sampled_from(["per_user_month", "flat_month"]),
            "billing": st.sampled_from(["annual", "monthly"]),
            "list": st.booleans(),
        }
    )


@st.composite
def audit_profiles(draw):
    analysis_start, contract = draw(contracts())
    sellers = draw(st.integers(1, 80))
    viewers = draw(st.integers(1, 30))
    platform_held = draw(st.booleans())
    seats = {"full": sellers + draw(st.integers(0, 10))}
    prices = {"full": draw(st.integers(50, 250))}
    if platform_held:
        seats["platform"] = viewers + draw(st.integers(0, 5))
        prices["platform"] = draw(st.integers(10, 40))
    roles = golden_profile().model_dump()["roles"]
    roles[0]["seats"], roles[1]["seats"] = sellers, viewers
    return golden_profile(
        fx={"EUR": draw(st.sampled_from([0.9, 1.1, 1.37]))},
        analysis_start=analysis_start,
        horizon_months=draw(st.integers(1, 120)),
        discount_rate=draw(st.sampled_from([0.0, 0.08, 0.25])),
        contract=contract,
        current={
            "seats": seats,
            "prices": prices,
            "billing": draw(st.sampled_from(["annual", "monthly"])),
        },
        roles=roles,
        discount_pct=draw(st.sampled_from([0, 10, 35])),
        downgrade_one_time_cost=draw(st.sampled_from([0, 2_500])),
        target_discount_pct=draw(st.sampled_from([0, 10])),
        target_uplift_pct=draw(st.sampled_from([0, 5, 12])),
        target_billing=draw(st.sampled_from(["annual", "monthly"])),
        quotes=draw(st.lists(quotes(), max_size=1)),
        running_costs=draw(st.sampled_from(RUNNING_COST_CHOICES)),
        migration={
            "months": draw(st.integers(0, 14)),
            "overlap_months": draw(st.integers(0, 3)),
            "project_seats": draw(st.integers(0, 120)),
            "records": draw(st.integers(0, 2_000_000)),
            "cost_per_thousand_records": 3,
            "fixed_cost": draw(st.sampled_from([0, 10_000])),
            "integrations": draw(st.integers(0, 4)),
            "cost_per_integration": 2_000,
            "customization_hours": draw(st.sampled_from([0, 120])),
            "hourly_rate": 90,
            "training_hours_per_user": draw(st.sampled_from([0, 3])),
            "overrun_pct": draw(st.sampled_from([(0, 0, 0), (10, 25, 60), (40, 50, 60)])),
        },
    )


def targets(profile) -> dict[str, Target]:
    """The fixture catalog's single-license targets, as DESIGN prices them for ``profile``."""
    off = 1 - profile.target_discount_pct / 100
    quoted = {}
    for quote in profile.quotes:
        price = float(quote.amount) * (profile.fx.get(quote.currency, 1.0))
        quoted["switch:quoted/custom"] = Target(
            price * off if quote.list else price,  # a quote is net unless `list: true`
            price if quote.list else None,
            quote.billing,
            profile.target_uplift_pct,
            flat=quote.unit == "flat_month",
        )
    monthly = profile.target_billing == "monthly"
    premium = 130.0 if monthly else 120.0
    euro = 80 * profile.fx["EUR"]  # 80 EUR a seat, in USD
    return {
        SWITCH: Target(100 * off, 100, "annual", 5, 3000),
        "switch:premium/standard": Target(
            premium * off, premium, "monthly" if monthly else "annual", 5
        ),
        "switch:euro/monthly": Target(euro * off, euro, "monthly", profile.target_uplift_pct),
    } | quoted


def check_stay(profile, result) -> None:
    assert_same_money(result, "stay", stay_ledger(profile))


def check_downgrade(profile, result) -> None:
    seats = {"full": profile.roles[0].seats, "platform": profile.roles[1].seats}
    ledger = downgrade_ledger(profile, seats, profile.downgrade_one_time_cost)
    assert_same_money(result, DOWNGRADE, ledger)
    effective = ledger.payments[-1].day  # the one-time cost falls on the effective date
    assert result.scenarios.loc[DOWNGRADE, "effective_date"] == effective


def check_switches(profile, result) -> None:
    needed = [role.seats for role in profile.roles]
    stay = stay_ledger(profile).monthly_decision()
    for scenario_id, target in targets(profile).items():
        exit_, ledger = switch_ledger(profile, target, needed)
        row = result.scenarios.loc[scenario_id]
        assert (row["exit_kind"], row["exit_date"]) == (exit_.kind, exit_.day), scenario_id
        assert row["go_live"] == add_months(profile.analysis_start, profile.migration.months)
        assert_same_money(result, scenario_id, ledger)
        month = None if pd.isna(row["break_even_month"]) else row["break_even_month"]
        assert month == reference_break_even(ledger.monthly_decision(), stay), scenario_id
    _, hosted = switch_ledger(profile, Target(0.0, None, "monthly", 0.0), needed)
    hosted.payments += running_costs(profile, sum(needed))
    assert_same_money(result, "switch:selfhost/community", hosted)


@AUDIT
@given(audit_profiles())
def test_stay_matches_the_reference(profile):
    check_stay(profile, analyze(profile, GOLDEN))


@AUDIT
@given(audit_profiles())
def test_downgrade_matches_the_reference(profile):
    check_downgrade(profile, analyze(profile, GOLDEN))


@AUDIT
@given(audit_profiles())
def test_switches_match_the_reference(profile):
    check_switches(profile, analyze(profile, GOLDEN))


# --- DESIGN section 5's worked example, to the cent -----------------------------------------


def cents(result, scenario_id) -> tuple[float, float]:
    row = result.scenarios.loc[scenario_id]
    return round(row["cash_total"], 2), round(row["total"], 2)


def test_the_worked_example_to_the_cent():
    result = analyze(golden_profile(), GOLDEN)
    # Stay: 115,560.00 + 123,649.20 + 126,000.00 = 365,209.20; less 126,000 x 6/12 = 63,000.
    assert cents(result, "stay") == (365_209.20, 302_209.20)
    # Downgrade: 76,500.00 + 81,540.00 + 86,932.80 = 244,972.80; less 86,932.80 / 2 = 43,466.40.
    assert cents(result, DOWNGRADE) == (244_972.80, 201_506.40)
    # Switch: 6,000 + 40,000 + 66,000 + 66,000 = 178,000 and the 3,000 onboarding fee.
    assert cents(result, SWITCH) == (181_000.00, 181_000.00)
    assert round(result.monthly["stay"]["prepaid_after_horizon"].iloc[-1], 2) == -63_000.00
    assert round(result.monthly[DOWNGRADE]["prepaid_after_horizon"].iloc[-1], 2) == -43_466.40


def test_the_worked_example_variant_renews_under_a_list_price_of_120():
    quote = {"product": "premium", "tier": "standard", "amount": 100, "currency": "USD"}
    result = analyze(golden_profile(quotes=[quote]), GOLDEN)
    target = result.monthly["switch:premium/standard"]["licenses_target"]
    # 55 x 100 x 1.05 x 12 = 69,300.00; 55 x 100 x 1.05^2 x 12 = 72,765.00.
    assert round(target["2027-12"], 2) == 69_300.00
    assert round(target["2028-12"], 2) == 72_765.00


def test_the_reference_reproduces_the_worked_example():
    """The reference model itself is checked on DESIGN's own figures."""
    profile = golden_profile()
    stay = stay_ledger(profile)
    assert round(sum(stay.cash().values()), 2) == 365_209.20
    assert round(stay.credit(), 2) == -63_000.00
    downgrade = downgrade_ledger(profile, {"full": 40, "platform": 15})
    assert round(sum(downgrade.cash().values()), 2) == 244_972.80
    assert round(downgrade.credit(), 2) == -43_466.40
    exit_, switch = switch_ledger(profile, targets(profile)[SWITCH], [40, 15])
    assert exit_ == Exit("term_end", D(2027, 6, 1))
    licenses = {m: a for (m, c), a in switch.cash().items() if c == "licenses_target"}
    assert licenses == {0: 6_000.0, 4: 40_000.0, 12: 66_000.0, 24: 66_000.0}


# --- boundaries, each against the reference and a figure worked out by hand -----------------


def all_against_reference(profile):
    result = analyze(profile, GOLDEN)
    check_stay(profile, result)
    check_downgrade(profile, result)
    check_switches(profile, result)
    return result


def test_a_deadline_on_the_analysis_start_is_still_ahead():
    # Deadline 2027-05-31 - 30 = 2027-05-01 = the analysis start: the downgrade and the exit
    # come at the end of the current term.
    now = {"months": 0, "overlap_months": 0}
    result = all_against_reference(golden_profile(analysis_start="2027-05-01", migration=now))
    assert result.scenarios.loc[DOWNGRADE, "effective_date"] == D(2027, 6, 1)
    assert result.scenarios.loc[SWITCH, "exit_date"] == D(2027, 6, 1)
    # A day later the deadline has passed: one more renewal term first.
    late = all_against_reference(golden_profile(analysis_start="2027-05-02", migration=now))
    assert late.scenarios.loc[DOWNGRADE, "effective_date"] == D(2028, 6, 1)
    assert late.scenarios.loc[SWITCH, "exit_date"] == D(2028, 6, 1)


def test_no_notice_days_puts_the_deadline_on_the_last_day_of_the_term():
    profile = golden_profile(analysis_start="2027-05-31", contract={"notice_days": 0})
    result = all_against_reference(profile)
    assert result.scenarios.loc[DOWNGRADE, "effective_date"] == D(2027, 6, 1)


def test_a_term_ending_on_the_horizons_last_day_leaves_nothing_to_credit():
    # Term 2026-12-01 .. 2029-11-30, invoices 2026-12, 2027-12, 2028-12 of 60 x 150 x 12.
    profile = golden_profile(contract={"start": "2026-12-01", "end": "2029-11-30"})
    result = all_against_reference(profile)
    assert cents(result, "stay") == (324_000.00, 324_000.00)  # 3 x 108,000


def test_a_one_month_horizon_credits_eleven_twelfths_of_a_yearly_invoice():
    profile = golden_profile(
        analysis_start="2027-06-01", horizon_months=1, migration={"months": 0, "overlap_months": 0}
    )
    result = all_against_reference(profile)
    # The 2027-06 renewal (deadline passed) 115,560.00; 11 of its 12 months after 2027-06.
    assert cents(result, "stay") == (115_560.00, 9_630.00)


def test_the_last_invoice_one_month_before_the_horizons_end():
    # Horizon 2026-12 .. 2029-11; a term from 2025-10-01 invoices 2026-10 (sunk), 2027-10,
    # 2028-10 (renewals from 2027-10 at +7%) ... the 2029-10 invoice pays 2029-10 .. 2030-09,
    # 10 of its months after 2029-11.
    profile = golden_profile(contract={"start": "2025-10-01", "end": "2026-09-30"})
    result = all_against_reference(profile)
    # The current term ended before the analysis start: the 2026-10 renewal at 160.50 is sunk;
    # 2027-10 at 171.735, 2028-10 at 175 (capped), 2029-10 at 175.
    credit = result.monthly["stay"]["prepaid_after_horizon"].iloc[-1]
    assert round(credit, 2) == -60 * 175 * 12 * 10 / 12  # -105,000.00


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2024-01-31", "2025-01-30"),  # from a month's last day
        ("2024-02-29", "2025-02-28"),  # from a leap day
        ("2023-03-31", "2024-03-30"),  # over a leap February
        ("2025-08-31", "2026-08-30"),
    ],
)
@pytest.mark.parametrize("billing", ["annual", "monthly"])
@pytest.mark.parametrize("renewal", [1, 12])
def test_month_end_and_leap_day_terms(start, end, billing, renewal):
    profile = golden_profile(
        analysis_start="2026-01-15",
        contract={"start": start, "end": end, "renewal_term_months": renewal},
        current={"billing": billing},
    )
    all_against_reference(profile)


# 60 x 150 = 9,000 a month of service; the first renewal (60 x 160.50 x 12 = 115,560) starts
# the day after the end.
@pytest.mark.parametrize(
    ("end", "months", "first_invoices"),
    [
        # 12 months and 10 days of 31: 12; the renewal on 2026-01-11.
        ("2026-01-10", 12, {"2025-01": 108_000, "2026-01": 115_560}),
        # 12 months and 20 days of 31: 13, the last period of 1 month beside the renewal.
        ("2026-01-20", 13, {"2025-01": 108_000, "2026-01": 9_000 + 115_560}),
        # 11 months and 20 days of 31: 12.
        ("2025-12-20", 12, {"2025-01": 108_000, "2025-12": 115_560}),
        # 18 months and 5 days: 18, the second period of 6 months.
        ("2026-07-05", 18, {"2025-01": 108_000, "2026-01": 54_000, "2026-07": 115_560}),
    ],
)
def test_a_term_length_is_rounded_to_whole_months(end, months, first_invoices):
    profile = golden_profile(
        analysis_start="2024-12-15", contract={"start": "2025-01-01", "end": end}
    )
    assert Term(D(2025, 1, 1), D.fromisoformat(end)).months == months
    result = all_against_reference(profile)
    invoices = result.monthly["stay"]["licenses_current"]
    paid = {str(month): round(amount, 2) for month, amount in invoices.items() if amount}
    assert dict(list(paid.items())[: len(first_invoices)]) == first_invoices


# --- the target's seat ramp, on a small catalog of its own ----------------------------------

PRICE = "currency: USD, source: https://ramp.example.com/pricing, as_of: 2026-01-01"
RAMP_PRODUCTS = {
    # Full seats at 100 and dashboard-only seats at 30, both annual; API access an add-on at 20.
    "ramp": f"""
id: ramp
vendor: Ramp Ltd.
name: Ramp CRM
website: https://ramp.example.com
hosting: [saas]
contract: {{renewal_uplift_pct: 4}}
tiers:
  - id: team
    name: Team
    features: {{contact_management: full, opportunity_management: full, forecasting: full,
      dashboards: full, api_access: addon}}
    addons:
      - feature: api_access
        name: API
        price: {{amount: 20, {PRICE}}}
    license_types:
      - id: seat
        name: Seat
        price: {{amount: 100, {PRICE}}}
      - id: lite
        name: Lite
        price: {{amount: 30, {PRICE}}}
        features: {{contact_management: full, dashboards: full}}
""",
    # One seat at 50 with a minimum of 10 seats.
    "floor": f"""
id: floor
vendor: Floor Ltd.
name: Floor CRM
website: https://floor.example.com
hosting: [saas]
contract: {{renewal_uplift_pct: 0}}
tiers:
  - id: basic
    name: Basic
    limits: {{min_seats: 10}}
    features: {{contact_management: full, opportunity_management: full, forecasting: full,
      dashboards: full, api_access: full}}
    license_types:
      - id: seat
        name: Seat
        price: {{amount: 50, {PRICE}}}
""",
}


@pytest.fixture(scope="module")
def ramp_catalog(tmp_path_factory):
    root = tmp_path_factory.mktemp("ramp_catalog")
    (root / "products").mkdir()
    (root / "features.yaml").write_text((FIXTURES / "model_catalog" / "features.yaml").read_text())
    for product, text in RAMP_PRODUCTS.items():
        (root / "products" / f"{product}.yaml").write_text(text)
    legacy = FIXTURES / "model_catalog" / "products" / "legacy.yaml"
    (root / "products" / "legacy.yaml").write_text(legacy.read_text())
    return load_catalog(root, today=GOLDEN_TODAY)


VIEWERS_FIRST = [
    {"id": "viewers", "name": "Viewers", "seats": 15, "needs": {"dashboards": "must"}},
    {
        "id": "sellers",
        "name": "Sellers",
        "seats": 40,
        "needs": {"opportunity_management": "must", "forecasting": 4},
    },
]


def target_invoices_of(result, scenario_id, component="licenses_target"):
    table = result.monthly[scenario_id][component]
    return {str(month): round(amount, 2) for month, amount in table.items() if amount}


def test_project_seats_are_taken_from_the_roles_in_profile_order(ramp_catalog):
    profile = golden_profile(roles=VIEWERS_FIRST, migration={"project_seats": 20})
    result = analyze(profile, ramp_catalog)
    assert target_invoices_of(result, "switch:ramp/team") == {
        "2026-12": 11_400.0,  # 15 viewers x 30 x 12 + 5 sellers x 100 x 12
        "2027-04": 28_000.0,  # 35 more sellers x 100 x 8 months to 2027-11
        "2027-12": 53_400.0,  # (15 x 30 + 40 x 100) x 12: +4% capped at list
        "2028-12": 53_400.0,
    }
    sellers_first = golden_profile(roles=VIEWERS_FIRST[::-1], migration={"project_seats": 20})
    reordered = analyze(sellers_first, ramp_catalog)
    assert target_invoices_of(reordered, "switch:ramp/team")["2026-12"] == 24_000.0  # 20 x 100 x 12
    # 20 more sellers at 100 and 15 viewers at 30 for 8 months: (2,000 + 450) x 8 = 19,600.
    assert target_invoices_of(reordered, "switch:ramp/team")["2027-04"] == 19_600.0


def test_project_seats_never_fall_below_the_tiers_minimum(ramp_catalog):
    result = analyze(golden_profile(roles=VIEWERS_FIRST), ramp_catalog)
    assert target_invoices_of(result, "switch:floor/basic") == {
        "2026-12": 6_000.0,  # 5 project seats raised to the minimum 10: 10 x 50 x 12
        "2027-04": 18_000.0,  # 45 more x 50 x 8 months
        "2027-12": 33_000.0,  # 55 x 50 x 12
        "2028-12": 33_000.0,
    }


def test_project_seats_are_at_most_the_seats_needed(ramp_catalog):
    few = [{"id": "viewers", "name": "Viewers", "seats": 3, "needs": {"dashboards": "must"}}]
    result = analyze(golden_profile(roles=few, migration={"project_seats": 8}), ramp_catalog)
    # 3 viewers from the start (not 8), no seat left to add at go-live; renewals for 3.
    assert target_invoices_of(result, "switch:ramp/team") == {
        "2026-12": 1_080.0,  # 3 x 30 x 12
        "2027-12": 1_080.0,
        "2028-12": 1_080.0,
    }


def test_seats_padded_to_the_minimum_are_bought_from_the_start_but_train_nobody(ramp_catalog):
    few = [{"id": "viewers", "name": "Viewers", "seats": 3, "needs": {"dashboards": "must"}}]
    migration = {"training_hours_per_user": 2, "hourly_rate": 100}
    result = analyze(golden_profile(roles=few, migration=migration), ramp_catalog)
    assert result.scenarios.loc["switch:floor/basic", "seats"] == 10
    # 10 seats (3 needed, padded to the minimum) x 50 x 12 from the start, nothing to add.
    assert target_invoices_of(result, "switch:floor/basic") == {
        "2026-12": 6_000.0,
        "2027-12": 6_000.0,
        "2028-12": 6_000.0,
    }
    # Training is for the 3 users: 3 x 2 hours x 100 in the go-live month 2027-04.
    assert target_invoices_of(result, "switch:floor/basic", "training") == {"2027-04": 600.0}


def test_an_add_on_for_a_must_is_bought_for_every_seat_of_the_ramp(ramp_catalog):
    profile = golden_profile(
        roles=VIEWERS_FIRST, org_needs={"api_access": "must"}, migration={"project_seats": 20}
    )
    result = analyze(profile, ramp_catalog)
    # The add-on at 20 a seat a month, on the seats the licenses are billed for.
    assert target_invoices_of(result, "switch:ramp/team", "addons") == {
        "2026-12": 4_800.0,  # 20 project seats x 20 x 12
        "2027-04": 5_600.0,  # 35 more x 20 x 8
        "2027-12": 13_200.0,  # 55 x 20 x 12: 20.80 capped at the add-on's list price 20
        "2028-12": 13_200.0,
    }


# --- early exits, by hand -------------------------------------------------------------------


def early_exit_profile(**contract):
    """Term 2026-11-01 .. 2027-10-31 invoiced 108,000 on 2026-11-01 (sunk); the old system is
    needed until the analysis start 2026-12-01 (no project, no overlap)."""
    return golden_profile(
        contract={"start": "2026-11-01", "end": "2027-10-31"} | contract,
        migration={"months": 0, "overlap_months": 0},
    )


@pytest.mark.parametrize(("days", "full"), [(30, True), (29, False)])
def test_a_full_refund_reaches_the_last_day_of_its_window(days, full):
    # 2026-12-01 is 30 days after 2026-11-01: within 30 days, not within 29.
    profile = early_exit_profile(
        refund="full_within_days", full_refund_days=days, early_termination_fee_pct=10
    )
    result = all_against_reference(profile)
    refund = target_invoices_of(result, SWITCH, "refund")
    fee = target_invoices_of(result, SWITCH, "termination_fee")
    if full:
        assert (refund, fee) == ({"2026-12": -108_000.0}, {})
    else:
        # Prorated: 11 whole months of 12 unused -> 99,000; fee 10% of it, nothing unbilled.
        assert (refund, fee) == ({"2026-12": -99_000.0}, {"2026-12": 9_900.0})


def test_a_prorated_exit_from_monthly_billing_refunds_no_whole_month():
    # Monthly invoices of 9,000 on the 1st; leaving 2026-12-15 uses half of December: no whole
    # month to refund; the fee is 20% of the 10 unbilled invoices 2027-01 .. 2027-10 = 18,000.
    profile = golden_profile(
        analysis_start="2026-12-15",
        current={"billing": "monthly"},
        contract={
            "start": "2026-11-01",
            "end": "2027-10-31",
            "refund": "prorated",
            "early_termination_fee_pct": 20,
        },
        migration={"months": 0, "overlap_months": 0},
    )
    result = all_against_reference(profile)
    assert result.scenarios.loc[SWITCH, "exit_kind"] == "early"
    assert target_invoices_of(result, SWITCH, "refund") == {}
    assert target_invoices_of(result, SWITCH, "termination_fee") == {"2026-12": 18_000.0}
    assert target_invoices_of(result, SWITCH, "licenses_current") == {}  # December's was sunk


# --- break-even and the status quo ----------------------------------------------------------


def test_break_even_is_none_when_a_scenario_never_differs_from_stay():
    result = analyze(golden_profile(), GOLDEN)
    # Stay against itself never differs: "none", not 0.
    assert pd.isna(result.scenarios.loc["stay", "break_even_month"])
    # The downgrade to the same 60 full seats still differs from Stay: DESIGN raises its price
    # only from the second downgraded term on (2027-06 at 150, not 160.50).
    roles = [{"id": "all", "name": "All", "seats": 60, "needs": {"opportunity_management": "must"}}]
    same_seats = analyze(golden_profile(roles=roles), GOLDEN)
    gap = same_seats.scenarios.loc["stay", "total"] - same_seats.scenarios.loc[DOWNGRADE, "total"]
    # 60 x (160.50 - 150) x 12 in 2027-06, 60 x (171.735 - 160.50) x 12 in 2028-06, and
    # 60 x (175 - 171.735) x 12 in 2029-06 of which half is credited.
    assert gap == pytest.approx(7_560 + 8_089.2 + 2_350.8 / 2)


@AUDIT
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=24))
def test_break_even_month_matches_the_reference(months):
    scenario = [float(a) for a, _ in months]
    stay = [float(b) for _, b in months]
    cumulative = pd.Series(scenario).cumsum().to_numpy()
    stay_cumulative = pd.Series(stay).cumsum().to_numpy()
    expected = reference_break_even(scenario, stay)
    assert break_even_month(cumulative, stay_cumulative) == expected


def test_catalog_prices_and_caps_are_converted_into_the_profiles_currency():
    # Results in EUR, 0.9 EUR per USD: the full seat's list 175 USD is 157.50 EUR.
    result = analyze(golden_profile(currency="EUR", fx={"USD": 0.9}), GOLDEN)
    # 150 x 1.07 = 160.50 is above 157.50: every renewal at 60 x 157.50 x 12 = 113,400.
    assert target_invoices_of(result, "stay", "licenses_current") == {
        "2027-06": 113_400.0,
        "2028-06": 113_400.0,
        "2029-06": 113_400.0,
    }
    # The target's 100 USD is 90 EUR, its 3,000 USD onboarding 2,700 EUR.
    assert target_invoices_of(result, SWITCH) == {
        "2026-12": 5_400.0,  # 5 x 90 x 12
        "2027-04": 36_000.0,  # 50 x 90 x 8
        "2027-12": 59_400.0,  # 55 x 90 x 12 (94.50 capped at 90)
        "2028-12": 59_400.0,
    }
    assert target_invoices_of(result, SWITCH, "onboarding_fee") == {"2026-12": 2_700.0}


def test_an_add_on_paid_for_after_the_horizon_is_credited_with_its_seats(ramp_catalog):
    profile = golden_profile(
        horizon_months=30, roles=VIEWERS_FIRST, org_needs={"api_access": "must"}
    )
    result = analyze(profile, ramp_catalog)
    # Horizon 2026-12 .. 2029-05; the 2028-12 invoices pay 2028-12 .. 2029-11, half of it after
    # the horizon: (55 x 100 + 55 x 20) x 12 / 2 = 39,600. (The API must puts the viewers on
    # full seats: the dashboard-only seat has no API.)
    assert target_invoices_of(result, "switch:ramp/team", "prepaid_after_horizon") == {
        "2029-05": -39_600.0
    }


def test_a_downgrade_to_another_edition_is_priced_at_list_less_the_discount():
    roles = [
        {"id": "sellers", "name": "Sellers", "seats": 40, "needs": {}},
        {"id": "viewers", "name": "Viewers", "seats": 15, "needs": {"dashboards": "must_limited"}},
    ]
    profile = golden_profile(roles=roles, org_needs={"api_access": "must"}, discount_pct=10)
    result = analyze(profile, GOLDEN)
    sid = "downgrade:legacy/pro"
    # Pro's full seat lists at 100: 90 after 10% off, from 2027-06-01 for all 55 seats.
    assert target_invoices_of(result, sid, "licenses_current") == {
        "2027-06": 59_400.0,  # 55 x 90 x 12
        "2028-06": 63_558.0,  # 55 x 96.30 x 12 (+7% from the second downgraded term)
        "2029-06": 66_000.0,  # 96.30 x 1.07 = 103.04 capped at the list price 100
    }
    # The API add-on for the org-wide must, at its price 25 a seat.
    assert target_invoices_of(result, sid, "addons") == {
        "2027-06": 16_500.0,  # 55 x 25 x 12
        "2028-06": 16_500.0,  # 26.75 capped at 25
        "2029-06": 16_500.0,
    }
    # Half of the 2029-06 invoices falls after 2029-11: (66,000 + 16,500) / 2.
    assert target_invoices_of(result, sid, "prepaid_after_horizon") == {"2029-11": -41_250.0}


def test_an_exit_on_an_invoice_day_pays_the_fee_on_that_unbilled_invoice():
    # A 2-year term 2025-12-01 .. 2027-11-30 billed yearly; leaving on 2026-12-01, the day of
    # its second invoice: the first period is used up (nothing to refund), the second is not
    # billed, and the 10% fee is on it: 10% x 60 x 150 x 12 = 10,800.
    profile = golden_profile(
        contract={
            "start": "2025-12-01",
            "end": "2027-11-30",
            "refund": "prorated",
            "early_termination_fee_pct": 10,
        },
        migration={"months": 0, "overlap_months": 0},
    )
    result = all_against_reference(profile)
    assert result.scenarios.loc[SWITCH, ["exit_kind", "exit_date"]].tolist() == [
        "early",
        D(2026, 12, 1),
    ]
    assert target_invoices_of(result, SWITCH, "licenses_current") == {}
    assert target_invoices_of(result, SWITCH, "refund") == {}
    assert target_invoices_of(result, SWITCH, "termination_fee") == {"2026-12": 10_800.0}


def test_an_early_exit_costing_the_same_as_waiting_is_not_taken():
    # DESIGN: "The early exit is taken only when its decision total is lower than the normal
    # exit's". 7 seats at 150.10, billed monthly: 1,050.70 a month. Leaving on 2026-12-01 (a
    # monthly invoice day, the November period used up) refunds nothing and charges 100% of
    # the six unbilled invoices 2026-12 .. 2027-05 = 6 x 1,050.70 = 6,304.20, exactly what
    # waiting for the term end costs: a tie, so the normal exit.
    profile = golden_profile(
        current={"billing": "monthly", "seats": {"full": 7}, "prices": {"full": 150.1}},
        contract={
            "start": "2026-06-01",
            "end": "2027-05-31",
            "refund": "prorated",
            "early_termination_fee_pct": 100,
        },
        migration={"months": 0, "overlap_months": 0},
    )
    result = all_against_reference(profile)
    row = result.scenarios.loc[SWITCH]
    assert (row["exit_kind"], row["exit_date"]) == ("term_end", D(2027, 6, 1))
    paid = target_invoices_of(result, SWITCH, "licenses_current")
    assert list(paid.values()) == [1_050.7] * 6
    assert target_invoices_of(result, SWITCH, "termination_fee") == {}
