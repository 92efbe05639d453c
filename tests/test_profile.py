import pytest

from analyzer.errors import InputError
from analyzer.profile import EXAMPLE_PROFILE, dump_profile, load_profile, parse_profile
from tests.conftest import FIXTURES

EXAMPLE_TEXT = EXAMPLE_PROFILE.read_text(encoding="utf-8")


def errors_for(catalog, old: str, new: str) -> list[str]:
    assert old in EXAMPLE_TEXT, old
    with pytest.raises(InputError) as caught:
        parse_profile(EXAMPLE_TEXT.replace(old, new, 1), catalog, "acme.yaml")
    return [str(p) for p in caught.value.problems]


def test_bundled_example_loads(catalog):
    profile = load_profile(catalog=catalog)
    assert profile.current.product == "salesforce"
    assert len(profile.roles) >= 3
    assert len({tuple(sorted(r.needs)) for r in profile.roles}) == len(profile.roles)


def test_dump_and_parse_round_trip_exactly(catalog):
    profile = load_profile(catalog=catalog)
    text = dump_profile(profile)
    again = parse_profile(text, catalog)
    assert again == profile
    assert dump_profile(again) == text


def test_end_before_start(catalog):
    assert errors_for(catalog, "    end: 2027-08-31", "    end: 2023-08-31") == [
        "acme.yaml:16:5: current.contract: end 2023-08-31 must be after start 2024-09-01"
    ]


def test_impossible_date(catalog):
    assert errors_for(catalog, "    end: 2027-08-31", "    end: 2027-02-30") == [
        "acme.yaml:17:10: current.contract.end: '2027-02-30' is not a valid value (day is out "
        "of range for month)"
    ]


def test_negative_seats(catalog):
    assert errors_for(catalog, "    seats: 60", "    seats: -60") == [
        "acme.yaml:28:12: roles.0.seats: Input should be greater than or equal to 0"
    ]


def test_unknown_product_tier_and_feature(catalog):
    assert errors_for(catalog, "  tier: enterprise", "  tier: platinum") == [
        "acme.yaml:11:9: current.tier: unknown tier 'platinum' of salesforce; expected one of "
        "free_suite, starter, pro, enterprise, unlimited, agentforce_1, core, advanced, max"
    ]
    assert errors_for(catalog, "  product: salesforce", "  product: sellforce") == [
        "acme.yaml:10:12: current.product: unknown product 'sellforce'"
    ]
    (message,) = errors_for(catalog, "lead_management: must", "telepathy: must")
    assert message.startswith("acme.yaml:30:24: roles.0.needs.telepathy: unknown feature")


def test_missing_fx_rate_for_a_catalog_currency():
    from analyzer.catalog import load_catalog

    golden = load_catalog(FIXTURES / "golden_catalog")
    text = EXAMPLE_TEXT.replace("product: salesforce", "product: legacy")
    with pytest.raises(InputError) as caught:
        parse_profile(text, golden, "acme.yaml")
    messages = [str(p) for p in caught.value.problems]
    assert (
        "acme.yaml:5:5: fx: no fx rate for EUR, used by the catalog: add `EUR: <USD per "
        "EUR>` under fx" in messages
    )


def test_every_problem_at_once(catalog):
    text = EXAMPLE_TEXT.replace("    seats: 60", "    seats: -1").replace(
        "horizon_months: 36", "horizon_months: many"
    )
    with pytest.raises(InputError) as caught:
        parse_profile(text, catalog, "acme.yaml")
    fields = [p.field for p in caught.value.problems]
    assert fields == ["horizon_months", "roles.0.seats"]


def test_unknown_field_is_named(catalog):
    assert errors_for(catalog, "discount_rate: 0.08", "discount_rat: 0.08") == [
        "acme.yaml:8:15: discount_rat: unknown field 'discount_rat'"
    ]
