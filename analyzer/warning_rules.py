"""Warnings every output shows, built from the result's tables (DESIGN section 5).

Each warning is a row ``(scenario_id, kind, message)``; ``scenario_id`` is empty for a warning
about the situation as a whole (a notice deadline, seats paid but unused).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import pandas as pd

NEAR_DEADLINE_DAYS = 30
"""A notice deadline this many days or fewer after the analysis start is urgent."""

WARNING_COLUMNS = ["scenario_id", "kind", "message"]


@dataclass(frozen=True)
class NoticeUrgency:
    """How urgent the notice deadline is, seen from the analysis start."""

    deadline: dt.date
    days_left: int
    #: "passed" (before the analysis start), "near" (fewer than NEAR_DEADLINE_DAYS left), "ahead".
    level: Literal["passed", "near", "ahead"]


def notice_urgency(deadline: dt.date, analysis_start: dt.date) -> NoticeUrgency:
    """The urgency of a notice deadline, with the threshold the recommendation's warning uses.

    >>> notice_urgency(dt.date(2026, 3, 1), dt.date(2026, 2, 1)).level
    'near'
    """
    days_left = (deadline - analysis_start).days
    if days_left < 0:
        level = "passed"
    elif days_left < NEAR_DEADLINE_DAYS:
        level = "near"
    else:
        level = "ahead"
    return NoticeUrgency(deadline, days_left, level)


def deadline_warnings(dates: dict[str, dt.date], start: dt.date) -> list[tuple[str, str, str]]:
    """Warnings about the notice deadline of the term that can next be changed."""
    deadline = dates["notice_deadline"]
    days = (deadline - start).days
    rows = []
    if notice_urgency(deadline, start).level != "ahead":
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
