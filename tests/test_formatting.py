"""Money, percentage, point, break-even and age wording: one function each for every format."""

import datetime as dt
import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analyzer.formatting import (
    break_even,
    fit_points,
    money,
    percent,
    points_change,
    scenario_break_even,
    source_age,
)


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


# --- Percentages and points: the difference of two printed percentages -------------------------


@pytest.mark.parametrize(
    ("share", "places", "text"),
    [(0.875, 0, "88%"), (0.884, 0, "88%"), (0.985, 1, "98.5%"), (None, 0, "–"), (math.nan, 1, "–")],
)
def test_percent_by_hand(share, places, text):
    assert percent(share, places) == text


def test_fit_points_agree_with_the_percentages_printed():
    # The reason text once said "fit 88% against 88% (down 1 point)": 0.875 and 0.884 are
    # 0.9 points apart, but both print as 88%, so the change must read "unchanged".
    assert (percent(0.875), percent(0.884)) == ("88%", "88%")
    assert fit_points(0.875, 0.884) == 0
    assert points_change(fit_points(0.875, 0.884)) == "unchanged"
    # 0.9349 prints 93% and 0.9401 prints 94%: one point down, though only 0.5 apart.
    assert points_change(fit_points(0.9349, 0.9401)) == "down 1 point"
    assert points_change(fit_points(1.0, 0.8)) == "up 20 points"


@given(st.floats(0, 1), st.floats(0, 1))
def test_fit_points_is_the_difference_of_the_printed_whole_percentages(share, reference):
    printed = int(percent(share)[:-1]), int(percent(reference)[:-1])
    assert fit_points(share, reference) == printed[0] - printed[1]
    # Never a change in words when the two print the same, and the direction never flips.
    if percent(share) == percent(reference):
        assert points_change(fit_points(share, reference)) == "unchanged"
    if fit_points(share, reference) > 0:
        assert share > reference


# --- Break-even ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "label", "text"),
    [
        (0, None, "never above staying"),
        (None, None, "none within the horizon"),
        (pd.NA, None, "none within the horizon"),
        (6, None, "month 6"),
        (21, "2028-09", "2028-09 (month 21)"),
    ],
)
def test_break_even_by_hand(month, label, text):
    assert break_even(month, label) == text


def test_a_break_even_is_never_printed_as_zero():
    assert "0" not in break_even(0)


@pytest.mark.parametrize(
    ("row", "text"),
    [
        ({"kind": "stay", "status": "ok", "break_even_month": pd.NA}, "–"),
        ({"kind": "switch", "status": "needs_quote", "break_even_month": pd.NA}, "–"),
        ({"kind": "switch", "status": "ok", "break_even_month": pd.NA}, "none within the horizon"),
        ({"kind": "downgrade", "status": "ok", "break_even_month": 0}, "never above staying"),
        # Month 2 of a horizon starting 2027-01 is 2027-03.
        ({"kind": "switch", "status": "ok", "break_even_month": 2}, "2027-03 (month 2)"),
    ],
)
def test_scenario_break_even_by_hand(row, text):
    assert scenario_break_even(row, ["2027-01", "2027-02", "2027-03"]) == text


# --- Age of a price ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "text"),
    [
        # 2026-12-01 less 2025-12-01 is 12 whole months; a day later it is 11.
        (dt.date(2025, 12, 1), "12 months"),
        (dt.date(2025, 12, 2), "11 months"),
        (dt.date(2026, 11, 1), "1 month"),
        (dt.date(2026, 12, 1), "0 months"),
        # A price dated after the analysis start is not negative in age.
        (dt.date(2027, 1, 1), "0 months"),
        (None, "from the profile"),
    ],
)
def test_source_age_by_hand(as_of, text):
    assert source_age(as_of, dt.date(2026, 12, 1)) == text
