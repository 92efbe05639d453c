"""Money, percentage, point and break-even wording shared by reports, the app and recommendations.

One function per kind of figure, so every format and the app print a figure the same way:
:func:`money` for amounts, :func:`percent` for shares, :func:`fit_points` and
:func:`points_change` for the difference of two printed percentages, :func:`break_even` for the
month an option's cumulative cost drops to Stay's for good, and :func:`source_age` for how old a
price is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}
MISSING = "–"
"""How every format shows a value that does not exist (the fit of an option not costed)."""
NEVER_ABOVE_STAYING = "never above staying"
"""Break-even of an option whose cumulative cost is at or below Stay's in every month."""
NO_BREAK_EVEN = "none within the horizon"
"""Break-even of an option whose cumulative cost is still above Stay's at the horizon's end."""


def _missing(value: Any) -> bool:
    """None, NaN, ``pd.NA`` or ``pd.NaT``: a figure that does not exist."""
    return value is None or bool(pd.isna(value))


def money(amount: float | None, currency: str, decimals: int = 0) -> str:
    """``amount`` in ``currency``: a symbol where unambiguous, else the ISO code.

    >>> money(-1234.5, "USD")
    '-$1,234'
    >>> money(99.5, "CHF", 2)
    'CHF 99.50'
    """
    if _missing(amount):
        return MISSING
    sign = "-" if amount < 0 else ""
    number = f"{abs(amount):,.{decimals}f}"
    symbol = SYMBOLS.get(currency)
    return f"{sign}{symbol}{number}" if symbol else f"{sign}{currency} {number}"


def percent(share: float | None, places: int = 0) -> str:
    """``share`` as a percentage with ``places`` decimals, :data:`MISSING` when there is none.

    >>> percent(0.125), percent(-0.5, 1), percent(float("nan")), percent(None)
    ('12%', '-50.0%', '–', '–')
    """
    return MISSING if _missing(share) else f"{share:.{places}%}"


def fit_points(share: float, reference: float) -> int:
    """Whole percentage points from ``reference`` to ``share``, as the two print with
    :func:`percent`: 0.875 against 0.884 is 88% against 88%, so 0 points, never "down 1".

    >>> fit_points(0.875, 0.884), fit_points(0.8849, 0.8851), fit_points(0.9, 0.7)
    (0, -1, 20)
    """
    return int(percent(share).removesuffix("%")) - int(percent(reference).removesuffix("%"))


def points_change(points: int) -> str:
    """A change in percentage points in words: ``unchanged``, ``up 1 point``, ``down 3 points``.

    >>> points_change(0), points_change(1), points_change(-3)
    ('unchanged', 'up 1 point', 'down 3 points')
    """
    if points == 0:
        return "unchanged"
    size = abs(points)
    return f"{'up' if points > 0 else 'down'} {size} point{'' if size == 1 else 's'}"


def break_even(month: int | None, month_label: str | None = None) -> str:
    """When an option's cumulative cost drops to Stay's for good, in words.

    ``month`` is the analysis's ``break_even_month`` (0 = the first month of the horizon) of a
    costed option other than Stay; ``month_label`` its ``YYYY-MM`` when known.

    >>> break_even(0), break_even(None), break_even(7), break_even(7, "2027-07")
    ('never above staying', 'none within the horizon', 'month 7', '2027-07 (month 7)')
    """
    if _missing(month):
        return NO_BREAK_EVEN
    if int(month) == 0:
        return NEVER_ABOVE_STAYING
    return f"{month_label} (month {int(month)})" if month_label else f"month {int(month)}"


def scenario_break_even(row: Mapping[str, Any], months: Sequence[str]) -> str:
    """:func:`break_even` of one scenario row (kind, status, break_even_month), the month named
    from ``months`` (the horizon's ``YYYY-MM``, e.g. ``result.cumulative.index``); :data:`MISSING`
    for Stay and for an option that is not costed.

    >>> scenario_break_even({"kind": "switch", "status": "ok", "break_even_month": 2},
    ...                     ["2027-01", "2027-02", "2027-03"])
    '2027-03 (month 2)'
    >>> scenario_break_even({"kind": "stay", "status": "ok", "break_even_month": None}, [])
    '–'
    """
    if row["kind"] == "stay" or row["status"] != "ok":
        return MISSING
    month = row["break_even_month"]
    if _missing(month) or int(month) == 0:
        return break_even(month)
    return break_even(int(month), months[int(month)] if int(month) < len(months) else None)


def source_age(as_of: dt.date | None, analysis_start: dt.date) -> str:
    """How old a price is at the analysis start, in whole months; ``from the profile`` for a
    price the profile states (it has no date).

    >>> source_age(dt.date(2025, 11, 20), dt.date(2026, 12, 1))
    '12 months'
    >>> source_age(dt.date(2026, 11, 1), dt.date(2026, 12, 1)), source_age(None, dt.date.today())
    ('1 month', 'from the profile')
    """
    if _missing(as_of):
        return "from the profile"
    months = (analysis_start.year - as_of.year) * 12 + analysis_start.month - as_of.month
    months -= analysis_start.day < as_of.day
    months = max(months, 0)
    return f"{months} month{'' if months == 1 else 's'}"
