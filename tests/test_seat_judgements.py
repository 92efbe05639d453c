"""Seat judgements shared per catalog, and the faster mixes, give exactly the seats of the rules.

What the catalog alone tells of a seat for a role's needs (the musts it lacks, the add-ons it
needs, the fit, the refusal's words) is kept per catalog, tier and needs shape and shared by
every analysis with that catalog (:func:`~analyzer.licensing.catalog_judgements`). The
reference here is the assignment rule written out plainly (DESIGN sections 5-6, as
:func:`~analyzer.licensing.assign_role` first did it: every seat checked against every must,
priced, the cheapest eligible kept, else the first seat that only needs a quote, else why the
full seat fails), so a store that leaked one profile's needs or prices into another's, or a
key that forgot a tier, would show as another seat, price or problem.
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer import licensing
from analyzer.analysis import _cheapest, _stack_cost, seat_assigner
from analyzer.catalog import GATE_SUPPORT, Price, load_catalog
from analyzer.licensing import (
    LicenseMix,
    RoleLicense,
    SeatAssigner,
    SeatJudgements,
    catalog_judgements,
    converted,
    price_paid_else_list,
    role_fit,
)
from analyzer.profile import GATES, load_profile

CATALOG = load_catalog()
PROFILE = load_profile(catalog=CATALOG)
FEATURES = sorted(f.id for f in CATALOG.features)
TIERS = [(product, tier) for product in CATALOG.products for tier in product.tiers]


def reference_seat(profile, product, tier, role):
    """A role's seat in ``tier`` by the rules, written out: (license type id, price, add-ons,
    fit, problem, quote needed)."""
    names = {f.id: f.name for f in CATALOG.features}
    needs = profile.role_needs(role)
    gates = sorted((f, need) for f, need in needs.items() if need in GATES)
    eligible, refused = [], []
    for lt in tier.license_types:
        support = tier.support(lt)
        lacking = [f for f, need in gates if support.get(f) not in GATE_SUPPORT[need]]
        if lacking:
            words = ", ".join(sorted(names.get(f, f) for f in lacking))
            refused.append((f"{lt.name} lacks must-have {words}", False))
            continue
        price = price_paid_else_list(profile, product, tier, lt)
        if price is None:
            refused.append((f"needs a quote for {tier.name} {lt.name}", True))
            continue
        addons, unpriced = [], None
        for feature, _ in gates:
            if support[feature] != "addon":
                continue
            addon = tier.addon(feature)
            if addon is None or addon.price is None:
                unpriced = feature
                break
            addons.append((feature, converted(addon.price, profile)))
        if unpriced is not None:
            refused.append((f"needs a quote for the {names[unpriced]} add-on", True))
            continue
        fit = role_fit(needs, support, {f for f, _ in addons})
        seats = role.seats
        cost = price.amount * (1 if price.flat else seats)
        cost += sum(p.amount * seats for _, p in addons if not p.flat)
        eligible.append(((cost, -fit), (lt.id, price, tuple(addons), fit, None, False)))
    if eligible:
        # min keeps the first of equal keys: ties go to the tier's order.
        return min(eligible, key=lambda seat: seat[0])[1]
    quotes = [reason for reason in refused if reason[1]]
    problem, quote = (quotes or refused)[0]
    return (None, None, (), 0.0, f"{role.name}: {problem}", quote)


def decided(seat: RoleLicense):
    """What an assignment decides for a role, as :func:`reference_seat` gives it."""
    lt = seat.license_type.id if seat.license_type else None
    return (lt, seat.price, seat.addons, seat.fit, seat.problem, seat.quote_needed)


needs_strategy = st.dictionaries(
    st.sampled_from(FEATURES),
    st.sampled_from(["must", "must_limited", 1, 3, 5]),
    max_size=6,
)


def profile_with(roles_needs, seats):
    roles = [
        PROFILE.roles[0].model_copy(
            update={"id": f"role{n}", "name": f"Role {n}", "seats": count, "needs": needs}
        )
        for n, (needs, count) in enumerate(zip(roles_needs, seats, strict=False))
    ]
    return PROFILE.model_copy(update={"roles": roles, "org_needs": {}})


@settings(max_examples=25, deadline=None)
@given(
    st.lists(needs_strategy, min_size=1, max_size=3),
    st.lists(st.integers(min_value=0, max_value=300), min_size=3, max_size=3),
)
def test_the_catalogs_shared_judgements_give_every_profile_the_seats_of_the_rules(
    roles_needs, seats
):
    # Every example adds its needs to the one store of CATALOG, which earlier examples (and
    # other tests) filled: what one profile left there must not change another's seats.
    profile = profile_with(roles_needs, seats)
    assigner = seat_assigner(profile, CATALOG)
    for product, tier in TIERS:
        mix = assigner.mix(product, tier)
        expected = [reference_seat(profile, product, tier, role) for role in profile.roles]
        assert [decided(seat) for seat in mix.roles] == expected


def test_the_example_gets_the_seats_of_the_rules_in_every_tier():
    seats = seat_assigner(PROFILE, CATALOG)
    for product, tier in TIERS:
        expected = [reference_seat(PROFILE, product, tier, role) for role in PROFILE.roles]
        assert [decided(seat) for seat in seats.mix(product, tier).roles] == expected


def test_a_second_analysis_with_the_same_catalog_judges_no_seat_again(monkeypatch):
    made = []
    original = licensing.TierJudgement.__init__

    def counting(self, *args):
        made.append(args[0].id)
        original(self, *args)

    catalog = load_catalog()
    judgements = catalog_judgements(catalog)
    judgements._by_shape.clear()
    monkeypatch.setattr(licensing.TierJudgement, "__init__", counting)
    for product, tier in TIERS:
        seat_assigner(PROFILE, catalog).mix(product, tier)
    first = len(made)
    # One judgement per tier and distinct needs shape of the example (every role differs).
    assert first == len(TIERS) * len(
        {str(sorted(PROFILE.role_needs(r).items())) for r in PROFILE.roles}
    )
    other = PROFILE.model_copy(update={"discount_pct": 12.0})
    for product, tier in TIERS:
        seat_assigner(other, catalog).mix(product, tier)
    assert len(made) == first
    assert catalog_judgements(catalog) is judgements


def test_the_shared_store_is_bounded_and_starts_again_when_full(monkeypatch):
    monkeypatch.setattr(SeatJudgements, "MAX_SHAPES", 2)
    judgements = SeatJudgements(CATALOG.feature_names)
    product, tier = TIERS[0]
    for feature in FEATURES[:5]:
        profile = profile_with([{feature: "must"}], [3])
        assigner = SeatAssigner(profile, CATALOG.feature_names, judgements)
        assert [decided(s) for s in assigner.mix(product, tier).roles] == [
            reference_seat(profile, product, tier, profile.roles[0])
        ]
        assert len(judgements._by_shape) <= 2


def test_a_copied_catalog_carries_no_judgements_and_judges_the_same():
    catalog = load_catalog()
    for product, tier in TIERS:
        seat_assigner(PROFILE, catalog).mix(product, tier)
    assert catalog_judgements(catalog)._by_shape
    for copied in (pickle.loads(pickle.dumps(catalog)), copy.deepcopy(catalog)):
        # The store is derived data: the copy is the same catalog, and exports the same.
        assert copied == catalog
        assert copied.model_dump() == catalog.model_dump()
        store = catalog_judgements(copied)
        assert store._by_shape == {}
        assert dict(store.names) == {f.id: f.name for f in catalog.features}
        for product, tier in TIERS[:10]:
            expected = [reference_seat(PROFILE, product, tier, r) for r in PROFILE.roles]
            assert [
                decided(s) for s in seat_assigner(PROFILE, copied).mix(product, tier).roles
            ] == (expected)


def test_served_mix_is_the_mix_exactly_when_every_role_has_a_seat():
    seats = seat_assigner(PROFILE, CATALOG)
    roles = list(PROFILE.roles)
    subsets = [roles, *([role] for role in roles), roles[1:], roles[:2]]
    served = 0
    for product, tier in TIERS:
        for subset in subsets:
            full = seats.mix(product, tier, subset)
            found = seats.served_mix(product, tier, subset)
            if any(seat.problem for seat in full.roles):
                assert found is None
            else:
                assert found is full
                served += 1
    # Both cases occur: the check is not vacuous.
    assert 0 < served < len(TIERS) * len(subsets)


def _role_license(role_id, seats, problem=None):
    role = SimpleNamespace(id=role_id, name=role_id.title(), seats=seats)
    return RoleLicense(role, None, None, problem=problem)


def test_a_mix_sets_its_key_problems_and_seats_from_its_roles():
    product, tier = TIERS[0]
    roles = (_role_license("a", 3), _role_license("b", 4, "B: lacks"), _role_license("c", 0))
    mix = LicenseMix(product, tier, roles, 0.0, "too many users")
    assert mix.key == (product.id, tier.id, ("a", "b", "c"))
    assert mix.problems == ["B: lacks", "too many users"]
    assert mix.role_seats == 3 + 4 + 0
    assert not mix.feasible
    padded = dataclasses.replace(mix, roles=roles[:1], limit_problem=None, padding_seats=2)
    assert (padded.key, padded.problems, padded.role_seats) == (
        (product.id, tier.id, ("a",)),
        [],
        3,
    )
    assert padded.seats_bought == 3 + 2
    assert padded.feasible
    again = pickle.loads(pickle.dumps(LicenseMix(product, tier, roles[:1])))
    assert again == LicenseMix(product, tier, roles[:1])
    assert (again.key, again.problems, again.role_seats) == (padded.key, [], 3)


def _argmin_stacks(firsts, desks):
    """Per desk, the pair of lowest cost as the numpy search first picked it: every split's
    costs side by side (inf where no tier), the first lowest column."""
    found = []
    for d in range(len(desks[0])):
        width = len(desks[0][d])
        costs = np.full((len(firsts), width), np.inf)
        for s, (_, _, first_cost) in enumerate(firsts):
            for t, option in enumerate(desks[s][d]):
                if option is not None:
                    costs[s, t] = first_cost + option[1]
        flat = costs.ravel()
        column = int(flat.argmin())
        if np.isfinite(flat[column]):
            s, t = divmod(column, width)
            found.append((float(flat[column]), column, (firsts[s][0], desks[s][d][t][0])))
    return found


costs_strategy = st.one_of(st.none(), st.sampled_from([100.0, 250.5, 0.1 + 0.2, 300.0, 1e6]))


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_the_cheapest_stack_per_desk_is_the_first_lowest_pair(data):
    splits = data.draw(st.integers(min_value=1, max_value=3))
    widths = data.draw(st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=3))
    firsts = [
        (f"crm{s}", (f"lacking{s}",), data.draw(st.sampled_from([0.0, 50.0, 0.3, 1e6])))
        for s in range(splits)
    ]
    desks = [
        [
            [
                None if (cost := data.draw(costs_strategy)) is None else (f"desk{d}/{t}", cost)
                for t in range(width)
            ]
            for d, width in enumerate(widths)
        ]
        for _ in range(splits)
    ]
    first_costs = {first[0]: first[2] for first in firsts}
    splits_found = [first[:2] for first in firsts]
    found = []
    for d in range(len(widths)):
        seconds = [desks[s][d] for s in range(splits)]
        best = _cheapest(splits_found, first_costs.__getitem__, seconds, _stack_cost)
        if best is not None:
            found.append(best)
    assert found == _argmin_stacks(firsts, desks)


def test_a_price_is_published_in_a_currency_by_its_first_local_entry():
    local = {"source": "https://example.com/local", "as_of": "2026-08-13"}
    price = Price.model_validate(
        {
            "amount": 175,
            "currency": "USD",
            "source": "https://example.com/us",
            "as_of": "2026-08-13",
            "local": [
                {"amount": 140, "currency": "GBP", **local},
                {"amount": 160, "currency": "EUR", **local},
            ],
        }
    )
    # What a conversion copies, asked of the price before its local copies are made: each
    # copy has its own (a copy of the model's dict would carry the price's).
    assert price.conversion_terms == (
        175.0,
        False,
        "annual",
        "https://example.com/us",
        "2026-08-13",
    )
    assert price.in_currency("GBP").conversion_terms == (
        140.0,
        False,
        "annual",
        "https://example.com/local",
        "2026-08-13",
    )
    assert price.in_currency("GBP").amount == 140
    assert price.in_currency("GBP").source == "https://example.com/local"
    assert price.in_currency("GBP").local == ()
    assert price.in_currency("EUR").amount == 160
    assert price.in_currency("USD") is price
    assert price.in_currency("CHF") is price
    # Made once: the same object every time.
    assert price.in_currency("GBP") is price.in_currency("GBP")
    with pytest.raises(TypeError):
        price.published_prices["JPY"] = price  # type: ignore[index]


def test_a_license_mixs_hand_written_init_takes_exactly_the_dataclass_fields_and_defaults():
    # LicenseMix sets its fields and the facts derived from its roles in one dict update (an
    # analysis makes hundreds); replace() and pickling rely on the fields, so the two must
    # agree. The records made by dict_init are checked in tests/test_records.py.
    cls = LicenseMix
    fields = [f for f in dataclasses.fields(cls) if f.init]
    parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    assert [p.name for p in parameters] == [f.name for f in fields]
    for f, p in zip(fields, parameters, strict=True):
        expected = inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default
        assert p.default == expected, f.name
