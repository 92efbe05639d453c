"""Money and date formatting shared by reports, the app and recommendations."""

from __future__ import annotations

import math

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}


def money(amount: float | None, currency: str, decimals: int = 0) -> str:
    """``amount`` in ``currency``: a symbol where unambiguous, else the ISO code.

    >>> money(-1234.5, "USD")
    '-$1,234'
    >>> money(99.5, "CHF", 2)
    'CHF 99.50'
    """
    if amount is None or (isinstance(amount, float) and math.isnan(amount)):
        return "–"
    sign = "-" if amount < 0 else ""
    number = f"{abs(amount):,.{decimals}f}"
    symbol = SYMBOLS.get(currency)
    return f"{sign}{symbol}{number}" if symbol else f"{sign}{currency} {number}"
