"""Contract terms: the renewal chain, invoices with their service periods, capped renewals."""

import datetime as dt

import pytest

from analyzer.contract import (
    billing_periods,
    decision_term,
    earliest_exit,
    notice_deadline,
    renewal_chain,
    renewed_price,
    terms_from,
)
from analyzer.profile import Contract

D = dt.date


def contract(**changes) -> Contract:
    return Contract.model_validate(
        {"start": "2024-06-01", "end": "2027-05-31", "notice_days": 30} | changes
    )


def test_new_contract_fields_default_to_a_list_cap_no_growth_and_30_days_of_data_return():
    terms = contract()
    assert (terms.uplift_cap, terms.list_growth_pct, terms.data_return_days) == ("list", 0, 30)


def test_the_renewal_chain_runs_back_to_back_from_the_initial_term():
    chain = renewal_chain(contract(), D(2029, 7, 1))
    assert [(t.start, t.end) for t in chain] == [
        (D(2024, 6, 1), D(2027, 5, 31)),
        (D(2027, 6, 1), D(2028, 5, 31)),
        (D(2028, 6, 1), D(2029, 5, 31)),
        (D(2029, 6, 1), D(2030, 5, 31)),  # starts before 2029-07-01
    ]
    assert chain[0].months == 36


def test_annual_billing_bills_a_shorter_last_period_for_its_months_only():
    (term,) = terms_from(D(2027, 1, 15), 18, D(2027, 1, 15))
    invoices = billing_periods(term, "annual")
    assert [(i.date, i.months, i.service_end) for i in invoices] == [
        (D(2027, 1, 15), 12, D(2028, 1, 15)),
        (D(2028, 1, 15), 6, D(2028, 7, 15)),
    ]
    assert len(billing_periods(term, "monthly")) == 18


def test_a_renewal_raises_the_price_but_never_above_the_cap():
    assert renewed_price(150, 7, 175) == pytest.approx(160.5)
    assert renewed_price(171.735, 7, 175) == 175  # 183.76 capped
    assert renewed_price(171.735, 7, None) == pytest.approx(183.75645)
    # A price already above the cap comes down to it at the renewal.
    assert renewed_price(200, 0, 175) == 175


def test_the_decision_term_and_the_earliest_exit():
    terms = contract()
    chain = renewal_chain(terms, D(2030, 1, 1))
    assert notice_deadline(chain[0], terms) == D(2027, 5, 1)
    assert decision_term(chain, terms, D(2027, 5, 1)) is chain[0]
    assert decision_term(chain, terms, D(2027, 5, 2)) is chain[1]  # the deadline has passed
    # Needed until the renewal's first day: the initial term still covers it when its
    # deadline is ahead, else the renewal must be entered.
    assert earliest_exit(chain, terms, D(2027, 4, 1), D(2027, 6, 1)) is chain[0]
    assert earliest_exit(chain, terms, D(2027, 5, 15), D(2027, 6, 1)) is chain[1]
