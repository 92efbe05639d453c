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
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
from pydantic import ValidationError

from analyzer.catalog import Catalog, stale_cutoff
from analyzer.dates import add_months
from analyzer.errors import AnalyzerError, InputError
from analyzer.profile import GATES, Profile, check_profile

#: A catalog price read more than this many months before the analysis start may have changed.
#: Saaty's 1-9 scale in both directions: "a is r times as important as b", r from 9 to 1/9.
AHP_RATIOS: tuple[float, ...] = (*range(9, 1, -1), 1, *(1 / r for r in range(2, 10)))
#: The need levels a feature can have for a role: a must-have (full support, or limited support
#: being enough), or a weight from 5 down to 1.
NEED_LEVELS = ("must", "must_limited", "5", "4", "3", "2", "1")

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


def edited_rows(
    rows: list[Mapping[str, Any]], edits: Mapping[str, Any] | None
) -> list[dict[str, Any]]:
    """The rows of a table after a data editor's edits (its session-state value).

    ``edits`` holds ``edited_rows`` (row position -> changed cells), ``deleted_rows`` (row
    positions) and ``added_rows`` (cells of new rows), as Streamlit's ``st.data_editor`` keeps
    them. Each row returned carries ``index``: its position in ``rows``, or past them for a new
    row, so that an edited row can be matched to what it was.

    >>> edited_rows(
    ...     [{"a": 1}, {"a": 2}],
    ...     {"edited_rows": {1: {"a": 5}}, "deleted_rows": [0], "added_rows": [{"a": 7}]},
    ... )
    [{'index': 1, 'a': 5}, {'index': 2, 'a': 7}]
    """
    edits = edits or {}
    changed = {int(position): cells for position, cells in edits.get("edited_rows", {}).items()}
    deleted = {int(position) for position in edits.get("deleted_rows", [])}
    columns = dict.fromkeys(name for row in rows for name in row)
    result = [
        {"index": position, **row, **changed.get(position, {})}
        for position, row in enumerate(rows)
        if position not in deleted
    ]
    result += [
        {"index": len(rows) + offset, **dict.fromkeys(columns), **cells}
        for offset, cells in enumerate(edits.get("added_rows", []))
    ]
    return result


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
    """Needs from a feature -> level mapping ("must", "1".."5", or empty: None or "").

    >>> needs_from_levels({"email": "must", "cpq": "3", "chat": None, "sms": ""})
    {'email': 'must', 'cpq': 3}
    """
    return {
        feature: level if level in GATES else int(level)
        for feature, level in levels.items()
        if blank_to_none(level) not in (None, "")
    }


#: Field labels as the app's forms show them, by the last name of a field path.
FIELD_LABELS: dict[str, str] = {
    "name": "Name",
    "currency": "Currency",
    "fx": "Exchange rates",
    "analysis_start": "Analysis start",
    "horizon_months": "Horizon (months)",
    "discount_rate": "Discount rate",
    "current": "Subscription",
    "product": "Product",
    "tier": "Edition",
    "seats": "Seats",
    "prices": "Net price per month",
    "billing": "Billing",
    "contract": "Contract",
    "start": "Term start",
    "end": "Term end",
    "auto_renew": "Auto-renews",
    "renewal_term_months": "Renewal term (months)",
    "notice_days": "Notice (days)",
    "uplift_pct": "Uplift at each renewal (%)",
    "refund": "Refund policy",
    "full_refund_days": "Full-refund window (days)",
    "early_termination_fee_pct": "Early termination fee (%)",
    "roles": "Roles",
    "id": "Id",
    "current_license": "Seat held today",
    "needs": "Needs",
    "org_needs": "Org-wide needs",
    "migration": "Migration",
    "records": "Records to migrate",
    "cost_per_thousand_records": "Cost per 1,000 records",
    "fixed_cost": "Fixed project cost",
    "integrations": "Integrations to rebuild",
    "cost_per_integration": "Cost per integration",
    "customization_hours": "Customization rebuild (hours)",
    "hourly_rate": "Hourly rate",
    "training_hours_per_user": "Training hours per user",
    "months": "Project months",
    "overlap_months": "Overlap months",
    "overrun_pct": "Overrun (%)",
    "discount_pct": "Discount on a downgraded renewal (%)",
    "downgrade_one_time_cost": "One-time cost of a downgrade",
    "target_discount_pct": "Discount off a new vendor's list price (%)",
    "target_uplift_pct": "Renewal uplift of a new vendor (%)",
    "quotes": "Quotes",
    "license_type": "License type",
    "amount": "Amount",
    "criteria_weights": "Criteria weights",
    "scoring_method": "Aggregation",
}
#: Pydantic's technical wording and the words a user is shown instead, applied in order.
_PLAIN_WORDING: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), words)
    for pattern, words in (
        (r"^Value error, ", ""),
        (
            r"^String should match pattern '\^\[a-z0-9\].*'$",
            "use lowercase letters, digits, _ and -, starting with a letter or a digit",
        ),
        (r"^Input should be greater than or equal to (\S+)$", "must be {} or more"),
        (r"^Input should be greater than (\S+)$", "must be more than {}"),
        (r"^Input should be less than or equal to (\S+)$", "must be {} or less"),
        (r"^Input should be less than (\S+)$", "must be less than {}"),
        (r"^Field required$", "is required"),
        (r"^Input should be a valid integer.*$", "must be a whole number"),
        (r"^Input should be a valid number.*$", "must be a number"),
        (r"^Input should be a finite number$", "must be a number"),
        (r"^String should have at most (\d+) characters?$", r"must be at most \1 characters"),
        (r"^List should have at least 1 item.*$", "needs at least one row"),
        (r"^List should have at most (\d+) items?.*$", r"allows at most \1 rows"),
        (r"^Input should be a valid string$", "must be text"),
        (r"^Input should be a valid date.*$", "must be a date (YYYY-MM-DD)"),
    )
)


