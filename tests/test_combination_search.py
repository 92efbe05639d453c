"""The combination search's shortcuts choose what the plain rules choose.

:meth:`~analyzer.analysis._CombinationSearch.splits` reads a CRM tier's lacking and served
roles off its seats in one pass; here it is checked against the rule as first written
(:func:`~analyzer.licensing.roles_lacking_musts`, the others served when each has a seat and
the target can be costed). :func:`~analyzer.analysis._cheapest` keeps the best pair by cost
alone; here it is checked against a reference that compares (cost, position) tuples, with
ties and costs drawn by hypothesis.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from analyzer.analysis import _cheapest, _CombinationSearch, _stack_cost, seat_assigner
from analyzer.catalog import load_catalog
from analyzer.costs import Current
from analyzer.licensing import roles_lacking_musts
from analyzer.profile import load_profile

CATALOG = load_catalog()
PROFILE = load_profile(catalog=CATALOG)


def reference_splits(search: _CombinationSearch, crm) -> list:
    """:meth:`_CombinationSearch.splits` as first written."""
    found = []
    for tier in crm.tiers:
        lacking = roles_lacking_musts(search.seats.mix(crm, tier))
        lacking_ids = {role.id for role in lacking}
        served = [role for role in search.profile.roles if role.id not in lacking_ids]
        if not (lacking and served):
            continue
        moved = search.seats.served_mix(crm, tier, served)
        if moved is not None and search.current.target_problems(moved) is None:
            found.append((moved, lacking))
    return found


def search_of(profile) -> _CombinationSearch:
    product = CATALOG.product(profile.current.product)
    current = Current(profile, product, product.tier(profile.current.tier))
    return _CombinationSearch(current, seat_assigner(profile, CATALOG))


def profiles():
    """The bundled example, each of its roles alone, and every role but one (so the CRM
    tiers lack and serve different sets of roles)."""
    roles = PROFILE.roles
    yield PROFILE
    for n in range(len(roles)):
        yield PROFILE.model_copy(update={"roles": [roles[n]]})
        yield PROFILE.model_copy(update={"roles": roles[:n] + roles[n + 1 :]})


def test_splits_are_the_rule_as_first_written():
    checked = 0
    for profile in profiles():
        search = search_of(profile)
        for crm in CATALOG.products:
            if crm.kind != "crm":
                continue
            got = search.splits(crm)
            want = reference_splits(search, crm)
            # The seat assigner hands out one mix per product, tier and roles: the same
            # objects, the same lacking roles, in the same order.
            assert [(moved, lacking) for moved, lacking in got] == want
            assert all(a[0] is b[0] for a, b in zip(got, want, strict=True))
            checked += len(want)
    # The example's CRMs do split its roles (it lists stacks): the check is not empty.
    assert checked >= 10


def reference_cheapest(firsts, first_costs, seconds, cost):
    """:func:`_cheapest` as first written: candidates compared as (cost, position) tuples."""
    best = None
    for n, ((first, _), options) in enumerate(zip(firsts, seconds, strict=True)):
        for m, option in enumerate(options):
            if option is None:
                continue
            candidate = (cost(first_costs(first), option[1]), n * len(options) + m)
            if best is None or candidate < best[:2]:
                best = (*candidate, (first, option[0]))
    return best


# Few distinct costs, so that ties (which the first in order wins) are common.
COSTS = st.sampled_from([0.0, 1.5, 2.0, 2.5, 1e6, 0.1 + 0.2, 0.3])


@given(
    st.integers(min_value=0, max_value=4).flatmap(
        lambda tiers: st.lists(
            st.tuples(COSTS, st.lists(st.none() | COSTS, min_size=tiers, max_size=tiers)),
            max_size=5,
        )
    )
)
def test_cheapest_is_the_first_lowest_pair(rows):
    firsts = [(f"first {n}", ()) for n in range(len(rows))]
    first_cost = {f"first {n}": cost for n, (cost, _) in enumerate(rows)}
    seconds = [
        [None if c is None else (f"second {n}.{m}", c) for m, c in enumerate(options)]
        for n, (_, options) in enumerate(rows)
    ]
    asked = []

    def first_costs(first):
        asked.append(first)
        return first_cost[first]

    got = _cheapest(firsts, first_costs, seconds, _stack_cost)
    want = reference_cheapest(firsts, first_cost.__getitem__, seconds, _stack_cost)
    assert got == want
    if got is not None:
        assert got[0].hex() == want[0].hex()
    # A first part's costs are asked for once, and only when some second part can take it.
    assert asked == [
        firsts[n][0] for n, (_, options) in enumerate(rows) if any(c is not None for c in options)
    ]
