"""Calendar arithmetic for contracts: whole months, clamped days, month buckets.

A month step clamps the day to the length of the target month (31 January plus one month is 28
or 29 February), as :class:`dateutil.relativedelta.relativedelta` does; it is computed with plain
integer arithmetic because contract schedules take thousands of steps per analysis.
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache


@lru_cache(maxsize=16384)
def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months, the day clamped to the month's length.
    Cached: an analysis steps the same contract dates again and again.

    >>> add_months(dt.date(2027, 1, 31), 1)
    datetime.date(2027, 2, 28)
    >>> add_months(dt.date(2028, 2, 29), -12)
    datetime.date(2027, 2, 28)
    """
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last_day))


def month_index(day: dt.date, origin: dt.date) -> int:
    """Calendar months from ``origin``'s month to ``day``'s month (month 0 is origin's).

    >>> month_index(dt.date(2027, 1, 1), dt.date(2026, 12, 31))
    1
    """
    return (day.year - origin.year) * 12 + day.month - origin.month


def months_between(start: dt.date, stop: dt.date) -> float:
    """Months from ``start`` to ``stop`` as whole months plus the fraction of the next one.

    The whole part is the largest number of months ``k`` with ``add_months(start, k) <= stop``
    (negative when ``stop`` is before ``start``); the fraction is the share of the following
    month, counted in days, that has passed by ``stop``.

    >>> months_between(dt.date(2027, 1, 15), dt.date(2027, 3, 1))
    1.5
    """
    whole = month_index(stop, start)
    if add_months(start, whole) > stop:
        whole -= 1
    anchor = add_months(start, whole)
    following = add_months(start, whole + 1)
    return whole + (stop - anchor).days / (following - anchor).days


def whole_months_between(start: dt.date, stop: dt.date) -> int:
    """Whole months from ``start`` up to ``stop`` (0 when ``stop`` is not after ``start``).

    >>> whole_months_between(dt.date(2027, 1, 31), dt.date(2027, 2, 28))
    1
    """
    if stop <= start:
        return 0
    whole = month_index(stop, start)
    return whole - 1 if add_months(start, whole) > stop else whole
