"""Profile edits: the business rules behind the app's forms, as pure functions.

The app's pages only draw widgets and call these. Each function takes a profile (and the
catalog where ids must be known) plus the values a user entered, and returns the edited profile
as a plain dict for validation, or a judgement about a value (a stale price). Nothing here
reads a widget or imports Streamlit, so every rule is tested without a browser.

Examples
--------
>>> ratio_text("cost", "fit", 3, {"cost": "Cost", "fit": "Fit"})
'Cost 3× as important'
>>> nearest_ratio(2.6)
3
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
from pydantic import ValidationError

from analyzer.catalog import Catalog, stale_cutoff
from analyzer.errors import AnalyzerError, InputError
from analyzer.profile import Profile, check_profile

#: A catalog price read more than this many months before the analysis start may have changed.
#: Saaty's 1-9 scale in both directions: "a is r times as important as b", r from 9 to 1/9.
AHP_RATIOS: tuple[float, ...] = (*range(9, 1, -1), 1, *(1 / r for r in range(2, 10)))
#: The need levels a feature can have for a role: a must-have, or a weight from 5 down to 1.
NEED_LEVELS = ("must", "5", "4", "3", "2", "1")

#: What a user is told for a failure that carries no message of its own for them.
_FAILURE_MESSAGES: tuple[tuple[type[BaseException], str], ...] = (
    (RecursionError, "the input is nested too deeply to read"),
    (
        UnicodeError,
        "the input holds text that is not valid UTF-8 or a character that cannot be stored",
    ),
    (OverflowError, "a number or date in the input is too large"),
    (MemoryError, "the input is too large to process"),
)


def blank_to_none(value: Any) -> Any:
    """An empty data-editor cell (None, NaN or ``pd.NA``) as None; any other value unchanged.

    >>> blank_to_none(float("nan")) is None, blank_to_none(0)
    (True, 0)
    """
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def with_changes(profile: Profile, changes: Mapping[tuple[str | int, ...], Any]) -> dict[str, Any]:
    """The profile as a dict with the values at the given key paths replaced.

    A path is a tuple of dict keys and list positions, for example ``("roles", 0, "needs")``.
    The profile itself is not changed.
    """
    data = profile.model_dump()
    for path, value in changes.items():
        target = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
    return data


def remapped_subscription(
    profile: Profile, catalog: Catalog, product_id: str, tier_id: str, billing: str
) -> dict[str, Any]:
    """The profile moved to another product or edition, keeping its seat count.

    Seats of license types the new edition lacks move to its full seat (its first license
    type); prices paid for such license types are dropped, and a role that held one holds no
    known seat any more. An unknown product or edition raises :class:`AnalyzerError`.
    """
    try:
        tier = catalog.product(product_id).tier(tier_id)
    except KeyError:
        raise AnalyzerError(
            f"current.tier: {product_id}/{tier_id} is not an edition in the catalog"
        ) from None
    known = {license_type.id for license_type in tier.license_types}
    full_seat = tier.license_types[0].id
    seats: dict[str, int] = {}
    for license_type, count in profile.current.seats.items():
        target = license_type if license_type in known else full_seat
        seats[target] = seats.get(target, 0) + count
    data = with_changes(
        profile,
        {
            ("current", "product"): product_id,
            ("current", "tier"): tier_id,
            ("current", "billing"): billing,
            ("current", "seats"): seats,
            ("current", "prices"): {
                lt: price for lt, price in profile.current.prices.items() if lt in known
            },
        },
    )
    for role in data["roles"]:
        if role["current_license"] not in known:
            role["current_license"] = None
    return data


def roles_from_rows(profile: Profile, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Roles from the rows of a roles table, each row keeping the needs of the role it edits.

    Every row has an ``index``: the position of the role it was in the profile (a renamed role
    keeps its needs); a row whose index is past the old roles is new and starts with none.
    Empty cells become None so that validation names them.
    """
    needs = dict(enumerate(role.needs for role in profile.roles))
    return [
        {
            "id": blank_to_none(row.get("id")),
            "name": blank_to_none(row.get("name")),
            "seats": blank_to_none(row.get("seats")),
            "current_license": blank_to_none(row.get("current_license")),
            "needs": needs.get(row.get("index"), {}),
        }
        for row in rows
    ]


