"""A mix the seat assigner makes in one pass (:meth:`~analyzer.licensing.LicenseMix.of_roles`)
is the mix the constructor makes: the same fields, and the same key, problems and role seats
that the combination search asks every mix for.

Checked over every tier of the bundled catalog for all roles and for parts of them, and
over a tier with a user limit and one with a seat minimum (the constructor's paths).
"""

from dataclasses import fields

from analyzer.analysis import seat_assigner
from analyzer.catalog import load_catalog
from analyzer.licensing import LicenseMix
from analyzer.profile import load_profile

CATALOG = load_catalog()
PROFILE = load_profile(catalog=CATALOG)


def every_field(mix: LicenseMix) -> dict:
    """The declared fields and the derived ones (key, problems, role seats)."""
    return {f.name: getattr(mix, f.name) for f in fields(mix)}


def test_every_assigned_mix_is_the_constructed_one():
    seats = seat_assigner(PROFILE, CATALOG)
    # No roles at all fall short of every seat minimum (the bundled roles have 10 seats or more).
    parts = (PROFILE.roles, PROFILE.roles[1:], PROFILE.roles[:1], PROFILE.roles[::2], [])
    checked = limited = padded = 0
    for product in CATALOG.products:
        for tier in product.tiers:
            for roles in parts:
                mix = seats.mix(product, tier, roles)
                made = LicenseMix(
                    product,
                    tier,
                    mix.roles,
                    mix.padding,
                    mix.limit_problem,
                    mix.padding_seats,
                    mix.padding_price,
                )
                assert every_field(mix) == every_field(made)
                assert mix == made
                # The key is what the assigner's and the search's memos look mixes up by.
                assert mix.key == (product.id, tier.id, tuple(role.id for role in roles))
                assert mix.role_seats == sum(role.seats for role in roles)
                # Every role's problem in role order, then the tier's limit problem.
                want = [r.problem for r in mix.roles if r.problem]
                assert mix.problems == want + ([mix.limit_problem] if mix.limit_problem else [])
                checked += 1
                limited += mix.limit_problem is not None
                padded += mix.padding_seats > 0
    # The bundled catalog has tiers with a user limit the roles exceed and tiers with a seat
    # minimum some parts fall short of: both paths of the constructor are compared too.
    assert (
        checked == 5 * sum(len(product.tiers) for product in CATALOG.products)
        and limited > 0
        and padded > 0
    )
