"""The combination search's cost of a target part (:meth:`~analyzer.costs.Current.target_total`)
is the total of that part's cash items, bit for bit.

The search sums each part's table without making its running-cost items (it fills their row
at once): it compares float totals and breaks ties by position, so a total that differed in
its last bit could list other stacks. Every check compares against the plain path, the
module's :func:`~analyzer.costs.target_items` bucketed by :func:`component_months` and summed,
over every costable mix of the bundled catalog, with the go-live on the first of a month or in
the middle of one, and with running costs (the catalog's self-hosted tiers, and a profile's own
items for any product).
"""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.analysis import seat_assigner
from analyzer.catalog import load_catalog
from analyzer.costs import (
    Current,
    component_months,
    project_allocation,
    switch_dates,
    target_items,
    target_problems,
)
from analyzer.profile import Profile, RunningCostItem, load_profile

CATALOG = load_catalog()
PROFILE = load_profile(catalog=CATALOG)


def plain_total(profile: Profile, mix, project) -> float:
    """The total as the first search worked it out: every item made, bucketed and summed."""
    items = target_items(profile, mix, switch_dates(profile)[0], project)
    return float(component_months(items, profile).sum())


def costable_mixes(profile: Profile):
    """Every tier's mix of all roles, and of the first and of the last two roles, where a
    target's costs can be worked out."""
    seats = seat_assigner(profile, CATALOG)
    for product in CATALOG.products:
        for tier in product.tiers:
            for roles in (profile.roles, profile.roles[:1], profile.roles[2:]):
                mix = seats.mix(product, tier, roles)
                if target_problems(profile, mix) is None:
                    yield mix


def varied(start: dt.date, months: int, rate: float) -> Profile:
    """The bundled profile starting on ``start`` with a ``months``-month migration and, when
    ``rate`` is not 0, a running cost of ``rate`` per user and month for every Zoho CRM
    target."""
    migration = PROFILE.migration.model_copy(update={"months": months})
    running = []
    if rate:
        running = [
            RunningCostItem.model_validate(
                {
                    "product": "zoho-crm",
                    "name": "admin",
                    "amount": rate,
                    "currency": "USD",
                    "unit": "per_user_month",
                }
            )
        ]
    return PROFILE.model_copy(
        update={"analysis_start": start, "migration": migration, "running_costs": running}
    )


def check_every_mix(profile: Profile) -> int:
    """Asserts the totals of every costable mix (all seats from the start, and the project
    seats first); returns how many mixes have running costs."""
    product = CATALOG.product(profile.current.product)
    current = Current(profile, product, product.tier(profile.current.tier))
    running = 0
    for mix in costable_mixes(profile):
        project = project_allocation(mix, profile.migration.project_seats)
        for seats in (None, project):
            want = plain_total(profile, mix, seats)
            assert current.target_total(mix, seats).hex() == want.hex(), mix.key
        # The listed plans take the items the search costed: the same as the plain ones.
        assert current.target_items(mix, project) == tuple(
            target_items(profile, mix, current.go_live, project)
        )
        running += bool(current.running_cost_rate(mix))
    return running


def test_the_bundled_profile_totals_every_target_as_its_items_do():
    # The self-hosted tiers (Odoo, SuiteCRM) have running costs in the catalog.
    assert check_every_mix(PROFILE) > 0


@settings(max_examples=15, deadline=None)
@given(
    day=st.integers(1, 28),
    month=st.integers(1, 12),
    months=st.integers(0, 7),
    rate=st.sampled_from([0.0, 3.5, 41.25]),
)
def test_any_go_live_and_running_cost_totals_as_the_items_do(day, month, months, rate):
    # A go-live in the middle of a month bills running costs into the month after the
    # horizon's end; a go-live after the horizon's start month shortens the row.
    profile = varied(dt.date(2026, month, day), months, rate)
    assert check_every_mix(profile) > 0
