"""The faster costing keeps what it computes: terms and their invoices shared, cash items and
role seats made in C, plans changed without ``dataclasses.replace``, the list-price growth
cached, and the combination search asking for a first part's costs only when it is paired.

Figures are worked out by hand in comments or by small reference functions written here.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import itertools
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analyzer.analysis import _cheapest, _partial_cost
from analyzer.catalog import load_catalog
from analyzer.contract import Term, billing_periods, renewal_chain, terms_from
from analyzer.costs import (
    CashItem,
    Current,
    SeatLine,
    cash_item_of,
    horizon_end,
    horizon_stop,
    list_cap,
    stay_plan,
)
from analyzer.licensing import RoleLicense, role_license_of
from analyzer.profile import Contract, load_profile

D = dt.date
DAYS = st.dates(min_value=D(2020, 1, 1), max_value=D(2040, 12, 31))


def test_a_terms_invoices_are_made_once_and_kept_on_the_term():
    # 2027-01-01 .. 2028-06-30 is 18 months: billed annually on 2027-01-01 for 12 months and
    # on 2028-01-01 for the 6 months left; monthly, 18 invoices of one month.
    term = Term(0, D(2027, 1, 1), D(2028, 6, 30))
    annual = billing_periods(term, "annual")
    assert [(i.date, i.months, i.service_end) for i in annual] == [
        (D(2027, 1, 1), 12, D(2028, 1, 1)),
        (D(2028, 1, 1), 6, D(2028, 7, 1)),
    ]
    assert billing_periods(term, "annual") is annual
    monthly = billing_periods(term, "monthly")
    assert len(monthly) == 18 and {i.months for i in monthly} == {1}
    assert term.invoices == {"annual": annual, "monthly": monthly}
    # An equal term made apart has equal invoices of its own; the kept ones change nothing
    # of the term's equality, hash or text.
    twin = Term(0, D(2027, 1, 1), D(2028, 6, 30))
    assert twin == term and hash(twin) == hash(term) and repr(twin) == repr(term)
    assert billing_periods(twin, "annual") == annual


@given(DAYS, st.integers(min_value=1, max_value=36), st.integers(min_value=0, max_value=80))
def test_terms_from_shares_its_terms_but_hands_out_a_new_list(start, months, span):
    until = start + dt.timedelta(days=30 * span)
    first = terms_from(start, months, until, first_index=2)
    second = terms_from(start, months, until, first_index=2)
    assert first == second and first is not second
    assert all(a is b for a, b in zip(first, second, strict=True))
    first.append("a caller's change")
    assert terms_from(start, months, until, first_index=2) == second
    # Back to back from ``start``, numbered from 2, until a term covers ``until``.
    assert second[0].start == start and second[-1].start <= until < second[-1].exit_date
    assert [t.index for t in second] == list(range(2, 2 + len(second)))
    for before, after in itertools.pairwise(second):
        assert after.start == before.end + dt.timedelta(days=1)


def test_cash_items_and_role_seats_made_in_c_equal_the_named_tuples():
    item = cash_item_of((D(2027, 1, 1), "licenses_target", 1200.0, 12, D(2028, 1, 1)))
    assert type(item) is CashItem
    assert item == CashItem(D(2027, 1, 1), "licenses_target", 1200.0, 12, D(2028, 1, 1))
    assert item.service_months == 12
    seat = role_license_of(("role", "lt", "price", (), {}, 0.5, None, False))
    assert type(seat) is RoleLicense
    assert seat == RoleLicense("role", "lt", "price", (), {}, 0.5)  # type: ignore[arg-type]
    assert (seat.problem, seat.quote_needed) == (None, False)


def test_a_plan_with_changes_equals_dataclasses_replace_and_leaves_the_plan_alone():
    catalog = load_catalog()
    profile = load_profile(catalog=catalog)
    product = catalog.product(profile.current.product)
    plan = stay_plan(Current(profile, product, product.tier(profile.current.tier)))
    changed = plan.with_changes(status="needs_quote", problems=("a quote",))
    assert changed == dataclasses.replace(plan, status="needs_quote", problems=("a quote",))
    assert (plan.status, plan.problems) == ("ok", ())
    assert changed.items is plan.items and changed.id == "stay"
    with pytest.raises(dataclasses.FrozenInstanceError):
        changed.status = "ok"  # type: ignore[misc]


def test_a_seat_line_takes_its_defaults_and_replaces_as_a_dataclass():
    # Its constructor's parameters are checked against its fields in tests/test_records.py.
    line = SeatLine("addons", "sso", 1, 40.0, "annual")
    assert (line.cap, line.project_seats, line.monthly) == (None, None, 40.0)
    assert line == dataclasses.replace(line)


def _whole_years(start: dt.date, day: dt.date) -> int:
    """Whole years from ``start`` to ``day``, a year's end day clamped to its month (a
    reference for :func:`list_cap`, written apart from the month arithmetic it uses)."""
    years = 0
    while True:
        year = start.year + years + 1
        end = D(year, start.month, min(start.day, calendar.monthrange(year, start.month)[1]))
        if end > day:
            return years
        years += 1


@given(
    DAYS,
    DAYS,
    st.sampled_from([0.0, 3.0, 5.5, 7.0, 12.5]),
    st.floats(min_value=1, max_value=500, allow_nan=False),
)
def test_the_list_cap_grows_per_whole_year_bit_for_bit(start, day, growth, cap):
    profile = SimpleNamespace(
        analysis_start=start,
        current=SimpleNamespace(
            contract=SimpleNamespace(uplift_cap="list", list_growth_pct=growth)
        ),
    )
    years = _whole_years(start, day) if day >= start else 0
    # The same operations as before the growth factor was cached: the cap times the factor.
    assert list_cap(cap, profile, day) == cap * (1 + growth / 100) ** years
    assert list_cap(None, profile, day) is None
    profile.current.contract.uplift_cap = "none"
    assert list_cap(cap, profile, day) is None


@given(DAYS, st.integers(min_value=1, max_value=120))
def test_the_horizon_stops_the_day_after_it_ends(start, months):
    profile = SimpleNamespace(analysis_start=start, horizon_months=months)
    assert horizon_stop(profile) == horizon_end(profile) + dt.timedelta(days=1)
    # The horizon runs whole calendar months from the start's month: it stops on a 1st.
    assert horizon_stop(profile).day == 1
    first = start.replace(day=1)
    assert (horizon_stop(profile).year - first.year) * 12 + horizon_stop(
        profile
    ).month - first.month == months


def test_the_search_asks_a_first_parts_costs_only_when_some_second_part_takes_its_roles():
    asked = []

    def moving(first: str) -> tuple[float, float]:
        asked.append(first)
        return {"a": (1.0, 10.0), "b": (2.0, 5.0), "c": (0.0, 1.0)}[first]

    seconds = [[None, ("keep-1", 4.0)], [None, None], [("keep-0", 9.0)]]
    firsts = [("a", ("x",)), ("b", ("y",)), ("c", ("z",))]
    best = _cheapest(firsts, moving, seconds, _partial_cost)
    # a with keep-1: 4 + 1 + 10 = 15 at position 0 * 2 + 1 = 1; b has no second part;
    # c with keep-0: 9 + 0 + 1 = 10 at position 2 * 1 + 0 = 2: the cheapest.
    assert best == (10.0, 2, ("c", "keep-0"))
    assert asked == ["a", "c"]


def test_equal_contracts_share_their_renewal_chains_terms_in_new_lists():
    contract = Contract.model_validate(
        {"start": "2024-06-01", "end": "2027-05-31", "notice_days": 30}
    )
    twin = Contract.model_validate(contract.model_dump())
    chain = renewal_chain(contract, D(2029, 7, 1))
    again = renewal_chain(twin, D(2029, 7, 1))
    assert chain == again and chain is not again
    assert all(a is b for a, b in zip(chain, again, strict=True))
    # 2024-06-01 .. 2027-05-31, then yearly renewals until one starts after 2029-07-01.
    assert [(t.index, t.start, t.end) for t in chain] == [
        (0, D(2024, 6, 1), D(2027, 5, 31)),
        (1, D(2027, 6, 1), D(2028, 5, 31)),
        (2, D(2028, 6, 1), D(2029, 5, 31)),
        (3, D(2029, 6, 1), D(2030, 5, 31)),
    ]
