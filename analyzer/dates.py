"""Calendar arithmetic for contracts: whole months, clamped days, month buckets."""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months, the day clamped to the month's length.

    >>> add_months(dt.date(2027, 1, 31), 1)
    datetime.date(2027, 2, 28)
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def month_index(day: dt.date, origin: dt.date) -> int:
    """Calendar months from ``origin``'s month to ``day``'s month (month 0 is origin's)."""
    return (day.year - origin.year) * 12 + day.month - origin.month


def months_between(start: dt.date, stop: dt.date) -> float:
    """Months from ``start`` to ``stop`` as whole months plus the fraction of the next one."""
    whole = month_index(stop, start)
    if add_months(start, whole) > stop:
        whole -= 1
    anchor = add_months(start, whole)
    following = add_months(start, whole + 1)
    return whole + (stop - anchor).days / (following - anchor).days


def whole_months_between(start: dt.date, stop: dt.date) -> int:
    """Whole months from ``start`` up to ``stop`` (0 when ``stop`` is not after ``start``)."""
    return max(0, int(months_between(start, stop))) if stop > start else 0