def quotes_from_rows(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Quotes from the rows of a quotes table; an empty cell is left out (its default applies)."""
    return [
        {name: value for name, value in row.items() if blank_to_none(value) is not None}
        for row in rows
    ]


def fx_from_rows(rows: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Exchange rates from ``{"currency", "rate"}`` rows; a row without a currency is skipped."""
    return {
        row["currency"]: blank_to_none(row.get("rate"))
        for row in rows
        if blank_to_none(row.get("currency")) is not None
    }


def needs_from_levels(levels: Mapping[str, Any]) -> dict[str, str | int]:
    """Needs from a feature -> level mapping ("must", "1".."5" or empty).

    >>> needs_from_levels({"email": "must", "cpq": "3", "chat": None})
    {'email': 'must', 'cpq': 3}
    """
    return {
        feature: "must" if level == "must" else int(level)
        for feature, level in levels.items()
        if blank_to_none(level) is not None
    }


def problem_messages(error: BaseException) -> list[str]:
    """Human messages for any error met while reading or checking a profile.

    Located problems of an :class:`InputError` come one per line; pydantic errors name their
    field path; the failures a hostile file can cause deep in a parser (deep nesting, bad
    text, huge numbers) get a plain sentence instead of their technical text.
    """
    if isinstance(error, InputError):
        return [str(problem) for problem in error.problems]
    if isinstance(error, ValidationError):
        return [
            f"{'.'.join(map(str, item['loc'])) or 'profile'}: "
            f"{item['msg'].removeprefix('Value error, ')}"
            for item in error.errors()
        ]
    if isinstance(error, AnalyzerError):
        return [str(error)]
    for kind, message in _FAILURE_MESSAGES:
        if isinstance(error, kind):
            return [message]
    return [f"the input could not be used: {error}" if str(error) else type(error).__name__]


def candidate_problems(
    candidate: Profile | Mapping[str, Any], catalog: Catalog
) -> tuple[Profile | None, list[str]]:
    """Validate a proposed profile against its model and the catalog.

    Returns
    -------
    (Profile, []) when it is valid, else (None, every problem as a message naming its field).
    """
    try:
        profile = candidate if isinstance(candidate, Profile) else Profile.model_validate(candidate)
    except (ValidationError, ValueError, TypeError, OverflowError) as exc:
        return None, problem_messages(exc)
    problems = [str(problem) for problem in check_profile(profile, catalog)]
    return (None, problems) if problems else (profile, [])


def ratio_text(a: str, b: str, ratio: float, names: Mapping[str, str]) -> str:
    """A pairwise judgement in words: which criterion matters more, and how many times.

    >>> ratio_text("cost", "fit", 1 / 4, {"cost": "Cost", "fit": "Fit"})
    'Fit 4× as important'
    """
    if ratio == 1:
        return "equally important"
    winner, times = (a, ratio) if ratio > 1 else (b, 1 / ratio)
    return f"{names.get(winner, winner)} {times:g}× as important"


def nearest_ratio(ratio: float) -> float:
    """The Saaty ratio closest to ``ratio`` on a log scale (so 1/2 and 2 are equally far from 1)."""
    return min(AHP_RATIOS, key=lambda r: abs(math.log(r) - math.log(ratio)))


def starting_judgement(weights: Mapping[str, float], a: str, b: str) -> float:
    """The Saaty ratio a and b's current weights imply; a zero weight counts as a tiny one."""
    return nearest_ratio(max(weights.get(a, 0), 1e-9) / max(weights.get(b, 0), 1e-9))


def with_staleness(prices: pd.DataFrame, analysis_start: dt.date) -> pd.DataFrame:
    """The price table with ``as_of`` as dates and a boolean ``stale`` column."""
    as_of = pd.to_datetime(prices["as_of"])
    return prices.assign(as_of=as_of, stale=as_of < pd.Timestamp(stale_cutoff(analysis_start)))
