"""Currency codes: ISO 4217 only, with a message that says what was expected."""

import pytest

from analyzer.currency import ISO_4217, check_currency


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
