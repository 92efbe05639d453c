"""Money formatting: one function for every report, the app and the recommendation."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analyzer.formatting import money


@pytest.mark.parametrize(
    ("amount", "currency", "decimals", "text"),
    [
        (401_187.4, "USD", 0, "$401,187"),
        (-14_400, "USD", 0, "-$14,400"),
        (0.5, "EUR", 2, "€0.50"),
        (1_234_567.891, "GBP", 2, "£1,234,567.89"),
        (99.5, "CHF", 2, "CHF 99.50"),  # no unambiguous symbol: the ISO code
        (None, "USD", 0, "–"),
        (math.nan, "USD", 0, "–"),
    ],
)
def test_money_by_hand(amount, currency, decimals, text):
    assert money(amount, currency, decimals) == text


@given(st.floats(-1e12, 1e12, allow_nan=False), st.sampled_from(["USD", "SEK"]))
def test_money_reads_back_as_the_rounded_amount(amount, currency):
    text = money(amount, currency, 2)
    digits = text.replace("$", "").replace("SEK ", "").replace(",", "")
    assert float(digits) == pytest.approx(round(amount, 2), abs=0.006)
