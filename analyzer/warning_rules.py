"""Warnings every output shows, built from the result's tables (DESIGN section 5).

Each warning is a row ``(scenario_id, kind, message)``; ``scenario_id`` is empty for a warning
about the situation as a whole (a notice deadline, seats paid but unused).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from analyzer.catalog import Product, Tier
from analyzer.frames import rows_table
from analyzer.keydates import contract_notice_date
from analyzer.scoring import CloseCall

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


def deadline_warnings(
    dates: dict[str, dt.date],
    start: dt.date,
    missed: MissedDeadline | None,
) -> list[tuple[str, str, str]]:
    """Warnings about the notice deadline: passed (the contract renews whatever is decided),
    near, or past its recommended date; and a forced renewal longer than a year.

    ``dates`` are the key dates of the term that can next be changed; ``missed`` the running
    term whose deadline passed before the analysis start, if any.
    """
    rows = []
    if missed is not None:
        rows.append(
            (
                "",
                "deadline_passed",
                f"The notice deadline {missed.deadline} of the term ending {missed.term_end} "
                f"has passed: the contract renews on {missed.renews_on} for "
                f"{missed.renewal_months} months at +{missed.uplift_pct:g}%; the earliest exit "
                f"is {missed.earliest_exit}.",
            )
        )
        if missed.renewal_months > 12:
            rows.append(
                (
                    "",
                    "long_forced_renewal",
                    f"The forced renewal runs {missed.renewal_months} months, longer than a "
                    "year: every option waits for its end or pays for it.",
                )
            )
    deadline = dates["notice_deadline"]
    if notice_urgency(deadline, start).level != "ahead":
        days = (deadline - start).days
        renews = dates["term_end"] + dt.timedelta(days=1)
        rows.append(
            (
                "",
                "deadline_near",
                f"The notice deadline {deadline} is {days} days after the analysis start: send "
                f"written notice now or the contract renews on {renews:%Y-%m-%d}.",
            )
        )
    # Stay's dates: the term that can next be changed, left at its end (never early).
    planned = contract_notice_date(deadline, dates["renewal_window_opens"], early=False)
    if start > planned:
        rows.append(
            (
                "",
                "recommended_notice_passed",
                f"The recommended notice date {planned} has passed.",
            )
        )
    return rows


@dataclass(frozen=True)
class MissedDeadline:
    """The running term's notice deadline passed before the analysis start."""

    deadline: dt.date
    term_end: dt.date
    renews_on: dt.date
    renewal_months: int
    uplift_pct: float
    earliest_exit: dt.date


UNUSED_SEAT_COLUMNS = ("unused", "license_type", "unused_cost_per_year")
"""The seat-usage columns :func:`unused_seat_warnings` reads."""


def unused_seat_warnings(
    rows: Iterable[tuple[int, str, float]], money: Callable[[float], str]
) -> list[tuple]:
    """Seats paid for that no role holds, with what they cost a year at today's price, from
    the seat-usage rows (the :data:`UNUSED_SEAT_COLUMNS` of each; the rules read the rows the
    tables are made of)."""
    unused = [(seats, name, cost) for seats, name, cost in rows if seats > 0]
    if not unused:
        return []
    parts = ", ".join(f"{seats} {name}" for seats, name, _ in unused)
    # Summed as pandas sums a column (numpy, a missing price counting 0), to the same cent.
    yearly = float(np.nansum(np.array([cost for _, _, cost in unused], dtype=float)))
    return [
        (
            "stay",
            "unused_seats",
            f"{int(sum(seats for seats, _, _ in unused))} seats are paid for and held by no role "
            f"({parts}): {money(yearly)} a year at today's price.",
        )
    ]


STAY_MUST_COLUMNS = ("role", "feature", "need", "support")
"""The fit-detail columns :func:`stay_must_warnings` reads."""


def stay_must_warnings(fit_detail: pd.DataFrame, gates: tuple[str, ...]) -> list[tuple]:
    """Must-haves that staying meets only partly (limited) or not at all.

    Only Stay's rows are read: the rows from its first to its last (an analysis lists them
    together), filtered on the scenario id.
    """
    ids = fit_detail["scenario_id"].tolist()
    if "stay" not in ids:
        return []
    first, last = ids.index("stay"), len(ids) - ids[::-1].index("stay")
    # The block's columns sliced as arrays: a pandas slice of the table would copy every column.
    block = [fit_detail[name].to_numpy()[first:last].tolist() for name in STAY_MUST_COLUMNS]
    rows = zip(ids[first:last], *block, strict=True)
    return stay_must_row_warnings(
        (row[1:] for row in rows if row[0] == "stay"),
        gates,
    )


