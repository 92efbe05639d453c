"""Seat lines of a license mix (:func:`~analyzer.costs.mix_lines`) are the lines the first
version made: one per license type and add-on in order of first use, per-user units added
role by role, a flat price counted once, list prices discounted, net prices and add-ons not.

The reference below is that first version, kept here to compare with: every mix of the
bundled catalog, and mixes drawn by hypothesis with flat and per-user prices sharing license
types and add-ons (the cases where the order of first use and the skipped flat units matter).
"""

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.analysis import seat_assigner
from analyzer.catalog import load_catalog
from analyzer.costs import SeatLine, mix_lines, project_allocation
from analyzer.licensing import SeatPrice
from analyzer.profile import load_profile

CATALOG = load_catalog()
PROFILE = load_profile(catalog=CATALOG)


def reference_lines(mix, component, discount_pct, billing=None, project=None) -> list[SeatLine]:
    """:func:`mix_lines` as first written."""
    seats: dict[tuple[str, str], list[float]] = {}
    prices = {}
    for r in mix.roles:
        before = None if project is None else project[r.role.id]
        priced = [(component, r.license_type.id, r.price)]
        priced += [("addons", feature, price) for feature, price in r.addons]
        for kind, key, price in priced:
            units = 1 if price.flat else r.role.seats
            units_before = units if before is None or price.flat else before
            if price.flat and (kind, key) in seats:
                continue
            total = seats.setdefault((kind, key), [0, 0])
            total[0] += units
            total[1] += units_before
            prices[kind, key] = price
    if mix.padding_seats and mix.padding_price:
        seats[component, "padding"] = [mix.padding_seats, mix.padding_seats]
        prices[component, "padding"] = mix.padding_price
    lines = []
    for (kind, key), (units, units_before) in seats.items():
        price = prices[kind, key]
        keep = price.net or kind == "addons"
        lines.append(
            SeatLine(
                kind,
                key,
                units,
                price.amount if keep else price.amount * (1 - discount_pct / 100),
                billing or price.billing,
                price.list_amount,
                None if project is None else units_before,
            )
        )
    return lines


def same_lines(got: list[SeatLine], want: list[SeatLine]) -> bool:
    """Equal field by field, and the same types (an int of units is not a float)."""
    return [(line.__dict__, [type(v) for v in line.__dict__.values()]) for line in got] == [
        (line.__dict__, [type(v) for v in line.__dict__.values()]) for line in want
    ]


def test_every_mix_of_the_catalog_has_the_reference_lines():
    seats = seat_assigner(PROFILE, CATALOG)
    checked = 0
    for product in CATALOG.products:
        for tier in product.tiers:
            for roles in (PROFILE.roles, PROFILE.roles[1:], PROFILE.roles[::2], []):
                mix = seats.mix(product, tier, roles)
                if mix.problems:
                    continue
                project = project_allocation(mix, PROFILE.migration.project_seats)
                for args in (
                    ("licenses_target", 12.5, None, None),
                    ("licenses_target", 0.0, None, project),
                    ("licenses_current", 7.0, "annual", None),
                ):
                    assert same_lines(mix_lines(mix, *args), reference_lines(mix, *args))
                checked += 1
    assert checked > 50


def seat_price(amount: float, flat: bool, net: bool) -> SeatPrice:
    return SeatPrice(amount, flat, "monthly", "test", "2026-01-01", net, amount * 1.5)


prices = st.builds(
    seat_price,
    st.floats(0.5, 500, allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.booleans(),
)
keys = st.sampled_from(["a", "b", "c"])


@st.composite
def fake_mixes(draw):
    """A mix-shaped record: roles on a few shared license types and add-ons, flat or per
    user, and maybe padding."""
    roles = []
    for n in range(draw(st.integers(1, 5))):
        role = SimpleNamespace(id=f"r{n}", seats=draw(st.integers(1, 40)))
        addons = tuple(draw(st.lists(st.tuples(keys, prices), max_size=3)))
        roles.append(
            SimpleNamespace(
                role=role,
                license_type=SimpleNamespace(id=draw(keys)),
                price=draw(prices),
                addons=addons,
            )
        )
    padding = draw(st.integers(0, 3))
    return SimpleNamespace(
        roles=tuple(roles),
        padding_seats=padding,
        padding_price=draw(prices) if padding else None,
    )


@settings(max_examples=300, deadline=None)
@given(
    mix=fake_mixes(),
    discount=st.floats(0, 60),
    billing=st.sampled_from([None, "annual"]),
    ramp=st.booleans(),
    data=st.data(),
)
def test_drawn_mixes_have_the_reference_lines(mix, discount, billing, ramp, data):
    project = None
    if ramp:
        project = {r.role.id: data.draw(st.integers(0, r.role.seats)) for r in mix.roles}
    got = mix_lines(mix, "licenses_target", discount, billing, project)
    assert same_lines(got, reference_lines(mix, "licenses_target", discount, billing, project))
