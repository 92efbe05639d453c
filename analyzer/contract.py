"""Contract terms: the renewal chain, notice deadlines and invoices (DESIGN 5). The key dates
are built once, in :mod:`analyzer.keydates`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from analyzer.dates import add_months, months_between
from analyzer.errors import ScenarioError
from analyzer.profile import Contract

RENEWAL_WINDOW_DAYS = 90
"""Salesforce Help 005167138: the renewal window opens 90 days before the contract end."""


@dataclass(frozen=True)
class Term:
    """One term of a contract: the initial term (index 0) or a renewal."""

    index: int
    start: dt.date
    end: dt.date

    @cached_property
    def months(self) -> int:
        """Length in whole months, rounded (a term ending on the 30th of a 31-day month is 1)."""
        return round(months_between(self.start, self.end + dt.timedelta(days=1)))

    @property
    def exit_date(self) -> dt.date:
        """The first day without this term's service."""
        return self.end + dt.timedelta(days=1)

    @cached_property
    def invoices(self) -> dict[str, tuple[Invoice, ...]]:
        """This term's invoices per billing, filled by :func:`billing_periods`. Kept on the
        term itself: looking them up in a cache keyed on the term hashed and compared its
        three fields in Python on every call (a term's invoices depend on nothing else)."""
        return {}


@dataclass(frozen=True)
class Invoice:
    date: dt.date
    months: int
    term: Term
    service_end: dt.date = field(init=False, repr=False, compare=False)
    """The first day after the service period this invoice pays for."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "service_end", add_months(self.date, self.months))


def renewed_price(previous: float, uplift_pct: float, cap: float | None) -> float:
    """A per-seat price after one renewal: raised by the uplift, never above ``cap``.

    >>> renewed_price(171.735, 7, 175.0)
    175.0
    """
    raised = previous * (1 + uplift_pct / 100)
    return raised if cap is None else min(raised, cap)


def notice_deadline(term: Term, contract: Contract) -> dt.date:
    """Last day to give notice so that ``term`` does not renew (its end, without auto-renewal)."""
    if not contract.auto_renew:
        return term.end
    return term.end - dt.timedelta(days=contract.notice_days)


def renewal_chain(contract: Contract, until: dt.date) -> list[Term]:
    """The contract's initial term and every renewal that starts on or before ``until``."""
    initial = _initial_term(contract.start, contract.end)
    return [
        initial,
        *terms_from(initial.exit_date, contract.renewal_term_months, until, first_index=1),
    ]


@lru_cache(maxsize=256)
def _initial_term(start: dt.date, end: dt.date) -> Term:
    """A contract's initial term, one object per dates (as :func:`terms_from` shares the
    renewals): its invoices (:attr:`Term.invoices`) are then worked out once, not once per
    analysis."""
    return Term(0, start, end)


def terms_from(
    start: dt.date, term_months: int, until: dt.date, first_index: int = 0
) -> list[Term]:
    """Back-to-back terms of ``term_months`` from ``start`` until one covers ``until``."""
    return list(_terms_from(start, term_months, until, first_index))


@lru_cache(maxsize=1024)
def _terms_from(
    start: dt.date, term_months: int, until: dt.date, first_index: int
) -> tuple[Term, ...]:
    """:func:`terms_from`, cached on its dates and numbers: every target subscription and
    downgrade of an analysis runs over the same terms, and sharing the term objects shares
    their invoices (:attr:`Term.invoices`)."""
    terms: list[Term] = []
    begin = start
    index = first_index
    while begin <= until:
        end = add_months(begin, term_months) - dt.timedelta(days=1)
        terms.append(Term(index, begin, end))
        begin = end + dt.timedelta(days=1)
        index += 1
    return tuple(terms)


def billing_periods(term: Term, billing: str) -> tuple[Invoice, ...]:
    """Invoices of one term: every 12 months for annual billing (a shorter last period billed
    for its months only), every month for monthly billing.

    Kept on the term (:attr:`Term.invoices`): every scenario's costs and exit plan walk the
    same few terms of the same contract.
    """
    found = term.invoices.get(billing)
    if found is None:
        step = 12 if billing == "annual" else 1
        found = term.invoices[billing] = tuple(
            Invoice(add_months(term.start, offset), min(step, term.months - offset), term)
            for offset in range(0, term.months, step)
        )
    return found


def decision_term(terms: list[Term], contract: Contract, today: dt.date) -> Term:
    """The first term whose notice deadline is still ahead: the earliest a change can happen."""
    for term in terms:
        if notice_deadline(term, contract) >= today:
            return term
    raise ScenarioError("the renewal chain does not reach a term with a notice deadline ahead")


def earliest_exit(
    terms: list[Term], contract: Contract, today: dt.date, needed_until: dt.date
) -> Term:
    """The first term that lasts until ``needed_until`` and can still be given notice on time."""
    for term in terms:
        if term.exit_date >= needed_until and notice_deadline(term, contract) >= today:
            return term
    raise ScenarioError("the renewal chain does not reach the date the old system is needed until")
