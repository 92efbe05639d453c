"""The analysis-wide seat cache (``SeatAssigner``) gives every mix the seats a fresh assignment
gives: sharing verdicts across tiers, products, role subsets and roles changes nothing.

The reference is :func:`analyzer.licensing.assign_role` called per role with no shared cache
(each role judged on its own), so a cache key that forgot a product, a tier, a seat count or a
need would show here as a different seat, price or problem.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.catalog import load_catalog
from analyzer.licensing import SeatAssigner, assign_role
from analyzer.profile import load_profile

CATALOG = load_catalog()
PROFILE = load_profile(catalog=CATALOG)
NAMES = {f.id: f.name for f in CATALOG.features}


def _seat(r):
    """What an assignment decides for a role."""
    return (
        r.role.id,
        r.license_type.id if r.license_type else None,
        r.price,
        r.addons,
        r.fit,
        r.problem,
        r.quote_needed,
    )


def _fresh(profile, product, tier, roles):
    return [_seat(assign_role(profile, product, tier, role, NAMES)) for role in roles]


def test_one_assigner_for_every_tier_and_role_subset_equals_fresh_assignments():
    seats = SeatAssigner(PROFILE, NAMES)
    roles = list(PROFILE.roles)
    subsets = [
        roles,
        *([role] for role in roles),
        *([r for r in roles if r != role] for role in roles),
    ]
    checked = 0
    for product in CATALOG.products:
        for tier in product.tiers:
            for subset in subsets:
                mix = seats.mix(product, tier, subset)
                assert [_seat(r) for r in mix.roles] == _fresh(PROFILE, product, tier, subset)
                checked += 1
    # 22 products, 80 tiers, 9 subsets each: every one compared.
    assert checked == 80 * 9


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=4))
def test_roles_with_the_same_needs_and_other_seat_counts_get_their_own_seat(counts):
    # Copies of the first role with the same needs but their own seat counts: flat and
    # per-user prices compare differently for different counts, so the verdict is per count.
    template = PROFILE.roles[0]
    roles = [
        template.model_copy(update={"id": f"copy{n}", "name": f"Copy {n}", "seats": seats})
        for n, seats in enumerate(counts)
    ]
    profile = PROFILE.model_copy(update={"roles": roles})
    seats = SeatAssigner(profile, NAMES)
    for product in CATALOG.products:
        for tier in product.tiers:
            mix = seats.mix(product, tier)
            assert [_seat(r) for r in mix.roles] == _fresh(profile, product, tier, roles)
