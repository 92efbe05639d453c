"""The waste an org scan finds, in money at the profile's prices, and the profile it suggests.

Salesforce names licenses (``Salesforce``, ``Salesforce Platform``); the profile and catalog
name license types (``sales_cloud``, ``platform_plus``). A full ``Salesforce`` seat is any of
the profile's CRM seats (not Platform, not Chatter), priced at their seat-weighted average; a
license type the profile does not price is costed at the catalog list price, as everywhere else
in the tool. Unassigned seats and inactive users are waste; integration users on full seats and
Platform candidates are *estimates* (a cheaper license may fit; review them first).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from analyzer.catalog import Catalog
from analyzer.errors import InputError, Problem
from analyzer.profile import Profile, check_profile, dump_profile

PLATFORM_TYPE = "platform_plus"
LIGHT_TYPES_PREFIXES = ("platform_", "chatter_")
LICENSE_TYPE_BY_KEY = {
    "AUL": "platform_plus",
    "AUL1": "platform_plus",
    "AUL_LIGHT": "platform_plus",
    "FDC_ONE": "platform_starter",
    "FDC_SUB": "platform_starter",
    "PID_CHATTER": "chatter_only",
}
LICENSE_TYPE_BY_NAME = {
    "salesforce platform": "platform_plus",
    "chatter free": "chatter_free",
    "chatter external": "chatter_external",
    "chatter only": "chatter_only",
}
MONTHS = 12


@dataclass(frozen=True)
class WasteLine:
    """Seats of one license that cost money for nothing (or for more than needed)."""

    license: str
    reason: str
    seats: int
    monthly_price: float | None
    annual_cost: float | None
    estimate: bool


def _is_full(row: dict) -> bool:
    return row.get("key") == "SFDC" or str(row.get("license", "")).lower() == "salesforce"


def full_types(profile: Profile) -> list[str]:
    """The profile's license types that a full ``Salesforce`` license stands for."""
    return [lt for lt in profile.current.seats if not lt.startswith(LIGHT_TYPES_PREFIXES)]


def license_type(row: dict) -> str | None:
    """The catalog license type of a non-full license row, if the tool knows one."""
    return LICENSE_TYPE_BY_KEY.get(row.get("key") or "") or LICENSE_TYPE_BY_NAME.get(
        str(row.get("license", "")).lower()
    )


def seat_price(profile: Profile, catalog: Catalog, type_id: str) -> float | None:
    """Monthly price of one seat: the profile's net price, else the catalog list price."""
    if type_id in profile.current.prices:
        return float(profile.current.prices[type_id])
    if type_id not in tier_types(profile, catalog):
        return None
    tier = catalog.product(profile.current.product).tier(profile.current.tier)
    listed = tier.license_type(type_id).list_price(profile.current.billing)
    if listed is None or listed.unit != "per_user_month":
        return None
    return float(listed.amount) * profile.rate(listed.currency)


def tier_types(profile: Profile, catalog: Catalog) -> set[str]:
    """The license types the profile's current tier sells."""
    try:
        tier = catalog.product(profile.current.product).tier(profile.current.tier)
    except KeyError:
        return set()
    return {lt.id for lt in tier.license_types}


def full_price(profile: Profile, catalog: Catalog) -> float | None:
    """Seat-weighted average monthly price of the profile's full CRM seats."""
    weighted = [
        (profile.current.seats[lt], seat_price(profile, catalog, lt)) for lt in full_types(profile)
    ]
    weighted = [(seats, price) for seats, price in weighted if price is not None]
    seats = sum(s for s, _ in weighted)
    if not seats:
        return None
    return sum(s * p for s, p in weighted) / seats


def _line(license: str, reason: str, seats: int, price: float | None, estimate: bool) -> WasteLine:
    annual = None if price is None else round(seats * price * MONTHS, 2)
    return WasteLine(license, reason, seats, price, annual, estimate)