def field_label(path: Iterable[str | int] | str) -> str:
    """A field path in the words of the forms, with 1-based rows.

    >>> field_label(("roles", 0, "id"))
    'Roles, row 1, Id'
    >>> field_label("current.seats.sales_cloud")
    'Seats, sales_cloud'
    """
    parts = path.split(".") if isinstance(path, str) else [str(part) for part in path]
    parts = [part for part in parts if part]
    if parts == ["name"]:
        return "Organisation"
    if parts[:1] == ["current"] and len(parts) > 1:
        parts = parts[1:]
    if parts[:1] == ["contract"] and len(parts) > 1:
        parts = parts[1:]
    words = []
    for index, part in enumerate(parts):
        if part.isdigit() and index > 0:
            words.append(f"row {int(part) + 1}")
        elif index > 0 and parts[index - 1] in {"seats", "prices", "fx", "needs", "org_needs"}:
            words.append(part)
        else:
            words.append(FIELD_LABELS.get(part, part.replace("_", " ")))
    return ", ".join(words)


def plain_wording(message: str) -> str:
    """A validation message without pydantic's technical phrasing; bounds with thousands marks.

    >>> plain_wording("Input should be less than or equal to 1000000")
    'must be 1,000,000 or less'
    """
    for pattern, words in _PLAIN_WORDING:
        if match := pattern.search(message):
            if "{}" in words:
                message = words.format(readable_number(match.group(1)))
            else:
                message = pattern.sub(words, message)
    return message


def readable_number(text: str) -> str:
    """A number as pydantic prints it, with thousands separators ("1000000" -> "1,000,000").

    >>> readable_number("1000000"), readable_number("0.5"), readable_number("x")
    ('1,000,000', '0.5', 'x')
    """
    try:
        number = float(text)
    except ValueError:
        return text
    return f"{number:,.0f}" if number.is_integer() else f"{number:,g}"


def problem_message(field: str, message: str, line: int = 0, col: int = 0) -> str:
    """One problem in words: where (a line of an uploaded file), which field, what is wrong."""
    where = f"Line {line}, column {col}: " if line else ""
    label = f"{field_label(field)}: " if field else ""
    return f"{where}{label}{plain_wording(message)}"


