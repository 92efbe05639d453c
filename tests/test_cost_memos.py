"""The per-analysis memos of :class:`~analyzer.costs.Current` and the faster cost totals give
exactly what the plain functions give: the combination search compares float totals and
breaks ties by position, so a memo or a rewritten sum that changed a last bit would change
which stacks are listed.

Every check compares against the plain function (or, for :func:`component_months`, a
reference that adds into the array item by item, as the first version did), bit for bit.
"""

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.analysis import seat_assigner
from analyzer.catalog import load_catalog
from analyzer.costs import (
    COMPONENTS,
    CashItem,
    Current,
    component_months,
    horizon_stop,
    kept_plan,
    project_allocation,
    project_items,
    running_cost_rate,
    switch_dates,
    target_items,
    target_problems,
)
from analyzer.dates import month_index, whole_months_between
from analyzer.licensing import roles_lacking_musts
from analyzer.profile import load_profile
from tests.conftest import golden_profile

CATALOG = load_catalog()
PROFILE = load_profile(catalog=CATALOG)


def reference_months(items, profile) -> np.ndarray:
    """:func:`component_months` as first written: each item added into the array."""
    months = profile.horizon_months
    stop = horizon_stop(profile)
    table = np.zeros((len(COMPONENTS), months))
    credit = COMPONENTS.index("prepaid_after_horizon")
    for item in items:
        month = month_index(item.date, profile.analysis_start)
        if item.date < profile.analysis_start or month >= months:
            continue
        table[COMPONENTS.index(item.component), month] += item.amount
        if item.service_months and item.service_end and item.service_end > stop:
            after = whole_months_between(stop, item.service_end)
            table[credit, months - 1] -= item.amount * after / item.service_months
    return table


GOLDEN = golden_profile()
START = GOLDEN.analysis_start


@st.composite
def cash_items(draw) -> CashItem:
    date = START + dt.timedelta(days=draw(st.integers(-400, 1500)))
    service = draw(st.integers(0, 24))
    end = date + dt.timedelta(days=draw(st.integers(1, 800))) if service else None
    amount = draw(
        st.floats(-1e7, 1e7, allow_nan=False, allow_infinity=False, allow_subnormal=False)
    )
    return CashItem(date, draw(st.sampled_from(COMPONENTS)), amount, service, end)


@settings(max_examples=200, deadline=None)
@given(st.lists(cash_items(), max_size=60))
def test_component_months_adds_as_the_item_by_item_reference(items):
    # Many items share a cell (the draws cluster in a few months and components), so the
    # order of the additions matters: the arrays must be equal bit for bit.
    got = component_months(items, GOLDEN)
    want = reference_months(items, GOLDEN)
    assert got.tobytes() == want.tobytes()
    assert float(got.sum()).hex() == float(want.sum()).hex()


def current() -> Current:
    product = CATALOG.product(PROFILE.current.product)
    return Current(PROFILE, product, product.tier(PROFILE.current.tier))


def every_split():
    """Per CRM tier of the bundled catalog that lacks some roles' musts: the mix of the
    served roles (the parts the combination search costs)."""
    seats = seat_assigner(PROFILE, CATALOG)
    for product in CATALOG.products:
        for tier in product.tiers:
            lacking = {role.id for role in roles_lacking_musts(seats.mix(product, tier))}
            served = [role for role in PROFILE.roles if role.id not in lacking]
            if lacking and served:
                yield seats.mix(product, tier, served)


def test_memoized_target_items_are_the_plain_ones():
    now = current()
    go_live, _ = switch_dates(PROFILE)
    checked = 0
    for mix in every_split():
        if target_problems(PROFILE, mix) is not None:
            continue
        project = project_allocation(mix, PROFILE.migration.project_seats)
        for seats in (None, project):
            first = now.target_items(mix, seats)
            assert first == tuple(target_items(PROFILE, mix, go_live, seats))
            assert now.target_items(mix, seats) is first  # worked out once
        assert now.target_problems(mix) == target_problems(PROFILE, mix)
        assert now.running_cost_rate(mix) == running_cost_rate(PROFILE, mix)
        checked += 1
    # The bundled example has costable splits (the combination search lists stacks).
    assert checked >= 3


def test_memoized_project_items_and_kept_plans_are_the_plain_ones():
    now = current()
    go_live, _ = switch_dates(PROFILE)
    for users in (0, 25, sum(role.seats for role in PROFILE.roles)):
        assert now.project_items(users) == tuple(project_items(PROFILE, go_live, users))
    seats = seat_assigner(PROFILE, CATALOG)
    product, tiers = now.product, now.product.tiers
    for tier in tiers[: tiers.index(now.tier) + 1]:
        for roles in (PROFILE.roles, PROFILE.roles[1:], PROFILE.roles[:1]):
            kept = seats.mix(product, tier, roles)
            plain = kept_plan(now, kept, "kept")
            memo = now.kept_plan(kept)
            assert (memo.items, memo.status, memo.problems) == (
                plain.items,
                plain.status,
                plain.problems,
            )
            assert now.kept_plan(kept) is memo


def test_needs_quote_and_seats_of_every_mix_match_their_definitions():
    seats = seat_assigner(PROFILE, CATALOG)
    for product in CATALOG.products:
        for tier in product.tiers:
            for roles in (PROFILE.roles, PROFILE.roles[::2]):
                mix = seats.mix(product, tier, roles)
                blocked = [r for r in mix.roles if r.problem]
                want = bool(blocked) and all(r.quote_needed for r in blocked)
                assert mix.needs_quote == (want and not mix.limit_problem)
                assert mix.role_seats == sum(role.seats for role in roles)
                assert mix.seats_bought == mix.role_seats + mix.padding_seats