def waste(document: dict, profile: Profile, catalog: Catalog) -> list[WasteLine]:
    """Every line of waste of a scan, priced a year at the profile's prices.

    Unassigned seats and inactive users are certain waste; integration users on full seats
    (at the full price, as a free integration license may fit) and Platform candidates (at the
    difference to a Platform seat) are estimates.
    """
    full = full_price(profile, catalog)
    lines = []
    for row in document["licenses"]:
        if _is_full(row):
            price = full
        else:
            type_id = license_type(row)
            price = seat_price(profile, catalog, type_id) if type_id else None
        if row.get("unassigned"):
            lines.append(_line(row["license"], "unassigned seats", row["unassigned"], price, False))
        if row.get("inactive"):
            lines.append(_line(row["license"], "inactive users", row["inactive"], price, False))
    users = document["users"]
    if users["integration_on_full_license"]:
        lines.append(
            _line(
                "Salesforce",
                "integration users on full seats (a Salesforce Integration license may fit)",
                len(users["integration_on_full_license"]),
                full,
                True,
            )
        )
    if users["platform_candidates"]:
        platform = seat_price(profile, catalog, PLATFORM_TYPE)
        saving = None if full is None or platform is None else max(full - platform, 0.0)
        lines.append(
            _line(
                "Salesforce",
                "Platform candidates (estimate: full seat minus a Platform seat)",
                len(users["platform_candidates"]),
                saving,
                True,
            )
        )
    return lines


def _spread(total: int, weights: dict[str, int]) -> dict[str, int]:
    """``total`` split in proportion to ``weights`` by largest remainder (sums to ``total``).

    >>> _spread(10, {"sales_cloud": 90, "service_cloud": 25})
    {'sales_cloud': 8, 'service_cloud': 2}
    """
    whole = sum(weights.values())
    if not whole:
        first = next(iter(weights))
        return {key: total if key == first else 0 for key in weights}
    shares = {key: total * w / whole for key, w in weights.items()}
    result = {key: int(share) for key, share in shares.items()}
    left = total - sum(result.values())
    for key in sorted(shares, key=lambda k: shares[k] - result[k], reverse=True)[:left]:
        result[key] += 1
    return result


def suggested_seats(document: dict, profile: Profile, catalog: Catalog) -> dict[str, int]:
    """Seats per license type once unassigned seats and inactive users are let go.

    The full ``Salesforce`` seats kept (assigned minus inactive) are split over the profile's
    CRM license types in the proportion it holds today; a Platform or Chatter license the
    scan found sets that license type's seats when the current tier sells it. Estimates
    (integration users, Platform candidates) are not applied: they need a review first.
    """
    seats = dict(profile.current.seats)
    full = full_types(profile)
    kept_full = sum(
        max(row["assigned"] - row["inactive"], 0) for row in document["licenses"] if _is_full(row)
    )
    if full and any(_is_full(row) for row in document["licenses"]):
        seats.update(_spread(kept_full, {lt: profile.current.seats[lt] for lt in full}))
    sold = tier_types(profile, catalog)
    for row in document["licenses"]:
        type_id = None if _is_full(row) else license_type(row)
        if type_id in sold and (type_id in seats or row["assigned"]):
            seats[type_id] = max(row["assigned"] - row["inactive"], 0)
    return seats


def updated_profile(document: dict, profile: Profile, catalog: Catalog) -> Profile:
    """The profile with its seats and migration records taken from the scan; nothing else
    changes.

    Raises
    ------
    InputError
        The result is not a valid profile for the catalog (for example a Platform license the
        current tier does not sell).
    """
    data: dict[str, Any] = profile.model_dump(mode="json")
    data["current"]["seats"] = suggested_seats(document, profile, catalog)
    data["migration"]["records"] = sum(document["records"].values())
    try:
        suggested = Profile.model_validate(data)
    except ValueError as exc:
        raise InputError([Problem("org scan", 0, 0, "profile", str(exc))]) from None
    problems = check_profile(suggested, catalog)
    if problems:
        raise InputError(problems)
    return suggested


def profile_yaml(document: dict, profile: Profile, catalog: Catalog) -> str:
    """:func:`updated_profile` as YAML, headed by a comment naming the scan and file volume."""
    suggested = updated_profile(document, profile, catalog)
    storage = document["storage"]
    header = (
        f"# Seats and migration.records from an org scan of {document.get('org_id') or 'an org'}"
        f" as of {document.get('as_of') or 'an unknown day'}.\n"
        f"# Migration volume: {sum(document['records'].values()):,} records, "
        f"{storage['data_mb']:,.1f} MB of data, {storage['file_mb']:,.1f} MB of files.\n"
    )
    return header + dump_profile(suggested)