def problem_messages(error: BaseException) -> list[str]:
    """Human messages for any error met while reading or checking a profile.

    Located problems of an :class:`InputError` come one per line, with the line of an uploaded
    file and the field's label (rows counted from 1); pydantic errors name their field the same
    way; the failures a hostile file can cause deep in a parser (deep nesting, bad text, huge
    numbers) get a plain sentence instead of their technical text.
    """
    if isinstance(error, InputError):
        return [problem_message(p.field, p.message, p.line, p.col) for p in error.problems]
    if isinstance(error, ValidationError):
        return [
            problem_message(
                ".".join(map(str, item["loc"])),
                # A None reached the model: an empty cell or field, whatever type was expected.
                "is empty" if item.get("input", "") is None else item["msg"],
            )
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
    problems = [problem_message(p.field, p.message) for p in check_profile(profile, catalog)]
    if not profile.name.strip():
        problems.insert(0, problem_message("name", "enter a name"))
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


@dataclass(frozen=True)
class RoleKind:
    """A kind of CRM user with the needs such users usually have (a preset of the guided start).

    Attributes
    ----------
    name
        The role's name as the profile shows it.
    needs
        Feature id -> need (``"must"`` or an importance from 1 to 5).
    """

    name: str
    needs: Mapping[str, str | int]


#: Presets of the guided start: what each kind of user usually needs. The user adjusts them
#: afterwards on the Profile page.
ROLE_KINDS: dict[str, RoleKind] = {
    "sales_reps": RoleKind(
        "Sales reps",
        {
            "lead_management": "must",
            "opportunity_management": "must",
            "email_integration": 5,
            "mobile_app": 3,
            "forecasting": 2,
        },
    ),
    "sales_managers": RoleKind(
        "Sales managers",
        {"opportunity_management": "must", "forecasting": "must", "reports": 5, "dashboards": 5},
    ),
    "support_agents": RoleKind(
        "Support agents",
        {"case_management": "must", "knowledge_base": 4, "sla_management": 3},
    ),
    "marketing": RoleKind(
        "Marketing", {"campaigns": "must", "email_marketing": 4, "web_forms": 3, "reports": 3}
    ),
    "admins": RoleKind(
        "Admins and developers",
        {"custom_objects": "must", "workflow_automation": "must", "api_access": 4, "sandboxes": 3},
    ),
    "viewers": RoleKind("Dashboards only", {"dashboards": "must", "reports": 4}),
}
#: Needs every organisation of the guided start has: its contacts, and its data in and out.
ORG_BASICS: dict[str, str | int] = {"contact_management": "must", "data_import_export": "must"}


@dataclass(frozen=True)
class ContractAnswers:
    """The guided start's first step: the contract as a buyer knows it."""

    name: str
    product: str
    tier: str
    seats: int
    price: float | None
    term_end: dt.date
    notice_days: int
    auto_renew: bool
    uplift_pct: float
    analysis_start: dt.date


def guided_profile(
    template: Profile,
    catalog: Catalog,
    contract: ContractAnswers,
    role_seats: Mapping[str, int],
    migration: Mapping[str, Any],
) -> dict[str, Any]:
    """A profile from the guided start's answers, as a dict for validation.

    The contract is one year ending on ``contract.term_end``; every seat is the edition's full
    seat. One role per kind of :data:`ROLE_KINDS` with seats, carrying that kind's needs (those
    the catalog knows). ``migration`` replaces fields of the template's migration; every other
    assumption (costs, weights) is the template's, to be refined on the Profile page. An
    unknown edition raises :class:`AnalyzerError`.
    """
    try:
        full_seat = catalog.product(contract.product).tier(contract.tier).license_types[0].id
    except KeyError:
        raise AnalyzerError(
            f"Current CRM and edition: choose an edition of the catalog "
            f"({contract.product}/{contract.tier} is not one)"
        ) from None
    features = {feature.id for feature in catalog.features}
    roles = [
        {
            "id": kind,
            "name": ROLE_KINDS[kind].name,
            "seats": seats,
            "current_license": full_seat,
            "needs": {f: need for f, need in ROLE_KINDS[kind].needs.items() if f in features},
        }
        for kind, seats in role_seats.items()
        if seats
    ]
    start = add_months(contract.term_end + dt.timedelta(days=1), -12)
    data = template.model_dump()
    data.update(
        name=contract.name,
        analysis_start=contract.analysis_start,
        roles=roles,
        org_needs={f: need for f, need in ORG_BASICS.items() if f in features},
        quotes=[],
        running_costs=[],
        current={
            "product": contract.product,
            "tier": contract.tier,
            "seats": {full_seat: contract.seats} if contract.seats else {},
            "prices": {} if contract.price is None else {full_seat: contract.price},
            "billing": "annual",
            "contract": {
                "start": start,
                "end": contract.term_end,
                "auto_renew": contract.auto_renew,
                "renewal_term_months": 12,
                "notice_days": contract.notice_days,
                "uplift_pct": contract.uplift_pct,
            },
        },
    )
    data["migration"] = data["migration"] | dict(migration)
    return data
