"""Calendar arithmetic: hand-worked month ends and leap years, and a property check against a
reference that walks the calendar one month at a time with plain day arithmetic."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.dates import add_months, month_index, months_between, whole_months_between

ONE_DAY = dt.timedelta(days=1)


def first_of_next_month(day: dt.date) -> dt.date:
    """Reference: the 1st of the month after ``day``'s (the 4th plus 28 days always lands in it)."""
    return (day.replace(day=4) + dt.timedelta(days=28)).replace(day=1)


def reference_add_months(day: dt.date, months: int) -> dt.date:
    """Reference: walk ``months`` month starts forwards or backwards, then clamp the day."""
    month = day.replace(day=1)
    for _ in range(abs(months)):
        month = first_of_next_month(month) if months > 0 else (month - ONE_DAY).replace(day=1)
    last_day = (first_of_next_month(month) - ONE_DAY).day
    return month.replace(day=min(day.day, last_day))


def reference_months_between(start: dt.date, stop: dt.date) -> float:
    """Reference: the largest ``k`` with start + k months <= stop, plus the day share of k + 1."""
    # Low enough to be on or before stop: going k months back moves at least 28k days.
    whole = -abs((stop - start).days) // 28 - 2
    while reference_add_months(start, whole + 1) <= stop:
        whole += 1
    anchor = reference_add_months(start, whole)
    following = reference_add_months(start, whole + 1)
    return whole + (stop - anchor).days / (following - anchor).days


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2027, 1, 31), 1, dt.date(2027, 2, 28)),  # 2027 is not a leap year
        (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),  # 2028 is
        (dt.date(2028, 2, 29), 12, dt.date(2029, 2, 28)),  # Feb 29 + 12 months: no Feb 29 in 2029
        (dt.date(2028, 2, 29), 48, dt.date(2032, 2, 29)),  # 2032 is a leap year again
        (dt.date(2100, 1, 31), 1, dt.date(2100, 2, 28)),  # 2100: divisible by 100, not by 400
        (dt.date(2000, 1, 31), 1, dt.date(2000, 2, 29)),  # 2000: divisible by 400
        (dt.date(2027, 3, 31), -1, dt.date(2027, 2, 28)),  # backwards onto a short month
        (dt.date(2027, 1, 15), -13, dt.date(2025, 12, 15)),  # back a year and a month
        (dt.date(2026, 12, 31), 2, dt.date(2027, 2, 28)),  # across a year end
        (dt.date(2027, 5, 31), 1, dt.date(2027, 6, 30)),  # June has 30 days
        (dt.date(2027, 5, 31), 0, dt.date(2027, 5, 31)),
        (dt.date(2024, 6, 1), 36, dt.date(2027, 6, 1)),  # a three-year term
    ],
)
def test_add_months_clamps_to_the_month_end(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("day", "origin", "expected"),
    [
        (dt.date(2027, 1, 1), dt.date(2026, 12, 31), 1),  # one day, but the next month
        (dt.date(2026, 12, 31), dt.date(2026, 12, 1), 0),  # same month
        (dt.date(2026, 12, 1), dt.date(2027, 2, 28), -2),  # before the origin
        (dt.date(2029, 11, 30), dt.date(2026, 12, 1), 35),  # 36-month horizon's last month
    ],
)
def test_month_index_counts_calendar_months(day, origin, expected):
    assert month_index(day, origin) == expected


@pytest.mark.parametrize(
    ("start", "stop", "expected"),
    [
        (dt.date(2027, 1, 31), dt.date(2027, 2, 28), 1.0),  # Jan 31 + 1 month is Feb 28
        (dt.date(2027, 1, 15), dt.date(2027, 3, 1), 1 + 14 / 28),  # Feb 15 + 14 of Feb's 28 days
        (dt.date(2024, 6, 1), dt.date(2027, 6, 1), 36.0),
        (dt.date(2028, 2, 29), dt.date(2029, 2, 28), 12.0),  # Feb 29 + 12 months is Feb 28
        (dt.date(2027, 3, 1), dt.date(2027, 3, 1), 0.0),
        # Backwards: Mar 15 - 1 month = Feb 15 <= Feb 20, then 5 of the 28 days to Mar 15.
        (dt.date(2027, 3, 15), dt.date(2027, 2, 20), -1 + 5 / 28),
        # Feb 10 2028 -> Mar 10 spans leap February's 29 days; Feb 24 is 14 of them in.
        (dt.date(2028, 2, 10), dt.date(2028, 2, 24), 14 / 29),
    ],
)
def test_months_between_whole_months_and_the_days_share(start, stop, expected):
    assert months_between(start, stop) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("start", "stop", "expected"),
    [
        (dt.date(2027, 1, 31), dt.date(2027, 2, 28), 1),
        (dt.date(2027, 1, 15), dt.date(2027, 3, 14), 1),  # one day short of two months
        (dt.date(2027, 1, 15), dt.date(2027, 3, 15), 2),
        (dt.date(2028, 2, 29), dt.date(2029, 2, 28), 12),
        (dt.date(2027, 3, 1), dt.date(2027, 3, 1), 0),  # not after
        (dt.date(2027, 3, 1), dt.date(2026, 3, 1), 0),  # before: never negative
    ],
)
def test_whole_months_between(start, stop, expected):
    assert whole_months_between(start, stop) == expected


days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2110, 12, 31))


@given(days, st.integers(min_value=-240, max_value=240))
def test_add_months_matches_a_month_by_month_walk(day, months):
    assert add_months(day, months) == reference_add_months(day, months)


# The reference walks month by month: no per-example deadline on a busy machine.
@settings(deadline=None)
@given(days, st.integers(min_value=-1_500, max_value=1_500))
def test_months_between_matches_the_reference(start, offset_days):
    stop = start + dt.timedelta(days=offset_days)
    expected = reference_months_between(start, stop)
    assert months_between(start, stop) == pytest.approx(expected, abs=1e-12)
    assert whole_months_between(start, stop) == max(0, int(expected // 1))


@given(days, st.integers(min_value=-240, max_value=240))
def test_a_day_that_every_month_has_comes_back_unchanged(day, months):
    day = day.replace(day=min(day.day, 28))
    assert add_months(add_months(day, months), -months) == day
