"""Warnings every output shows, built from the result's tables (DESIGN section 5).

Each warning is a row ``(scenario_id, kind, message)``; ``scenario_id`` is empty for a warning
about the situation as a whole (a notice deadline, seats paid but unused).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

NEAR_DEADLINE_DAYS = 30
"""A notice deadline this many days or fewer after the analysis start is urgent."""

WARNING_COLUMNS = ["scenario_id", "kind", "message"]


def deadline_urgency(deadline: dt.date, start: dt.date) -> str:
    """``passed``, ``near`` (within :data:`NEAR_DEADLINE_DAYS`) or ``ahead``.

    >>> deadline_urgency(dt.date(2027, 1, 10), dt.date(2027, 1, 1))
    'near'
    """
    days = (deadline - start).days
    if days < 0:
        return "passed"
    return "near" if days < NEAR_DEADLINE_DAYS else "ahead"


def deadline_warnings(dates: dict[str, dt.date], start: dt.date) -> list[tuple[str, str, str]]:
    """Warnings about the notice deadline of the term that can next be changed."""
    deadline = dates["notice_deadline"]
    days = (deadline - start).days
    rows = []
    if deadline_urgency(deadline, start) != "ahead":
        renews = dates["term_end"] + dt.timedelta(days=1)
        rows.append(
            (
                "",
                "deadline_near",
                f"The notice deadline {deadline} is {days} days after the analysis start: send "
                f"written notice now or the contract renews on {renews:%Y-%m-%d}.",
            )
        )
    if start > dates["recommended_notice"]:
        rows.append(
            (
                "",
                "recommended_notice_passed",
                f"The recommended notice date {dates['recommended_notice']} has passed.",
            )
        )
    return rows


def warnings_frame(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """The warnings as a table of :data:`WARNING_COLUMNS`."""
    return pd.DataFrame(rows, columns=WARNING_COLUMNS)