def stay_must_row_warnings(
    rows: Iterable[tuple[str, str, str, str]], gates: tuple[str, ...]
) -> list[tuple]:
    """:func:`stay_must_warnings` of Stay's fit-detail rows as they are before the table is
    made: the :data:`STAY_MUST_COLUMNS` of each row, in the table's order."""
    warnings = []
    for role, feature, need, support in rows:
        if need not in gates:
            continue
        if support == "limited":
            how = (
                "only partly (limited support, accepted by the need)"
                if need == "must_limited"
                else "only partly (limited support)"
            )
        elif support == "absent":
            how = "not at all"
        else:
            continue
        warnings.append(
            (
                "stay",
                "stay_must_unmet",
                f"Staying, the {role} role's must-have {feature} is met {how}.",
            )
        )
    return warnings


def limited_must_warnings(fit_detail: pd.DataFrame, labels: Mapping[str, str]) -> list[tuple]:
    """Must-haves written ``must_limited`` that an option other than Stay meets with limited
    support: accepted by the need, and then a warning (DESIGN section 6). Stay's are
    :func:`stay_must_warnings`."""
    ids = fit_detail["scenario_id"].to_numpy()
    partly = np.flatnonzero(
        (fit_detail["need"].to_numpy() == "must_limited")
        & (fit_detail["support"].to_numpy() == "limited")
        & (ids != "stay")
    )
    roles, features = fit_detail["role"].to_numpy(), fit_detail["feature"].to_numpy()
    return [
        (
            ids[k],
            "limited_must",
            f"{labels.get(ids[k], ids[k])}: the {roles[k]} role's must-have {features[k]} is "
            "met only partly (limited support, accepted by the need).",
        )
        for k in partly
    ]


PRICE_WARNING_KINDS = ("estimate_price", "stale_price")
"""Kinds of the warnings :func:`price_warnings` gives, one per price used."""


PRICE_COLUMNS = ("product", "tier", "item", "confidence", "stale", "as_of")
"""The price-source columns :func:`price_warnings` reads."""


def price_warnings(rows: Iterable[tuple]) -> list[tuple]:
    """Prices used that are stale (read over 12 months before the start) or estimates, from
    the price sources' rows (the :data:`PRICE_COLUMNS` of each)."""
    warnings = []
    for product, tier, name, confidence, stale, as_of in rows:
        item = f"{product} {tier}: {name}"
        if confidence == "estimate":
            warnings.append(("", "estimate_price", f"{item} is costed at an estimated price."))
        if stale:
            warnings.append(
                (
                    "",
                    "stale_price",
                    f"{item} is costed at a price read on {as_of}, more than 12 months "
                    "before the analysis start: ask for a current quote.",
                )
            )
    return warnings


def legacy_edition_warnings(product: Product, tier: Tier) -> list[tuple]:
    """The current edition is no longer sold to new customers: a renewal may be re-priced."""
    if not tier.legacy:
        return []
    current = [t.name for t in product.tiers if not t.legacy and not t.quote_only]
    sold = f" (sold today: {', '.join(current)})" if current else ""
    return [
        (
            "stay",
            "legacy_edition",
            f"{product.name} {tier.name} is a legacy edition, renewable but no longer sold to "
            f"new customers{sold}: ask whether the renewal is priced on it or moved to a "
            "current edition.",
        )
    ]


def close_call_warnings(call: CloseCall | None, labels: Mapping[str, str]) -> list[tuple]:
    """A winner that is not a clear one, naming the contenders."""
    if call is None:
        return []
    names = " and ".join(labels.get(s, s) for s in call.contenders)
    why = "; ".join(call.reasons(labels))
    return [(call.winner, "close_call", f"Close call between {names}: {why}.")]


def warnings_frame(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """The warnings as a table of :data:`WARNING_COLUMNS`."""
    return rows_table(rows, WARNING_COLUMNS)
