"""Currency codes (ISO 4217 only, with a message that says what was expected) and catalog
prices in the profile's currency: the vendor's local list price when it publishes one, else
the price converted at the profile's fx rate."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analyzer.catalog import Price
from analyzer.currency import ISO_4217, check_currency
from analyzer.licensing import converted
from tests.conftest import golden_profile


def test_known_codes_pass_through():
    for code in ("USD", "EUR", "GBP", "JPY", "CHF", "INR"):
        assert check_currency(code) == code


@pytest.mark.parametrize("code", ["usd", "US$", "XXX1", "", "DEM"])
def test_unknown_codes_are_refused_with_an_example(code):
    with pytest.raises(ValueError, match="ISO 4217 code such as USD or EUR"):
        check_currency(code)


def test_the_list_holds_three_letter_upper_case_codes():
    assert all(len(code) == 3 and code.isupper() for code in ISO_4217)
    assert len(ISO_4217) > 150


# --- Local list prices: the vendor's own figure in the profile's currency beats fx ---------------

US_PAGE = "https://vendor.example.com/us/pricing"
EU_PAGE = "https://vendor.example.com/eu/pricing"
UK_PAGE = "https://vendor.example.com/uk/pricing"
ENTERPRISE_SEAT = Price.model_validate(
    {
        "amount": 175,
        "currency": "USD",
        "source": US_PAGE,
        "as_of": "2026-08-13",
        "confidence": "secondary",
        "local": [
            {
                "amount": 165,
                "currency": "EUR",
                "source": EU_PAGE,
                "as_of": "2026-09-01",
                "confidence": "vendor",
            },
            {"amount": 140, "currency": "GBP", "source": UK_PAGE, "as_of": "2026-09-02"},
        ],
    }
)
"""A seat listed at USD 175 that the vendor also lists at EUR 165 and GBP 140."""


def test_a_euro_profile_pays_the_published_euro_price_not_the_converted_dollars():
    profile = golden_profile(currency="EUR", fx={"USD": 0.9})
    seat = converted(ENTERPRISE_SEAT, profile)
    # The vendor lists EUR 165; 175 USD at 0.9 EUR per USD would be EUR 157.50.
    assert seat.amount == 165.0 and seat.list_amount == 165.0
    assert (seat.source, seat.as_of, seat.flat, seat.billing) == (
        EU_PAGE,
        "2026-09-01",
        False,
        "annual",
    )


def test_a_pound_profile_pays_the_published_pound_price():
    profile = golden_profile(currency="GBP", fx={"USD": 0.79, "EUR": 0.85})
    seat = converted(ENTERPRISE_SEAT, profile)
    # GBP 140 as listed, not 175 USD x 0.79 = GBP 138.25.
    assert (seat.amount, seat.source, seat.as_of) == (140.0, UK_PAGE, "2026-09-02")


def test_a_currency_without_a_local_price_falls_back_to_fx():
    profile = golden_profile(currency="CHF", fx={"USD": 0.8, "EUR": 0.95})
    seat = converted(ENTERPRISE_SEAT, profile)
    # No CHF list: 175 USD x 0.8 CHF per USD = CHF 140, read on the US page.
    assert seat.amount == 140.0
    assert (seat.source, seat.as_of) == (US_PAGE, "2026-08-13")


def test_the_price_in_its_own_currency_ignores_the_local_ones():
    seat = converted(ENTERPRISE_SEAT, golden_profile())
    assert (seat.amount, seat.source) == (175.0, US_PAGE)


@given(rate=st.floats(min_value=1e-3, max_value=1e3, allow_nan=False))
def test_a_local_price_does_not_move_with_the_exchange_rate(rate):
    euro = golden_profile(currency="EUR", fx={"USD": rate})
    chf = golden_profile(currency="CHF", fx={"USD": rate, "EUR": 1.0})
    assert converted(ENTERPRISE_SEAT, euro).amount == 165.0
    assert converted(ENTERPRISE_SEAT, chf).amount == 175.0 * rate
